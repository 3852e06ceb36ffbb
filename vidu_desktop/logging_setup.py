"""One rotating log file in the platform's log folder; every API key is hidden on the way out.

Hiding happens twice, so no path around one of them leaks a key: every log record is redacted
when it is made (its message, its traceback and its stack, see `install_redaction`), whichever
handler later writes it; and the log file's formatter redacts the finished line again. Uncaught
exceptions (main thread, other threads, "exception ignored" ones) are logged and printed
through the same redactor. The keys themselves are known to vidu_desktop.core.redact.
"""

from __future__ import annotations

import logging
import logging.handlers
import sys
import threading
import traceback
from pathlib import Path
from types import TracebackType
from typing import Any

from . import paths
from .core import redact

LOG_FILE_NAME = "vidu-desktop.log"
LOG_FORMAT = "%(asctime)s %(levelname)s %(threadName)s %(name)s: %(message)s"

_plain = logging.Formatter()
_install_lock = threading.Lock()


def register_secret(value: str | None) -> None:
    """Hide this value from every later log line, stored error and shown text (core.redact)."""
    redact.remember(value)


class RedactingFormatter(logging.Formatter):
    """A formatter whose every piece of output (message, traceback, stack) has no key in it."""

    def formatException(self, ei: Any) -> str:
        return redact.redact(super().formatException(ei))

    def formatStack(self, stack_info: str) -> str:
        return redact.redact(super().formatStack(stack_info))

    def format(self, record: logging.LogRecord) -> str:
        return redact.redact(super().format(record))


def redact_record(record: logging.LogRecord) -> logging.LogRecord:
    """Hide every key in the record itself, so that any handler writes it without one."""
    if not redact.known():
        return record
    try:
        message = record.getMessage()
    except Exception:  # noqa: BLE001 - a bad format string: logging reports it when it is written
        message = None
    if message is not None:
        cleaned = redact.redact(message)
        if cleaned != message:
            record.msg, record.args = cleaned, None
    if record.exc_info and not record.exc_text:
        text = _plain.formatException(record.exc_info)
        cleaned = redact.redact(text)
        if cleaned != text:
            record.exc_text = cleaned  # formatters use this instead of formatting exc_info
    if record.stack_info:
        record.stack_info = redact.redact(record.stack_info)
    return record


class RedactingFilter(logging.Filter):
    """For a handler that may see records made elsewhere (makeLogRecord, another process)."""

    def filter(self, record: logging.LogRecord) -> bool:
        redact_record(record)
        return True


def install_redaction() -> None:
    """Make every log record of this process redacted as it is made (once per process)."""
    with _install_lock:
        factory = logging.getLogRecordFactory()
        if getattr(factory, "redacts", False):
            return

        def make_record(*args: Any, **kwargs: Any) -> logging.LogRecord:
            return redact_record(factory(*args, **kwargs))

        make_record.redacts = True  # type: ignore[attr-defined]
        logging.setLogRecordFactory(make_record)


def _print_redacted(exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None,
                    heading: str = "") -> None:
    if sys.stderr is None:  # a windowed app without a console
        return
    try:
        sys.stderr.write(heading + redact.redact("".join(traceback.format_exception(exc_type, exc, tb))))
        sys.stderr.flush()
    except Exception:  # noqa: BLE001 - nowhere left to report a failing stderr
        pass


def log_uncaught(exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
    """sys.excepthook: into the log, and onto stderr as Python would, with no key in either."""
    if not issubclass(exc_type, KeyboardInterrupt):
        logging.getLogger("vidu_desktop").critical("uncaught exception", exc_info=(exc_type, exc, tb))
    _print_redacted(exc_type, exc, tb)


def log_uncaught_in_thread(args: threading.ExceptHookArgs) -> None:
    """threading.excepthook: the same, for an exception that ended a thread."""
    if args.exc_type is SystemExit:  # a thread's normal way out: Python says nothing either
        return
    if args.exc_value is None:  # never in practice: there is always an exception object
        threading.__excepthook__(args)
        return
    name = args.thread.name if args.thread else "unknown"
    logging.getLogger("vidu_desktop").critical("uncaught exception in thread %s", name,
                                               exc_info=(args.exc_type, args.exc_value, args.exc_traceback))
    _print_redacted(args.exc_type, args.exc_value, args.exc_traceback, f"Exception in thread {name}:\n")


def log_unraisable(unraisable: sys.UnraisableHookArgs) -> None:
    """sys.unraisablehook: an exception Python could only ignore (in __del__, a callback)."""
    where = redact.redact(unraisable.err_msg or "Exception ignored in")
    if unraisable.object is not None:
        try:
            where += f": {unraisable.object!r}"
        except Exception:  # noqa: BLE001 - a repr that fails: name the type instead
            where += f": <{type(unraisable.object).__name__} object>"
        where = redact.redact(where)
    if unraisable.exc_value is None:
        logging.getLogger("vidu_desktop").warning("%s", where)
        return
    logging.getLogger("vidu_desktop").warning(
        "%s", where, exc_info=(unraisable.exc_type, unraisable.exc_value, unraisable.exc_traceback))
    _print_redacted(unraisable.exc_type, unraisable.exc_value, unraisable.exc_traceback, where + "\n")


def setup_logging(level: int = logging.INFO, directory: Path | None = None) -> Path:
    """Log to the rotating file; raises OSError when the folder cannot be used, and even then
    every record and uncaught exception of the process is already redacted."""
    install_redaction()
    sys.excepthook = log_uncaught
    threading.excepthook = log_uncaught_in_thread
    sys.unraisablehook = log_unraisable
    directory = paths.ensure(directory or paths.log_dir())
    log_file = directory / LOG_FILE_NAME
    handler = logging.handlers.RotatingFileHandler(log_file, maxBytes=2_000_000, backupCount=5,
                                                   encoding="utf-8")
    handler.setFormatter(RedactingFormatter(LOG_FORMAT))
    handler.addFilter(RedactingFilter())
    root = logging.getLogger()
    root.setLevel(level)
    root.addHandler(handler)
    return log_file
