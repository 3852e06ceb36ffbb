"""The client against a hostile server (issue 14: sizes, time, money), over real loopback HTTP.

The simulator in a hostile mode (vidu_desktop/simulator/server.py, "Hostile modes") or a tiny
server written here; the real client and the real requests stack, nothing patched. Caps and
deadlines are injected small (Limits, Timeouts) so each case takes a second or two; the
defaults are checked once, and one test measures the real caps.
"""

from __future__ import annotations

import contextlib
import gzip
import json
import shutil
import tempfile
import threading
import time
import tracemalloc
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import requests

from tests.images import png_bytes
from vidu_desktop.core import errors
from vidu_desktop.core.backoff import RetryPolicy
from vidu_desktop.core.novita import (
    MAX_ERROR_BYTES,
    MAX_JSON_BYTES,
    MAX_VIDEO_BYTES,
    Limits,
    NovitaClient,
    TaskResult,
    TaskStatus,
    Timeouts,
)
from vidu_desktop.core.redact import MASK
from vidu_desktop.core.request import VideoSettings, data_uri
from vidu_desktop.simulator.server import Simulator, SimulatorConfig

pytestmark = pytest.mark.timeout(120)  # the old client hung forever in several of these

KEY = "sk-hostile-3c9e1a7f5b2d4860"
MIB = 1024 * 1024
VIDEO = b"\0\0\0\x18ftypmp42" + bytes(range(256)) * 12_000  # about 3 MB, several chunks
IMAGE = data_uri(png_bytes(64, 36), "image/png")
FAST = Timeouts(connect_s=5, read_s=30, poll_s=2, submit_base_s=2, submit_max_s=5,
                download_min_bytes_per_s=50_000, download_window_s=1.5)


def renderer(image, destination, **kwargs):
    destination.write_bytes(VIDEO)


@pytest.fixture
def sim() -> Iterator[Simulator]:
    with Simulator(SimulatorConfig(api_key=KEY, queued_s=0, processing_s=0.1,
                                   renderer=renderer)) as simulator:
        yield simulator


class Sleeps(list):
    def __call__(self, seconds: float) -> None:
        self.append(seconds)


def client_for(base_url: str, attempts: int = 1, **kwargs) -> NovitaClient:
    kwargs.setdefault("timeouts", FAST)
    return NovitaClient(KEY, base_url=base_url, session=requests.Session(),
                        retry=RetryPolicy(attempts=attempts, base_s=0.01, sleep=Sleeps()), **kwargs)


def send(client: NovitaClient) -> str:
    return client.submit(VideoSettings(duration=1), IMAGE)


def finished(client: NovitaClient, task_id: str) -> TaskResult:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        result = client.task_result(task_id)
        if result.status.finished:
            return result
        time.sleep(0.05)
    raise AssertionError(f"task {task_id} did not finish")


def video_url(sim: Simulator) -> str:
    client = client_for(sim.base_url)
    result = finished(client, send(client))
    assert result.status is TaskStatus.SUCCEED
    return result.videos[0].url


class Progress(list):
    def __call__(self, got: int, total: int | None) -> None:
        self.append((got, total))


def the_defaults_are_the_documented_ones() -> None:
    assert (MAX_JSON_BYTES, MAX_ERROR_BYTES, MAX_VIDEO_BYTES) == (1_000_000, 65_536, 1024**3)
    assert Limits() == Limits(1_000_000, 65_536, 1024**3)
    timeouts = Timeouts()
    assert timeouts.poll_s == 30
    assert timeouts.submit_s(0) == 30
    assert timeouts.submit_s(10_000_000) == 230  # 30 s + 10 MB at 50 kB/s
    assert timeouts.submit_s(10**12) == 600  # bounded
    assert (timeouts.download_min_bytes_per_s, timeouts.download_window_s) == (20_000, 30)


def test_defaults():
    the_defaults_are_the_documented_ones()


# ------------------------------------------------------------------------------------- sizes


def test_endless_download_stops_at_the_cap_and_leaves_nothing(sim, tmp_path):
    url = video_url(sim)
    sim.faults.add("endless", route="download")
    progress = Progress()
    target = tmp_path / "v.mp4"
    with pytest.raises(errors.DownloadTooLarge) as caught:
        client_for(sim.base_url, limits=Limits(video_bytes=4 * MIB)).download(
            url, target, progress=progress)
    assert "more than 4 MiB" in str(caught.value)
    assert not caught.value.retryable
    assert "stopped" in errors.describe(caught.value)
    assert not target.exists() and not (tmp_path / "v.mp4.part").exists()
    assert progress[-1][0] == 4 * MIB  # stopped at the cap, not a byte more on disk


