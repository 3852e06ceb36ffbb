"""Get a local image ready to send: check it against the API's limits, then fit it.

The API takes an image inline as a Base64 data URI whose decoded bytes must stay under
10 MB (../shared/NOVITA_API.md, section 1), while the file a person drops may be a 40 MB
phone photo, sideways by EXIF, or a PNG that is really a JPEG. Everything here runs in
worker threads, never the GUI thread, so it uses only Qt's thread-safe image classes
(QImage, QImageReader, QImageWriter): no QPixmap, no widgets, and no Qt device made in
Python (see _Source.reader).

Limits and wording come from core.request (image_problems, the byte limits, the
resolutions); the format is judged by content (core.imageinfo via image_problems).

Files lie, so nothing is taken on trust:

- Only a regular file is opened (stat first, then fstat of what was opened): a named pipe
  would block a pool thread forever, a device would never end. Never more than the API's
  50 MB is read; a bigger file is refused by its size alone.
- The whole file is walked before it is accepted (core.imageinfo.layout): a JPEG without its
  end marker, a PNG without IEND or with a wrong checksum, a WebP shorter than it says is
  damaged, and said so. What only decoding finds (libjpeg's "Corrupt JPEG data: premature end
  of data segment", which Qt reports as a warning while it hands back a half-grey picture) is
  caught from Qt's message handler around every decode, per thread, and refused as well.
- Memory follows the size things are decoded at, not the file's pixel count: libjpeg decodes
  straight at 1/2, 1/4 or 1/8; Qt's PNG reader cannot, so a big PNG is decoded in strips of
  rows (each strip a small PNG of its own, primed with the row above) and each strip is
  scaled down at once. What would still need more than DECODE_BUDGET (a huge WebP, an
  interlaced PNG, a progressive JPEG's coefficients) is refused by the check, in words, so
  whatever the check accepts can also be prepared.
- An animated image (APNG, animated WebP) is never sent as it is: its first frame is, and
  the check and the note say so.
"""

from __future__ import annotations

import math
import os
import tempfile
from contextlib import suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from PySide6.QtCore import (
    QSize,
    Qt,
)
from PySide6.QtGui import QColor, QImage, QImageIOHandler, QImageReader, QImageWriter, QPainter

from ..core import files
from ..core.errors import QT_TRANSLATE_NOOP, translate
from ..core.imageinfo import MEDIA_TYPES, ImageInfo, Layout, layout
from ..core.request import (
    MAX_IMAGE_BYTES,
    MAX_INLINE_IMAGE_BYTES,
    RESOLUTION_HEIGHTS,
    data_uri,
    format_size,
    image_problems,
)
from . import pngstrips
from .qtmessages import complaints, decoder_messages

