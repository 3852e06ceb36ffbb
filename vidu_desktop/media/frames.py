"""One frame of a video file as a QImage, at the video's full resolution, without blocking.

"Continue from last frame" and the player's "Use this frame" both need a still picture to
send as a new job's image. QtMultimedia decodes it: a QMediaPlayer (no audio output, no
window) writes into a QVideoSink; the player is paused and seeked, and the FFmpeg backend
decodes, on its own threads, from the key frame before the position up to the frame shown
there. The GUI thread only gets the frame's signal. Checked here (Qt 6.11, 1280×720 MPEG-4
Part 2 from the simulator): the last frame arrives about 10 ms after the file is loaded.

QtMultimedia is imported on the first request, never at import time (it costs ~0.2 s and
needs libpulse): a window that owns a FrameGrabber pays nothing until a frame is asked for.

Requests are served one at a time, each with its own media player, and each is bounded by
a timeout: a file that never loads or never yields a frame ends in `failed` with words.
"""

from __future__ import annotations

import importlib
import logging
import math
import os
import time
from collections import deque
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

from PySide6.QtCore import QObject, QTimer, QUrl, Signal
from PySide6.QtGui import QImage

from ..core.library import frame_file_name

__all__ = ["DEFAULT_TIMEOUT_MS", "LAST", "FrameGrabber", "is_blank", "save_frame"]

log = logging.getLogger(__name__)

DEFAULT_TIMEOUT_MS = 15_000
LAST = -1  # position_ms for "the last frame"
# After the first frame that answers a request, how long to wait for a later, better one
# (a backend may first show the frame it had before the seek).
_SETTLE_MS = 120


def _import_multimedia() -> ModuleType | None:
    """PySide6.QtMultimedia on first use; None when it cannot be loaded (tests replace this)."""
    try:
        return importlib.import_module("PySide6.QtMultimedia")
    except (ImportError, OSError) as exc:  # OSError: a shared library that will not load
        log.warning("Qt Multimedia is unavailable: %s", exc)
        return None


