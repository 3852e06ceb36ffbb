"""One running copy per user: a second start hands its images to the first and exits.

Two copies would each resume the same jobs (and the job store only lets one of them send a
job, but both would poll and download into the same files).
"""

from __future__ import annotations

import errno

from PySide6.QtCore import QByteArray, QCryptographicHash, QLockFile, QObject, Signal
from PySide6.QtNetwork import QLocalServer, QLocalSocket

from . import paths


def _server_name() -> str:
    # Per data folder, so test runs and users with their own XDG dirs never meet.
    # SHA-1 by Qt's own hash: the same name as hashlib's, without loading OpenSSL's bindings at start-up.
    digest = QCryptographicHash.hash(QByteArray(str(paths.data_dir()).encode()), QCryptographicHash.Algorithm.Sha1)
    return "vidu-desktop-" + bytes(digest.toHex().data()).decode("ascii")[:12]


def acquire_lock() -> QLockFile | None:
    """The lock for this data folder, or None when another copy holds it.

    OSError when the folder cannot hold a lock at all (a file in its place, read-only, full):
    that is not "already running", and must not be reported as such."""
    path = paths.ensure(paths.data_dir()) / "vidu-desktop.lock"
    lock = QLockFile(str(path))
    lock.setStaleLockTime(0)  # a crashed copy's lock is found stale by its dead PID
    if lock.tryLock(200):
        return lock
    if lock.error() == QLockFile.LockError.LockFailedError:
        return None
    raise OSError(errno.EACCES, "the lock file cannot be written", str(path))


def send_to_running(sources: list[str], timeout_ms: int = 3000) -> bool:
    socket = QLocalSocket()
    socket.connectToServer(_server_name())
    if not socket.waitForConnected(timeout_ms):
        return False
    socket.write(("\n".join(sources) + "\n\n").encode("utf-8"))
    socket.waitForBytesWritten(timeout_ms)
    socket.disconnectFromServer()
    return True


class InstanceServer(QObject):
    """Listens for later starts; emits the images they were given."""

    opened = Signal(list)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.server = QLocalServer(self)
        QLocalServer.removeServer(_server_name())  # left over by a crash; we hold the lock
        self.server.listen(_server_name())
        self.server.newConnection.connect(self._accept)

    def _accept(self) -> None:
        socket = self.server.nextPendingConnection()
        data = bytearray(socket.readAll().data())
        # The other start writes everything at once and leaves: a short wait at most.
        while not data.endswith(b"\n\n") and socket.waitForReadyRead(2000):
            data += socket.readAll().data()
        socket.disconnectFromServer()
        socket.deleteLater()
        sources = [line for line in data.decode("utf-8", "replace").splitlines() if line]
        if sources:
            self.opened.emit(sources)
