"""Make a real MP4 from a still picture: a slow Ken Burns zoom (or pan) with optional sound.

The simulator server calls `render_video`, which runs this module as a child process:
Qt's encoder needs a QGuiApplication and an event loop, and the HTTP server must not
host Qt. So this module's top level stays Qt-free; PySide6 is imported only in the child.

Encoding goes through QtMultimedia (QVideoFrameInput/QAudioBufferInput -> QMediaRecorder).
With the LGPL FFmpeg in the PySide6 wheel a request for H.264 may come out as MPEG-4
Part 2; QMediaPlayer and ffprobe read both.
"""

from __future__ import annotations

import argparse
import array
import json
import math
import os
import pathlib
import random
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # Qt stays out of the import path: only the child loads it
    from PySide6.QtGui import QImage
    from PySide6.QtMultimedia import QAudioFormat, QMediaRecorder, QVideoFrame

REALISTIC_FPS = 24
FAST_FPS = 8
FAST_MIN_HEIGHT = 90
ZOOM = 1.15  # how far the zoom goes in (and how much room the pan has)
SAMPLE_RATE = 44_100
AUDIO_CHUNK_S = 0.1


@dataclass(frozen=True)
class VideoStats:
    width: int
    height: int
    duration_s: float
    fps: int
    bytes: int
    seconds_to_make: float


class VideoRenderError(RuntimeError):
    """The child could not make the video (its stderr tail is in the message)."""


def output_size(src_w: int, src_h: int, height: int, fast: bool) -> tuple[int, int]:
    """Frame size for a source picture: even numbers, as the encoders want."""
    if fast:
        height = max(FAST_MIN_HEIGHT, height // 4)
    height -= height % 2
    width = max(2, round(height * src_w / src_h / 2) * 2)
    return width, height


# --------------------------------------------------------------------------- parent side


def render_video(
    image: bytes,
    destination: pathlib.Path,
    *,
    duration_s: int,
    height: int,
    audio: bool,
    fast: bool,
    motion: str = "zoom",
    timeout: float = 600,
    cancel: threading.Event | None = None,
) -> VideoStats:
    """Render `image` into `destination` (MP4) in a child process; atomic on success."""
    if motion not in ("zoom", "pan"):
        raise ValueError(f"motion must be 'zoom' or 'pan', not {motion!r}")
    destination = pathlib.Path(destination)
    destination.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="vidu-sim-") as tmp:
        src = pathlib.Path(tmp) / "input"
        src.write_bytes(image)
        # Same folder as the destination so the final rename is atomic; keep the .mp4
        # suffix so Qt does not append one of its own.
        tag = f"{os.getpid()}.{random.getrandbits(32):08x}"
        part = destination.with_name(f".{destination.stem}.{tag}.part.mp4")
        args = ["--image", str(src), "--out", str(part), "--duration", str(duration_s),
                "--height", str(height), "--motion", motion]
        args += ["--audio"] if audio else []
        args += ["--fast"] if fast else []
        if getattr(sys, "frozen", False):
            # A frozen app has no `-m`: its entry point forwards `--render-video ARGS...`
            # to vidu_desktop.simulator.video.main(ARGS).
            cmd = [sys.executable, "--render-video", *args]
        else:
            cmd = [sys.executable, "-m", "vidu_desktop.simulator.video", *args]
        # The child never shows a window: keep it off the user's display (and working
        # on machines with none).
        env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
        try:
            returncode, stdout, stderr = _run_child(cmd, env, timeout, cancel)
            if returncode != 0:
                raise VideoRenderError(
                    f"video render failed (exit {returncode}): {_tail(stderr)}")
            try:
                stats = VideoStats(**json.loads(stdout.strip().splitlines()[-1]))
            except (IndexError, ValueError, TypeError) as exc:
                raise VideoRenderError(
                    f"video render printed no stats: {_tail(stdout)}") from exc
            os.replace(part, destination)
            return stats
        finally:
            part.unlink(missing_ok=True)