@pytest.mark.skipif(shutil.disk_usage(tempfile.gettempdir()).free < 4 * 1024**3,
                    reason="needs 1 GiB of scratch disk")
def test_endless_download_with_the_real_cap_peak_disk_and_memory(sim, tmp_path):
    """The real 1 GiB cap (about a second over loopback): disk never past the cap, memory flat."""
    url = video_url(sim)
    sim.faults.add("endless", route="download")
    part, peak_disk, done = tmp_path / "v.mp4.part", [0], threading.Event()

    def watch_disk() -> None:
        while not done.wait(0.01):
            with contextlib.suppress(OSError):
                peak_disk[0] = max(peak_disk[0], part.stat().st_size)

    watcher = threading.Thread(target=watch_disk)
    watcher.start()
    tracemalloc.start()
    try:
        started = time.monotonic()
        with pytest.raises(errors.DownloadTooLarge, match="more than 1 GiB"):
            client_for(sim.base_url).download(url, tmp_path / "v.mp4")
        elapsed = time.monotonic() - started
        _, peak_memory = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
        done.set()
        watcher.join()
    assert peak_disk[0] <= MAX_VIDEO_BYTES and not part.exists()
    assert peak_memory < 16 * MIB, f"{peak_memory / MIB:.1f} MiB"
    print(f"endless download, real cap: {elapsed:.1f} s, peak disk {peak_disk[0] / MIB:.0f} MiB, "
          f"peak traced memory {peak_memory / MIB:.1f} MiB")


def test_an_announced_size_beyond_the_cap_is_refused_before_reading(sim, tmp_path):
    url = video_url(sim)
    sim.faults.add("endless", route="download", size=5 * 1024**3)
    progress = Progress()
    started = time.monotonic()
    with pytest.raises(errors.DownloadTooLarge) as caught:
        client_for(sim.base_url).download(url, tmp_path / "v.mp4", progress=progress)
    assert "announced 5 GiB" in str(caught.value)
    assert progress == [] and not (tmp_path / "v.mp4.part").exists()
    assert time.monotonic() - started < 5


def test_a_gzip_bomb_video_is_stored_as_sent_never_inflated(sim, tmp_path):
    url = video_url(sim)
    sim.faults.add("gzip_bomb", route="download", size=64 * MIB)
    progress = Progress()
    video = client_for(sim.base_url).download(url, tmp_path / "v.mp4", progress=progress)
    stored = video.read_bytes()
    assert stored[:2] == b"\x1f\x8b" and len(stored) < MIB  # the gzip bytes that were sent
    assert len(gzip.decompress(stored)) > 64 * MIB
    assert progress[-1] == (len(stored), len(stored))
    assert all(got <= total for got, total in progress)  # never more than 100 %


def test_a_resumed_download_asks_for_identity_and_never_goes_past_100_percent(sim, tmp_path):
    url = video_url(sim)
    sim.faults.add("truncate", route="download")
    progress = Progress()
    video = client_for(sim.base_url, attempts=3).download(url, tmp_path / "v.mp4", progress=progress)
    assert video.read_bytes() == VIDEO
    assert all(got <= total == len(VIDEO) for got, total in progress)


@pytest.mark.parametrize("kind, size", [("huge_json", 50_000_000), ("gzip_bomb", 256 * MIB),
                                        ("endless", 0)])
def test_a_huge_task_result_is_read_up_to_1_mb(sim, kind, size):
    client = client_for(sim.base_url)
    task_id = send(client)
    sim.faults.add(kind, route="result", size=size)
    tracemalloc.start()
    try:
        started = time.monotonic()
        with pytest.raises(errors.ProtocolError, match="more than 1000000 bytes"):
            client.task_result(task_id)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 12 * MIB, f"{peak / MIB:.1f} MiB"
    assert time.monotonic() - started < 10
    assert client.task_result(task_id).task_id == task_id  # the next answer is fine again


def test_deeply_nested_json_is_a_protocol_error(sim):
    client = client_for(sim.base_url)
    task_id = send(client)
    sim.faults.add("nested_json", route="result")
    with pytest.raises(errors.ProtocolError, match="not JSON"):
        client.task_result(task_id)


class Stuck:
    """A loopback server that announces a long body, sends `sent` bytes of it and then waits
    (without closing) until the test ends: only a bounded read returns."""

    def __init__(self, status: int, sent: bytes, announced: int) -> None:
        self.release = threading.Event()
        outer = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def _answer(self) -> None:
                self.rfile.read(int(self.headers.get("Content-Length") or 0))
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(announced))
                self.end_headers()
                self.wfile.write(sent)
                outer.release.wait(60)

            do_GET = do_POST = _answer

            def log_message(self, *args) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.base_url = f"http://127.0.0.1:{self.server.server_port}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.release.set()
        self.server.shutdown()
        self.server.server_close()


