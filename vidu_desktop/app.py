"""Start-up: the command line, the QApplication and the wiring of store, engine and window."""

from __future__ import annotations

import argparse
import gc
import logging
import os
import signal
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from . import APP_ID, APP_NAME, __version__

if TYPE_CHECKING:
    from PySide6.QtCore import QCoreApplication


HEADLESS_OPTION = "--headless"


def _parse(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog=APP_ID, description=f"{APP_NAME}: still images to videos.",
                                     epilog=f"{APP_ID} {HEADLESS_OPTION} --help: making videos without a window.")
    parser.add_argument("images", nargs="*", metavar="INPUT",
                        help="image files, folders, CSV batch files or http(s) links to open")
    parser.add_argument(HEADLESS_OPTION, action="store_true",
                        help="no window: make the videos of the inputs, show progress here, and exit")
    parser.add_argument("--version", action="version", version=f"{APP_NAME} {__version__}")
    return parser.parse_known_args(argv)[0]  # Qt options (-style, -platform) pass through


def for_running_copy(source: str) -> str:
    """An input as another process must read it: a path made absolute (that process has its
    own working folder), a link as it is."""
    from .core.request import is_web_url

    return source if is_web_url(source) else os.path.abspath(os.path.expanduser(source))


def run_headless(argv: list[str]) -> int:
    """`vidu-desktop --headless ...`: the headless runner with the other arguments (imported here:
    the window's start-up does not pay for it)."""
    from . import headless

    return headless.main(argv)


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv if argv is None else argv)
    # A frozen app has no `python -m`: the same executable also runs the simulator and its renderer.
    if len(argv) > 1 and argv[1] == "--simulator":
        from .simulator.__main__ import main as simulator_main
        return simulator_main(argv[2:])
    if len(argv) > 1 and argv[1] == "--render-video":
        from .simulator.video import main as render_main
        return render_main(argv[2:])
    if HEADLESS_OPTION in argv[1:]:
        rest = list(argv[1:])
        rest.remove(HEADLESS_OPTION)
        return run_headless(rest)
    args = _parse(argv[1:])

    from PySide6.QtCore import Qt
    from PySide6.QtGui import QGuiApplication
    from PySide6.QtWidgets import QApplication, QMessageBox

    from . import instance, paths, settings
    from .core.errors import QT_TRANSLATE_NOOP, translate
    from .logging_setup import setup_logging
    from .session import Session, exit_now
    from .ui.i18n import install_translations
    from .ui.main_window import MainWindow
    from .ui.theme import app_icon, apply_style_sheet, apply_theme

    # The tens of thousands of objects the imports made (classes, functions, Qt's enums) live as
    # long as the process: kept out of the collector's generations, the collections that building
    # the window triggers, and every full one later, need not walk them again.
    gc.freeze()

    log_folder_error: OSError | None = None
    try:
        log_file: Path | None = setup_logging()
    except OSError as exc:  # a file where the log folder should be, a read-only disk…
        logging.basicConfig(level=logging.INFO)
        log_file, log_folder_error = None, exc
    log = logging.getLogger(__name__)
    log.info("starting %s %s", APP_NAME, __version__)
    QGuiApplication.setHighDpiScaleFactorRoundingPolicy(Qt.HighDpiScaleFactorRoundingPolicy.PassThrough)
    app = QApplication(argv)
    app.setApplicationName(APP_NAME)
    app.setApplicationVersion(__version__)
    app.setDesktopFileName(APP_ID)
    app.setWindowIcon(app_icon())
    install_translations(app, settings.ui_language())
    log_problem = "" if log_folder_error is None else folder_problem(
        QT_TRANSLATE_NOOP("app", "log folder"), paths.log_dir(), log_folder_error)
    try:
        lock = instance.acquire_lock()
    except OSError as exc:  # the data folder itself is unusable: nothing can be kept, so say so
        what = QT_TRANSLATE_NOOP("app", "data folder")
        english = folder_problem(what, paths.data_dir(), exc, translated=False) + " Nothing was changed."
        print(english, file=sys.stderr)
        log.error(english)
        QMessageBox.critical(None, APP_NAME, folder_problem(what, paths.data_dir(), exc) + " "
                             + translate("app", "Nothing was changed."))
        return 1
    if lock is None:  # already running: hand over the images ("Open with" on a running app)
        if instance.send_to_running([for_running_copy(source) for source in args.images]):
            log.info("handed %d image(s) to the running copy", len(args.images))
            return 0
        QMessageBox.warning(None, APP_NAME, translate("app", "{app} is already running but does not answer.").format(
            app=APP_NAME))
        return 1
    apply_theme(app, style_sheet=False)  # the style and the palette: the window's icons are drawn in its colours
    session = Session()
    window = MainWindow(session, initial_sources=args.images)
    apply_style_sheet(app)  # once the window exists: each widget is styled once (see apply_theme)
    server = instance.InstanceServer(window)
    server.opened.connect(window.bring_to_front)
    quit_on_signals(app)
    if log_problem:
        window.statusBar().showMessage(log_problem, 30000)
    window.show()
    session.start()  # the store, the key and the simulator come after the first frame
    code = app.exec()
    window.close()
    ended = session.shutdown()
    lock.unlock()
    log.info("stopped; log at %s", log_file)
    if not ended:  # a thread is stuck in a network call: do not wait for it
        exit_now(code)
    return code


def folder_problem(what: str, folder: Path, exc: OSError, *, translated: bool = True) -> str:
    """A folder the app needs, in words: which one (`what`, marked with QT_TRANSLATE_NOOP("app",
    …)), where, and what is in the way; in the user's language unless `translated` is False (the log)."""
    from .core.errors import QT_TRANSLATE_NOOP, translate

    def say(text: str) -> str:  # the words are marked where they are written, below
        return translate("app", text) if translated else text

    reason = exc.strerror or str(exc)
    if isinstance(exc, FileExistsError | NotADirectoryError):
        blocker = Path(str(exc.filename)) if exc.filename else folder
        reason = (say(QT_TRANSLATE_NOOP("app", "a file is in the way ({blocker})")).format(blocker=blocker)
                  if blocker != folder else say(QT_TRANSLATE_NOOP("app", "a file is in the way")))
    return say(QT_TRANSLATE_NOOP("app", "{app} cannot use its {what} {folder}: {reason}.")).format(
        app=APP_NAME, what=say(what), folder=folder, reason=reason)


def quit_on_signals(app: QCoreApplication) -> None:
    """SIGTERM and SIGINT quit like Ctrl+Q. Python runs signal handlers only between
    bytecodes, so the C++ event loop is woken through a socket (signal.set_wakeup_fd)."""
    import socket

    from PySide6.QtCore import QSocketNotifier

    reader, writer = socket.socketpair()
    reader.setblocking(False)
    writer.setblocking(False)
    signal.set_wakeup_fd(writer.fileno())
    for number in (signal.SIGTERM, signal.SIGINT):
        signal.signal(number, lambda *_: app.quit())
    notifier = QSocketNotifier(reader.fileno(), QSocketNotifier.Type.Read, app)
    notifier.activated.connect(lambda *_: reader.recv(64))  # the handler itself runs right after
    _kept_alive.extend((reader, writer, notifier))


_kept_alive: list[object] = []
