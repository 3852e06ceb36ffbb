"""Hostile numbers from the server are parsed once into checked ranges; the back-off policy."""

from __future__ import annotations

import math
import time
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from vidu_desktop.core import errors, values
from vidu_desktop.core.backoff import POLL_AFTER_FAILURE, RATE_LIMITED, READS, RETRY_AFTER_CAP_S, RetryPolicy
from vidu_desktop.core.lifecycle import JobState
from vidu_desktop.core.novita import TaskResult, TaskStatus, _retry_after, parse_task_result
from vidu_desktop.core.polling import next_delay
from vidu_desktop.core.request import format_size, image_problems


def result_with(**task) -> TaskResult:
    return parse_task_result({"task": {"task_id": "t", "status": "TASK_STATUS_PROCESSING", **task}})


@pytest.mark.parametrize("eta, expected", [
    (42, 42.0), ("42", 42.0), (0, 0.0), (-1, None), ("-5", None), (1e12, 48 * 3600.0),
    ("nan", None), ("inf", None), ("1e999", None), (None, None), ("", None), (True, None),
    ([1], None), ({"a": 1}, None), ("12 seconds", None), (10**400, None),
])
def test_eta_is_0_to_48_hours(eta, expected):
    assert result_with(eta=eta).eta_s == expected


@pytest.mark.parametrize("progress, expected", [
    (37, 37.0), ("37.5", 37.5), (-4, 0.0), (250, 100.0), ("NaN", None), (None, None), (False, None),
])
def test_progress_is_0_to_100(progress, expected):
    assert result_with(progress_percent=progress).progress_percent == expected


@pytest.mark.parametrize("seed, expected", [
    ("158881667", 158881667), (0, 0), (2**31 - 1, 2**31 - 1), (2**31, None), (-1, None),
    ("1.5", None), (3.0, 3), ("abc", None), (True, None), (2**63, None), ("9" * 5000, None),
])
def test_seed_is_0_to_2_31_minus_1(seed, expected):
    result = parse_task_result({"task": {"task_id": "t", "status": "TASK_STATUS_QUEUED"},
                                "extra": {"seed": seed}})
    assert result.seed == expected


@pytest.mark.parametrize("task_id", ["x" * 257, "abc\n123", "abc\x00", "tab\there", "del\x7f",
                                     "line\u2028sep"])
def test_unusable_task_ids_are_protocol_errors(task_id):
    with pytest.raises(errors.ProtocolError):
        parse_task_result({"task": {"task_id": task_id, "status": "TASK_STATUS_QUEUED"}})
    with pytest.raises(errors.ProtocolError):
        values.task_id(task_id)


def test_a_usable_task_id_is_kept_and_a_missing_one_falls_back():
    assert values.task_id("x" * 256) == "x" * 256
    assert parse_task_result({"task": {"status": "TASK_STATUS_QUEUED"}}, "asked").task_id == "asked"
    assert parse_task_result({"task": {"task_id": 123, "status": "TASK_STATUS_QUEUED"}}, "a").task_id == "a"


def test_links_must_be_web_links_and_ttls_are_bounded():
    result = parse_task_result({
        "task": {"task_id": "t", "status": "TASK_STATUS_SUCCEED"},
        "videos": [{"video_url": "file:///etc/passwd"}, {"video_url": "https://v/a\r\nb.mp4"},
                   {"video_url": "https://v/" + "x" * 20_000}, {"video_url": 5},
                   {"video_url": "https://v/1.mp4", "video_url_ttl": "1e300", "video_type": ["mp4"]},
                   {"video_url": "https://v/2.mp4", "video_url_ttl": -10},
                   {"video_url": "https://v/3.mp4", "video_url_ttl": "soon"}]})
    assert [v.url for v in result.videos] == ["https://v/1.mp4", "https://v/2.mp4", "https://v/3.mp4"]
    assert [v.ttl_s for v in result.videos] == [values.MAX_TTL_S, 0.0, None]
    assert result.videos[0].video_type == "mp4" and result.videos[1].expired()
    assert not result.videos[2].expired()


def test_reason_is_one_bounded_line_of_text():
    assert result_with(reason="bad\nthing\x00here").reason == "bad thing here"
    assert len(result_with(reason="x" * 100_000).reason) == values.MAX_TEXT_CHARS
    assert result_with(reason={"nested": True}).reason == "" and result_with(reason=7).reason == "7"