def test_an_error_body_is_read_up_to_64_kb():
    body = json.dumps({"reason": "INVALID_REQUEST_BODY", "message": "no"}).encode()
    stuck = Stuck(400, body + b" " * (200 * 1024), announced=100 * MIB)
    try:
        started = time.monotonic()
        with pytest.raises(errors.InvalidRequestError):
            client_for(stuck.base_url, timeouts=Timeouts()).task_result("t")
        assert time.monotonic() - started < 5  # the old client waited for the whole 100 MB
    finally:
        stuck.close()


def test_a_json_answer_is_read_up_to_1_mb():
    stuck = Stuck(200, b'{"task": {"task_id": "t", "padding": "' + b"x" * (2 * MIB), 100 * MIB)
    try:
        started = time.monotonic()
        with pytest.raises(errors.ProtocolError, match="more than 1000000 bytes"):
            client_for(stuck.base_url, timeouts=Timeouts()).task_result("t")
        assert time.monotonic() - started < 5
    finally:
        stuck.close()


# -------------------------------------------------------------------------------------- time


@pytest.mark.parametrize("interval", [0.2, 0.1])  # cut in the status line; in the headers
def test_a_trickling_poll_ends_at_its_deadline(sim, interval):
    """With 0.1 s a byte, the status line is whole at the deadline and the headers are not:
    http.client then sees a 200 without headers or body. It must not count as an answer."""
    client = client_for(sim.base_url)
    task_id = send(client)
    sim.faults.add("trickle", route="result", chunk=1, interval=interval)  # headers included
    started = time.monotonic()
    with pytest.raises(errors.TimedOut, match="within 2 s") as caught:
        client.task_result(task_id)
    elapsed = time.monotonic() - started
    assert 2 <= elapsed < 3.5, elapsed
    assert caught.value.retryable
    assert "did not answer in time" in errors.describe(caught.value)
    assert client.task_result(task_id).task_id == task_id


def test_a_trickling_poll_is_retried_and_the_retry_works(sim):
    client = client_for(sim.base_url, attempts=2)
    task_id = send(client)
    sim.faults.add("trickle", route="result", chunk=1, interval=0.5)
    assert client.task_result(task_id).task_id == task_id
    assert len(client.retry.sleep) == 1


def test_a_trickling_submit_is_uncertain_at_its_deadline(sim):
    sim.faults.add("trickle", route="submit", chunk=1, interval=0.3)
    client = client_for(sim.base_url, timeouts=Timeouts(submit_base_s=1.5, submit_max_s=10))
    started = time.monotonic()
    with pytest.raises(errors.SubmissionUncertain) as caught:
        send(client)
    elapsed = time.monotonic() - started
    body_s = len(json.dumps(VideoSettings(duration=1).body(IMAGE))) / 50_000
    assert elapsed < 1.5 + body_s + 1, elapsed  # scaled to the body: 1.5 s + size / 50 kB/s
    assert "no answer came within 2 s" in errors.describe(caught.value)
    assert "Check your Novita dashboard before retrying" in errors.describe(caught.value)
    assert sim.stats.submissions == 1 and len(sim.task_ids()) == 1  # paid for, once


def test_a_slow_download_is_abandoned_then_resumed(sim, tmp_path):
    url = video_url(sim)
    sim.faults.add("trickle", route="download", chunk=1000, interval=0.05)  # ~20 kB/s
    target = tmp_path / "v.mp4"
    started = time.monotonic()
    with pytest.raises(errors.DownloadStalled) as caught:
        client_for(sim.base_url).download(url, target)
    assert 1.5 <= time.monotonic() - started < 4
    assert caught.value.retryable and "resumes from there" in errors.describe(caught.value)
    kept = (tmp_path / "v.mp4.part").stat().st_size
    assert 0 < kept < len(VIDEO)
    progress = Progress()
    assert client_for(sim.base_url).download(url, target, progress=progress).read_bytes() == VIDEO
    assert progress[0][0] > kept  # resumed with Range, not started over
    assert [r for r in sim.stats.requests if r[1].startswith("/videos/")][-1][2] == 206


@pytest.mark.parametrize("interval", [0.2, 0.04])  # cut in the status line; in the headers
def test_a_download_stalled_in_its_headers_is_not_taken_for_an_empty_video(sim, tmp_path, interval):
    url = video_url(sim)
    sim.faults.add("trickle", route="download", chunk=1, interval=interval)
    target = tmp_path / "v.mp4"
    with pytest.raises(errors.DownloadStalled):
        client_for(sim.base_url).download(url, target)
    assert not target.exists()


