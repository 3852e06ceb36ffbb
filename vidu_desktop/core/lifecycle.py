"""The job states and the moves between them: one table, pure functions.

Every change of a job's state goes through check_move() (the store does it on update()),
so a state the engine was not meant to reach is a loud bug, not a quiet row in the database.
"""

from __future__ import annotations

from enum import StrEnum

from .errors import IllegalTransition


class JobState(StrEnum):
    WAITING = "waiting"  # in the app's own queue: nothing sent yet, waits for a free slot
    SUBMITTING = "submitting"  # committed BEFORE the request leaves
    UNCERTAIN = "uncertain"  # the submit's answer never arrived; the user decides, never auto re-sent
    QUEUED = "queued"
    PROCESSING = "processing"
    DOWNLOADING = "downloading"
    DONE = "done"
    FAILED = "failed"
    CANCELLED = "cancelled"  # taken out of the queue by the user before it was sent

    @property
    def finished(self) -> bool:
        return self in (JobState.DONE, JobState.FAILED, JobState.CANCELLED)

    @property
    def active(self) -> bool:
        """Has or needs work on the server's side."""
        return self in (JobState.QUEUED, JobState.PROCESSING, JobState.DOWNLOADING)

    @property
    def running(self) -> bool:
        """The app is still working on it: being sent, or active on the server."""
        return self in RUNNING

    @property
    def open_at_novita(self) -> bool:
        """Takes one of the slots of the queue limit (settings.max_open_jobs): being sent, or a
        task Novita is still making. A download does not: the task is finished at Novita's end."""
        return self in OPEN_AT_NOVITA


S = JobState

#: The states in which the app is still working on a job ("Running" in the job list).
RUNNING: frozenset[JobState] = frozenset({S.WAITING, S.SUBMITTING, S.QUEUED, S.PROCESSING, S.DOWNLOADING})

#: The states that take a slot of the queue limit (see JobState.open_at_novita).
OPEN_AT_NOVITA: frozenset[JobState] = frozenset({S.SUBMITTING, S.QUEUED, S.PROCESSING})

#: Where each state may go next (staying in the same state is always allowed, and not listed).
TRANSITIONS: dict[JobState, frozenset[JobState]] = {
    S.WAITING: frozenset({S.SUBMITTING, S.CANCELLED, S.FAILED}),
    # Back to WAITING only when Novita refused the submit (429): no task was made.
    # CANCELLED: taken back by the user before its request left (held by the submit rate or a pause).
    S.SUBMITTING: frozenset({S.QUEUED, S.UNCERTAIN, S.FAILED, S.WAITING, S.CANCELLED}),
    # Only the user moves an uncertain job on: send it again, or give it up.
    # (back in the queue to be sent again, or straight out when a retry is handled at once)
    S.UNCERTAIN: frozenset({S.WAITING, S.SUBMITTING, S.FAILED}),
    S.QUEUED: frozenset({S.PROCESSING, S.DOWNLOADING, S.FAILED}),
    S.PROCESSING: frozenset({S.QUEUED, S.DOWNLOADING, S.FAILED}),
    S.DOWNLOADING: frozenset({S.DONE, S.FAILED}),
    # Retry: without a task id the job is sent again; with one it is polled or downloaded again.
    # A job sent again waits its turn in the queue like any other (WAITING).
    S.FAILED: frozenset({S.WAITING, S.SUBMITTING, S.QUEUED, S.DOWNLOADING}),
    S.DONE: frozenset(),
    S.CANCELLED: frozenset({S.WAITING}),  # put back in the queue
}

del S


def can_move(old: JobState, new: JobState) -> bool:
    """Whether a job in state `old` may move to `new` (the same state always may)."""
    return old is new or new in TRANSITIONS[old]


def check_move(old: JobState, new: JobState) -> None:
    """Raise errors.IllegalTransition unless can_move(old, new)."""
    if not can_move(old, new):
        raise IllegalTransition(old, new)