@pytest.mark.parametrize("status", [None, 5, ["TASK_STATUS_SUCCEED"], {"a": 1}, "task_status_succeed"])
def test_odd_statuses_are_unknown(status):
    assert result_with(status=status).status is TaskStatus.UNKNOWN


# -- Retry-After -------------------------------------------------------------------------------

@pytest.mark.parametrize("header, expected", [
    ("7", 7.0), ("0", 0.0), ("-3", 0.0), ("1.5", 1.5), ("86400", RETRY_AFTER_CAP_S), ("inf", None),
    ("nan", None), ("", None), (None, None), ("soon", None), ("Wed, 99 Foo 2026 99:99:99 GMT", None),
])
def test_retry_after_is_0_to_600_seconds(header, expected):
    assert _retry_after(header) == expected


def test_retry_after_as_an_http_date():
    now = time.time()
    in_a_minute = format_datetime(datetime.fromtimestamp(now, UTC) + timedelta(seconds=60), usegmt=True)
    assert 55 <= values.retry_after(in_a_minute, now=now) <= 61
    in_a_day = format_datetime(datetime.fromtimestamp(now, UTC) + timedelta(days=1), usegmt=True)
    assert values.retry_after(in_a_day, now=now) == RETRY_AFTER_CAP_S
    assert values.retry_after("Mon, 01 Jan 1990 00:00:00 GMT", now=now) == 0.0


@settings(max_examples=500, deadline=None)
@given(st.one_of(st.none(), st.text(max_size=60),
                 st.floats().map(str), st.integers().map(str),
                 st.datetimes(timezones=st.just(UTC)).map(lambda d: format_datetime(d, usegmt=True))))
def test_retry_after_property(header):
    seconds = _retry_after(header)
    assert seconds is None or (isinstance(seconds, float) and 0.0 <= seconds <= RETRY_AFTER_CAP_S)


# -- parse_task_result, whatever arrives -------------------------------------------------------

SCALARS = st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=40)
ANY_JSON = st.recursive(SCALARS, lambda inner: st.lists(inner, max_size=3)
                        | st.dictionaries(st.text(max_size=10), inner, max_size=3), max_leaves=10)
NUMBERISH = SCALARS | st.integers().map(str) | st.floats().map(str)
TASKS = st.fixed_dictionaries({}, optional={
    "task_id": st.text(max_size=300) | ANY_JSON,
    "status": st.sampled_from([s.value for s in TaskStatus]) | ANY_JSON,
    "reason": ANY_JSON, "eta": NUMBERISH, "progress_percent": NUMBERISH})
VIDEOS = st.lists(st.fixed_dictionaries({}, optional={
    "video_url": st.just("https://v/x.mp4") | st.text(max_size=30) | ANY_JSON,
    "video_url_ttl": NUMBERISH, "video_type": ANY_JSON}) | ANY_JSON, max_size=3)
RESULTS = st.fixed_dictionaries({}, optional={
    "task": TASKS | ANY_JSON, "extra": st.fixed_dictionaries({}, optional={"seed": NUMBERISH}) | ANY_JSON,
    "videos": VIDEOS | ANY_JSON, "images": ANY_JSON}) | ANY_JSON


@settings(max_examples=500, deadline=None)
@given(RESULTS, st.text(max_size=20))
def test_parse_task_result_is_total_and_in_range(data, asked):
    try:
        result = parse_task_result(data, asked)
    except errors.ProtocolError:
        return  # the one allowed way to refuse
    assert isinstance(result.status, TaskStatus)
    assert result.eta_s is None or 0 <= result.eta_s <= values.MAX_ETA_S
    assert result.progress_percent is None or 0 <= result.progress_percent <= 100
    assert result.seed is None or (type(result.seed) is int and 0 <= result.seed <= 2**31 - 1)
    assert len(result.task_id) <= values.MAX_TASK_ID_CHARS
    assert not values.has_control_characters(result.task_id)
    assert isinstance(result.reason, str) and len(result.reason) <= values.MAX_TEXT_CHARS
    for link in result.videos:
        assert link.url.startswith(("http://", "https://")) and not values.has_control_characters(link.url)
        assert link.ttl_s is None or 0 <= link.ttl_s <= values.MAX_TTL_S
        assert isinstance(link.video_type, str) and link.video_type
    if result.status is TaskStatus.SUCCEED:
        assert result.videos


# -- the one back-off policy -------------------------------------------------------------------

