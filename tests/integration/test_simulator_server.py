"""The simulator over real loopback HTTP, driven with `requests` (the library the client uses).

Request bodies are built by hand from shared/NOVITA_API.md: nothing here imports the client's
request model, so the simulator is checked against the contract, not against the client.
"""

from __future__ import annotations

import ast
import base64
import json
import os
import re
import signal
import struct
import subprocess
import sys
import threading
import time
import zlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import requests

from vidu_desktop.simulator import Simulator, SimulatorConfig
from vidu_desktop.simulator.billing import DEFAULT_BALANCE_UNITS
from vidu_desktop.simulator.contract import ImageHeader, Submission, read_image_header
from vidu_desktop.simulator.server import BALANCE_PATH, RESULT_PATH, SUCCEED, _Task

KEY = "test-key"
AUTH = {"Authorization": f"Bearer {KEY}"}
ROOT = Path(__file__).resolve().parents[2]
# From the contract document, on purpose not imported from any module.
ENDPOINT = "/v3/async/vidu-q3-turbo-i2v"
MIB = 1024 * 1024
DATA_URI_LIMIT = 10 * MIB  # "the decoded image under 10 MB"
BODY_LIMIT = 20 * MIB  # "the whole HTTP body [limited] to 20 MB"


def png(width: int = 64, height: int = 36, padding: int = 0) -> bytes:
    """A PNG signature and IHDR chunk: all the header sniffing needs (plus optional bulk)."""
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    chunk = struct.pack(">I", 13) + b"IHDR" + ihdr + struct.pack(">I", zlib.crc32(b"IHDR" + ihdr))
    return b"\x89PNG\r\n\x1a\n" + chunk + b"\0" * padding


def jpeg(width: int = 64, height: int = 36, frame: int = 0xC0, before: bytes = b"") -> bytes:
    """SOI, optional segments, a start-of-frame segment `frame` (SOF0 baseline, SOF2
    progressive, ...) with three components, then EOI."""
    components = b"".join(bytes((n, 0x11, 0)) for n in (1, 2, 3))
    body = struct.pack(">BHHB", 8, height, width, 3) + components
    sof = bytes((0xFF, frame)) + struct.pack(">H", len(body) + 2) + body
    return b"\xff\xd8" + before + sof + b"\xff\xd9"


def segment(marker: int, payload: bytes) -> bytes:
    return bytes((0xFF, marker)) + struct.pack(">H", len(payload) + 2) + payload


EXIF = segment(0xE1, b"Exif\0\0" + bytes(range(256)) * 40)  # a 10 KB APP1 ahead of the frame
DQT = segment(0xDB, b"\0" + bytes(64))
DHT = segment(0xC4, b"\0" + bytes(16))  # 0xC4 sits among the SOF markers but is not one


def riff(chunk: bytes, data: bytes) -> bytes:
    body = b"WEBP" + chunk + struct.pack("<I", len(data)) + data
    return b"RIFF" + struct.pack("<I", len(body)) + body


def webp_lossy(width: int = 64, height: int = 36) -> bytes:
    return riff(b"VP8 ", b"\x50\x02\x00" + b"\x9d\x01\x2a" + struct.pack("<HH", width, height)
                + bytes(8))


def webp_lossless(width: int = 64, height: int = 36) -> bytes:
    return riff(b"VP8L", b"\x2f" + struct.pack("<I", (width - 1) | (height - 1) << 14) + bytes(4))


def webp_extended(width: int = 64, height: int = 36) -> bytes:
    return riff(b"VP8X", bytes(4) + (width - 1).to_bytes(3, "little")
                + (height - 1).to_bytes(3, "little"))


def uri(data: bytes, media_type: str = "image/png") -> str:
    return f"data:{media_type};base64,{base64.b64encode(data).decode()}"


