"""A local stand-in for Novita's Vidu Q3 Turbo image-to-video API, over real HTTP.

It speaks the contract in shared/NOVITA_API.md: submit, task result (with a clock that
moves tasks through QUEUED and PROCESSING), signed expiring video links, and pretend money
(billing.py): every accepted submit is charged from the simulator's own price table, the
balance endpoint shows what is left, the bill list shows the charges per hour, and a submit
the balance does not cover is refused with BILLING_BALANCE_NOT_ENOUGH. Faults (rate limits,
resets, truncated downloads, ...) can be injected from Python or over HTTP so the client's
error handling can be tested against real sockets.
Used by the integration tests and by the app's demo mode; pure stdlib, no Qt.

Faults: `sim.faults.add(kind, route="any", count=1, **params)`, or over HTTP
`POST /_simulator/faults` with `{"kind": ..., "route": ..., ...}` (a list adds several,
`{"clear": true}` removes all; `GET /_simulator/faults` lists them, `GET /_simulator/stats`
counts requests). A fault fires for the next `count` requests of its route ("submit",
"result", "download", "balance", "bill" or "any"; "any" means the first three: the app reads
the balance on its own schedule and must not eat faults meant for its jobs).

Money: `SimulatorConfig(balance_units=...)` or `sim.account.set_balance(units)`, or over
HTTP `POST /_simulator/config` with `{"balance": "500000"}` (units of 0.0001 USD, as Novita
writes them); `GET /_simulator/config` shows the balance and what was charged.

    rate_limit    429 RATE_LIMIT_EXCEEDED with Retry-After: `retry_after` s (no task made)
    server_error  500 CREATE_TASK_FAILED / GET_RESULT_FAILED (no task made)
    reset         TCP reset instead of an answer; on submit after the task was made
    slow          waits `delay` s before answering
    nonsense      200 with an HTML page (on submit before a task is made)
    truncate      download: half the promised bytes, then the connection closes
    fail_task     submit: the task is made and later FAILS with `reason`
    expire_links  result: links handed out live `ttl` s
    balance       submit: 400 BILLING_BALANCE_NOT_ENOUGH (whatever the pretend balance is)
    odd_bills     bill: a bill list that went strange, `style` one of billing.BILL_STYLES:
                  unknown_fields, extra_fields, no_bills, null_bills, not_a_list,
                  wrong_types, empty

  Hostile modes (a server that misbehaves; on submit the task is made first, so the
  worst case is tested: a paid task whose answer is unusable):

    trickle       the answer (headers and body) goes out `chunk` bytes every `interval` s
    endless       200 with a body that never ends; `size` > 0 announces that Content-Length
                  (0: no length, the connection closes "at the end"); video or JSON-looking
    gzip_bomb     200 with Content-Encoding: gzip whose body inflates to `size` bytes
                  (default 2 GiB, about 2 MB sent): zeros after an MP4 header on a
                  download, a valid JSON object padded with spaces elsewhere
    huge_json     200 with a valid JSON answer padded to `size` bytes (default 400 MB)
    nested_json   200 with the answer's object holding `size` nested lists (default 100 000)
    garbage       submit/result/balance/bill: 200 with `style` one of truncated (half the real answer),
                  not_json, empty, no_task_id, wrong_type
    huge_task_id  submit: 200 {"task_id": <the real id padded to `size` characters>}
                  (default 10 MB; 257 is enough to be refused)
    absurd_numbers result (while queued or processing): eta 1e308 and progress_percent 1e12.
    echo_key      submit/result: 400 INVALID_REQUEST_BODY whose message (and metadata)
                  repeat the key from the Authorization header (before a task is made)
"""

from __future__ import annotations

import contextlib
import copy
import functools
import hashlib
import hmac
import json
import logging
import math
import random
import re
import secrets
import shutil
import socket
import socketserver
import struct
import sys
import tempfile
import threading
import time
import urllib.request
import uuid
import zlib
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

from .billing import BILL_STYLES, DEFAULT_BALANCE_UNITS, PRODUCT_CATEGORIES, Account, odd_bills, parse_units
from .billing import CYCLES as BILL_CYCLES
from .contract import (
    BODY_MAX_BYTES,
    ENDPOINT,
    IMAGE_FILE_EXCEEDS_MAX_SIZE,
    IMAGE_MAX_BYTES,
    SEED_MAX,
    Refusal,
    Submission,
    check,
    decode_data_uri,
    is_web_url,
)

log = logging.getLogger(__name__)

RESULT_PATH = "/v3/async/task-result"
BALANCE_PATH = "/openapi/v1/billing/balance/detail"
BILL_PATH = "/openapi/v1/billing/bill/list"
TASK_TYPE = "VIDU_Q3_TURBO_I2V"
MAX_BODY_BYTES = BODY_MAX_BYTES  # newer Vidu pages cap the whole HTTP body at 20 MB
FETCH_TIMEOUT_S = 10.0
CHUNK = 256 * 1024

QUEUED, PROCESSING = "TASK_STATUS_QUEUED", "TASK_STATUS_PROCESSING"
SUCCEED, FAILED = "TASK_STATUS_SUCCEED", "TASK_STATUS_FAILED"

Renderer = Callable[..., Any]  # render_video's signature (simulator/video.py)


