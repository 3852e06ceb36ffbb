"""What travels with a saved video: its prompt, settings, seed, task id, source file name and
the app's version, inside the MP4 itself (mutagen writes the tags).

Standard iTunes-style tags that players and ffprobe show (title, comment, description,
encoder, date), plus one freeform tag (JOB_TAG) holding the rest as JSON. Only the movie's
metadata box changes (it may move to the end of the file): the video and audio samples stay
byte-identical to what Novita sent, and are not copied unless the moov box comes before them.

Reading is total: a file without these tags, or a hostile one (no moov, a huge or deeply
nested one, bad JSON), gives None; writing raises MetadataError with the video as it was (or
VideoDamaged, see write_metadata), and the caller keeps the video.
"""

from __future__ import annotations

import errno
import io
import itertools
import json
import math
import os
import shutil
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO, TypeGuard

from .files import NotAFile, open_regular
from .request import SEED_RANGE, VideoSettings

JOB_TAG = "----:io.github.vidu_desktop:job"
SCHEMA = 1
MAX_MOOV_BYTES = 16 * 1024 * 1024  # the metadata box of a short clip is a few hundred kB at most
MAX_TOP_LEVEL_BOXES = 10_000
MAX_FTYP_BYTES = 64 * 1024  # a list of brands: tens of bytes in any real file
COPY_PIECE_BYTES = 64 * 1024 * 1024
READ_PIECE_BYTES = 1024 * 1024
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
    """Write the standard tags and the JSON job tag into the MP4 at `path`, without copying the
    media when the movie box comes after it. mutagen changes only a copy of the moov box (in
    memory, seen at its place in the file); how the new moov gets into the file depends on the
    layout, and the media samples never change:

    - moov is the last box: the new one overwrites it;
    - moov after the media but followed by other boxes (free, uuid...): the new one is appended
      at the end of the file and the old one becomes a free box (4 bytes written last);
    - moov before the media (a "faststart" file): the file is rewritten beside itself (the
      kernel copies the media, shifted by the moov's growth; mutagen shifted the chunk offsets)
      and the copy replaces it. A fragmented MP4 is tagged on a whole copy by mutagen.

    A failure puts the file back as it was and raises MetadataError. In the first two layouts
    the file is changed in place: if putting it back fails too (the disk refused a write it
    allowed a moment before), VideoDamaged; and a crash (kill -9, power) while the few kB are
    written may leave it damaged. So tag a file that is private (not in its final place yet),
    as the download does: after a crash it fetches the video again."""
    boxes = top_level_boxes(path)
    if boxes is None or not _moov_is_reasonable(boxes) or boxes[0][1] > MAX_FTYP_BYTES:
        raise MetadataError(f"{path.name} is not an MP4 whose metadata can be changed safely")
    kinds = [kind for kind, _size in boxes]
    starts = list(itertools.accumulate((size for _kind, size in boxes), initial=0))
    index = kinds.index(b"moov")
    at, length, end = starts[index], boxes[index][1], starts[-1]
    after = set(kinds[index + 1:])
    try:
        if b"moof" in kinds:  # fragment headers hold offsets too: mutagen must see the whole file
            _tag_whole_copy(path, meta)
            return
        last_at, last_size = starts[-2], boxes[-1][1]
        with open(path, "rb") as f:
            ftyp = f.read(boxes[0][1])
            f.seek(at)
            old = f.read(length)
            f.seek(last_at)
            last_is_open_ended = f.read(4) == b"\0\0\0\0"  # a last box "up to the end of the file"
        if len(old) != length or old[:4] == b"\0\0\0\0":  # changed meanwhile, or "up to the end"
            raise MetadataError(f"{path.name} changed while its tags were written, or its moov is open-ended")
        new = _tagged_moov(ftyp, at, old, meta)
        if b"mdat" in after:
            _rewrite_with(path, at, length, new)
        elif not after:
            _change_in_place(path, [(at, new)], at + len(new), undo=[(at, old)], size_before=end)
        else:
            writes, undo = [(end, new), (at + 4, b"free")], [(at + 4, b"moov")]
            if last_is_open_ended:  # it would swallow the new moov: given its real size first
                if last_size >= 1 << 32:
                    raise MetadataError(f"{path.name} ends in an open-ended box too large to close")
                writes.insert(0, (last_at, last_size.to_bytes(4, "big")))
                undo.append((last_at, b"\0\0\0\0"))
            _change_in_place(path, writes, end + len(new), undo=undo, size_before=end)
    except (MetadataError, VideoDamaged):
        raise
    except Exception as exc:  # MutagenError, OSError, or whatever a hostile file makes mutagen do
        raise MetadataError(f"could not write the tags into {path.name}: {exc}") from exc


