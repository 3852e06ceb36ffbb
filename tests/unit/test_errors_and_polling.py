import pytest

from vidu_desktop.core import errors
from vidu_desktop.core.novita import TaskStatus, is_loopback, parse_task_result, resolve_base_url
from vidu_desktop.core.polling import MIN_DELAY_S, PollSchedule, next_delay


@pytest.mark.parametrize("status, reason, kind", [
    (400, "BILLING_BALANCE_NOT_ENOUGH", errors.BalanceError),
    (403, "INVALID_API_KEY", errors.AuthError),
    (400, "MISSING_API_KEY", errors.AuthError),
    (400, "ILLEGAL_PROMPT", errors.ModerationError),
    (400, "INVALID_IMAGE_FORMAT", errors.InvalidRequestError),
    (404, "TASK_NOT_FOUND", errors.NotFoundError),
    (429, "RATE_LIMIT_EXCEEDED", errors.RateLimitError),
    (500, "GET_RESULT_FAILED", errors.ServerError),
    (502, "", errors.ServerError),
    (429, "", errors.RateLimitError),
])
def test_reason_codes_map_to_types_with_plain_words(status, reason, kind):
    error = errors.error_for(status, reason, "msg", retry_after=7)
    assert type(error) is kind
    words = errors.describe(error)
    assert "Traceback" not in words and "HTTP" not in words and words.endswith(".")


def test_balance_words_tell_what_to_do():
    assert "top up at novita.ai" in errors.describe(errors.error_for(400, "BILLING_BALANCE_NOT_ENOUGH", ""))


def test_base_url_rules(monkeypatch):
    assert resolve_base_url(None, {}) == "https://api.novita.ai"
    assert resolve_base_url("https://proxy.example/", {}) == "https://proxy.example"
    assert resolve_base_url("https://a", {"NOVITA_API_BASE_URL": "http://127.0.0.1:9"}) == "http://127.0.0.1:9"
    assert resolve_base_url("http://[::1]:8765", {}) == "http://[::1]:8765"
    with pytest.raises(ValueError, match="unencrypted"):
        resolve_base_url("http://api.novita.ai", {})
    with pytest.raises(ValueError, match="Not a web address"):
        resolve_base_url("ftp://x", {})
    assert is_loopback("localhost") and is_loopback("127.0.0.2") and not is_loopback("10.0.0.1")


def test_task_result_parsing_is_lenient():
    result = parse_task_result({
        "task": {"task_id": "t", "status": "TASK_STATUS_SUCCEED", "eta": "0", "surprise": 1},
        "extra": {"seed": "158881667"},
        "videos": [{"video_url": "https://v/1.mp4", "video_url_ttl": 3600},
                   {"video_url": "https://v/2.mp4", "video_url_ttl": "60"}, {"nonsense": True}],
    })
    assert result.status is TaskStatus.SUCCEED and result.seed == 158881667
    assert [v.ttl_s for v in result.videos] == [3600, 60]
    odd = parse_task_result({"task": {"status": "TASK_STATUS_PAUSED", "eta": ""}}, "x")
    assert odd.status is TaskStatus.UNKNOWN and odd.eta_s is None and odd.task_id == "x"
    with pytest.raises(errors.ProtocolError):
        parse_task_result("<html>")
    with pytest.raises(errors.ProtocolError):
        parse_task_result({"task": {"status": "TASK_STATUS_SUCCEED"}, "videos": []})


def simulate_polls(job_s: float, eta_accurate: bool = True) -> tuple[int, float]:
    """Polls a job that finishes at job_s; return (polls, seconds between done and noticed)."""
    t, polls, delay = 0.0, 0, None
    while True:
        delay = next_delay(eta_s=max(job_s - t, 0) if eta_accurate else None,
                           progress_percent=None, elapsed_s=t, previous_delay_s=delay)
        t += delay
        polls += 1
        if t >= job_s:
            return polls, t - job_s


def test_eta_aware_polling_is_frugal_and_prompt():
    polls, lateness = simulate_polls(120)
    assert polls <= 12 and lateness <= 3.0  # a fixed 0.5 s poller asks 240 times
    polls, lateness = simulate_polls(5)
    assert lateness <= 3.0


def test_polling_without_eta_backs_off_but_keeps_asking():
    delays, d = [], None
    for _ in range(30):
        d = next_delay(eta_s=None, progress_percent=None, elapsed_s=0, previous_delay_s=d,
                       off_peak=True)
        delays.append(d)
    assert delays[0] >= MIN_DELAY_S and delays == sorted(delays) and delays[-1] == 300


def test_schedule_orders_jobs_and_forgets_removed_ones():
    schedule = PollSchedule()
    schedule.set("a", 5)
    schedule.set("b", 1)
    schedule.set("a", 2)  # rescheduled: the old entry must not fire
    schedule.set("c", 3)
    schedule.remove("c")
    assert schedule.next_due() == 1
    assert schedule.pop_due(10) == ["b", "a"]
    assert len(schedule) == 0 and schedule.next_due() is None
