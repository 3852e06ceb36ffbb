"""NovitaClient against the simulator over real loopback HTTP: the real requests stack, no patching."""

from __future__ import annotations

import contextlib
import json
import logging
import os
import shutil
import socket
import subprocess
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
import requests

from tests.images import png_bytes
from vidu_desktop.core import errors
from vidu_desktop.core.backoff import RetryPolicy
from vidu_desktop.core.novita import NovitaClient, TaskStatus, Timeouts
from vidu_desktop.core.request import VideoSettings, data_uri
from vidu_desktop.simulator.server import Simulator, SimulatorConfig

KEY = "sk-test-7f3a9c1e5b2d4a6f"
BIG_VIDEO = b"\0\0\0\x0cftypmp42" + bytes(range(256)) * 40_000  # 10 MB, several chunks


def big_renderer(image, destination, *, duration_s, height, audio, fast, motion="zoom", timeout=600):
    """A stand-in video of a known, larger size so downloads take more than one chunk."""
    destination.write_bytes(BIG_VIDEO)


@pytest.fixture
def sim():
    with Simulator(SimulatorConfig(api_key=KEY, queued_s=0.2, processing_s=0.6)) as simulator:
        yield simulator


@pytest.fixture
def big_sim():
    with Simulator(SimulatorConfig(api_key=KEY, queued_s=0.0, processing_s=0.2,
                                   renderer=big_renderer)) as simulator:
        yield simulator


class Sleeps(list):
    """Records the client's back-off waits (and waits for real, briefly)."""

    def __call__(self, seconds: float) -> None:
        self.append(seconds)
        time.sleep(min(seconds, 0.05))


def client_for(sim: Simulator, key: str = KEY, **kwargs) -> NovitaClient:
    kwargs.setdefault("retry", RetryPolicy(attempts=4, base_s=0.01, sleep=Sleeps()))
    return NovitaClient(key, base_url=sim.base_url, session=requests.Session(), **kwargs)


IMAGE = data_uri(png_bytes(64, 36), "image/png")


def send(client: NovitaClient, **settings) -> str:
    """Submit IMAGE with VideoSettings(**settings); return the task id."""
    return client.submit(VideoSettings(**settings), IMAGE)


def wait_until_finished(client: NovitaClient, task_id: str, timeout_s: float = 60):
    deadline = time.monotonic() + timeout_s
    seen = []
    while time.monotonic() < deadline:
        result = client.task_result(task_id)
        seen.append(result)
        if result.status.finished:
            return result, seen
        time.sleep(0.1)
    raise AssertionError(f"task {task_id} did not finish: last {seen[-1] if seen else None}")


def test_submit_poll_download_end_to_end(sim, tmp_path):
    client = client_for(sim)
    task_id = send(client, duration=2, resolution="540p", seed=42, audio=True)
    result, seen = wait_until_finished(client, task_id)
    assert result.status is TaskStatus.SUCCEED and result.seed == 42
    assert {r.status for r in seen} >= {TaskStatus.SUCCEED}
    progress = [r.progress_percent for r in seen if r.status is TaskStatus.PROCESSING]
    assert progress == sorted(progress)
    link = result.videos[0]
    assert link.ttl_s == 3600 and link.video_type == "mp4"
    reported = []
    video = client.download(link.url, tmp_path / "out.mp4",
                            progress=lambda got, total: reported.append((got, total)))
    assert video.exists() and not (tmp_path / "out.mp4.part").exists()
    assert reported[-1][0] == reported[-1][1] == video.stat().st_size
    if shutil.which("ffprobe"):
        probe = json.loads(subprocess.run(
            ["ffprobe", "-v", "error", "-show_entries", "format=duration:stream=codec_type",
             "-of", "json", str(video)], capture_output=True, text=True, check=True).stdout)
        assert abs(float(probe["format"]["duration"]) - 2) < 0.2
        assert {s["codec_type"] for s in probe["streams"]} == {"video", "audio"}
    assert sim.stats.submissions == 1


def test_wrong_or_missing_key_is_an_auth_error_without_the_key_in_words(sim, caplog):
    caplog.set_level(logging.DEBUG)
    with pytest.raises(errors.AuthError) as caught:
        send(client_for(sim, key="sk-wrong-1234567890"))
    assert caught.value.reason == "INVALID_API_KEY"
    assert "sk-wrong-1234567890" not in str(caught.value) + repr(caught.value) + caplog.text
    with pytest.raises(errors.AuthError) as caught:
        client_for(sim, key="").task_result("x")
    assert caught.value.reason == "MISSING_API_KEY"
    assert KEY not in repr(client_for(sim))