def _run_child(cmd: list[str], env: dict[str, str], timeout: float,
               cancel: threading.Event | None) -> tuple[int, str, str]:
    """Run the renderer; kill it on timeout or when `cancel` is set (its owner is stopping)."""
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            encoding="utf-8", errors="replace", env=env)
    deadline = time.monotonic() + timeout
    while True:
        try:
            stdout, stderr = proc.communicate(timeout=0.25)
            return proc.returncode, stdout, stderr
        except subprocess.TimeoutExpired:
            cancelled = cancel is not None and cancel.is_set()
            if cancelled or time.monotonic() > deadline:
                proc.kill()
                _, stderr = proc.communicate()
                why = "cancelled" if cancelled else f"timed out after {timeout:.0f} s"
                raise VideoRenderError(f"video render {why}: {_tail(stderr)}") from None


def _tail(text: str | bytes | None, limit: int = 2000) -> str:
    if isinstance(text, bytes):
        text = text.decode("utf-8", "replace")
    return (text or "").strip()[-limit:] or "(no output)"


# --------------------------------------------------------------------------- child side


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m vidu_desktop.simulator.video",
                                     description="Render a still image into an MP4.")
    parser.add_argument("--image", type=pathlib.Path, required=True)
    parser.add_argument("--out", type=pathlib.Path, required=True, help="should end in .mp4")
    parser.add_argument("--duration", type=int, required=True, help="seconds")
    parser.add_argument("--height", type=int, required=True, help="540, 720 or 1080")
    parser.add_argument("--audio", action="store_true")
    parser.add_argument("--fast", action="store_true", help="small and 8 fps, for tests")
    parser.add_argument("--motion", choices=("zoom", "pan"), default="zoom")
    ns = parser.parse_args(argv)
    if ns.duration <= 0 or ns.height < 2:
        parser.error("--duration and --height must be positive")
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # before the QGuiApplication exists
    started = time.monotonic()
    try:
        width, height, fps = _Renderer(ns).run()
    except Exception as exc:  # noqa: BLE001 - one clear line for the parent rather than a traceback
        print(f"render failed: {type(exc).__name__}: {exc}", file=sys.stderr)
        return 1
    stats = VideoStats(width, height, float(ns.duration), fps, ns.out.stat().st_size,
                       round(time.monotonic() - started, 3))
    print(json.dumps(asdict(stats)), flush=True)
    return 0


