"""Where finished videos go: safe file names inside the library folder, and a sanity check."""

from __future__ import annotations

import os
import re
import secrets
import time
import unicodedata
from collections.abc import Callable
from pathlib import Path
from urllib.parse import unquote, urlsplit

from .request import VideoSettings, is_web_url

_UNSAFE = re.compile(r'[<>:"/\\|?*\x00-\x1f\x7f]+')
_WINDOWS_RESERVED = {"con", "prn", "aux", "nul", *(f"com{i}" for i in range(10)),
                     *(f"lpt{i}" for i in range(10))}


def slug(text: str, max_chars: int = 48) -> str:
    """A short, readable, file-name-safe form of a prompt (letters of any script are kept)."""
    text = unicodedata.normalize("NFC", text).strip().lower()
    text = _UNSAFE.sub(" ", text)
    text = re.sub(r"[^\w\s-]", "", text)
    text = re.sub(r"[\s_-]+", "-", text).strip("-.")
    text = text[:max_chars].rstrip("-.")
    return "" if text in _WINDOWS_RESERVED else text


def source_name(source: str) -> str:
    """The file name of a path (either slash), or a link's last path segment (decoded)."""
    try:
        name = unquote(urlsplit(source).path) if is_web_url(source) else source
    except ValueError:  # a link too broken to split
        name = ""
    return re.split(r"[/\\]", name.rstrip("/\\"))[-1][:255]


def source_stem(source: str) -> str:
    """The name a video is called after: the source file's stem, or a link's last path segment
    (without its extension), made file-name safe; "video" when nothing usable is left."""
    name = source_name(source)
    stem, dot, _extension = name.rpartition(".")
    return slug(stem if dot and stem else name) or "video"


def video_filename(source: str, created_at: float, settings: VideoSettings) -> str:
    """"harbour_2026-11-24_1530_720p_5s.mp4": the source's name, when the job was made (local
    time), the resolution and duration. Total and safe on every OS, whatever the arguments hold;
    destination_in and unique_destination keep it inside the library and unique."""
    try:
        stamp = time.strftime("%Y-%m-%d_%H%M", time.localtime(created_at))
    except (OverflowError, OSError, ValueError, TypeError):  # a nonsense time from a damaged row
        stamp = "undated"
    resolution = slug(str(settings.resolution), 8) or "video"
    given: object = settings.duration  # settings built by hand may hold anything
    duration = given if isinstance(given, int) and not isinstance(given, bool) and 0 < given < 1000 else 0
    return f"{source_stem(source)}_{stamp}_{resolution}_{duration}s.mp4"


def unique_destination(library: Path, filename: str, taken: Callable[[Path], bool] | None = None) -> Path:
    """destination_in(library, filename), or with -2, -3... before the extension when a file (or
    what `taken` says) already has that name."""
    is_taken = taken or (lambda path: path.exists())
    stem, _dot, extension = filename.rpartition(".")
    for number in range(1, 10_000):
        candidate = destination_in(library, filename if number == 1 else f"{stem}-{number}.{extension}")
        if not is_taken(candidate):
            return candidate
    return destination_in(library, f"{stem}-{secrets.token_hex(4)}.{extension}")


def move_into_place(source: Path, library: Path, filename: str) -> Path:
    """Give `source` (a finished video in `library`) its unique name from `filename`; an existing
    file is never replaced. Returns the new path."""
    for _ in range(100):
        target = unique_destination(library, filename)
        try:
            os.link(source, target)  # fails when the name was taken meanwhile: nothing is replaced
        except FileExistsError:
            continue
        except OSError:  # a file system without hard links (FAT, some network shares)
            if target.exists():
                continue
            os.replace(source, target)
            return target
        source.unlink()
        return target
    raise FileExistsError(f"no free name for {filename!r} in {library}")


def destination_in(library: Path, filename: str) -> Path:
    """The path for `filename` inside `library`; refuses anything that would land outside."""
    library = library.resolve()
    target = (library / filename).resolve()
    if target.parent != library:
        raise ValueError(f"{filename!r} would be written outside the library folder")
    return target


def looks_like_mp4(path: Path) -> bool:
    """A complete download of an MP4 starts with an ftyp box and holds a moov box somewhere."""
    try:
        with open(path, "rb") as f:
            head = f.read(12)
            if len(head) < 12 or head[4:8] != b"ftyp":
                return False
            # walk the top-level boxes: cheap even for big files (a few seeks)
            f.seek(0)
            size_total = path.stat().st_size
            pos, seen_moov = 0, False
            while pos + 8 <= size_total:
                f.seek(pos)
                header = f.read(16)
                size = int.from_bytes(header[:4], "big")
                kind = header[4:8]
                if size == 1 and len(header) >= 16:
                    size = int.from_bytes(header[8:16], "big")
                elif size == 0:
                    size = size_total - pos
                if size < 8:
                    return False
                seen_moov |= kind == b"moov"
                pos += size
            return seen_moov and pos == size_total
    except OSError:
        return False
