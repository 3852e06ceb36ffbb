"""The Novita client: submit a Vidu Q3 Turbo i2v job, read its result, download the video.

Built on an injected requests.Session so connections are reused and tests talk to a real
server. Reads are retried with backoff (backoff.RetryPolicy); a submit never is (it costs
money). Everything the server sends is parsed once, here, into checked ranges (values.py).

Nothing the server does can hold the client without bound: every request has an overall
deadline (Timeouts) enforced by a watchdog that shuts its connection down, and every body is
read in pieces up to a limit (Limits): JSON answers 1 MB, error answers 64 KB, videos the
announced length or 1 GiB. A video is stored exactly as sent (never inflated).
"""

from __future__ import annotations

import contextlib
import errno
import functools
import ipaddress
import json
import logging
import os
import socket
import sys
import threading
import time
from collections import deque
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

if TYPE_CHECKING:
    import requests
    import requests.adapters
# requests (and urllib3) cost ~60 ms to import: loaded by the first client, in a worker,
# not on the window's start-up path.

from . import errors, values
from .backoff import READS, RetryPolicy
from .links import VideoLink
from .pricing import Balance, BillEntry
from .redact import MASK
from .request import ENDPOINT, VideoSettings

log = logging.getLogger(__name__)

DEFAULT_BASE_URL = "https://api.novita.ai"
BASE_URL_ENV = "NOVITA_API_BASE_URL"
TASK_RESULT_PATH = "/v3/async/task-result"
BALANCE_PATH = "/openapi/v1/billing/balance/detail"
BILL_LIST_PATH = "/openapi/v1/billing/bill/list"
MAX_BILL_ENTRIES = 10_000  # more lines than a month of hourly bills for every product
CHUNK_BYTES = 1024 * 1024  # one read of a video download
READ_PIECE_BYTES = 64 * 1024  # one read of a JSON or error answer
GIB = 1024**3
MAX_VIDEO_BYTES = GIB  # a download with no announced size stops here; a bigger announced one is refused
MAX_JSON_BYTES = 1_000_000  # a task result, a submit's answer, the balance
MAX_ERROR_BYTES = 64 * 1024  # the body of an error answer


def resolve_base_url(setting: str | None = None, environ: Mapping[str, str] | None = None) -> str:
    """The environment beats the setting beats the default; plain http only on loopback."""
    env: Mapping[str, str] = os.environ if environ is None else environ
    url = (env.get(BASE_URL_ENV) or setting or DEFAULT_BASE_URL).strip().rstrip("/")
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError(f"Not a web address: {url!r}")
    if parts.scheme == "http" and not is_loopback(parts.hostname):
        raise ValueError(f"Refusing plain http:// to {parts.hostname}: the API key would travel "
                         "unencrypted. Use https://.")
    return url


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def valid_api_key(key: str) -> bool:
    """Printable ASCII without spaces: anything else cannot travel in an HTTP header
    (and a pasted line break would otherwise end up in an error message)."""
    return bool(key) and all(0x21 <= ord(c) <= 0x7E for c in key)


class TaskStatus(StrEnum):
    QUEUED = "TASK_STATUS_QUEUED"
    PROCESSING = "TASK_STATUS_PROCESSING"
    SUCCEED = "TASK_STATUS_SUCCEED"
    FAILED = "TASK_STATUS_FAILED"
    UNKNOWN = "unknown"  # anything else: keep polling

    @property
    def finished(self) -> bool:
        return self in (TaskStatus.SUCCEED, TaskStatus.FAILED)


@dataclass(frozen=True)
class TaskResult:
    task_id: str
    status: TaskStatus
    reason: str = ""
    eta_s: float | None = None
    progress_percent: float | None = None
    seed: int | None = None
    videos: tuple[VideoLink, ...] = ()


@dataclass(frozen=True)
class Timeouts:
    """How long the client waits. `read_s` is requests' own timeout: the longest silence
    between two bytes, which a server trickling one byte at a time never reaches; so every
    request also has an overall deadline, enforced by a watchdog that shuts the connection
    down (see _Watchdog): a submit gets submit_s(body size), a read poll_s, and a download
    as long as it moves at download_min_bytes_per_s or faster (measured over
    download_window_s; slower: DownloadStalled, resumed later with Range)."""

    connect_s: float = 10.0
    read_s: float = 60.0
    poll_s: float = 30.0  # task result and balance: the whole answer
    submit_base_s: float = 30.0  # submit: this, plus the body at submit_bytes_per_s, ...
    submit_bytes_per_s: float = 50_000.0
    submit_max_s: float = 600.0  # ... but never longer than this
    download_min_bytes_per_s: float = 20_000.0
    download_window_s: float = 30.0

    def pair(self) -> tuple[float, float]:
        return (self.connect_s, self.read_s)

    def submit_s(self, body_bytes: int) -> float:
        """The overall deadline of a submit whose body is `body_bytes` long."""
        scaled = self.submit_base_s + max(body_bytes, 0) / max(self.submit_bytes_per_s, 1.0)
        return min(scaled, self.submit_max_s)


