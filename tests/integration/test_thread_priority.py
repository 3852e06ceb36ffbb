"""Background work gives way to the GUI thread: the engine's threads run below it (Linux: batch
scheduling and a higher nice value, per thread), and a pool task is batch-scheduled only while it
runs (the pool's threads are shared). The GUI thread itself is left as it was."""

from __future__ import annotations

import os
import sys
import threading
from pathlib import Path

import pytest

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="per-thread scheduling is Linux's")


def _scheduling(tid: int) -> tuple[int, int]:
    """(policy, nice) of one thread of this process."""
    return os.sched_getscheduler(tid), os.getpriority(os.PRIO_PROCESS, tid)


def test_the_engine_threads_run_below_the_gui_thread(qtbot, tmp_path: Path, monkeypatch):
    from vidu_desktop.session import Mode, Session
    from vidu_desktop.workers.services import BACKGROUND_NICE

    monkeypatch.delenv("NOVITA_API_KEY", raising=False)
    gui_before = _scheduling(threading.get_native_id())
    # Only the threads this session starts: an earlier test's engine may still be winding down.
    before = set(os.listdir(f"/proc/{os.getpid()}/task"))
    session = Session(tmp_path / "jobs.sqlite3", allow_demo=False, library_dir=lambda: tmp_path / "Library")
    try:
        with qtbot.waitSignal(session.modeChanged, timeout=10_000, check_params_cb=lambda m: m is Mode.OFFLINE):
            session.start()
        engine_threads = {}
        for task in set(os.listdir(f"/proc/{os.getpid()}/task")) - before:  # a QThread's object name is its OS name
            name = Path(f"/proc/{os.getpid()}/task/{task}/comm").read_text().strip()
            if name in {"vidu-engine", "vidu-submit", "vidu-poll", "vidu-download"}:
                engine_threads[name] = int(task)
        assert sorted(engine_threads) == ["vidu-download", "vidu-engine", "vidu-poll", "vidu-submit"]
        # Each thread lowers itself as it starts, before it handles any work; the mode may be
        # known before the last of them got that far.
        lowered = min(19, gui_before[1] + BACKGROUND_NICE)
        qtbot.waitUntil(lambda: all(_scheduling(tid)[0] == os.SCHED_BATCH and _scheduling(tid)[1] >= lowered
                                    for tid in engine_threads.values()), timeout=5000)
        assert _scheduling(threading.get_native_id()) == gui_before
    finally:
        session.shutdown()


def test_a_pool_task_is_batch_scheduled_only_while_it_runs(qtbot):
    from PySide6.QtCore import QThreadPool

    from vidu_desktop.workers.services import run_in_background

    seen: list[tuple[int, int]] = []

    def work() -> tuple[int, int]:
        tid = threading.get_native_id()
        return tid, os.sched_getscheduler(tid)

    assert QThreadPool.globalInstance().expiryTimeout() >= 5000  # an idle pool thread lives on a while
    run_in_background(work, seen.append)
    qtbot.waitUntil(lambda: bool(seen), timeout=5000)
    tid, policy_during = seen[0]
    assert policy_during == os.SCHED_BATCH
    # The shared thread is given back as it was once the task is over (not waitForDone: in Qt 6
    # that also ends the pool's threads, and this one could be gone before it is looked at).
    qtbot.waitUntil(lambda: os.sched_getscheduler(tid) == os.SCHED_OTHER, timeout=5000)