__all__ = [
    "DECODE_BUDGET", "ImageCheck", "ImageRejected", "PreparedImage",
    "check_image", "inspect_image", "prepare_image", "prepare_image_bytes", "thumbnail_of", "thumbnail_png",
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

# The most memory one decoded picture may take (Qt's own default allocation limit). Every
# decode is planned to stay under it: a fitted picture (at most 3840 px a side, or
# 4320×1080) decoded by libjpeg at the next power-of-two scale above it takes at most
# 7680×7680×4 bytes = 225 MB.
DECODE_BUDGET = 256 * 1024 * 1024
# Qt refuses to allocate a picture above its allocation limit (process-wide, default 256 MB).
# Only what the plan needs: raise it to the budget when someone set it lower, never beyond.
_ALLOCATION_LIMIT_MB = DECODE_BUDGET // (1024 * 1024)
if 0 < QImageReader.allocationLimit() < _ALLOCATION_LIMIT_MB:
    QImageReader.setAllocationLimit(_ALLOCATION_LIMIT_MB)
# A PNG that decodes to more than this is decoded in strips (media.pngstrips).
_STRIP_ABOVE = 64 * 1024 * 1024
# Strips cost time, not memory: past this many pixels a PNG takes too long to prepare.
MAX_PNG_PIXELS = 600_000_000
_READ_PIECE = 1024 * 1024

_Transformation = QImageIOHandler.Transformation
_NO_TRANSFORM = _Transformation.TransformationNone
_FORMAT_NAMES = {"jpeg": "JPEG", "png": "PNG", "webp": "WebP"}
_DAMAGED = QT_TRANSLATE_NOOP("images", "it is damaged and could not be read")  # translate() where used


class ImageRejected(Exception):
    """The image cannot be sent; str() is one sentence for the user, naming the file."""


@dataclass(frozen=True)
class ImageCheck:
    """A look at an image file, for the preview in the form."""

    source: str
    width: int  # upright: EXIF orientation applied
    height: int
    format: str  # "jpeg", "png" or "webp", judged by content; "" when not an image
    file_bytes: int
    problems: list[str] = field(default_factory=list)  # image_problems wording; [] = accepted
    notes: list[str] = field(default_factory=list)  # worth knowing, not in the way ("it is animated: …")


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
    """Format, upright size, problems and notes: the header, and the whole file walked for
    damage (fast even for 50 MB; nothing is decoded)."""
    with _Source.file(Path(path)) as source:
        return _look(source).check


def inspect_image(path: Path, size: int = THUMBNAIL_SIZE) -> tuple[ImageCheck, bytes]:
    """check_image and an upright PNG thumbnail (longest side `size`, b"" when it cannot be
    decoded) from one opening; what the decoder complained about is among the problems."""
    with _Source.file(Path(path)) as source:
        look = _look(source)
        if not look.decodable:
            return look.check, b""
        width, height = _fit_box(look.check.width, look.check.height, size)
        try:
            image, complaints = _decode(source, look, width, height)
        except OSError as exc:  # a read failed halfway (a disk error, a network share gone)
            return _with_problem(look.check, _unreadable(exc)), b""
        check, problem = look.check, _decode_problem(image, complaints)
        if problem and not look.layout.damage:  # the walk's words say it already
            check = _with_problem(check, problem)
        return check, (thumbnail_of(image, size) if not image.isNull() else b"")


def thumbnail_png(path: Path, size: int = THUMBNAIL_SIZE) -> bytes:
    """An upright PNG thumbnail, longest side `size` (never enlarged); b"" when unreadable."""
    return inspect_image(path, size)[1]


def prepare_image(path: Path, resolution: str) -> PreparedImage:
    """The image as it will be sent: the original bytes when they fit, else fitted."""
    with _Source.file(Path(path)) as source:
        try:
            return _prepare(source, resolution)
        except OSError as exc:  # a read failed halfway
            raise ImageRejected(_sentence(source.label, [_unreadable(exc)])) from exc


def prepare_image_bytes(data: bytes, resolution: str, name: str = "") -> PreparedImage:
    """The same for image data held in memory (the clipboard)."""
    with _Source.memory(bytes(data), name or translate("images", "pasted image")) as source:
        return _prepare(source, resolution)


# ------------------------------------------------------------------------- sources


# What each kind of non-file is called in an image's problem.
_NOT_A_FILE_WORDS = {  # translate() where used
    files.FOLDER: QT_TRANSLATE_NOOP("images", "it is a folder, not an image file"),
    files.PIPE: QT_TRANSLATE_NOOP("images", "it is a named pipe, not an image file"),
    files.DEVICE: QT_TRANSLATE_NOOP("images", "it is a device, not an image file"),
    files.SOCKET: QT_TRANSLATE_NOOP("images", "it is a socket, not an image file"),
    files.DANGLING_LINK: QT_TRANSLATE_NOOP("images", "it is a link to something that is not there"),
}


class _Source:
    """Where the bytes are: a regular file, read through the descriptor that was checked.

    A context manager: the file is closed on leaving. `problem` is set (and nothing can be
    read) when the path could not be opened as a regular file. Bytes held in memory are
    written to a private temporary file first, so that Qt only ever reads through a device
    of its own making (see reader()).
    """

    def __init__(self, label: str, source: str, path: str) -> None:
        self.label, self.source = label, source
        self.size = 0
        self.problem = ""
        self._path = path
        self._fd: int | None = None
        self._temporary = False

    @classmethod
    def file(cls, path: Path) -> _Source:
        self = cls(path.name or str(path), str(path), str(path))
        try:
            self._fd, self.size = files.open_regular(path)
        except files.NotAFile as exc:
            self.problem = translate("images", _NOT_A_FILE_WORDS.get(
                exc.kind, QT_TRANSLATE_NOOP("images", "it is not a regular file")))
        except OSError as exc:
            self.problem = _unreadable(exc)
        return self

    @classmethod
    def memory(cls, data: bytes, name: str) -> _Source:
        # A file name stays as it is; words ("pasted image") start a sentence capitalised.
        label = name if "." in name else name[:1].upper() + name[1:]
        fd, path = tempfile.mkstemp(prefix="vidu-image-")
        self = cls(label, name, path)
        self._fd, self.size, self._temporary = fd, len(data), True
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view):]
        except OSError as exc:
            self.problem = translate("images", "it could not be held for checking ({error})").format(
                error=exc.strerror or exc)
        return self

    def __enter__(self) -> _Source:
        return self

    def __exit__(self, *exc: object) -> None:
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None
        if self._temporary:
            with suppress(OSError):
                os.unlink(self._path)

    def read_at(self, offset: int, n: int) -> bytes:
        """Up to n bytes from offset (fewer only at the end of the file)."""
        assert self._fd is not None
        os.lseek(self._fd, offset, os.SEEK_SET)
        parts: list[bytes] = []
        while n > 0:
            part = os.read(self._fd, min(n, _READ_PIECE))
            if not part:
                break
            parts.append(part)
            n -= len(part)
        return b"".join(parts)

    def read_all(self, limit: int = MAX_IMAGE_BYTES) -> bytes:
        """The whole content, but never more than limit + 1 bytes (so "too big" shows)."""
        return self.read_at(0, limit + 1)

    def stream(self, limit: int = MAX_IMAGE_BYTES) -> _Capped:
        """Sequential reads from the start, ending after `limit` bytes whatever the file does."""
        return _Capped(self, limit)

    def reader(self, fmt: str) -> QImageReader:
        """A QImageReader on the content, for the format judged by content (never the name).

        Qt opens the file itself: a device made in Python (a QFile or QBuffer wrapper) makes
        every read inside Qt take the GIL, and Qt's image-IO holds a lock of its own while it
        reads from a device, so two threads deadlocked (one waiting for the lock with the
        GIL, the other for the GIL with the lock). On Linux Qt is given the descriptor that
        was checked (/proc/self/fd/N): the same file, even if its name now leads elsewhere.
        """
        assert self._fd is not None
        name = f"/proc/self/fd/{self._fd}"
        return QImageReader(name if os.path.exists(name) else self._path, fmt.encode())