@dataclass(frozen=True)
class Limits:
    """How much the client reads from the server, at most (tests inject small ones)."""

    json_bytes: int = MAX_JSON_BYTES
    error_bytes: int = MAX_ERROR_BYTES
    video_bytes: int = MAX_VIDEO_BYTES


class NovitaClient:
    def __init__(self, api_key: str, *, base_url: str | None = None,
                 session: requests.Session | None = None, timeouts: Timeouts = Timeouts(),
                 retry: RetryPolicy | None = None, limits: Limits = Limits(),
                 should_stop: Callable[[], bool] | None = None) -> None:
        """`should_stop`, when given, is asked a few times a second during every request:
        once it says True the request is ended (Cancelled; a submit: SubmissionUncertain)."""
        if api_key and not valid_api_key(api_key):  # an empty one is for the server to refuse
            raise errors.AuthError(0, "INVALID_API_KEY", "the key has spaces or unusual characters")
        import requests

        self._api_key = api_key
        self.base_url = resolve_base_url(base_url)
        self.session = session or requests.Session()
        adapter = _watched_adapter()
        for prefix in ("https://", "http://"):
            self.session.mount(prefix, adapter)
        self.timeouts = timeouts
        self.retry = retry or READS
        self.limits = limits
        self.should_stop = should_stop

    def __repr__(self) -> str:  # never the key
        return f"NovitaClient(base_url={self.base_url!r})"

    def _headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self._api_key}", "Content-Type": "application/json",
                "Accept": "application/json"}

    def _clean(self, words: str) -> str:
        """Server words with this client's own key masked at the source (a server may echo it
        back); redact.redact, applied to everything stored, shown or logged, knows every key."""
        return words.replace(self._api_key, MASK) if self._api_key else words

    # -- submit -------------------------------------------------------------------------------

    def submit(self, settings: VideoSettings, image: str) -> str:
        """Send one job; return its task id. Never retried: see SubmissionUncertain.

        The body is settings.body(image). Nothing is validated or decoded here: the caller
        checked settings.problems() and image_reference_problems() already (decoding a big
        data URI again would hold the GIL and stall the window).

        Only a clear refusal (a 4xx that Novita explains with a reason, or 401/403/429) raises
        its ApiError: no task exists. Once the body may have been sent, anything else (no
        answer in time, a dropped connection, a 5xx, an answer without a usable task id)
        raises SubmissionUncertain: a task may exist and cost money.
        """
        import requests

        url = self.base_url + ENDPOINT
        body = settings.body_bytes(image)
        deadline_s = self.timeouts.submit_s(len(body))
        with _Watchdog(deadline_s, self.should_stop) as watch:
            try:
                response = self.session.post(url, data=body, headers=self._headers(),
                                             timeout=self._pair(deadline_s), stream=True,
                                             allow_redirects=False)
            except (requests.exceptions.ConnectTimeout, requests.exceptions.InvalidURL) as exc:
                raise errors.NetworkError(_plain(exc)) from exc
            except requests.exceptions.ConnectionError as exc:
                if _never_connected(exc) and not watch.why:
                    raise errors.NetworkError(_plain(exc)) from exc
                raise self._uncertain(watch, exc) from exc
            except requests.exceptions.RequestException as exc:  # read timeout and the like
                raise self._uncertain(watch, exc) from exc
            with response:
                status = response.status_code
                log.info("POST %s -> %s", ENDPOINT, status)
                limit = self.limits.json_bytes if status < 400 else self.limits.error_bytes
                try:
                    raw, whole = _read_bounded(response, limit)
                except _read_errors() as exc:
                    cut_off = errors.QT_TRANSLATE_NOOP("errors", "the answer was cut off")
                    raise self._uncertain(watch, exc, cut_off) from exc
                if watch.why:  # cut short: what was read may even look like an answer
                    raise self._uncertain(watch, TimeoutError(f"cut short by the watchdog: {watch.why}"))
        if status >= 400:
            error = self._api_error(response, raw)
            refused = status < 500 and (error.reason or status in (401, 403, 429))
            if refused:
                raise error
            raise errors.SubmissionUncertain(
                str(error), errors.QT_TRANSLATE_NOOP(
                    "errors", "Novita answered with an error (HTTP {status}) instead of a task id"),
                {"status": status},
            ) from error
        return self._task_id_from(status, raw, whole)

    def _task_id_from(self, status: int, raw: bytes, whole: bool) -> str:
        """The task id in a submit's answer; SubmissionUncertain when there is none to use."""
        cause = errors.QT_TRANSLATE_NOOP("errors", "its answer could not be read")
        if status != 200:
            raise errors.SubmissionUncertain(
                f"submit answered HTTP {status}",
                errors.QT_TRANSLATE_NOOP("errors", "Novita answered HTTP {status} instead of a task id"),
                {"status": status})
        if not whole:
            raise errors.SubmissionUncertain(
                f"the answer is larger than {self.limits.json_bytes} bytes", cause)
        try:
            data = json.loads(raw)
        except (ValueError, RecursionError) as exc:
            raise errors.SubmissionUncertain("the answer is not JSON", cause) from exc
        found = data.get("task_id") if isinstance(data, dict) else None
        try:
            return values.task_id(found)
        except errors.ProtocolError as exc:  # none, too long, control characters
            no_id = errors.QT_TRANSLATE_NOOP("errors", "its answer carried no usable task id")
            raise errors.SubmissionUncertain(str(exc), no_id) from exc

    def _uncertain(self, watch: _Watchdog, exc: BaseException,
                   cause: str = errors.QT_TRANSLATE_NOOP("errors", "the connection dropped"),
                   ) -> errors.SubmissionUncertain:
        values: dict[str, object] = {}
        if watch.why == "deadline":
            cause = errors.QT_TRANSLATE_NOOP("errors", "no answer came within {seconds} s")
            values = {"seconds": f"{watch.deadline_s:.0f}"}
        elif watch.why == "stopped":
            cause = errors.QT_TRANSLATE_NOOP("errors", "the app stopped waiting for the answer")
        elif _is_timeout(exc):
            cause = errors.QT_TRANSLATE_NOOP("errors", "no answer came in time")
        return errors.SubmissionUncertain(self._clean(_plain(exc)), cause, values)

    def _pair(self, deadline_s: float) -> tuple[float, float]:
        return (min(self.timeouts.connect_s, deadline_s), min(self.timeouts.read_s, deadline_s))

    # -- reads ----------------------------------------------------------------------------------

    def task_result(self, task_id: str) -> TaskResult:
        data = self._get_json(TASK_RESULT_PATH, params={"task_id": task_id})
        return parse_task_result(data, task_id)

    def balance(self) -> Balance:
        """The account's balance (GET BALANCE_PATH); also the cheapest way to test a key.

        Amounts in units of 0.0001 USD; one the server left out or sent unreadable is None
        (Balance.available None: unknown). ProtocolError when the answer is not a JSON object;
        the usual ApiErrors (AuthError for a refused key) and NetworkErrors otherwise.
        """
        data = self._get_json(BALANCE_PATH)
        if not isinstance(data, dict):
            raise errors.ProtocolError("the balance answer is not a JSON object")
        return Balance.from_json(data)

    def bill_list(self, cycle_type: str = "Hour", product_category: str = "gen_api", *,
                  start: float | None = None, end: float | None = None) -> list[BillEntry]:
        """Novita's usage bill (GET BILL_LIST_PATH): by default one line per hour and product
        of image/video/audio generation. `start`/`end` (Unix seconds) narrow the period.

        Its fields are not in the contract, so it is read defensively (parse_bill_list):
        unknown fields are ignored, missing ones are None, an answer that is no bill list at
        all gives [] (logged). Raises only what every read raises (ApiError, NetworkError,
        ProtocolError for an answer that is not JSON or too big).
        """
        params = {"cycleType": cycle_type, "productCategory": product_category}
        for name, moment in (("startTime", start), ("endTime", end)):
            if moment is not None:
                params[name] = str(int(moment))
        return parse_bill_list(self._get_json(BILL_LIST_PATH, params=params))

    def _get_json(self, path: str, params: dict[str, str] | None = None) -> Any:
        import requests

        def once() -> Any:
            deadline_s = self.timeouts.poll_s
            with _Watchdog(deadline_s, self.should_stop) as watch:
                try:
                    response = self.session.get(self.base_url + path, params=params,
                                                headers=self._headers(), stream=True,
                                                timeout=self._pair(deadline_s))
                except requests.exceptions.RequestException as exc:
                    raise watch.error(exc) from exc
                with response:
                    log.debug("GET %s -> %s", path, response.status_code)
                    limit = (self.limits.error_bytes if response.status_code >= 400
                             else self.limits.json_bytes)
                    try:
                        raw, whole = _read_bounded(response, limit)
                    except _read_errors() as exc:
                        raise watch.error(exc) from exc
                    if watch.why:  # cut short: what was read may even look like an answer
                        raise watch.error(TimeoutError(f"cut short by the watchdog: {watch.why}"))
            if response.status_code >= 400:
                raise self._api_error(response, raw)
            if not whole:
                raise errors.ProtocolError(f"{path} answered more than {limit} bytes")
            try:
                return json.loads(raw)
            except (ValueError, RecursionError) as exc:
                raise errors.ProtocolError(f"{path} answered something that is not JSON") from exc

        return self._with_retries(once)

    def _api_error(self, response: requests.Response, raw: bytes) -> errors.ApiError:
        """The typed error for an error answer whose (bounded) body is `raw`."""
        reason, message = "", ""
        try:
            body = json.loads(raw)
        except (ValueError, RecursionError):
            body = None
            message = values.text(raw[:600].decode("utf-8", "replace"), 200)
        if isinstance(body, dict):  # from the server, shown to people: one bounded line each
            reason = values.text(body.get("reason"), 100)
            message = values.text(body.get("message"), 300)
        return errors.error_for(response.status_code, self._clean(reason), self._clean(message),
                                _retry_after(response.headers.get("Retry-After")))

    def _with_retries(self, call: Callable[[], Any]) -> Any:
        tries = max(self.retry.attempts, 1)  # a policy with attempts=0 still makes the call once
        for attempt in range(tries):
            try:
                return call()
            except errors.ViduError as exc:
                if not exc.retryable or attempt + 1 >= tries:
                    raise
                retry_after = exc.retry_after if isinstance(exc, errors.RateLimitError) else None
                delay = self.retry.delay(attempt, retry_after)
                log.info("retrying in %.1f s after: %s", delay, exc)
                self.retry.sleep(delay)
        raise AssertionError("unreachable")

    # -- download -------------------------------------------------------------------------------

    def download(self, url: str, destination: Path, *,
                 progress: Callable[[int, int | None], None] | None = None,
                 should_stop: Callable[[], bool] | None = None) -> Path:
        """Stream to `<destination>.part`, resuming with Range; rename into place when whole.

        The bytes on disk are the bytes sent (`Accept-Encoding: identity`, nothing decoded).
        It stops at the announced length, or at limits.video_bytes when none is announced
        (DownloadTooLarge; also when a bigger length is announced). Slower than the minimum
        rate: DownloadStalled, the partial file kept for the next try. A refused link
        (401/403/410) raises LinkExpiredError: ask task_result for a fresh one and call again
        with the same destination; the partial file is kept and resumed.
        """
        partial = destination.with_name(destination.name + ".part")
        stops = [f for f in (should_stop, self.should_stop) if f is not None]

        def stop() -> bool:
            return any(f() for f in stops)

        def once() -> Path:
            return self._download_once(url, destination, partial, progress, stop if stops else None)

        result: Path = self._with_retries(once)
        return result

    def _download_once(self, url: str, destination: Path, partial: Path,
                       progress: Callable[[int, int | None], None] | None,
                       should_stop: Callable[[], bool] | None) -> Path:
        import requests

        offset = partial.stat().st_size if partial.exists() else 0
        headers = {"Accept-Encoding": "identity"}  # the file as stored, never inflated here
        if offset:
            headers["Range"] = f"bytes={offset}-"
        timeouts = self.timeouts
        with _Watchdog(None, should_stop, timeouts.download_min_bytes_per_s,
                       timeouts.download_window_s) as watch:
            try:
                response = self.session.get(url, headers=headers, stream=True,
                                            timeout=timeouts.pair())
            except requests.exceptions.RequestException as exc:
                raise watch.error(exc) from exc
            with response:
                if response.status_code in (401, 403, 410):
                    raise errors.LinkExpiredError(response.status_code, "", "the link was refused")
                if response.status_code == 416 and offset:
                    partial.unlink()  # our partial is not a prefix of this file: start over
                    raise errors.DownloadError("the partial download did not match; starting over")
                if response.status_code not in (200, 206):
                    if response.status_code >= 400:
                        try:
                            raw, _ = _read_bounded(response, self.limits.error_bytes)
                        except _read_errors() as exc:
                            raise watch.error(exc) from exc
                        raise self._api_error(response, raw)
                    raise errors.ProtocolError(f"download answered HTTP {response.status_code}")
                if response.status_code == 200:
                    offset = 0  # the server ignored Range: the body is the whole file
                total = _expected_total(response, offset)
                cap = self.limits.video_bytes
                if total is not None and total > cap:
                    partial.unlink(missing_ok=True)
                    raise errors.DownloadTooLarge(f"the server announced {_size(total)}, more "
                                                  f"than the {_size(cap)} a video may be")
                received = self._stream_to(response, partial, offset, total, watch,
                                           progress, should_stop)
                if watch.why:  # cut short, although the body may seem to have ended
                    raise watch.error(TimeoutError(f"cut short by the watchdog: {watch.why}"))
        if total is not None and received != total:
            raise errors.DownloadError(f"got {received} of {total} bytes")
        try:
            os.replace(partial, destination)
        except OSError as exc:
            raise _storage_error(exc, destination) from exc
        return destination

    def _stream_to(self, response: requests.Response, partial: Path, offset: int,
                   total: int | None, watch: _Watchdog,
                   progress: Callable[[int, int | None], None] | None,
                   should_stop: Callable[[], bool] | None) -> int:
        """Copy the raw body into `partial` from `offset`; return the bytes now in it. Stops at
        `total`, or at limits.video_bytes when no total is known (DownloadTooLarge)."""
        end = total if total is not None else self.limits.video_bytes
        received = offset
        raw = response.raw
        try:
            out = open(partial, "r+b" if offset else "wb")  # noqa: SIM115 - closed below
        except OSError as exc:
            raise _storage_error(exc, partial) from exc
        with out:
            try:
                if offset:
                    out.seek(offset)
                    out.truncate()
                if total is not None:
                    _reserve(out.fileno(), offset, total - offset)
                while True:
                    # One byte past the end when no total was announced: is there more?
                    want = min(CHUNK_BYTES, end - received) if received < end else 1
                    try:  # read1: what has arrived, so the watchdog sees the rate
                        chunk = (raw.read1(want, decode_content=False) if hasattr(raw, "read1")
                                 else raw.read(min(want, READ_PIECE_BYTES), decode_content=False))
                    except _read_errors() as exc:
                        raise watch.error(exc, errors.DownloadError(
                            f"connection dropped at {received} bytes")) from exc
                    if not chunk:
                        break
                    if received >= end:
                        if total is None:
                            out.close()
                            partial.unlink(missing_ok=True)
                            raise errors.DownloadTooLarge(
                                f"the server sent more than {_size(end)} without announcing a "
                                "size")
                        break  # more than announced (http.client does not allow it anyway)
                    out.write(chunk)
                    received += len(chunk)
                    watch.received = received - offset
                    if progress is not None:
                        progress(received, total)
                    if should_stop and should_stop():
                        raise errors.Cancelled("download stopped")
            except OSError as exc:
                raise _storage_error(exc, partial) from exc
            finally:
                if total is not None and received < total and not out.closed:
                    with contextlib.suppress(OSError, ValueError):  # best effort, like the reservation
                        out.truncate(received)  # gives back the blocks reserved for the rest
        return received


