"""The simulator's own reading of the submit contract (shared/NOVITA_API.md, sections 1 and 3).

Written from the contract document, not from the client: the simulator must not share the
client's request model, or a misreading of the contract in the client would pass unseen.
Pure stdlib; nothing here imports the rest of vidu_desktop.

`check(payload)` takes a decoded JSON body and answers either a `Submission` (the body with
the documented defaults filled in) or a `Refusal` (the documented reason code and a message
naming every problem).
"""

from __future__ import annotations

import base64
import binascii
import re
import struct
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

ENDPOINT = "/v3/async/vidu-q3-turbo-i2v"

# Section 1, field by field.
PROMPT_MAX_CHARS = 5000
DURATION_MIN, DURATION_MAX = 1, 16
SEED_MIN, SEED_MAX = 0, 2_147_483_647  # 0 (or absent): the server picks one
RESOLUTION_HEIGHTS = {"540p": 540, "720p": 720, "1080p": 1080}
AUDIO_TYPES = ("all", "speech_only", "sound_effect_only")
BOOLEAN_FIELDS = ("audio", "is_rec", "off_peak")
# "max 50 MB per image"; a Base64 data URI: "the decoded image under 10 MB"; "the whole HTTP
# body [limited] to 20 MB". The document does not say whether MB means 10^6 or 2^20 bytes;
# this reads them as MiB (the looser reading, so only a clear overshoot is refused).
MB = 1024 * 1024
IMAGE_MAX_BYTES = 50 * MB
DATA_URI_MAX_BYTES = 10 * MB
BODY_MAX_BYTES = 20 * MB
# "jpg, jpeg, png, webp": the media type a data URI must carry for each format.
MEDIA_TYPES = {"png": "image/png", "jpeg": "image/jpeg", "webp": "image/webp"}
# "aspect ratio between 1:4 and 4:1", both ends included.
ASPECT_MIN, ASPECT_MAX = (1, 4), (4, 1)

# Section 3: the reasons a refused submission carries (HTTP 400 each).
INVALID_REQUEST_BODY = "INVALID_REQUEST_BODY"
IMAGE_FILE_EXCEEDS_MAX_SIZE = "IMAGE_FILE_EXCEEDS_MAX_SIZE"
INVALID_IMAGE_FORMAT = "INVALID_IMAGE_FORMAT"

_DATA_URI = re.compile(r"data:(?P<type>[^;,]*);base64,(?P<data>.*)", re.DOTALL)


@dataclass(frozen=True)
class Submission:
    """An accepted submit body, with the contract's defaults for absent fields."""

    images: tuple[str, ...] = ()
    prompt: str = ""
    duration: int = 5
    resolution: str = "720p"
    seed: int = 0
    audio: bool = True
    audio_type: str = "all"
    is_rec: bool = False
    off_peak: bool = False

    @property
    def height(self) -> int:
        return RESOLUTION_HEIGHTS[self.resolution]


@dataclass(frozen=True)
class Refusal:
    """A refused submit body: the reason code to answer with and every problem in words."""

    reason: str
    message: str


@dataclass(frozen=True)
class ImageHeader:
    format: str  # a key of MEDIA_TYPES
    width: int
    height: int