def test_backoff_grows_with_jitter_and_is_capped():
    policy = RetryPolicy(base_s=1.0, cap_s=30.0)
    for attempt, ceiling in [(0, 1.0), (1, 2.0), (3, 8.0), (5, 30.0), (50, 30.0), (10**9, 30.0)]:
        delays = {policy.delay(attempt) for _ in range(50)}
        assert all(ceiling / 2 <= d <= ceiling for d in delays), (attempt, delays)
        assert len(delays) > 1  # jittered: retries from many clients do not line up
    assert RetryPolicy(base_s=1.0, jitter=lambda low, high: high).delay(2) == 4.0
    assert RetryPolicy(jitter=lambda low, high: math.nan).delay(0) == 0.5  # a broken jitter is harmless
    assert 0.5 <= RetryPolicy(base_s=1.0).delay(-3) <= 1.0


def test_retry_after_wins_but_is_capped_at_600():
    policy = RetryPolicy(cap_s=30.0)
    assert policy.delay(0, retry_after=7) == 7.0
    assert policy.delay(9, retry_after=0) == 0.0
    assert policy.delay(0, retry_after=-5) == 0.0
    assert policy.delay(0, retry_after=3600) == RETRY_AFTER_CAP_S == 600.0
    assert policy.delay(0, retry_after=math.inf) == 600.0
    assert 0.25 <= policy.delay(0, retry_after=math.nan) <= 0.5  # nonsense: back off as usual


def test_wait_sleeps_with_the_injected_sleep():
    slept: list[float] = []
    policy = RetryPolicy(base_s=2.0, sleep=slept.append, jitter=lambda low, high: low)
    assert policy.wait(1) == 2.0 and policy.wait(0, retry_after=9) == 9.0
    assert slept == [2.0, 9.0]


def test_the_named_policies():
    assert READS.attempts == 5 and READS.cap_s == 30.0
    assert POLL_AFTER_FAILURE.delay(100) <= 300.0 and POLL_AFTER_FAILURE.delay(0) >= 1.25
    assert RATE_LIMITED.delay(100) <= 600.0 and RATE_LIMITED.delay(0) >= 5.0


@settings(max_examples=300, deadline=None)
@given(st.integers(), st.none() | st.floats(), st.floats(0, 1e6), st.floats(0, 1e6))
def test_delay_is_always_finite_and_bounded(attempt, retry_after, base, cap):
    delay = RetryPolicy(base_s=base, cap_s=cap).delay(attempt, retry_after)
    assert math.isfinite(delay) and 0 <= delay <= max(cap, RETRY_AFTER_CAP_S)


@pytest.mark.parametrize("eta, progress, previous", [
    (math.nan, None, None), (math.inf, None, None), (None, math.nan, 3.0), (None, None, math.inf),
])
def test_poll_delay_is_finite_whatever_it_is_given(eta, progress, previous):
    delay = next_delay(eta_s=eta, progress_percent=progress, elapsed_s=10, previous_delay_s=previous)
    assert math.isfinite(delay) and 2.5 <= delay <= 300


# -- formatting helpers are total --------------------------------------------------------------

@pytest.mark.parametrize("n, words", [(0, "0 bytes"), (1023, "1023 bytes"), (2048, "2 KB"),
                                      (5 * 1024 * 1024, "5.0 MB"), (10**400, "more than 1 PB")])
def test_format_size_is_total(n, words):
    assert format_size(n) == words


@pytest.mark.parametrize("retry_after", [None, 0.0, 7.0, math.nan, math.inf, -1.0, 1e300])
def test_rate_limit_words_are_total(retry_after):
    words = errors.describe(errors.RateLimitError(429, "RATE_LIMIT_EXCEEDED", "", retry_after))
    assert words.startswith("Novita is limiting requests.") and "nan" not in words and "inf" not in words


def test_an_illegal_transition_names_both_states():
    error = errors.IllegalTransition(JobState.DONE, JobState.QUEUED)
    assert str(error) == "a job may not move from done to queued"
    assert errors.describe(error).startswith("Something went wrong")


@settings(max_examples=500, deadline=None)
@given(st.binary(max_size=64) | st.sampled_from([b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"RIFF0000WEBP"])
       .flatmap(lambda head: st.binary(max_size=64).map(lambda tail: head + tail)))
def test_image_problems_is_total_on_any_bytes(data):
    info, problems = image_problems(data, limit=32)
    assert all(isinstance(p, str) and p for p in problems)
    assert info is not None or problems
