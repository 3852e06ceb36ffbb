"""Jobs survive kill -9 at every awkward moment: the engine runs in a subprocess against the
simulator, is killed, and started again. Every job must reach its right end state with exactly
one submission per Generate."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from tests.images import png_bytes
from tests.waiting import wait_for
from vidu_desktop import paths
from vidu_desktop.core.library import looks_like_mp4
from vidu_desktop.core.lifecycle import JobState
from vidu_desktop.core.store import JobStore
from vidu_desktop.simulator.server import Simulator, SimulatorConfig

pytestmark = pytest.mark.slow


@pytest.fixture
def sim():
    with Simulator(SimulatorConfig(queued_s=0.5, processing_s=3.0)) as simulator:
        yield simulator


@pytest.fixture
def image(tmp_path: Path) -> Path:
    path = tmp_path / "photo.png"
    path.write_bytes(png_bytes(320, 240))
    return path


def start_engine(sim: Simulator, *images: Path) -> subprocess.Popen:
    env = dict(os.environ, NOVITA_API_KEY="sk-durable-test", NOVITA_API_BASE_URL=sim.base_url,
               QT_QPA_PLATFORM="offscreen")
    return subprocess.Popen([sys.executable, "-m", "vidu_desktop", "--headless", "--duration", "1",
                             *map(str, images)], env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, text=True)




def only_job(store: JobStore):
    ids = store.ids()
    return store.get(ids[0]) if len(ids) == 1 else None


def kill_hard(process: subprocess.Popen) -> None:
    process.send_signal(signal.SIGKILL)
    process.wait(10)


def kill_when(engine: subprocess.Popen, condition, timeout_s: float, what: str) -> None:
    """Watch the job store from outside and kill -9 the engine the moment `condition(job)` holds."""
    store = JobStore(paths.job_database())
    wait_for(lambda: (job := only_job(store)) and condition(job), timeout_s, what)
    kill_hard(engine)
    store.close()


def finish(sim: Simulator, report: dict, exit_code: int = 0) -> object:
    """Start the engine again with nothing new to do; it resumes and exits when all is settled:
    0 when the job ended with a video, 1 when it did not (uncertain, failed)."""
    again = start_engine(sim)
    assert again.wait(120) == exit_code, again.stderr.read()
    store = JobStore(paths.job_database())
    job = only_job(store)
    assert store.integrity_ok()
    report.update(state=job.state.value, submissions_seen_by_server=sim.stats.submissions,
                  submissions_recorded=job.submissions)
    store.close()
    print(f"\nafter restart: {report}")
    return job


def test_killed_while_submitting_comes_back_uncertain_and_is_not_resent(sim, image, record_property):
    sim.faults.add("slow", route="submit", count=1, delay=3)
    engine = start_engine(sim, image)
    # The server counts the request on arrival, then holds its answer back for 3 s: kill then.
    wait_for(lambda: sim.stats.submissions == 1, 30, "the request to reach the server")
    kill_hard(engine)
    report: dict = {}
    job = finish(sim, report, exit_code=1)  # found uncertain by this start: not a video
    record_property("kill_while_submitting", report)
    assert job.state is JobState.UNCERTAIN and job.task_id is None
    assert sim.stats.submissions == 1  # never sent again on its own


def test_killed_while_polling_resumes_to_done(sim, image, record_property):
    engine = start_engine(sim, image)
    kill_when(engine, lambda job: job.task_id and job.state in (JobState.QUEUED, JobState.PROCESSING),
              30, "the job to be polled")
    report: dict = {}
    job = finish(sim, report)
    record_property("kill_while_polling", report)
    assert job.state is JobState.DONE, job.error
    assert looks_like_mp4(Path(job.video_path))
    assert sim.stats.submissions == 1 and job.submissions == 1


def test_killed_while_downloading_resumes_to_done(sim, image, record_property):
    sim.faults.add("slow", route="download", count=1, delay=5)
    engine = start_engine(sim, image)
    kill_when(engine, lambda job: job.state is JobState.DOWNLOADING, 60, "the download to start")
    report: dict = {}
    job = finish(sim, report)
    record_property("kill_while_downloading", report)
    assert job.state is JobState.DONE, job.error
    assert looks_like_mp4(Path(job.video_path))
    assert not list(Path(job.video_path).parent.glob("*.part"))
    assert sim.stats.submissions == 1 and job.submissions == 1


def test_killed_before_sending_is_sent_once_after_restart(sim, tmp_path, record_property):
    # A huge picture keeps the engine busy fitting it before anything is sent.
    from PySide6.QtGui import QImage

    big = tmp_path / "big.jpg"
    picture = QImage(os.urandom(4000 * 3000 * 3), 4000, 3000, 4000 * 3, QImage.Format.Format_RGB888)
    assert picture.save(str(big), "JPEG", 95)
    engine = start_engine(sim, big)
    store = JobStore(paths.job_database())
    wait_for(lambda: only_job(store), 30, "the job to be stored")
    job = only_job(store)
    if job.submissions:  # the machine was quicker than the kill: nothing to learn here
        engine.wait(60)
        pytest.skip("the submit left before the engine could be killed")
    kill_hard(engine)
    store.close()
    report: dict = {}
    job = finish(sim, report)
    record_property("kill_before_sending", report)
    assert job.state is JobState.DONE, job.error
    assert sim.stats.submissions == 1 and job.submissions == 1
