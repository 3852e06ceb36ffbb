"""The simulator's hostile modes (issue 14), checked with plain `requests` and raw sockets:
each mode does what its docstring says, on the routes it applies to, and nothing else."""

from __future__ import annotations

import gzip
import json
import socket
import time
from collections.abc import Iterator

import pytest
import requests

from tests.integration.test_simulator_server import AUTH, ENDPOINT, KEY, Recorder, png, uri
from vidu_desktop.simulator import Simulator, SimulatorConfig
from vidu_desktop.simulator.server import GARBAGE_STYLES, RESULT_PATH

pytestmark = pytest.mark.timeout(60)
MIB = 1024 * 1024


@pytest.fixture
def recorder() -> Recorder:
    return Recorder(size=300_000)


@pytest.fixture
def sim(tmp_path, recorder) -> Iterator[Simulator]:
    config = SimulatorConfig(api_key=KEY, queued_s=0, processing_s=0.1, renderer=recorder,
                             video_dir=tmp_path / "videos")
    with Simulator(config) as simulator:
        yield simulator


def submit(sim: Simulator, **kwargs) -> requests.Response:
    return requests.post(sim.base_url + ENDPOINT, json={"images": [uri(png())], "duration": 1},
                         headers=AUTH, timeout=30, **kwargs)


def result(sim: Simulator, task_id: str, **kwargs) -> requests.Response:
    kwargs.setdefault("timeout", 30)
    return requests.get(sim.base_url + RESULT_PATH, params={"task_id": task_id}, headers=AUTH,
                        **kwargs)


def video_url(sim: Simulator) -> str:
    task_id = submit(sim).json()["task_id"]
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        body = result(sim, task_id).json()
        if body["videos"]:
            return body["videos"][0]["video_url"]
        time.sleep(0.05)
    raise AssertionError("no video")