class _Capped:
    """read(n) over a _Source from the start, at most `limit` bytes in all."""

    def __init__(self, source: _Source, limit: int) -> None:
        self._source, self._pos, self._left = source, 0, limit

    def read(self, size: int = -1, /) -> bytes:
        n = self._left if size < 0 else min(size, self._left)
        data = self._source.read_at(self._pos, n) if n > 0 else b""
        self._pos += len(data)
        self._left -= len(data)
        return data


def _damage_words(complaint: str) -> str:
    return translate("images", "it is damaged (the decoder reports: {complaint})").format(
        complaint=complaint.strip().rstrip('.'))


# ------------------------------------------------------------------------- looking


@dataclass(frozen=True)
class _Look:
    check: ImageCheck
    info: ImageInfo | None
    transform: _Transformation = _NO_TRANSFORM  # what EXIF asks for to show it upright
    stored: QSize = field(default_factory=QSize)  # pixel size as stored; invalid = unreadable
    layout: Layout = field(default_factory=Layout)
    decodable: bool = False  # within the memory budget, and Qt read its header

    @property
    def animated(self) -> bool:
        return self.layout.frames > 1


def _look(source: _Source) -> _Look:
    if source.problem:
        return _Look(ImageCheck(source.source, 0, 0, "", 0, [source.problem]), None)
    try:
        return _look_inside(source)
    except OSError as exc:  # a read failed halfway (a disk error, a network share gone)
        return _Look(ImageCheck(source.source, 0, 0, "", source.size, [_unreadable(exc)]), None)


def _unreadable(exc: OSError) -> str:
    return translate("images", "it could not be read ({error})").format(error=exc.strerror or exc)