class Recorder:
    """A stand-in for video.render_video: writes `size` known bytes, remembers its calls."""

    def __init__(self, size: int = 4096) -> None:
        self.size = size
        self.calls: list[dict[str, Any]] = []
        self.gate = threading.Event()
        self.gate.set()
        self.fail = False

    def content(self) -> bytes:
        # A 251-byte period: a resume at the wrong offset shows up as a mismatch.
        return (bytes(range(251)) * (self.size // 251 + 1))[: self.size]

    def __call__(self, image: bytes, destination: Path, *, duration_s: int, height: int,
                 audio: bool, fast: bool, motion: str = "zoom", timeout: float = 600) -> None:
        self.calls.append({"image": image, "duration_s": duration_s, "height": height,
                           "audio": audio, "fast": fast})
        self.gate.wait(10)
        if self.fail:
            raise RuntimeError("simulated encoder crash")
        destination.write_bytes(self.content())


def wait_until(condition: Callable[[], Any], timeout: float = 10.0, what: str = "condition") -> Any:
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.02)


@pytest.fixture
def recorder() -> Recorder:
    return Recorder()


@pytest.fixture
def sim(tmp_path: Path, recorder: Recorder):
    config = SimulatorConfig(api_key=KEY, queued_s=0.1, processing_s=0.2, renderer=recorder,
                             video_dir=tmp_path / "videos")
    with Simulator(config) as simulator:
        yield simulator


@pytest.fixture
def http():
    with requests.Session() as session:
        yield session


class Client:
    def __init__(self, sim: Simulator, http: requests.Session) -> None:
        self.sim, self.http = sim, http

    def submit(self, headers: dict[str, str] | None = None, **fields: Any) -> requests.Response:
        body = {"images": [uri(png())], "duration": 1, **fields}
        return self.http.post(self.sim.base_url + ENDPOINT, json=body,
                              headers=AUTH if headers is None else headers, timeout=30)

    def result(self, task_id: str, **kwargs: Any) -> requests.Response:
        return self.http.get(self.sim.base_url + RESULT_PATH, params={"task_id": task_id},
                             headers=AUTH, timeout=30, **kwargs)

    def task_id(self, **fields: Any) -> str:
        answer = self.submit(**fields)
        assert answer.status_code == 200, answer.text
        return answer.json()["task_id"]

    def finished(self, task_id: str) -> dict[str, Any]:
        def done() -> dict[str, Any] | None:
            body = self.result(task_id).json()
            return body if body["task"]["status"] in ("TASK_STATUS_SUCCEED",
                                                       "TASK_STATUS_FAILED") else None
        return wait_until(done, what=f"task {task_id} to finish")

    def video_url(self, **fields: Any) -> str:
        body = self.finished(self.task_id(**fields))
        assert body["task"]["status"] == "TASK_STATUS_SUCCEED", body
        return body["videos"][0]["video_url"]


@pytest.fixture
def client(sim: Simulator, http: requests.Session) -> Client:
    return Client(sim, http)


def reason(answer: requests.Response) -> str:
    return answer.json()["reason"]


# ------------------------------------------------------------------------ happy path


def test_task_moves_through_the_states_and_its_video_downloads(client, sim, recorder):
    sim.config.queued_s, sim.config.processing_s = 0.5, 1.0  # room to see every state
    task_id = client.task_id(seed=42, resolution="540p", duration=3, audio=False)
    seen: list[dict[str, Any]] = []

    def poll() -> bool:
        seen.append(client.result(task_id).json())
        return seen[-1]["task"]["status"] == "TASK_STATUS_SUCCEED"

    wait_until(poll, what="success")
    statuses = [s["task"]["status"] for s in seen]
    assert statuses[0] == "TASK_STATUS_QUEUED"
    assert "TASK_STATUS_PROCESSING" in statuses
    percents = [s["task"]["progress_percent"] for s in seen]
    assert percents == sorted(percents) and percents[-1] == 100
    for body in seen:
        task = body["task"]
        assert isinstance(task["eta"], int) and task["eta"] >= 0
        assert 0 <= task["progress_percent"] <= 100
        assert task["task_type"] == "VIDU_Q3_TURBO_I2V" and task["task_id"] == task_id
        assert body["images"] == [] and body["audios"] == []
        assert body["extra"]["seed"] == "42"
        debug = body["extra"]["debug_info"]
        assert all(isinstance(debug[k], str) and debug[k].isdigit()
                   for k in ("submit_time_ms", "execute_time_ms", "complete_time_ms"))
        if task["status"] != "TASK_STATUS_SUCCEED":
            assert body["videos"] == [] and task["eta"] >= 1 and task["progress_percent"] < 100
    final = seen[-1]
    assert final["task"]["eta"] == 0 and final["task"]["reason"] == ""
    assert int(final["extra"]["debug_info"]["complete_time_ms"]) >= int(
        final["extra"]["debug_info"]["submit_time_ms"])
    (video,) = final["videos"]
    assert video["video_type"] == "mp4" and video["video_url_ttl"] == "3600"
    assert re.fullmatch(re.escape(sim.base_url) + rf"/videos/{task_id}\.mp4\?expires=\d+&signature=\w+",
                        video["video_url"])
    download = requests.get(video["video_url"], timeout=30)
    assert download.status_code == 200
    assert download.headers["Content-Type"] == "video/mp4"
    assert download.headers["Accept-Ranges"] == "bytes"
    assert int(download.headers["Content-Length"]) == recorder.size
    assert download.content == recorder.content()
    assert recorder.calls[0]["height"] == 540 and recorder.calls[0]["duration_s"] == 3
    assert recorder.calls[0]["audio"] is False and recorder.calls[0]["fast"] is True
    assert sim.task_ids() == [task_id]
    assert sim.stats.submissions == 1 and sim.stats.downloads == 1
    assert sim.stats.polls[task_id] == len(seen)
    assert ("POST", ENDPOINT, 200) in sim.stats.requests


def test_each_poll_hands_out_a_fresh_link(client):
    task_id = client.task_id()
    first = client.finished(task_id)["videos"][0]["video_url"]
    # Links carry whole-second expiry times: a new second brings a new link.
    second = wait_until(lambda: (url := client.result(task_id).json()["videos"][0]["video_url"])
                        != first and url, what="a new link")
    assert requests.get(first, timeout=30).status_code == 200
    assert requests.get(second, timeout=30).status_code == 200


def test_random_seed_is_a_string_number(client):
    body = client.finished(client.task_id(seed=0))
    assert body["extra"]["seed"].isdigit() and body["extra"]["seed"] != "0"


@pytest.mark.parametrize("resolution, height", [("540p", 540), ("720p", 720), ("1080p", 1080)])
def test_resolution_picks_the_render_height(client, recorder, resolution, height):
    client.finished(client.task_id(resolution=resolution))
    assert recorder.calls[-1]["height"] == height


def test_success_waits_for_the_video(client, sim, recorder):
    recorder.gate.clear()
    task_id = client.task_id()
    wait_until(lambda: sim.task(task_id) and
               time.monotonic() - sim.task(task_id).started > 0.8, what="the clock to run out")
    body = client.result(task_id).json()
    assert body["task"]["status"] == "TASK_STATUS_PROCESSING"
    assert body["task"]["progress_percent"] == 99 and body["task"]["eta"] >= 1
    recorder.gate.set()
    assert client.finished(task_id)["task"]["status"] == "TASK_STATUS_SUCCEED"


def test_render_failure_fails_the_task(client, recorder):
    recorder.fail = True
    body = client.finished(client.task_id())
    assert body["task"]["status"] == "TASK_STATUS_FAILED"
    assert body["task"]["reason"] == "video rendering failed"
    assert body["videos"] == []


def test_last_payload_is_the_body_as_sent(client, sim):
    client.submit(prompt="hello", seed=7, extra_field=[1])
    assert sim.last_payload == {"images": [uri(png())], "duration": 1, "prompt": "hello",
                                "seed": 7, "extra_field": [1]}
    client.submit(duration=99)  # refused, but still what was sent
    assert sim.last_payload["duration"] == 99


def test_data_uri_image_reaches_the_renderer(client, recorder):
    image = png(100, 50, padding=10)
    client.finished(client.task_id(images=[uri(image)]))
    assert recorder.calls[-1]["image"] == image


def test_unreachable_image_url_renders_a_placeholder(client, recorder):
    client.finished(client.task_id(images=["http://127.0.0.1:9/picture.png"]))
    image = recorder.calls[-1]["image"]
    assert image.startswith(b"\x89PNG\r\n\x1a\n") and image[12:16] == b"IHDR"
    assert struct.unpack(">II", image[16:24]) > (0, 0)


def test_image_url_is_fetched(client, recorder):
    # Any fetchable URL will do: the first task's video link. The renderer gets its bytes
    # as they are (not a placeholder), proving the fetch happened.
    url = client.video_url()
    client.finished(client.task_id(images=[url]))
    assert recorder.calls[-1]["image"] == recorder.content()


def test_balance(client, sim, http):
    answer = http.get(sim.base_url + BALANCE_PATH, headers=AUTH, timeout=30)
    assert answer.status_code == 200
    body = answer.json()
    assert body["availableBalance"] == str(DEFAULT_BALANCE_UNITS)  # $10,000: tests never run out
    assert set(body) == {"availableBalance", "cashBalance", "creditLimit", "pendingCharges",
                         "outstandingInvoices"}
    assert all(isinstance(value, str) for value in body.values())
    assert http.get(sim.base_url + BALANCE_PATH, timeout=30).status_code == 400


def test_keep_alive(client, sim, http):
    for _ in range(3):
        answer = client.result("nope")
        assert answer.raw.version == 11
        assert answer.headers.get("Connection", "").lower() != "close"
    assert len(sim._server.connections) == 1  # one socket served all three


# ------------------------------------------------------------------------ auth & routing


@pytest.mark.parametrize("headers, status, why", [
    ({}, 400, "MISSING_API_KEY"),
    ({"Authorization": "Bearer "}, 400, "MISSING_API_KEY"),
    ({"Authorization": "Basic dGVzdA=="}, 400, "MISSING_API_KEY"),
    ({"Authorization": "Bearer wrong"}, 403, "INVALID_API_KEY"),
])
def test_auth(client, sim, http, headers, status, why):
    answer = client.submit(headers=headers)
    assert (answer.status_code, reason(answer)) == (status, why)
    assert answer.json()["code"] == status and answer.json()["metadata"] == {}
    answer = http.get(sim.base_url + RESULT_PATH, params={"task_id": "x"}, headers=headers,
                      timeout=30)
    assert (answer.status_code, reason(answer)) == (status, why)
    assert sim.task_ids() == []


def test_any_key_is_accepted_without_a_configured_key(tmp_path, recorder, http):
    config = SimulatorConfig(queued_s=0, processing_s=0, renderer=recorder, video_dir=tmp_path)
    with Simulator(config) as open_sim:
        answer = Client(open_sim, http).submit(headers={"Authorization": "Bearer anything"})
        assert answer.status_code == 200
        assert Client(open_sim, http).submit(headers={}).status_code == 400


def test_result_errors(client, sim, http):
    answer = client.result("no-such-task")
    assert (answer.status_code, reason(answer)) == (404, "TASK_NOT_FOUND")
    answer = http.get(sim.base_url + RESULT_PATH, headers=AUTH, timeout=30)
    assert (answer.status_code, reason(answer)) == (400, "INVALID_REQUEST_BODY")


@pytest.mark.parametrize("method, path", [
    ("GET", "/"), ("GET", ENDPOINT), ("POST", RESULT_PATH), ("GET", "/v3/async/vidu-q3-pro-i2v"),
    ("DELETE", ENDPOINT),
])
def test_unknown_routes(sim, http, method, path):
    answer = http.request(method, sim.base_url + path, headers=AUTH, json={}, timeout=30)
    assert (answer.status_code, reason(answer)) == (404, "API_NOT_FOUND")


# ------------------------------------------------------------------------ validation


@pytest.mark.parametrize("body", [b"not json", b"[1, 2]", b'"text"', b""])
def test_body_must_be_a_json_object(sim, http, body):
    answer = http.post(sim.base_url + ENDPOINT, data=body, timeout=30,
                       headers={**AUTH, "Content-Type": "application/json"})
    assert (answer.status_code, reason(answer)) == (400, "INVALID_REQUEST_BODY")


@pytest.mark.parametrize("fields, ok", [
    ({"duration": 0}, False), ({"duration": 1}, True), ({"duration": 16}, True),
    ({"duration": 17}, False), ({"duration": "5"}, False), ({"duration": 5.0}, False),
    ({"duration": True}, False),
    ({"seed": -1}, False), ({"seed": 0}, True), ({"seed": 2147483647}, True),
    ({"seed": 2147483648}, False), ({"seed": "7"}, False),
    ({"prompt": "x" * 5000}, True), ({"prompt": "x" * 5001}, False), ({"prompt": 5}, False),
    ({"resolution": "540p"}, True), ({"resolution": "1080p"}, True),
    ({"resolution": "480p"}, False), ({"resolution": "720P"}, False),
    ({"audio_type": "speech_only"}, True), ({"audio_type": "sound_effect_only"}, True),
    ({"audio_type": "music"}, False),
    ({"audio": False}, True), ({"audio": "true"}, False), ({"is_rec": 1}, False),
    ({"off_peak": True}, True),
    ({"images": [uri(png(100, 400))]}, True), ({"images": [uri(png(400, 100))]}, True),
    ({"images": [uri(png(100, 401))]}, False), ({"images": [uri(png(401, 100))]}, False),
    ({"images": []}, False), ({"images": "http://example.com/a.png"}, False),
    ({"images": [""]}, False), ({"images": ["ftp://example.com/a.png"]}, False),
    ({"unknown_field": 1}, True),
])
def test_validation_boundaries(client, fields, ok):
    answer = client.submit(**fields)
    if ok:
        assert answer.status_code == 200, answer.text
    else:
        assert (answer.status_code, reason(answer)) == (400, "INVALID_REQUEST_BODY"), answer.text
        assert answer.json()["message"]


@pytest.mark.parametrize("image, why", [
    (uri(png(padding=DATA_URI_LIMIT)), "IMAGE_FILE_EXCEEDS_MAX_SIZE"),
    (uri(png(padding=DATA_URI_LIMIT - 40)), None),
    (uri(b"hello, not a picture"), "INVALID_IMAGE_FORMAT"),
    (uri(png(), "image/jpeg"), "INVALID_IMAGE_FORMAT"),
    ("data:image/png;base64,@@@@", "INVALID_IMAGE_FORMAT"),
])
def test_image_reasons(client, image, why):
    answer = client.submit(images=[image])
    if why is None:
        assert answer.status_code == 200, answer.text[:300]
    else:
        assert (answer.status_code, reason(answer)) == (400, why)


def test_message_lists_every_problem(client):
    answer = client.submit(duration=17, resolution="4k", prompt="x" * 5001)
    message = answer.json()["message"]
    assert "Duration" in message and "Resolution" in message and "5001" in message


# The contract, field by field (section 1), with the reasons of section 3. Bodies are raw JSON.

BAD = "INVALID_REQUEST_BODY"
FORMAT = "INVALID_IMAGE_FORMAT"
SIZE = "IMAGE_FILE_EXCEEDS_MAX_SIZE"
MISSING = object()  # leave the field out of the body


def post(client: Client, body: Any) -> requests.Response:
    return client.http.post(client.sim.base_url + ENDPOINT, data=json.dumps(body).encode(),
                            headers={**AUTH, "Content-Type": "application/json"}, timeout=60)


def body_with(name: str, value: Any) -> dict[str, Any]:
    body: dict[str, Any] = {"images": [uri(png())], "duration": 1}
    if value is MISSING:
        body.pop(name, None)
    else:
        body[name] = value
    return body


REFUSED = [
    # images: required, an array of http(s) URLs or base64 data URIs
    ("images", MISSING, BAD), ("images", None, BAD), ("images", [], BAD),
    ("images", "https://example.com/a.png", BAD), ("images", {"url": "https://x/a.png"}, BAD),
    ("images", [""], BAD), ("images", [None], BAD), ("images", [5], BAD), ("images", [[]], BAD),
    ("images", ["ftp://example.com/a.png"], BAD), ("images", ["http://"], BAD),
    ("images", ["example.com/a.png"], BAD), ("images", ["/home/me/a.png"], BAD),
    ("images", [png().decode("latin-1")], BAD),
    ("images", ["data:image/png," + base64.b64encode(png()).decode()], BAD),  # not base64
    ("images", [uri(png()), "nope"], BAD),
    # aspect ratio outside 1:4 .. 4:1, for every format; no pixels at all
    ("images", [uri(png(100, 401))], BAD), ("images", [uri(png(401, 100))], BAD),
    ("images", [uri(jpeg(100, 401), "image/jpeg")], BAD),
    ("images", [uri(jpeg(401, 100), "image/jpeg")], BAD),
    ("images", [uri(webp_lossy(100, 401), "image/webp")], BAD),
    ("images", [uri(webp_lossless(401, 100), "image/webp")], BAD),
    ("images", [uri(webp_extended(100, 401), "image/webp")], BAD),
    ("images", [uri(png(0, 10))], BAD), ("images", [uri(jpeg(10, 0), "image/jpeg")], BAD),
    # format: jpg, jpeg, png, webp only, labelled with their media type
    ("images", [uri(b"GIF89a\x10\x00\x10\x00", "image/gif")], FORMAT),
    ("images", [uri(b"BM" + bytes(60), "image/bmp")], FORMAT),
    ("images", [uri(b"hello, not a picture")], FORMAT), ("images", [uri(b"")], FORMAT),
    ("images", [uri(png(), "image/jpeg")], FORMAT), ("images", [uri(png(), "image/webp")], FORMAT),
    ("images", [uri(jpeg(), "image/png")], FORMAT), ("images", [uri(webp_lossy())], FORMAT),
    ("images", [uri(png(), "text/plain")], FORMAT),
    ("images", ["data:;base64," + base64.b64encode(png()).decode()], FORMAT),  # no media type
    ("images", ["data:image/png;base64,@@@@"], FORMAT), ("images", ["data:image/png;base64,abc"], FORMAT),
    ("images", [uri(png()[:20])], FORMAT),  # cut inside the IHDR chunk
    ("images", [uri(b"\xff\xd8\xff\xda\x00\x02", "image/jpeg")], FORMAT),  # scan before any frame
    ("images", [uri(jpeg(before=DHT)[:-15], "image/jpeg")], FORMAT),  # frame header cut off
    ("images", [uri(riff(b"VP8Q", bytes(10)), "image/webp")], FORMAT),
    ("images", [uri(riff(b"VP8 ", bytes(16)), "image/webp")], FORMAT),  # no start code
    ("images", [uri(png()), uri(b"nope")], FORMAT),  # the second of two
    # size: a data URI decodes to at most 10 MB
    ("images", [uri(png(padding=DATA_URI_LIMIT - len(png()) + 1))], SIZE),
    # prompt: a string of 0..5000 characters
    ("prompt", "x" * 5001, BAD), ("prompt", "é" * 5001, BAD), ("prompt", 5, BAD),
    ("prompt", None, BAD), ("prompt", ["a"], BAD),
    # duration: an integer 1..16
    ("duration", 0, BAD), ("duration", 17, BAD), ("duration", -1, BAD), ("duration", "5", BAD),
    ("duration", 5.0, BAD), ("duration", 5.5, BAD), ("duration", True, BAD), ("duration", None, BAD),
    # resolution: one of 540p, 720p, 1080p
    ("resolution", "480p", BAD), ("resolution", "720P", BAD), ("resolution", "4k", BAD),
    ("resolution", "", BAD), ("resolution", 720, BAD), ("resolution", None, BAD),
    # seed: an integer 0..2147483647
    ("seed", -1, BAD), ("seed", 2147483648, BAD), ("seed", "7", BAD), ("seed", 1.5, BAD),
    ("seed", False, BAD), ("seed", None, BAD),
    # booleans
    *[(name, value, BAD) for name in ("audio", "is_rec", "off_peak")
      for value in ("true", 1, 0, None, [])],
    # audio_type: all, speech_only, sound_effect_only
    ("audio_type", "music", BAD), ("audio_type", "ALL", BAD), ("audio_type", "", BAD),
    ("audio_type", None, BAD), ("audio_type", 1, BAD),
]


@pytest.mark.parametrize("name, value, why", REFUSED,
                         ids=[f"{n}-{i}" for i, (n, _, _) in enumerate(REFUSED)])
def test_each_bad_field_is_refused_with_the_documented_reason(client, sim, name, value, why):
    answer = post(client, body_with(name, value))
    assert answer.status_code == 400, answer.text[:300]
    body = answer.json()
    assert (body["code"], body["reason"]) == (400, why), body["message"][:300]
    assert body["message"] and body["metadata"] == {}
    assert sim.task_ids() == []


ACCEPTED = [
    # images: every format, both ends of the aspect ratio, URLs as they are
    ("images", [uri(png(100, 400))]), ("images", [uri(png(400, 100))]), ("images", [uri(png(1, 1))]),
    ("images", [uri(png(1, 4))]), ("images", [uri(png(4, 1))]),
    ("images", [uri(jpeg(100, 400), "image/jpeg")]), ("images", [uri(jpeg(400, 100), "image/jpeg")]),
    ("images", [uri(jpeg(1920, 1080, frame=0xC2, before=EXIF + DQT + DHT), "image/jpeg")]),
    ("images", [uri(jpeg(640, 480, frame=0xC1, before=b"\xff\xff" + DQT), "image/jpeg")]),
    ("images", [uri(jpeg(64, 64, frame=0xCF), "image/jpeg")]),
    ("images", [uri(webp_lossy(100, 400), "image/webp")]),
    ("images", [uri(webp_lossy(16383, 4096), "image/webp")]),
    ("images", [uri(webp_lossless(400, 100), "image/webp")]),
    ("images", [uri(webp_lossless(16384, 4096), "image/webp")]),
    ("images", [uri(webp_extended(100, 400), "image/webp")]),
    ("images", [uri(webp_extended(20000, 5000), "image/webp")]),
    ("images", ["https://example.invalid/picture.png"]),
    ("images", ["http://127.0.0.1:9/a.jpg?size=large&v=2"]),
    ("images", ["HTTPS://EXAMPLE.INVALID/A.WEBP"]),
    ("images", [uri(png()), "https://example.invalid/b.png", uri(jpeg(), "image/jpeg")]),
    ("images", [uri(png(padding=DATA_URI_LIMIT - len(png())))]),  # exactly 10 MB decoded
    # prompt: 0..5000 characters (characters, not bytes)
    ("prompt", ""), ("prompt", "x" * 5000), ("prompt", "é" * 5000), ("prompt", "行" * 5000),
    ("prompt", MISSING),
    # duration 1..16, every value
    *[("duration", seconds) for seconds in range(1, 17)], ("duration", MISSING),
    ("resolution", "540p"), ("resolution", "720p"), ("resolution", "1080p"), ("resolution", MISSING),
    ("seed", 0), ("seed", 1), ("seed", 2147483647), ("seed", MISSING),
    *[(name, value) for name in ("audio", "is_rec", "off_peak") for value in (True, False, MISSING)],
    ("audio_type", "all"), ("audio_type", "speech_only"), ("audio_type", "sound_effect_only"),
    ("audio_type", MISSING),
    ("webhook", {"url": "https://example.invalid"}),  # unknown fields are ignored
]


@pytest.mark.parametrize("name, value", ACCEPTED,
                         ids=[f"{n}-{i}" for i, (n, _) in enumerate(ACCEPTED)])
def test_every_boundary_value_is_accepted(client, sim, name, value):
    answer = post(client, body_with(name, value))
    assert answer.status_code == 200, answer.text[:300]
    assert answer.json()["task_id"] in sim.task_ids()


def test_absent_fields_take_the_documented_defaults(client, sim, recorder):
    answer = post(client, {"images": [uri(png())]})
    assert answer.status_code == 200, answer.text
    task = sim.task(answer.json()["task_id"])
    assert task.request == Submission(images=(uri(png()),), prompt="", duration=5,
                                      resolution="720p", seed=0, audio=True, audio_type="all",
                                      is_rec=False, off_peak=False)
    assert 1 <= task.seed <= 2147483647  # 0 or absent: the server picks one
    client.finished(task.id)
    assert (recorder.calls[-1]["duration_s"], recorder.calls[-1]["height"],
            recorder.calls[-1]["audio"]) == (5, 720, True)


def test_an_accepted_body_is_read_as_sent(client, sim):
    fields = {"images": [uri(jpeg(), "image/jpeg")], "prompt": "waves", "duration": 16,
              "resolution": "1080p", "seed": 2147483647, "audio": False,
              "audio_type": "sound_effect_only", "is_rec": True, "off_peak": True}
    answer = post(client, fields)
    assert answer.status_code == 200, answer.text
    task = sim.task(answer.json()["task_id"])
    assert task.request == Submission(**{**fields, "images": tuple(fields["images"])})
    assert task.seed == 2147483647


def test_a_body_over_20_mb_is_refused_unread(client, sim, http):
    answer = http.post(sim.base_url + ENDPOINT, data=b" " * (BODY_LIMIT + 1), timeout=60,
                       headers={**AUTH, "Content-Type": "application/json"})
    assert (answer.status_code, reason(answer)) == (400, "IMAGE_FILE_EXCEEDS_MAX_SIZE")
    assert sim.task_ids() == []


def test_an_image_reason_outranks_other_problems_and_every_problem_is_named(client):
    answer = post(client, {"images": [uri(png()), uri(png(padding=DATA_URI_LIMIT))],
                           "duration": 0, "seed": -5})
    body = answer.json()
    assert (answer.status_code, body["reason"]) == (400, "IMAGE_FILE_EXCEEDS_MAX_SIZE")
    assert "Image 2" in body["message"] and "Duration" in body["message"]
    assert "Seed" in body["message"]
    answer = post(client, {"images": [uri(png(100, 401), "image/jpeg")]})
    assert reason(answer) == "INVALID_IMAGE_FORMAT"  # format beats shape
    assert "1:4" in answer.json()["message"]


# The simulator's own image header reader (simulator/contract.py), byte by byte.

@pytest.mark.parametrize("data, expected", [
    (png(640, 360), ("png", 640, 360)),
    (png(1, 1, padding=100), ("png", 1, 1)),
    (jpeg(1920, 1080), ("jpeg", 1920, 1080)),
    (jpeg(800, 600, frame=0xC2, before=EXIF + DQT + DHT), ("jpeg", 800, 600)),
    (jpeg(300, 200, frame=0xC3, before=segment(0xE0, b"JFIF\0" + bytes(9))), ("jpeg", 300, 200)),
    (jpeg(5, 7, frame=0xCB, before=b"\xff\xff\xff" + segment(0xCC, b"\0\0")), ("jpeg", 5, 7)),
    (jpeg(65535, 65535, frame=0xCD), ("jpeg", 65535, 65535)),
    (webp_lossy(320, 240), ("webp", 320, 240)),
    (webp_lossy(320 | 0xC000, 240 | 0x4000), ("webp", 320, 240)),  # top two bits: scaling
    (webp_lossless(1, 1), ("webp", 1, 1)),
    (webp_lossless(16384, 16384), ("webp", 16384, 16384)),
    (webp_extended(1, 1), ("webp", 1, 1)),
    (webp_extended(1 << 24, 3), ("webp", 1 << 24, 3)),
    (b"", None), (b"\x89PNG\r\n\x1a\n", None), (png()[:23], None),
    (png()[:12] + b"IDAT" + png()[16:], None),
    (b"\xff\xd8", None), (b"\xff\xd8\xff\xd9", None), (jpeg(before=DHT)[:-15], None),
    (b"\xff\xd8\x00\x00" + jpeg()[2:], None),  # no marker where one must be
    (b"\xff\xd8" + segment(0xE0, b"")[:2] + b"\x00\x00" + jpeg()[2:], None),  # length below 2
    (riff(b"VP8 ", b"\x50\x02\x00" + b"\x00\x00\x00" + bytes(8)), None),
    (riff(b"VP8L", b"\x00" + bytes(8)), None), (riff(b"VP8X", bytes(5)), None),
    (riff(b"ALPH", bytes(20)), None), (b"RIFF\0\0\0\0WAVEfmt ", None),
    (b"GIF89a" + bytes(20), None),
])
def test_image_header_reader(data, expected):
    header = read_image_header(data)
    assert header == (ImageHeader(*expected) if expected else None)


# ------------------------------------------------------------------------ independence


def test_the_simulator_imports_nothing_from_the_rest_of_the_app():
    """The simulator must judge the client, so it cannot share the client's code."""
    package = ROOT / "vidu_desktop" / "simulator"
    for source in sorted(package.glob("*.py")):
        for node in ast.walk(ast.parse(source.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom):
                assert node.level <= 1, f"{source.name}:{node.lineno} reaches outside the package"
                assert not (node.module or "").startswith("vidu_desktop"), \
                    f"{source.name}:{node.lineno}"
            elif isinstance(node, ast.Import):
                assert not any(alias.name.startswith("vidu_desktop") for alias in node.names), \
                    f"{source.name}:{node.lineno}"
    code = ("import sys, vidu_desktop.simulator.server, vidu_desktop.simulator.contract, "
            "vidu_desktop.simulator.__main__, vidu_desktop.simulator.video\n"
            "print(sorted(m for m in sys.modules if m.startswith('vidu_desktop.')))")
    loaded = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=True, cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert ast.literal_eval(loaded.stdout) == [
        "vidu_desktop.simulator", "vidu_desktop.simulator.__main__",
        "vidu_desktop.simulator.billing", "vidu_desktop.simulator.contract",
        "vidu_desktop.simulator.server", "vidu_desktop.simulator.video"]


def test_a_task_is_easy_to_build_for_the_progress_model():
    """How benchmarks drive the progress model without HTTP (tests/benchmarks)."""
    model = Simulator(SimulatorConfig(queued_s=0.0, processing_s=0.0))
    for task in (_Task("t", render_state="done"),
                 _Task("t", Submission(), 1, 0.0, 0, render_state="done")):
        assert task.request == Submission() and task.seed == 1
        assert model._progress(task)[0] == SUCCEED


def test_forbidden_prompt_is_refused(client, sim):
    answer = client.submit(prompt="a Forbidden dance")
    assert (answer.status_code, reason(answer)) == (400, "ILLEGAL_PROMPT")
    assert sim.task_ids() == []


# ------------------------------------------------------------------------ downloads


def test_bad_links_are_refused(client, sim):
    url = client.video_url()
    task_id = sim.task_ids()[0]
    expires = re.search(r"expires=(\d+)", url)[1]
    for bad in (url.replace("signature=", "signature=00"),
                url.replace(f"expires={expires}", f"expires={int(expires) + 10}"),
                url.split("?")[0],
                url.replace(task_id, sim.task_ids()[0][:-1] + "x")):
        assert requests.get(bad, timeout=30).status_code == 403, bad
    assert requests.get(url, timeout=30).status_code == 200


def test_expired_link_then_a_fresh_one(client, sim):
    sim.faults.add("expire_links", ttl=0)
    task_id = client.task_id()
    expired = client.finished(task_id)["videos"][0]
    assert expired["video_url_ttl"] == "0"
    assert requests.get(expired["video_url"], timeout=30).status_code == 403
    fresh = client.result(task_id).json()["videos"][0]
    assert fresh["video_url_ttl"] == "3600"
    assert requests.get(fresh["video_url"], timeout=30).status_code == 200


def test_short_lived_link_expires(client, sim):
    sim.faults.add("expire_links", route="result", ttl=1)
    url = client.video_url()
    wait_until(lambda: requests.get(url, timeout=30).status_code == 403, what="the link to expire")


def test_range_requests(client, recorder):
    url = client.video_url()
    content = recorder.content()
    answer = requests.get(url, headers={"Range": "bytes=1000-"}, timeout=30)
    assert answer.status_code == 206
    assert answer.headers["Content-Range"] == f"bytes 1000-{len(content) - 1}/{len(content)}"
    assert answer.content == content[1000:]
    answer = requests.get(url, headers={"Range": "bytes=10-19"}, timeout=30)
    assert (answer.status_code, answer.content) == (206, content[10:20])
    answer = requests.get(url, headers={"Range": "bytes=-100"}, timeout=30)
    assert (answer.status_code, answer.content) == (206, content[-100:])
    answer = requests.get(url, headers={"Range": f"bytes={len(content)}-"}, timeout=30)
    assert answer.status_code == 416
    assert answer.headers["Content-Range"] == f"bytes */{len(content)}"
    answer = requests.get(url, headers={"Range": "pages=1-2"}, timeout=30)
    assert (answer.status_code, answer.content) == (200, content)
    answer = requests.head(url, timeout=30)
    assert (answer.status_code, answer.headers["Content-Length"]) == (200, str(len(content)))


def test_large_file_truncated_then_resumed(client, sim, recorder, tmp_path):
    recorder.size = 24 * 1024 * 1024
    url = client.video_url()
    sim.faults.add("truncate", count=1)
    received = bytearray()
    with requests.get(url, stream=True, timeout=30) as answer:
        assert int(answer.headers["Content-Length"]) == recorder.size

        def read_all() -> None:
            for chunk in answer.iter_content(1 << 16):
                received.extend(chunk)

        with pytest.raises(requests.exceptions.ChunkedEncodingError):
            read_all()
    assert 0 < len(received) < recorder.size
    with requests.get(url, headers={"Range": f"bytes={len(received)}-"}, stream=True,
                      timeout=30) as answer:
        assert answer.status_code == 206
        for chunk in answer.iter_content(1 << 20):
            received += chunk
    assert bytes(received) == recorder.content()
    assert sim.stats.downloads == 2


# ------------------------------------------------------------------------ faults


def test_rate_limit(client, sim):
    task_id = client.task_id()
    sim.faults.add("rate_limit", route="result", count=2, retry_after=3)
    for _ in range(2):
        answer = client.result(task_id)
        assert (answer.status_code, reason(answer)) == (429, "RATE_LIMIT_EXCEEDED")
        assert answer.headers["Retry-After"] == "3"
    assert client.result(task_id).status_code == 200
    sim.faults.add("rate_limit", route="submit")
    assert client.submit().status_code == 429
    assert len(sim.task_ids()) == 1


def test_server_errors(client, sim):
    sim.faults.add("server_error", route="submit")
    answer = client.submit()
    assert (answer.status_code, reason(answer)) == (500, "CREATE_TASK_FAILED")
    assert sim.task_ids() == []
    task_id = client.task_id()
    sim.faults.add("server_error", route="result")
    answer = client.result(task_id)
    assert (answer.status_code, reason(answer)) == (500, "GET_RESULT_FAILED")
    url = client.video_url()
    sim.faults.add("server_error", route="download")
    assert requests.get(url, timeout=30).status_code == 500


def test_reset_after_submit_creates_the_task(client, sim):
    sim.faults.add("reset", route="submit")
    with pytest.raises(requests.exceptions.ConnectionError):
        client.submit()
    assert len(sim.task_ids()) == 1 and sim.stats.submissions == 1
    assert ("POST", ENDPOINT, 0) in sim.stats.requests
    assert client.submit().status_code == 200  # the same session goes on working


@pytest.mark.parametrize("route", ["result", "download"])
def test_reset_on_other_routes(client, sim, route):
    url = client.video_url()
    task_id = sim.task_ids()[0]
    sim.faults.add("reset", route=route)
    with pytest.raises(requests.exceptions.ConnectionError):
        client.result(task_id) if route == "result" else requests.get(url, timeout=30)
    assert client.result(task_id).status_code == 200


def test_slow(client, sim):
    task_id = client.task_id()
    sim.faults.add("slow", route="result", delay=1.0)
    with pytest.raises(requests.exceptions.ReadTimeout):
        client.http.get(sim.base_url + RESULT_PATH, params={"task_id": task_id}, headers=AUTH,
                        timeout=0.3)
    sim.faults.add("slow", route="result", delay=0.5)
    started = time.monotonic()
    assert client.result(task_id).status_code == 200
    assert time.monotonic() - started >= 0.5


@pytest.mark.parametrize("route", ["submit", "result", "download"])
def test_nonsense(client, sim, route):
    url = client.video_url()
    sim.faults.add("nonsense", route=route)
    answer = {"submit": client.submit, "result": lambda: client.result(sim.task_ids()[0]),
              "download": lambda: requests.get(url, timeout=30)}[route]()
    assert answer.status_code == 200
    assert answer.headers["Content-Type"].startswith("text/html")
    with pytest.raises(ValueError, match="Expecting value"):
        answer.json()


def test_fail_task(client, sim, recorder):
    sim.faults.add("fail_task", count=2)
    first, second, third = (client.task_id() for _ in range(3))
    for task_id in (first, second):
        body = client.finished(task_id)
        assert body["task"]["status"] == "TASK_STATUS_FAILED"
        assert body["task"]["reason"] == "content moderation failed"
    assert client.finished(third)["task"]["status"] == "TASK_STATUS_SUCCEED"
    sim.faults.add("fail_task", reason="ILLEGAL_IMAGE_CONTENT")
    assert client.finished(client.task_id())["task"]["reason"] == "ILLEGAL_IMAGE_CONTENT"
    assert len(recorder.calls) == 1  # doomed tasks are never rendered


def test_balance_fault(client, sim):
    sim.faults.add("balance")
    answer = client.submit()
    assert (answer.status_code, reason(answer)) == (400, "BILLING_BALANCE_NOT_ENOUGH")
    assert client.submit().status_code == 200


def test_any_route_fault_hits_whatever_comes_next(client, sim):
    task_id = client.task_id()
    sim.faults.add("rate_limit", count=2)
    assert client.result(task_id).status_code == 429
    assert client.submit().status_code == 429
    assert client.result(task_id).status_code == 200


@pytest.mark.parametrize("kwargs", [
    {"kind": "meteor"}, {"kind": "rate_limit", "route": "billing"},
    {"kind": "odd_bills", "route": "result"}, {"kind": "odd_bills", "style": "truncated"},
    {"kind": "garbage", "style": "no_bills"}, {"kind": "balance", "route": "balance"},
    {"kind": "truncate", "route": "result"}, {"kind": "slow", "count": 0},
    {"kind": "slow", "speed": 3}, {"kind": "slow", "delay": "1"},
    {"kind": "rate_limit", "retry_after": 0.5}, {"kind": "expire_links", "ttl": -1},
])
def test_bad_faults_are_refused(sim, kwargs):
    with pytest.raises((ValueError, TypeError)):
        sim.faults.add(**kwargs)
    assert sim.faults.pending() == []


# ------------------------------------------------------------------------ HTTP control


def test_faults_and_stats_over_http(client, sim, http):
    control = sim.base_url + "/_simulator/faults"
    answer = http.post(control, json={"kind": "rate_limit", "route": "result", "count": 1,
                                      "retry_after": 2}, timeout=30)
    assert answer.status_code == 200 and answer.json()[0]["kind"] == "rate_limit"
    answer = http.post(control, json=[{"kind": "server_error", "route": "submit"},
                                      {"kind": "slow", "route": "download", "delay": 0.1}],
                       timeout=30)
    assert len(answer.json()) == 3
    assert http.get(control, timeout=30).json() == answer.json()
    assert client.submit().status_code == 500
    task_id = client.task_id()
    rate_limited = client.result(task_id)
    assert (rate_limited.status_code, rate_limited.headers["Retry-After"]) == (429, "2")
    assert http.post(control, json={"clear": True}, timeout=30).json() == []

    bad = http.post(control, json={"kind": "meteor"}, timeout=30)
    assert (bad.status_code, reason(bad)) == (400, "INVALID_REQUEST_BODY")
    assert http.post(control, json={"kind": "slow", "speed": 1}, timeout=30).status_code == 400
    assert http.post(control, data=b"nope", timeout=30).status_code == 400

    stats = http.get(sim.base_url + "/_simulator/stats", timeout=30).json()
    assert stats["submissions"] == 2 and stats["polls"] == {task_id: 1}
    assert stats["downloads"] == 0 and stats["tasks"] == [task_id]
    assert ["POST", ENDPOINT, 500] in stats["requests"]
    assert ["GET", RESULT_PATH, 429] in stats["requests"]
    assert not any(path.startswith("/_simulator") for _, path, _ in stats["requests"])


# ------------------------------------------------------------------------ lifecycle & CLI


def test_stop_is_prompt_and_idempotent(tmp_path, recorder, http):
    sim = Simulator(SimulatorConfig(renderer=recorder, video_dir=tmp_path)).start()
    assert Client(sim, http).result("x").status_code == 404  # leaves a keep-alive connection
    started = time.monotonic()
    sim.stop()
    sim.stop()
    assert time.monotonic() - started < 3
    with pytest.raises(requests.exceptions.ConnectionError):
        requests.get(sim.base_url + BALANCE_PATH, headers=AUTH, timeout=5)


def test_temporary_video_dir_is_removed(recorder):
    with Simulator(SimulatorConfig(renderer=recorder)) as sim:
        folder = sim.video_dir
        assert folder is not None and folder.is_dir()
    assert not folder.exists()


@pytest.mark.parametrize("how", ["SIGTERM", "SIGINT"])
@pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")
def test_command_line(how, tmp_path):
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    process = subprocess.Popen(
        [sys.executable, "-m", "vidu_desktop.simulator", "--port", "0", "--api-key", "k",
         "--queued", "0", "--processing", "0", "--ttl", "60", "--video-dir", str(tmp_path)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env, cwd=ROOT)
    try:
        line = process.stdout.readline()
        match = re.fullmatch(r"Vidu simulator listening on (http://127\.0\.0\.1:\d+)\n", line)
        assert match, line
        assert process.stdout.readline() == "Pretend balance: $50.00 (not real money)\n"
        base = match[1]
        answer = requests.get(base + BALANCE_PATH, headers={"Authorization": "Bearer k"},
                              timeout=10)
        assert answer.json()["availableBalance"] == "500000"  # the demo's $50
        assert requests.get(base + BALANCE_PATH, headers={"Authorization": "Bearer x"},
                            timeout=10).status_code == 403
        process.send_signal(getattr(signal, how))
        assert process.wait(timeout=10) == 0
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
        process.stdout.close()
        process.stderr.close()


def test_command_line_reports_a_busy_port(sim, capsys):
    from vidu_desktop.simulator.__main__ import main

    assert main(["--port", str(sim.port)]) == 2
    assert "Cannot listen" in capsys.readouterr().err
