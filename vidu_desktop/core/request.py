"""The Vidu Q3 Turbo image-to-video request: every field, its default, its range.

The limits here are the contract (../shared/NOVITA_API.md, section 1) written once; the
simulator checks submissions against the same table.
"""

from __future__ import annotations

import base64
import binascii
import re
from dataclasses import asdict, dataclass
from typing import Any

from .imageinfo import ImageInfo, NotAnImage, sniff

ENDPOINT = "/v3/async/vidu-q3-turbo-i2v"

PROMPT_MAX_CHARS = 5000
DURATION_RANGE = (1, 16)
SEED_RANGE = (0, 2_147_483_647)
RESOLUTIONS = ("540p", "720p", "1080p")
AUDIO_TYPES = ("all", "speech_only", "sound_effect_only")
MAX_IMAGE_BYTES = 50 * 1024 * 1024  # per image, as a file
MAX_INLINE_IMAGE_BYTES = 10 * 1024 * 1024  # decoded size of a base64 data URI
MIN_ASPECT, MAX_ASPECT = 1 / 4, 4 / 1
RESOLUTION_HEIGHTS = {"540p": 540, "720p": 720, "1080p": 1080}

AUDIO_TYPE_LABELS = {
    "all": "Speech and sound effects",
    "speech_only": "Speech only",
    "sound_effect_only": "Sound effects only",
}

_DATA_URI = re.compile(r"^data:(?P<type>image/[\w.+-]+);base64,(?P<data>.*)$", re.DOTALL)


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a request, in words for the person who can fix it."""

    field: str
    message: str

    def __str__(self) -> str:
        return self.message


def image_problems(data: bytes, *, limit: int = MAX_IMAGE_BYTES) -> tuple[ImageInfo | None, list[str]]:
    """Check an image's bytes against the API's limits; return what was read and what is wrong."""
    if not data:
        return None, ["the file is empty"]
    problems = []
    if len(data) > limit:
        problems.append(f"it is {format_size(len(data))}, more than the {format_size(limit)} allowed")
    try:
        info = sniff(data)
    except NotAnImage:
        return None, problems + ["it is not a JPEG, PNG or WebP image"]
    if info.width <= 0 or info.height <= 0:
        return info, problems + ["it has no pixels"]
    ratio = info.width / info.height
    if not MIN_ASPECT <= ratio <= MAX_ASPECT:
        problems.append(
            f"its shape ({info.width}×{info.height}) is outside the allowed 1:4 to 4:1 aspect ratio"
        )
    return info, problems


def data_uri(data: bytes, media_type: str) -> str:
    return f"data:{media_type};base64,{base64.b64encode(data).decode('ascii')}"


def format_size(n: int) -> str:
    if n >= 1024 * 1024:
        return f"{n / (1024 * 1024):.1f} MB"
    if n >= 1024:
        return f"{n / 1024:.0f} KB"
    return f"{n} bytes"


def is_web_url(text: str) -> bool:
    return text.startswith(("http://", "https://")) and len(text) > len("https://")


@dataclass(frozen=True)
class VideoRequest:
    """A submission to POST /v3/async/vidu-q3-turbo-i2v, with the documented defaults."""

    images: tuple[str, ...] = ()
    prompt: str = ""
    duration: int = 5
    resolution: str = "720p"
    seed: int = 0  # 0 = the server picks one
    audio: bool = True
    audio_type: str = "all"
    is_rec: bool = False
    off_peak: bool = False

    def validate(self) -> list[Problem]:
        """Every problem at once, each naming its field; an empty list means it can be sent."""
        problems: list[Problem] = []

        def add(name: str, message: str) -> None:
            problems.append(Problem(name, message))

        if not isinstance(self.images, (tuple, list)):
            add("images", "Images must be a list of links or data URIs.")
        elif not self.images:
            add("images", "Add an image to animate.")
        for index, image in enumerate(self.images if isinstance(self.images, (tuple, list)) else ()):
            label = "The image" if len(self.images) == 1 else f"Image {index + 1}"
            for message in _image_reference_problems(image):
                add("images", f"{label}: {message}.")

        if not isinstance(self.prompt, str):
            add("prompt", "The prompt must be text.")
        elif len(self.prompt) > PROMPT_MAX_CHARS:
            add("prompt", f"The prompt is {len(self.prompt)} characters long; "
                          f"the limit is {PROMPT_MAX_CHARS}.")

        low, high = DURATION_RANGE
        if not _is_int(self.duration) or not low <= self.duration <= high:
            add("duration", f"Duration must be a whole number of seconds from {low} to {high}.")
        if self.resolution not in RESOLUTIONS:
            add("resolution", f"Resolution must be one of {', '.join(RESOLUTIONS)}.")
        low, high = SEED_RANGE
        if not _is_int(self.seed) or not low <= self.seed <= high:
            add("seed", f"Seed must be a whole number from {low} to {high} (0 picks one at random).")
        for name in ("audio", "is_rec", "off_peak"):
            if not isinstance(getattr(self, name), bool):
                add(name, f"{name} must be on or off.")
        if self.audio_type not in AUDIO_TYPES:
            add("audio_type", f"Audio type must be one of {', '.join(AUDIO_TYPES)}.")
        return problems

    def to_payload(self) -> dict[str, Any]:
        payload = asdict(self)
        payload["images"] = list(self.images)
        return payload

    def summary(self) -> str:
        """The parameters in one line, for tooltips and logs (never the image data)."""
        parts = [f"{self.duration} s", self.resolution,
                 f"seed {self.seed or 'random'}",
                 f"audio: {AUDIO_TYPE_LABELS.get(self.audio_type, self.audio_type)}" if self.audio else "no audio"]
        if self.is_rec:
            parts.append("audio follows motion")
        if self.off_peak:
            parts.append("off-peak")
        return ", ".join(parts)


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _image_reference_problems(image: object) -> list[str]:
    if not isinstance(image, str) or not image:
        return ["it is missing"]
    if is_web_url(image):
        return []
    match = _DATA_URI.match(image)
    if not match:
        return ["it must be an http(s) link or a base64 data URI"]
    try:
        data = base64.b64decode(match["data"], validate=True)
    except (binascii.Error, ValueError):
        return ["its base64 data is damaged"]
    info, problems = image_problems(data, limit=MAX_INLINE_IMAGE_BYTES)
    if info and match["type"] != info.media_type:
        problems.append(f"it is labelled {match['type']} but contains {info.media_type}")
    return problems


def request_from_payload(payload: dict[str, Any]) -> VideoRequest:
    """Read a JSON body back into a request, filling documented defaults (the simulator's view)."""
    defaults = VideoRequest()
    values = {name: payload.get(name, getattr(defaults, name)) for name in _FIELD_NAMES}
    images = values["images"]
    values["images"] = tuple(images) if isinstance(images, list) else images
    return VideoRequest(**values)


_FIELD_NAMES = tuple(f.name for f in VideoRequest.__dataclass_fields__.values())
