"""The Vidu Q3 Turbo image-to-video request: every field, its default, its range.

The limits here are the contract (../shared/NOVITA_API.md, section 1) written once; the
simulator checks submissions against the same table. VideoSettings holds the eight fields
other than the image, with their defaults written once; its body() is the one place a
request body is made.
"""

from __future__ import annotations

import base64
import binascii
import json
import math
import re
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass, fields, replace
from typing import Any, ClassVar, TypeGuard
from urllib.parse import urlsplit

from .errors import QT_TRANSLATE_NOOP, translate
from .imageinfo import ImageInfo, NotAnImage, sniff

ENDPOINT = "/v3/async/vidu-q3-turbo-i2v"

PROMPT_MAX_CHARS = 5000
DURATION_RANGE = (1, 16)
SEED_RANGE = (0, 2_147_483_647)
RESOLUTIONS = ("540p", "720p", "1080p")
AUDIO_TYPES = ("all", "speech_only", "sound_effect_only")
MAX_IMAGE_BYTES = 50 * 1024 * 1024  # per image, as a file
MAX_INLINE_IMAGE_BYTES = 10 * 1024 * 1024  # decoded size of a base64 data URI
MAX_LINK_CHARS = 2048  # what browsers and servers reliably take
MIN_ASPECT, MAX_ASPECT = 1 / 4, 4 / 1
RESOLUTION_HEIGHTS = {"540p": 540, "720p": 720, "1080p": 1080}

# Translate a looked-up label with translate("VideoSettings", label) where it is shown.
AUDIO_TYPE_LABELS = {
    "all": QT_TRANSLATE_NOOP("VideoSettings", "Speech and sound effects"),
    "speech_only": QT_TRANSLATE_NOOP("VideoSettings", "Speech only"),
    "sound_effect_only": QT_TRANSLATE_NOOP("VideoSettings", "Sound effects only"),
}

