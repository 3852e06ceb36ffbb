"""A series, end to end, in Demo mode (no key: the built-in simulator makes real 720p videos).

A folder of four images with sidecar prompts, three takes each, one take continued from its
last frame: what a user does for a product series, and what they can check afterwards (the
prompts, the seeds, the names and tags of the saved videos, the frame's size, the family).
"""

from __future__ import annotations

import json
import subprocess
import time
from pathlib import Path

import pytest
from PySide6.QtGui import QImage

from tests.gui.conftest import jobs_shown
from tests.images import png_bytes
from vidu_desktop.core.lifecycle import JobState
from vidu_desktop.core.mp4meta import read_metadata

pytestmark = pytest.mark.gui

SERIES = {
    "harbour": ("Boats rock gently in the harbour at dawn", (40, 90, 160)),
    "forest": ("Mist drifts between the trees", (40, 120, 60)),
    "desert": ("Wind moves over the dunes", (200, 160, 90)),
    "street": ("Night traffic streams past", (60, 50, 80)),
}
TAKES = 3


def probe(path: str) -> dict:
    out = subprocess.run(["ffprobe", "-v", "error", "-print_format", "json", "-show_streams", "-show_format", path],
                         capture_output=True, text=True, timeout=30, check=True).stdout
    return json.loads(out)


@pytest.mark.timeout(600)
def test_a_series_folder_takes_and_a_continued_take(qtbot, open_window, tmp_path, artifacts_dir):
    folder = tmp_path / "series"
    folder.mkdir()
    for stem, (prompt, colour) in SERIES.items():
        (folder / f"{stem}.png").write_bytes(png_bytes(1280, 720, colour))
        (folder / f"{stem}.txt").write_text(prompt + "\n", encoding="utf-8")

    window = open_window(timeout=30_000)
    assert window.session.is_demo
    started = time.monotonic()
    window.images.add_sources([str(folder)])
    qtbot.waitUntil(lambda: len(window.images.images) == 4 and window.images.pending_count() == 0, timeout=20_000)
    assert {image.prompt for image in window.images.images} == {prompt for prompt, _ in SERIES.values()}
    window.form.takes_box.setValue(TAKES)
    assert window.generate_button.text().startswith("Generate 12 videos")
    window.generate()

    def finished() -> list:
        shown = jobs_shown(window)
        return shown if len(shown) == 12 and all(job.state.finished for job in shown) else []

    qtbot.waitUntil(lambda: bool(finished()), timeout=300_000)
    series_s = time.monotonic() - started
    jobs = finished()
    assert {job.state for job in jobs} == {JobState.DONE}, [(job.id, job.error) for job in jobs]
    seeds = [job.settings.seed for job in jobs]
    assert len(set(seeds)) == 12 and 0 not in seeds  # every take sent with its own explicit seed
    for stem, (prompt, _) in SERIES.items():
        takes = [job for job in jobs if Path(job.image_source).stem == stem]
        assert len(takes) == TAKES and {job.settings.prompt for job in takes} == {prompt}
        for job in takes:
            name = Path(job.video_path).name
            assert name.startswith(f"{stem}_") and ("_720p_5s." in name or "_720p_5s-" in name), name
            tags = probe(job.video_path)["format"].get("tags", {})
            assert prompt in tags.values(), tags  # a player shows the prompt
            meta = read_metadata(Path(job.video_path))
            assert meta is not None and meta.settings.seed == job.settings.seed and meta.task_id == job.task_id

    # Continue one harbour take from its last frame.
    parent = next(job for job in jobs if Path(job.image_source).stem == "harbour")
    window.images.clear()
    row = window.jobs.model.row_of(parent.id)
    window.jobs.view.setCurrentIndex(window.jobs.model.index(row, 0))
    qtbot.waitUntil(lambda: window.jobs.details.continue_button.isEnabled(), timeout=5_000)
    window.jobs.details.continue_button.click()
    qtbot.waitUntil(lambda: len(window.images.images) == 1 and window.images.images[0].valid, timeout=30_000)
    frame = window.images.images[0]
    video = next(s for s in probe(parent.video_path)["streams"] if s["codec_type"] == "video")
    image = QImage(frame.source)
    assert (image.width(), image.height()) == (video["width"], video["height"])  # the full resolution
    window.form.takes_box.setValue(1)  # one continuation
    assert window.generate_button.text().startswith("Generate · ") or "1 video" in window.generate_button.text()
    window.generate()
    qtbot.waitUntil(lambda: len(jobs_shown(window)) == 13, timeout=10_000)
    child = next(job for job in jobs_shown(window) if job.parent_id == parent.id)
    assert child.relation == "continue" and child.settings.prompt == parent.settings.prompt
    qtbot.waitUntil(lambda: window.jobs.model.job(child.id).state is JobState.DONE, timeout=120_000)
    with qtbot.waitSignal(window.session.familyReady, timeout=5_000,
                          check_params_cb=lambda job_id, *_: job_id == parent.id) as family:
        window.session.request_family(parent.id)
    assert [c.id for c in family.args[2]] == [child.id]
    total_s = time.monotonic() - started
    window.resize(1280, 800)
    window.grab().save(str(artifacts_dir / "series-demo.png"))
    (artifacts_dir / "series-figures.json").write_text(json.dumps({
        "videos": 13, "series_12_takes_s": round(series_s, 1), "with_continuation_s": round(total_s, 1),
        "distinct_seeds": len(set(seeds)), "frame_size": [image.width(), image.height()],
        "video_size": [video["width"], video["height"]],
        "names": sorted(Path(job.video_path).name for job in jobs)[:3],
    }, indent=2))