def _look_inside(source: _Source) -> _Look:
    size = source.size
    info, problems = _header_problems(source)
    notes: list[str] = []

    def done(width: int, height: int, **more: Any) -> _Look:
        check = ImageCheck(source.source, width, height, info.format if info else "", size,
                           problems, notes)
        return _Look(check, info, **more)

    if info is None or info.width <= 0 or info.height <= 0:
        return done(info.width if info else 0, info.height if info else 0)
    shape = Layout()
    if size <= MAX_IMAGE_BYTES:
        shape = layout(source.stream(), info.format)
        if shape.damage:
            problems.append(translate("images", "it is damaged: {damage}").format(damage=shape.damage))
        elif shape.frames > 1:
            notes.append(_animation_note(info, shape))
    reader = source.reader(info.format)
    with decoder_messages() as messages:
        stored = reader.size()  # reads the header only
        transform = reader.transformation()
    said = complaints(messages)
    if not stored.isValid():
        if not shape.damage:
            problems.append(_damage_words(said[0]) if said else translate("images", _DAMAGED))
        return done(info.width, info.height, layout=shape)
    if said and not shape.damage:
        problems.append(_damage_words(said[0]))
    width, height = stored.width(), stored.height()
    if _rotates(transform):
        width, height = height, width
    too_big = _too_big(info, shape, stored)
    if too_big:
        problems.append(too_big)
    return done(width, height, transform=transform, stored=stored, layout=shape,
                decodable=not too_big and size <= MAX_IMAGE_BYTES)


def _header_problems(source: _Source) -> tuple[ImageInfo | None, list[str]]:
    """image_problems on the start of the content, plus the verdict on the whole size."""
    size = source.size
    if size <= 0:  # nothing read from it at all
        return image_problems(b"")
    head = source.read_at(0, _HEADER_BYTES)
    info, problems = image_problems(head)
    # A JPEG frame header behind unusually large metadata: read on, within bounds.
    while (info is None and head.startswith(b"\xff\xd8\xff")
           and len(head) < min(size, _HEADER_BYTES_MAX)):
        more = source.read_at(len(head), len(head))
        if not more:
            break
        head += more
        info, problems = image_problems(head)
    if size > MAX_IMAGE_BYTES:
        # Only the header went through image_problems: say it for the file, in its words.
        problems.insert(0, translate("images", "it is {size}, more than the {limit} allowed").format(
            size=format_size(size), limit=format_size(MAX_IMAGE_BYTES)))
    return info, problems


def _animation_note(info: ImageInfo, shape: Layout) -> str:
    if not shape.first_frame_is_still:
        return translate("images", "it is an animated {format} ({frames} frames): only its still picture is sent, "
                                   "not the animation").format(format=_FORMAT_NAMES[info.format], frames=shape.frames)
    return translate("images", "it is an animated {format} ({frames} frames): only the first frame is sent").format(
        format=_FORMAT_NAMES[info.format], frames=shape.frames)


