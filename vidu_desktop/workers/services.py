"""Small one-off background tasks (key lookup, demo server start, key test) in Qt's thread pool,
and the scheduling that keeps background threads from taking the CPU from the GUI thread."""

from __future__ import annotations

import logging
import os
import sys
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, ClassVar

if TYPE_CHECKING:
    import subprocess

import shiboken6
from PySide6.QtCore import QObject, QRunnable, QThread, QThreadPool, Signal, Slot

log = logging.getLogger(__name__)

# How much lower than the GUI thread the engine's threads run (a nice increment, 0..19). Under
# load (downloads on a two-core machine) the GUI thread otherwise waits for a core behind them.
BACKGROUND_NICE = 10
_LINUX = sys.platform.startswith("linux")


def _set_batch(on: bool) -> None:
    """Linux: SCHED_BATCH for the calling thread (its wake-ups never preempt another thread), or
    back to SCHED_OTHER; both are allowed without privileges. Elsewhere nothing."""
    if _LINUX:
        try:
            os.sched_setscheduler(0, os.SCHED_BATCH if on else os.SCHED_OTHER, os.sched_param(0))
        except OSError:  # a sandbox that forbids it: the default scheduling is fine too
            log.debug("could not change this thread's scheduling", exc_info=True)


def run_as_background_thread(nice: int = BACKGROUND_NICE) -> None:
    """Called on a thread of its own that lives as long as the app (the engine's): it yields the
    CPU to the GUI thread. Linux: SCHED_BATCH (when a network reply wakes it, it does not take
    the core from a running GUI thread) and `nice` more (a GUI thread that wakes takes the core
    from it). Linux keeps these per thread: the process's other threads are unchanged. Elsewhere
    Qt's low priority. One way only: without privileges a thread cannot be raised again."""
    if not _LINUX:
        thread = QThread.currentThread()
        if thread is not None:
            thread.setPriority(QThread.Priority.LowPriority)
        return
    _set_batch(True)
    try:
        tid = threading.get_native_id()
        os.setpriority(os.PRIO_PROCESS, tid, min(19, os.getpriority(os.PRIO_PROCESS, tid) + nice))
    except OSError:
        log.debug("could not lower this thread's priority", exc_info=True)


class _Relay(QObject):
    """Carries a task's outcome to the GUI thread. It has no Qt parent: an owner deleted while
    the task runs must not take the relay with it (the pool thread would emit from a deleted
    object); the outcome is simply dropped when the owner is gone."""

    finished = Signal(object)
    failed = Signal(object)
    _alive: ClassVar[set[_Relay]] = set()  # Python keeps each relay until its outcome is delivered

    def __init__(self, on_done: Callable[[Any], None], on_error: Callable[[BaseException], None] | None,
                 owner: QObject | None) -> None:
        super().__init__()
        self._on_done, self._on_error, self._owner = on_done, on_error, owner
        self.finished.connect(self._deliver_result)
        self.failed.connect(self._deliver_error)
        _Relay._alive.add(self)

    def _owner_gone(self) -> bool:
        return self._owner is not None and not shiboken6.isValid(self._owner)

    @Slot(object)
    def _deliver_result(self, result: object) -> None:
        self._end()
        if not self._owner_gone():
            self._on_done(result)

    @Slot(object)
    def _deliver_error(self, error: BaseException) -> None:
        self._end()
        if self._on_error is not None and not self._owner_gone():
            self._on_error(error)

    def _end(self) -> None:
        _Relay._alive.discard(self)
        self.deleteLater()


class _Task(QRunnable):
    def __init__(self, work: Callable[[], Any], relay: _Relay) -> None:
        super().__init__()
        self.work, self.relay = work, relay

    def run(self) -> None:
        # The pool's threads are Qt's, shared: batch scheduling only while our task runs (a
        # nice value could not be undone).
        _set_batch(True)
        try:
            result = self.work()
        except Exception as exc:
            log.warning("background task failed", exc_info=True)
            self.relay.failed.emit(exc)
        else:
            self.relay.finished.emit(result)
        finally:
            _set_batch(False)


def run_in_background(work: Callable[[], Any], on_done: Callable[[Any], None],
                      on_error: Callable[[BaseException], None] | None = None,
                      owner: QObject | None = None) -> None:
    """Run `work` off the GUI thread; its result (or error) comes back on the GUI thread, unless
    `owner` was deleted meanwhile."""
    QThreadPool.globalInstance().start(_Task(work, _Relay(on_done, on_error, owner)))


class DemoSimulator:
    """The built-in simulator in a child process on loopback, for trying the app without a key."""

    def __init__(self) -> None:
        self.process: subprocess.Popen[str] | None = None
        self.base_url: str | None = None
        self._lock = threading.Lock()

    def start(self, timeout_s: float = 30.0) -> str:
        with self._lock:
            if self.base_url:
                return self.base_url
            command = ([sys.executable, "--simulator"] if getattr(sys, "frozen", False)
                       else [sys.executable, "-m", "vidu_desktop.simulator"])
            # Full-size videos (they take about a second to make) on a short clock.
            command += ["--port", "0", "--realistic", "--queued", "2", "--processing", "10",
                        "--parent-pid", str(os.getpid())]
            import subprocess  # only in demo mode: the window's start-up does not pay for it

            self.process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                                            stdin=subprocess.DEVNULL, text=True)
            timer = threading.Timer(timeout_s, self.process.kill)
            timer.start()
            try:
                line = self.process.stdout.readline() if self.process.stdout else ""
            finally:
                timer.cancel()
            url = next((word for word in line.split() if word.startswith("http://")), None)
            if not url:
                self.stop()
                raise RuntimeError("the built-in simulator did not start")
            self.base_url = url.rstrip("/")
            log.info("demo simulator at %s", self.base_url)
            return self.base_url

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            import subprocess

            self.process.terminate()
            try:
                self.process.wait(1)
            except subprocess.TimeoutExpired:
                self.process.kill()
        self.process, self.base_url = None, None
