"""Start-up probe, run as a fresh process by test_bench_startup.py.

`python -m tests.benchmarks._startup_driver app`: the real start-up, vidu_desktop.app.main()
itself (the same function `python -m vidu_desktop` and the installed launcher run), with
time stamps wrapped around the steps it calls. Nothing is replaced, only observed.

`python -m tests.benchmarks._startup_driver bare`: the baseline, a bare PySide6 script that
shows an empty QMainWindow (at the app's default size, so both paint the same area).

Both print lines "STAMP <name> <time.monotonic()>" (CLOCK_MONOTONIC is shared by all processes,
so the parent can subtract its own launch time) and then close their window and exit.

"Shown and idle": the window has been shown and painted, the app has finished connecting
(it checks for the API key in a background thread right after showing, and updates the
status bar when it knows), and then nothing was painted for QUIET_MS. The idle time reported
is the end of the last paint before that quiet spell (a zero timer after each paint event
marks when the paint and anything queued with it had finished).
"""

from __future__ import annotations

import sys
import time

QUIET_MS = 200


def stamp(name: str, when: float | None = None) -> None:
    print(f"STAMP {name} {time.monotonic() if when is None else when:.6f}", flush=True)


class IdleProbe:
    def __init__(self, app, window, needs_ready: bool) -> None:
        from PySide6.QtCore import QEvent, QObject, QTimer

        self.window = window
        self.ready_at: float | None = None if needs_ready else time.monotonic()
        self.painted_at: float | None = None
        self.mark_pending = False
        probe = self

        class PaintWatch(QObject):
            def eventFilter(self, obj, event):  # noqa: N802 - Qt's name
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
        self.painted_at = time.monotonic()

    def ready(self, *_: object) -> None:
        if self.ready_at is None:
            self.ready_at = time.monotonic()
            stamp("ready", self.ready_at)

    def check(self) -> None:
        if self.ready_at is None or self.painted_at is None or self.mark_pending:
            return
        if time.monotonic() - self.painted_at < QUIET_MS / 1000:
            return
        self.checker.stop()
        stamp("idle", max(self.ready_at, self.painted_at))
        self.window.close()


def run_app() -> int:
    # Imported first so their names can be wrapped before main() looks them up; main() would
    # import them moments later anyway, so the total from process start is the same.
    import vidu_desktop.app as app_module
    import vidu_desktop.core.jobs as jobs
    import vidu_desktop.logging_setup as logging_setup
    import vidu_desktop.ui.main_window as main_window
    import vidu_desktop.ui.theme as theme
    from PySide6.QtWidgets import QApplication

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
    timed(jobs, "JobStore")

    window_class = main_window.MainWindow
    original_init, original_show = window_class.__init__, window_class.show

    def init(self, *args, **kwargs):
        stamp("MainWindow.start")
        original_init(self, *args, **kwargs)
        stamp("MainWindow.end")

    def show(self):
        original_show(self)
        stamp("shown")
        self._bench_probe = IdleProbe(QApplication.instance(), self, needs_ready=True)
        self.connectionReady.connect(self._bench_probe.ready)

    window_class.__init__, window_class.show = init, show
    return app_module.main(["vidu-desktop"])


def run_bare() -> int:
    from PySide6.QtWidgets import QApplication, QMainWindow

    stamp("imported")
    app = QApplication(sys.argv)
    window = QMainWindow()
    window.resize(1200, 780)
    window.show()
    stamp("shown")
    probe = IdleProbe(app, window, needs_ready=False)  # noqa: F841 - kept alive until exit
    return app.exec()


if __name__ == "__main__":
    sys.exit(run_app() if sys.argv[1] == "app" else run_bare())