def check(payload: Any) -> Submission | Refusal:
    """Judge a decoded submit body against the contract."""
    if not isinstance(payload, dict):
        return Refusal(INVALID_REQUEST_BODY, "The body must be a JSON object.")
    problems: list[tuple[str, str]] = []  # (reason, message), in field order

    raw_images = payload.get("images")
    images: list[Any] = raw_images if isinstance(raw_images, list) else []
    if "images" not in payload:
        problems.append((INVALID_REQUEST_BODY, "images is required."))
    elif not isinstance(raw_images, list):
        return Refusal(INVALID_REQUEST_BODY, "images must be an array of strings.")
    elif not images:
        problems.append((INVALID_REQUEST_BODY, "images must hold at least one image."))
    else:
        for index, image in enumerate(images):
            label = "The image" if len(images) == 1 else f"Image {index + 1}"
            problems += [(why, f"{label}: {text}.") for why, text in image_problems(image)]

    prompt = payload.get("prompt", "")
    if not isinstance(prompt, str):
        problems.append((INVALID_REQUEST_BODY, "prompt must be a string."))
    elif len(prompt) > PROMPT_MAX_CHARS:
        problems.append((INVALID_REQUEST_BODY, f"The prompt has {len(prompt)} characters; "
                                               f"at most {PROMPT_MAX_CHARS} are allowed."))
    if not _int_between(payload.get("duration", 5), DURATION_MIN, DURATION_MAX):
        problems.append((INVALID_REQUEST_BODY, f"Duration must be an integer number of seconds "
                                               f"from {DURATION_MIN} to {DURATION_MAX}."))
    if payload.get("resolution", "720p") not in RESOLUTION_HEIGHTS:
        problems.append((INVALID_REQUEST_BODY,
                         f"Resolution must be one of {', '.join(RESOLUTION_HEIGHTS)}."))
    if not _int_between(payload.get("seed", 0), SEED_MIN, SEED_MAX):
        problems.append((INVALID_REQUEST_BODY,
                         f"Seed must be an integer from {SEED_MIN} to {SEED_MAX}."))
    for name in BOOLEAN_FIELDS:
        if name in payload and not isinstance(payload[name], bool):
            problems.append((INVALID_REQUEST_BODY, f"{name} must be a boolean."))
    if payload.get("audio_type", "all") not in AUDIO_TYPES:
        problems.append((INVALID_REQUEST_BODY,
                         f"Audio type must be one of {', '.join(AUDIO_TYPES)}."))

    if problems:
        # The most specific reason wins (image size or format); otherwise the generic one.
        reason = next((why for why, _ in problems if why != INVALID_REQUEST_BODY),
                      INVALID_REQUEST_BODY)
        return Refusal(reason, " ".join(text for _, text in problems))
    defaults = Submission()
    return Submission(
        images=tuple(images),  # checked above: a list of strings
        **{name: payload.get(name, getattr(defaults, name))
           for name in ("prompt", "duration", "resolution", "seed", "audio", "audio_type",
                        "is_rec", "off_peak")})


def image_problems(image: object) -> list[tuple[str, str]]:
    """What is wrong with one entry of `images`: an http(s) URL or a base64 data URI."""
    if not isinstance(image, str) or not image:
        return [(INVALID_REQUEST_BODY, "it must be a non-empty string")]
    if is_web_url(image):
        return []  # fetched later; its bytes are not judged at submission
    match = _DATA_URI.fullmatch(image)
    if not match:
        return [(INVALID_REQUEST_BODY, "it must be an http(s) URL or a data:image/...;base64, URI")]
    if not match["type"]:
        return [(INVALID_IMAGE_FORMAT, "the data URI names no media type")]
    try:
        data = base64.b64decode(match["data"], validate=True)
    except (binascii.Error, ValueError):
        return [(INVALID_IMAGE_FORMAT, "its base64 data cannot be decoded")]
    problems = []
    if len(data) > DATA_URI_MAX_BYTES:
        problems.append((IMAGE_FILE_EXCEEDS_MAX_SIZE,
                         f"it is {len(data)} bytes, over the {DATA_URI_MAX_BYTES} allowed "
                         f"for a data URI"))
    header = read_image_header(data)
    if header is None:
        return [*problems, (INVALID_IMAGE_FORMAT, "it is not a readable JPEG, PNG or WebP image")]
    if MEDIA_TYPES[header.format] != match["type"]:
        problems.append((INVALID_IMAGE_FORMAT, f"it is labelled {match['type']} but holds "
                                               f"{MEDIA_TYPES[header.format]}"))
    if not aspect_allowed(header.width, header.height):
        problems.append((INVALID_REQUEST_BODY, f"its size {header.width}x{header.height} is "
                                               f"outside the 1:4 to 4:1 aspect ratio"))
    return problems


