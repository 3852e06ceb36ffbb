"""Folders the app cannot use are said in words at start: never a traceback, never "already running"."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from tests.waiting import wait_for
from vidu_desktop import paths

pytestmark = [pytest.mark.slow, pytest.mark.skipif(
    not (os.environ.get("DISPLAY") and shutil.which("xdotool")),
    reason="needs an X server and xdotool (run through tests/run-headless.sh)")]


def xdotool(*args: str) -> str:
    return subprocess.run(["xdotool", *args], capture_output=True, text=True).stdout.strip()


@contextmanager
def running_app() -> Iterator[subprocess.Popen[str]]:
    """The app as a user starts it; killed afterwards if the test left it running."""
    app = subprocess.Popen([sys.executable, "-m", "vidu_desktop"], env=dict(os.environ, QT_QPA_PLATFORM="xcb"),
                           stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        yield app
    finally:
        if app.poll() is None:
            app.kill()
            app.wait()


def blocked(folder: Path) -> None:
    folder.parent.mkdir(parents=True, exist_ok=True)
    shutil.rmtree(folder, ignore_errors=True)
    folder.write_text("a file where a folder should be")


def test_a_file_where_the_data_folder_should_be_is_explained():
    blocked(paths.data_dir())
    with running_app() as app:
        def dismissed() -> bool:  # press Return on the dialog (once it is there) until the app ends
            for dialog in xdotool("search", "--name", "^Vidu Desktop$").split():
                xdotool("windowfocus", "--sync", dialog)
                xdotool("key", "--window", dialog, "Return")
            return app.poll() is not None

        wait_for(dismissed, 60, "the dialog, dismissed", poll_s=0.3)
        assert app.wait(30) == 1
    stderr = app.stderr.read() if app.stderr else ""
    assert f"cannot use its data folder {paths.data_dir()}: a file is in the way" in stderr
    assert "Traceback" not in stderr and "already running" not in stderr
    assert paths.data_dir().read_text() == "a file where a folder should be"  # left as it was


def test_a_file_where_the_log_folder_should_be_still_starts():
    blocked(paths.log_dir())
    with running_app() as app:
        wait_for(lambda: xdotool("search", "--name", "Vidu Desktop — Demo mode"), 60, "the window")
        app.send_signal(signal.SIGTERM)
        assert app.wait(30) == 0
    stderr = app.stderr.read() if app.stderr else ""
    # The log goes to the terminal instead; what must not be there is the folder's own failure.
    assert "uncaught" not in stderr and "FileExistsError" not in stderr and "NotADirectoryError" not in stderr
    assert "cannot use its log folder" in stderr or "log at None" in stderr