@dataclass
class SimulatorConfig:
    api_key: str | None = None  # None: accept any non-empty key
    queued_s: float = 1.0  # time in QUEUED
    processing_s: float = 4.0  # time in PROCESSING (eta / progress_percent move over it)
    fast_video: bool = True  # passed to the video maker
    link_ttl_s: int = 3600  # video_url_ttl
    video_dir: Path | None = None  # where rendered videos go (temp dir if None)
    renderer: Renderer | None = None  # stands in for video.render_video (tests)
    # The pretend balance at start, in units of 0.0001 USD (the command line's default for
    # the demo is $50); accepted jobs draw it down.
    balance_units: int = DEFAULT_BALANCE_UNITS


# ---------------------------------------------------------------------------- faults

ROUTES = ("submit", "result", "download", "balance", "bill")
_ANY_ROUTES = ("submit", "result", "download")  # what route "any" covers
FAULT_KINDS = ("rate_limit", "server_error", "reset", "slow", "nonsense", "truncate",
               "fail_task", "expire_links", "balance",
               # hostile modes
               "trickle", "endless", "gzip_bomb", "huge_json", "nested_json", "garbage",
               "huge_task_id", "echo_key", "odd_bills", "absurd_numbers")
# Kinds that only make sense on some routes.
_ONLY_ROUTES = {"truncate": ("download",), "fail_task": ("submit",), "expire_links": ("result",),
                "absurd_numbers": ("result",),
                "balance": ("submit",), "garbage": ("submit", "result", "balance", "bill"),
                "huge_task_id": ("submit",), "echo_key": ("submit", "result"),
                "odd_bills": ("bill",)}
_SERVER_ERROR_REASONS = {"submit": "CREATE_TASK_FAILED", "result": "GET_RESULT_FAILED"}
GARBAGE_STYLES = ("truncated", "not_json", "empty", "no_task_id", "wrong_type")
_STYLES = {"garbage": GARBAGE_STYLES, "odd_bills": BILL_STYLES}  # the first is the default
# Hostile answers that replace a route's normal 200 answer.
_HOSTILE_ANSWERS = frozenset({"endless", "gzip_bomb", "huge_json", "nested_json", "garbage",
                              "huge_task_id"})
_DEFAULT_SIZE = {"gzip_bomb": 2 * 1024**3, "huge_json": 400_000_000, "huge_task_id": 10_000_000,
                 "nested_json": 100_000}


@dataclass
class Fault:
    kind: str
    route: str = "any"  # "submit", "result", "download" or "any"
    count: int = 1  # fires for the next `count` matching requests
    retry_after: int = 1  # rate_limit: Retry-After seconds
    delay: float = 1.0  # slow: seconds before answering
    reason: str = "content moderation failed"  # fail_task
    ttl: int = 0  # expire_links: video_url_ttl of links handed out
    size: int = 0  # endless, gzip_bomb, huge_json, huge_task_id, nested_json (0: the default)
    chunk: int = 1  # trickle: bytes per write
    interval: float = 1.0  # trickle: seconds between writes
    style: str = ""  # garbage: one of GARBAGE_STYLES; odd_bills: of BILL_STYLES ("": the first)

    def amount(self) -> int:
        """`size`, or this kind's default when it is 0."""
        return self.size or _DEFAULT_SIZE.get(self.kind, 0)

    def chosen_style(self) -> str:
        """`style`, or this kind's default when it is ""."""
        return self.style or _STYLES.get(self.kind, ("",))[0]


