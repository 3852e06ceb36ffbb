"""The app as a user starts it: a process with an image on its command line, on a real X server."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.waiting import wait_for, xdotool
from vidu_desktop import paths
from vidu_desktop.core.lifecycle import JobState
from vidu_desktop.core.store import JobStore
from vidu_desktop.simulator.server import placeholder_png

pytestmark = [pytest.mark.gui, pytest.mark.slow]






@pytest.mark.skipif(not (os.environ.get("DISPLAY") and shutil.which("xdotool")),
                    reason="needs an X server and xdotool (run through tests/run-headless.sh)")
def test_image_on_the_command_line_plus_ctrl_return_makes_a_video_that_plays(tmp_path):
    image = tmp_path / "photo.png"
    image.write_bytes(placeholder_png(480, 320))
    env = dict(os.environ, QT_QPA_PLATFORM="xcb")
    app = subprocess.Popen([sys.executable, "-m", "vidu_desktop", str(image)], env=env,
                           stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        window = wait_for(lambda: xdotool("search", "--name", "Vidu Desktop — Demo mode"), 60,
                          "the window in demo mode").split()[0]
        store = JobStore(paths.job_database())

        def press_generate() -> bool:
            # The image is checked in the background first; until then Generate is disabled.
            xdotool("windowfocus", "--sync", window)
            xdotool("key", "--window", window, "ctrl+Return")
            return wait_for_quietly(lambda: store.count() == 1, 1.0)

        wait_for(press_generate, 30, "a job after Ctrl+Return", poll_s=0)
        job_id = store.ids()[0]
        job = wait_for(lambda: (j := store.get(job_id)).state in (JobState.DONE, JobState.FAILED) and j,
                       120, "the job to finish")
        assert job.state is JobState.DONE, job.error
        assert Path(job.video_path).is_file() and job.submissions == 1
        log_text = (paths.log_dir() / "vidu-desktop.log")
        wait_for(lambda: f"playing {job.video_path}" in log_text.read_text(), 10, "the video to play")
        store.close()
        xdotool("key", "--window", window, "ctrl+q")
        assert app.wait(30) == 0
    finally:
        if app.poll() is None:
            app.kill()
            app.wait()


def wait_for_quietly(condition, timeout_s: float) -> bool:
    try:
        wait_for(condition, timeout_s, "")
        return True
    except AssertionError:
        return False
