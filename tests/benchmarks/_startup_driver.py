"""Start-up probe, run as a fresh process by test_bench_startup.py.

`python -m tests.benchmarks._startup_driver app N`: the real start-up, vidu_desktop.app.main()
itself (the same function `python -m vidu_desktop` and the installed launcher run), with
time stamps wrapped around the steps it calls. Nothing is replaced, only observed.

`python -m tests.benchmarks._startup_driver bare`: the baseline, a bare PySide6 script that
shows an empty QMainWindow (at the app's default size, so both paint the same area).

`python -m tests.benchmarks._startup_driver floor QtCore.Qt QtWidgets.QLabel ...`: the bare script
that first touches the Qt classes named (the test passes every class the app's modules import
at load): what PySide alone charges for them (it builds each class, and a Python enum for every
enum in it, the first time the class is touched), before any of the app's own code runs.

Both print lines "STAMP <name> <time.monotonic()>" (CLOCK_MONOTONIC is shared by all processes,
so the parent can subtract its own launch time) and then close their window and exit.

"Shown and idle": the window has been shown and painted, the session has finished connecting
(it checks for the API key in a background thread right after the window is shown, and
announces the mode when it knows), the first page of history has reached the window's model
(the engine opens the store on its own thread after the first frame; the list asks for more
pages only as the user scrolls, so `python -m ... app N` waits for min(N, PAGE_SIZE) jobs,
a screenful and then some), and then nothing was painted for QUIET_MS. The idle time reported
is the latest of: connected, first page shown, and the end of the last paint before that
quiet spell (a zero timer after each paint event marks when the paint and anything queued
with it had finished).
"""

from __future__ import annotations

import sys
import threading
import time

QUIET_MS = 200


_LOCK = threading.Lock()


def stamp(name: str, when: float | None = None) -> None:
    """One whole line per stamp: the store's stamps come from the engine's thread."""
    line = f"STAMP {name} {time.monotonic() if when is None else when:.6f}\n"
    with _LOCK:
        sys.stdout.write(line)
        sys.stdout.flush()


class IdleProbe:
    def __init__(self, app, window, needs_ready: bool, history: int = 0) -> None:
        from PySide6.QtCore import QEvent, QObject, QTimer

        self.window = window
        self.ready_at: float | None = None if needs_ready else time.monotonic()
        self.history = history  # jobs the window's model must hold before it counts as idle
        self.history_at: float | None = None if history else time.monotonic()
        self.painted_at: float | None = None
        self.mark_pending = False
        probe = self

        class PaintWatch(QObject):
            def eventFilter(self, obj, event):
                if event.type() == QEvent.Type.Paint and not probe.mark_pending:
                    probe.mark_pending = True
                    QTimer.singleShot(0, probe.mark)
                return False

        self.watch = PaintWatch()
        app.installEventFilter(self.watch)
        self.checker = QTimer()
        self.checker.timeout.connect(self.check)
        self.checker.start(10)

    def mark(self) -> None:
        self.mark_pending = False
        if self.painted_at is None:
            stamp("first_paint")  # the first paint, and what was queued with it, has finished
        self.painted_at = time.monotonic()

    def ready(self, mode: object = None) -> None:
        """The session announced a mode other than 'connecting' (connected, or known offline)."""
        if self.ready_at is None and getattr(mode, "name", "") != "CONNECTING":
            self.ready_at = time.monotonic()
            stamp("ready", self.ready_at)

    def jobs_arrived(self, *_: object) -> None:
        model = self.window.jobs.model
        if self.history_at is None and len(model.jobs()) >= self.history:
            self.history_at = time.monotonic()
            stamp("history", self.history_at)

    def check(self) -> None:
        if (self.ready_at is None or self.history_at is None or self.painted_at is None
                or self.mark_pending):
            return
        if time.monotonic() - self.painted_at < QUIET_MS / 1000:
            return
        self.checker.stop()
        stamp("idle", max(self.ready_at, self.history_at, self.painted_at))
        # Which of the app's modules start-up loaded: the floor run touches their Qt classes.
        print("LOADED", *sorted(name for name in sys.modules if name.startswith("vidu_desktop")), flush=True)
        self.window.close()


def run_app(history: int) -> int:
    # Imported first so their names can be wrapped before main() looks them up; main() would
    # import them moments later anyway, so the total from process start is the same.
    from PySide6.QtWidgets import QApplication

    import vidu_desktop.app as app_module
    import vidu_desktop.logging_setup as logging_setup
    import vidu_desktop.session as session_module
    import vidu_desktop.ui.job_list as job_list
    import vidu_desktop.ui.main_window as main_window
    import vidu_desktop.ui.player as player
    import vidu_desktop.ui.theme as theme
    import vidu_desktop.workers.engine as engine

    stamp("imported")

    def timed(module, name: str) -> None:
        original = getattr(module, name)

        def wrapper(*args, **kwargs):
            stamp(f"{name}.start")
            result = original(*args, **kwargs)
            stamp(f"{name}.end")
            return result

        setattr(module, name, wrapper)

    timed(logging_setup, "setup_logging")
    timed(theme, "apply_theme")
    timed(engine, "JobStore")  # opened on the engine's thread, after the first frame

    def timed_method(cls, name: str, label: str) -> None:
        original = getattr(cls, name)
        calls = [0]

        def wrapper(self, *args, **kwargs):
            calls[0] += 1
            numbered = label if calls[0] == 1 else f"{label}#{calls[0]}"  # a page of history each
            stamp(f"{numbered}.start")
            result = original(self, *args, **kwargs)
            stamp(f"{numbered}.end")
            return result

        setattr(cls, name, wrapper)

    timed_method(session_module.Session, "__init__", "Session.init")
    timed_method(session_module.Session, "start", "Session.start")
    timed_method(main_window.MainWindow, "__init__", "MainWindow")
    # What runs on the GUI thread between the first frame and idle.
    timed_method(player.VideoPlayer, "load_backend", "load_backend")
    timed_method(session_module.Session, "_key_loaded", "key_loaded")
    timed_method(job_list.JobTableModel, "add_page", "add_page")

    window_class = main_window.MainWindow
    original_show = window_class.show

    def show(self):
        original_show(self)
        stamp("shown")
        probe = IdleProbe(QApplication.instance(), self, needs_ready=True,
                          history=min(history, job_list.PAGE_SIZE))
        self._bench_probe = probe
        self.session.modeChanged.connect(probe.ready)
        self.jobs.model.rowsInserted.connect(probe.jobs_arrived)
        self.jobs.model.modelReset.connect(probe.jobs_arrived)
        probe.jobs_arrived()

    window_class.show = show
    return app_module.main(["vidu-desktop"])


def run_bare(touch: list[str]) -> int:
    import importlib

    from PySide6.QtWidgets import QApplication, QMainWindow

    for name in touch:
        module, _, attribute = name.partition(".")
        getattr(importlib.import_module(f"PySide6.{module}"), attribute)
    stamp("imported")
    app = QApplication(sys.argv)
    window = QMainWindow()
    window.resize(1200, 780)
    window.show()
    stamp("shown")
    probe = IdleProbe(app, window, needs_ready=False)  # noqa: F841 - kept alive until exit
    return app.exec()


if __name__ == "__main__":
    sys.exit(run_app(int(sys.argv[2]) if len(sys.argv) > 2 else 0) if sys.argv[1] == "app"
             else run_bare(sys.argv[2:] if sys.argv[1] == "floor" else []))