def _reserve(fd: int, offset: int, count: int) -> None:
    """Ask the file system for the blocks of the rest of a download in one go (Linux
    fallocate with FALLOC_FL_KEEP_SIZE: the file's size, which a resume starts from, does not
    change). On ext4 the writes then skip delayed allocation, about a sixth of the time a
    large download spends writing. Best effort: a refusal (another system, a file system
    without it, not enough space yet) changes nothing; the writes themselves say when the
    disk is full. A download that stops early gives back what it did not use (_stream_to)."""
    fallocate = _fallocate()
    if fallocate is not None and count > 0:
        fallocate(fd, 1, offset, count)  # 1: FALLOC_FL_KEEP_SIZE; the answer is not needed


@functools.cache
def _fallocate() -> Callable[[int, int, int, int], int] | None:
    if not sys.platform.startswith("linux"):
        return None
    import ctypes

    try:
        function = ctypes.CDLL(None, use_errno=True).fallocate
    except (OSError, AttributeError):
        return None
    function.argtypes = [ctypes.c_int, ctypes.c_int, ctypes.c_int64, ctypes.c_int64]
    function.restype = ctypes.c_int
    answer: Callable[[int, int, int, int], int] = function
    return answer


def parse_task_result(data: Any, task_id: str = "") -> TaskResult:
    """Lenient about shape, strict about ranges: loose types accepted, unknown fields ignored,
    only `task` is required. eta 0..48 h, progress 0..100, seed 0..2**31-1 (else None); a
    task id over 256 characters or with control characters raises ProtocolError."""
    if not isinstance(data, dict) or not isinstance(data.get("task"), dict):
        raise errors.ProtocolError("the task result has no 'task' object")
    task: dict[Any, Any] = data["task"]
    raw_status = task.get("status")
    try:
        status = TaskStatus(raw_status) if isinstance(raw_status, str) else TaskStatus.UNKNOWN
    except ValueError:
        status = TaskStatus.UNKNOWN
    raw_extra = data.get("extra")
    extra: dict[Any, Any] = raw_extra if isinstance(raw_extra, dict) else {}
    raw_videos = data.get("videos")
    now = time.time()
    videos = tuple(
        VideoLink.from_ttl(v["video_url"], values.ttl_s(v.get("video_url_ttl")),
                           values.text(v.get("video_type"), 16) or "mp4", received_at=now)
        for v in (raw_videos if isinstance(raw_videos, list) else ())
        if isinstance(v, dict) and _usable_link(v.get("video_url"))
    )
    if status is TaskStatus.SUCCEED and not videos:
        raise errors.ProtocolError("the task succeeded but no video link came with it")
    sent_id = task.get("task_id")
    chosen = sent_id if isinstance(sent_id, str) and sent_id else task_id
    return TaskResult(
        task_id=values.task_id(chosen) if chosen else "",
        status=status,
        reason=values.text(task.get("reason")),
        eta_s=values.eta_s(task.get("eta")),
        progress_percent=values.progress_percent(task.get("progress_percent")),
        seed=values.seed(extra.get("seed")),
        videos=videos,
    )


