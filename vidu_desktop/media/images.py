"""Get a local image ready to send: check it against the API's limits, then fit it.

The API takes an image inline as a Base64 data URI whose decoded bytes must stay under
10 MB (../shared/NOVITA_API.md, section 1), while the file a person drops may be a 40 MB
phone photo, sideways by EXIF, or a PNG that is really a JPEG. Everything here runs in
worker threads, never the GUI thread, so it uses only Qt's thread-safe image classes
(QImage, QImageReader, QImageWriter, QBuffer): no QPixmap, no widgets.

Limits and wording come from core.request (image_problems, the byte limits, the
resolutions); the format is judged by content (core.imageinfo via image_problems).

Memory: a big photo is decoded once, straight at the size it will be sent at when that
is smaller (libjpeg scales while decoding), so the peak is about one decoded pixel buffer
at that size plus one scaled copy and the encoded output, never several full-size copies.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QSize, Qt
from PySide6.QtGui import QColor, QImage, QImageIOHandler, QImageReader, QImageWriter, QPainter

from ..core.imageinfo import MEDIA_TYPES, ImageInfo
from ..core.request import (
    MAX_IMAGE_BYTES,
    MAX_INLINE_IMAGE_BYTES,
    RESOLUTION_HEIGHTS,
    data_uri,
    format_size,
    image_problems,
)

__all__ = [
    "ImageCheck", "ImageRejected", "PreparedImage",
    "check_image", "prepare_image", "prepare_image_bytes", "thumbnail_png",
]

# What is sent stays below the inline limit with room to spare.
TARGET_BYTES = int(MAX_INLINE_IMAGE_BYTES * 0.95)
# The video is at most 1080p: more than a 4K frame only costs upload time. Never applied
# below what the chosen resolution needs on the short side.
MAX_LONG_SIDE = 3840
JPEG_QUALITIES = (92, 88, 82, 75)
# Only for a picture already at the smallest useful size and still too big (pure noise).
LAST_RESORT_QUALITIES = (65, 55, 45)
SHRINK_STEP = 0.85  # at most this factor per dimension step
THUMBNAIL_SIZE = 160
# How much of a file is read to find its size. A JPEG frame header usually sits in the
# first few KB, behind EXIF; read on (up to a bound) when metadata is unusually large.
_HEADER_BYTES = 256 * 1024
_HEADER_BYTES_MAX = 4 * 1024 * 1024

# Qt refuses to allocate images above 256 MB by default (an 8000x8000 photo decoded).
# The setting is process-wide: raise it once, never lower what someone else set.
_ALLOCATION_LIMIT_MB = 1024
if 0 < QImageReader.allocationLimit() < _ALLOCATION_LIMIT_MB:
    QImageReader.setAllocationLimit(_ALLOCATION_LIMIT_MB)

_Transformation = QImageIOHandler.Transformation
_NO_TRANSFORM = _Transformation.TransformationNone
_FORMAT_NAMES = {"jpeg": "JPEG", "png": "PNG", "webp": "WebP"}


class ImageRejected(Exception):
    """The image cannot be sent; str() is one sentence for the user, naming the file."""


@dataclass(frozen=True)
class ImageCheck:
    """A quick look at an image file, for the preview in the form."""

    source: str
    width: int  # upright: EXIF orientation applied
    height: int
    format: str  # "jpeg", "png" or "webp", judged by content; "" when not an image
    file_bytes: int
    problems: list[str] = field(default_factory=list)  # image_problems wording; [] = accepted


@dataclass(frozen=True)
class PreparedImage:
    """What is sent for one image, and what was done to get there."""

    data: bytes
    media_type: str
    width: int  # of what is sent, upright
    height: int
    note: str  # "" when the original bytes are sent as they are, else what was done
    thumbnail_png: bytes  # upright, longest side 160 px

    def data_uri(self) -> str:
        return data_uri(self.data, self.media_type)


# ------------------------------------------------------------------------------ API


def check_image(path: Path) -> ImageCheck:
    """Format, upright size and problems, from the file's header (fast even for 50 MB)."""
    return _look(_Source.file(Path(path))).check


def prepare_image(path: Path, resolution: str) -> PreparedImage:
    """The image as it will be sent: the original bytes when they fit, else fitted."""
    return _prepare(_Source.file(Path(path)), resolution)


def prepare_image_bytes(data: bytes, resolution: str, name: str = "pasted image") -> PreparedImage:
    """The same for image data held in memory (the clipboard)."""
    return _prepare(_Source.memory(bytes(data), name), resolution)


