"""The API key: the environment, else the OS keyring, else this session's memory. Never a file.

Every key read or stored here is remembered by the redactor (core.redact), so it never appears
in the log, a stored error or the window, whichever way it comes back.

Keyring calls can take a third of a second (backend discovery, D-Bus): call from a worker.
"""

from __future__ import annotations

import contextlib
import logging
import os
import threading
from dataclasses import dataclass
from enum import Enum

from .core import redact

log = logging.getLogger(__name__)

KEYRING_SERVICE = "vidu-desktop"
KEYRING_USER = "api-key"
API_KEY_ENV = "NOVITA_API_KEY"

_session_key: str | None = None
_lock = threading.Lock()


class KeySource(Enum):
    ENVIRONMENT = "environment variable NOVITA_API_KEY"
    KEYRING = "system keyring"
    SESSION = "this session only (no keyring available)"
    NONE = "none"


@dataclass(frozen=True)
class ApiKey:
    value: str | None
    source: KeySource

    def __repr__(self) -> str:  # never the key itself
        return f"ApiKey(source={self.source.name}, present={bool(self.value)})"


def keyring_available() -> bool:
    import keyring
    from keyring.backends import fail

    backend = keyring.get_keyring()
    return not isinstance(backend, fail.Keyring) and backend.priority > 0


def load_api_key() -> ApiKey:
    env = os.environ.get(API_KEY_ENV, "").strip()
    redact.remember(env)
    if env:
        return ApiKey(env, KeySource.ENVIRONMENT)
    with _lock:
        if _session_key:
            redact.remember(_session_key)
            return ApiKey(_session_key, KeySource.SESSION)
    try:
        import keyring

        stored = keyring.get_password(KEYRING_SERVICE, KEYRING_USER)
    except Exception:  # any backend failure means "no key from the keyring"
        log.warning("could not read the keyring", exc_info=True)
        stored = None
    redact.remember(stored)
    return ApiKey(stored, KeySource.KEYRING) if stored else ApiKey(None, KeySource.NONE)


def store_api_key(value: str) -> KeySource:
    """Keep the key in the keyring; without one, for this session only. Returns where it went."""
    global _session_key
    from .core.novita import valid_api_key

    value = value.strip()
    redact.remember(value)  # before anything can fail with it in a message
    if not value:
        raise ValueError("The API key is empty.")
    if not valid_api_key(value):
        raise ValueError("The API key contains spaces, line breaks or unusual characters: "
                         "copy it again from novita.ai.")
    try:
        if keyring_available():
            import keyring

            keyring.set_password(KEYRING_SERVICE, KEYRING_USER, value)
            with _lock:
                _session_key = None
            return KeySource.KEYRING
    except Exception:
        log.warning("could not write to the keyring; keeping the key for this session",
                    exc_info=True)
    with _lock:
        _session_key = value
    return KeySource.SESSION


def delete_api_key() -> None:
    global _session_key
    with _lock:
        _session_key = None
    try:
        import keyring
        from keyring.errors import PasswordDeleteError

        with contextlib.suppress(PasswordDeleteError):
            keyring.delete_password(KEYRING_SERVICE, KEYRING_USER)
    except Exception:
        log.warning("could not remove the key from the keyring", exc_info=True)
