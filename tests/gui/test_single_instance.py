"""A second start hands its images to the running copy instead of running the jobs twice."""

import os
import subprocess
import sys

import pytest

from vidu_desktop import instance

pytestmark = pytest.mark.gui


def test_second_start_hands_images_to_the_first(qtbot):
    lock = instance.acquire_lock()
    assert lock is not None
    try:
        assert instance.acquire_lock() is None  # the same data folder is taken
        server = instance.InstanceServer()
        with qtbot.waitSignal(server.opened, timeout=5000) as opened:
            assert instance.send_to_running(["/tmp/a.png", "https://example.com/b.webp"])
        assert opened.args == [["/tmp/a.png", "https://example.com/b.webp"]]
        # and the window-less engine refuses to run beside it
        env = dict(os.environ, NOVITA_API_KEY="sk-second-copy", QT_QPA_PLATFORM="offscreen")
        second = subprocess.run([sys.executable, "-m", "vidu_desktop.headless"], env=env,
                                capture_output=True, text=True, timeout=60)
        assert second.returncode == 3 and "running" in second.stderr
    finally:
        lock.unlock()
