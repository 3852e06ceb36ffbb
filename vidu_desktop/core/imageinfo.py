"""Judge an image by its bytes, not its name: format and pixel size from the header alone.

Pure Python so the request model can validate without Qt; only the first few kilobytes
of a file are needed (the JPEG frame header can sit behind large EXIF blocks, so callers
pass the whole file when they have it).
"""

from __future__ import annotations

import re
import struct
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Protocol

MEDIA_TYPES = {"png": "image/png", "jpeg": "image/jpeg", "webp": "image/webp"}


@dataclass(frozen=True)
class ImageInfo:
    format: str  # "png", "jpeg" or "webp"
    width: int
    height: int

    @property
    def media_type(self) -> str:
        return MEDIA_TYPES[self.format]


class NotAnImage(ValueError):
    """The bytes are not a PNG, JPEG or WebP image whose size could be read."""


def sniff(data: bytes) -> ImageInfo:
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return _png(data)
    if data.startswith(b"\xff\xd8\xff"):
        return _jpeg(data)
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return _webp(data)
    raise NotAnImage("not a PNG, JPEG or WebP image")


def _png(data: bytes) -> ImageInfo:
    if len(data) < 24 or data[12:16] != b"IHDR":
        raise NotAnImage("PNG header is damaged")
    width, height = struct.unpack(">II", data[16:24])
    return ImageInfo("png", width, height)


# Start-of-frame markers carry the size; DHT (C4), JPG (C8) and DAC (CC) share the range.
_SOF_MARKERS = set(range(0xC0, 0xD0)) - {0xC4, 0xC8, 0xCC}


def _jpeg(data: bytes) -> ImageInfo:
    pos = 2
    while pos + 4 <= len(data):
        if data[pos] != 0xFF:
            raise NotAnImage("JPEG structure is damaged")
        marker = data[pos + 1]
        if marker == 0xFF:  # fill byte
            pos += 1
            continue
        if marker in (0x01, *range(0xD0, 0xD8)):  # markers without a length
            pos += 2
            continue
        (length,) = struct.unpack(">H", data[pos + 2 : pos + 4])
        if marker in _SOF_MARKERS:
            if pos + 9 > len(data):
                break
            height, width = struct.unpack(">HH", data[pos + 5 : pos + 9])
            return ImageInfo("jpeg", width, height)
        if marker == 0xDA:  # image data started without a frame header
            break
        pos += 2 + length
    raise NotAnImage("JPEG has no readable frame header")