class VideoDamaged(Exception):
    """Writing the tags failed and so did putting the file back: it is damaged (fetch it again)."""


def scratch_path(path: Path) -> Path:
    """The private name write_metadata rewrites `path` under (a faststart or fragmented file);
    removed after, but a crash may leave it behind."""
    return path.with_name(f".{path.name}.tagging")


def _set_tags(video: Any, meta: VideoMetadata) -> None:
    from mutagen.mp4 import MP4FreeForm

    freeform: Any = MP4FreeForm
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


def _tagged_moov(ftyp: bytes, at: int, moov: bytes, meta: VideoMetadata) -> bytes:
    """The moov box `moov` (at offset `at` of its file) with the tags in it. mutagen shifts the
    chunk offsets that point past the place it grows the box, as it would in the whole file."""
    window = _MoovWindow(ftyp, at, moov)
    video = _mp4(window)
    _set_tags(video, meta)
    video.save(window)
    return window.moov()


class _MoovWindow:
    """A file as mutagen sees it: the ftyp box, one free box standing for everything up to the
    moov box, then the moov box (in memory) at its real offset. mutagen reads only the headers
    of the first two and changes only the moov, so no media is read or copied."""

    def __init__(self, ftyp: bytes, at: int, moov: bytes) -> None:
        gap = at - len(ftyp)
        filler = (b"" if gap == 0 else gap.to_bytes(4, "big") + b"free" if gap < 1 << 32
                  else (1).to_bytes(4, "big") + b"free" + gap.to_bytes(8, "big"))
        self._before = ftyp + filler  # then zeros up to `at`
        self._at = at
        self._moov = io.BytesIO(moov)
        self._pos = 0

    def moov(self) -> bytes:
        return self._moov.getvalue()

    def _size(self) -> int:
        return self._at + self._moov.getbuffer().nbytes

    def seek(self, offset: int, whence: int = os.SEEK_SET) -> int:
        base = {os.SEEK_SET: 0, os.SEEK_CUR: self._pos, os.SEEK_END: self._size()}[whence]
        if base + offset < 0:
            raise OSError(errno.EINVAL, "seek before the start")
        self._pos = base + offset
        return self._pos

    def tell(self) -> int:
        return self._pos

    def read(self, size: int | None = -1) -> bytes:
        end = self._size() if size is None or size < 0 else min(self._size(), self._pos + size)
        data = b""
        if self._pos < min(end, self._at):
            stop = min(end, self._at)
            if stop - self._pos > len(self._before) + 64 * 1024:  # mutagen reads headers, not media
                raise OSError(errno.EINVAL, "a read outside the metadata")
            data = self._before[self._pos:stop].ljust(stop - self._pos, b"\0")
            self._pos = stop
        if self._pos < end:
            self._moov.seek(self._pos - self._at)
            data += self._moov.read(end - self._pos)
            self._pos = end
        return data

    def write(self, data: bytes) -> int:
        if not data:
            return 0
        if self._pos < self._at:
            raise OSError(errno.EINVAL, "a write outside the moov box")
        self._moov.seek(self._pos - self._at)
        written = self._moov.write(data)
        self._pos += written
        return written

    def truncate(self, size: int | None = None) -> int:
        size = self._pos if size is None else size
        if size < self._at:
            raise OSError(errno.EINVAL, "a cut into the media")
        self._moov.truncate(size - self._at)
        return size

    def flush(self) -> None:
        pass


