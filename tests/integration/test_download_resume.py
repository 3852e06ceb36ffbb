"""A download killed while its tags are written, or odd leftovers under its private names, still
ends as one complete, tagged video in the library: DownloadWorker.download against the
simulator over loopback, with the video in each MP4 layout (tests/integration/test_mp4meta.py)."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import pytest

from tests.images import png_bytes
from tests.integration.test_mp4meta import LAYOUTS, make_layout, stream_hash
from vidu_desktop.core import errors
from vidu_desktop.core.job import Job
from vidu_desktop.core.library import private_download_name
from vidu_desktop.core.lifecycle import JobState
from vidu_desktop.core.mp4meta import VideoDamaged, read_metadata
from vidu_desktop.core.novita import NovitaClient, TaskStatus
from vidu_desktop.core.request import VideoSettings, data_uri
from vidu_desktop.simulator.server import Simulator, SimulatorConfig

pytestmark = pytest.mark.skipif(not shutil.which("ffmpeg"), reason="needs ffmpeg")

JOB_ID = 7
PROMPT = "gulls over the harbour"


@pytest.fixture(scope="module")
def plain_video(tmp_path_factory) -> Path:
    from vidu_desktop.simulator.video import render_video

    path = tmp_path_factory.mktemp("plain") / "plain.mp4"
    render_video(png_bytes(320, 240), path, duration_s=1, height=240, audio=True, fast=True)
    return path


@pytest.fixture(params=LAYOUTS)
def served(request, plain_video: Path, tmp_path: Path):
    """(the simulator serving the video in one layout, that video's file)."""
    video = make_layout(plain_video, request.param, tmp_path / f"served-{request.param}.mp4")

    def renderer(image, destination, **_):
        shutil.copyfile(video, destination)

    with Simulator(SimulatorConfig(queued_s=0.0, processing_s=0.1, renderer=renderer)) as simulator:
        yield simulator, video


def finished_job(simulator: Simulator) -> Job:
    """A job whose task the simulator finished: what the engine resumes as DOWNLOADING."""
    client = NovitaClient("sk-test", base_url=simulator.base_url)
    task_id = client.submit(VideoSettings(prompt=PROMPT, duration=1), data_uri(png_bytes(64, 36), "image/png"))
    deadline = time.monotonic() + 30
    while (result := client.task_result(task_id)).status is not TaskStatus.SUCCEED:
        assert time.monotonic() < deadline and result.status is not TaskStatus.FAILED, result
        time.sleep(0.05)
    link = result.videos[0]
    return Job(id=JOB_ID, created_at=time.time(), state=JobState.DOWNLOADING,
               settings=VideoSettings(prompt=PROMPT, duration=1), image_source="/photos/harbour.jpg",
               task_id=task_id, video_url=link.url, video_url_expires_at=link.expires_at, seed=result.seed)


def download(simulator: Simulator, job: Job, library: Path) -> Path:
    """DownloadWorker.download as the engine runs it at start for a DOWNLOADING job."""
    from vidu_desktop.workers.engine import Connection, DownloadWorker

    worker = DownloadWorker(threading.Event(), lambda: library, lambda _job_id: False)
    worker.set_connection(Connection("sk-test", simulator.base_url))
    downloaded, failed = [], []
    worker.downloaded.connect(lambda _job_id, path: downloaded.append(Path(path)))
    worker.failed.connect(lambda report: failed.append(report))
    worker.download(job)
    assert not failed and len(downloaded) == 1, failed
    return downloaded[0]


def assert_one_good_video(library: Path, video: Path, served_video: Path, job: Job) -> None:
    """The library holds this one video, whole (the streams the server sent) and tagged."""
    assert sorted(p.name for p in library.iterdir()) == [video.name]  # no leftover, hidden or not
    assert stream_hash(video) == stream_hash(served_video)
    meta = read_metadata(video)
    assert meta is not None and meta.task_id == job.task_id and meta.prompt == PROMPT
    probed = json.loads(subprocess.run(["ffprobe", "-v", "error", "-show_entries", "format_tags", "-of", "json",
                                        str(video)], capture_output=True, text=True, check=True).stdout)
    assert probed["format"]["tags"]["comment"] == PROMPT


# The app, killed (SIGKILL, as by kill -9 or a power cut for what reached the disk) half-way
# through writing the tags: the first write of tagging puts half its bytes on disk, then dies.
KILLED_WHILE_TAGGING = textwrap.dedent("""
    import json, os, signal, sys, threading
    from pathlib import Path

    import vidu_desktop.core.mp4meta as mp4meta
    from vidu_desktop.core.job import Job
    from vidu_desktop.core.lifecycle import JobState
    from vidu_desktop.core.request import VideoSettings
    from vidu_desktop.workers.engine import Connection, DownloadWorker

    def half_then_die(f, offset, data):
        f.seek(offset)
        f.write(data[: len(data) // 2])
        f.flush()
        os.kill(os.getpid(), signal.SIGKILL)

    mp4meta._write_at = half_then_die
    base_url, library, fields = sys.argv[1], Path(sys.argv[2]), json.loads(sys.argv[3])
    job = Job(state=JobState.DOWNLOADING, settings=VideoSettings(prompt=fields.pop("prompt"), duration=1), **fields)
    worker = DownloadWorker(threading.Event(), lambda: library, lambda _job_id: False)
    worker.set_connection(Connection("sk-test", base_url))
    worker.download(job)
    sys.exit("the tags were written without being killed")
""")


def test_killed_while_tagging_then_resumed_gives_one_good_video(served, tmp_path: Path):
    simulator, served_video = served
    job = finished_job(simulator)
    library = tmp_path / "library"
    fields = {"id": job.id, "created_at": job.created_at, "image_source": job.image_source, "task_id": job.task_id,
              "video_url": job.video_url, "video_url_expires_at": job.video_url_expires_at, "seed": job.seed,
              "prompt": PROMPT}
    killed = subprocess.run([sys.executable, "-c", KILLED_WHILE_TAGGING, simulator.base_url, str(library),
                             json.dumps(fields)], capture_output=True, text=True, timeout=120)
    assert killed.returncode == -signal.SIGKILL, killed.stderr
    left = sorted(p.name for p in library.iterdir())
    private = private_download_name(JOB_ID, job.task_id)
    assert left and all(name.lstrip(".").startswith(private.lstrip(".")) for name in left), left  # all private
    video = download(simulator, job, library)  # the restart: the job is still DOWNLOADING
    assert_one_good_video(library, video, served_video, job)


@pytest.mark.parametrize("part", ["prefix", "whole", "longer", "none"])
def test_odd_leftovers_under_the_private_names_give_one_good_video(served, tmp_path: Path, part: str):
    """What a crash can leave: a .part (a prefix of the video, all of it but not renamed yet, or
    more than the video), a damaged private video, a rewrite's scratch copy."""
    simulator, served_video = served
    job = finished_job(simulator)
    library = tmp_path / "library"
    library.mkdir()
    private = library / private_download_name(JOB_ID, job.task_id)
    data = served_video.read_bytes()
    parts = {"prefix": data[: len(data) // 3], "whole": data, "longer": data + b"\0" * 4096, "none": None}
    if parts[part] is not None:
        private.with_name(private.name + ".part").write_bytes(parts[part])
    private.write_bytes(data[:100] + b"cut short while its tags were written")
    private.with_name(f".{private.name}.tagging").write_bytes(data[: len(data) // 2])
    video = download(simulator, job, library)
    assert_one_good_video(library, video, served_video, job)


def test_a_video_damaged_by_tagging_is_fetched_again(served, tmp_path: Path, monkeypatch):
    """Writing the tags failed and so did putting the file back: the private copy is deleted and
    the video fetched again, then tagged."""
    import vidu_desktop.workers.engine as engine

    simulator, served_video = served
    job = finished_job(simulator)
    library = tmp_path / "library"
    real_write_metadata, calls = engine.write_metadata, []

    def damaging_once(path, meta):
        calls.append(path)
        if len(calls) == 1:
            with path.open("r+b") as f:
                f.truncate(path.stat().st_size // 2)
            raise VideoDamaged("the disk refused the write and the undo")
        real_write_metadata(path, meta)

    monkeypatch.setattr(engine, "write_metadata", damaging_once)
    video = download(simulator, job, library)
    assert len(calls) == 2
    assert_one_good_video(library, video, served_video, job)


def test_killed_after_the_video_was_placed_keeps_that_one(served, tmp_path: Path):
    """A crash between the link that puts the video in place and the unlink of its private name:
    the restart finds it (same file) and fetches nothing."""
    from vidu_desktop.core.library import video_filename

    simulator, served_video = served
    job = finished_job(simulator)
    library = tmp_path / "library"
    first = download(simulator, job, library)
    private = library / private_download_name(JOB_ID, job.task_id)
    os.link(first, private)  # as it was just before move_into_place's unlink
    assert first.name == video_filename(job.image_source, job.created_at, job.settings)
    downloads = simulator.stats.downloads
    assert download(simulator, job, library) == first.resolve()
    assert simulator.stats.downloads == downloads  # nothing fetched
    assert_one_good_video(library, first, served_video, job)


def test_a_stopped_download_keeps_on_disk_only_what_it_got_and_resumes(tmp_path: Path):
    """The client reserves the whole video's blocks when it starts; stopped early, it gives back
    the rest (a .part kept for later must not hold the full size), and the resume completes."""
    video = b"\0\0\0\x0cftypmp42" + bytes(range(256)) * (32 * 1024)  # 8 MiB: several reads

    def renderer(image, destination, **_):
        destination.write_bytes(video)

    with Simulator(SimulatorConfig(queued_s=0.0, processing_s=0.1, renderer=renderer)) as simulator:
        job = finished_job(simulator)
        client = NovitaClient("sk-test", base_url=simulator.base_url)
        target = tmp_path / "v.mp4"
        got: list[int] = []
        with pytest.raises(errors.Cancelled):
            client.download(job.video_url or "", target, progress=lambda done, _total: got.append(done),
                            should_stop=lambda: bool(got))
        part = target.with_name(target.name + ".part")
        kept = part.stat()
        assert 0 < kept.st_size < len(video)
        if hasattr(kept, "st_blocks"):
            assert kept.st_blocks * 512 < kept.st_size + 1024 * 1024, (kept.st_blocks, kept.st_size)
        client.download(job.video_url or "", target)
        assert target.read_bytes() == video and not part.exists()
