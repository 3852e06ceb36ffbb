"""Waiting on a condition with a deadline (never a bare sleep), and driving X with xdotool."""

from __future__ import annotations

import subprocess
import time


def wait_for(condition, timeout_s: float, what: str, poll_s: float = 0.05):
    """Return the first truthy value of condition(), or fail saying what never happened."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if value := condition():
            return value
        time.sleep(poll_s)
    raise AssertionError(f"timed out after {timeout_s} s waiting for {what}")


def xdotool(*args: str) -> str:
    return subprocess.run(["xdotool", *args], capture_output=True, text=True).stdout.strip()
