"""Numbers and strings from the server, parsed once into checked ranges.

The server (or anything pretending to be it) may send any JSON: strings for numbers, NaN,
1e308, negative percentages, megabyte-long ids. Everything here is total: a value is
either brought into its documented range or becomes None; only a task id that cannot be
used at all raises errors.ProtocolError.
"""

from __future__ import annotations

import decimal
import math
import re
import time
from typing import Any

from . import errors
from .backoff import RETRY_AFTER_CAP_S

MAX_ETA_S = 48 * 3600.0  # off-peak tasks finish "within 48 hours"
SEED_MAX = 2**31 - 1
MAX_TTL_S = 7 * 24 * 3600.0  # no signed link lives longer than a week
MAX_TASK_ID_CHARS = 256
MAX_TEXT_CHARS = 1000  # a reason or a message shown to a person

_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def number(value: Any) -> float | None:
    """A finite float from an int, a float or a numeric string; None for anything else."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, str):
        value = value.strip()
        if not value or len(value) > 64:
            return None
    elif not isinstance(value, (int, float)):
        return None
    try:
        result = float(value)
    except (TypeError, ValueError, OverflowError):
        return None
    return result if math.isfinite(result) else None


def eta_s(value: Any) -> float | None:
    """Seconds to completion: negative or unreadable -> None; more than 48 h -> 48 h."""
    seconds = number(value)
    if seconds is None or seconds < 0:
        return None
    return min(seconds, MAX_ETA_S)


def progress_percent(value: Any) -> float | None:
    """0..100, clamped; unreadable -> None."""
    percent = number(value)
    return None if percent is None else min(max(percent, 0.0), 100.0)


def seed(value: Any) -> int | None:
    """A whole number 0..2**31-1 (the request's own range); anything else -> None."""
    result = number(value)
    if result is None or result != int(result) or not 0 <= result <= SEED_MAX:
        return None
    return int(result)


def ttl_s(value: Any) -> float | None:
    """A link's lifetime: unreadable -> None (unknown), negative -> 0, capped at a week."""
    seconds = number(value)
    return None if seconds is None else min(max(seconds, 0.0), MAX_TTL_S)


def retry_after(value: str | None, now: float | None = None) -> float | None:
    """A Retry-After header (seconds or an HTTP date) as 0..600 s; None when absent or unreadable."""
    if not isinstance(value, str) or not value.strip():
        return None
    seconds = number(value)
    if seconds is None:
        import email.utils  # only for an HTTP-date Retry-After (rare): not paid at start-up

        try:
            when = email.utils.parsedate_to_datetime(value.strip())
            seconds = when.timestamp() - (time.time() if now is None else now)
        except (TypeError, ValueError, IndexError, OverflowError, OSError):
            return None
        if not math.isfinite(seconds):
            return None
    return min(max(seconds, 0.0), RETRY_AFTER_CAP_S)


MAX_MONEY_UNITS = 10**15  # units of 0.0001 USD: $100 billion; anything beyond is nonsense


def decimal_number(value: Any, max_chars: int = 64) -> decimal.Decimal | None:
    """A finite Decimal from a decimal string, an int, a float (its shortest repr: 0.1, not
    0.1000000000000000055…) or a Decimal; None for anything else or text over `max_chars`."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, float):
        value = repr(value)
    if isinstance(value, str):
        value = value.strip()
        if not value or len(value) > max_chars:
            return None
    elif not isinstance(value, (int, decimal.Decimal)):
        return None
    try:
        result = decimal.Decimal(value)
    except (decimal.InvalidOperation, ValueError, TypeError):
        return None
    return result if result.is_finite() else None


def money_units(value: Any) -> int | None:
    """An amount of money in Novita's units of 0.0001 USD ("123456" = $12.3456).

    Novita sends such amounts as strings; integers and decimal strings ("12.5", rounded
    half up) are read too. Negative amounts are kept (a balance can be overdrawn). Anything
    else (NaN, "1e999", bool, text, more than $100 billion either way) becomes None.
    """
    amount = decimal_number(value)
    if amount is None or abs(amount) > MAX_MONEY_UNITS:
        return None
    return int(amount.quantize(decimal.Decimal(1), rounding=decimal.ROUND_HALF_UP))


def unix_time(value: Any) -> float | None:
    """A Unix time in seconds (a number or a numeric string) from 1970 to 9999; else None."""
    seconds = number(value)
    return seconds if seconds is not None and 0 <= seconds < 253_402_300_800 else None


def task_id(value: Any) -> str:
    """A task id as the server sent it; raise ProtocolError when it is not one we can use."""
    if not isinstance(value, str) or not value:
        raise errors.ProtocolError("the answer carried no task id")
    if len(value) > MAX_TASK_ID_CHARS:
        raise errors.ProtocolError(f"the task id is {len(value)} characters long "
                                   f"(more than {MAX_TASK_ID_CHARS})")
    if _CONTROL.search(value):
        raise errors.ProtocolError("the task id contains control characters")
    return value


def text(value: Any, limit: int = MAX_TEXT_CHARS) -> str:
    """Words from the server for a person: strings and numbers only, one line, bounded."""
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        return ""
    try:
        words = value if isinstance(value, str) else str(value)
    except ValueError:  # an int with more digits than str() will print
        return ""
    words = _CONTROL.sub(" ", words[: limit * 2]).strip()
    return words if len(words) <= limit else words[: limit - 1] + "…"


def has_control_characters(value: str) -> bool:
    return bool(_CONTROL.search(value))
