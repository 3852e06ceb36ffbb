"""The simulator's video maker writes real MP4s: checked from the outside with ffprobe."""

from __future__ import annotations

import json
import pathlib
import shutil
import struct
import subprocess
import sys
import zlib

import pytest

from vidu_desktop.simulator.video import VideoRenderError, VideoStats, render_video

pytestmark = pytest.mark.skipif(shutil.which("ffprobe") is None, reason="needs ffprobe")


def make_png(width: int, height: int) -> bytes:
    """A colourful RGB PNG, written by hand so the test process never loads Qt."""
    rows = b"".join(
        b"\x00" + bytes(v for x in range(width) for v in (x * 255 // width, y * 255 // height, 128))
        for y in range(height)
    )

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows))
            + chunk(b"IEND", b""))


@pytest.fixture
def out_dir(tmp_path: pathlib.Path) -> pathlib.Path:
    """A folder of its own, so "no temp file left behind" can be checked."""
    path = tmp_path / "out"
    path.mkdir()
    return path


def probe(path: pathlib.Path) -> dict:
    out = subprocess.run(
        ["ffprobe", "-v", "error", "-show_entries", "format=duration:stream=codec_type,width,height",
         "-of", "json", str(path)],
        check=True, capture_output=True, text=True,
    ).stdout
    return json.loads(out)


def check(path: pathlib.Path, stats: VideoStats, *, duration: int, audio: bool,
          aspect: float) -> dict:
    info = probe(path)
    assert abs(float(info["format"]["duration"]) - duration) <= 0.15
    kinds = sorted(s["codec_type"] for s in info["streams"])
    assert kinds == (["audio", "video"] if audio else ["video"])
    video = next(s for s in info["streams"] if s["codec_type"] == "video")
    assert (video["width"], video["height"]) == (stats.width, stats.height)
    assert stats.width % 2 == 0 and stats.height % 2 == 0
    # Width is rounded to an even number, so the ratio may be off by up to 1 px / height.
    assert abs(stats.width / stats.height - aspect) <= 1.01 / stats.height
    assert stats.bytes == path.stat().st_size > 0
    assert stats.duration_s == duration
    return video


@pytest.mark.parametrize("audio", [False, True], ids=["silent", "audio"])
@pytest.mark.parametrize("duration", [1, 3])
def test_fast_render_has_exact_duration_size_and_tracks(out_dir, duration, audio):
    out = out_dir / "clip.mp4"
    stats = render_video(make_png(200, 150), out, duration_s=duration, height=720,
                         audio=audio, fast=True)
    check(out, stats, duration=duration, audio=audio, aspect=200 / 150)
    assert (stats.width, stats.height, stats.fps) == (240, 180, 8)  # 720 / 4, 8 fps
    assert [p.name for p in out_dir.iterdir()] == ["clip.mp4"]  # no temp file left behind


def test_pan_of_a_wide_picture(tmp_path):
    out = tmp_path / "pan.mp4"
    stats = render_video(make_png(300, 100), out, duration_s=1, height=540, audio=False,
                         fast=True, motion="pan")
    check(out, stats, duration=1, audio=False, aspect=3.0)
    assert stats.height == 134  # 540 / 4 = 135, made even


def test_not_an_image_still_gives_a_video(tmp_path):
    out = tmp_path / "fallback.mp4"
    stats = render_video(b"this is not a picture", out, duration_s=2, height=540, audio=True,
                         fast=True)
    check(out, stats, duration=2, audio=True, aspect=4 / 3)  # the gradient stand-in is 4:3


def test_exif_orientation_is_applied(tmp_path):
    if shutil.which("ffmpeg") is None:
        pytest.skip("needs ffmpeg to make a JPEG")
    plain = tmp_path / "wide.jpg"
    subprocess.run(["ffmpeg", "-v", "error", "-f", "lavfi", "-i", "testsrc2=size=320x180",
                    "-frames:v", "1", str(plain)], check=True)
    # Insert an EXIF block saying "rotate 90° clockwise" (orientation 6) after SOI.
    tiff = (b"II*\x00" + struct.pack("<IH", 8, 1) + struct.pack("<HHII", 0x0112, 3, 1, 6)
            + struct.pack("<I", 0))
    app1 = b"Exif\x00\x00" + tiff
    data = plain.read_bytes()
    rotated = data[:2] + b"\xff\xe1" + struct.pack(">H", len(app1) + 2) + app1 + data[2:]
    out = tmp_path / "portrait.mp4"
    stats = render_video(rotated, out, duration_s=1, height=720, audio=False, fast=True)
    check(out, stats, duration=1, audio=False, aspect=180 / 320)
    assert stats.height > stats.width


def test_failure_raises_with_the_childs_message(out_dir):
    out = out_dir / "never.mp4"
    with pytest.raises(VideoRenderError, match="duration"):
        render_video(make_png(40, 30), out, duration_s=0, height=720, audio=False, fast=True)
    assert list(out_dir.iterdir()) == []


def test_importing_the_module_does_not_load_qt():
    code = ("import sys, vidu_desktop.simulator.video; "
            "sys.exit(any(m.startswith('PySide6') for m in sys.modules))")
    assert subprocess.run([sys.executable, "-c", code]).returncode == 0


@pytest.mark.slow
def test_realistic_720p(tmp_path):
    out = tmp_path / "real.mp4"
    stats = render_video(make_png(640, 360), out, duration_s=2, height=720, audio=True,
                         fast=False)
    video = check(out, stats, duration=2, audio=True, aspect=16 / 9)
    assert (video["width"], video["height"], stats.fps) == (1280, 720, 24)