def test_trickle_sends_the_answer_a_few_bytes_at_a_time(sim):
    task_id = submit(sim).json()["task_id"]
    sim.faults.add("trickle", route="result", chunk=100, interval=0.05)
    started = time.monotonic()
    answer = result(sim, task_id)
    elapsed = time.monotonic() - started
    size = len(answer.content) + 150  # and the headers
    assert answer.json()["task"]["task_id"] == task_id  # the normal answer, slowly
    assert elapsed >= 0.05 * (size // 100 - 1) * 0.8, elapsed
    started = time.monotonic()
    assert result(sim, task_id).status_code == 200 and time.monotonic() - started < 0.5


def test_trickle_holds_the_headers_too(sim):
    task_id = submit(sim).json()["task_id"]
    sim.faults.add("trickle", route="result", chunk=1, interval=0.5)
    with pytest.raises(requests.exceptions.ReadTimeout):
        result(sim, task_id, timeout=(5, 0.3))  # not one line of headers within 0.3 s...
    sim.faults.add("trickle", route="result", chunk=1, interval=0.2)
    with socket.create_connection(("127.0.0.1", sim.port), timeout=5) as raw:
        raw.sendall(f"GET {RESULT_PATH}?task_id={task_id} HTTP/1.1\r\nHost: x\r\n"
                    f"Authorization: Bearer {KEY}\r\n\r\n".encode())
        started, got = time.monotonic(), b""
        while time.monotonic() - started < 1.1:
            got += raw.recv(100)
        assert 4 <= len(got) <= 8 and b"HTTP/1.1".startswith(got[:4])  # ... a byte at a time


def test_trickle_ends_when_the_simulator_stops(tmp_path, recorder):
    sim = Simulator(SimulatorConfig(api_key=KEY, renderer=recorder, video_dir=tmp_path)).start()
    sim.faults.add("trickle", route="submit", chunk=1, interval=30)
    with socket.create_connection(("127.0.0.1", sim.port), timeout=5) as raw:
        body = json.dumps({"images": [uri(png())]}).encode()
        raw.sendall(f"POST {ENDPOINT} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {KEY}\r\n"
                    f"Content-Length: {len(body)}\r\n\r\n".encode() + body)
        assert raw.recv(10) == b"H"
        started = time.monotonic()
        sim.stop()
        assert time.monotonic() - started < 3


def test_endless_never_ends_and_says_no_length(sim):
    url = video_url(sim)
    sim.faults.add("endless", route="download")
    with requests.get(url, stream=True, timeout=30) as answer:
        assert answer.status_code == 200 and "Content-Length" not in answer.headers
        read = 0
        for chunk in answer.iter_content(MIB):
            read += len(chunk)
            if read > 20 * MIB:
                break
        assert read > 20 * MIB
    sim.faults.add("endless", route="download", size=5 * 1024**3)
    with requests.get(url, stream=True, timeout=30) as answer:
        assert answer.headers["Content-Length"] == str(5 * 1024**3)
        assert answer.raw.read(4 * MIB)[4:8] == b"ftyp"


def test_endless_json(sim):
    task_id = submit(sim).json()["task_id"]
    sim.faults.add("endless", route="result")
    with result(sim, task_id, stream=True) as answer:
        assert answer.raw.read(2 * MIB).startswith(b'{"padding": "xxx')


def test_gzip_bomb_is_small_on_the_wire_and_huge_inflated(sim):
    url = video_url(sim)
    sim.faults.add("gzip_bomb", route="download", size=32 * MIB)
    with requests.get(url, stream=True, timeout=30, headers={"Accept-Encoding": "identity"}) as answer:
        assert answer.headers["Content-Encoding"] == "gzip"
        sent = answer.raw.read(decode_content=False)
    assert len(sent) == int(answer.headers["Content-Length"]) < 64 * 1024
    inflated = gzip.decompress(sent)
    assert 32 * MIB < len(inflated) < 32 * MIB + 100 and inflated[4:8] == b"ftyp"
    task_id = sim.task_ids()[0]
    sim.faults.add("gzip_bomb", route="result", size=8 * MIB)
    body = json.loads(result(sim, task_id).content)  # requests inflates it: valid JSON
    assert body["task"]["task_id"] == task_id and len(body["padding"]) == 8 * MIB


def test_gzip_bomb_defaults_to_2_gib(sim):
    fault = sim.faults.add("gzip_bomb")
    assert fault.amount() == 2 * 1024**3
    sim.faults.clear()


def test_huge_json_is_valid_json_of_the_asked_size(sim):
    task_id = submit(sim).json()["task_id"]
    sim.faults.add("huge_json", route="result", size=3 * MIB)
    answer = result(sim, task_id)
    assert int(answer.headers["Content-Length"]) == len(answer.content) == 3 * MIB
    assert answer.json()["task"]["task_id"] == task_id
    assert sim.faults.add("huge_json").amount() == 400_000_000
    sim.faults.clear()


def test_nested_json_cannot_be_parsed(sim):
    sim.faults.add("nested_json", route="submit", size=50_000)
    answer = submit(sim)
    assert answer.status_code == 200 and answer.content.count(b"[") == 50_000
    with pytest.raises(RecursionError):
        json.loads(answer.content)
    assert len(sim.task_ids()) == 1  # the task exists: the answer is what is broken


def task_id_in(body: bytes) -> str | None:
    try:
        value = json.loads(body)
    except ValueError:
        return None
    found = value.get("task_id") if isinstance(value, dict) else None
    return found if isinstance(found, str) else None


@pytest.mark.parametrize("style", GARBAGE_STYLES)
def test_garbage_on_submit_after_the_task_exists(sim, style):
    sim.faults.add("garbage", route="submit", style=style)
    answer = submit(sim)
    assert answer.status_code == 200
    [task_id] = sim.task_ids()
    body = answer.content
    if style == "truncated":
        assert body.startswith(b'{"task_id": "') and task_id[:4].encode() in body
    assert task_id_in(body) is None
    assert submit(sim).json()["task_id"] in sim.task_ids()  # one answer only


def test_garbage_on_result(sim):
    task_id = submit(sim).json()["task_id"]
    sim.faults.add("garbage", route="result", style="truncated")
    with pytest.raises(json.JSONDecodeError):
        json.loads(result(sim, task_id).content)


def test_huge_task_id(sim):
    sim.faults.add("huge_task_id", route="submit", size=300)
    long_id = submit(sim).json()["task_id"]
    [task_id] = sim.task_ids()
    assert len(long_id) == 300 and long_id.startswith(task_id)
    sim.faults.add("huge_task_id")
    answer = submit(sim)
    assert len(answer.content) > 10_000_000 and len(sim.task_ids()) == 2


def test_echo_key_repeats_the_key_in_the_error(sim):
    sim.faults.add("echo_key", route="submit")
    answer = submit(sim)
    assert answer.status_code == 400 and KEY in answer.json()["message"]
    assert answer.json()["reason"] == "INVALID_REQUEST_BODY" and sim.task_ids() == []
    task_id = submit(sim).json()["task_id"]
    sim.faults.add("echo_key", route="result")
    answer = result(sim, task_id)
    assert answer.status_code == 400 and KEY in answer.json()["message"]


def test_hostile_modes_over_http(sim):
    control = sim.base_url + "/_simulator/faults"
    answer = requests.post(control, json=[{"kind": "trickle", "route": "result", "chunk": 500,
                                           "interval": 0.01},
                                          {"kind": "huge_task_id", "size": 260}], timeout=10)
    assert answer.status_code == 200, answer.text
    assert [f["kind"] for f in answer.json()] == ["trickle", "huge_task_id"]
    assert answer.json()[0]["chunk"] == 500
    assert len(submit(sim).json()["task_id"]) == 260
    bad = requests.post(control, json={"kind": "garbage", "style": "poetry"}, timeout=10)
    assert bad.status_code == 400 and "style" in bad.json()["message"]


@pytest.mark.parametrize("kwargs", [
    {"kind": "trickle", "chunk": 0}, {"kind": "trickle", "interval": -1},
    {"kind": "trickle", "interval": "1"}, {"kind": "endless", "size": -1},
    {"kind": "garbage", "route": "download"}, {"kind": "huge_task_id", "route": "result"},
    {"kind": "echo_key", "route": "download"}, {"kind": "garbage", "style": "poetry"},
    {"kind": "gzip_bomb", "size": 1.5},
])
def test_bad_hostile_faults_are_refused(sim, kwargs):
    with pytest.raises((ValueError, TypeError)):
        sim.faults.add(**kwargs)
    assert sim.faults.pending() == []


def test_an_any_route_hostile_fault_skips_routes_it_does_not_apply_to(sim):
    url = video_url(sim)
    sim.faults.add("garbage")  # submit or result only
    assert requests.get(url, timeout=30).status_code == 200
    assert len(sim.faults.pending()) == 1