class Faults:
    """Pending faults, consumed by matching requests; safe to change from any thread."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._pending: list[Fault] = []

    def add(self, kind: str, route: str = "any", count: int = 1, **params: Any) -> Fault:
        fault = Fault(kind, route, count, **params)  # unknown parameter names: TypeError
        if kind not in FAULT_KINDS:
            raise ValueError(f"unknown fault kind {kind!r}; known: {', '.join(FAULT_KINDS)}")
        if route not in (*ROUTES, "any"):
            raise ValueError(f"unknown route {route!r}; known: {', '.join(ROUTES)}, any")
        if route != "any" and route not in _ONLY_ROUTES.get(kind, (route,)):
            raise ValueError(f"fault {kind!r} only applies to route "
                             f"{' or '.join(map(repr, _ONLY_ROUTES[kind]))}")
        for name, low in (("count", 1), ("retry_after", 0), ("ttl", 0), ("size", 0), ("chunk", 1)):
            value = getattr(fault, name)
            if not isinstance(value, int) or isinstance(value, bool) or value < low:
                raise ValueError(f"{name} must be a whole number of at least {low}")
        for name in ("delay", "interval"):
            seconds: object = getattr(fault, name)  # whatever the caller passed
            if not isinstance(seconds, (int, float)) or isinstance(seconds, bool) or seconds < 0:
                raise ValueError(f"{name} must be a number of seconds")
        if not isinstance(fault.reason, str):
            raise ValueError("reason must be text")
        styles = _STYLES.get(kind, GARBAGE_STYLES)
        style: object = fault.style  # whatever the caller passed
        if not isinstance(style, str) or (style and style not in styles):
            raise ValueError(f"style must be one of {', '.join(styles)}")
        with self._lock:
            self._pending.append(fault)
        return copy.copy(fault)

    def clear(self) -> None:
        with self._lock:
            self._pending.clear()

    def pending(self) -> list[Fault]:
        with self._lock:
            return [copy.copy(f) for f in self._pending]

    def take(self, route: str, kinds: set[str] | frozenset[str]) -> Fault | None:
        """Consume one firing of the oldest pending fault of `kinds` that targets `route`."""
        with self._lock:
            for fault in self._pending:
                if fault.kind in kinds and (fault.route == route or
                                            (fault.route == "any" and route in _ANY_ROUTES)):
                    fault.count -= 1
                    if fault.count <= 0:
                        self._pending.remove(fault)
                    return copy.copy(fault)
        return None


@dataclass
class Stats:
    """What reached the server. Every attempt counts, including refused or faulted ones."""

    submissions: int = 0
    polls: dict[str, int] = field(default_factory=dict)
    downloads: int = 0
    balance_reads: int = 0  # GET BALANCE_PATH
    bill_reads: int = 0  # GET BILL_PATH
    requests: list[tuple[str, str, int]] = field(default_factory=list)  # status 0: reset
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False, compare=False)

    def count(self, what: str, task_id: str = "") -> None:
        with self._lock:
            if what == "poll":
                self.polls[task_id] = self.polls.get(task_id, 0) + 1
            else:
                setattr(self, what, getattr(self, what) + 1)

    def record(self, method: str, path: str, status: int) -> None:
        with self._lock:
            self.requests.append((method, path, status))

    def to_json(self) -> dict[str, Any]:
        with self._lock:
            return {"submissions": self.submissions, "polls": dict(self.polls),
                    "downloads": self.downloads, "balance_reads": self.balance_reads,
                    "bill_reads": self.bill_reads, "requests": [list(r) for r in self.requests]}


# ----------------------------------------------------------------------------- tasks


@dataclass
class _Task:
    id: str
    request: Submission = field(default_factory=Submission)
    seed: int = 1
    started: float = 0.0  # time.monotonic() at submission: drives the clock
    submitted_ms: int = 0  # wall clock, for debug_info
    fail_reason: str = ""  # set by a fail_task fault
    render_state: str = "pending"  # pending | done | failed
    rendered_ms: int = 0
    video: Path | None = None


class Simulator:
    def __init__(self, config: SimulatorConfig | None = None, host: str = "127.0.0.1",
                 port: int = 0) -> None:
        self.config = config or SimulatorConfig()
        self.host, self.port = host, port
        self.base_url = ""
        self.faults = Faults()
        self.stats = Stats()
        self.account = Account(self.config.balance_units)  # the pretend money
        self.last_payload: dict[str, Any] | None = None  # the last submitted JSON object
        self._secret = secrets.token_bytes(32)
        self._tasks: dict[str, _Task] = {}
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None
        self._executor: ThreadPoolExecutor | None = None
        self._temp_dir: Path | None = None
        self.video_dir = self.config.video_dir

    # -- lifecycle

    def start(self) -> Simulator:
        if self._server:
            return self
        self._stopping.clear()
        if self.video_dir is None:
            self._temp_dir = Path(tempfile.mkdtemp(prefix="vidu-simulator-"))
            self.video_dir = self._temp_dir
        self.video_dir.mkdir(parents=True, exist_ok=True)
        handler = type("Handler", (_Handler,), {"sim": self})
        self._server = _Server((self.host, self.port), handler)
        host, port = _host_port(self._server.server_address)
        shown = "127.0.0.1" if host in ("0.0.0.0", "") else host
        self.port, self.base_url = port, f"http://{shown}:{port}"
        # Bounded: rendering is CPU-heavy (ffmpeg) and a demo may submit many jobs.
        self._executor = ThreadPoolExecutor(max_workers=2, thread_name_prefix="vidu-sim-render")
        self._thread = threading.Thread(target=self._server.serve_forever, args=(0.1,),
                                        name="vidu-simulator", daemon=True)
        self._thread.start()
        log.info("Vidu simulator listening on %s", self.base_url)
        return self

    def stop(self) -> None:
        server, self._server = self._server, None
        if server is None:
            return
        self._stopping.set()
        server.shutdown()
        server.close_connections()  # idle keep-alive connections would otherwise linger
        server.server_close()
        if self._thread:
            self._thread.join(timeout=5)
        if self._executor:
            self._executor.shutdown(wait=False, cancel_futures=True)
        if self._temp_dir:
            shutil.rmtree(self._temp_dir, ignore_errors=True)

    def __enter__(self) -> Simulator:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def task_ids(self) -> list[str]:
        with self._lock:
            return list(self._tasks)

    def task(self, task_id: str) -> _Task | None:
        with self._lock:
            return self._tasks.get(task_id)

    # -- tasks

    def config_json(self) -> dict[str, Any]:
        """What GET /_simulator/config answers: the pretend money."""
        return {"balance": str(self.account.balance), "charged": str(self.account.charged()),
                "charges": len(self.account.charges()), "pretend": True}

    def _create_task(self, request: Submission) -> _Task | None:
        """Make a task, if the pretend balance covers its price (which it then pays); None
        (no task, nothing charged) when it does not."""
        task_id = str(uuid.uuid4())
        if self.account.try_charge(request, task_id) is None:
            return None
        fault = self.faults.take("submit", {"fail_task"})
        seed = request.seed or random.randint(1, SEED_MAX)
        task = _Task(task_id, request, seed, time.monotonic(), _now_ms(),
                     fail_reason=fault.reason if fault else "")
        with self._lock:
            self._tasks[task.id] = task
        if not task.fail_reason and self._executor:  # a doomed task needs no video
            self._executor.submit(self._render, task)
        return task

    def _render(self, task: _Task) -> None:
        request = task.request
        destination = self.video_dir / f"{task.id}.mp4"  # type: ignore[operator]
        try:
            renderer = self.config.renderer
            extra: dict[str, Any] = {}
            if renderer is None:
                from .video import render_video  # lazy: keeps Qt out of this process

                renderer = render_video
                extra["cancel"] = self._stopping  # a stopped simulator leaves no child behind
            renderer(_image_bytes(request.images[0]), destination,
                     duration_s=request.duration, height=request.height,
                     audio=request.audio, fast=self.config.fast_video, **extra)
            if not destination.is_file():
                raise RuntimeError("the renderer wrote no file")
            task.video = destination
            task.rendered_ms = _now_ms()
            task.render_state = "done"
        except Exception:
            if not self._stopping.is_set():
                log.warning("Rendering task %s failed", task.id, exc_info=True)
            task.render_state = "failed"
            task.rendered_ms = _now_ms()

    def _progress(self, task: _Task) -> tuple[str, str, int, int]:
        """(status, reason, eta seconds, percent) now; SUCCEED needs the clock AND the video."""
        queued, processing = self.config.queued_s, self.config.processing_s
        elapsed = time.monotonic() - task.started
        remaining = queued + processing - elapsed
        if elapsed < queued:
            return QUEUED, "", math.ceil(remaining), 0
        if remaining <= 0:
            if task.fail_reason:
                return FAILED, task.fail_reason, 0, 0
            if task.render_state == "failed":
                return FAILED, "video rendering failed", 0, 0
            if task.render_state == "done":
                return SUCCEED, "", 0, 100
        fraction = (elapsed - queued) / processing if processing > 0 else 1.0
        # Stays below 100 (and eta above 0) while the video is still rendering.
        return PROCESSING, "", max(1, math.ceil(remaining)), min(99, int(100 * fraction))

    def _result(self, task: _Task, link_base: str) -> dict[str, Any]:
        status, reason, eta, percent = self._progress(task)
        eta_sent: object = eta
        percent_sent: object = percent
        if status in (QUEUED, PROCESSING) and self.faults.take("result", {"absurd_numbers"}):
            eta_sent, percent_sent = 1e308, 1e12  # what a broken server once answered
        total_ms = int((self.config.queued_s + self.config.processing_s) * 1000)
        executed = task.submitted_ms + int(self.config.queued_s * 1000) if status != QUEUED else 0
        completed = (max(task.submitted_ms + total_ms, task.rendered_ms)
                     if status in (SUCCEED, FAILED) else 0)
        videos = []
        if status == SUCCEED:
            fault = self.faults.take("result", {"expire_links"})
            ttl = fault.ttl if fault else self.config.link_ttl_s
            videos.append({"video_url": self._signed_url(link_base, task.id, ttl),
                           "video_url_ttl": str(ttl), "video_type": "mp4"})
        return {
            "extra": {
                "seed": str(task.seed),
                # Numeric strings even before they happen: Novita's SDK fails on "".
                "debug_info": {"request_info": "", "submit_time_ms": str(task.submitted_ms),
                               "execute_time_ms": str(executed),
                               "complete_time_ms": str(completed)},
            },
            "task": {"task_id": task.id, "status": status, "reason": reason,
                     "task_type": TASK_TYPE, "eta": eta_sent, "progress_percent": percent_sent},
            "images": [],
            "videos": videos,
            "audios": [],
        }

    # -- signed links

    def _signature(self, task_id: str, expires: int) -> str:
        return hmac.new(self._secret, f"{task_id}:{expires}".encode(), hashlib.sha256).hexdigest()

    def _signed_url(self, base: str, task_id: str, ttl: int) -> str:
        expires = int(time.time()) + ttl
        return (f"{base}/videos/{task_id}.mp4?expires={expires}"
                f"&signature={self._signature(task_id, expires)}")

    def _link_problem(self, task_id: str, expires: str, signature: str) -> str:
        if not expires.isdigit() or not hmac.compare_digest(
                signature.encode(), self._signature(task_id, int(expires)).encode()):
            return "Bad signature."
        if time.time() >= int(expires):
            return "This link has expired; ask the Task Result API for a fresh one."
        return ""


def _now_ms() -> int:
    return int(time.time() * 1000)


def _host_port(address: Any) -> tuple[str, int]:
    host = address[0]
    return (host.decode() if isinstance(host, bytes) else str(host)), int(address[1])


def _image_bytes(image: str) -> bytes:
    """The picture to animate: a data URI decoded, a URL fetched, else a placeholder."""
    data = decode_data_uri(image)
    if data is not None:
        return data
    if is_web_url(image):
        try:
            return _fetch(image)
        except Exception as error:  # noqa: BLE001 - any failure: the demo goes on with a stand-in picture
            log.info("Could not fetch %s (%s); using a placeholder picture", image[:200], error)
    return placeholder_png()


def _fetch(url: str) -> bytes:
    """Fetch with a deadline on the whole thing: urlopen's timeout does not cover name lookup,
    which on a machine without network can hang for minutes (and hold up interpreter exit)."""
    fetched: list[bytes] = []
    errors: list[BaseException] = []

    def run() -> None:
        try:
            with urllib.request.urlopen(url, timeout=FETCH_TIMEOUT_S) as answer:
                fetched.append(answer.read(IMAGE_MAX_BYTES + 1))
        except Exception as error:  # noqa: BLE001 - reported to the caller below
            errors.append(error)

    worker = threading.Thread(target=run, name="vidu-sim-fetch", daemon=True)
    worker.start()
    worker.join(FETCH_TIMEOUT_S)
    if fetched:
        return fetched[0]
    raise errors[0] if errors else TimeoutError(f"no answer within {FETCH_TIMEOUT_S} s")


def placeholder_png(width: int = 320, height: int = 180) -> bytes:
    """A diagonal colour gradient as a PNG, made with the stdlib alone."""
    rows = bytearray()
    for y in range(height):
        rows.append(0)  # filter: none
        for x in range(width):
            rows += bytes((40 + 180 * x // width, 60 + 140 * y // height, 170))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header)
            + chunk(b"IDAT", zlib.compress(bytes(rows))) + chunk(b"IEND", b""))


_MP4_START = b"\0\0\0\x18ftypmp42\0\0\0\0mp42isom"  # what a video's first bytes look like


def _gzip(data: bytes) -> bytes:
    compressor = zlib.compressobj(9, zlib.DEFLATED, 31)  # wbits 31: a gzip member
    return compressor.compress(data) + compressor.flush()


@functools.lru_cache(maxsize=4)
def _gzip_filler(byte: bytes, size: int) -> bytes:
    """`size` copies of `byte`, gzipped (2 GiB take a few seconds once, then are cached)."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, 31)
    block = byte * (1024 * 1024)
    parts = []
    for _ in range(size // len(block)):
        parts.append(compressor.compress(block))
    parts.append(compressor.compress(byte * (size % len(block))))
    parts.append(compressor.flush())
    return b"".join(parts)


class _Trickle:
    """A connection's writer that sends `chunk` bytes every `interval` seconds."""

    def __init__(self, writer: Any, chunk: int, interval: float, stopping: threading.Event) -> None:
        self.writer, self.chunk, self.interval, self.stopping = writer, chunk, interval, stopping
        self.started = False

    def write(self, data: bytes) -> int:
        view = memoryview(data)
        for start in range(0, len(view), self.chunk):
            if self.started and self.stopping.wait(self.interval):
                raise ConnectionAbortedError("the simulator is stopping")
            self.started = True
            self.writer.write(view[start:start + self.chunk])
        return len(data)

    def flush(self) -> None:
        self.writer.flush()


# ------------------------------------------------------------------------------ HTTP


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 64

    def __init__(self, address: tuple[str, int], handler: type[BaseHTTPRequestHandler]) -> None:
        self.connections: set[socket.socket] = set()
        self.connections_lock = threading.Lock()
        super().__init__(address, handler)

    def server_bind(self) -> None:
        # HTTPServer.server_bind calls getfqdn(), a reverse DNS lookup that can stall for seconds.
        socketserver.TCPServer.server_bind(self)
        self.server_name, self.server_port = _host_port(self.server_address)

    def process_request(self, request: Any, client_address: Any) -> None:
        with self.connections_lock:
            self.connections.add(request)
        super().process_request(request, client_address)

    def shutdown_request(self, request: Any) -> None:
        with self.connections_lock:
            self.connections.discard(request)
        super().shutdown_request(request)

    def close_connections(self) -> None:
        with self.connections_lock:
            open_now = list(self.connections)
        for connection in open_now:
            with contextlib.suppress(OSError):
                connection.shutdown(socket.SHUT_RDWR)

    def handle_error(self, request: Any, client_address: Any) -> None:
        # Clients hanging up mid-answer are normal here (timeouts, cancelled downloads).
        # socketserver calls this from inside its `except`, so there is an exception to log.
        log.debug("Connection from %s ended with an error", client_address,
                  exc_info=True)  # noqa: LOG014


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive; every answer carries Content-Length
    server_version = "ViduSimulator/1.0"
    timeout = 120  # idle keep-alive connections are dropped eventually
    sim: Simulator

    def log_message(self, format: str, *args: Any) -> None:
        log.debug("%s %s", self.address_string(), format % args)

    def do_GET(self) -> None:
        self._dispatch("GET")

    def do_HEAD(self) -> None:  # some download managers ask for the size first
        self._dispatch("HEAD")

    def do_POST(self) -> None:
        self._dispatch("POST")

    def do_PUT(self) -> None:
        self._dispatch("PUT")

    def do_DELETE(self) -> None:
        self._dispatch("DELETE")

    def _dispatch(self, method: str) -> None:
        url = urlsplit(self.path)
        path, query = url.path, parse_qs(url.query)
        self._request_line = (method, path)
        self._head = method == "HEAD"
        self._recorded = path.startswith("/_simulator/")  # control traffic stays out of stats
        if self._recorded:
            self._control(method, path)
            return
        route = ("submit" if method == "POST" and path == ENDPOINT
                 else "result" if method == "GET" and path == RESULT_PATH
                 else "balance" if method == "GET" and path == BALANCE_PATH
                 else "bill" if method == "GET" and path == BILL_PATH
                 else "download" if path.startswith("/videos/") else "")
        trickle = self.sim.faults.take(route, {"trickle"}) if route else None
        plain_writer = self.wfile
        if trickle:
            self.wfile = _Trickle(plain_writer, trickle.chunk, trickle.interval,  # type: ignore[assignment]
                                  self.sim._stopping)
            self.close_connection = True
        try:
            if method == "POST" and path == ENDPOINT:
                self._submit()
            elif method == "GET" and path == RESULT_PATH:
                self._task_result(query)
            elif method in ("GET", "HEAD") and path.startswith("/videos/"):
                self._download(path, query)
            elif method == "GET" and path == BALANCE_PATH:
                self._balance()
            elif method == "GET" and path == BILL_PATH:
                self._bills(query)
            else:
                self._read_body()
                self._error(404, "API_NOT_FOUND", f"There is no API at {method} {path}.")
        finally:
            self.wfile = plain_writer
            if not self._recorded:  # ended without an answer (e.g. the client hung up)
                self._record(0)

    def _record(self, status: int) -> None:
        """Recorded before the answer goes out, so a client that has it also sees it in stats."""
        if not self._recorded:
            self._recorded = True
            self.sim.stats.record(*self._request_line, status)

    # -- answers

    def _send(self, status: int, body: bytes, content_type: str,
              headers: tuple[tuple[str, str], ...] = ()) -> None:
        self._record(status)
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for name, value in headers:
            self.send_header(name, value)
        self.end_headers()
        if not self._head:
            self.wfile.write(body)

    def _json(self, status: int, value: Any, headers: tuple[tuple[str, str], ...] = ()) -> None:
        self._send(status, json.dumps(value).encode(), "application/json", headers)

    def _error(self, status: int, reason: str, message: str,
               headers: tuple[tuple[str, str], ...] = ()) -> None:
        self._json(status, {"code": status, "reason": reason, "message": message,
                            "metadata": {}}, headers)

    def _text(self, status: int, message: str, headers: tuple[tuple[str, str], ...] = ()) -> None:
        self._send(status, message.encode(), "text/plain; charset=utf-8", headers)

    def _reset(self) -> None:
        """Drop the connection with a TCP reset instead of an answer."""
        self._record(0)
        self.close_connection = True
        linger = struct.pack("hh" if sys.platform == "win32" else "ii", 1, 0)
        with contextlib.suppress(OSError):
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, linger)
            # detach(): close the descriptor now, although rfile/wfile still refer to it.
            socket.close(self.connection.detach())

    def _read_body(self) -> bytes | None:
        """The request body; None (after draining it) when it is over the size limit."""
        try:
            length = max(0, int(self.headers.get("Content-Length") or 0))
        except ValueError:
            length = 0
        if length <= MAX_BODY_BYTES:
            return self.rfile.read(length)
        while length > 0:  # drain, so the client reads the answer instead of a reset
            data = self.rfile.read(min(CHUNK, length))
            if not data:
                break
            length -= len(data)
        return None

    # -- faults

    def _slow(self, route: str) -> None:
        fault = self.sim.faults.take(route, {"slow"})
        if fault:
            self.sim._stopping.wait(fault.delay)

    def _fault_answered(self, route: str, kinds: set[str]) -> bool:
        fault = self.sim.faults.take(route, kinds)
        if fault is None:
            return False
        if fault.kind == "rate_limit":
            self._error(429, "RATE_LIMIT_EXCEEDED", "Too many requests; slow down.",
                        (("Retry-After", str(fault.retry_after)),))
        elif fault.kind == "server_error":
            self._error(500, _SERVER_ERROR_REASONS.get(route, "INTERNAL_SERVER_ERROR"),
                        "Simulated server error.")
        elif fault.kind == "balance":
            self._error(400, "BILLING_BALANCE_NOT_ENOUGH", "Your balance is not enough.")
        elif fault.kind == "nonsense":
            self._send(200, b"<html><body><h1>502 Bad Gateway</h1></body></html>",
                       "text/html; charset=utf-8")
        elif fault.kind == "reset":
            self._reset()
        elif fault.kind == "echo_key":
            key = self.headers.get("Authorization", "").partition(" ")[2].strip()
            self._json(400, {"code": 400, "reason": "INVALID_REQUEST_BODY",
                             "message": f"The request made with the API key {key} was refused.",
                             "metadata": {"api_key": key}})
        return True

    def _hostile_answered(self, route: str, answer: dict[str, Any]) -> bool:
        """A hostile answer in place of `answer` (the JSON the route would send) when a fault
        of that kind is pending; a download passes an empty `answer`."""
        kinds = {k for k in _HOSTILE_ANSWERS if route in _ONLY_ROUTES.get(k, (route,))}
        fault = self.sim.faults.take(route, kinds)
        if fault is None:
            return False
        video = route == "download"
        size = fault.amount()
        if fault.kind == "endless":
            self._endless(video, fault.size)
        elif fault.kind == "gzip_bomb":
            self._gzip_bomb(video, answer, size)
        elif fault.kind == "huge_json":
            text = json.dumps({**answer, "padding": ""})
            self._stream(200, text[:-2].encode(), b"x", max(size - len(text), 0), b'"}',
                         "application/json")
        elif fault.kind == "nested_json":
            text = json.dumps({**answer, "padding": None})
            self._stream(200, text[:-5].encode() + b"[" * size, b"", 0, b"]" * size + b"}",
                         "application/json")
        elif fault.kind == "huge_task_id":
            task_id = str(answer.get("task_id", ""))
            self._stream(200, b'{"task_id": "' + task_id.encode(), b"x",
                         max(size - len(task_id), 0), b'"}', "application/json")
        elif fault.kind == "garbage":
            text = json.dumps(answer)
            body = {"truncated": text[: len(text) // 2], "not_json": "OK",
                    "empty": "", "no_task_id": '{"status": "ok"}',
                    "wrong_type": json.dumps(dict.fromkeys(answer, 12345))}[fault.chosen_style()]
            self._send(200, body.encode(), "application/json")
        return True

    def _stream(self, status: int, head: bytes, filler: bytes, count: int, tail: bytes,
                content_type: str, headers: tuple[tuple[str, str], ...] = ()) -> None:
        """head + filler * count + tail, with its Content-Length, written piece by piece."""
        self._record(status)
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(head) + len(filler) * count + len(tail)))
        for name, value in headers:
            self.send_header(name, value)
        self.end_headers()
        if self._head:
            return
        self.wfile.write(head)
        if filler:
            block = filler * (CHUNK // len(filler))
            per_block = len(block) // len(filler)
            while count > 0 and not self.sim._stopping.is_set():
                self.wfile.write(block if count >= per_block else filler * count)
                count -= per_block
        self.wfile.write(tail)

    def _endless(self, video: bool, announce: int) -> None:
        """A body that never ends (until the client hangs up or the simulator stops)."""
        self._record(200)
        self.send_response(200)
        self.send_header("Content-Type", "video/mp4" if video else "application/json")
        if announce:
            self.send_header("Content-Length", str(announce))
        self.send_header("Connection", "close")
        self.end_headers()
        self.close_connection = True
        if self._head:
            return
        self.wfile.write(_MP4_START if video else b'{"padding": "')
        block = (b"\0" if video else b"x") * CHUNK
        while not self.sim._stopping.is_set():
            self.wfile.write(block)

    def _gzip_bomb(self, video: bool, answer: dict[str, Any], size: int) -> None:
        if video:
            head, tail = _MP4_START, b""
        else:
            text = json.dumps({**answer, "padding": ""})
            head, tail = text[:-2].encode(), b'"}'
        # Gzip members in a row are one gzip stream: only the big middle one is cached.
        body = _gzip(head) + _gzip_filler(b"\0" if video else b" ", size) + _gzip(tail)
        self._send(200, body, "video/mp4" if video else "application/json",
                   (("Content-Encoding", "gzip"),))

    # -- routes

    def _authorized(self) -> bool:
        scheme, _, key = self.headers.get("Authorization", "").partition(" ")
        key = key.strip()
        if scheme.lower() != "bearer" or not key:
            self._error(400, "MISSING_API_KEY", "Send your API key as 'Authorization: Bearer <key>'.")
            return False
        expected = self.sim.config.api_key
        if expected is not None and not hmac.compare_digest(key.encode(), expected.encode()):
            self._error(403, "INVALID_API_KEY", "The API key is not valid.")
            return False
        return True

    def _submit(self) -> None:
        body = self._read_body()
        try:
            payload = json.loads(body) if body is not None else None
        except ValueError:
            payload = None
        if isinstance(payload, dict):
            self.sim.last_payload = payload
        self.sim.stats.count("submissions")  # after last_payload: whoever sees one sees both
        if body is None:
            self._error(400, IMAGE_FILE_EXCEEDS_MAX_SIZE,
                        f"The request body is larger than {MAX_BODY_BYTES // (1024 * 1024)} MB.")
            return
        self._slow("submit")
        if not self._authorized() or self._fault_answered(
                "submit", {"rate_limit", "server_error", "nonsense", "balance", "echo_key"}):
            return
        request = check(payload)
        if isinstance(request, Refusal):
            self._error(400, request.reason, request.message)
            return
        if re.search(r"\bforbidden\b", request.prompt, re.IGNORECASE):
            self._error(400, "ILLEGAL_PROMPT", "The prompt was refused by content moderation.")
            return
        task = self.sim._create_task(request)
        if task is None:
            self._error(400, "BILLING_BALANCE_NOT_ENOUGH",
                        "Your balance is not enough for this task. Top up and try again.")
            return
        # A reset here is the worst case for a client: the task exists, the answer is lost.
        if not self._hostile_answered("submit", {"task_id": task.id}) and \
                not self._fault_answered("submit", {"reset"}):
            self._json(200, {"task_id": task.id})

    def _task_result(self, query: dict[str, list[str]]) -> None:
        task_id = (query.get("task_id") or [""])[0]
        if task_id:
            self.sim.stats.count("poll", task_id)
        self._slow("result")
        if not self._authorized() or self._fault_answered(
                "result", {"rate_limit", "server_error", "nonsense", "reset", "echo_key"}):
            return
        if not task_id:
            self._error(400, "INVALID_REQUEST_BODY", "task_id is required.")
            return
        task = self.sim.task(task_id)
        if task is None:
            self._error(404, "TASK_NOT_FOUND", f"There is no task {task_id}.")
            return
        host = self.headers.get("Host")
        answer = self.sim._result(task, f"http://{host}" if host else self.sim.base_url)
        if not self._hostile_answered("result", answer):
            self._json(200, answer)

    def _balance(self) -> None:
        self.sim.stats.count("balance_reads")
        self._slow("balance")
        if not self._authorized() or self._fault_answered(
                "balance", {"rate_limit", "server_error", "nonsense", "reset"}):
            return
        answer = self.sim.account.detail()
        if not self._hostile_answered("balance", answer):
            self._json(200, answer)

    def _bills(self, query: dict[str, list[str]]) -> None:
        self.sim.stats.count("bill_reads")
        self._slow("bill")
        if not self._authorized() or self._fault_answered(
                "bill", {"rate_limit", "server_error", "nonsense", "reset"}):
            return
        cycle = (query.get("cycleType") or [""])[0]
        category = (query.get("productCategory") or [""])[0]
        times = [(query.get(name) or ["0"])[0] or "0" for name in ("startTime", "endTime")]
        if cycle not in BILL_CYCLES or category not in PRODUCT_CATEGORIES:
            self._error(400, "INVALID_REQUEST_BODY",
                        f"cycleType must be one of {', '.join(BILL_CYCLES)} and productCategory "
                        f"one of {', '.join(PRODUCT_CATEGORIES)}.")
            return
        if not all(t.isascii() and t.isdigit() and len(t) <= 12 for t in times):
            self._error(400, "INVALID_REQUEST_BODY", "startTime and endTime are Unix seconds.")
            return
        lines = self.sim.account.bills(cycle, category, int(times[0]), int(times[1]))
        odd = self.sim.faults.take("bill", {"odd_bills"})
        answer = odd_bills(odd.chosen_style(), lines) if odd else {"bills": lines}
        if not self._hostile_answered("bill", answer):
            self._json(200, answer)

    def _download(self, path: str, query: dict[str, list[str]]) -> None:
        if not self._head:
            self.sim.stats.count("downloads")
        self._slow("download")
        if self._fault_answered("download", {"rate_limit", "server_error", "nonsense", "reset"}):
            return
        match = re.fullmatch(r"/videos/([\w-]+)\.mp4", path)
        task_id = match[1] if match else ""
        problem = self.sim._link_problem(task_id, (query.get("expires") or [""])[0],
                                         (query.get("signature") or [""])[0])
        if problem:
            self._text(403, problem)
            return
        task = self.sim.task(task_id)
        video = task.video if task else None
        if video is None or not video.is_file():
            self._text(404, "No such video.")
            return
        if not self._hostile_answered("download", {}):
            self._send_file(video)

    def _send_file(self, video: Path) -> None:
        size = video.stat().st_size
        start, end, status = 0, size - 1, 200
        match = re.fullmatch(r"bytes=(\d*)-(\d*)", self.headers.get("Range", "").strip())
        if match and (match[1] or match[2]):
            if match[1]:
                start = int(match[1])
                end = min(int(match[2]), size - 1) if match[2] else size - 1
            else:  # suffix: the last N bytes
                start = max(0, size - int(match[2]))
            if start >= size or start > end:
                self._text(416, "Range not satisfiable.", (("Content-Range", f"bytes */{size}"),))
                return
            status = 206
        length = end - start + 1
        truncate = None if self._head else self.sim.faults.take("download", {"truncate"})
        self._record(status)
        self.send_response(status)
        self.send_header("Content-Type", "video/mp4")
        self.send_header("Content-Length", str(length))
        self.send_header("Accept-Ranges", "bytes")
        if status == 206:
            self.send_header("Content-Range", f"bytes {start}-{end}/{size}")
        self.end_headers()
        remaining = 0 if self._head else length // 2 if truncate else length
        with video.open("rb") as source:  # streamed: videos can be large
            source.seek(start)
            while remaining > 0:
                data = source.read(min(CHUNK, remaining))
                if not data:
                    break
                self.wfile.write(data)
                remaining -= len(data)
        if truncate:
            self.close_connection = True  # the promised length never arrives

    # -- control (tests driving a simulator in another process)

    def _control(self, method: str, path: str) -> None:
        faults = self.sim.faults
        if method == "GET" and path == "/_simulator/stats":
            self._json(200, {**self.sim.stats.to_json(), "tasks": self.sim.task_ids()})
        elif method == "GET" and path == "/_simulator/faults":
            self._json(200, [asdict(f) for f in faults.pending()])
        elif method == "GET" and path == "/_simulator/config":
            self._json(200, self.sim.config_json())
        elif method == "POST" and path == "/_simulator/config":
            try:
                value = json.loads(self._read_body() or b"null")
                if not isinstance(value, dict) or set(value) - {"balance"}:
                    raise ValueError('send {"balance": "<units of 0.0001 USD>"}')
                if "balance" in value:
                    self.sim.account.set_balance(parse_units(value["balance"]))
            except ValueError as error:
                self._error(400, "INVALID_REQUEST_BODY", str(error))
                return
            self._json(200, self.sim.config_json())
        elif method == "POST" and path == "/_simulator/faults":
            try:
                value = json.loads(self._read_body() or b"null")
                if isinstance(value, dict) and value.get("clear"):
                    faults.clear()
                else:
                    for item in value if isinstance(value, list) else [value]:
                        if not isinstance(item, dict):
                            raise ValueError("each fault must be a JSON object")
                        faults.add(**item)
            except (TypeError, ValueError) as error:
                self._error(400, "INVALID_REQUEST_BODY", str(error))
                return
            self._json(200, [asdict(f) for f in faults.pending()])
        else:
            self._read_body()
            self._error(404, "API_NOT_FOUND", f"There is no API at {method} {path}.")
