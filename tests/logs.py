"""What the tests read back from the app's log, and how they look for a key in it."""

from __future__ import annotations

import logging
from pathlib import Path

from vidu_desktop.core.redact import FRAGMENT_CHARS


def log_text(folder: Path) -> str:
    """Everything the rotating log file (and its backups) in `folder` holds, flushed first."""
    for handler in logging.getLogger().handlers:
        handler.flush()
    return "".join(path.read_text(encoding="utf-8") for path in sorted(folder.glob("vidu-desktop.log*")))


def fragments(text: str, *secrets: str) -> list[str]:
    """Every piece of FRAGMENT_CHARS characters of a secret still in the text (none, please)."""
    return sorted({secret[i:i + FRAGMENT_CHARS] for secret in secrets
                   for i in range(len(secret) - FRAGMENT_CHARS + 1) if secret[i:i + FRAGMENT_CHARS] in text})
