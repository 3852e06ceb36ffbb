"""Review of the last-frame grabber (media.frames) with files that are no video at all: each
ends in `failed` with words, well before the grabber's own deadline, and never hangs."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from vidu_desktop.media.frames import FrameGrabber

from .test_player import BAD_MEDIA, QT_NOISE

pytestmark = [pytest.mark.gui, pytest.mark.qt_log_ignore(*QT_NOISE, BAD_MEDIA)]

GRABBER_DEADLINE_MS = 20_000


def _answer(qtbot: QtBot, path: Path) -> tuple[str, float]:
    grabber = FrameGrabber(timeout_ms=GRABBER_DEADLINE_MS)
    started = time.monotonic()
    with qtbot.waitSignal(grabber.failed, timeout=GRABBER_DEADLINE_MS + 5000) as failed:
        grabber.grab_last(path)
    return failed.args[1], time.monotonic() - started


@pytest.mark.parametrize("kind", ["empty", "zeros", "text", "folder", "pipe", "missing"])
def test_what_is_not_a_video_fails_in_words(qtbot: QtBot, tmp_path: Path, kind: str) -> None:
    path = tmp_path / "clip.mp4"
    if kind == "empty":
        path.write_bytes(b"")
    elif kind == "zeros":
        path.write_bytes(b"\0" * 65536)
    elif kind == "text":
        path.write_text("not a video\n" * 100)
    elif kind == "folder":
        path.mkdir()
    elif kind == "pipe":
        os.mkfifo(path)
    words, took = _answer(qtbot, path)
    assert words.startswith("No frame could be taken from “clip.mp4”: ") and words.endswith(".")
    assert took < GRABBER_DEADLINE_MS / 1000 / 2, f"{kind}: {took:.1f} s, close to the deadline"
