"""Hostile review of today's changes with real parts (real files, ffmpeg, the simulator on
loopback). Each test showed a bug found by a hostile review; all are fixed."""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

import pytest

from tests.images import png_bytes
from tests.integration.test_mp4meta import stream_hash
from vidu_desktop.core.library import private_download_name
from vidu_desktop.core.mp4meta import VideoMetadata, read_metadata, top_level_boxes, write_metadata
from vidu_desktop.core.request import VideoSettings
from vidu_desktop.simulator.server import Simulator, SimulatorConfig

needs_ffmpeg = pytest.mark.skipif(not shutil.which("ffmpeg"), reason="needs ffmpeg")
PROMPT = "A lighthouse in fog"
META = VideoMetadata(prompt=PROMPT, settings=VideoSettings(prompt=PROMPT, duration=1, resolution="540p", seed=7),
                     seed=7, task_id="task-review", source_name="lighthouse.jpg", app_version="9.9.9",
                     created_at=1_795_000_000.0)
DAY = 24 * 3600


@pytest.fixture(scope="module")
def plain_video(tmp_path_factory) -> Path:
    from vidu_desktop.simulator.video import render_video

    path = tmp_path_factory.mktemp("plain") / "plain.mp4"
    render_video(png_bytes(320, 240), path, duration_s=1, height=240, audio=True, fast=True)
    return path


def kinds(path: Path) -> list[bytes]:
    return [kind for kind, _size in top_level_boxes(path) or ()]


@needs_ffmpeg
def test_a_video_ending_in_an_open_ended_box_keeps_a_movie_box_when_tagged(plain_video: Path, tmp_path: Path):
    # ftyp free mdat moov, then a free box whose size field is 0: it runs to the end of the file
    # (allowed for the last box by ISO/IEC 14496-12 4.2; ffmpeg, mutagen and the app read it).
    video = tmp_path / "open-ended.mp4"
    shutil.copyfile(plain_video, video)
    with video.open("ab") as f:
        f.write((0).to_bytes(4, "big") + b"free" + b"\0" * 100)
    assert kinds(video)[-2:] == [b"moov", b"free"]

    write_metadata(video, META)  # no error: the caller keeps the video as it is now

    assert kinds(video).count(b"moov") == 1, kinds(video)  # today: [ftyp, free, mdat, free, free]: no moov
    assert read_metadata(video) == META


@pytest.mark.slow
def test_tidy_keeps_the_videos_of_a_library_that_is_the_frames_folder(qtbot, tmp_path: Path, monkeypatch):
    from vidu_desktop import paths
    from vidu_desktop.core.job import Job
    from vidu_desktop.core.lifecycle import JobState
    from vidu_desktop.core.store import JobStore
    from vidu_desktop.session import Mode, Session
    from vidu_desktop.workers import engine

    # The user picked the app's frames folder as the library (the settings dialog lets any folder be chosen).
    library = paths.ensure(paths.frames_dir())
    video = library / "lighthouse_2026-11-28_540p_5s.mp4"
    video.write_bytes(b"a paid video" * 1000)
    unused_frame = library / "street_frame-4.96s.png"  # a frame no job was made from: tidy removes it
    unused_frame.write_bytes(b"x" * 1000)
    two_days_ago = time.time() - 2 * DAY
    for path in (video, unused_frame):
        os.utime(path, (two_days_ago, two_days_ago))
    store = JobStore(tmp_path / "jobs.sqlite3")
    store.add(Job(state=JobState.DONE, task_id="t-paid", image_source=str(tmp_path / "lighthouse.jpg"),
                  video_path=str(video), progress=100.0))
    store.close()

    monkeypatch.setattr(engine, "TIDY_AFTER_MS", 0)
    with Simulator(SimulatorConfig()) as sim:
        monkeypatch.setenv("NOVITA_API_KEY", "sk-review")
        monkeypatch.setenv("NOVITA_API_BASE_URL", sim.base_url)
        session = Session(tmp_path / "jobs.sqlite3", library_dir=lambda: library)
        try:
            with qtbot.waitSignal(session.modeChanged, timeout=10_000, check_params_cb=lambda m: m is Mode.NOVITA):
                session.start()
            qtbot.waitUntil(lambda: not unused_frame.exists(), timeout=10_000)  # tidy has run
        finally:
            session.shutdown()
    assert video.exists(), "the DONE job's video was deleted"



@needs_ffmpeg
def test_a_whole_private_video_is_not_deleted_before_it_is_fetched_again(plain_video: Path, tmp_path: Path):
    import threading

    from vidu_desktop.core.job import Job
    from vidu_desktop.core.lifecycle import JobState
    from vidu_desktop.workers.engine import Connection, DownloadWorker

    library = tmp_path / "library"
    library.mkdir()
    # The app was killed after the download finished and before the video got its name; days
    # later the link has expired and the server no longer knows the task.
    private = library / private_download_name(7, "task-purged")
    shutil.copyfile(plain_video, private)
    job = Job(id=7, created_at=time.time() - 3 * DAY, state=JobState.DOWNLOADING,
              settings=VideoSettings(prompt=PROMPT, duration=1), image_source="/photos/lighthouse.jpg",
              task_id="task-purged", video_url="http://127.0.0.1:9/expired.mp4",
              video_url_expires_at=time.time() - DAY)
    with Simulator(SimulatorConfig(queued_s=0.0, processing_s=0.1)) as simulator:
        worker = DownloadWorker(threading.Event(), lambda: library, lambda _job_id: False)
        worker.set_connection(Connection("sk-test", simulator.base_url))
        downloaded, failed = [], []
        worker.downloaded.connect(lambda _job_id, path: downloaded.append(path))
        worker.failed.connect(lambda report: failed.append(report))
        worker.download(job)
    # The server could not give it again: the copy the crash left becomes the video, tagged.
    assert not failed and len(downloaded) == 1, failed
    video = Path(downloaded[0])
    assert not video.name.startswith(".") and stream_hash(video) == stream_hash(plain_video)
    meta = read_metadata(video)
    assert meta is not None and meta.task_id == "task-purged"
    assert sorted(p.name for p in library.iterdir()) == [video.name]  # nothing private is left