def parse_bill_list(data: Any) -> list[BillEntry]:
    """The lines of a bill list answer, `{"bills": [{...}, ...]}` as Novita's reference shows
    it (a bare list, or the list under "data", is read too). Never raises: an answer without
    a list gives [], and a line that is not an object or holds nothing known is skipped;
    both are logged. Amounts (amount, payAmount, voucherAmount) are read as units of
    0.0001 USD like the balance; times (startTime, endTime) as Unix seconds."""
    lines: Any = data
    if isinstance(data, dict):
        lines = data.get("bills")
        if lines is None and isinstance(data.get("data"), dict):
            lines = data["data"].get("bills")
        elif lines is None:
            lines = data.get("data")
    if not isinstance(lines, list):
        log.warning("the bill list answer holds no list of bills (%s)", type(lines).__name__)
        return []
    entries: list[BillEntry] = []
    skipped = 0
    for line in lines[:MAX_BILL_ENTRIES]:
        entry = _bill_entry(line) if isinstance(line, dict) else None
        if entry is None:
            skipped += 1
        else:
            entries.append(entry)
    if skipped or len(lines) > MAX_BILL_ENTRIES:
        log.warning("bill list: %d line(s) skipped as unreadable, %d beyond the first %d ignored",
                    skipped, max(len(lines) - MAX_BILL_ENTRIES, 0), MAX_BILL_ENTRIES)
    return entries


