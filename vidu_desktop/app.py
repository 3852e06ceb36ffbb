"""Start-up: the command line, the QApplication and the wiring of store, engine and window."""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path

from . import APP_ID, APP_NAME, __version__


def _parse(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog=APP_ID, description=f"{APP_NAME}: still images to videos.")
    parser.add_argument("images", nargs="*", help="image files or http(s) links to open")
    parser.add_argument("--version", action="version", version=f"{APP_NAME} {__version__}")
    return parser.parse_known_args(argv)[0]  # Qt options (-style, -platform) pass through


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv if argv is None else argv)
    # A frozen app has no `python -m`: the same executable also runs the simulator and its renderer.
    if len(argv) > 1 and argv[1] == "--simulator":
        from .simulator.__main__ import main as simulator_main
        return simulator_main(argv[2:])
    if len(argv) > 1 and argv[1] == "--render-video":
        from .simulator.video import main as render_main
        return render_main(argv[2:])
    args = _parse(argv[1:])

    from PySide6.QtCore import Qt
    from PySide6.QtGui import QGuiApplication
    from PySide6.QtWidgets import QApplication, QMessageBox

    from . import instance, paths
    from .core.jobs import JobStore
    from .logging_setup import setup_logging
    from .ui.main_window import MainWindow
    from .ui.theme import apply_theme, app_icon

    log_file = setup_logging()
    log = logging.getLogger(__name__)
    log.info("starting %s %s", APP_NAME, __version__)
    QGuiApplication.setHighDpiScaleFactorRoundingPolicy(Qt.HighDpiScaleFactorRoundingPolicy.PassThrough)
    app = QApplication(argv)
    app.setApplicationName(APP_NAME)
    app.setApplicationVersion(__version__)
    app.setDesktopFileName(APP_ID)
    app.setWindowIcon(app_icon())
    lock = instance.acquire_lock()
    if lock is None:  # already running: hand over the images ("Open with" on a running app)
        if instance.send_to_running([str(Path(s).resolve()) if Path(s).exists() else s for s in args.images]):
            log.info("handed %d image(s) to the running copy", len(args.images))
            return 0
        QMessageBox.warning(None, APP_NAME, f"{APP_NAME} is already running but does not answer.")
        return 1
    apply_theme(app)
    try:
        store = JobStore(paths.job_database())
    except Exception as exc:  # noqa: BLE001 - said in words; the file is kept for recovery
        log.exception("cannot open the job database")
        QMessageBox.critical(None, APP_NAME, f"The job list at {paths.job_database()} could not be "
                             f"opened ({exc}). Nothing was changed. The log has the details "
                             f"({log_file}).")
        return 1
    window = MainWindow(store, initial_sources=args.images)
    server = instance.InstanceServer(window)
    server.opened.connect(lambda sources: (window.images.add_sources(sources), window.showNormal(),
                                           window.raise_(), window.activateWindow()))
    window.show()
    code = app.exec()
    store.close()
    lock.unlock()
    logging.getLogger(__name__).info("stopped; log at %s", log_file)
    return code
