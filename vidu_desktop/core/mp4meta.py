"""What travels with a saved video: its prompt, settings, seed, task id, source file name and
the app's version, inside the MP4 itself (mutagen writes the tags).

Standard iTunes-style tags that players and ffprobe show (title, comment, description,
encoder, date), plus one freeform tag (JOB_TAG) holding the rest as JSON. Only the movie's
metadata box changes: the video and audio samples stay byte-identical to what Novita sent.

Reading is total: a file without these tags, or a hostile one (no moov, a huge or deeply
nested one, bad JSON), gives None; writing raises MetadataError, and the caller keeps the video.
"""

from __future__ import annotations

import json
import math
import os
import shutil
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeGuard

from .files import NotAFile, open_regular
from .request import SEED_RANGE, VideoSettings

JOB_TAG = "----:io.github.vidu_desktop:job"
SCHEMA = 1
MAX_MOOV_BYTES = 16 * 1024 * 1024  # the metadata box of a short clip is a few hundred kB at most
MAX_TOP_LEVEL_BOXES = 10_000
MAX_JSON_BYTES = 64 * 1024  # the job tag holds a prompt of at most 5000 characters and a few fields
MAX_TEXT = 5000
TITLE_CHARS = 120


class MetadataError(Exception):
    """The tags could not be written (the file is not an MP4 mutagen can change, or the disk
    refused); the video itself is untouched or unchanged in content."""


@dataclass(frozen=True)
class VideoMetadata:
    """What the app writes into a video it saved, and reads back on import."""

    prompt: str = ""
    settings: VideoSettings = field(default_factory=VideoSettings)
    seed: int | None = None  # the seed the video was made with (the server's word)
    task_id: str = ""
    source_name: str = ""  # the image's file name (or a link's last part)
    app_version: str = ""
    created_at: float = 0.0  # time.time() when the job was made

    def to_json(self) -> str:
        return json.dumps({"schema": SCHEMA, "prompt": self.prompt,
                           "settings": json.loads(self.settings.to_json()), "seed": self.seed,
                           "task_id": self.task_id, "source_name": self.source_name,
                           "app_version": self.app_version, "created_at": self.created_at},
                          ensure_ascii=False)

    @classmethod
    def from_json(cls, text: str | bytes) -> VideoMetadata | None:
        """Tolerant of a damaged or hostile tag: a bad field takes its default; not an object: None."""
        if len(text) > MAX_JSON_BYTES:
            return None
        try:
            values = json.loads(text)
        except (ValueError, RecursionError):
            return None
        if not isinstance(values, dict):
            return None
        settings_value = values.get("settings")
        settings = (VideoSettings.from_json(json.dumps(settings_value)) if isinstance(settings_value, dict)
                    else VideoSettings())
        seed = values.get("seed")
        created = values.get("created_at")
        return cls(prompt=_text(values.get("prompt"), MAX_TEXT),
                   settings=settings,
                   seed=seed if _is_int(seed) and SEED_RANGE[0] <= seed <= SEED_RANGE[1] else None,
                   task_id=_text(values.get("task_id"), 256),
                   source_name=_text(values.get("source_name"), 255),
                   app_version=_text(values.get("app_version"), 64),
                   created_at=float(created) if _is_number(created) and 0 <= created < 1e11 else 0.0)


def write_metadata(path: Path, meta: VideoMetadata) -> None:
    """Write the standard tags and the JSON job tag into the MP4 at `path`. Done on a copy that
    then replaces the file, so a failure (a full disk, a crash) leaves the video as it was.
    Raises MetadataError; the samples are never touched."""
    from mutagen.mp4 import MP4FreeForm

    freeform: Any = MP4FreeForm
    if not _moov_is_reasonable(path):
        raise MetadataError(f"{path.name} is not an MP4 whose metadata can be changed safely")
    copy = path.with_name(f".{path.name}.tagging")
    try:
        shutil.copyfile(path, copy)
        video = _mp4(copy)
        if video.tags is None:
            video.add_tags()
        tags = video.tags
        title = " ".join(meta.prompt.split())[:TITLE_CHARS] or meta.source_name or "Vidu video"
        tags["\xa9nam"] = [title]
        if meta.prompt:
            tags["\xa9cmt"] = [meta.prompt]
            tags["desc"] = [meta.prompt]
        tags["\xa9too"] = [f"Vidu Desktop {meta.app_version}".strip()]
        tags["\xa9day"] = [_iso_date(meta.created_at)]
        tags[JOB_TAG] = [freeform(meta.to_json().encode("utf-8"))]
        video.save()
        os.replace(copy, path)
    except Exception as exc:  # MutagenError, OSError, or whatever a hostile file makes mutagen do
        raise MetadataError(f"could not write the tags into {path.name}: {exc}") from exc
    finally:
        copy.unlink(missing_ok=True)


def read_metadata(path: Path) -> VideoMetadata | None:
    """The metadata a Vidu Desktop video carries; None for any other file (a plain MP4, not an
    MP4, a damaged or hostile one). Never raises."""
    try:
        if not _moov_is_reasonable(path):
            return None
        video = _mp4(path)
        values = video.tags.get(JOB_TAG) if video.tags is not None else None
        if not values:
            return None
        raw: Any = values[0]
        return VideoMetadata.from_json(bytes(raw))
    except Exception:  # noqa: BLE001 - whatever a hostile file makes mutagen do, the answer is None
        return None


def _mp4(path: Path) -> Any:
    """mutagen's MP4 of `path` (mutagen has no type hints)."""
    from mutagen.mp4 import MP4

    opener: Any = MP4
    return opener(str(path))


def _moov_is_reasonable(path: Path) -> bool:
    """An MP4 (ftyp first) with one moov box of a bounded size: what mutagen may be given."""
    boxes = top_level_boxes(path)
    moovs = [size for kind, size in boxes or () if kind == b"moov"]
    return len(moovs) == 1 and moovs[0] <= MAX_MOOV_BYTES


def top_level_boxes(path: Path) -> list[tuple[bytes, int]] | None:
    """(kind, size) of each top-level box of an MP4 file: ftyp first, the boxes tiling the whole
    file, at most MAX_TOP_LEVEL_BOXES of them; None for anything else (not a regular file, not
    an MP4, cut short, or more boxes than any real video has). A few seeks, whatever the size."""
    try:
        fd, size_total = open_regular(path)
    except (NotAFile, OSError, ValueError):
        return None
    try:
        with os.fdopen(fd, "rb") as f:
            head = f.read(12)
            if len(head) < 12 or head[4:8] != b"ftyp":
                return None
            boxes: list[tuple[bytes, int]] = []
            pos = 0
            while pos + 8 <= size_total:
                if len(boxes) >= MAX_TOP_LEVEL_BOXES:
                    return None
                f.seek(pos)
                header = f.read(16)
                size, kind = int.from_bytes(header[:4], "big"), header[4:8]
                if size == 1 and len(header) >= 16:
                    size = int.from_bytes(header[8:16], "big")
                elif size == 0:
                    size = size_total - pos
                if size < 8 or pos + size > size_total:
                    return None
                boxes.append((kind, size))
                pos += size
            return boxes if pos == size_total else None
    except OSError:
        return None


def _iso_date(created_at: float) -> str:
    try:
        return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(created_at))
    except (OverflowError, OSError, ValueError):
        return ""


def _text(value: object, limit: int) -> str:
    return value[:limit] if isinstance(value, str) else ""


def _is_int(value: object) -> TypeGuard[int]:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_number(value: object) -> TypeGuard[float]:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)
