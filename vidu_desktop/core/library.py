"""Where finished videos go: safe file names inside the library folder, and a sanity check."""

from __future__ import annotations

import glob
import itertools
import os
import re
import time
import unicodedata
import zlib
from collections.abc import Callable, Iterator
from pathlib import Path
from urllib.parse import unquote, urlsplit

from .mp4meta import top_level_boxes
from .request import VideoSettings, is_web_url

_UNSAFE = re.compile(r'[<>:"/\\|?*\x00-\x1f\x7f]+')
_WINDOWS_RESERVED = {"con", "prn", "aux", "nul", *(f"com{i}" for i in range(10)),
                     *(f"lpt{i}" for i in range(10))}


def slug(text: str, max_chars: int = 48) -> str:
    """A short, readable, file-name-safe form of a prompt (letters of any script are kept)."""
    text = unicodedata.normalize("NFC", text).strip().lower()
    text = _UNSAFE.sub(" ", text)
    # Letters, marks (the vowel signs of Hindi or Thai) and digits of any script; \w has no marks.
    text = "".join(char for char in text if char in "-_" or char.isspace()
                   or unicodedata.category(char)[0] in "LMN")
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
    import secrets  # imported on use: start-up does not pay for hmac/hashlib setup

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


def placed_already(source: Path, library: Path, filename: str) -> Path | None:
    """Where an interrupted move_into_place (a crash between its link and its unlink) already
    put `source`: the name from `filename` (or a numbered one) that is the same file. None when
    `source` has no second name there."""
    try:
        if source.stat().st_nlink < 2:
            return None
        stem, _dot, extension = filename.rpartition(".")
        for candidate in library.glob(f"{glob.escape(stem)}*.{glob.escape(extension)}"):
            if candidate != source and os.path.samefile(candidate, source):
                return destination_in(library, candidate.name)
    except (OSError, ValueError):
        return None
    return None


def destination_in(library: Path, filename: str) -> Path:
    """The path for `filename` inside `library`; refuses anything that would land outside."""
    library = library.resolve()
    target = (library / filename).resolve()
    if target.parent != library:
        raise ValueError(f"{filename!r} would be written outside the library folder")
    return target


def looks_like_mp4(path: Path) -> bool:
    """A complete download of an MP4: it starts with an ftyp box, its top-level boxes tile the
    file (at most mp4meta.MAX_TOP_LEVEL_BOXES of them) and one of them is moov."""
    return any(kind == b"moov" for kind, _size in top_level_boxes(path) or ())


def private_download_name(job_id: int, task_id: str | None) -> str:
    """The hidden name a job's video is downloaded and tagged under in the library before it gets
    its readable one. The task's checksum is in it: a job given the id of a deleted one (SQLite
    reuses the highest id) never carries on with that job's download."""
    return f".vidu-job-{job_id}-{zlib.crc32((task_id or '').encode('utf-8', 'replace')):08x}.mp4"


# The app's private files in the library while a video downloads: the private video, its
# ".part", the copy tagging may rewrite it under (mp4meta.scratch_path), and a whole video a
# crash left, kept while it is fetched again (".kept"). Names from before the checksum too.
_PRIVATE_DOWNLOAD = re.compile(r"\.\.?vidu-job-(\d{1,18})(?:-[0-9a-f]{8})?\.mp4(?:\.part|\.tagging|\.kept)?")
MAX_ENTRIES_LOOKED_AT = 200_000  # a library folder holding more is looked at that far


def _entries(folder: Path) -> Iterator[os.DirEntry[str]]:
    """The folder's first MAX_ENTRIES_LOOKED_AT entries; none, or fewer, when it cannot be read."""
    try:
        with os.scandir(folder) as entries:
            yield from itertools.islice(entries, MAX_ENTRIES_LOOKED_AT)
    except OSError:  # no such folder yet, or not readable: nothing to look at
        return


def download_leftovers(library: Path, resumable: set[int]) -> list[Path]:
    """Private download files of jobs other than `resumable` (finished, deleted, cancelled, or
    gone with a crash): nothing will carry on with them."""
    found = []
    for entry in _entries(library):
        match = _PRIVATE_DOWNLOAD.fullmatch(entry.name)
        try:
            if match and int(match[1]) not in resumable and entry.is_file(follow_symlinks=False):
                found.append(Path(entry.path))
        except OSError:
            continue
    return found


def frame_file_name(video_path: str | Path, position_ms: int) -> str:
    """`harbour_720p_5s_frame-4.96s.png`: the video's name and where the frame was taken."""
    stem = re.sub(r"[^\w.-]+", "_", Path(video_path).stem, flags=re.UNICODE).strip("._") or "video"
    seconds = max(0, position_ms) / 1000
    return f"{stem[:100]}_frame-{seconds:.2f}s.png"


# A frame's name (made unique with "-2"…), or the temporary name it is written under.
_FRAME_FILE = re.compile(r".+_frame-\d+\.\d\ds(?:-\d+)?\.png(?:\.\d+\.\d+\.part)?", re.DOTALL)


def unused_frames(folder: Path, in_use: set[str], older_than_s: float, now: float | None = None) -> list[Path]:
    """Frames taken from videos that no job was made from, older than `older_than_s` (a newer
    one may still wait in the image list to be sent), and half-written ones left by a crash.
    Only files named as frames are: whatever else is in the folder (it may be the library, or
    a folder of the user's) is never touched."""
    now = time.time() if now is None else now
    found = []
    for entry in _entries(folder):
        try:
            if _FRAME_FILE.fullmatch(entry.name) and entry.is_file(follow_symlinks=False) \
                    and entry.path not in in_use and now - entry.stat(follow_symlinks=False).st_mtime > older_than_s:
                found.append(Path(entry.path))
        except OSError:
            continue
    return found
