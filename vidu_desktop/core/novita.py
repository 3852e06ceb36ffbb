"""The Novita client: submit a Vidu Q3 Turbo i2v job, read its result, download the video.

Built on an injected requests.Session so connections are reused and tests talk to a real
server. Reads are retried with backoff (backoff.RetryPolicy); a submit never is (it costs
money). Everything the server sends is parsed once, here, into checked ranges (values.py).
"""

from __future__ import annotations

import errno
import ipaddress
import logging
import os
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

if TYPE_CHECKING:
    import requests
# requests (and urllib3) cost ~60 ms to import: loaded by the first client, in a worker,
# not on the window's start-up path.

from . import errors, values
from .backoff import READS, RetryPolicy
from .links import VideoLink
from .request import ENDPOINT, VideoSettings

log = logging.getLogger(__name__)

DEFAULT_BASE_URL = "https://api.novita.ai"
BASE_URL_ENV = "NOVITA_API_BASE_URL"
TASK_RESULT_PATH = "/v3/async/task-result"
BALANCE_PATH = "/openapi/v1/billing/balance/detail"
CHUNK_BYTES = 1024 * 1024


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
    connect_s: float = 10.0
    read_s: float = 60.0  # a 20 MB submit body can take a while to be answered

    def pair(self) -> tuple[float, float]:
        return (self.connect_s, self.read_s)