def thumbnail_png(path: Path, size: int = THUMBNAIL_SIZE) -> bytes:
    """An upright PNG thumbnail, longest side `size` (never enlarged); b"" when unreadable."""
    source = _Source.file(Path(path))
    look = _look(source)
    if look.info is None or not look.stored.isValid():
        return b""
    width, height = _fit_box(look.check.width, look.check.height, size)
    reader = source.reader(look.info.format)
    reader.setAutoTransform(True)
    reader.setScaledSize(_stored_size(width, height, look.transform))
    image = reader.read()
    if image.isNull():
        return b""
    return _thumbnail(image, size)


# ------------------------------------------------------------------------- sources


class _Source:
    """Where the bytes are: a file (read through Qt in pieces) or memory."""

    def __init__(self, label: str, path: Path | None, data: bytes | None) -> None:
        self.label, self.path, self.data = label, path, data
        self._buffers: list[tuple[QByteArray, QBuffer]] = []  # a reader owns neither

    @classmethod
    def file(cls, path: Path) -> _Source:
        return cls(path.name or str(path), path, None)

    @classmethod
    def memory(cls, data: bytes, name: str) -> _Source:
        return cls(name, None, data)

    @property
    def source(self) -> str:
        return str(self.path) if self.path is not None else self.label

    def reader(self, fmt: str) -> QImageReader:
        if self.data is None:
            reader = QImageReader(str(self.path), fmt.encode())
        else:
            array = QByteArray(self.data)
            buffer = QBuffer(array)  # reads `array` in place: keep both alive
            buffer.open(QIODevice.OpenModeFlag.ReadOnly)
            self._buffers.append((array, buffer))
            reader = QImageReader(buffer, fmt.encode())
        # Given a format (from the content), the reader never goes by the file name.
        return reader

    def read_all(self) -> bytes:
        if self.data is not None:
            return self.data
        assert self.path is not None  # one or the other, always
        return self.path.read_bytes()


@dataclass(frozen=True)
class _Look:
    check: ImageCheck
    info: ImageInfo | None
    transform: _Transformation  # what EXIF asks for to show it upright
    stored: QSize  # pixel size as stored, before the transformation; invalid = unreadable


def _look(source: _Source) -> _Look:
    try:
        if source.data is not None:
            size = len(source.data)
            info, problems = image_problems(source.data)
        else:
            assert source.path is not None
            size, info, problems = _file_header_problems(source.path)
    except OSError as exc:
        problem = f"it could not be read ({exc.strerror or exc})"
        return _Look(ImageCheck(source.source, 0, 0, "", 0, [problem]), None, _NO_TRANSFORM, QSize())

    def done(width: int, height: int, transform: _Transformation = _NO_TRANSFORM,
             stored: QSize = QSize()) -> _Look:
        check = ImageCheck(source.source, width, height, info.format if info else "", size, problems)
        return _Look(check, info, transform, stored)

    if info is None or info.width <= 0 or info.height <= 0:
        return done(info.width if info else 0, info.height if info else 0)
    reader = source.reader(info.format)
    stored = reader.size()  # reads the header only
    if not stored.isValid():
        problems.append("it is damaged and could not be read")
        return done(info.width, info.height)
    transform = reader.transformation()
    width, height = stored.width(), stored.height()
    if _rotates(transform):
        width, height = height, width
    return done(width, height, transform, stored)


def _file_header_problems(path: Path) -> tuple[int, ImageInfo | None, list[str]]:
    """image_problems on the start of a file, plus the verdict on the whole file's size."""
    size = path.stat().st_size
    with path.open("rb") as f:
        head = f.read(_HEADER_BYTES)
        info, problems = image_problems(head)
        # A JPEG frame header behind unusually large metadata: read on, within bounds.
        while (info is None and head.startswith(b"\xff\xd8\xff")
               and len(head) < min(size, _HEADER_BYTES_MAX)):
            more = f.read(len(head))
            if not more:
                break
            head += more
            info, problems = image_problems(head)
    if size > MAX_IMAGE_BYTES:
        # Only the header went through image_problems: say it for the file, in its words.
        problems.insert(0, f"it is {format_size(size)}, more than the "
                           f"{format_size(MAX_IMAGE_BYTES)} allowed")
    return size, info, problems


# ---------------------------------------------------------------------- preparing


