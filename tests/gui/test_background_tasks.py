"""run_in_background: the outcome reaches the GUI thread, and a widget closed and deleted while
its task runs is left alone (no callback on a dead widget, no error in the pool thread)."""

from __future__ import annotations

import threading

from PySide6.QtCore import QCoreApplication, QEvent, QThread, QThreadPool
from PySide6.QtWidgets import QLabel

from vidu_desktop.workers.services import run_in_background


def test_the_result_and_the_error_arrive_on_the_gui_thread(qtbot):
    got: list[tuple[str, object, bool]] = []
    gui = QThread.currentThread()
    run_in_background(lambda: 41 + 1, lambda value: got.append(("done", value, QThread.currentThread() is gui)))
    run_in_background(lambda: 1 / 0, lambda _v: None,
                      lambda exc: got.append(("failed", type(exc).__name__, QThread.currentThread() is gui)))
    qtbot.waitUntil(lambda: len(got) == 2, timeout=5000)
    assert sorted(got) == [("done", 42, True), ("failed", "ZeroDivisionError", True)]


def test_a_deleted_owner_hears_nothing_and_nothing_breaks(qtbot, caplog):
    label = QLabel("waiting")
    release = threading.Event()
    heard: list[object] = []
    run_in_background(lambda: release.wait(5) and "late news", heard.append, heard.append, owner=label)
    label.deleteLater()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)  # gone while the task runs
    release.set()
    assert QThreadPool.globalInstance().waitForDone(5000)
    done = threading.Event()
    run_in_background(lambda: None, lambda _v: done.set())  # queued after the late outcome
    qtbot.waitUntil(done.is_set, timeout=5000)
    assert heard == []
    assert not [r for r in caplog.records if "deleted" in r.getMessage()]
