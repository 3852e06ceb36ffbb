"""The one retry and back-off policy for every network wait.

Used for the client's read retries, the wait before polling again after a failed poll and
the wait before sending again after a 429. Exponential growth with jitter, capped; a
server's Retry-After wins, but never beyond RETRY_AFTER_CAP_S.
"""

from __future__ import annotations

import math
import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field

RETRY_AFTER_CAP_S = 600.0  # a server asking for longer is not believed beyond ten minutes
_MAX_EXPONENT = 62  # 2**62 is already far past any cap; keeps the float arithmetic finite


@dataclass(frozen=True)
class RetryPolicy:
    """Exponential back-off with "equal jitter": between half and all of base·2^attempt, capped.

    attempts: how many tries a retrying caller makes in all (the client's reads).
    sleep:    how to wait (tests inject a recorder); jitter: how to draw the random part.
    """

    attempts: int = 5
    base_s: float = 0.5
    cap_s: float = 30.0
    sleep: Callable[[float], None] = field(default=time.sleep, repr=False, compare=False)
    jitter: Callable[[float, float], float] = field(default=random.uniform, repr=False, compare=False)

    def delay(self, attempt: int, retry_after: float | None = None) -> float:
        """Seconds to wait before try number `attempt + 1` (attempt counts from 0).

        A Retry-After from the server is used as given, clamped to 0..RETRY_AFTER_CAP_S.
        Always a finite number from 0 to max(cap_s, RETRY_AFTER_CAP_S).
        """
        if retry_after is not None and not math.isnan(retry_after):
            return min(max(float(retry_after), 0.0), RETRY_AFTER_CAP_S)
        exponent = min(max(int(attempt), 0), _MAX_EXPONENT)
        cap = max(self.cap_s, 0.0) if math.isfinite(self.cap_s) else RETRY_AFTER_CAP_S
        ceiling = min(cap, max(self.base_s, 0.0) * 2.0 ** exponent)
        drawn = self.jitter(ceiling / 2, ceiling)
        return min(max(drawn, 0.0), ceiling) if math.isfinite(drawn) else ceiling

    def wait(self, attempt: int, retry_after: float | None = None) -> float:
        """Sleep for delay(attempt, retry_after) with the injected sleep; return the seconds."""
        seconds = self.delay(attempt, retry_after)
        self.sleep(seconds)
        return seconds


#: The client's read retries (GET task-result, balance, downloads).
READS = RetryPolicy(attempts=5, base_s=0.5, cap_s=30.0)
#: Polling again after a poll failed (the task is still there; no hurry, no hammering).
POLL_AFTER_FAILURE = RetryPolicy(attempts=0, base_s=2.5, cap_s=300.0)
#: Sending a submit again after a 429 (the server said "slow down").
RATE_LIMITED = RetryPolicy(attempts=0, base_s=10.0, cap_s=RETRY_AFTER_CAP_S)