@pytest.mark.parametrize("params, reason", [
    ({"duration": 17}, "INVALID_REQUEST_BODY"),
    ({"duration": 0}, "INVALID_REQUEST_BODY"),
    ({"seed": 2_147_483_648}, "INVALID_REQUEST_BODY"),
    ({"prompt": "x" * 5001}, "INVALID_REQUEST_BODY"),
    ({"resolution": "4k"}, "INVALID_REQUEST_BODY"),
    ({"audio_type": "music"}, "INVALID_REQUEST_BODY"),
])
def test_server_refuses_what_the_model_refuses(sim, params, reason):
    with pytest.raises(errors.InvalidRequestError) as caught:
        send(client_for(sim), **params)
    assert caught.value.reason == reason
    assert sim.task_ids() == []  # refused: no task, nothing charged


def test_server_accepts_both_edges(sim):
    client = client_for(sim)
    for params in ({"duration": 1, "seed": 0, "prompt": ""},
                   {"duration": 16, "seed": 2_147_483_647, "prompt": "x" * 5000}):
        assert send(client, **params)


def test_image_refusals_map_to_format_and_size(sim):
    # submit() sends what it is given (the caller validated): the server's refusal comes back typed.
    with pytest.raises(errors.InvalidRequestError) as caught:
        client_for(sim).submit(VideoSettings(), data_uri(b"GIF89a" + b"\0" * 50, "image/png"))
    assert caught.value.reason == "INVALID_IMAGE_FORMAT"


def test_submit_sends_exactly_the_settings_body(sim):
    settings = VideoSettings(prompt="A «cat» 🎬", duration=3, resolution="540p", seed=9, audio=False,
                             audio_type="speech_only", is_rec=True, off_peak=True)
    recorder = RecordingSession()
    client = NovitaClient(KEY, base_url=sim.base_url, session=recorder,
                          retry=RetryPolicy(attempts=1, sleep=Sleeps()))
    assert client.submit(settings, IMAGE)
    [body] = recorder.bodies
    assert body == settings.body(IMAGE) and next(iter(body)) == "images"


class RecordingSession(requests.Session):
    def __init__(self) -> None:
        super().__init__()
        self.bodies: list[dict] = []

    def post(self, url, data=None, **kwargs):
        self.bodies.append(json.loads(data) if data is not None else kwargs.get("json"))  # as sent
        return super().post(url, data=data, **kwargs)


def test_balance_and_moderation(sim):
    client = client_for(sim)
    sim.faults.add("balance", route="submit", count=1)
    with pytest.raises(errors.BalanceError) as caught:
        send(client)
    assert "top up" in errors.describe(caught.value)
    with pytest.raises(errors.ModerationError):
        send(client, prompt="something forbidden here")


def test_balance_is_read_as_money(sim):
    """GET /openapi/v1/billing/balance/detail: strings of 0.0001 USD; 123456 is $12.35 shown."""
    from vidu_desktop.core.pricing import Balance

    sim.account.set_balance(123456)
    balance = client_for(sim).balance()
    assert balance == Balance(available=123456, cash=123456, credit_limit=0, pending_charges=0,
                              outstanding_invoices=0)
    assert balance.shown() == "$12.35"
    with pytest.raises(errors.AuthError):
        client_for(sim, key="sk-not-this-one").balance()


def test_bill_list_asks_for_the_hourly_generation_bill(sim):
    client = client_for(sim)
    session = RecordingGets()
    client.session = session
    assert client.bill_list(start=1_764_500_400.7, end=1_764_504_000) == []
    [(url, params)] = session.calls
    assert url == sim.base_url + "/openapi/v1/billing/bill/list"
    assert params == {"cycleType": "Hour", "productCategory": "gen_api",
                      "startTime": "1764500400", "endTime": "1764504000"}


class RecordingGets(requests.Session):
    def __init__(self) -> None:
        super().__init__()
        self.calls: list[tuple[str, dict]] = []

    def get(self, url, params=None, **kwargs):
        self.calls.append((url, dict(params or {})))
        return super().get(url, params=params, **kwargs)