@pytest.mark.slow
def test_tidy_keeps_the_part_of_a_failed_download_that_retry_resumes(qtbot, tmp_path: Path, monkeypatch):
    from vidu_desktop import paths
    from vidu_desktop.core.job import Job
    from vidu_desktop.core.lifecycle import JobState
    from vidu_desktop.core.store import JobStore
    from vidu_desktop.session import Mode, Session
    from vidu_desktop.workers import engine

    library = tmp_path / "Library"
    library.mkdir()
    frames = paths.ensure(paths.frames_dir())
    unused_frame = frames / "street_frame-4.96s.png"  # removed by tidy: says it has run
    unused_frame.write_bytes(b"x" * 1000)
    two_days_ago = time.time() - 2 * DAY
    os.utime(unused_frame, (two_days_ago, two_days_ago))
    store = JobStore(tmp_path / "jobs.sqlite3")
    # The download failed half-way (the connection dropped for good); "Retry" carries on from its .part.
    failed = store.add(Job(state=JobState.DOWNLOADING, task_id="t-big", video_url="http://elsewhere.invalid/v.mp4",
                           video_url_expires_at=time.time() + DAY, server="http://elsewhere.invalid")).id
    store.update(failed, state=JobState.FAILED, error="the connection dropped", error_kind="NetworkError")
    store.close()
    part = library / (private_download_name(failed or 0, "t-big") + ".part")
    part.write_bytes(b"\0" * 300_000)

    monkeypatch.setattr(engine, "TIDY_AFTER_MS", 0)
    with Simulator(SimulatorConfig()) as sim:
        monkeypatch.setenv("NOVITA_API_KEY", "sk-review")
        monkeypatch.setenv("NOVITA_API_BASE_URL", sim.base_url)
        session = Session(tmp_path / "jobs.sqlite3", library_dir=lambda: library)
        try:
            with qtbot.waitSignal(session.modeChanged, timeout=10_000, check_params_cb=lambda m: m is Mode.NOVITA):
                session.start()
            qtbot.waitUntil(lambda: not unused_frame.exists(), timeout=10_000)
        finally:
            session.shutdown()
    assert part.exists(), "the failed download's .part was deleted: Retry starts from nothing"


@needs_ffmpeg
def test_a_new_job_never_resumes_the_download_of_a_deleted_job(plain_video: Path, tmp_path: Path):
    import threading

    from vidu_desktop.core.job import Job
    from vidu_desktop.core.lifecycle import JobState
    from vidu_desktop.core.novita import NovitaClient, TaskStatus
    from vidu_desktop.core.request import data_uri
    from vidu_desktop.core.store import JobStore
    from vidu_desktop.simulator.video import render_video
    from vidu_desktop.workers.engine import Connection, DownloadWorker

    library = tmp_path / "library"
    library.mkdir()
    other_video = tmp_path / "other.mp4"  # what the deleted job was downloading
    render_video(png_bytes(480, 270), other_video, duration_s=2, height=270, audio=False, fast=True)
    store = JobStore(tmp_path / "jobs.sqlite3")
    store.add(Job(state=JobState.DONE, task_id="t-old"))
    deleted = store.add(Job(state=JobState.DOWNLOADING, task_id="t-deleted")).id
    # It was downloading (half of its video in its .part) when the user deleted it.
    other = other_video.read_bytes()
    (library / (private_download_name(deleted or 0, "t-deleted") + ".part")).write_bytes(other[: len(other) // 2])
    store.delete(deleted or 0)

    def renderer(image, destination, **_):
        shutil.copyfile(plain_video, destination)

    with Simulator(SimulatorConfig(queued_s=0.0, processing_s=0.1, renderer=renderer)) as simulator:
        client = NovitaClient("sk-test", base_url=simulator.base_url)
        task_id = client.submit(VideoSettings(prompt=PROMPT, duration=1), data_uri(png_bytes(64, 36), "image/png"))
        deadline = time.monotonic() + 30
        while (result := client.task_result(task_id)).status is not TaskStatus.SUCCEED:
            assert time.monotonic() < deadline and result.status is not TaskStatus.FAILED, result
            time.sleep(0.05)
        link = result.videos[0]
        new = store.add(Job(state=JobState.DOWNLOADING, settings=VideoSettings(prompt=PROMPT, duration=1),
                            image_source="/photos/lighthouse.jpg", task_id=task_id, video_url=link.url,
                            video_url_expires_at=link.expires_at))
        worker = DownloadWorker(threading.Event(), lambda: library, lambda _job_id: False)
        worker.set_connection(Connection("sk-test", simulator.base_url))
        downloaded, failed = [], []
        worker.downloaded.connect(lambda _job_id, path: downloaded.append(Path(path)))
        worker.failed.connect(lambda report: failed.append(report))
        worker.download(new)
    store.close()
    assert not failed and len(downloaded) == 1, (new.id == deleted, failed)
    assert stream_hash(downloaded[0]) == stream_hash(plain_video)  # the new job's own video, whole
    assert read_metadata(downloaded[0]) is not None and read_metadata(downloaded[0]).task_id == task_id
