"""One rotating log file in the platform's log folder; secrets are masked on the way out."""

from __future__ import annotations

import logging
import logging.handlers
import sys
import threading
from pathlib import Path
from types import TracebackType

from . import paths

LOG_FILE_NAME = "vidu-desktop.log"
_secrets: set[str] = set()


class _RedactSecrets(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if _secrets:
            message = record.getMessage()
            for secret in _secrets:
                message = message.replace(secret, "****")
            record.msg, record.args = message, None
        return True


def register_secret(value: str | None) -> None:
    """Mask this value in every later log line (belt and braces: it should never be logged)."""
    if value and len(value) >= 6:
        _secrets.add(value)


def setup_logging(level: int = logging.INFO, directory: Path | None = None) -> Path:
    directory = paths.ensure(directory or paths.log_dir())
    log_file = directory / LOG_FILE_NAME
    handler = logging.handlers.RotatingFileHandler(log_file, maxBytes=2_000_000, backupCount=5,
                                                   encoding="utf-8")
    handler.setFormatter(logging.Formatter(
        "%(asctime)s %(levelname)s %(threadName)s %(name)s: %(message)s"))
    handler.addFilter(_RedactSecrets())
    root = logging.getLogger()
    root.setLevel(level)
    root.addHandler(handler)

    def log_uncaught(exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
        logging.getLogger("vidu_desktop").critical("uncaught exception", exc_info=(exc_type, exc, tb))
        sys.__excepthook__(exc_type, exc, tb)

    def log_uncaught_in_thread(args: threading.ExceptHookArgs) -> None:
        if args.exc_value is None:  # never in practice: there is always an exception object
            threading.__excepthook__(args)
        else:
            log_uncaught(args.exc_type, args.exc_value, args.exc_traceback)

    sys.excepthook = log_uncaught
    threading.excepthook = log_uncaught_in_thread
    return log_file
