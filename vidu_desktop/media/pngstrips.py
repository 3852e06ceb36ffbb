"""Decode a big PNG scaled down without ever holding the whole picture.

Qt's PNG reader cannot decode at a smaller size (QImageReader.setScaledSize is applied after
a full decode), so a 15000×15000 PNG took 900 MB to show a 96-pixel preview. Here the
picture data is inflated a strip of rows at a time and each strip becomes a small PNG of its
own for Qt to decode: the strip's rows as they are in the file (still filtered) behind one
unfiltered row, the last row of the strip before (Qt gave it back; _row turns it into the
file's samples again), so every row's filter finds the row above it. Each strip is scaled to
the output width at once. Memory: one strip (about STRIP_BYTES decoded, plus its bytes) and
the result.

Only PNGs whose decoded rows give back their samples exactly are done this way (strippable);
interlaced ones and bit depths below 8 are decoded whole, within media.images' budget.
"""

from __future__ import annotations

import struct
import sys
import zlib
from array import array
from collections.abc import Callable, Iterator
from typing import cast

from PySide6.QtCore import Qt
from PySide6.QtGui import QImage

from ..core.imageinfo import PngLayout
from .qtmessages import complaints, decoder_messages

__all__ = ["STRIP_BYTES", "decode_scaled", "pixel_bytes", "strippable"]

STRIP_BYTES = 4 * 1024 * 1024  # decoded pixels per strip, about
_READ_PIECE = 1024 * 1024
_INFLATE_PIECE = 4 * 1024 * 1024

ReadAt = Callable[[int, int], bytes]  # (offset, n) -> up to n bytes


class Damaged(Exception):
    """The picture data could not be decoded; str() is what went wrong ("" when Qt said nothing)."""


class NoStrips(Exception):
    """Qt gave a pixel format whose rows cannot be turned back into this PNG's samples."""


def strippable(png: PngLayout) -> bool:
    """PNGs whose decoded rows give back their samples exactly (see _row)."""
    if png.interlaced or png.bit_depth not in (8, 16):
        return False
    transparent_colour = any(kind == b"tRNS" for kind, _ in png.look_chunks)
    if png.colour_type in (4, 6):
        return True
    if png.colour_type == 2:  # Qt mixes up 16-bit samples with a transparent colour
        return png.bit_depth == 8 or not transparent_colour
    if png.colour_type == 3:
        return png.bit_depth == 8
    return not transparent_colour  # grey: a transparent grey turns into a colour table


def pixel_bytes(png: PngLayout) -> int:
    """Bytes per pixel of the picture as Qt decodes it (at most)."""
    return 8 if png.bit_depth == 16 else 4