@pytest.mark.parametrize("interval", [0.3, 0.05])  # cut in the status line; in the headers
def test_a_submit_cut_in_its_headers_is_uncertain(sim, interval):
    sim.faults.add("trickle", route="submit", chunk=1, interval=interval)
    with pytest.raises(errors.SubmissionUncertain) as caught:
        send(client_for(sim.base_url, timeouts=Timeouts(submit_base_s=1.2, submit_max_s=1.2)))
    assert "no answer came within 1 s" in errors.describe(caught.value)
    assert len(sim.task_ids()) == 1


def test_a_download_that_keeps_the_minimum_rate_is_not_abandoned(sim, tmp_path):
    url = video_url(sim)
    sim.faults.add("trickle", route="download", chunk=64 * 1024, interval=0.2)  # ~320 kB/s
    client = client_for(sim.base_url, timeouts=Timeouts(download_min_bytes_per_s=100_000,
                                                        download_window_s=1))
    assert client.download(url, tmp_path / "v.mp4").read_bytes() == VIDEO


def test_stopping_ends_a_trickling_download_and_poll_at_once(sim, tmp_path):
    url = video_url(sim)
    task_id = sim.task_ids()[0]
    stop = threading.Event()
    client = client_for(sim.base_url, timeouts=Timeouts(), should_stop=stop.is_set)
    for call in (lambda: client.download(url, tmp_path / "v.mp4"),
                 lambda: client.task_result(task_id)):
        stop.clear()
        sim.faults.add("trickle", route="any", chunk=1, interval=2)
        threading.Timer(0.5, stop.set).start()
        started = time.monotonic()
        with pytest.raises(errors.Cancelled):
            call()
        assert time.monotonic() - started < 1.0  # the tick is 0.2 s
    sim.faults.clear()


def test_deadlines_never_end_a_request_that_finished(sim):
    """The watchdog only touches the connection of its own request: many quick requests on
    one keep-alive connection, each with a tiny deadline, all succeed."""
    client = client_for(sim.base_url, timeouts=Timeouts(poll_s=0.25))
    task_id = send(client)
    for _ in range(40):
        assert client.task_result(task_id).task_id == task_id
    time.sleep(0.4)  # past every deadline: a late watchdog would break the next request
    assert client.task_result(task_id).task_id == task_id
    # One thread watches every request: 42 requests made no more.
    assert sum(t.name == "vidu-net-watchdog" for t in threading.enumerate()) <= 1


# ------------------------------------------------------------------------------------- money


@pytest.mark.parametrize("kind, params", [
    ("garbage", {"style": "truncated"}),
    ("garbage", {"style": "not_json"}),
    ("garbage", {"style": "empty"}),
    ("garbage", {"style": "no_task_id"}),
    ("garbage", {"style": "wrong_type"}),
    ("nested_json", {}),
    ("huge_task_id", {"size": 257}),
    ("huge_task_id", {}),  # 10 MB
    ("huge_json", {"size": 50_000_000}),
    ("gzip_bomb", {"size": 256 * MIB}),
    ("server_error", {}),  # a 500 with Novita's reason CREATE_TASK_FAILED: did it?
])
def test_a_submit_answered_with_no_usable_task_id_is_uncertain(sim, kind, params):
    sim.faults.add(kind, route="submit", **params)
    client = client_for(sim.base_url)
    tracemalloc.start()
    try:
        with pytest.raises(errors.SubmissionUncertain) as caught:
            send(client)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 12 * MIB, f"{peak / MIB:.1f} MiB"
    words = errors.describe(caught.value)
    assert "may or may not have started" in words and "dashboard before retrying" in words
    assert sim.stats.submissions == 1  # never sent again by the client


def test_a_4xx_without_novitas_reason_is_uncertain_but_a_reason_is_a_refusal(sim):
    gateway = Stuck(400, b"<html>Bad Request</html>", len(b"<html>Bad Request</html>"))
    try:
        with pytest.raises(errors.SubmissionUncertain, match="HTTP 400"):
            send(client_for(gateway.base_url))
    finally:
        gateway.close()
    sim.faults.add("balance", route="submit")
    with pytest.raises(errors.BalanceError):
        send(client_for(sim.base_url))
    assert sim.task_ids() == []


def test_a_key_echoed_by_the_server_never_reaches_the_error(sim):
    client = client_for(sim.base_url)
    task_id = send(client)
    sim.faults.add("echo_key", route="submit")
    with pytest.raises(errors.InvalidRequestError) as caught:
        send(client)
    sim.faults.add("echo_key", route="result")
    with pytest.raises(errors.InvalidRequestError) as polled:
        client.task_result(task_id)
    for error in (caught.value, polled.value):
        text = f"{error} {error!r} {error.message} {errors.describe(error)}"
        assert KEY not in text and MASK in error.message