def aspect_allowed(width: int, height: int) -> bool:
    """1:4 <= width:height <= 4:1, in whole numbers (no rounding at the ends)."""
    (low_w, low_h), (high_w, high_h) = ASPECT_MIN, ASPECT_MAX
    return width > 0 and height > 0 and width * low_h >= height * low_w \
        and width * high_h <= height * high_w


def is_web_url(text: str) -> bool:
    try:
        parts = urlsplit(text)
    except ValueError:
        return False
    return parts.scheme in ("http", "https") and bool(parts.netloc)


def decode_data_uri(text: str) -> bytes | None:
    """The bytes of a base64 data URI (as checked by `check`); None for anything else."""
    match = _DATA_URI.fullmatch(text)
    if not match:
        return None
    try:
        return base64.b64decode(match["data"], validate=True)
    except (binascii.Error, ValueError):
        return None


def _int_between(value: object, low: int, high: int) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and low <= value <= high


# -------------------------------------------------------------------- image headers


def read_image_header(data: bytes) -> ImageHeader | None:
    """Format and pixel size of a PNG, JPEG or WebP from its header; None if unreadable."""
    try:
        if data[:8] == b"\x89PNG\r\n\x1a\n":
            return _png_header(data)
        if data[:2] == b"\xff\xd8":
            return _jpeg_header(data)
        if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
            return _webp_header(data)
    except (IndexError, struct.error):
        return None
    return None


def _png_header(data: bytes) -> ImageHeader | None:
    # The first chunk must be IHDR: length 13, then width and height as big-endian uint32.
    if data[12:16] != b"IHDR":
        return None
    width, height = struct.unpack_from(">II", data, 16)
    return ImageHeader("png", width, height)


# Start-of-frame markers (baseline, progressive, lossless, arithmetic...): 0xC0-0xCF except
# DHT (0xC4), JPG (0xC8) and DAC (0xCC), which share the range but carry no frame size.
_JPEG_FRAME_MARKERS = frozenset(range(0xC0, 0xD0)) - {0xC4, 0xC8, 0xCC}
_JPEG_BARE_MARKERS = frozenset({0x01, *range(0xD0, 0xD9)})  # TEM, RSTn, SOI: no length field


def _jpeg_header(data: bytes) -> ImageHeader | None:
    at = 2
    while at + 1 < len(data):
        if data[at] != 0xFF:
            return None
        marker = data[at + 1]
        if marker == 0xFF:  # padding before a marker
            at += 1
            continue
        if marker in _JPEG_BARE_MARKERS:
            at += 2
            continue
        if marker in (0xD9, 0xDA):  # end of image, or scan data before any frame header
            return None
        (length,) = struct.unpack_from(">H", data, at + 2)
        if marker in _JPEG_FRAME_MARKERS:
            # Segment: length (2), sample precision (1), height (2), width (2), ...
            height, width = struct.unpack_from(">HH", data, at + 5)
            return ImageHeader("jpeg", width, height)
        if length < 2:
            return None
        at += 2 + length
    return None


def _webp_header(data: bytes) -> ImageHeader | None:
    kind = data[12:16]
    payload = 20  # after "RIFF" size "WEBP" fourcc chunk-size
    if kind == b"VP8 ":  # lossy: 3-byte frame tag, start code, 14-bit width and height
        if data[payload + 3:payload + 6] != b"\x9d\x01\x2a":
            return None
        width, height = struct.unpack_from("<HH", data, payload + 6)
        return ImageHeader("webp", width & 0x3FFF, height & 0x3FFF)
    if kind == b"VP8L":  # lossless: signature 0x2F, then (width-1) and (height-1) in 14 bits each
        if data[payload] != 0x2F:
            return None
        (bits,) = struct.unpack_from("<I", data, payload + 1)
        return ImageHeader("webp", (bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1)
    if kind == b"VP8X":  # extended: 4 flag bytes, then (width-1) and (height-1) in 24 bits each
        canvas = data[payload + 4:payload + 10]
        if len(canvas) < 6:
            return None
        width = int.from_bytes(canvas[:3], "little") + 1
        height = int.from_bytes(canvas[3:], "little") + 1
        return ImageHeader("webp", width, height)
    return None