def _prepare(source: _Source, resolution: str) -> PreparedImage:
    if resolution not in RESOLUTION_HEIGHTS:
        raise ValueError(f"unknown resolution {resolution!r}")
    look = _look(source)
    check = look.check
    if check.problems or look.info is None:
        raise ImageRejected(_sentence(source.label, check.problems or ["it could not be read"]))
    if check.file_bytes <= MAX_INLINE_IMAGE_BYTES and look.transform == _NO_TRANSFORM:
        data = source.read_all()
        info, problems = image_problems(data)
        if problems or info is None:  # the file changed since it was looked at
            raise ImageRejected(_sentence(source.label, problems or ["it could not be read"]))
        if len(data) <= MAX_INLINE_IMAGE_BYTES:
            # Decoding the thumbnail (at 1/8 scale for a JPEG) also proves the data decodes.
            thumb = _thumbnail_from_memory(data, info, check.width, check.height)
            if not thumb:
                raise ImageRejected(_sentence(source.label, ["it is damaged and could not be read"]))
            return PreparedImage(data, info.media_type, check.width, check.height, "", thumb)
        del data
    return _fit(source, look, look.info, RESOLUTION_HEIGHTS[resolution])


def _fit(source: _Source, look: _Look, info: ImageInfo, needed_short_side: int) -> PreparedImage:
    """Decode upright at the largest useful size, then encode until it is small enough."""
    width, height = look.check.width, look.check.height
    floor = min(needed_short_side, width, height)  # never below what the video needs; never up
    scale = min(1.0, MAX_LONG_SIDE / max(width, height))
    scale = min(1.0, max(scale, floor / min(width, height)))
    target = _scaled_dims(width, height, scale, floor)

    reader = source.reader(info.format)
    reader.setAutoTransform(True)
    if target != (width, height):
        # libjpeg decodes straight at 1/2, 1/4 or 1/8 and Qt scales the rest: the
        # full-size picture never exists in memory.
        reader.setScaledSize(_stored_size(*target, look.transform))
    base = reader.read()
    if base.isNull():
        raise ImageRejected(f"{_subject(source.label)} could not be decoded "
                            f"({reader.errorString()}).")
    del reader
    if (base.width(), base.height()) != target:  # a handler that ignored the scaled size
        base = base.scaled(*target, Qt.AspectRatioMode.IgnoreAspectRatio,
                           Qt.TransformationMode.SmoothTransformation)

    data, fmt, sent = _encode_to_fit(base, floor, _has_transparency(base), source.label)
    del base
    changes = []
    if (sent.width(), sent.height()) != (width, height):
        changes.append(f"downscaled {width}×{height} → {sent.width()}×{sent.height()}")
    if look.transform != _NO_TRANSFORM:
        changes.append("rotated upright")
    if not changes or fmt != info.format:
        changes.append(f"re-encoded as {_FORMAT_NAMES[fmt]}")
    changes.append(format_size(len(data)))
    return PreparedImage(data, MEDIA_TYPES[fmt], sent.width(), sent.height(),
                         ", ".join(changes), _thumbnail(sent, THUMBNAIL_SIZE))


def _encode_to_fit(base: QImage, floor: int, transparent: bool, label: str
                   ) -> tuple[bytes, str, QImage]:
    """Encode, lowering JPEG quality and then the size, until it is under TARGET_BYTES.

    PNG is kept only for real transparency; JPEG otherwise. Each smaller size is scaled
    from `base`, not from the previous attempt, so detail is not blurred away twice.
    """
    fmt = "png" if transparent else "jpeg"
    qualities = list(JPEG_QUALITIES)
    image = base
    while True:
        quality = qualities[0] if fmt == "jpeg" else -1
        data = _encode(image, fmt, quality)
        if len(data) <= TARGET_BYTES:
            return data, fmt, image
        short = min(image.width(), image.height())
        if fmt == "jpeg" and qualities[0] > JPEG_QUALITIES[-1]:
            # Far too big: the steps in between cannot make it; go to the last one at once.
            qualities = qualities[-1:] if len(data) > 2 * TARGET_BYTES else qualities[1:]
            continue
        if short > floor:
            # Bytes go roughly with the pixel count: aim straight at the target.
            factor = min(SHRINK_STEP, math.sqrt(TARGET_BYTES / len(data)) * 0.95)
            dims = _scaled_dims(base.width(), base.height(),
                                factor * short / min(base.width(), base.height()), floor)
            image = base.scaled(*dims, Qt.AspectRatioMode.IgnoreAspectRatio,
                                Qt.TransformationMode.SmoothTransformation)
            continue
        if fmt == "png":  # transparency costs too much at this size: flatten onto white
            base = image = _flatten(image)
            fmt, qualities = "jpeg", list(JPEG_QUALITIES[-1:])
            continue
        later = [q for q in LAST_RESORT_QUALITIES if q < qualities[0]]
        if later:
            qualities = later
            continue
        raise ImageRejected(
            f"{_subject(label)} could not be made small enough to send: even at "
            f"{image.width()}×{image.height()} it takes {format_size(len(data))}, more than "
            f"the {format_size(MAX_INLINE_IMAGE_BYTES)} allowed for an uploaded image.")


