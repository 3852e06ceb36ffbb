"""What a user meets at start after a crash or a damaged disk: words and a way out."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QMessageBox

from tests.gui.conftest import add_one_image, jobs_shown
from tests.images import png_bytes
from vidu_desktop.core.job import Job
from vidu_desktop.core.lifecycle import JobState
from vidu_desktop.core.request import VideoSettings
from vidu_desktop.core.store import JobStore

pytestmark = pytest.mark.gui


def click(box: QMessageBox, words: str) -> None:
    [button] = [b for b in box.buttons() if b.text() == words]
    button.click()


@pytest.mark.parametrize("damage, reason", [
    (b"", "the file is empty"),
    (b"SQLite format 3\0" + bytes(range(256)) * 64, "could not be read"),
])
def test_a_damaged_job_list_is_explained_kept_aside_and_a_fresh_one_works(
        qtbot, window_factory_env, database, tmp_path, damage, reason):
    database.write_bytes(damage)
    window = window_factory_env()
    qtbot.waitUntil(lambda: window.damage_dialog is not None and window.damage_dialog.isVisible(),
                    timeout=10_000)
    box = window.damage_dialog
    assert reason in box.text() and str(database) in box.informativeText()
    assert database.read_bytes() == damage  # nothing overwritten before the user chose
    click(box, "Keep it aside and start fresh")
    qtbot.waitUntil(lambda: len(list(database.parent.glob("jobs.damaged-*.sqlite3"))) == 1, timeout=10_000)
    [kept] = database.parent.glob("jobs.damaged-*.sqlite3")
    assert kept.read_bytes() == damage
    add_one_image(qtbot, window, tmp_path)
    window.generate()
    qtbot.waitUntil(lambda: [j.state for j in jobs_shown(window)] == [JobState.DONE], timeout=60_000)


def test_an_unanswered_submit_shows_as_uncertain_at_once(qtbot, window_factory_env, database, simulator):
    store = JobStore(database)
    job = store.add(Job(settings=VideoSettings(duration=1), image_source="https://example.com/a.png",
                        server=simulator.base_url))
    store.mark_sent(job.id or 0)  # sent, then the app was killed before the answer came
    store.close()
    window = window_factory_env()
    qtbot.waitUntil(lambda: bool(jobs_shown(window)), timeout=5000)
    assert jobs_shown(window)[0].state is JobState.UNCERTAIN
    assert window.jobs.model.data(window.jobs.model.index(0, 1)).startswith("Sent? Unknown")
    assert simulator.stats.submissions == 0


def test_a_demo_job_resumes_with_the_next_demo_simulator(qtbot, open_window, database, tmp_path):
    image = tmp_path / "photo.png"
    image.write_bytes(png_bytes(320, 240))
    store = JobStore(database)  # made in Demo mode by an earlier run, never sent
    store.add(Job(settings=VideoSettings(duration=1, audio=False), image_source=str(image), server="demo"))
    store.close()
    window = open_window(timeout=30_000)
    assert window.session.mode.value == "demo"
    qtbot.waitUntil(lambda: [j.state for j in jobs_shown(window)] == [JobState.DONE], timeout=60_000)
    assert Path(jobs_shown(window)[0].video_path).is_file()


def test_a_full_disk_pauses_the_download_and_it_carries_on_when_space_returns(
        qtbot, window, small_disk, tmp_path, monkeypatch):
    import shutil

    from vidu_desktop import settings
    from vidu_desktop.workers import engine

    monkeypatch.setattr(engine, "SPACE_CHECK_S", 0.3)
    settings.set_value("library/folder", str(small_disk))
    filler = small_disk / "filler"
    filler.write_bytes(b"\0" * (shutil.disk_usage(small_disk).free - 4096))
    add_one_image(qtbot, window, tmp_path)
    window.generate()
    qtbot.waitUntil(lambda: bool(jobs_shown(window)) and jobs_shown(window)[0].error_kind == "DiskFull",
                    timeout=60_000)
    [job] = jobs_shown(window)
    assert job.state is JobState.DOWNLOADING and "disk is full" in job.error
    assert "is full" in window.statusBar().currentMessage()
    filler.unlink()
    qtbot.waitUntil(lambda: jobs_shown(window)[0].state is JobState.DONE, timeout=30_000)
    [job] = jobs_shown(window)
    assert Path(job.video_path).parent == small_disk and job.error == ""
