"""What Qt's image decoders say while they decode: kept for the decoding thread, not logged.

Qt reports some decoding trouble only as a warning through its message handler: libjpeg's
"Corrupt JPEG data: premature end of data segment" comes with a picture that is half grey
and no error at all. So every decode runs inside decoder_messages(), which collects the
image-IO warnings raised in its own thread meanwhile; every other message (another thread's,
another category's) goes on to the handler that was installed before, untouched.

Qt has one message handler per process. Ours is installed while at least one thread
decodes (a count under a lock) and the one before it is put back when the last decode ends,
so the app's handler, or pytest-qt's in the tests, sees no difference.
"""

from __future__ import annotations

import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from PySide6.QtCore import QMessageLogContext, QtMsgType, qFormatLogMessage, qInstallMessageHandler

__all__ = ["complaints", "decoder_messages"]

_Handler = Callable[[QtMsgType, QMessageLogContext, str], Any]

_lock = threading.Lock()
_users = 0
_previous: _Handler | None = None
_local = threading.local()
# Decoder warnings that say nothing about the pixels.
_HARMLESS = ("unknown jfif revision", "unknown adobe color transform", "libpng warning")


def _on_message(mode: QtMsgType, context: QMessageLogContext, message: str) -> None:
    kept: list[str] | None = getattr(_local, "messages", None)
    if (kept is not None and mode in (QtMsgType.QtWarningMsg, QtMsgType.QtCriticalMsg)
            and (context.category or "").startswith("qt.gui.imageio")):
        kept.append(message)
        return
    previous = _previous
    if previous is not None:
        previous(mode, context, message)
    else:  # what Qt's default handler does
        sys.stderr.write(qFormatLogMessage(mode, context, message) + "\n")


@contextmanager
def decoder_messages() -> Iterator[list[str]]:
    """The image-IO warnings raised in this thread while the block runs (nested: the outer
    block gets them too)."""
    global _users, _previous
    outer: list[str] | None = getattr(_local, "messages", None)
    messages: list[str] = []
    with _lock:
        if _users == 0:
            _previous = qInstallMessageHandler(_on_message)
        _users += 1
    _local.messages = messages
    try:
        yield messages
    finally:
        _local.messages = outer
        if outer is not None:
            outer.extend(messages)
        with _lock:
            _users -= 1
            if _users == 0:
                current = qInstallMessageHandler(_previous)
                if current is not _on_message:
                    # Someone installed theirs meanwhile (it may hand messages on to ours,
                    # which hands them to _previous): leave theirs in place.
                    qInstallMessageHandler(current)
                else:
                    _previous = None


def complaints(messages: list[str]) -> list[str]:
    """The messages that say the picture itself is damaged."""
    return [m for m in messages if not any(h in m.lower() for h in _HARMLESS)]