def _bill_entry(line: dict[Any, Any]) -> BillEntry | None:
    entry = BillEntry(
        start=values.unix_time(line.get("startTime")),
        end=values.unix_time(line.get("endTime")),
        product=values.text(line.get("productName"), 200),
        category=values.text(line.get("category"), 100),
        amount=values.money_units(line.get("amount")),
        pay_amount=values.money_units(line.get("payAmount")),
        voucher_amount=values.money_units(line.get("voucherAmount")),
    )
    return None if entry == BillEntry() else entry  # nothing known in it


MAX_URL_CHARS = 16_384


def _usable_link(url: object) -> bool:
    """An http(s) link of sane length without control characters (never file:// and the like)."""
    return (isinstance(url, str) and url.startswith(("https://", "http://")) and len(url) <= MAX_URL_CHARS
            and not values.has_control_characters(url))


def _retry_after(value: str | None) -> float | None:
    """A Retry-After header in seconds, 0..600; None when absent or unreadable."""
    return values.retry_after(value)


def _expected_total(response: requests.Response, offset: int) -> int | None:
    content_range = response.headers.get("Content-Range", "")
    if response.status_code == 206 and "/" in content_range:
        total = content_range.rsplit("/", 1)[1]
        start = content_range.split()[-1].split("-")[0] if " " in content_range else ""
        if start.isdigit() and int(start) != offset:
            raise errors.ProtocolError(f"asked to resume at {offset}, got {content_range!r}")
        if total.isdigit():
            return int(total)
    length = response.headers.get("Content-Length")
    return offset + int(length) if length and length.isdigit() else None


