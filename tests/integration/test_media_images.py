"""Image preparation with real Qt codecs: judged by content, checked, fitted under the limits."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import struct
import time
import zlib
from pathlib import Path

import pytest
from PySide6.QtCore import QBuffer, QByteArray, QIODevice
from PySide6.QtGui import QImage, QImageIOHandler, QImageReader, QImageWriter

from vidu_desktop.core.request import MAX_INLINE_IMAGE_BYTES, image_problems
from vidu_desktop.media import images
from vidu_desktop.media.images import (
    ImageRejected,
    check_image,
    prepare_image,
    prepare_image_bytes,
    thumbnail_png,
)

# ------------------------------------------------------------------------- helpers


def noise(width: int, height: int) -> QImage:
    """Random pixels, so JPEG and PNG cannot compress them to nothing."""
    return QImage(os.urandom(width * height * 3), width, height, width * 3,
                  QImage.Format.Format_RGB888).copy()


def two_halves(width: int, height: int) -> QImage:
    """Left half red, right half blue: shows which way an image was turned."""
    row = b"\xff\x00\x00" * (width // 2) + b"\x00\x00\xff" * (width - width // 2)
    return QImage(row * height, width, height, width * 3, QImage.Format.Format_RGB888).copy()


def gradient(width: int, height: int) -> QImage:
    """Smooth and cheap to encode: big in pixels, small in bytes."""
    row = bytes((x * 255 // max(1, width - 1)) for x in range(width))
    rgb = b"".join(bytes((v, 128, 255 - v)) for v in row)
    return QImage(rgb * height, width, height, width * 3, QImage.Format.Format_RGB888).copy()


def encode(image: QImage, fmt: str, quality: int = -1) -> bytes:
    array = QByteArray()
    buffer = QBuffer(array)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    writer = QImageWriter(buffer, fmt.encode())
    writer.setQuality(quality)
    assert writer.write(image), writer.errorString()
    return array.data()


def decode(data: bytes) -> tuple[QImage, QImageIOHandler.Transformation]:
    array = QByteArray(data)
    buffer = QBuffer(array)
    buffer.open(QIODevice.OpenModeFlag.ReadOnly)
    reader = QImageReader(buffer)
    transformation = reader.transformation()
    image = reader.read()
    assert not image.isNull(), reader.errorString()
    return image, transformation


def with_exif_orientation(jpeg: bytes, orientation: int) -> bytes:
    """Insert an APP1 Exif segment holding one IFD entry, Orientation (0x0112), after SOI."""
    entry = struct.pack("<HHIHH", 0x0112, 3, 1, orientation, 0)  # SHORT, count 1, inline value
    tiff = b"II*\x00" + struct.pack("<I", 8) + struct.pack("<H", 1) + entry + struct.pack("<I", 0)
    payload = b"Exif\x00\x00" + tiff
    app1 = b"\xff\xe1" + struct.pack(">H", len(payload) + 2) + payload
    assert jpeg[:2] == b"\xff\xd8"
    return jpeg[:2] + app1 + jpeg[2:]


def write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


def assert_thumbnail(png: bytes, width: int, height: int) -> None:
    assert png.startswith(b"\x89PNG")
    image, _ = decode(png)
    assert (image.width(), image.height()) == (width, height)


@pytest.fixture(scope="module")
def big_jpeg(tmp_path_factory) -> Path:
    """6000×4000 noise: about 22 MB (at quality 100 pure noise would pass 50 MB)."""
    path = tmp_path_factory.mktemp("big") / "big.jpg"
    path.write_bytes(encode(noise(6000, 4000), "jpeg", 90))
    assert path.stat().st_size > MAX_INLINE_IMAGE_BYTES
    return path


# --------------------------------------------------------------------------- cases


def test_small_png_is_sent_untouched(tmp_path):
    data = encode(noise(300, 200), "png")
    path = write(tmp_path / "small.png", data)

    check = check_image(path)
    assert (check.width, check.height, check.format, check.file_bytes) == (300, 200, "png", len(data))
    assert check.problems == [] and check.source == str(path)

    prepared = prepare_image(path, "720p")
    assert prepared.data == data
    assert (prepared.media_type, prepared.width, prepared.height, prepared.note) == (
        "image/png", 300, 200, "")
    assert prepared.data_uri().startswith("data:image/png;base64,iVBOR")
    assert_thumbnail(prepared.thumbnail_png, 160, 107)
    assert_thumbnail(thumbnail_png(path), 160, 107)
    assert_thumbnail(thumbnail_png(path, 50), 50, 33)


def test_format_is_judged_by_content_not_name(tmp_path):
    data = encode(noise(320, 240), "jpeg", 90)
    path = write(tmp_path / "really-a-jpeg.png", data)

    check = check_image(path)
    assert (check.format, check.width, check.height, check.problems) == ("jpeg", 320, 240, [])
    prepared = prepare_image(path, "540p")
    assert prepared.data == data and prepared.media_type == "image/jpeg" and prepared.note == ""
    assert prepared.data_uri().startswith("data:image/jpeg;base64,")
    assert_thumbnail(prepared.thumbnail_png, 160, 120)


def test_text_named_jpg_is_rejected_in_words(tmp_path):
    path = write(tmp_path / "photo.jpg", b"This is not a picture, it is a shopping list.\n")

    check = check_image(path)
    assert check.format == "" and check.problems == ["it is not a JPEG, PNG or WebP image"]
    with pytest.raises(ImageRejected) as caught:
        prepare_image(path, "720p")
    assert str(caught.value) == "photo.jpg is not a JPEG, PNG or WebP image."
    assert thumbnail_png(path) == b""


def test_empty_file_is_rejected(tmp_path):
    path = write(tmp_path / "empty.png", b"")

    check = check_image(path)
    assert (check.file_bytes, check.problems) == (0, ["the file is empty"])
    with pytest.raises(ImageRejected, match=r"^empty\.png is empty\.$"):
        prepare_image(path, "720p")


def test_missing_file_is_a_problem_not_a_crash(tmp_path):
    check = check_image(tmp_path / "gone.jpg")
    assert len(check.problems) == 1 and check.problems[0].startswith("it could not be read")
    with pytest.raises(ImageRejected, match=r"^gone\.jpg could not be read"):
        prepare_image(tmp_path / "gone.jpg", "720p")


def test_aspect_ratio_limits(tmp_path):
    too_wide = write(tmp_path / "banner.png", encode(gradient(1000, 200), "png"))  # 5:1
    widest = write(tmp_path / "strip.png", encode(gradient(800, 200), "png"))  # 4:1
    too_tall = write(tmp_path / "pole.png", encode(gradient(200, 1000), "png"))  # 1:5

    for path in (too_wide, too_tall):
        problems = check_image(path).problems
        assert len(problems) == 1 and "1:4 to 4:1" in problems[0]
        with pytest.raises(ImageRejected) as caught:
            prepare_image(path, "720p")
        assert str(caught.value).startswith(f"{path.name}'s shape (")
        assert "outside the allowed 1:4 to 4:1 aspect ratio" in str(caught.value)

    assert check_image(widest).problems == []
    prepared = prepare_image(widest, "720p")
    assert (prepared.width, prepared.height, prepared.note) == (800, 200, "")
    assert_thumbnail(prepared.thumbnail_png, 160, 40)


def test_big_photo_is_fitted_under_the_inline_limit(big_jpeg):
    check = check_image(big_jpeg)
    assert (check.width, check.height, check.format, check.problems) == (6000, 4000, "jpeg", [])

    started = time.monotonic()
    prepared = prepare_image(big_jpeg, "720p")
    elapsed = time.monotonic() - started

    assert len(prepared.data) <= MAX_INLINE_IMAGE_BYTES
    assert prepared.media_type == "image/jpeg"
    assert min(prepared.width, prepared.height) >= 720
    assert abs(prepared.width / prepared.height - 1.5) / 1.5 < 0.01
    assert prepared.note.startswith("downscaled 6000×4000 → ")
    assert prepared.note.startswith(f"downscaled 6000×4000 → {prepared.width}×{prepared.height}, ")
    assert prepared.note.endswith(" MB")
    # What is sent is what is claimed, and the API's own check accepts it inline.
    image, _ = decode(prepared.data)
    assert (image.width(), image.height()) == (prepared.width, prepared.height)
    info, problems = image_problems(prepared.data, limit=MAX_INLINE_IMAGE_BYTES)
    assert problems == [] and info.media_type == "image/jpeg"
    assert_thumbnail(prepared.thumbnail_png, 160, 107)
    assert elapsed < 60


def test_exif_orientation_is_applied(tmp_path):
    stored = two_halves(400, 200)  # left red, right blue, as stored
    path = write(tmp_path / "sideways.jpg",
                 with_exif_orientation(encode(stored, "jpeg", 95), 6))  # 6: turn 90° clockwise

    check = check_image(path)
    assert (check.width, check.height, check.problems) == (200, 400, [])

    prepared = prepare_image(path, "1080p")  # never enlarged, even though 1080p wants more
    assert (prepared.width, prepared.height) == (200, 400)
    assert prepared.media_type == "image/jpeg"
    assert prepared.note.startswith("rotated upright, ")
    image, transformation = decode(prepared.data)
    assert (image.width(), image.height()) == (200, 400)
    assert transformation == QImageIOHandler.Transformation.TransformationNone  # no EXIF left
    # Turned clockwise, the stored left (red) is now on top and the right (blue) below.
    top, bottom = image.pixelColor(100, 50), image.pixelColor(100, 350)
    assert top.red() > 200 and top.blue() < 60
    assert bottom.blue() > 200 and bottom.red() < 60

    assert_thumbnail(prepared.thumbnail_png, 80, 160)
    assert_thumbnail(thumbnail_png(path), 80, 160)


@pytest.mark.parametrize("resolution, expected", [
    ("1080p", (4320, 1080)),  # the 3840 cap would leave 960: the short side wins
    ("540p", (3840, 960)),
])
def test_fitting_keeps_the_short_side_the_resolution_needs(tmp_path, resolution, expected):
    # Upside down (orientation 3), so it is re-encoded although it is small in bytes.
    path = write(tmp_path / "pano.jpg", with_exif_orientation(encode(gradient(8000, 2000), "jpeg"), 3))
    assert path.stat().st_size < MAX_INLINE_IMAGE_BYTES

    prepared = prepare_image(path, resolution)
    assert (prepared.width, prepared.height) == expected
    assert prepared.note.startswith(
        f"downscaled 8000×2000 → {expected[0]}×{expected[1]}, rotated upright, ")


def test_big_opaque_png_becomes_jpeg(tmp_path):
    path = write(tmp_path / "scan.png", encode(noise(2000, 1800), "png"))
    assert path.stat().st_size > MAX_INLINE_IMAGE_BYTES

    prepared = prepare_image(path, "720p")
    assert prepared.media_type == "image/jpeg" and prepared.data[:3] == b"\xff\xd8\xff"
    assert len(prepared.data) <= MAX_INLINE_IMAGE_BYTES
    assert (prepared.width, prepared.height) == (2000, 1800)
    assert prepared.note.startswith("re-encoded as JPEG, ")


def test_big_transparent_png_stays_png(tmp_path):
    width, height = 2200, 1600
    pixels = bytearray(os.urandom(width * height * 4))
    pixels[3::4] = b"\xff" * (width * height)  # opaque...
    pixels[3:400:4] = bytes(100)  # ...but for a few fully transparent pixels
    cutout = QImage(bytes(pixels), width, height, width * 4, QImage.Format.Format_RGBA8888).copy()
    path = write(tmp_path / "cutout.png", encode(cutout, "png"))
    assert path.stat().st_size > MAX_INLINE_IMAGE_BYTES

    prepared = prepare_image(path, "720p")
    assert prepared.media_type == "image/png"
    assert len(prepared.data) <= MAX_INLINE_IMAGE_BYTES
    assert min(prepared.width, prepared.height) >= 720
    assert prepared.note.startswith("downscaled 2200×1600 → ")
    image, _ = decode(prepared.data)
    assert image.hasAlphaChannel() and image.pixelColor(0, 0).alpha() < 255


@pytest.mark.skipif(b"webp" not in QImageWriter.supportedImageFormats(),
                    reason="Qt has no WebP plugin here")
def test_webp_is_accepted(tmp_path):
    data = encode(noise(300, 300), "webp", 80)
    path = write(tmp_path / "picture.webp", data)

    check = check_image(path)
    assert (check.format, check.width, check.height, check.problems) == ("webp", 300, 300, [])
    prepared = prepare_image(path, "720p")
    assert prepared.data == data and prepared.media_type == "image/webp" and prepared.note == ""
    assert_thumbnail(prepared.thumbnail_png, 160, 160)


def test_file_over_50_mb_is_rejected_without_decoding(tmp_path, monkeypatch):
    path = write(tmp_path / "huge.jpg", encode(noise(64, 48), "jpeg"))
    with path.open("r+b") as f:
        f.truncate(51 * 1024 * 1024)  # sparse: no 51 MB actually written

    def must_not_run(*args, **kwargs):
        raise AssertionError("the pixels were decoded or the file was read whole")

    monkeypatch.setattr(QImageReader, "read", must_not_run)
    monkeypatch.setattr(images._Source, "read_all", must_not_run)

    check = check_image(path)
    assert (check.width, check.height, check.format) == (64, 48, "jpeg")
    assert check.problems == ["it is 51.0 MB, more than the 50.0 MB allowed"]
    started = time.monotonic()
    with pytest.raises(ImageRejected) as caught:
        prepare_image(path, "720p")
    assert time.monotonic() - started < 2
    assert str(caught.value) == "huge.jpg is 51.0 MB, more than the 50.0 MB allowed."
    assert "50" in str(caught.value)


def test_clipboard_bytes(tmp_path):
    data = encode(noise(200, 100), "png")
    prepared = prepare_image_bytes(data, "720p")
    assert prepared.data == data and prepared.media_type == "image/png" and prepared.note == ""
    assert (prepared.width, prepared.height) == (200, 100)
    assert_thumbnail(prepared.thumbnail_png, 160, 80)

    sideways = prepare_image_bytes(with_exif_orientation(encode(two_halves(400, 200), "jpeg"), 6),
                                   "720p", name="copied.jpg")
    assert (sideways.width, sideways.height) == (200, 400) and "rotated upright" in sideways.note

    with pytest.raises(ImageRejected, match=r"^Pasted image is not a JPEG, PNG or WebP image\.$"):
        prepare_image_bytes(b"<html>not an image</html>", "720p")
    with pytest.raises(ImageRejected, match=r"^Pasted image is empty\.$"):
        prepare_image_bytes(b"", "720p")


def test_damaged_header_is_a_problem(tmp_path):
    # A valid signature and frame size, then nothing a decoder can use.
    data = encode(noise(64, 64), "png")[:40]
    path = write(tmp_path / "cut.png", data)
    check = check_image(path)
    assert check.problems, check
    with pytest.raises(ImageRejected, match=r"^cut\.png "):
        prepare_image(path, "720p")


def test_quality_then_size_steps_stop_at_the_short_side_floor(tmp_path, monkeypatch):
    # A small limit stands in for 10 MB so every step is taken on a small picture.
    monkeypatch.setattr(images, "TARGET_BYTES", 200_000)
    path = write(tmp_path / "noisy.jpg", with_exif_orientation(encode(noise(1200, 800), "jpeg", 95), 3))

    prepared = prepare_image(path, "540p")
    assert len(prepared.data) <= 200_000
    assert (prepared.width, prepared.height) == (810, 540)  # shrunk to the floor, not below
    assert prepared.note.startswith("downscaled 1200×800 → 810×540, rotated upright, ")

    monkeypatch.setattr(images, "TARGET_BYTES", 20_000)  # beyond reach at 540 px
    with pytest.raises(ImageRejected, match=r"^noisy\.jpg could not be made small enough to send"):
        prepare_image(path, "540p")


def test_transparent_png_too_big_even_at_the_floor_is_flattened_to_jpeg(tmp_path, monkeypatch):
    monkeypatch.setattr(images, "TARGET_BYTES", 300_000)
    width, height = 900, 600
    pixels = bytearray(os.urandom(width * height * 4))
    pixels[3::4] = b"\x80" * (width * height)  # half transparent everywhere
    path = tmp_path / "ghost.png"
    path.write_bytes(encode(QImage(bytes(pixels), width, height, width * 4,
                                   QImage.Format.Format_RGBA8888).copy(), "png"))
    prepared = prepare_image_bytes(path.read_bytes(), "720p", name="ghost.png")
    assert prepared.note == ""  # under the inline limit and upright: sent as it is

    monkeypatch.setattr(images, "MAX_INLINE_IMAGE_BYTES", 100_000)  # now it is too big
    prepared = prepare_image(path, "540p")
    assert prepared.media_type == "image/jpeg" and len(prepared.data) <= 300_000
    assert (prepared.width, prepared.height) == (810, 540)
    assert prepared.note.startswith("downscaled 900×600 → 810×540, ")


def test_damaged_pixels_behind_a_good_header_are_rejected(tmp_path):
    data = bytearray(encode(noise(200, 200), "png"))
    data[100:-20] = os.urandom(len(data) - 120)  # IHDR intact, the compressed pixels garbage
    path = write(tmp_path / "scrambled.png", bytes(data))
    # The whole file is walked: its chunk checksums no longer match.
    problems = check_image(path).problems
    assert len(problems) == 1 and problems[0].startswith("it is damaged: "), problems
    with pytest.raises(ImageRejected, match=r"^scrambled\.png is damaged: "):
        prepare_image(path, "720p")

    # Garbage with checksums that match: only decoding can tell.
    header = struct.pack(">IIBBBBB", 200, 200, 8, 2, 0, 0, 0)

    def chunk(kind: bytes, payload: bytes) -> bytes:
        return struct.pack(">I", len(payload)) + kind + payload + struct.pack(">I", zlib.crc32(kind + payload))

    forged = write(tmp_path / "forged.png", b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header)
                   + chunk(b"IDAT", os.urandom(5000)) + chunk(b"IEND", b""))
    assert check_image(forged).problems == []  # nothing decoded yet
    with pytest.raises(ImageRejected, match=r"^forged\.png is damaged and could not be read\.$"):
        prepare_image(forged, "720p")