def _change_in_place(path: Path, writes: list[tuple[int, bytes]], size: int, *,
                     undo: list[tuple[int, bytes]], size_before: int) -> None:
    """Make `writes` (offset, bytes) in order and cut the file to `size`; on a failure, make
    `undo`, cut the file back to `size_before` and raise MetadataError (VideoDamaged if that
    fails too)."""
    with open(path, "r+b", buffering=0) as f:
        try:
            for offset, data in writes:
                _write_at(f, offset, data)
            f.truncate(size)
        except OSError as exc:
            try:
                f.truncate(size_before)
                for offset, data in undo:
                    _write_at(f, offset, data)
            except OSError as again:
                raise VideoDamaged(f"{path.name} could not be put back after {exc}: {again}") from again
            raise MetadataError(f"could not write the tags into {path.name}: {exc}") from exc


def _write_at(f: BinaryIO, offset: int, data: bytes) -> None:
    f.seek(offset)
    view = memoryview(data)
    while view:
        written = f.write(view)
        if not written:
            raise OSError(errno.EIO, "nothing written")
        view = view[written:]


def _rewrite_with(path: Path, at: int, length: int, moov: bytes) -> None:
    """Replace `path` by a copy whose moov box (at `at`, `length` bytes) is `moov`: the rest is
    copied by the kernel where it can. The original is untouched until the copy replaces it."""
    scratch = scratch_path(path)
    try:
        with open(path, "rb") as source, open(scratch, "wb") as target:
            total = os.fstat(source.fileno()).st_size
            _copy_range(source, target, 0, at)
            _write_at(target, at, moov)
            _copy_range(source, target, at + length, total - at - length)
        os.replace(scratch, path)
    finally:
        scratch.unlink(missing_ok=True)


def _copy_range(source: BinaryIO, target: BinaryIO, start: int, count: int) -> None:
    """Append `count` bytes of `source` from `start` to `target` (copy_file_range where the
    system has it: no trip through Python, a reflink on some file systems)."""
    target.flush()
    target.seek(0, os.SEEK_END)
    copy_range = getattr(os, "copy_file_range", None)
    while count > 0:
        if copy_range is not None:
            try:
                done = copy_range(source.fileno(), target.fileno(), min(count, COPY_PIECE_BYTES), start)
            except OSError as exc:
                if exc.errno not in (errno.EXDEV, errno.ENOSYS, errno.EINVAL, errno.EOPNOTSUPP):
                    raise
                copy_range = None
                continue
            target.seek(0, os.SEEK_END)
        else:
            source.seek(start)
            block = source.read(min(count, READ_PIECE_BYTES))
            target.write(block)
            done = len(block)
        if not done:
            raise OSError(errno.EIO, "the file ended early")
        start += done
        count -= done
    target.flush()


def _tag_whole_copy(path: Path, meta: VideoMetadata) -> None:
    """mutagen on a full copy of `path` that then replaces it (for what the moov window cannot do)."""
    scratch = scratch_path(path)
    try:
        shutil.copyfile(path, scratch)
        video = _mp4(scratch)
        _set_tags(video, meta)
        video.save()
        os.replace(scratch, path)
    finally:
        scratch.unlink(missing_ok=True)


def read_metadata(path: Path) -> VideoMetadata | None:
    """The metadata a Vidu Desktop video carries; None for any other file (a plain MP4, not an
    MP4, a damaged or hostile one). Never raises."""
    try:
        if not _moov_is_reasonable(top_level_boxes(path)):
            return None
        video = _mp4(path)
        values = video.tags.get(JOB_TAG) if video.tags is not None else None
        if not values:
            return None
        raw: Any = values[0]
        return VideoMetadata.from_json(bytes(raw))
    except Exception:  # noqa: BLE001 - whatever a hostile file makes mutagen do, the answer is None
        return None


def _mp4(source: Path | _MoovWindow) -> Any:
    """mutagen's MP4 of a file or a moov window (mutagen has no type hints)."""
    from mutagen.mp4 import MP4

    opener: Any = MP4
    return opener(str(source) if isinstance(source, Path) else source)


def _moov_is_reasonable(boxes: list[tuple[bytes, int]] | None) -> bool:
    """An MP4's top-level boxes (top_level_boxes) with one moov box of a bounded size: what
    mutagen may be given."""
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
