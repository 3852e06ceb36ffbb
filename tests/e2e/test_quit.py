"""Quitting never waits on the network: SIGTERM or SIGINT ends the app within 3 s while a
request hangs, and the job it was working on can carry on at the next start."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.images import png_bytes
from tests.waiting import wait_for
from vidu_desktop import paths
from vidu_desktop.core.job import Job
from vidu_desktop.core.lifecycle import JobState
from vidu_desktop.core.request import VideoSettings
from vidu_desktop.core.store import JobStore
from vidu_desktop.simulator.server import Simulator, SimulatorConfig

pytestmark = pytest.mark.slow
QUIT_WITHIN_S = 3.0


def reached(sim: Simulator, route: str) -> bool:
    if route == "submit":
        return sim.stats.submissions >= 1
    if route == "result":
        return bool(sim.stats.polls)
    return sim.stats.downloads >= 1


@pytest.mark.parametrize("program, route, how", [
    ("vidu_desktop", "submit", signal.SIGTERM),
    ("vidu_desktop", "submit", signal.SIGINT),
    ("vidu_desktop", "result", signal.SIGTERM),
    ("vidu_desktop", "download", signal.SIGINT),
    ("vidu_desktop.headless", "submit", signal.SIGTERM),
    ("vidu_desktop.headless", "result", signal.SIGTERM),
])
def test_quit_while_a_request_hangs_is_quick_and_the_job_resumable(tmp_path: Path, program, route, how):
    image = tmp_path / "photo.png"
    image.write_bytes(png_bytes(320, 240))
    with Simulator(SimulatorConfig(queued_s=0.2, processing_s=0.5)) as sim:
        sim.faults.add("slow", route=route, count=1, delay=60)
        store = JobStore(paths.job_database())  # a job that was never sent: the app sends it at start
        store.add(Job(settings=VideoSettings(duration=1, audio=False), image_source=str(image),
                      server=sim.base_url))
        store.close()
        env = dict(os.environ, NOVITA_API_KEY="sk-quit-test", NOVITA_API_BASE_URL=sim.base_url,
                   QT_QPA_PLATFORM="offscreen")
        app = subprocess.Popen([sys.executable, "-m", program], env=env,
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        try:
            wait_for(lambda: reached(sim, route), 60, f"the {route} request to reach the server")
            started = time.monotonic()
            app.send_signal(how)
            code = app.wait(30)
            took = time.monotonic() - started
        finally:
            if app.poll() is None:
                app.kill()
                app.wait()
        # A stopped headless run did not end every job with a video: it says so with 1.
        assert code == (1 if program == "vidu_desktop.headless" else 0), app.stderr.read() if app.stderr else ""
        assert took < QUIT_WITHIN_S, f"quitting took {took:.2f} s"

        store = JobStore(paths.job_database())
        [resumable] = store.recover_after_start() or [None]
        [job] = store.list()
        store.close()
    assert job.submissions == 1 and sim.stats.submissions == 1
    if route == "submit":  # its answer never came: the user decides, nothing is sent again
        assert job.state is JobState.UNCERTAIN and resumable is None
    else:  # the task exists: the next start polls or downloads it
        assert job.task_id and resumable is not None and resumable.id == job.id
