"""When to ask about a job next: pure functions, so the policy is tested without a clock.

The aim: notice completion within a few seconds while asking as rarely as the server's own
estimate allows. Off-peak jobs can take two days, so there is no give-up time; the task
ends when the server says so.
"""

from __future__ import annotations

import heapq
import itertools
import math
from dataclasses import dataclass, field

MIN_DELAY_S = 2.5  # near the end: completion is noticed within this
MAX_DELAY_S = 300.0  # long off-peak waits: still check every five minutes
FIRST_DELAY_S = 3.0
ETA_FRACTION = 0.6  # ask again after this share of the remaining estimate
UNKNOWN_GROWTH = 1.5
END_MARGIN_S = 0.25  # how long after the estimated end the last question goes


def next_delay(*, eta_s: float | None, progress_percent: float | None, elapsed_s: float,
               previous_delay_s: float | None, queued: bool = False, off_peak: bool = False) -> float:
    """Seconds until the next Task Result request for one job: always finite, 2.5..300."""
    eta_s, progress_percent, elapsed_s, previous_delay_s = (
        _finite(eta_s), _finite(progress_percent), _finite(elapsed_s) or 0.0, _finite(previous_delay_s))
    remaining = eta_s if eta_s is not None and eta_s > 0 else None
    if remaining is None and progress_percent and 0 < progress_percent < 100 and elapsed_s > 0:
        remaining = elapsed_s * (100 - progress_percent) / progress_percent
    if remaining is not None and remaining * ETA_FRACTION < MIN_DELAY_S <= remaining + END_MARGIN_S:
        delay = remaining + END_MARGIN_S  # the end is near: ask once, just after it is due
    elif remaining is not None:
        delay = remaining * ETA_FRACTION
    elif previous_delay_s is None:
        delay = FIRST_DELAY_S
    else:  # nothing to go on (queued, or an eta of 0 that was wrong): back off gently
        delay = previous_delay_s * UNKNOWN_GROWTH
    ceiling = MAX_DELAY_S if (off_peak or queued) else 60.0
    return min(max(delay, MIN_DELAY_S), ceiling)


def _finite(value: float | None) -> float | None:
    return value if value is not None and math.isfinite(value) else None


@dataclass(order=True)
class _Entry:
    due: float
    order: int
    key: str = field(compare=False)


class PollSchedule:
    """Which job is due next: one heap for all jobs, so one thread can poll them all."""

    def __init__(self) -> None:
        self._heap: list[_Entry] = []
        self._due: dict[str, float] = {}
        self._counter = itertools.count()

    def __len__(self) -> int:
        return len(self._due)

    def __contains__(self, key: str) -> bool:
        return key in self._due

    def set(self, key: str, due: float) -> None:
        self._due[key] = due
        heapq.heappush(self._heap, _Entry(due, next(self._counter), key))

    def remove(self, key: str) -> None:
        self._due.pop(key, None)

    def next_due(self) -> float | None:
        self._drop_stale()
        return self._heap[0].due if self._heap else None

    def pop_due(self, now: float) -> list[str]:
        """Every job due at `now`, earliest first; they leave the schedule until set again."""
        keys: list[str] = []
        while True:
            self._drop_stale()
            if not self._heap or self._heap[0].due > now:
                return keys
            entry = heapq.heappop(self._heap)
            del self._due[entry.key]
            keys.append(entry.key)

    def _drop_stale(self) -> None:
        while self._heap and self._due.get(self._heap[0].key) != self._heap[0].due:
            heapq.heappop(self._heap)
