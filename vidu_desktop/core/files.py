"""Opening a file someone named: only a regular file is ever opened, and never in a way that blocks.

A named pipe called "harbour.txt" or "batch.csv" would block open() until a writer comes
(forever, on the thread that asked); a device like /dev/zero never ends. So the path is
stat()ed first, opened with O_NONBLOCK, and what was opened is fstat()ed again in case the
name was swapped in between. Used by every reader of outside files (sidecars, batch files,
presets files, images).
"""

from __future__ import annotations

import os
import stat
from contextlib import suppress
from pathlib import Path

# What NotAFile.kind holds; each reader words it for its own file type.
FOLDER, PIPE, DEVICE, SOCKET, DANGLING_LINK, OTHER = "folder", "pipe", "device", "socket", "dangling link", "other"


class NotAFile(Exception):
    """The path names something other than a regular file: `kind` says what (FOLDER, PIPE...)."""

    def __init__(self, kind: str) -> None:
        super().__init__(kind)
        self.kind = kind


def open_regular(path: Path | str) -> tuple[int, int]:
    """(fd, size) of a regular file, opened read-only without blocking; NotAFile or OSError else.
    The caller closes the descriptor."""
    try:
        info = os.stat(path)
    except FileNotFoundError:
        with suppress(OSError):
            if stat.S_ISLNK(os.lstat(path).st_mode):
                raise NotAFile(DANGLING_LINK) from None
        raise
    require_regular(info.st_mode)
    flags = (os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
             | getattr(os, "O_BINARY", 0))
    fd = os.open(path, flags)
    try:
        opened = os.fstat(fd)
        require_regular(opened.st_mode)
    except BaseException:
        os.close(fd)
        raise
    return fd, opened.st_size


def require_regular(mode: int) -> None:
    """NotAFile unless `mode` (an st_mode) is a regular file's."""
    if stat.S_ISREG(mode):
        return
    if stat.S_ISDIR(mode):
        raise NotAFile(FOLDER)
    if stat.S_ISFIFO(mode):
        raise NotAFile(PIPE)
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        raise NotAFile(DEVICE)
    if stat.S_ISSOCK(mode):
        raise NotAFile(SOCKET)
    raise NotAFile(OTHER)


def read_regular(path: Path | str, limit: int) -> bytes:
    """At most `limit` bytes from the start of a regular file (open_regular's rules); a caller
    that wants to know whether a file is too big asks for one byte more than it accepts."""
    fd, _size = open_regular(path)
    try:
        parts: list[bytes] = []
        while limit > 0:
            part = os.read(fd, min(limit, 1024 * 1024))
            if not part:
                break
            parts.append(part)
            limit -= len(part)
        return b"".join(parts)
    finally:
        os.close(fd)


def is_regular_file(path: Path | str) -> bool:
    """Whether `path` is (a link to) a regular file, without opening it; False on any error."""
    try:
        return stat.S_ISREG(os.stat(path).st_mode)
    except (OSError, ValueError):
        return False