_DATA_URI = re.compile(r"^data:(?P<type>image/[\w.+-]+);base64,(?P<data>.*)$", re.DOTALL)


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a request, in words for the person who can fix it."""

    field: str
    message: str
    reason: str = ""  # the message without what was done about it ("The default was used.")

    def __str__(self) -> str:
        return self.message


def image_problems(data: bytes, *, limit: int = MAX_IMAGE_BYTES) -> tuple[ImageInfo | None, list[str]]:
    """Check an image's bytes against the API's limits; return what was read and what is wrong."""
    if not data:
        return None, [translate("request", "the file is empty")]
    problems: list[str] = []
    if len(data) > limit:
        problems.append(translate("request", "it is {size}, more than the {limit} allowed").format(
            size=format_size(len(data)), limit=format_size(limit)))
    try:
        info = sniff(data)
    except NotAnImage:
        return None, [*problems, translate("request", "it is not a JPEG, PNG or WebP image")]
    if info.width <= 0 or info.height <= 0:
        return info, [*problems, translate("request", "it has no pixels")]
    ratio = info.width / info.height
    if not MIN_ASPECT <= ratio <= MAX_ASPECT:
        problems.append(translate("request", "its shape ({width}×{height}) is outside the allowed 1:4 to 4:1 aspect "
                                             "ratio").format(width=info.width, height=info.height))
    return info, problems


# Megabytes of image pass through base64 and JSON in slices: C functions hold the GIL for
# their whole call, and a 10 MB one would freeze the window for tens of milliseconds.
_SLICE_BYTES = 3 * 256 * 1024  # a multiple of 3: base64 slices join without padding
_BASE64_ALPHABET = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/="


def data_uri(data: bytes, media_type: str) -> str:
    encoded = b"".join(base64.b64encode(data[start:start + _SLICE_BYTES])
                       for start in range(0, len(data), _SLICE_BYTES))
    return f"data:{media_type};base64,{encoded.decode('ascii')}"


def _needs_no_json_escaping(text: bytes) -> bool:
    return all(not text[start:start + _SLICE_BYTES].translate(None, _BASE64_ALPHABET)
               for start in range(0, len(text), _SLICE_BYTES))


def format_size(n: int) -> str:
    """"4.1 MB", "12 KB", "80 bytes": total (a size too big for a float is still words)."""
    if n >= 1024**5:
        return translate("format_size", "more than 1 PB")
    if n >= 1024 * 1024:
        return f"{n / (1024 * 1024):.1f} MB"
    if n >= 1024:
        return f"{n / 1024:.0f} KB"
    return translate("format_size", "{count} bytes").format(count=n)


def is_web_url(text: str) -> bool:
    """Whether `text` is meant as a link (it starts with http:// or https://); link_problem
    says whether it is a usable one."""
    return text.startswith(("http://", "https://")) and len(text) > len("https://")


def link_problem(text: str) -> str:
    """What makes `text` unusable as an image link, in words ("" for a usable one): an http(s)
    link naming a host, one line without spaces or control characters, at most MAX_LINK_CHARS,
    and without a user name or password in it (those would be shown and stored)."""
    if len(text) > MAX_LINK_CHARS:
        return translate("request", "the link is {length} characters long; the limit is {limit}").format(
            length=len(text), limit=MAX_LINK_CHARS)
    if any(char.isspace() or unicodedata.category(char).startswith("C") for char in text):
        return translate("request", "the link holds spaces, line breaks or control characters")
    try:
        parts = urlsplit(text)
        host = parts.hostname
        has_credentials = parts.username is not None or parts.password is not None
        parts.port  # noqa: B018 - raises ValueError for a port out of range or not a number
    except ValueError:
        return translate("request", "the link cannot be read")
    if parts.scheme not in ("http", "https"):
        return translate("request", "the link must start with http:// or https://")
    if not host:
        return translate("request", "the link names no server")
    if has_credentials:
        return translate("request", "the link holds a user name or password; use a link without them")
    return ""


def _is_int(value: object) -> TypeGuard[int]:
    return isinstance(value, int) and not isinstance(value, bool)


def _duration_problem(value: object) -> str:
    low, high = DURATION_RANGE
    if _is_int(value) and low <= value <= high:
        return ""
    return translate("request", "Duration must be a whole number of seconds from {low} to {high}.").format(
        low=low, high=high)


def _seed_problem(value: object) -> str:
    low, high = SEED_RANGE
    if _is_int(value) and low <= value <= high:
        return ""
    return translate("request", "Seed must be a whole number from {low} to {high} (0 picks one at random).").format(
        low=low, high=high)


def _prompt_problem(value: object) -> str:
    if not isinstance(value, str):
        return translate("request", "The prompt must be text.")
    if len(value) > PROMPT_MAX_CHARS:
        return translate("request", "The prompt is {length} characters long; the limit is {limit}.").format(
            length=len(value), limit=PROMPT_MAX_CHARS)
    return ""


def _choice_problem(label: str, choices: tuple[str, ...]) -> Callable[[object], str]:
    """`label` marked with QT_TRANSLATE_NOOP("request", …): translated when the words are made."""
    def check(value: object) -> str:
        return "" if isinstance(value, str) and value in choices else \
            translate("request", "{setting} must be one of {choices}.").format(
                setting=translate("request", label), choices=", ".join(choices))
    return check


def _switch_problem(label: str) -> Callable[[object], str]:
    def check(value: object) -> str:
        return "" if isinstance(value, bool) else translate("request", "{setting} must be on or off.").format(
            setting=translate("request", label))
    return check


#: One check per field, in the order of the fields: "" when the value is acceptable.
_CHECKS: dict[str, Callable[[object], str]] = {
    "prompt": _prompt_problem,
    "duration": _duration_problem,
    "resolution": _choice_problem(QT_TRANSLATE_NOOP("request", "Resolution"), RESOLUTIONS),
    "seed": _seed_problem,
    "audio": _switch_problem(QT_TRANSLATE_NOOP("request", "Audio")),
    "audio_type": _choice_problem(QT_TRANSLATE_NOOP("request", "Audio type"), AUDIO_TYPES),
    "is_rec": _switch_problem(QT_TRANSLATE_NOOP("request", "Audio following the motion")),
    "off_peak": _switch_problem(QT_TRANSLATE_NOOP("request", "Off-peak")),
}

_TRUE_WORDS = frozenset({"true", "yes", "on", "1"})
_FALSE_WORDS = frozenset({"false", "no", "off", "0"})


def _coerce(name: str, value: object) -> object:
    """Unambiguous text and number forms (CSV, QSettings, old JSON) read as the field's type."""
    if name in ("duration", "seed"):
        if isinstance(value, float) and math.isfinite(value) and value.is_integer():
            return int(value)
        if isinstance(value, str) and re.fullmatch(r"\s*[+-]?\d{1,12}\s*", value):
            return int(value)
    elif name in ("audio", "is_rec", "off_peak"):
        if isinstance(value, str):
            word = value.strip().lower()
            if word in _TRUE_WORDS or word in _FALSE_WORDS:
                return word in _TRUE_WORDS
        elif _is_int(value) and value in (0, 1):
            return bool(value)
    elif name in ("resolution", "audio_type") and isinstance(value, str):
        return value.strip().lower()
    return value


@dataclass(frozen=True)
class VideoSettings:
    """The eight request fields other than the image; their defaults are written here only.

    Construct it freely (the dataclass does not check types); problems() says what is wrong.
    from_mapping() and from_json() read outside data and always give valid settings.
    """

    prompt: str = ""
    duration: int = 5
    resolution: str = "720p"
    seed: int = 0  # 0 = the server picks one
    audio: bool = True
    audio_type: str = "all"
    is_rec: bool = False
    off_peak: bool = False

    SCHEMA: ClassVar[int] = 1

    def problems(self) -> list[Problem]:
        """Every problem at once, each naming its field; an empty list means it can be sent."""
        problems = []
        for name, check in _CHECKS.items():
            message = check(getattr(self, name))
            if message:
                problems.append(Problem(name, message))
        return problems

    def body(self, image: str) -> dict[str, Any]:
        """The JSON body of POST ENDPOINT: the one place a request body is built."""
        return {"images": [image], **{name: getattr(self, name) for name in _FIELD_NAMES}}

    def body_bytes(self, image: str) -> bytes:
        """body(image) as the JSON bytes that are sent. A data URI's base64 (nothing in it
        needs escaping) is spliced in rather than scanned by json.dumps in one long call."""
        head, separator, payload = image.partition(";base64,")
        encoded = payload.encode("ascii", "replace") if separator and image.startswith("data:") else b""
        if not encoded or not _needs_no_json_escaping(encoded):
            return json.dumps(self.body(image), allow_nan=False).encode()
        placeholder = "\x00image\x00"
        text = json.dumps(self.body(head + separator + placeholder), allow_nan=False).encode()
        before, _, after = text.partition(json.dumps(placeholder).encode()[1:-1])
        return b"".join((before, encoded, after))

    def to_json(self) -> str:
        """{"schema": 1, ...the fields}: what the job store keeps.

        Total: a field with a problem (possible only for settings built by hand) is written
        as its default, as from_json() would read it back anyway.
        """
        values: dict[str, Any] = {"schema": self.SCHEMA}
        for name, check in _CHECKS.items():
            value = getattr(self, name)
            values[name] = _DEFAULTS[name] if check(value) else value
        return json.dumps(values, ensure_ascii=False)

    @classmethod
    def from_json(cls, text: str | bytes | None) -> VideoSettings:
        """Tolerant: unreadable text, a missing, bad or unknown field -> that field's default.

        Reads both the versioned form ({"schema": 1, ...}) and the old un-versioned dict.
        """
        if not text:
            return cls()
        try:
            values = json.loads(text)
        except (ValueError, RecursionError):  # UnicodeDecodeError is a ValueError too
            return cls()
        if not isinstance(values, dict):
            return cls()
        values.pop("schema", None)
        return cls.from_mapping(values)[0]

    @classmethod
    def from_mapping(cls, values: Mapping[str, object]) -> tuple[VideoSettings, list[Problem]]:
        """Read outside values (a CSV row, QSettings, a dict): each bad value becomes the
        field's default plus a Problem naming the field; each unknown key is a Problem."""
        chosen: dict[str, Any] = {}
        problems = []
        for key in values:
            if key not in _CHECKS:
                name = str(key)
                problems.append(Problem(name[:100], translate("request", "There is no setting called {name}.").format(
                    name=repr(name[:100]))))
        for name, check in _CHECKS.items():
            if name not in values:
                continue
            value = _coerce(name, values[name])
            message = check(value)
            if message:
                problems.append(Problem(name, translate("request", "{problem} The default was used.").format(
                    problem=message), reason=message))
            else:
                chosen[name] = value
        return cls(**chosen), problems

    def summary(self) -> str:
        """The settings in one line ("5 s · 720p · sound"), for lists, tooltips and logs.

        Total: whatever the fields hold, it returns words and never raises.
        """
        def shown(value: object, limit: int = 20) -> str:
            if isinstance(value, str):
                return " ".join(value[:limit].split()) or "?"
            if isinstance(value, float):
                return f"{value:.6g}"
            if _is_int(value) and abs(value) < 10**limit:  # str() refuses ints of 4300+ digits
                return str(value)
            return "?"

        parts = [translate("VideoSettings", "{seconds} s").format(seconds=shown(self.duration)), shown(self.resolution)]
        if self.audio is True:
            parts.append(translate("VideoSettings", _sound_words(self.audio_type)))
        else:
            parts.append(translate("VideoSettings", "silent"))
        if _is_int(self.seed) and self.seed:
            parts.append(translate("VideoSettings", "seed {seed}").format(seed=shown(self.seed)))
        if self.is_rec is True:
            parts.append(translate("VideoSettings", "sound follows motion"))
        if self.off_peak is True:
            parts.append(translate("VideoSettings", "off-peak"))
        return " · ".join(parts)

    def replace(self, **changes: Any) -> VideoSettings:
        """A copy with some fields changed (dataclasses.replace, spelled shorter)."""
        return replace(self, **changes)


_FIELD_NAMES = tuple(f.name for f in fields(VideoSettings))
_DEFAULTS: dict[str, object] = {f.name: f.default for f in fields(VideoSettings)}
if tuple(_CHECKS) != _FIELD_NAMES:  # pragma: no cover - a field was added without its check
    raise AssertionError("every VideoSettings field needs exactly one check in _CHECKS")
_SOUND_WORDS = {"all": QT_TRANSLATE_NOOP("VideoSettings", "sound"),
                "speech_only": QT_TRANSLATE_NOOP("VideoSettings", "speech only"),
                "sound_effect_only": QT_TRANSLATE_NOOP("VideoSettings", "sound effects only")}


def _sound_words(audio_type: object) -> str:
    """The English words; translate them with translate("VideoSettings", …)."""
    return _SOUND_WORDS.get(audio_type, _SOUND_WORDS["all"]) if isinstance(audio_type, str) else _SOUND_WORDS["all"]


def image_reference_problems(image: str) -> list[Problem]:
    """Check what goes in `images`: an http(s) link, or a base64 data URI within the limits.

    Decodes a data URI in full: call it off the GUI thread for big images.
    """
    return [Problem("images", translate("request", "The image: {problem}.").format(problem=message))
            for message in _image_reference_problems(image)]


def _image_reference_problems(image: object) -> list[str]:
    if not isinstance(image, str) or not image:
        return [translate("request", "it is missing")]
    if is_web_url(image):
        problem = link_problem(image)
        return [problem] if problem else []
    match = _DATA_URI.match(image)
    if not match:
        return [translate("request", "it must be an http(s) link or a base64 data URI")]
    try:
        data = base64.b64decode(match["data"], validate=True)
    except (binascii.Error, ValueError):
        return [translate("request", "its base64 data is damaged")]
    info, problems = image_problems(data, limit=MAX_INLINE_IMAGE_BYTES)
    if info and match["type"] != info.media_type:
        problems.append(translate("request", "it is labelled {label} but contains {content}").format(
            label=match["type"], content=info.media_type))
    return problems


# -- what Generate asks for ----------------------------------------------------------------------

MAX_TAKES = 8
RELATIONS = ("", "rerun", "continue")  # how a job came from its parent job


@dataclass(frozen=True)
class ImageOrder:
    """Videos wanted from one image: its own settings (prompt included) and how many takes.

    Every take is sent with an explicit seed, so any of them can be made again exactly.
    """

    source: str  # a file path or an http(s) link
    settings: VideoSettings
    takes: int = 1  # 1..MAX_TAKES
    parent_id: int | None = None  # the job this one re-runs or continues
    relation: str = ""  # one of RELATIONS

    def take_settings(self, draw: Callable[[], int]) -> list[VideoSettings]:
        """The settings of each take. A seed the user chose is kept for the first take;
        every other take gets a seed from `draw` (SEED_RANGE, 0 excluded: 0 means "any"),
        all distinct."""
        takes = min(MAX_TAKES, max(1, int(self.takes)))
        seeds: list[int] = [self.settings.seed] if self.settings.seed else []
        while len(seeds) < takes:
            seed = draw()
            if SEED_RANGE[0] < seed <= SEED_RANGE[1] and seed not in seeds:
                seeds.append(seed)
        return [replace(self.settings, seed=seed) for seed in seeds]