def _too_big(info: ImageInfo, shape: Layout, stored: QSize) -> str:
    """Words when decoding this picture would take more memory (or time) than allowed."""
    width, height = stored.width(), stored.height()
    pixels = width * height
    png = shape.png
    if info.format == "png" and png is not None and pngstrips.strippable(png):
        if pixels <= MAX_PNG_PIXELS:
            return ""
        return translate("images", "it is {width}×{height} pixels, more than the {megapixels} megapixels a PNG may "
                                   "have here").format(width=width, height=height,
                                                       megapixels=MAX_PNG_PIXELS // 1_000_000)
    if info.format == "jpeg":
        # Progressive: libjpeg holds every coefficient (2 bytes each) whatever the scale.
        need = (shape.jpeg_blocks * 128 if shape.progressive
                else math.ceil(width / 8) * math.ceil(height / 8) * 4)
    else:
        per_pixel = 8 if png is not None and png.bit_depth == 16 else 4
        need = pixels * per_pixel * (2 if shape.frames > 1 else 1)  # an animation's canvas too
    if need <= DECODE_BUDGET:
        return ""
    kind = (translate("images", "progressive JPEG") if info.format == "jpeg" else
            translate("images", "interlaced PNG") if png is not None and png.interlaced else _FORMAT_NAMES[info.format])
    return translate("images", "it is a {width}×{height} {kind}, too big to open here (it would take {need} of memory, "
                               "more than {budget}); a smaller copy or a plain JPEG or PNG can be used").format(
        width=width, height=height, kind=kind, need=format_size(need), budget=format_size(DECODE_BUDGET))


def _with_problem(check: ImageCheck, problem: str) -> ImageCheck:
    return ImageCheck(check.source, check.width, check.height, check.format, check.file_bytes,
                      [*check.problems, problem], list(check.notes))


# ------------------------------------------------------------------------- decoding


def _decode(source: _Source, look: _Look, width: int, height: int) -> tuple[QImage, list[str]]:
    """The picture upright at exactly width×height, and what the decoder complained about
    ([] when it decoded cleanly; a null image when it could not be decoded at all)."""
    assert look.info is not None
    png = look.layout.png
    if (png is not None and pngstrips.strippable(png) and look.transform == _NO_TRANSFORM
            and png.width * png.height * pngstrips.pixel_bytes(png) > _STRIP_ABOVE):
        with suppress(pngstrips.NoStrips):  # not expected (strippable): decode it whole then
            return pngstrips.decode_scaled(source.read_at, png, width, height)
    reader = source.reader(look.info.format)
    reader.setAutoTransform(True)
    if (width, height) != (look.check.width, look.check.height):
        # libjpeg decodes straight at 1/2, 1/4 or 1/8 and Qt scales the rest.
        reader.setScaledSize(_stored_size(width, height, look.transform))
    with decoder_messages() as messages:
        image = reader.read()
    said = complaints(messages)
    if image.isNull():
        return image, said
    if (image.width(), image.height()) != (width, height):  # a handler that ignored the size
        image = image.scaled(width, height, Qt.AspectRatioMode.IgnoreAspectRatio,
                             Qt.TransformationMode.SmoothTransformation)
    return image, said


def _decode_problem(image: QImage, complaints: list[str]) -> str:
    """The problem in words when decoding did not go cleanly, else ""."""
    if complaints:
        return _damage_words(complaints[0])
    return translate("images", _DAMAGED) if image.isNull() else ""


# ---------------------------------------------------------------------- preparing


def _prepare(source: _Source, resolution: str) -> PreparedImage:
    if resolution not in RESOLUTION_HEIGHTS:
        raise ValueError(f"unknown resolution {resolution!r}")
    look = _look(source)
    check = look.check
    if check.problems or look.info is None:
        raise ImageRejected(_sentence(source.label, check.problems or ["it could not be read"]))
    if not look.decodable:
        raise ImageRejected(_sentence(source.label, [translate("images", _DAMAGED)]))
    if (check.file_bytes <= MAX_INLINE_IMAGE_BYTES and look.transform == _NO_TRANSFORM
            and not look.animated):
        data = source.read_all(MAX_INLINE_IMAGE_BYTES)
        if len(data) <= MAX_INLINE_IMAGE_BYTES:
            return _as_it_is(source.label, data, check)
        del data
    return _fit(source, look, look.info, RESOLUTION_HEIGHTS[resolution])


def _as_it_is(label: str, data: bytes, check: ImageCheck) -> PreparedImage:
    """The original bytes, once they are proven whole: what is sent is what was checked."""
    with _Source.memory(data, label) as memory:
        look = _look(memory)
        info = look.info
        if look.check.problems or info is None or not look.decodable:
            # The file changed since it was looked at, or it is damaged.
            raise ImageRejected(_sentence(label, look.check.problems or [translate("images", _DAMAGED)]))
        if (look.check.width, look.check.height) != (check.width, check.height):
            raise ImageRejected(_sentence(label, ["it changed while it was being read"]))
        # Decoding the thumbnail (at 1/8 scale for a JPEG) proves the data decodes cleanly.
        image, complaints = _decode(memory, look, *_fit_box(check.width, check.height, THUMBNAIL_SIZE))
        problem = _decode_problem(image, complaints)
        if problem:
            raise ImageRejected(_sentence(label, [problem]))
        thumb = thumbnail_of(image)
    return PreparedImage(data, info.media_type, check.width, check.height, "", thumb)


def _fit(source: _Source, look: _Look, info: ImageInfo, needed_short_side: int) -> PreparedImage:
    """Decode upright at the largest useful size, then encode until it is small enough."""
    width, height = look.check.width, look.check.height
    floor = min(needed_short_side, width, height)  # never below what the video needs; never up
    scale = min(1.0, MAX_LONG_SIDE / max(width, height))
    scale = min(1.0, max(scale, floor / min(width, height)))
    target = _scaled_dims(width, height, scale, floor)

    # The full-size picture never exists in memory: see _decode.
    base, complaints = _decode(source, look, *target)
    problem = _decode_problem(base, complaints)
    if problem:
        raise ImageRejected(_sentence(source.label, [problem]))

    data, fmt, sent = _encode_to_fit(base, floor, _has_transparency(base), source.label)
    del base
    changes = []
    if look.animated:
        changes.append(translate("images", "first of {frames} frames").format(frames=look.layout.frames)
                       if look.layout.first_frame_is_still
                       else translate("images", "still picture of an animation"))
    if (sent.width(), sent.height()) != (width, height):
        changes.append(translate("images", "downscaled {width}×{height} → {sent_width}×{sent_height}").format(
            width=width, height=height, sent_width=sent.width(), sent_height=sent.height()))
    if look.transform != _NO_TRANSFORM:
        changes.append(translate("images", "rotated upright"))
    if not changes or fmt != info.format or look.animated:
        changes.append(translate("images", "re-encoded as {format}").format(format=_FORMAT_NAMES[fmt]))
    changes.append(format_size(len(data)))
    return PreparedImage(data, MEDIA_TYPES[fmt], sent.width(), sent.height(),
                         ", ".join(changes), thumbnail_of(sent))


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
        raise ImageRejected(translate(
            "images", "{name} could not be made small enough to send: even at {width}×{height} it takes {size}, more "
                      "than the {limit} allowed for an uploaded image.").format(
            name=label, width=image.width(), height=image.height(), size=format_size(len(data)),
            limit=format_size(MAX_INLINE_IMAGE_BYTES)))


def _encode(image: QImage, fmt: str, quality: int = -1) -> bytes:
    """The image encoded as `fmt`, through a temporary file that Qt writes itself (a device
    made in Python would take the GIL inside Qt's image-IO: see _Source.reader)."""
    fd, path = tempfile.mkstemp(prefix="vidu-encoded-")
    try:
        os.close(fd)
        writer = QImageWriter(path, fmt.encode())
        if quality >= 0:
            writer.setQuality(quality)
        written = writer.write(image)
        error = writer.errorString()
        del writer  # closes the file
        if not written:
            raise ImageRejected(translate("images", "The image could not be encoded as {format} ({error}).").format(
                format=_FORMAT_NAMES[fmt], error=error))
        return Path(path).read_bytes()
    finally:
        with suppress(OSError):
            os.unlink(path)


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


def thumbnail_of(image: QImage, size: int = THUMBNAIL_SIZE) -> bytes:
    """A PNG of `image` with its longest side `size` px at most (a list's thumbnail)."""
    dims = _fit_box(image.width(), image.height(), size)
    if dims != (image.width(), image.height()):
        image = image.scaled(*dims, Qt.AspectRatioMode.IgnoreAspectRatio,
                             Qt.TransformationMode.SmoothTransformation)
    return _encode(image, "png")


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


def _sentence(label: str, problems: list[str]) -> str:
    """["it is 51.0 MB, …", "its shape …"] -> "photo.jpg is 51.0 MB, … and its shape …"."""
    parts = list(problems)
    first = parts[0]
    if first.startswith("it "):
        parts[0] = f"{label} {first[3:]}"
    elif first.startswith("its "):
        parts[0] = f"{label}'s {first[4:]}"
    elif first.startswith("the file "):
        parts[0] = f"{label} {first[9:]}"
    else:
        parts[0] = f"{label}: {first}"
    text = parts[0] if len(parts) == 1 else translate("images", "{list} and {last}").format(
        list=translate("images", ", ").join(parts[:-1]), last=parts[-1])
    return text.rstrip(".") + "."

