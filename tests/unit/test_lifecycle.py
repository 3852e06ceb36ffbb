"""The job lifecycle: exactly the allowed moves, checked for every pair of states."""

from __future__ import annotations

import itertools

import pytest

from vidu_desktop.core import errors
from vidu_desktop.core.lifecycle import TRANSITIONS, JobState, can_move, check_move

S = JobState
# Written out again on purpose: the test states the intended table independently of the code.
ALLOWED = {
    (S.WAITING, S.SUBMITTING), (S.WAITING, S.CANCELLED), (S.WAITING, S.FAILED),
    (S.CANCELLED, S.WAITING),
    (S.SUBMITTING, S.QUEUED), (S.SUBMITTING, S.UNCERTAIN), (S.SUBMITTING, S.FAILED),
    (S.SUBMITTING, S.WAITING),  # refused with 429: no task was made, it waits at the front again
    (S.SUBMITTING, S.CANCELLED),  # held back (rate, pause) and not sent yet: the user may still cancel
    (S.UNCERTAIN, S.WAITING), (S.UNCERTAIN, S.SUBMITTING), (S.UNCERTAIN, S.FAILED),
    (S.QUEUED, S.PROCESSING), (S.QUEUED, S.DOWNLOADING), (S.QUEUED, S.FAILED),
    (S.PROCESSING, S.QUEUED), (S.PROCESSING, S.DOWNLOADING), (S.PROCESSING, S.FAILED),
    (S.DOWNLOADING, S.DONE), (S.DOWNLOADING, S.FAILED),
    (S.FAILED, S.WAITING), (S.FAILED, S.SUBMITTING), (S.FAILED, S.QUEUED), (S.FAILED, S.DOWNLOADING),
}


@pytest.mark.parametrize("old, new", list(itertools.product(JobState, JobState)),
                         ids=lambda s: s.value)
def test_every_pair_of_states(old: JobState, new: JobState) -> None:
    allowed = old is new or (old, new) in ALLOWED
    assert can_move(old, new) is allowed
    if allowed:
        check_move(old, new)
    else:
        with pytest.raises(errors.IllegalTransition) as caught:
            check_move(old, new)
        assert isinstance(caught.value, errors.ViduError)
        assert (caught.value.old, caught.value.new) == (old.value, new.value)
        assert old.value in str(caught.value) and new.value in str(caught.value)


def test_the_table_covers_every_state_and_never_lists_staying_put() -> None:
    assert set(TRANSITIONS) == set(JobState)
    assert all(state not in targets for state, targets in TRANSITIONS.items())
    assert TRANSITIONS[S.DONE] == frozenset()


def test_every_state_but_done_can_still_end() -> None:
    """From anywhere a job can reach DONE or FAILED: nothing gets stuck."""
    for start in JobState:
        seen, todo = {start}, [start]
        while todo:
            for nxt in TRANSITIONS[todo.pop()] - seen:
                seen.add(nxt)
                todo.append(nxt)
        assert start is S.DONE or {S.DONE, S.FAILED} <= seen or start is S.CANCELLED, start


def test_finished_and_active() -> None:
    assert {s for s in JobState if s.finished} == {S.DONE, S.FAILED, S.CANCELLED}
    assert {s for s in JobState if s.active} == {S.QUEUED, S.PROCESSING, S.DOWNLOADING}
    assert JobState("queued") is S.QUEUED and str(S.QUEUED) == "queued"


def test_open_at_novita_is_what_takes_a_slot_of_the_queue() -> None:
    assert {s for s in JobState if s.open_at_novita} == {S.SUBMITTING, S.QUEUED, S.PROCESSING}