def is_blank(image: QImage, tolerance: int = 6) -> bool:
    """True for a null image or one of a single colour (within `tolerance` per channel),
    judged on a 16×16 grid of samples: cheap even for a 4K frame."""
    if image.isNull() or image.width() <= 0 or image.height() <= 0:
        return True
    w, h = image.width(), image.height()
    first = image.pixelColor(0, 0)
    for gy in range(16):
        for gx in range(16):
            c = image.pixelColor(min(w - 1, gx * w // 16 + w // 32), min(h - 1, gy * h // 16 + h // 32))
            if max(abs(c.red() - first.red()), abs(c.green() - first.green()),
                   abs(c.blue() - first.blue())) > tolerance:
                return False
    return True


def save_frame(image: QImage, folder: Path, video_path: str | Path, position_ms: int) -> Path:
    """Write `image` as a PNG in `folder` under frame_file_name (made unique); returns the
    path. Safe to call in a worker thread (QImage only). OSError when it cannot be written."""
    if image.isNull():
        raise ValueError("no picture to save")
    folder.mkdir(parents=True, exist_ok=True)
    name = Path(frame_file_name(video_path, position_ms))
    path = folder / name
    n = 1
    while path.exists():
        n += 1
        path = folder / f"{name.stem}-{n}{name.suffix}"
    part = path.with_name(f".{path.name}.{os.getpid()}.{time.monotonic_ns()}.part")
    try:
        if not image.save(str(part), "PNG"):  # type: ignore[call-overload]  # the stubs say bytes; Qt takes str
            raise OSError(f"could not write the frame to {path}")
        os.replace(part, path)
    finally:
        part.unlink(missing_ok=True)
    return path


@dataclass
class _Request:
    path: str
    position_ms: int  # LAST for the last frame
    timeout_ms: int


class FrameGrabber(QObject):
    """Frames from video files, one request at a time, answered by a signal.

    grab_last(path) / grab_at(path, position_ms) return at once. Exactly one of
    frameReady(path, position_ms, image) or failed(path, words) follows for each request,
    in the order asked. `position_ms` in frameReady is where the frame really starts
    (for the last frame: its start time, e.g. 4958 in a 5 s video at 24 fps). The image
    is Format_RGB32 at the video's own size.
    """

    frameReady = Signal(str, int, QImage)
    failed = Signal(str, str)  # path, a sentence for the user

    def __init__(self, parent: QObject | None = None, *, timeout_ms: int = DEFAULT_TIMEOUT_MS) -> None:
        super().__init__(parent)
        self._timeout_ms = max(1, int(timeout_ms))
        self._queue: deque[_Request] = deque()
        self._current: _Request | None = None
        self._mm: ModuleType | None = None
        self._player: Any = None  # QMediaPlayer of the current request
        self._sink: Any = None
        self._seeked = False
        self._best: tuple[int, QImage] | None = None  # (start ms, image) closest so far
        self._started = 0.0
        self._deadline = QTimer(self)
        self._deadline.setSingleShot(True)
        self._deadline.timeout.connect(self._on_timeout)
        self._settle = QTimer(self)
        self._settle.setSingleShot(True)
        self._settle.timeout.connect(self._finish_with_best)

    # ------------------------------------------------------------------------- API

    def grab_last(self, path: str | Path, timeout_ms: int | None = None) -> None:
        self._enqueue(_Request(str(path), LAST, timeout_ms or self._timeout_ms))

    def grab_at(self, path: str | Path, position_ms: int, timeout_ms: int | None = None) -> None:
        self._enqueue(_Request(str(path), max(0, int(position_ms)), timeout_ms or self._timeout_ms))

    def busy(self) -> bool:
        return self._current is not None or bool(self._queue)

    def cancel_all(self) -> None:
        """Forget every request, answered or not (no signal follows for them)."""
        self._queue.clear()
        self._release()

    # ---------------------------------------------------------------- one request

    def _enqueue(self, request: _Request) -> None:
        self._queue.append(request)
        if self._current is None:
            QTimer.singleShot(0, self, self._next)  # answers always come later, never inside the call

    def _next(self) -> None:
        if self._current is not None or not self._queue:
            return
        request = self._current = self._queue.popleft()
        self._started = time.monotonic()
        self._seeked, self._best = False, None
        if not Path(request.path).is_file():
            self._fail(self.tr("the file “{name}” was not found").format(name=Path(request.path).name))
            return
        if self._mm is None:
            self._mm = _import_multimedia()
        if self._mm is None:
            self._fail(self.tr("Qt Multimedia is missing on this system"))
            return
        player = self._mm.QMediaPlayer(self)
        if not player.isAvailable():
            player.deleteLater()
            self._fail(self.tr("Qt Multimedia has no working media backend on this system"))
            return
        sink = self._mm.QVideoSink(self)
        player.setVideoOutput(sink)
        self._player, self._sink = player, sink
        sink.videoFrameChanged.connect(self._on_frame)
        player.mediaStatusChanged.connect(self._on_status)
        player.errorOccurred.connect(self._on_error)
        self._deadline.start(request.timeout_ms)
        player.setSource(QUrl.fromLocalFile(str(Path(request.path).resolve())))

    def _target(self) -> int:
        assert self._current is not None and self._player is not None
        duration = int(self._player.duration())
        if self._current.position_ms == LAST:
            return max(0, duration - 1)
        return min(self._current.position_ms, duration - 1) if duration > 0 else self._current.position_ms

    def _on_status(self, status: Any) -> None:
        player = self._player
        if player is None or self._seeked:
            return
        statuses = player.MediaStatus
        if status in (statuses.LoadedMedia, statuses.BufferedMedia):
            if not player.hasVideo():
                self._fail(self.tr("it has no video track"))
                return
            self._seeked = True
            player.pause()
            player.setPosition(self._target())
        elif status == statuses.InvalidMedia:
            self._fail(self.tr("it is not a video that can be read"))

    def _on_frame(self, frame: Any) -> None:
        if self._player is None or not self._seeked or not frame.isValid():
            return
        target = self._target()
        start = frame.startTime() // 1000 if frame.startTime() >= 0 else self._player.position()
        end = frame.endTime() // 1000 if frame.endTime() >= 0 else start
        if self._best is not None and abs(self._best[0] - target) <= abs(start - target):
            return
        image = frame.toImage()
        if image.isNull():
            return
        self._best = (start, image.convertToFormat(QImage.Format.Format_RGB32))
        if start <= target <= end or (self._current is not None and self._current.position_ms == LAST
                                       and end >= target):
            self._finish_with_best()  # exactly the frame asked for
        elif not self._settle.isActive():
            self._settle.start(_SETTLE_MS)

    def _finish_with_best(self) -> None:
        request, best = self._current, self._best
        if request is None or best is None:
            return
        start, image = best
        log.info("frame of %s at %d ms (%d×%d) in %.0f ms", Path(request.path).name, start,
                 image.width(), image.height(), (time.monotonic() - self._started) * 1000)
        self._release()
        self.frameReady.emit(request.path, start, image)
        self._schedule_next()

    def _on_error(self, error: Any, detail: str) -> None:
        if self._player is None or error == self._player.Error.NoError:
            return
        detail = detail.strip().rstrip(".")
        self._fail(detail or self.tr("it could not be read"))

    def _on_timeout(self) -> None:
        if self._best is not None:  # something close enough came: better than nothing
            self._finish_with_best()
            return
        seconds = math.ceil((self._current.timeout_ms if self._current else self._timeout_ms) / 1000)
        self._fail(self.tr("no picture came out of it within {seconds} s").format(seconds=seconds))

    def _fail(self, reason: str) -> None:
        request = self._current
        if request is None:
            return
        self._release()
        name = Path(request.path).name
        words = self.tr("No frame could be taken from “{name}”: {reason}.").format(name=name, reason=reason)
        log.warning("%s", words)
        self.failed.emit(request.path, words)
        self._schedule_next()

    def _schedule_next(self) -> None:
        if self._queue:
            QTimer.singleShot(0, self, self._next)

    def _release(self) -> None:
        """Stop and let go of the current file (Windows locks open files)."""
        self._deadline.stop()
        self._settle.stop()
        self._current, self._best, self._seeked = None, None, False
        player, sink = self._player, self._sink
        self._player = self._sink = None
        if player is not None:
            player.mediaStatusChanged.disconnect(self._on_status)
            player.errorOccurred.disconnect(self._on_error)
            player.stop()
            player.setSource(QUrl())
            player.deleteLater()
        if sink is not None:
            sink.videoFrameChanged.disconnect(self._on_frame)
            sink.deleteLater()
