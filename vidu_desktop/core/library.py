"""Where finished videos go: safe file names inside the library folder, and a sanity check."""

from __future__ import annotations

import re
import time
import unicodedata
from pathlib import Path

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


def video_filename(created_at: float, prompt: str, task_id: str) -> str:
    """"2026-11-30 06-15 a-cat-walks abc123.mp4": total, whatever the arguments hold."""
    try:
        stamp = time.strftime("%Y-%m-%d %H-%M", time.localtime(created_at))
    except (OverflowError, OSError, ValueError, TypeError):  # a nonsense time from a damaged row
        stamp = "undated"
    task = re.sub(r"[^A-Za-z0-9]", "", task_id)[:12] or "video"
    middle = slug(prompt)
    return f"{stamp} {middle} {task}.mp4" if middle else f"{stamp} {task}.mp4"


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