class _Renderer:
    """Feeds generated frames (and sound) to a QMediaRecorder at the pace the encoder sets.

    Back-pressure: exactly one frame/buffer per ready signal. The documented "send in a
    loop until sendVideoFrame() returns False" floods Qt 6.12 while the encoder is still
    initialising (the readiness flag is refreshed through the event loop), and the
    encoder then silently drops every frame beyond its queue of 10.
    """

    def __init__(self, ns: argparse.Namespace) -> None:
        from PySide6.QtGui import QGuiApplication

        self.app = QGuiApplication.instance() or QGuiApplication(["vidu-render"])
        self.ns = ns
        self.fps = FAST_FPS if ns.fast else REALISTIC_FPS
        self.frames_total = ns.duration * self.fps
        self.next_frame = 0  # == frames_total: end-of-stream is next; beyond: all sent
        self.pending: QVideoFrame | None = None  # drawn but refused: resend, don't redraw
        self.audio_pos = 0  # in samples; past the end once end-of-stream is sent
        self.error: str | None = None

    def run(self) -> tuple[int, int, int]:
        from PySide6.QtCore import QSize, Qt, QTimer, QUrl
        from PySide6.QtGui import QImage
        from PySide6.QtMultimedia import (
            QAudioBufferInput,
            QMediaCaptureSession,
            QMediaFormat,
            QMediaRecorder,
            QVideoFrameFormat,
            QVideoFrameInput,
        )

        ns = self.ns
        picture = _load_picture(ns.image)
        self.width, self.height = output_size(picture.width(), picture.height(), ns.height, ns.fast)
        # Scale once to just cover the fully zoomed view, so each frame's draw is cheap.
        cover = QSize(math.ceil(self.width * ZOOM), math.ceil(self.height * ZOOM))
        self.picture = picture.scaled(cover, Qt.AspectRatioMode.KeepAspectRatioByExpanding,
                                      Qt.TransformationMode.SmoothTransformation)

        recorder = QMediaRecorder()
        fmt = QMediaFormat(QMediaFormat.FileFormat.MPEG4)
        fmt.setVideoCodec(QMediaFormat.VideoCodec.H264)  # LGPL FFmpeg falls back to MPEG-4 Part 2
        fmt.setAudioCodec(QMediaFormat.AudioCodec.AAC)
        recorder.setMediaFormat(fmt)
        recorder.setVideoResolution(self.width, self.height)
        recorder.setVideoFrameRate(self.fps)
        recorder.setQuality(QMediaRecorder.Quality.HighQuality)
        recorder.setAutoStop(True)  # finish the file once every input has sent end-of-stream
        recorder.setOutputLocation(QUrl.fromLocalFile(str(ns.out.resolve())))
        recorder.recorderStateChanged.connect(self._state_changed)
        recorder.errorOccurred.connect(self._failed)
        self.recorder = recorder
        session = QMediaCaptureSession()
        session.setRecorder(recorder)

        # Telling the input the frame format up front lets the encoder open before frame 1.
        pixel_format = QVideoFrameFormat.pixelFormatFromImageFormat(QImage.Format.Format_RGB32)
        frame_format = QVideoFrameFormat(QSize(self.width, self.height), pixel_format)
        frame_format.setStreamFrameRate(self.fps)
        self.video_in = QVideoFrameInput(frame_format)
        self.video_in.readyToSendVideoFrame.connect(self._send_video)
        session.setVideoFrameInput(self.video_in)
        if ns.audio:
            self.samples = _soundtrack(ns.duration)
            self.audio_in = QAudioBufferInput(_audio_format())
            self.audio_in.readyToSendAudioBuffer.connect(self._send_audio)
            session.setAudioBufferInput(self.audio_in)

        # A stuck encoder must not hang the child forever (the parent has a timeout too).
        QTimer.singleShot(max(120, ns.duration * 30) * 1000,
                          lambda: self._failed(None, "encoder stalled"))
        recorder.record()
        self.app.exec()

        if self.error:
            raise RuntimeError(self.error)
        actual = pathlib.Path(recorder.actualLocation().toLocalFile())
        if actual != ns.out.resolve():  # Qt adds a suffix when the name lacks one
            os.replace(actual, ns.out)
        if ns.out.stat().st_size == 0:
            raise RuntimeError("recorder wrote an empty file")
        return self.width, self.height, self.fps

    def _send_video(self) -> None:
        from PySide6.QtMultimedia import QVideoFrame

        i = self.next_frame
        if i > self.frames_total:
            return
        if self.pending is None:
            if i == self.frames_total:
                self.pending = QVideoFrame()  # an empty frame means end-of-stream
            else:
                self.pending = QVideoFrame(self._draw(i))
                # Exact timestamps (µs) are what make the file exactly `duration` long.
                self.pending.setStartTime(i * 1_000_000 // self.fps)
                self.pending.setEndTime((i + 1) * 1_000_000 // self.fps)
        if self.video_in.sendVideoFrame(self.pending):
            self.pending = None
            self.next_frame += 1
        # else: refused; the next readyToSendVideoFrame retries the same frame

    def _send_audio(self) -> None:
        from PySide6.QtMultimedia import QAudioBuffer

        total = len(self.samples) // 2
        pos = self.audio_pos
        if pos > total:
            return
        chunk = int(SAMPLE_RATE * AUDIO_CHUNK_S)
        if pos == total:
            buffer = QAudioBuffer()  # end-of-stream
            step = 1  # moves audio_pos past the end: nothing more to send
        else:
            step = min(chunk, total - pos)
            buffer = QAudioBuffer(self.samples[pos * 2:(pos + step) * 2], self.audio_in.format(),
                                  pos * 1_000_000 // SAMPLE_RATE)
        if self.audio_in.sendAudioBuffer(buffer):
            self.audio_pos += step

    def _draw(self, index: int) -> QImage:
        from PySide6.QtGui import QImage, QPainter

        # Smoothstep easing: the move starts and ends gently, like a real camera.
        t = index / max(1, self.frames_total - 1)
        t = t * t * (3 - 2 * t)
        pw, ph = self.picture.width(), self.picture.height()
        base = max(self.width / pw, self.height / ph)  # the scale at which the picture just covers
        if self.ns.motion == "zoom":  # centred zoom-in from 1x to ZOOM
            scale = base * (1 + (ZOOM - 1) * t)
            cx, cy = pw / 2, ph / 2
        else:  # pan at a fixed zoom along whichever axis has more room
            scale = base * ZOOM
            view_w, view_h = self.width / scale, self.height / scale
            room_x, room_y = pw - view_w, ph - view_h
            cx = view_w / 2 + room_x * t if room_x >= room_y else pw / 2
            cy = view_h / 2 + room_y * t if room_y > room_x else ph / 2
        image = QImage(self.width, self.height, QImage.Format.Format_RGB32)  # as the input was told
        painter = QPainter(image)
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)  # sub-pixel, no judder
        painter.translate(self.width / 2, self.height / 2)
        painter.scale(scale, scale)
        painter.translate(-cx, -cy)
        painter.drawImage(0, 0, self.picture)
        painter.end()
        return image

    def _state_changed(self, state: QMediaRecorder.RecorderState) -> None:
        from PySide6.QtMultimedia import QMediaRecorder

        if state == QMediaRecorder.RecorderState.StoppedState:  # file finalised (or failed)
            self.app.quit()

    def _failed(self, _error: object, message: str) -> None:
        self.error = self.error or message or "recording failed"
        self.recorder.stop()
        self.app.quit()


def _load_picture(path: pathlib.Path) -> QImage:
    """The picture with EXIF orientation applied, or a gradient if it cannot be decoded."""
    from PySide6.QtCore import QPointF
    from PySide6.QtGui import QColor, QImage, QImageReader, QLinearGradient, QPainter

    reader = QImageReader(str(path))
    reader.setAutoTransform(True)
    image = reader.read()
    if not image.isNull():
        return image.convertToFormat(QImage.Format.Format_RGB32)
    # The simulator must still produce a video for an undecodable upload.
    image = QImage(640, 480, QImage.Format.Format_RGB32)
    gradient = QLinearGradient(QPointF(0, 0), QPointF(640, 480))
    gradient.setColorAt(0, QColor("#1d3557"))
    gradient.setColorAt(0.5, QColor("#e76f51"))
    gradient.setColorAt(1, QColor("#f4d35e"))
    painter = QPainter(image)
    painter.fillRect(image.rect(), gradient)
    painter.end()
    return image


def _audio_format() -> QAudioFormat:
    from PySide6.QtMultimedia import QAudioFormat

    fmt = QAudioFormat()
    fmt.setSampleRate(SAMPLE_RATE)
    fmt.setChannelCount(1)
    fmt.setSampleFormat(QAudioFormat.SampleFormat.Int16)
    return fmt


def _soundtrack(duration_s: int) -> bytes:
    """A quiet A3 hum with a little soft noise, faded in and out: mono 16-bit PCM."""
    rng = random.Random(1)
    n = duration_s * SAMPLE_RATE
    fade = min(n // 2, SAMPLE_RATE // 4)
    samples = array.array("h", bytes(2 * n))
    noise = 0.0
    for i in range(n):
        noise = 0.97 * noise + 0.03 * rng.uniform(-1, 1)  # low-passed, so it is soft
        value = 0.05 * math.sin(2 * math.pi * 220 * i / SAMPLE_RATE) + 0.1 * noise
        gain = min(1.0, i / fade, (n - i) / fade) if fade else 1.0
        samples[i] = int(32767 * value * gain)
    if sys.byteorder != "little":
        samples.byteswap()
    return samples.tobytes()


if __name__ == "__main__":
    sys.exit(main())