def _webp(data: bytes) -> ImageInfo:
    chunk = data[12:16]
    if chunk == b"VP8X" and len(data) >= 30:
        width = 1 + int.from_bytes(data[24:27], "little")
        height = 1 + int.from_bytes(data[27:30], "little")
        return ImageInfo("webp", width, height)
    if chunk == b"VP8L" and len(data) >= 25 and data[20] == 0x2F:
        bits = int.from_bytes(data[21:25], "little")
        return ImageInfo("webp", (bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1)
    if chunk == b"VP8 " and len(data) >= 30 and data[23:26] == b"\x9d\x01\x2a":
        width, height = struct.unpack("<HH", data[26:30])
        return ImageInfo("webp", width & 0x3FFF, height & 0x3FFF)
    raise NotAnImage("WebP header is damaged")


# ------------------------------------------------------------------- the whole file


class Readable(Protocol):
    """What layout() reads from: an open binary file (read(n) gives b"" at the end)."""

    def read(self, size: int = -1, /) -> bytes: ...


# PNG colour types and the bit depths each may have (PNG spec, table 11.1).
_PNG_DEPTHS = {0: (1, 2, 4, 8, 16), 2: (8, 16), 3: (1, 2, 4, 8), 4: (8, 16), 6: (8, 16)}
_PNG_SAMPLES = {0: 1, 2: 3, 3: 1, 4: 2, 6: 4}
# Chunks before the picture data that change how its pixels look; a PNG made of some of its
# rows (media.images decodes big PNGs in strips) carries these along, in their order.
PNG_LOOK_CHUNKS = (b"PLTE", b"tRNS", b"gAMA", b"cHRM", b"sRGB", b"iCCP", b"sBIT")
_PNG_LOOK_BYTES_MAX = 4 * 1024 * 1024  # an ICC profile is rarely above 1 MB
# A PNG's pixel data is read back by its chunks' places: this many is never an encoder's choice.
_PNG_IDAT_MAX = 1_000_000
_SCAN_PIECE = 1024 * 1024
_PROGRESSIVE_SOF = {0xC2, 0xC6, 0xCA, 0xCE}
# In entropy-coded data: a marker, not a stuffed 0xFF00, a restart marker or a fill byte.
_MARKER = re.compile(rb"\xff[^\x00\xd0-\xd7\xff]")


@dataclass(frozen=True)
class PngLayout:
    """A PNG's header fields and where its picture data lies, for decoding it in strips."""

    width: int
    height: int
    bit_depth: int
    colour_type: int
    interlaced: bool
    look_chunks: tuple[tuple[bytes, bytes], ...]  # (type, data) of PNG_LOOK_CHUNKS, in file order
    idat: tuple[tuple[int, int], ...]  # (offset, length) of each IDAT chunk's data

    @property
    def row_bytes(self) -> int:
        """Bytes in one unfiltered row (without the filter byte)."""
        return (self.width * _PNG_SAMPLES[self.colour_type] * self.bit_depth + 7) // 8


@dataclass(frozen=True)
class Layout:
    """What reading a whole image file shows beyond its header (see layout())."""

    damage: str = ""  # "" when whole; else words after "it is damaged: "
    frames: int = 1  # more than 1: an animation
    first_frame_is_still: bool = True  # APNG: the still picture is also the first frame
    progressive: bool = False  # JPEG: decoding holds every coefficient at once
    jpeg_blocks: int = 0  # JPEG: 8×8 blocks over all components
    png: PngLayout | None = None


def layout(f: Readable, fmt: str) -> Layout:
    """Walk a whole JPEG, PNG or WebP file (fmt as sniff() judged it) for damage and animation.

    Damage is what a decoder would trip over or silently fill with grey: a file cut short
    (no JPEG end marker, no PNG IEND, a WebP shorter than its RIFF size), a PNG chunk whose
    checksum is wrong, bytes where a JPEG marker must be. Reads pieces of at most 1 MB; the
    caller bounds the file's size.
    """
    try:
        if fmt == "png":
            return _png_layout(_Stream(f))
        if fmt == "jpeg":
            return _jpeg_layout(_Stream(f))
        if fmt == "webp":
            return _webp_layout(_Stream(f))
    except _Truncated:
        return Layout(damage="the file is cut short (its end is missing)")
    raise ValueError(f"unknown image format {fmt!r}")


class _Truncated(Exception):
    pass


class _Stream:
    """Sequential reads with a position; _Truncated when the file ends too soon."""

    def __init__(self, f: Readable) -> None:
        self._f, self.pos = f, 0
        self._buffer, self._at = b"", 0

    def _fill(self) -> bool:
        more = self._f.read(_SCAN_PIECE)
        if not more:
            return False
        self._buffer = self._buffer[self._at:] + more
        self._at = 0
        return True

    def read(self, n: int) -> bytes:
        while len(self._buffer) - self._at < n:
            if not self._fill():
                raise _Truncated
        data = self._buffer[self._at:self._at + n]
        self._at += n
        self.pos += n
        return data

    def pieces(self, n: int) -> Iterator[bytes]:
        """The next n bytes, in pieces of at most _SCAN_PIECE."""
        while n > 0:
            if self._at >= len(self._buffer) and not self._fill():
                raise _Truncated
            piece = self._buffer[self._at:self._at + min(n, _SCAN_PIECE)]
            self._at += len(piece)
            self.pos += len(piece)
            n -= len(piece)
            yield piece

    def skip(self, n: int) -> None:
        for _ in self.pieces(n):
            pass

    def at_end(self) -> bool:
        return self._at >= len(self._buffer) and not self._fill()

    def find_marker(self) -> int:
        """JPEG entropy-coded data: skip to the next marker that is not a stuffed 0xFF00,
        a restart marker or fill; return its code, positioned after it."""
        while True:
            found = _MARKER.search(self._buffer, self._at)
            if found is None:
                # Keep a last 0xFF: its code is in the next piece.
                keep = len(self._buffer) - (1 if self._buffer.endswith(b"\xff") else 0)
                self.pos += max(0, keep - self._at)
                self._at = max(self._at, keep)
                if not self._fill():
                    raise _Truncated
                continue
            self.pos += found.end() - self._at
            self._at = found.end()
            return self._buffer[found.end() - 1]


def _png_layout(s: _Stream) -> Layout:
    s.read(8)
    header: tuple[int, int, int, int, int] | None = None
    look: list[tuple[bytes, bytes]] = []
    look_bytes = 0
    idat: list[tuple[int, int]] = []
    frames, still_is_frame = 1, False
    after_idat = False
    while True:
        length, kind = struct.unpack(">I4s", s.read(8))
        if length > 0x7FFFFFFF or not kind.isalpha():
            return Layout(damage="its PNG chunk structure is broken")
        name = kind.decode("ascii")
        offset = s.pos
        crc = zlib.crc32(kind)
        keep = kind == b"IHDR" or (
            kind in (*PNG_LOOK_CHUNKS, b"acTL") and not idat and look_bytes + length <= _PNG_LOOK_BYTES_MAX)
        kept = bytearray()
        for piece in s.pieces(length):
            crc = zlib.crc32(piece, crc)
            if keep:
                kept += piece
        (stored_crc,) = struct.unpack(">I", s.read(4))
        if stored_crc != crc:
            return Layout(damage=f"a checksum does not match (in its {name} chunk)")
        data = bytes(kept)
        if header is None:
            if kind != b"IHDR" or length != 13:
                return Layout(damage="its PNG header is missing")
            width, height, depth, colour, _, _, interlace = struct.unpack(">IIBBBBB", data)
            if depth not in _PNG_DEPTHS.get(colour, ()) or interlace > 1:
                return Layout(damage="its PNG header holds impossible values")
            header = (width, height, depth, colour, interlace)
            continue
        if kind == b"IDAT":
            if after_idat:
                return Layout(damage="its picture data is broken up by other chunks")
            idat.append((offset, length))
            if len(idat) > _PNG_IDAT_MAX:
                return Layout(damage="its picture data is split into too many pieces")
            continue
        if idat:
            after_idat = True
        if kind == b"IEND":
            break
        if kind == b"acTL" and not idat and length == 8:
            frames = max(1, struct.unpack(">I", data[:4])[0])
            still_is_frame = False
        elif kind == b"fcTL" and not idat:  # the still picture is the animation's first frame
            still_is_frame = True
        elif kind in PNG_LOOK_CHUNKS and not idat and len(data) == length:
            look.append((kind, data))
            look_bytes += length
    if not idat:
        return Layout(damage="it holds no picture data")
    width, height, depth, colour, interlace = header
    png = PngLayout(width, height, depth, colour, bool(interlace), tuple(look), tuple(idat))
    return Layout(frames=frames, first_frame_is_still=frames == 1 or still_is_frame, png=png)


def _jpeg_layout(s: _Stream) -> Layout:
    s.read(2)
    frame_seen = scan_seen = progressive = False
    blocks = 0
    code = s.read(2)
    while True:
        if code[0] != 0xFF:
            return Layout(damage="it holds stray bytes where a JPEG marker must be")
        marker = code[1]
        while marker == 0xFF:  # fill bytes before a marker
            marker = s.read(1)[0]
        if marker == 0xD9:  # end of image: what follows (a second picture, padding) is not read
            break
        if marker == 0x00:
            return Layout(damage="it holds stray bytes where a JPEG marker must be")
        if marker in (0x01, *range(0xD0, 0xD8)):
            code = s.read(2)
            continue
        (length,) = struct.unpack(">H", s.read(2))
        if length < 2:
            return Layout(damage="its JPEG segment structure is broken")
        if marker in _SOF_MARKERS:
            segment = s.read(length - 2)
            if len(segment) < 6 or len(segment) < 6 + 3 * segment[5]:
                return Layout(damage="its JPEG frame header is broken")
            frame_seen = True
            progressive = marker in _PROGRESSIVE_SOF
            blocks = _jpeg_blocks(segment)
        else:
            s.skip(length - 2)
        if marker == 0xDA:
            if not frame_seen:
                return Layout(damage="its picture data comes before its frame header")
            scan_seen = True
            code = bytes((0xFF, s.find_marker()))
            continue
        code = s.read(2)
    if not scan_seen:
        return Layout(damage="it holds no picture data")
    return Layout(progressive=progressive, jpeg_blocks=blocks)


def _jpeg_blocks(frame: bytes) -> int:
    """8×8 blocks over all components of a frame header's picture (sampling factors applied)."""
    height, width, count = struct.unpack(">HHB", frame[1:6])
    factors = [(frame[7 + 3 * i] >> 4, frame[7 + 3 * i] & 0x0F) for i in range(count)]
    h_max = max((h for h, _ in factors), default=1) or 1
    v_max = max((v for _, v in factors), default=1) or 1
    total = 0
    for h, v in factors:
        columns = -(-width * h // h_max)
        rows = -(-height * v // v_max)
        total += -(-columns // 8) * -(-rows // 8)
    return total


def _webp_layout(s: _Stream) -> Layout:
    _, riff_size, _ = struct.unpack("<4sI4s", s.read(12))
    end = 8 + riff_size
    frames, picture = 0, False
    while s.pos + 8 <= end:
        kind, size = struct.unpack("<4sI", s.read(8))
        if s.pos + size > end:
            return Layout(damage="its WebP chunk structure is broken")
        frames += kind == b"ANMF"
        picture = picture or kind in (b"VP8 ", b"VP8L")
        s.skip(min(size + (size & 1), end - s.pos))  # chunks are padded to an even size
    s.skip(end - s.pos)  # the RIFF size says how long the file is: shorter is cut short
    if not picture and not frames:
        return Layout(damage="it holds no picture data")
    return Layout(frames=max(1, frames))