class NovitaClient:
    def __init__(self, api_key: str, *, base_url: str | None = None,
                 session: requests.Session | None = None, timeouts: Timeouts = Timeouts(),
                 retry: RetryPolicy | None = None) -> None:
        if api_key and not valid_api_key(api_key):  # an empty one is for the server to refuse
            raise errors.AuthError(0, "INVALID_API_KEY", "the key has spaces or unusual characters")
        import requests

        self._api_key = api_key
        self.base_url = resolve_base_url(base_url)
        self.session = session or requests.Session()
        self.timeouts = timeouts
        self.retry = retry or READS

    def __repr__(self) -> str:  # never the key
        return f"NovitaClient(base_url={self.base_url!r})"

    def _headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self._api_key}", "Content-Type": "application/json",
                "Accept": "application/json"}

    # -- submit -------------------------------------------------------------------------------

    def submit(self, settings: VideoSettings, image: str) -> str:
        """Send one job; return its task id. Never retried: see SubmissionUncertain.

        The body is settings.body(image). Nothing is validated or decoded here: the caller
        checked settings.problems() and image_reference_problems() already (decoding a big
        data URI again would hold the GIL and stall the window).
        """
        import requests

        url = self.base_url + ENDPOINT
        try:
            response = self.session.post(url, json=settings.body(image), headers=self._headers(),
                                         timeout=self.timeouts.pair())
        except (requests.exceptions.ConnectTimeout, requests.exceptions.InvalidURL) as exc:
            raise errors.NetworkError(_plain(exc)) from exc
        except requests.exceptions.ConnectionError as exc:
            if _never_connected(exc):
                raise errors.NetworkError(_plain(exc)) from exc
            raise errors.SubmissionUncertain(_plain(exc)) from exc
        except requests.exceptions.RequestException as exc:  # read timeout and the like
            raise errors.SubmissionUncertain(_plain(exc)) from exc
        log.info("POST %s -> %s", ENDPOINT, response.status_code)
        try:
            _raise_for_error(response)
        except errors.ServerError as exc:
            # A 5xx that is not one of Novita's own answers (a proxy or gateway gave up) says
            # nothing about whether the task was created.
            if exc.reason not in errors.KNOWN_REASONS:
                raise errors.SubmissionUncertain(f"HTTP {response.status_code} without a reason") from exc
            raise
        try:
            task_id = response.json()["task_id"]
        except (ValueError, KeyError, TypeError, RecursionError) as exc:
            raise errors.SubmissionUncertain("the answer carried no task id") from exc
        if not isinstance(task_id, str) or not task_id:
            raise errors.SubmissionUncertain("the answer carried no task id")
        return values.task_id(task_id)  # too long or with control characters: ProtocolError

    # -- reads ----------------------------------------------------------------------------------

    def task_result(self, task_id: str) -> TaskResult:
        data = self._get_json(TASK_RESULT_PATH, params={"task_id": task_id})
        return parse_task_result(data, task_id)

    def balance(self) -> dict[str, Any]:
        """The account's balance detail; also the cheapest way to test a key."""
        data = self._get_json(BALANCE_PATH)
        if not isinstance(data, dict):
            raise errors.ProtocolError("the balance answer is not a JSON object")
        return data

    def _get_json(self, path: str, params: dict[str, str] | None = None) -> Any:
        import requests

        def once() -> Any:
            try:
                response = self.session.get(self.base_url + path, params=params,
                                            headers=self._headers(), timeout=self.timeouts.pair())
            except requests.exceptions.RequestException as exc:
                raise errors.NetworkError(_plain(exc)) from exc
            log.debug("GET %s -> %s", path, response.status_code)
            _raise_for_error(response)
            try:
                return response.json()
            except (ValueError, RecursionError) as exc:
                raise errors.ProtocolError(f"{path} answered something that is not JSON") from exc

        return self._with_retries(once)

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

        A refused link (403/410) raises LinkExpiredError: ask task_result for a fresh one and
        call again with the same destination; the partial file is kept and resumed.
        """
        partial = destination.with_name(destination.name + ".part")

        def once() -> Path:
            return self._download_once(url, destination, partial, progress, should_stop)

        result: Path = self._with_retries(once)
        return result

    def _download_once(self, url: str, destination: Path, partial: Path,
                       progress: Callable[[int, int | None], None] | None,
                       should_stop: Callable[[], bool] | None) -> Path:
        import requests

        offset = partial.stat().st_size if partial.exists() else 0
        headers = {"Range": f"bytes={offset}-"} if offset else {}
        try:
            response = self.session.get(url, headers=headers, stream=True,
                                        timeout=self.timeouts.pair())
        except requests.exceptions.RequestException as exc:
            raise errors.NetworkError(_plain(exc)) from exc
        with response:
            if response.status_code in (401, 403, 410):
                raise errors.LinkExpiredError(response.status_code, "", "the link was refused")
            if response.status_code == 416 and offset:
                partial.unlink()  # our partial is not a prefix of this file: start over
                raise errors.DownloadError("the partial download did not match; starting over")
            if response.status_code not in (200, 206):
                _raise_for_error(response)
                raise errors.ProtocolError(f"download answered HTTP {response.status_code}")
            if response.status_code == 200:
                offset = 0  # the server ignored Range: the body is the whole file
            total = _expected_total(response, offset)
            received = offset
            try:
                with open(partial, "r+b" if offset else "wb") as out:
                    if offset:
                        out.seek(offset)
                        out.truncate()
                    for chunk in response.iter_content(CHUNK_BYTES):
                        out.write(chunk)
                        received += len(chunk)
                        if progress:
                            progress(received, total)
                        if should_stop and should_stop():
                            raise errors.Cancelled("download stopped")
            except requests.exceptions.RequestException as exc:  # an OSError too: test it first
                raise errors.DownloadError(f"connection dropped at {received} bytes") from exc
            except OSError as exc:
                raise _storage_error(exc, partial) from exc
        if total is not None and received != total:
            raise errors.DownloadError(f"got {received} of {total} bytes")
        try:
            os.replace(partial, destination)
        except OSError as exc:
            raise _storage_error(exc, destination) from exc
        return destination


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


MAX_URL_CHARS = 16_384


def _usable_link(url: object) -> bool:
    """An http(s) link of sane length without control characters (never file:// and the like)."""
    return (isinstance(url, str) and url.startswith(("https://", "http://")) and len(url) <= MAX_URL_CHARS
            and not values.has_control_characters(url))


def _raise_for_error(response: requests.Response) -> None:
    if response.status_code < 400:
        return
    reason, message = "", ""
    try:
        body = response.json()
        if isinstance(body, dict):  # from the server, shown to people: one bounded line each
            reason = values.text(body.get("reason"), 100)
            message = values.text(body.get("message"), 300)
    except (ValueError, RecursionError):
        message = values.text(response.text[:300], 200)
    raise errors.error_for(response.status_code, reason, message,
                           _retry_after(response.headers.get("Retry-After")))


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
