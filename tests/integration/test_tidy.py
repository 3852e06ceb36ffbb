"""What nothing will use again is removed some seconds after start: the private download files of
jobs that no longer download (cancelled, deleted, or left by a crash) and frames taken from
videos that no job was made from. Everything else in the library and the frames folder stays."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from vidu_desktop.simulator.server import Simulator, SimulatorConfig

pytestmark = pytest.mark.slow

DAY = 24 * 3600


def test_leftovers_go_and_nothing_else(qtbot, tmp_path: Path, monkeypatch):
    from vidu_desktop import paths
    from vidu_desktop.core.job import Job
    from vidu_desktop.core.lifecycle import JobState
    from vidu_desktop.core.store import JobStore
    from vidu_desktop.session import Mode, Session
    from vidu_desktop.workers import engine

    library = tmp_path / "Library"
    library.mkdir()
    frames = paths.frames_dir()
    frames.mkdir(parents=True)
    used_frame, fresh_frame, old_frame, second_old, half_written, not_a_frame = (
        frames / "harbour_5s_frame-4.96s.png", frames / "desert_5s_frame-2.00s.png",
        frames / "street_5s_frame-4.96s.png", frames / "street_5s_frame-4.96s-2.png",
        frames / ".forest_5s_frame-4.96s.png.123.456.part", frames / "holiday.png")

    store = JobStore(tmp_path / "jobs.sqlite3")
    # Still downloading (for another server, so this session leaves it alone): its .part is resumed later.
    downloading = store.add(Job(state=JobState.DOWNLOADING, task_id="t1", video_url="http://elsewhere.invalid/v.mp4",
                                server="http://elsewhere.invalid")).id
    done = store.add(Job(state=JobState.DONE, task_id="t2", image_source=str(used_frame))).id
    store.close()

    keep = [library / f".vidu-job-{downloading}.mp4.part", library / "holiday.mp4", library / "desert_2026_720p_5s.mp4",
            library / ".vidu-job-notes.mp4", used_frame, fresh_frame, not_a_frame]
    gone = [library / f".vidu-job-{done}.mp4.part", library / f".vidu-job-{done}.mp4",
            library / f"..vidu-job-{done}.mp4.tagging", library / ".vidu-job-999.mp4.part", old_frame, second_old,
            half_written]
    for path in keep + gone:
        path.write_bytes(b"x" * 1000)
    two_days_ago = time.time() - 2 * DAY
    for path in (used_frame, old_frame, second_old, half_written, not_a_frame):
        os.utime(path, (two_days_ago, two_days_ago))

    monkeypatch.setattr(engine, "TIDY_AFTER_MS", 0)
    with Simulator(SimulatorConfig()) as sim:
        monkeypatch.setenv("NOVITA_API_KEY", "sk-tidy")
        monkeypatch.setenv("NOVITA_API_BASE_URL", sim.base_url)
        session = Session(tmp_path / "jobs.sqlite3", library_dir=lambda: library)
        try:
            with qtbot.waitSignal(session.modeChanged, timeout=10_000, check_params_cb=lambda m: m is Mode.NOVITA):
                session.start()
            qtbot.waitUntil(lambda: not any(path.exists() for path in gone), timeout=10_000)
        finally:
            session.shutdown()
    assert [path.name for path in keep if not path.exists()] == []


def test_a_missing_library_or_frames_folder_is_nothing_to_tidy(tmp_path: Path):
    from vidu_desktop.core.library import download_leftovers, unused_frames

    assert download_leftovers(tmp_path / "nowhere", set()) == []
    assert unused_frames(tmp_path / "nowhere", set(), 0) == []