def test_rate_limit_honours_retry_after(sim):
    client = client_for(sim)
    task_id = send(client)
    sim.faults.add("rate_limit", route="result", count=2, retry_after=1)
    assert client.task_result(task_id).task_id == task_id
    assert client.retry.sleep[:2] == [1.0, 1.0]


def test_server_errors_are_retried_then_reported(sim):
    client = client_for(sim)
    task_id = send(client)
    sim.faults.add("server_error", route="result", count=2)
    assert client.task_result(task_id).task_id == task_id
    sim.faults.add("server_error", route="result", count=10)
    with pytest.raises(errors.ServerError):
        client.task_result(task_id)


def test_nonsense_answers(sim):
    client = client_for(sim)
    sim.faults.add("nonsense", route="submit", count=1)
    with pytest.raises(errors.SubmissionUncertain):
        send(client)
    task_id = send(client)
    sim.faults.add("nonsense", route="result", count=10)
    with pytest.raises(errors.ProtocolError):
        client.task_result(task_id)


def test_reset_after_submit_is_uncertain_and_never_resent(sim):
    sim.faults.add("reset", route="submit", count=1)
    with pytest.raises(errors.SubmissionUncertain) as caught:
        send(client_for(sim))
    assert "charged" in errors.describe(caught.value)
    assert sim.stats.submissions == 1 and len(sim.task_ids()) == 1


def test_slow_submit_past_the_timeout_is_uncertain(sim):
    sim.faults.add("slow", route="submit", count=1, delay=1.5)
    with pytest.raises(errors.SubmissionUncertain):
        send(client_for(sim, timeouts=Timeouts(connect_s=2, read_s=0.5)))


def test_dead_network_before_sending_is_a_plain_network_error():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # closed again: nothing listens there
    client = NovitaClient(KEY, base_url=f"http://127.0.0.1:{port}",
                          retry=RetryPolicy(attempts=2, base_s=0.01, sleep=Sleeps()))
    with pytest.raises(errors.NetworkError):
        send(client)
    with pytest.raises(errors.NetworkError):
        client.task_result("t")
    assert "Check your internet connection" in errors.describe(errors.NetworkError("x"))


def test_unknown_task_is_not_found(sim):
    with pytest.raises(errors.NotFoundError):
        client_for(sim).task_result("no-such-task")


def test_truncated_download_resumes_with_range(big_sim, tmp_path):
    client = client_for(big_sim)
    result, _ = wait_until_finished(client, send(client))
    big_sim.faults.add("truncate", route="download", count=2)
    video = client.download(result.videos[0].url, tmp_path / "v.mp4")
    assert video.read_bytes() == BIG_VIDEO
    assert big_sim.stats.downloads >= 3


def test_expired_link_is_refused_and_a_fresh_one_works(big_sim, tmp_path):
    client = client_for(big_sim)
    task_id = send(client)
    wait_until_finished(client, task_id)
    big_sim.faults.add("expire_links", route="result", count=1, ttl=0)
    expired = client.task_result(task_id).videos[0]
    assert expired.ttl_s == 0 and expired.expired()
    with pytest.raises(errors.LinkExpiredError):
        client.download(expired.url, tmp_path / "v.mp4")
    fresh = client.task_result(task_id).videos[0]
    assert not fresh.expired()
    assert client.download(fresh.url, tmp_path / "v.mp4").read_bytes() == BIG_VIDEO


def test_full_disk_is_a_storage_error_and_keeps_the_partial(big_sim, tmp_path):
    client = client_for(big_sim)
    result, _ = wait_until_finished(client, send(client))
    (tmp_path / "v.mp4.part").symlink_to("/dev/full")  # every write: ENOSPC, as on a full disk
    with pytest.raises(errors.StorageError) as caught:
        client.download(result.videos[0].url, tmp_path / "v.mp4")
    assert "disk is full" in str(caught.value)
    assert "Free some space" in errors.describe(caught.value)
    assert not (tmp_path / "v.mp4").exists()


def child_pids() -> set[int]:
    pids = set()
    for task in Path(f"/proc/{os.getpid()}/task").iterdir():
        with contextlib.suppress(FileNotFoundError):  # that thread ended meanwhile
            pids.update(int(p) for p in (task / "children").read_text().split())
    return pids


