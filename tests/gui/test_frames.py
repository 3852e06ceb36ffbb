"""FrameGrabber against real decoding: MPEG-4 files made by the simulator's renderer,
checked against ffprobe (size) and ffmpeg (what the last frame looks like)."""

from __future__ import annotations

import json
import shutil
import subprocess
import time
from pathlib import Path

import pytest
from PySide6.QtCore import QBuffer, QByteArray, QIODevice
from PySide6.QtGui import QColor, QImage, QPainter
from pytestqt.qtbot import QtBot

from vidu_desktop.core.library import frame_file_name
from vidu_desktop.media import frames
from vidu_desktop.media.frames import FrameGrabber, is_blank, save_frame
from vidu_desktop.simulator.video import render_video

from .test_player import BAD_MEDIA, QT_NOISE, _open_fds_for

pytestmark = [pytest.mark.gui, pytest.mark.qt_log_ignore(*QT_NOISE)]

TIMEOUT_MS = 15_000


def _striped_png() -> bytes:
    """Eight coloured bands with a light-to-dark ramp: a pan across it changes every frame."""
    image = QImage(640, 360, QImage.Format.Format_RGB32)
    painter = QPainter(image)
    for band in range(8):
        for step in range(4):
            painter.fillRect(band * 80 + step * 20, 0, 20, 360, QColor.fromHsv(band * 45, 200, 255 - step * 50))
    painter.end()
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")  # type: ignore[call-overload]
    return bytes(data.data())


