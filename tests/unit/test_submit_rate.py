"""The submit rate: at most N submits in any minute; halved after a 429, recovering slowly."""

from __future__ import annotations

import pytest

from vidu_desktop.workers.engine import RATE_WINDOW_S, SUBMITS_PER_MINUTE, SubmitRate


def send_all_allowed(rate: SubmitRate, now: float) -> int:
    sent = 0
    while rate.wait_s(now) == 0:
        rate.sent(now)
        sent += 1
    return sent


def test_at_most_the_limit_in_any_minute():
    rate = SubmitRate(5)
    assert send_all_allowed(rate, 100.0) == 5
    assert rate.wait_s(100.0) == pytest.approx(RATE_WINDOW_S)
    assert rate.wait_s(130.0) == pytest.approx(30.0)
    assert send_all_allowed(rate, 160.0) == 5  # the first five are a minute old


def test_a_429_halves_the_rate_waits_and_it_grows_back_one_a_quiet_minute():
    rate = SubmitRate(8)
    rate.sent(0.0)
    rate.refused(1.0, 10.0)
    assert rate.limit == 4 and rate.wait_s(5.0) == pytest.approx(6.0)  # nothing during the wait
    rate.refused(12.0, 0.0)
    rate.refused(13.0, 0.0)
    rate.refused(14.0, 0.0)
    assert rate.limit == 1  # never below one
    rate.wait_s(14.0 + RATE_WINDOW_S)
    assert rate.limit == 2
    rate.wait_s(14.0 + 10 * RATE_WINDOW_S)
    assert rate.limit == 8  # back where it started, never beyond


def test_the_default_is_the_top_of_novitas_published_range():
    assert SubmitRate().limit == SUBMITS_PER_MINUTE == 20
