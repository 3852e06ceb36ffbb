"""Review of the queue (issue 13): a job the app has not sent yet, held back by the submit
rate, through the real session, engine and simulator."""

from __future__ import annotations

import pytest

from tests.integration.test_queue import (  # noqa: F401 - fixtures
    images,
    orders,
    sample_video,
    sim,
    watched,
)
from vidu_desktop.core.lifecycle import JobState

pytestmark = pytest.mark.slow


@pytest.mark.xfail(strict=True, reason="bug: Engine.cancel treats SUBMITTING as sent to Novita; a job held back "
                                       "by the submit rate (or a pause) was never sent, yet cannot be cancelled "
                                       "and the user is told it is charged")
def test_a_job_held_back_by_the_submit_rate_can_be_cancelled(watched, sim, images):  # noqa: F811
    statuses: list[int] = []
    original = sim.stats.record

    def record(method, path, status):
        if method == "POST" and "async" in path:
            statuses.append(status)
        original(method, path, status)

    sim.stats.record = record
    sim.faults.add("rate_limit", route="submit", count=1, retry_after=60)
    watched.session.generate(orders(images[:2]))
    # The first submit is refused (429, wait 60 s): every other submit waits too, unsent.
    watched.wait(lambda: statuses == [429] and watched.count(JobState.SUBMITTING) == 2, timeout=20_000)
    watched.settle()
    assert statuses == [429]
    held = sorted(watched.jobs)
    watched.session.cancel(held)
    watched.settle()
    # Nothing of these reached Novita: "already sent ... charged" is false, and they stay stuck.
    assert not any("charged" in words for words in watched.problems), watched.problems
    watched.wait(lambda: all(watched.jobs[job_id].state is JobState.CANCELLED for job_id in held), timeout=5000)
    watched.settle()
    assert statuses == [429]