def test_stopping_the_simulator_ends_its_renders_at_once():
    before = child_pids()
    sim = Simulator(SimulatorConfig(api_key=KEY)).start()
    send(client_for(sim), duration=16, resolution="1080p")
    deadline = time.monotonic() + 20
    while not child_pids() - before and time.monotonic() < deadline:
        time.sleep(0.05)
    assert child_pids() - before, "the render never started"
    sim.stop()
    deadline = time.monotonic() + 5
    while child_pids() - before and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not child_pids() - before


# -- a hostile server (not the simulator: answers written per test) ------------------------------

class Hostile:
    """A loopback HTTP server that answers every request with the configured status, headers, body."""

    def __init__(self) -> None:
        self.status, self.headers, self.body = 200, {}, b"{}"
        self.requests = 0
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def _answer(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                self.rfile.read(length)
                outer.requests += 1
                self.send_response(outer.status)
                for name, value in outer.headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(outer.body)))
                self.end_headers()
                self.wfile.write(outer.body)

            do_GET = do_POST = _answer

            def log_message(self, *args) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.base_url = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(5)


@pytest.fixture
def hostile() -> Iterator[Hostile]:
    server = Hostile()
    yield server
    server.close()


def hostile_client(server: Hostile, attempts: int = 3) -> NovitaClient:
    return NovitaClient(KEY, base_url=server.base_url, session=requests.Session(),
                        retry=RetryPolicy(attempts=attempts, base_s=0.01, sleep=Sleeps()))


@pytest.mark.parametrize("task_id", ["t" * 257, "abc\r\nSet-Cookie: x=1", "nul\u0000byte"])
def test_submit_with_an_unusable_task_id_is_uncertain(hostile, task_id):
    hostile.body = json.dumps({"task_id": task_id}).encode()
    with pytest.raises(errors.SubmissionUncertain) as caught:
        send(hostile_client(hostile))
    assert hostile.requests == 1  # a submit is never repeated
    assert "dashboard before retrying" in errors.describe(caught.value)


def test_submit_accepts_a_long_but_sane_task_id(hostile):
    hostile.body = json.dumps({"task_id": "t" * 256}).encode()
    assert send(hostile_client(hostile)) == "t" * 256


def test_a_huge_retry_after_is_capped_at_ten_minutes(hostile):
    hostile.status, hostile.headers = 429, {"Retry-After": "86400"}
    hostile.body = b'{"reason": "RATE_LIMIT_EXCEEDED"}'
    client = hostile_client(hostile, attempts=3)
    with pytest.raises(errors.RateLimitError) as caught:
        client.task_result("t")
    assert caught.value.retry_after == 600.0
    assert client.retry.sleep == [600.0, 600.0]  # waited (recorded, not for real) at most 600 s each


def test_hostile_numbers_in_a_task_result_are_brought_into_range(hostile):
    hostile.body = json.dumps({
        "task": {"task_id": "t", "status": "TASK_STATUS_PROCESSING", "eta": 1e300,
                 "progress_percent": -50},
        "extra": {"seed": "99999999999999999999"}}).encode()
    result = hostile_client(hostile).task_result("t")
    assert (result.eta_s, result.progress_percent, result.seed) == (48 * 3600.0, 0.0, None)


def test_deeply_nested_json_is_a_protocol_error_not_a_crash(hostile):
    hostile.body = b"[" * 100_000 + b"]" * 100_000
    with pytest.raises(errors.ProtocolError):
        hostile_client(hostile, attempts=1).task_result("t")


def test_error_words_from_the_server_are_one_bounded_line(hostile):
    hostile.status = 400
    hostile.body = json.dumps({"reason": "INVALID_REQUEST_BODY\r\nX-Injected: 1",
                               "message": "bad\nvalue " + "x" * 10_000}).encode()
    with pytest.raises(errors.InvalidRequestError) as caught:
        send(hostile_client(hostile))  # a 4xx with a reason: a refusal, no task
    assert hostile.requests == 1
    assert "\n" not in caught.value.message and len(caught.value.message) <= 300
    assert "\n" not in caught.value.reason and len(caught.value.reason) <= 100
    words = errors.describe(caught.value)
    assert "\n" not in words and len(words) < 500


def test_a_policy_without_attempts_still_asks_once(hostile):
    hostile.body = json.dumps({"task": {"task_id": "t", "status": "TASK_STATUS_QUEUED"}}).encode()
    assert hostile_client(hostile, attempts=0).task_result("t").status is TaskStatus.QUEUED
    assert hostile.requests == 1