def _encode(image: QImage, fmt: str, quality: int = -1) -> bytes:
    array = QByteArray()
    buffer = QBuffer(array)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    writer = QImageWriter(buffer, fmt.encode())
    if quality >= 0:
        writer.setQuality(quality)
    if not writer.write(image):
        raise ImageRejected(f"The image could not be encoded as {_FORMAT_NAMES[fmt]} "
                            f"({writer.errorString()}).")
    return bytes(array.data())  # the same object: data() gives bytes (typed as any buffer)


def _has_transparency(image: QImage) -> bool:
    """True when some pixel is not fully opaque (an alpha channel alone is not enough)."""
    if not image.hasAlphaChannel():
        return False
    alpha = image.convertToFormat(QImage.Format.Format_Alpha8)
    width, per_line = alpha.width(), alpha.bytesPerLine()
    pixels = bytes(alpha.constBits())  # rows may be padded: look at each row's pixels only
    return any(pixels.count(255, row, row + width) != width
               for row in range(0, per_line * alpha.height(), per_line))


def _flatten(image: QImage) -> QImage:
    flat = QImage(image.size(), QImage.Format.Format_RGB32)
    flat.fill(QColor(Qt.GlobalColor.white))
    painter = QPainter(flat)
    painter.drawImage(0, 0, image)
    painter.end()
    return flat


# --------------------------------------------------------------------- thumbnails


def _thumbnail(image: QImage, size: int) -> bytes:
    dims = _fit_box(image.width(), image.height(), size)
    if dims != (image.width(), image.height()):
        image = image.scaled(*dims, Qt.AspectRatioMode.IgnoreAspectRatio,
                             Qt.TransformationMode.SmoothTransformation)
    return _encode(image, "png")


def _thumbnail_from_memory(data: bytes, info: ImageInfo, width: int, height: int) -> bytes:
    source = _Source.memory(data, "")
    reader = source.reader(info.format)
    reader.setAutoTransform(True)
    reader.setScaledSize(_stored_size(*_fit_box(width, height, THUMBNAIL_SIZE),
                                      reader.transformation()))
    image = reader.read()
    return _thumbnail(image, THUMBNAIL_SIZE) if not image.isNull() else b""


# ------------------------------------------------------------------------- helpers


def _rotates(transform: _Transformation) -> bool:
    return bool(transform & _Transformation.TransformationRotate90)


def _stored_size(width: int, height: int, transform: _Transformation) -> QSize:
    """An upright size as the decoder sees it (before the EXIF transformation)."""
    return QSize(height, width) if _rotates(transform) else QSize(width, height)


def _scaled_dims(width: int, height: int, scale: float, floor: int) -> tuple[int, int]:
    """width×height scaled, aspect kept, the short side not below `floor`, never enlarged."""
    if scale >= 1:
        return width, height
    short, long_ = min(width, height), max(width, height)
    new_short, new_long = round(short * scale), round(long_ * scale)
    if new_short < floor:
        new_short, new_long = floor, round(long_ * floor / short)
    return (new_long, new_short) if width >= height else (new_short, new_long)


def _fit_box(width: int, height: int, size: int) -> tuple[int, int]:
    longest = max(width, height)
    if longest <= size:
        return width, height
    return (max(1, round(width * size / longest)), max(1, round(height * size / longest)))


def _subject(label: str) -> str:
    """The name to start a sentence with ("photo.jpg", "Pasted image")."""
    return label if "." in label else label[:1].upper() + label[1:]


def _sentence(label: str, problems: list[str]) -> str:
    """["it is 51.0 MB, …", "its shape …"] -> "photo.jpg is 51.0 MB, … and its shape …"."""
    parts = list(problems)
    first = parts[0]
    if first.startswith("it "):
        parts[0] = f"{_subject(label)} {first[3:]}"
    elif first.startswith("its "):
        parts[0] = f"{_subject(label)}'s {first[4:]}"
    elif first.startswith("the file "):
        parts[0] = f"{_subject(label)} {first[9:]}"
    else:
        parts[0] = f"{_subject(label)}: {first}"
    text = parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]
    return text.rstrip(".") + "."