def _storage_error(exc: OSError, path: Path) -> errors.StorageError:
    words: dict[int | None, str] = {
        errno.ENOSPC: "the disk is full", errno.EDQUOT: "the disk quota is used up",
        errno.EROFS: "the folder is read-only", errno.EACCES: "no permission to write there",
        errno.EPERM: "no permission to write there", errno.ENOENT: "the folder does not exist"}
    return errors.StorageError(f"{words.get(exc.errno, exc.strerror or 'write failed')} ({path.parent})")


def _never_connected(exc: requests.exceptions.ConnectionError) -> bool:
    """True when the failure happened before a connection existed (nothing was sent)."""
    text = repr(exc)
    return any(mark in text for mark in ("NewConnectionError", "NameResolutionError",
                                         "Failed to resolve", "Connection refused"))


def _plain(exc: BaseException) -> str:
    # requests' messages can be long chains; the first line is enough for a log and a user.
    return str(exc).splitlines()[0][:300] if str(exc) else type(exc).__name__


# -- the transport: bounded reads and a watchdog per request ------------------------------------

_current = threading.local()  # the watchdog of the request this thread is making


class _Watchdog:
    """Ends one request when it must: at its overall deadline, when it moves slower than a
    minimum rate over a window, or when `should_stop` says so. Ending means shutting down
    the request's socket (a blocked send or recv returns at once, in any phase: connecting,
    sending the body, waiting for headers, reading the body), then `why` says which.

    Used as a context manager around the request and the reading of its body, on the thread
    that makes the request: the connection pool (see _watched_adapter) hands each connection
    it gives out on this thread to the watchdog, and takes it back when it is returned.
    """

    TICK_S = 0.2

    def __init__(self, deadline_s: float | None, should_stop: Callable[[], bool] | None = None,
                 min_bytes_per_s: float = 0.0, window_s: float = 30.0) -> None:
        self.deadline_s = deadline_s
        self.should_stop = should_stop
        self.min_bytes_per_s = min_bytes_per_s
        self.window_s = window_s
        self.received = 0  # bytes of body read so far (the reader keeps it up to date)
        self.why: str | None = None  # "deadline", "stalled" or "stopped" once it fired
        self._connections: set[Any] = set()
        self._lock = threading.Lock()
        self._done = threading.Event()
        self._started = 0.0
        self._samples: deque[tuple[float, int]] = deque()
        self._outer: _Watchdog | None = None

    def __enter__(self) -> _Watchdog:
        self._started = time.monotonic()
        self._samples = deque([(self._started, 0)])
        self._outer = getattr(_current, "watchdog", None)
        _current.watchdog = self
        _MONITOR.watch(self)
        return self

    def __exit__(self, *exc: object) -> None:
        _current.watchdog = self._outer
        _MONITOR.forget(self)
        with self._lock:
            self._done.set()
            self._connections.clear()

    def attach(self, connection: Any) -> None:
        with self._lock:
            if not self._done.is_set():
                self._connections.add(connection)
                connection._vidu_watchdog = self
        if self.why:
            self._shut_down()

    def detach(self, connection: Any) -> None:
        with self._lock:
            self._connections.discard(connection)

    def tick(self, now: float) -> None:
        """Called by the monitor every TICK_S while the request runs."""
        if self._done.is_set():
            return
        if self.why is None:
            self.why = self._verdict(now, self._samples)
        if self.why is not None:
            self._shut_down()  # again at every tick: a connection may come up late

    def _verdict(self, now: float, samples: deque[tuple[float, int]]) -> str | None:
        if self.should_stop is not None and self.should_stop():
            return "stopped"
        if self.deadline_s is not None and now - self._started >= self.deadline_s:
            return "deadline"
        if self.min_bytes_per_s > 0:
            received = self.received
            samples.append((now, received))
            while len(samples) > 1 and now - samples[1][0] >= self.window_s:
                samples.popleft()
            since, then = samples[0]
            if now - since >= self.window_s and (received - then) / (now - since) < self.min_bytes_per_s:
                return "stalled"
        return None

    def _shut_down(self) -> None:
        with self._lock:
            if self._done.is_set():
                return
            for connection in self._connections:
                sock = getattr(connection, "sock", None)
                if sock is not None:
                    with contextlib.suppress(OSError):
                        sock.shutdown(socket.SHUT_RDWR)

    def error(self, exc: BaseException, fallback: errors.ViduError | None = None) -> errors.ViduError:
        """The typed error for a request that failed with `exc` (the watchdog's reason first)."""
        if self.why == "stopped":
            return errors.Cancelled("the request was stopped")
        if self.why == "deadline":
            return errors.TimedOut(f"no complete answer within {self.deadline_s:.0f} s")
        if self.why == "stalled":
            return errors.DownloadStalled(
                f"under {self.min_bytes_per_s / 1000:.0f} kB/s for {self.window_s:.0f} s, "
                f"{_size(self.received)} received")
        if fallback is not None:
            return fallback
        if _is_timeout(exc):
            return errors.TimedOut(_plain(exc))
        return errors.NetworkError(_plain(exc))