@pytest.fixture(scope="module")
def sim_video(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A 3 s 1280×720 24 fps pan with sound, as the simulator makes for a 720p job."""
    path = tmp_path_factory.mktemp("frames") / "harbour_720p_3s.mp4"
    render_video(_striped_png(), path, duration_s=3, height=720, audio=True, fast=False, motion="pan")
    return path


def _tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        pytest.fail(f"{name} is needed (it is in the Makefile's system packages)")
    return found


def _probe_size(path: Path) -> tuple[int, int]:
    out = subprocess.run([_tool("ffprobe"), "-v", "error", "-select_streams", "v:0", "-show_entries",
                          "stream=width,height", "-of", "json", str(path)],
                         check=True, capture_output=True, text=True, timeout=60).stdout
    stream = json.loads(out)["streams"][0]
    return int(stream["width"]), int(stream["height"])


def _ffmpeg_frame(path: Path, out: Path, *seek: str) -> QImage:
    subprocess.run([_tool("ffmpeg"), "-nostdin", "-loglevel", "error", "-y", *seek, "-i", str(path),
                    "-frames:v", "1", str(out)], check=True, timeout=60)
    image = QImage(str(out))
    assert not image.isNull()
    return image.convertToFormat(QImage.Format.Format_RGB32)


def _difference(a: QImage, b: QImage) -> float:
    """Mean absolute difference per channel (0-255) on a 32×18 grid."""
    assert a.size() == b.size()
    total, n = 0, 0
    for gy in range(18):
        for gx in range(32):
            x, y = gx * a.width() // 32 + 5, gy * a.height() // 18 + 5
            ca, cb = a.pixelColor(x, y), b.pixelColor(x, y)
            total += abs(ca.red() - cb.red()) + abs(ca.green() - cb.green()) + abs(ca.blue() - cb.blue())
            n += 3
    return total / n


@pytest.fixture
def grabber(qtbot: QtBot) -> FrameGrabber:
    return FrameGrabber(timeout_ms=TIMEOUT_MS)


def test_last_frame_is_the_videos_end_at_full_size(qtbot: QtBot, grabber: FrameGrabber, sim_video: Path,
                                                   tmp_path: Path) -> None:
    width, height = _probe_size(sim_video)
    assert (width, height) == (1280, 720)
    started = time.monotonic()
    with qtbot.waitSignal(grabber.frameReady, timeout=TIMEOUT_MS, raising=True) as ready:
        grabber.grab_last(sim_video)
    elapsed_ms = (time.monotonic() - started) * 1000
    path, position_ms, image = ready.args
    print(f"last frame of a 3 s 720p video in {elapsed_ms:.0f} ms")
    assert path == str(sim_video)
    assert (image.width(), image.height()) == (width, height)
    assert not is_blank(image)
    assert 2_900 <= position_ms < 3_000  # the 72nd frame of 72 starts at 2958 ms
    qtbot.waitUntil(lambda: not _open_fds_for(sim_video), timeout=TIMEOUT_MS)  # the file is let go

    last = _ffmpeg_frame(sim_video, tmp_path / "last.png", "-sseof", "-0.1")
    first = _ffmpeg_frame(sim_video, tmp_path / "first.png")
    to_last, to_first = _difference(image, last), _difference(image, first)
    # The same picture, give or take the colour matrix: under Xvfb Qt converts YUV with other
    # coefficients than ffmpeg's (about 7 here; 0.6 with the offscreen platform).
    assert to_last < 12, to_last
    assert to_first > 3 * to_last, (to_first, to_last)  # and clearly not the start (about 40)


def test_frame_at_a_position(qtbot: QtBot, grabber: FrameGrabber, sim_video: Path, tmp_path: Path) -> None:
    with qtbot.waitSignal(grabber.frameReady, timeout=TIMEOUT_MS) as ready:
        grabber.grab_at(sim_video, 1_500)
    _, position_ms, image = ready.args
    assert abs(position_ms - 1_500) <= 42  # the frame shown at 1.5 s (24 fps)
    reference = _ffmpeg_frame(sim_video, tmp_path / "mid.png", "-ss", "1.5")
    assert image.size() == reference.size() and _difference(image, reference) < 12


@pytest.mark.qt_log_ignore(*QT_NOISE, BAD_MEDIA)
def test_requests_answer_in_order_and_failures_in_words(qtbot: QtBot, grabber: FrameGrabber, sim_video: Path,
                                                        tmp_path: Path) -> None:
    bogus = tmp_path / "notes.mp4"
    bogus.write_text("not a video\n" * 100)
    answers: list[tuple[str, str]] = []
    grabber.frameReady.connect(lambda p, _ms, _img: answers.append(("frame", Path(p).name)))
    grabber.failed.connect(lambda p, words: answers.append((words, Path(p).name)))
    grabber.grab_last(tmp_path / "gone.mp4")
    grabber.grab_at(sim_video, 0)
    grabber.grab_last(bogus)
    grabber.grab_last(sim_video)
    assert answers == [] and grabber.busy()  # nothing is answered inside the call
    qtbot.waitUntil(lambda: len(answers) == 4, timeout=3 * TIMEOUT_MS)
    assert [name for _, name in answers] == ["gone.mp4", sim_video.name, "notes.mp4", sim_video.name]
    assert answers[0][0] == "No frame could be taken from “gone.mp4”: the file “gone.mp4” was not found."
    assert answers[1][0] == answers[3][0] == "frame"
    assert answers[2][0].startswith("No frame could be taken from “notes.mp4”: ") and answers[2][0].endswith(".")
    assert not grabber.busy()


def test_times_out_in_words(qtbot: QtBot, sim_video: Path) -> None:
    grabber = FrameGrabber(timeout_ms=1)
    with qtbot.waitSignal(grabber.failed, timeout=TIMEOUT_MS) as failed:
        grabber.grab_last(sim_video)
    assert failed.args[1] == f"No frame could be taken from “{sim_video.name}”: no picture came out of it within 1 s."
    # The next request with room to work still succeeds.
    with qtbot.waitSignal(grabber.frameReady, timeout=TIMEOUT_MS):
        grabber.grab_last(sim_video, timeout_ms=TIMEOUT_MS)


def test_without_qt_multimedia(qtbot: QtBot, monkeypatch: pytest.MonkeyPatch, sim_video: Path) -> None:
    monkeypatch.setattr(frames, "_import_multimedia", lambda: None)
    grabber = FrameGrabber()
    with qtbot.waitSignal(grabber.failed, timeout=1000) as failed:
        grabber.grab_last(sim_video)
    assert failed.args[1].endswith(": Qt Multimedia is missing on this system.")


def test_save_frame_names_and_never_overwrites(tmp_path: Path) -> None:
    image = QImage(64, 36, QImage.Format.Format_RGB32)
    image.fill(QColor("teal"))
    assert is_blank(image)
    assert frame_file_name("/videos/harbour 2026:11.mp4", 4958) == "harbour_2026_11_frame-4.96s.png"
    first = save_frame(image, tmp_path / "frames", "/videos/harbour.mp4", 4958)
    second = save_frame(image, tmp_path / "frames", "/videos/harbour.mp4", 4958)
    assert first.name == "harbour_frame-4.96s.png" and second.name == "harbour_frame-4.96s-2.png"
    assert QImage(str(second)).size() == image.size()
    assert {p.name for p in (tmp_path / "frames").iterdir()} == {first.name, second.name}  # no leftovers