def decode_scaled(read_at: ReadAt, png: PngLayout, width: int, height: int
                  ) -> tuple[QImage, list[str]]:
    """The picture at width×height (never larger than it is), and the decoder's complaints
    ([] when clean; a null image when it could not be decoded)."""
    rows = _Rows(read_at, png)
    strip_rows = max(1, STRIP_BYTES // (png.width * pixel_bytes(png)))
    out_per_strip = max(1, strip_rows * height // png.height)
    result: QImage | None = None
    out_y = 0
    try:
        while out_y < height:
            out_end = min(height, out_y + out_per_strip)
            first = out_y * png.height // height
            end = png.height if out_end == height else out_end * png.height // height
            if end - first <= strip_rows + 2:
                band = _smooth(rows.next(end - first), width, out_end - out_y)
            else:  # one output row from more rows than a strip holds: across, then down
                across: QImage | None = None
                at = 0
                while at < end - first:
                    count = min(strip_rows, end - first - at)
                    piece = _smooth(rows.next(count), width, count)
                    if across is None:
                        across = QImage(width, end - first, piece.format())
                    _paste(across, piece, at)
                    at += count
                assert across is not None
                band = _smooth(across, width, out_end - out_y)
            if result is None:
                result = QImage(width, height, band.format())
                result.setColorSpace(band.colorSpace())
            _paste(result, band, out_y)
            out_y = out_end
    except Damaged as exc:
        return QImage(), [str(exc)] if str(exc) else []
    assert result is not None
    return result, []


class _Rows:
    """The PNG's rows in order, decoded a strip at a time."""

    def __init__(self, read_at: ReadAt, png: PngLayout) -> None:
        self._png = png
        self._stride = 1 + png.row_bytes
        self._look = b"".join(_chunk(kind, data) for kind, data in png.look_chunks)
        self._filtered = _filtered_rows(read_at, png)
        self._pending = bytearray()
        self._above: bytes | None = None  # the last row decoded, as the file's samples

    def next(self, count: int) -> QImage:
        png = self._png
        need = count * self._stride
        try:
            while len(self._pending) < need:
                self._pending += next(self._filtered)
        except StopIteration:
            raise Damaged("the picture data stops before its last row") from None
        except zlib.error:
            raise Damaged("the compressed picture data is corrupt") from None
        primed = self._above is not None
        body = (b"\x00" + self._above if self._above is not None else b"") + bytes(self._pending[:need])
        del self._pending[:need]
        header = struct.pack(">IIBBBBB", png.width, count + primed, png.bit_depth, png.colour_type, 0, 0, 0)
        data = b"".join((b"\x89PNG\r\n\x1a\n", _chunk(b"IHDR", header), self._look,
                         _chunk(b"IDAT", zlib.compress(body, 0)), _chunk(b"IEND", b"")))
        del body
        with decoder_messages() as messages:
            # fromData reads through a buffer of Qt's own: no device made in Python, whose
            # reads would take the GIL inside Qt's image-IO (see media.images._Source.reader).
            image = QImage.fromData(data)  # a PNG: told by its signature
        del data
        said = complaints(messages)
        if image.isNull() or said:
            raise Damaged(said[0] if said else "")
        if primed:
            image = image.copy(0, 1, png.width, count)
        self._above = _row(image, count - 1, png)
        if image.colorCount():  # palette indices: keep the colours, not a table per strip
            image = image.convertToFormat(QImage.Format.Format_ARGB32 if image.hasAlphaChannel()
                                          else QImage.Format.Format_RGB32)
        return image


def _smooth(image: QImage, width: int, height: int) -> QImage:
    if (image.width(), image.height()) == (width, height):
        return image
    return image.scaled(width, height, Qt.AspectRatioMode.IgnoreAspectRatio,
                        Qt.TransformationMode.SmoothTransformation)


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def _filtered_rows(read_at: ReadAt, png: PngLayout) -> Iterator[bytes]:
    """The inflated picture data (filter byte + row, row after row), in pieces of at most
    _INFLATE_PIECE; stops at the end of the picture whatever follows."""
    left = png.height * (1 + png.row_bytes)
    inflater = zlib.decompressobj()
    for offset, length in png.idat:
        at = offset
        while length > 0 and left > 0:
            piece = read_at(at, min(length, _READ_PIECE))
            if not piece:
                return
            at += len(piece)
            length -= len(piece)
            while piece and left > 0:
                out = inflater.decompress(piece, min(_INFLATE_PIECE, left))
                piece = inflater.unconsumed_tail
                left -= len(out)
                if out:
                    yield out
                if inflater.eof:
                    return
            while left > 0:  # what the last call held back
                out = inflater.decompress(b"", min(_INFLATE_PIECE, left))
                if not out:
                    break
                left -= len(out)
                yield out


def _row(image: QImage, y: int, png: PngLayout) -> bytes:
    """Row y of a decoded strip as the PNG's own unfiltered samples (to prime the next strip)."""
    line = bytes(cast(memoryview, image.constScanLine(y)))
    width, colour, fmt = png.width, png.colour_type, image.format()
    Format = QImage.Format
    if png.bit_depth == 8:
        if (colour, fmt) in ((0, Format.Format_Grayscale8), (3, Format.Format_Indexed8)):
            return line[:width]
        if fmt in (Format.Format_RGB32, Format.Format_ARGB32) and colour in (2, 4, 6):
            # 0xAARRGGBB words: in memory B, G, R, A on a little-endian machine.
            b, g, r, a = (3, 2, 1, 0) if sys.byteorder == "big" else (0, 1, 2, 3)
            channels = {2: (r, g, b), 4: (r, a), 6: (r, g, b, a)}[colour]
            return _interleave(line, 4, width, channels)
    elif png.bit_depth == 16:
        if colour == 0 and fmt == Format.Format_Grayscale16:
            return _big_endian_16(line[:2 * width])
        if fmt in (Format.Format_RGBX64, Format.Format_RGBA64) and colour in (2, 4, 6):
            # Halfword-ordered R, G, B, A, each a native 16-bit word.
            channels = {2: (0, 1, 2), 4: (0, 3), 6: (0, 1, 2, 3)}[colour]
            words = _interleave(line, 8, width, tuple(c * 2 + k for c in channels for k in (0, 1)))
            return _big_endian_16(words)
    raise NoStrips(f"{fmt} for PNG colour type {colour}, {png.bit_depth} bits")


def _interleave(line: bytes, pixel: int, width: int, picks: tuple[int, ...]) -> bytes:
    """From pixels of `pixel` bytes, the bytes at offsets `picks` of each, in that order."""
    out = bytearray(len(picks) * width)
    for index, pick in enumerate(picks):
        out[index::len(picks)] = line[pick:pixel * width:pixel]
    return bytes(out)


def _big_endian_16(native: bytes) -> bytes:
    if sys.byteorder == "big":
        return native
    words = array("H", native)
    words.byteswap()
    return words.tobytes()


def _paste(target: QImage, rows: QImage, y: int) -> None:
    """Copy `rows` (as wide as target) into target from row y, in target's pixel format."""
    if rows.format() != target.format():
        rows = rows.convertToFormat(target.format())
    per_line, count = target.bytesPerLine(), rows.height()
    bits = cast(memoryview, target.bits())
    source = cast(memoryview, rows.constBits())
    if rows.bytesPerLine() == per_line:
        bits[y * per_line:(y + count) * per_line] = source[:count * per_line]
        return
    used = min(per_line, rows.bytesPerLine())
    for row in range(count):
        start = row * rows.bytesPerLine()
        bits[(y + row) * per_line:(y + row) * per_line + used] = source[start:start + used]