class _Monitor:
    """One thread, started on first use, ticks every request in flight: a busy client costs
    one extra thread, not one per request."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._active: set[_Watchdog] = set()
        self._wake = threading.Event()
        self._thread: threading.Thread | None = None

    def watch(self, watchdog: _Watchdog) -> None:
        with self._lock:
            self._active.add(watchdog)
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(target=self._run, name="vidu-net-watchdog", daemon=True)
                self._thread.start()
        self._wake.set()

    def forget(self, watchdog: _Watchdog) -> None:
        with self._lock:
            self._active.discard(watchdog)

    def _run(self) -> None:
        while True:
            with self._lock:
                watched = list(self._active)
            if not watched:  # nothing in flight: sleep until a request starts
                self._wake.wait()
                self._wake.clear()
                continue
            now = time.monotonic()
            for watchdog in watched:
                watchdog.tick(now)
            time.sleep(_Watchdog.TICK_S)


_MONITOR = _Monitor()


@functools.cache
def _watched_adapter_class() -> type[requests.adapters.HTTPAdapter]:
    """An HTTPAdapter whose connection pools tell the current _Watchdog which connection a
    request uses (requests and urllib3 are imported here: late, as everywhere in this file)."""
    import requests.adapters
    import urllib3
    import urllib3.connectionpool

    def attach(connection: Any) -> None:
        watchdog = getattr(_current, "watchdog", None)
        if watchdog is not None:
            watchdog.attach(connection)

    def detach(connection: Any) -> None:
        watchdog = getattr(connection, "_vidu_watchdog", None)
        if watchdog is not None:
            connection._vidu_watchdog = None
            watchdog.detach(connection)

    class WatchedHTTPPool(urllib3.connectionpool.HTTPConnectionPool):
        def _get_conn(self, timeout: float | None = None) -> Any:
            connection = super()._get_conn(timeout)
            attach(connection)
            return connection

        def _put_conn(self, conn: Any) -> None:
            if conn is not None:
                detach(conn)
            super()._put_conn(conn)

    class WatchedHTTPSPool(WatchedHTTPPool, urllib3.connectionpool.HTTPSConnectionPool):
        """The same watch over TLS connections (the MRO puts the HTTPS pool's own methods next)."""

    pools = {"http": WatchedHTTPPool, "https": WatchedHTTPSPool}

    class WatchedAdapter(requests.adapters.HTTPAdapter):
        def init_poolmanager(self, connections: int, maxsize: int, block: bool = False,
                             **pool_kwargs: Any) -> None:
            super().init_poolmanager(connections, maxsize, block, **pool_kwargs)
            self.poolmanager.pool_classes_by_scheme = pools

        def proxy_manager_for(self, proxy: str, **proxy_kwargs: Any) -> Any:
            manager = super().proxy_manager_for(proxy, **proxy_kwargs)
            if type(manager) is urllib3.ProxyManager:  # not SOCKS: its own pool classes
                manager.pool_classes_by_scheme = pools
            return manager

    return WatchedAdapter


def _watched_adapter() -> requests.adapters.HTTPAdapter:
    return _watched_adapter_class()()


@functools.cache
def _read_errors() -> tuple[type[BaseException], ...]:
    """What reading a body can raise when the connection fails or is shut down."""
    import http.client

    import requests
    import urllib3.exceptions

    return (requests.exceptions.RequestException, urllib3.exceptions.HTTPError,
            http.client.HTTPException, OSError, ValueError)


def _read_bounded(response: requests.Response, limit: int) -> tuple[bytes, bool]:
    """At most `limit` bytes of the (decoded) body, and whether that was all of it. Reads in
    pieces, so neither a huge body nor a small one that inflates (gzip) costs more memory."""
    parts: list[bytes] = []
    size = 0
    while True:
        piece = response.raw.read(min(READ_PIECE_BYTES, limit + 1 - size), decode_content=True)
        if not piece:
            return b"".join(parts), True
        parts.append(piece)
        size += len(piece)
        if size > limit:
            return b"".join(parts)[:limit], False


def _is_timeout(exc: BaseException) -> bool:
    import requests
    import urllib3.exceptions

    return isinstance(exc, (requests.exceptions.Timeout, urllib3.exceptions.TimeoutError,
                            TimeoutError))


def _size(count: int) -> str:
    """A byte count for people: 1 GiB, 4 MiB (exact ones), 12.5 MB, 300 kB, 12 bytes."""
    for unit, name in ((GIB, "GiB"), (1024 * 1024, "MiB")):
        if count >= unit and count % unit == 0:
            return f"{count // unit} {name}"
    for unit, name in ((1_000_000_000, "GB"), (1_000_000, "MB"), (1_000, "kB")):
        if count >= unit:
            return f"{count / unit:.3g} {name}"
    return f"{count} bytes"
