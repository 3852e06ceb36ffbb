"""The job engine: the only owner of the job store, on a thread of its own.

Three network workers (submit, poll, download) run in their own threads and never touch
the store: they receive immutable job snapshots and report what happened through signals.
The engine applies every change to the store (its own SQLite connection, on its own
thread) and announces the new snapshot; the window keeps snapshots in its model and never
opens the database. Live numbers (download progress, the server's estimate) travel as
snapshots too but are written to disk only with the next state change.
"""

from __future__ import annotations

import dataclasses
import logging
import os
import shutil
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Qt, QThread, QTimer, Signal, Slot
from PySide6.QtGui import QImage

from .. import __version__, paths
from ..core import errors
from ..core.backoff import POLL_AFTER_FAILURE, RATE_LIMITED, READS
from ..core.errors import translate
from ..core.job import Job
from ..core.library import (
    destination_in,
    download_leftovers,
    looks_like_mp4,
    move_into_place,
    placed_already,
    private_download_name,
    source_name,
    unused_frames,
    video_filename,
)
from ..core.lifecycle import RUNNING, JobState
from ..core.mp4meta import (
    MetadataError,
    VideoDamaged,
    VideoMetadata,
    read_metadata,
    scratch_path,
    write_metadata,
)
from ..core.novita import NovitaClient, TaskStatus
from ..core.polling import PollSchedule, next_delay
from ..core.pricing import SpendingSummary, cap_problem
from ..core.request import SEED_RANGE, ImageOrder, data_uri, image_problems, is_web_url
from ..core.store import JobStore
from ..media.images import ImageRejected, prepare_image, thumbnail_of
from .services import run_as_background_thread

log = logging.getLogger(__name__)

THUMBNAIL_PX = 48
PROGRESS_EVERY_S = 0.25
DISK_FULL_BELOW_BYTES = 256 * 1024  # less free than this after a failed write: the disk is full
SPACE_CHECK_S = 15.0  # how often a download waiting for disk space looks again
STALLED_RETRY_S = 120.0  # a download slower than the client's minimum rate resumes after this
IMPORTED = "imported"  # Job.server of a video imported from a file: deleting the job keeps the file
RATE_LIMIT_RESENDS = 3  # a 429 created no task: waiting and sending again is safe
TIDY_AFTER_MS = 20_000  # leftovers are looked for once start-up and the first polls are over
FRAME_KEPT_S = 24 * 3600  # a frame no job was made from is kept this long (it may wait in the image list)
# Submits per minute. Novita publishes 2-20 a minute for other video models and nothing for
# Vidu: start at the top of that range; a 429 halves it at once (a refused submit makes no
# task, so the optimistic start costs at most one refused request), and it grows back by one
# per quiet minute.
SUBMITS_PER_MINUTE = 20
RATE_WINDOW_S = 60.0


class SubmitRate:
    """At most `limit` submits in any RATE_WINDOW_S; halved after a 429, recovering by one per
    quiet window up to where it started. Pure: the caller gives the time (time.monotonic())."""

    def __init__(self, per_minute: int = SUBMITS_PER_MINUTE) -> None:
        self.ceiling = self.limit = max(1, per_minute)
        self._sent: deque[float] = deque()
        self._blocked_until = 0.0
        self._changed_at = 0.0

    def wait_s(self, now: float) -> float:
        """Seconds until the next submit may go out (0: now)."""
        if self.limit < self.ceiling and now - self._changed_at >= RATE_WINDOW_S:
            windows = int((now - self._changed_at) // RATE_WINDOW_S)
            self.limit = min(self.ceiling, self.limit + windows)
            self._changed_at += windows * RATE_WINDOW_S
        while self._sent and now - self._sent[0] >= RATE_WINDOW_S:
            self._sent.popleft()
        wait = max(0.0, self._blocked_until - now)
        if len(self._sent) >= self.limit:
            wait = max(wait, self._sent[len(self._sent) - self.limit] + RATE_WINDOW_S - now)
        return wait

    def refused_wait_s(self, now: float) -> float:
        """Seconds left of the wait Novita asked for with its last 429 (0: none)."""
        return max(0.0, self._blocked_until - now)

    def block(self, now: float, wait_s: float) -> None:
        """Send nothing for `wait_s` (a 429's wait carried over from before a restart)."""
        self._blocked_until = max(self._blocked_until, now + max(0.0, wait_s))

    def sent(self, now: float) -> None:
        """A submit went out at `now`."""
        self._sent.append(now)

    def refused(self, now: float, wait_s: float) -> None:
        """Novita answered 429: halve the rate, and send nothing for `wait_s`."""
        self.limit = max(1, self.limit // 2)
        self._changed_at = now
        self._blocked_until = max(self._blocked_until, now + max(0.0, wait_s))


@dataclass(frozen=True)
class Connection:
    """What a worker needs to build its own client (a requests.Session is per thread)."""

    api_key: str
    base_url: str | None
    server: str = ""  # what jobs made here are stored as belonging to; the base URL by default

    def __repr__(self) -> str:
        return f"Connection(base_url={self.base_url!r}, server={self.server_id!r})"

    @property
    def server_id(self) -> str:
        return self.server or self.base_url or ""

    def client(self, attempts: int, stopping: threading.Event) -> NovitaClient:
        def wait(seconds: float) -> None:  # back-off that ends at once when the app closes
            if stopping.wait(seconds):
                raise errors.Cancelled("the app is closing")

        return NovitaClient(self.api_key, base_url=self.base_url, should_stop=stopping.is_set,
                            retry=dataclasses.replace(READS, attempts=attempts, sleep=wait))

    def serves(self, job: Job) -> bool:
        """A job belongs to the server it was made for: demo jobs never reach Novita."""
        return not job.server or job.server == self.server_id


@dataclass(frozen=True)
class Failure:
    """A worker's report that a job ended badly: already in words, never the raw exception."""

    job_id: int
    state: JobState
    words: str
    kind: str


def failure(job_id: int, error: BaseException, state: JobState = JobState.FAILED) -> Failure:
    if isinstance(error, errors.ViduError | ImageRejected):
        log.warning("job %s: %s: %s", job_id, type(error).__name__, error)
    else:
        log.error("job %s: unexpected error", job_id, exc_info=error)
    words = str(error) if isinstance(error, ImageRejected) else errors.describe(error)
    return Failure(job_id, state, words, type(error).__name__)


def free_bytes(folder: Path) -> int | None:
    """Free space on the disk that holds `folder` (or would hold it); None when unknown."""
    for candidate in (folder, *folder.parents):
        try:
            if candidate.is_dir():
                return shutil.disk_usage(candidate).free
        except OSError:
            return None
    return None


def disk_nearly_full(folder: Path) -> bool:
    free = free_bytes(folder)
    return free is not None and free < DISK_FULL_BELOW_BYTES


class DamagedDatabase(Exception):
    """The job list's file is there but cannot be trusted."""


class _NetworkWorker(QObject):
    """Base of the three network workers: a client per thread, one way to report a failure."""

    failed = Signal(object)  # Failure

    def __init__(self, stopping: threading.Event) -> None:
        super().__init__()
        self.stopping = stopping
        self._connection: Connection | None = None
        self._client: NovitaClient | None = None
        self._attempts = 1

    @Slot(object)
    def set_connection(self, connection: Connection | None) -> None:
        self._connection, self._client = connection, None

    def client(self) -> NovitaClient:
        if self._connection is None:
            raise errors.AuthError(0, "MISSING_API_KEY", "no API key")
        if self._client is None:
            self._client = self._connection.client(self._attempts, self.stopping)
        return self._client


class SubmitWorker(_NetworkWorker):
    """Prepares a job's image (fit to the API's limits), then, once the engine has claimed
    the job, sends it. A submit is never repeated here: the engine decides."""

    prepared = Signal(int, int, object)  # job id, submissions seen, job fields to store (may be empty)
    accepted = Signal(int, str)  # job id, task id
    rateLimited = Signal(int, float)  # job id, seconds to wait

    @Slot(object)
    def prepare(self, job: Job) -> None:
        try:
            problems = [p.message for p in job.settings.problems()]
            if problems:
                raise errors.InvalidRequestError(0, "", " ".join(problems))
            self.prepared.emit(job.id, job.submissions, self._prepare_image(job))
        except Exception as exc:  # noqa: BLE001 - every failure ends as words on the job
            self.failed.emit(failure(job.id or 0, exc))

    def _prepare_image(self, job: Job) -> dict[str, Any]:
        if is_web_url(job.image_source) or (job.image_file and Path(job.image_file).is_file()):
            return {}
        prepared = prepare_image(Path(job.image_source), job.settings.resolution)
        # Keep the exact bytes that are sent: a re-run or a re-send needs no original.
        copy = paths.ensure(paths.inputs_dir()) / f"job-{job.id}{_suffix(prepared.media_type)}"
        copy.write_bytes(prepared.data)
        return {"image_file": str(copy), "image_note": prepared.note,
                "thumbnail": prepared.thumbnail_png}

    @Slot(object)
    def send(self, job: Job) -> None:
        """The job is claimed (counted as sent) already: from here on, a lost answer is uncertain."""
        job_id = job.id or 0
        try:
            task_id = self.client().submit(job.settings, self._image_reference(job))
        except errors.RateLimitError as exc:
            self.rateLimited.emit(job_id, exc.retry_after if exc.retry_after is not None else -1.0)
            return
        except (errors.SubmissionUncertain, errors.ProtocolError, errors.Cancelled) as exc:
            self.failed.emit(failure(job_id, exc, JobState.UNCERTAIN))
            return
        except Exception as exc:  # noqa: BLE001
            self.failed.emit(failure(job_id, exc))
            return
        log.info("job %s: accepted as task %s", job_id, task_id)  # paid for: never lose it
        self.accepted.emit(job_id, task_id)

    @staticmethod
    def _image_reference(job: Job) -> str:
        if is_web_url(job.image_source):
            return job.image_source
        if not job.image_file:
            raise errors.StorageError("the prepared copy of the image is missing")
        data = Path(job.image_file).read_bytes()
        info, problems = image_problems(data)
        if problems or info is None:
            raise ImageRejected(translate("engine", "; ").join(problems) or translate("engine", "it is not an image"))
        return data_uri(data, info.media_type)


def _suffix(media_type: str) -> str:
    return {"image/png": ".png", "image/webp": ".webp"}.get(media_type, ".jpg")


class PollWorker(_NetworkWorker):
    """Asks about every unfinished job as rarely as the server's estimate allows: one heap
    says which job is due next, so one thread serves them all."""

    polled = Signal(int, object)  # job id, dict of changes (state, progress, eta_s, seed)
    succeeded = Signal(int, object)  # job id, dict of changes (video link, seed)

    def __init__(self, stopping: threading.Event) -> None:
        super().__init__(stopping)
        self.schedule = PollSchedule()
        self._jobs: dict[int, Job] = {}
        self._delay: dict[int, float] = {}
        self._errors: dict[int, int] = {}
        self._timer: QTimer | None = None

    @Slot()
    def start(self) -> None:
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self._poll_due)

    @Slot(object)
    def track(self, job: Job) -> None:
        self._jobs[job.id or 0] = job
        self.schedule.set(str(job.id), time.monotonic())
        self._rearm()

    @Slot(int)
    def forget(self, job_id: int) -> None:
        self._jobs.pop(job_id, None)
        self.schedule.remove(str(job_id))

    def _rearm(self) -> None:
        due = self.schedule.next_due()
        if due is None or self._timer is None:
            return
        self._timer.start(max(0, int((due - time.monotonic()) * 1000)))

    def _poll_due(self) -> None:
        try:
            for key in self.schedule.pop_due(time.monotonic()):
                if self.stopping.is_set():
                    return
                job = self._jobs.get(int(key))
                if job is None:
                    continue
                try:
                    self._poll(job)
                except Exception:
                    log.exception("job %s: polling failed; trying again later", key)
                    self._again(job, POLL_AFTER_FAILURE.delay(self._next_error(job)))
        finally:
            self._rearm()

    def _next_error(self, job: Job) -> int:
        """How many polls of this job failed in a row before this one (0 for the first)."""
        count = self._errors.get(job.id or 0, 0)
        self._errors[job.id or 0] = count + 1
        return count

    def _poll(self, job: Job) -> None:
        job_id = job.id or 0
        try:
            result = self.client().task_result(job.task_id or "")
        except errors.Cancelled:
            return  # the app is closing: the job is polled again at the next start
        except errors.ViduError as exc:
            if exc.retryable:  # try again later, without holding up the other jobs
                delay = POLL_AFTER_FAILURE.delay(self._next_error(job), getattr(exc, "retry_after", None))
                log.info("job %s: poll failed (%s); again in %.0f s", job_id, exc, delay)
                self._again(job, delay)
            else:
                self.forget(job_id)
                self.failed.emit(failure(job_id, exc))
            return
        self._errors.pop(job_id, None)
        if result.status is TaskStatus.SUCCEED:
            link = result.videos[0]
            self.forget(job_id)
            self.succeeded.emit(job_id, {"state": JobState.DOWNLOADING, "progress": 0.0, "eta_s": None,
                                         "seed": result.seed if result.seed is not None else job.seed,
                                         "video_url": link.url,
                                         "video_url_expires_at": link.expires_at})
        elif result.status is TaskStatus.FAILED:
            self.forget(job_id)
            self.failed.emit(failure(job_id, errors.TaskFailedError(result.reason)))
        else:
            state = {TaskStatus.QUEUED: JobState.QUEUED,
                     TaskStatus.PROCESSING: JobState.PROCESSING}.get(result.status, job.state)
            job = dataclasses.replace(job, state=state, progress=result.progress_percent, eta_s=result.eta_s,
                                      seed=result.seed if result.seed is not None else job.seed)
            self._jobs[job_id] = job
            self.polled.emit(job_id, {"state": job.state, "progress": job.progress, "eta_s": job.eta_s,
                                      "seed": job.seed})
            self._again(job, next_delay(eta_s=result.eta_s, progress_percent=result.progress_percent,
                                        elapsed_s=time.time() - job.created_at,
                                        previous_delay_s=self._delay.get(job_id),
                                        queued=state is JobState.QUEUED,
                                        off_peak=job.settings.off_peak))

    def _again(self, job: Job, delay: float) -> None:
        self._delay[job.id or 0] = delay
        self.schedule.set(str(job.id), time.monotonic() + delay)


class DownloadWorker(_NetworkWorker):
    """Fetches a finished job's video into the library; resumes, refreshes expired links."""

    downloaded = Signal(int, str)  # job id, file
    diskFull = Signal(int, str)  # job id, folder: the download waits for space
    stalled = Signal(int)  # job id: too slow for now, resumed later
    progressed = Signal(int, float)  # job id, percent (in memory only)
    linkRefreshed = Signal(int, str, object)  # job id, url, expires_at

    def __init__(self, stopping: threading.Event, library_dir: Callable[[], Path],
                 cancelled: Callable[[int], bool]) -> None:
        super().__init__(stopping)
        self._attempts = 4
        self.library_dir = library_dir
        self.cancelled = cancelled
        self._last_emit = 0.0

    @Slot(object)
    def download(self, job: Job) -> None:
        job_id = job.id or 0
        try:
            library = paths.ensure(self.library_dir())
            # Fetched under a name of its own (stable, so a stopped download resumes from its
            # .part, which is only ever a prefix of what the server sent), tagged in place while
            # it is still private, then given its readable, unique name.
            target = destination_in(library, private_download_name(job_id, job.task_id))
            filename = video_filename(job.image_source, job.created_at, job.settings)
            placed = placed_already(target, library, filename)  # the crash came after the video was placed
            if placed is not None:
                target.unlink()
                self.downloaded.emit(job_id, str(placed))
                return
            # A private video left by a crash may be cut short in its tags: fetched again, but
            # kept until then, for a server that can no longer give it.
            kept = target.with_name(target.name + ".kept")
            if target.exists():
                os.replace(target, kept)
            scratch_path(target).unlink(missing_ok=True)
            try:
                self._fetch_and_tag(job, target)
            except (errors.Cancelled, errors.DownloadStalled):
                raise
            except Exception:
                if not (kept.exists() and looks_like_mp4(kept)):
                    raise
                log.warning("job %s: the video could not be fetched again; the copy a crash left is used", job_id,
                            exc_info=True)
                os.replace(kept, target)
                if not self._tag(job, target):
                    raise
            kept.unlink(missing_ok=True)
            target = move_into_place(target, library, filename)
        except errors.Cancelled:
            return
        except errors.DownloadStalled:  # the partial file is kept: carry on later from there
            log.warning("job %s: the download stalled; trying again in %.0f s", job_id, STALLED_RETRY_S)
            self.stalled.emit(job_id)
            return
        except (OSError, errors.StorageError) as exc:
            if disk_nearly_full(self.library_dir()):  # not the job's fault: wait for space
                log.warning("job %s: the disk is full; the download waits for space (%s)", job_id, exc)
                self.diskFull.emit(job_id, str(self.library_dir()))
                return
            if isinstance(exc, OSError):
                exc = errors.StorageError(f"{exc.strerror or exc} ({exc.filename or ''})")
            self.failed.emit(failure(job_id, exc))
            return
        except Exception as exc:  # noqa: BLE001
            self.failed.emit(failure(job_id, exc))
            return
        self.downloaded.emit(job_id, str(target))

    def _fetch_and_tag(self, job: Job, target: Path) -> None:
        """Download the job's video to `target` (resuming its .part) and write its tags; once
        more when tagging damaged it."""
        job_id = job.id or 0
        link = job.video_link()
        url = link.url if link and not link.expired() else None
        for fetch in range(2):  # the second only when tagging damaged the first
            for attempt in range(3):
                if url is None:
                    url = self._fresh_link(job)
                try:
                    self.client().download(
                        url, target, progress=lambda got, total: self._progress(job_id, got, total),
                        should_stop=lambda: self.stopping.is_set() or self.cancelled(job_id))
                    break
                except errors.LinkExpiredError:
                    url = None
                    if attempt == 2:
                        raise
            if not looks_like_mp4(target):
                target.unlink(missing_ok=True)
                raise errors.DownloadError("the file is not a complete MP4 video")
            if self._tag(job, target):
                return
            if fetch == 1:
                raise errors.DownloadError("the video was damaged twice while its tags were written")

    @staticmethod
    def _tag(job: Job, video: Path) -> bool:
        """Write what made the video into it; a failure is logged and the video kept as it is.
        False when the video could not be put back after a failed write: it is deleted."""
        meta = VideoMetadata(prompt=job.settings.prompt, settings=job.settings,
                             seed=job.seed if job.seed is not None else (job.settings.seed or None),
                             task_id=job.task_id or "", source_name=source_name(job.image_source),
                             app_version=__version__, created_at=job.created_at)
        try:
            write_metadata(video, meta)
        except MetadataError:
            log.warning("job %s: the video is kept without its tags", job.id, exc_info=True)
        except VideoDamaged:
            log.warning("job %s: the video was damaged while its tags were written; fetching it again", job.id,
                        exc_info=True)
            video.unlink(missing_ok=True)
            return False
        return True

    def _fresh_link(self, job: Job) -> str:
        result = self.client().task_result(job.task_id or "")
        if not result.videos:
            raise errors.ProtocolError("no video link in the task result")
        link = result.videos[0]
        self.linkRefreshed.emit(job.id or 0, link.url, link.expires_at)
        return link.url

    def _progress(self, job_id: int, got: int, total: int | None) -> None:
        now = time.monotonic()
        if total and (now - self._last_emit > PROGRESS_EVERY_S or got >= total):
            self._last_emit = now
            self.progressed.emit(job_id, min(100.0, 100.0 * got / total))


class JobEngine(QObject):
    """The store's one owner. Every public slot runs on the engine's thread; the session
    calls them through queued signals, and learns of changes through the signals below."""

    opened = Signal()
    openFailed = Signal(str)  # what is wrong with the job list's file
    problem = Signal(str)  # something the user must hear about, in words
    pageReady = Signal(int, object, bool)  # query token, tuple[Job, ...] newest first, more to come
    jobChanged = Signal(object)  # Job
    jobRemoved = Signal(int)
    videoReady = Signal(int, str)
    thumbnailReady = Signal(int, QImage)
    pendingChanged = Signal(int)  # jobs not yet finished or uncertain
    caughtUp = Signal(object)  # the token given to catch_up(), once what came before is done
    # (created_at, estimate units or None) of what counts as spent since the asked time, and
    # the estimates of jobs added then but not yet accepted (units): see spending()
    spendingReady = Signal(object, int)
    queuePausedChanged = Signal(bool)  # the queue was paused (True) or resumed; also once at open
    familyReady = Signal(int, object, object)  # job id, parent Job or None, tuple of child Jobs
    importFinished = Signal(object, object)  # tuple of the jobs added (ids), list of problems in words

    _prepare = Signal(object)
    _send = Signal(object)
    _track = Signal(object)
    _forget = Signal(int)
    _download = Signal(object)
    _connect_workers = Signal(object)
    finish = Signal()  # from the session: stop after what is queued now

    def __init__(self, database: Path | str, library_dir: Callable[[], Path],
                 stopping: threading.Event) -> None:
        super().__init__()
        self.database = database
        self.library_dir = library_dir
        self.store: JobStore | None = None
        self.stopping = stopping
        self.connection: Connection | None = None
        self._to_resume: list[Job] | None = None  # recovered at open, resumed once connected
        self._pending: set[int] = set()
        self._cancelled: set[int] = set()
        self._cancelled_lock = threading.Lock()
        self._resends: dict[int, int] = {}
        self._downloading: set[int] = set()
        self._waiting_for_space: dict[int, int] = {}  # job id -> free bytes when it stopped
        # The queue: paused or not (kept in the store), how many jobs may be open at Novita,
        # the submit rate, and the claimed-to-be-sent jobs waiting for the rate to allow them.
        self.queue_paused = False
        self.max_open = 4  # the session sets settings.max_open_jobs()
        self.rate = SubmitRate()
        self._waiting: set[int] = set()  # pending jobs that are WAITING (not counted while paused)
        self._to_send: deque[tuple[int, int]] = deque()  # (job id, submissions seen), in order
        self._send_timer: QTimer | None = None
        self._admit_timer: QTimer | None = None  # admits again when a 429's wait is over
        # One submit at a time: the next goes out after the last one's answer, so a 429 holds
        # back every other submit too (the worker's thread sends one by one anyway).
        self._sending: int | None = None
        self._admit_soon = False
        self.submitter = SubmitWorker(stopping)
        self.poller = PollWorker(stopping)
        self.downloader = DownloadWorker(stopping, library_dir, self._is_cancelled)
        self.workers: tuple[_NetworkWorker, ...] = (self.submitter, self.poller, self.downloader)
        for worker in self.workers:
            worker.failed.connect(self._failed)
            self._connect_workers.connect(worker.set_connection)
        self._prepare.connect(self.submitter.prepare)
        self._send.connect(self.submitter.send)
        self._track.connect(self.poller.track)
        self._forget.connect(self.poller.forget)
        self._download.connect(self.downloader.download)
        self.submitter.prepared.connect(self._prepared)
        self.submitter.accepted.connect(self._accepted)
        self.submitter.rateLimited.connect(self._rate_limited)
        self.poller.polled.connect(self._polled)
        self.poller.succeeded.connect(self._succeeded)
        self.downloader.progressed.connect(self._progressed)
        self.downloader.linkRefreshed.connect(self._link_refreshed)
        self.downloader.downloaded.connect(self._downloaded)
        self.downloader.diskFull.connect(self._disk_full)
        self.downloader.stalled.connect(self._stalled)
        self.finish.connect(self._finish_thread)

    # -- opening and history --------------------------------------------------------------

    @Slot()
    def open(self) -> None:
        """Open the store, recover what a crash left behind, and send the first screenful.

        A damaged file is never repaired or overwritten here: the session asks the user."""
        path = Path(self.database)
        store: JobStore | None = None
        try:
            if path.is_file() and path.stat().st_size == 0:
                raise DamagedDatabase("the file is empty")
            store = JobStore(path)
            if not store.integrity_ok(quick=True):
                raise DamagedDatabase("it failed SQLite's integrity check")
            to_resume = store.recover_after_start()  # before the window asks for its first page
            pending = store.ids(RUNNING)
            waiting = store.ids([JobState.WAITING])
            paused = store.queue_paused()
        except Exception as exc:
            log.exception("cannot open the job database %s", path)
            if store is not None:
                store.close()
            reason = str(exc) if isinstance(exc, DamagedDatabase) else f"{type(exc).__name__}: {exc}"
            self.openFailed.emit(reason)
            return
        self.store, self._to_resume = store, to_resume
        self._carry_over_refusal(store)
        self._pending, self._waiting, self.queue_paused = set(pending), set(waiting), paused
        self.queuePausedChanged.emit(paused)
        self.opened.emit()
        self.pendingChanged.emit(self._pending_count())
        self._schedule_admit()
        QTimer.singleShot(TIDY_AFTER_MS, self.tidy)

    @Slot()
    def tidy(self) -> None:
        """Remove what nothing will use again: the private download files of jobs that will not
        download again (done, cancelled, deleted, or left by a crash), and frames taken from videos
        that no job was made from. Here, on the store's thread, the job states cannot change
        while the folders are looked at."""
        if self.store is None or self.stopping.is_set():
            return
        try:
            # A failed download carries on from its .part when retried: kept like a running one.
            resumable = set(self.store.ids([JobState.DOWNLOADING, JobState.FAILED]))
            leftovers = download_leftovers(self.library_dir(), resumable)
            leftovers += unused_frames(paths.frames_dir(), self.store.files_in_use(), FRAME_KEPT_S)
        except Exception:  # tidying is a nicety: the store or a folder may be gone
            log.warning("could not look for leftover files", exc_info=True)
            return
        for path in leftovers:
            try:
                path.unlink(missing_ok=True)
            except OSError:
                log.warning("could not remove %s", path, exc_info=True)
        if leftovers:
            log.info("removed %d leftover file(s): %s", len(leftovers), ", ".join(p.name for p in leftovers[:10]))

    def _carry_over_refusal(self, store: JobStore) -> None:
        """A job refused with 429 before the app stopped waits out what is left of that wait."""
        now = time.time()
        left = 0.0
        for job in store.waiting(limit=50):
            if job.error_kind == "RateLimited" and job.eta_s:
                left = max(left, min(float(job.eta_s), float(job.eta_s) - (now - job.updated_at)))
        if left > 0:
            self.rate.block(time.monotonic(), left)

    @Slot()
    def set_aside_and_open(self) -> None:
        """Keep a damaged job list under a dated name (never overwritten) and start a fresh one."""
        path = Path(self.database)
        stamp = time.strftime("%Y-%m-%d_%H%M%S")
        for suffix in ("", "-wal", "-shm"):
            broken = path.with_name(path.name + suffix)
            if broken.exists():
                broken.rename(path.with_name(f"{path.stem}.damaged-{stamp}{path.suffix}{suffix}"))
        self.open()

    @Slot(int, object, str, int, int)
    def query(self, token: int, states: list[JobState] | None, search: str, offset: int, limit: int) -> None:
        """A page of history for the window, newest first: only what it is about to show."""
        jobs = self.store.list(states=states, search=search, limit=limit + 1, offset=offset) if self.store else []
        self.pageReady.emit(token, tuple(jobs[:limit]), len(jobs) > limit)

    def _in_flight(self, since: float) -> int:
        """The estimates of jobs added since `since` that wait in the queue or are being sent
        (not yet accepted): they are committed, so they count against a cap."""
        if self.store is None:
            return 0
        return sum(job.estimate_units or 0 for job in self.store.list(states=[JobState.WAITING, JobState.SUBMITTING],
                                                                      limit=100_000)
                   if job.task_id is None and job.created_at >= since)

    def _committed_since(self, since: float) -> int:
        """What counts against a cap: the accepted jobs' estimates and those being sent."""
        if self.store is None:
            return 0
        return self.store.spent_since(since).units + self._in_flight(since)

    @Slot(float)
    def spending(self, since: float) -> None:
        """What was spent (estimates) since `since`, for the Spending view and the cap."""
        if self.store is None:
            return
        try:
            entries = self.store.spending(since)
            in_flight = self._in_flight(since)
        except Exception:
            log.exception("could not read what was spent")
            return
        self.spendingReady.emit(entries, in_flight)

    @Slot(int)
    def load_thumbnail(self, job_id: int) -> None:
        """Decode once, here, at list size; the window only converts it for painting."""
        data = self.store.thumbnail(job_id) if self.store else None
        image = QImage()
        if data and image.loadFromData(data):
            image = image.scaled(THUMBNAIL_PX, THUMBNAIL_PX, Qt.AspectRatioMode.KeepAspectRatio,
                                 Qt.TransformationMode.SmoothTransformation)
        self.thumbnailReady.emit(job_id, image)

    # -- intents from the session ---------------------------------------------------------

    @Slot(object)
    def set_connection(self, connection: Connection | None) -> None:
        self.connection = connection
        self._connect_workers.emit(connection)

    @Slot(object, object, object, object)
    def generate(self, orders: list[ImageOrder], thumbnails: dict[str, bytes] | None = None,
                 estimates: list[int | None] | None = None, monthly_cap: int | None = None) -> None:
        """One job per take of each order, each with an explicit seed; every job is on disk
        before anything is sent. With a monthly cap (units), nothing is added when the
        estimates would take this month past it. `estimates` are per take, one per order."""
        if self.store is None:
            self.problem.emit(translate("engine", "The job list is not open, so nothing was sent."))
            return
        per_take = list(estimates or [None] * len(orders))
        wanted = [(order, take, estimate) for order, estimate in zip(orders, per_take, strict=True)
                  for take in order.take_settings(self._draw_seed)]
        known = [estimate for _, _, estimate in wanted if estimate is not None]
        if monthly_cap is not None and known:
            spent = self._committed_since(SpendingSummary.starts(time.time())[2])
            refusal = cap_problem(spent, sum(known), monthly_cap)
            if refusal:
                self.problem.emit(translate("engine", "Not sent: {refusal} Change the cap in Settings.").format(
                    refusal=refusal))
                return
        for index, (order, take, estimate) in enumerate(wanted):
            try:
                job = self.store.add(Job(state=JobState.WAITING, settings=take, image_source=order.source,
                                         thumbnail=(thumbnails or {}).get(order.source), estimate_units=estimate,
                                         server=self.connection.server_id if self.connection else "",
                                         parent_id=order.parent_id, relation=order.relation))
            except Exception as exc:
                log.exception("could not store a new job")
                self.problem.emit(translate("engine", "{left} of {count} job(s) could not be recorded, so they were "
                                                      "not sent: {reason}").format(
                    left=len(wanted) - index, count=len(wanted), reason=errors.describe(exc)))
                return
            self._announce(job)
        self._admit()

    @staticmethod
    def _draw_seed() -> int:
        import secrets  # imported on use: not paid at start-up

        return secrets.randbelow(SEED_RANGE[1]) + 1

    @Slot(int)
    def retry(self, job_id: int) -> None:
        """Carry on from where a job stopped; an uncertain one is sent again only from here."""
        job = self.store.get(job_id) if self.store else None
        if job is None or self.store is None or job.state is JobState.DONE:
            return
        if job.state in (JobState.WAITING, JobState.SUBMITTING):
            return  # in the queue, or being sent: nothing to do again
        if job.task_id is None:  # sent again (or put back): it waits its turn at the end of the queue
            try:
                job = self.store.requeue(job_id, note="sent again by the user")
            except errors.IllegalTransition:
                return
            self._announce(job)
            self._admit()
        elif job.video_url or job.state is JobState.DOWNLOADING:
            job = self._change(job_id, state=JobState.DOWNLOADING, error="", error_kind="")
            if job and self._serves(job):
                self._start_download(job)
        else:
            job = self._change(job_id, state=JobState.QUEUED, error="", error_kind="")
            if job and self._serves(job):
                self._track.emit(job)

    @Slot(object)
    def delete(self, job_ids: list[int]) -> None:
        """Forget jobs and remove their files (the window has let go of a playing video)."""
        in_flight = 0
        for job_id in job_ids:
            job = self.store.get(job_id) if self.store else None
            if job is None or self.store is None:
                continue
            if self._sending == job_id:  # the window's snapshot was older: Novita may be making it now
                in_flight += 1
                continue
            with self._cancelled_lock:
                self._cancelled.add(job_id)
            self._downloading.discard(job_id)
            self._waiting_for_space.pop(job_id, None)
            self._forget.emit(job_id)
            # An imported video stays where the user keeps it: only the job is forgotten.
            for path in (None if job.server == IMPORTED else job.video_path, job.image_file):
                if path:
                    try:
                        Path(path).unlink(missing_ok=True)
                    except OSError:
                        log.warning("could not delete %s", path, exc_info=True)
            self.store.delete(job_id)
            self._set_pending(job_id, False)
            self.jobRemoved.emit(job_id)
        if in_flight:
            self.problem.emit(translate(
                "engine", "A job is being sent to Novita right now, so it was kept: once Novita answers, it can "
                          "be deleted (its video would be charged either way)."))
        self._schedule_admit()  # a deleted job may have held a slot

    @Slot()
    def resume(self) -> None:
        """Check every unfinished job now. Recovery (stranded submits become uncertain) runs
        once per process: after a key change, a submit in flight must not be touched."""
        if self.store is None:
            return
        if self._to_resume is None:
            jobs = self.store.list(states=[JobState.QUEUED, JobState.PROCESSING, JobState.DOWNLOADING],
                                   limit=1_000_000)
        else:
            jobs, self._to_resume = self._to_resume, None
        for job in jobs:
            if not self._serves(job):
                continue  # made for another server (demo vs Novita): it waits for that one
            if job.state is JobState.SUBMITTING:  # never sent before the app stopped
                self._prepare.emit(job)
            elif job.state is JobState.DOWNLOADING:
                self._start_download(job)
            else:
                self._track.emit(job)
        self._admit()

    # -- reports from the workers ---------------------------------------------------------

    def _prepared(self, job_id: int, seen_submissions: int, fields: dict[str, Any]) -> None:
        if fields and self._change(job_id, **fields) is None:
            return
        self._to_send.append((job_id, seen_submissions))
        self._send_due()

    def _send_due(self) -> None:
        """Send the prepared jobs, in order, as fast as the submit rate allows (none while the
        queue is paused); when it does not allow one now, look again when it will."""
        while (self._to_send and self._sending is None and not self.queue_paused
               and not self.stopping.is_set()):
            wait = self.rate.wait_s(time.monotonic())
            if wait > 0:
                if self._send_timer is None:
                    self._send_timer = QTimer(self)
                    self._send_timer.setSingleShot(True)
                    self._send_timer.timeout.connect(self._send_due)
                if not self._send_timer.isActive():
                    self._send_timer.start(max(1, int(wait * 1000) + 1))
                return
            job_id, seen = self._to_send.popleft()
            if self._claim_and_send(job_id, seen):
                self.rate.sent(time.monotonic())

    def _claim_and_send(self, job_id: int, seen_submissions: int) -> bool:
        job = self.store.get(job_id) if self.store else None
        if (self.store is None or job is None or self.stopping.is_set() or not self._serves(job)
                or job.state is not JobState.SUBMITTING):
            return False  # not sent: it goes out at the next start
        # Claimed and counted before it leaves: a crash now means "uncertain". Only the count
        # seen when the job was handed out can be claimed, so a job handed out twice (or by
        # another process) is sent once.
        claimed = self.store.mark_sent(job_id, seen_submissions)
        if claimed is not None:
            self._sending = job_id
            self._send.emit(claimed)
        return claimed is not None

    def _answered(self, job_id: int) -> None:
        """The submit of `job_id` was answered (or ended): the next one may go."""
        if self._sending == job_id:
            self._sending = None
            self._send_due()

    def _accepted(self, job_id: int, task_id: str) -> None:
        self._answered(job_id)
        self._resends.pop(job_id, None)
        job = self._change(job_id, task_id=task_id, state=JobState.QUEUED, error="", error_kind="", eta_s=None)
        if job is not None:
            self._track.emit(job)

    def _rate_limited(self, job_id: int, retry_after: float) -> None:
        """Novita refused the submit (429): no task was made. The job goes back to WAITING at
        the front of the queue (so a restart meanwhile never calls it uncertain), shows the wait
        as a countdown, and nothing is admitted until the wait is over."""
        tries = self._resends.get(job_id, 0) + 1
        self._resends[job_id] = tries
        if tries > RATE_LIMIT_RESENDS:
            self._failed(Failure(job_id, JobState.FAILED, errors.describe(
                errors.RateLimitError(429, "RATE_LIMIT_EXCEEDED", "")), "RateLimitError"))
            return
        delay = RATE_LIMITED.delay(tries - 1, retry_after if retry_after >= 0 else None)
        self.rate.refused(time.monotonic(), delay)  # every other submit waits too, and slower after
        if self._sending == job_id:
            self._sending = None
        log.info("job %s: rate limited; sending again in %.0f s (now at most %d a minute)",
                 job_id, delay, self.rate.limit)
        if self.store is not None:
            # The jobs admitted behind it were not sent either: they wait in the queue again, in
            # their order after it, rather than say "Submitting…" through the whole wait.
            held = [entry[0] for entry in self._to_send if entry[0] != job_id]
            self._to_send.clear()
            # Shown as a countdown on the job (eta_s from now), so a long wait is never silent.
            words = translate("engine", "Novita asked to slow down; sending again in {seconds} s.").format(
                seconds=f"{delay:.0f}")
            for requeued, note, changes in [
                    *((held_id, "held back: Novita asked to wait", {}) for held_id in reversed(held)),
                    (job_id, "refused by Novita (429): no task made",
                     {"eta_s": delay, "error": words, "error_kind": "RateLimited"})]:
                try:
                    job = self.store.requeue_front(requeued, note=note, **changes)
                except (KeyError, errors.IllegalTransition):
                    job = None  # deleted meanwhile, or no longer being sent
                except Exception:
                    log.exception("job %s: could not put it back in the queue", requeued)
                    job = None
                if job is not None:
                    self._announce(job)
        self._send_due()
        self._schedule_admit()

    def _polled(self, job_id: int, changes: dict[str, Any]) -> None:
        job = self.store.get(job_id) if self.store else None
        if job is None:
            return
        if changes["state"] is not job.state or changes["seed"] != job.seed:
            self._change(job_id, **changes)
        else:  # the estimate only: shown, not written
            self.jobChanged.emit(dataclasses.replace(job, progress=changes["progress"],
                                                     eta_s=changes["eta_s"], updated_at=time.time()))

    def _succeeded(self, job_id: int, changes: dict[str, Any]) -> None:
        job = self._change(job_id, **changes)
        if job is not None:
            self._start_download(job)

    def _progressed(self, job_id: int, percent: float) -> None:
        job = self.store.get(job_id) if self.store else None
        if job is not None and job.state is JobState.DOWNLOADING:
            self.jobChanged.emit(dataclasses.replace(job, progress=percent))

    def _link_refreshed(self, job_id: int, url: str, expires_at: float | None) -> None:
        self._change(job_id, video_url=url, video_url_expires_at=expires_at)

    def _start_download(self, job: Job) -> None:
        """One download per job at a time (a resume after a key change finds it running)."""
        if job.id not in self._downloading:
            self._downloading.add(job.id or 0)
            self._download.emit(job)

    def _downloaded(self, job_id: int, path: str) -> None:
        self._downloading.discard(job_id)
        if self._change(job_id, state=JobState.DONE, video_path=path, progress=100.0,
                        error="", error_kind="") is not None:
            self.videoReady.emit(job_id, path)

    def _disk_full(self, job_id: int, folder: str) -> None:
        """Pause, say so once, and look again every SPACE_CHECK_S until there is more room."""
        self._downloading.discard(job_id)
        if not self._waiting_for_space:
            self.problem.emit(translate("engine", "The disk holding {folder} is full. Downloads are paused and carry "
                                                  "on by themselves when space is free.").format(folder=folder))
        self._waiting_for_space[job_id] = free_bytes(Path(folder)) or 0
        self._change(job_id, error=translate("engine", "Paused: the disk is full. The download carries on when space "
                                                       "is free."),
                     error_kind="DiskFull")
        QTimer.singleShot(int(SPACE_CHECK_S * 1000), lambda: self._space_check(job_id, Path(folder)))

    def _stalled(self, job_id: int) -> None:
        self._downloading.discard(job_id)
        words = translate("engine", "The connection is very slow; the download carries on from where it stopped in "
                                    "{minutes} minutes.").format(minutes=f"{STALLED_RETRY_S / 60:.0f}")
        job = self._change(job_id, error=words, error_kind="DownloadStalled")
        if job is not None:
            QTimer.singleShot(int(STALLED_RETRY_S * 1000), lambda: self._resume_download(job_id))

    def _resume_download(self, job_id: int) -> None:
        job = self.store.get(job_id) if self.store and not self.stopping.is_set() else None
        if job is not None and job.state is JobState.DOWNLOADING and self._serves(job):
            self._start_download(job)

    def _space_check(self, job_id: int, folder: Path) -> None:
        if job_id not in self._waiting_for_space or self.stopping.is_set():
            return
        if (free_bytes(folder) or 0) <= max(self._waiting_for_space[job_id], DISK_FULL_BELOW_BYTES):
            QTimer.singleShot(int(SPACE_CHECK_S * 1000), lambda: self._space_check(job_id, folder))
            return
        del self._waiting_for_space[job_id]
        self._change(job_id, error="", error_kind="")
        self._resume_download(job_id)

    @Slot(object)
    def _failed(self, report: Failure) -> None:
        self._answered(report.job_id)
        self._downloading.discard(report.job_id)
        self._change(report.job_id, state=report.state, error=report.words, error_kind=report.kind,
                     note=report.kind)

    # -- the one way a job changes ---------------------------------------------------------

    def _change(self, job_id: int, *, note: str = "", **changes: Any) -> Job | None:
        if self.store is None:
            return None
        try:
            job = self.store.update(job_id, note=note, **changes)
        except KeyError:  # deleted by the user meanwhile: nothing left to report
            return None
        except errors.IllegalTransition:
            log.warning("job %s: ignored a change that the lifecycle forbids: %s", job_id, changes.get("state"))
            return None
        except Exception:
            log.exception("job %s: could not store %s", job_id, sorted(changes))
            return None
        self._announce(job)
        if "state" in changes and not job.state.open_at_novita:
            self._schedule_admit()  # a slot may have come free
        if "thumbnail" in changes:  # the prepared image brought one: the list shows it now
            self.load_thumbnail(job_id)
        return job

    def _announce(self, job: Job) -> None:
        self._set_pending(job.id or 0, job.state.running, job.state is JobState.WAITING)
        self.jobChanged.emit(dataclasses.replace(job, thumbnail=None))

    def _set_pending(self, job_id: int, pending: bool, waiting: bool = False) -> None:
        before = self._pending_count()
        if pending:
            self._pending.add(job_id)
        else:
            self._pending.discard(job_id)
        if pending and waiting:
            self._waiting.add(job_id)
        else:
            self._waiting.discard(job_id)
        if self._pending_count() != before:
            self.pendingChanged.emit(self._pending_count())

    def _pending_count(self) -> int:
        """Jobs still to be worked on; a paused queue's waiting jobs are not (nothing moves them)."""
        return len(self._pending - self._waiting) if self.queue_paused else len(self._pending)

    # -- the queue ----------------------------------------------------------------------------

    def _schedule_admit(self) -> None:
        """Admit once the current burst of changes is handled (many changes, one look)."""
        if not self._admit_soon:
            self._admit_soon = True
            QTimer.singleShot(0, self._admit)

    def _admit(self) -> None:
        """Start sending waiting jobs, in queue order, while fewer than `max_open` of this
        server's jobs are open at Novita (lifecycle.OPEN_AT_NOVITA) and the queue is not paused."""
        self._admit_soon = False
        if self.store is None or self.queue_paused or self.connection is None or self.stopping.is_set():
            return
        refused_wait = self.rate.refused_wait_s(time.monotonic())
        if refused_wait > 0:  # Novita asked to wait (429): the queue stays WAITING until then
            if self._admit_timer is None:
                self._admit_timer = QTimer(self)
                self._admit_timer.setSingleShot(True)
                self._admit_timer.timeout.connect(self._admit)
            self._admit_timer.start(max(1, int(refused_wait * 1000) + 1))
            return
        servers = ("", self.connection.server_id)
        try:
            free = self.max_open - self.store.count_open(servers)
            jobs = self.store.waiting(servers, limit=free) if free > 0 else []
        except Exception:
            log.exception("could not read the queue")
            return
        for job in jobs:
            started = self._change(job.id or 0, state=JobState.SUBMITTING, note="its turn in the queue")
            if started is not None:
                self._prepare.emit(started)

    @Slot(int)
    def set_queue_limit(self, count: int) -> None:
        """At most `count` jobs open at Novita at once (settings.max_open_jobs())."""
        self.max_open = max(1, int(count))
        self._admit()

    @Slot(bool)
    def set_queue_paused(self, paused: bool) -> None:
        """Pause (nothing new is sent; what is at Novita carries on) or resume the queue; kept in
        the store, so a paused queue stays paused after a restart."""
        if self.store is None:
            return
        try:
            self.store.set_queue_paused(paused)
        except Exception as exc:
            log.exception("could not keep the queue's paused flag")
            self.problem.emit((translate("engine", "Could not pause the queue: {reason}") if paused
                               else translate("engine", "Could not resume the queue: {reason}")).format(
                reason=errors.describe(exc)))
            return
        before = self._pending_count()
        self.queue_paused = paused
        self.queuePausedChanged.emit(paused)
        if self._pending_count() != before:
            self.pendingChanged.emit(self._pending_count())
        if not paused:
            self._send_due()
            self._admit()

    @Slot(object)
    def cancel(self, job_ids: list[int]) -> None:
        """Take waiting jobs out of the queue (CANCELLED). A job already sent stays as it is:
        Novita's API cannot cancel a task; `problem` says so."""
        sent = 0
        for job_id in job_ids:
            job = self.store.get(job_id) if self.store else None
            if job is None:
                continue
            held = job.state is JobState.SUBMITTING and self._sending != job_id  # admitted, not sent yet
            if job.state is JobState.WAITING or held:
                self._to_send = deque(entry for entry in self._to_send if entry[0] != job_id)
                self._resends.pop(job_id, None)
                self._change(job_id, state=JobState.CANCELLED, note="cancelled by the user")
            elif job.state.open_at_novita or job.state is JobState.UNCERTAIN:
                sent += 1
        if sent:
            # Two wordings, not a %n plural: lupdate reads only tr()'s counts as plurals.
            self.problem.emit((translate(
                "engine", "{count} of these jobs were already sent to Novita and cannot be cancelled: Novita's API "
                          "has no way to stop a task, so it runs to its end and is charged. Its video is still saved.")
                if sent == 1 else translate(
                "engine", "{count} of these jobs were already sent to Novita and cannot be cancelled: Novita's API "
                          "has no way to stop a task, so they run to their end and are charged. Their videos are "
                          "still saved.")).format(count=sent))

    @Slot(object, int)
    def move_in_queue(self, job_ids: list[int], steps: int) -> None:
        """Move waiting jobs `steps` places (negative: sooner); their new places come as jobChanged."""
        self._reorder(job_ids, steps=steps)

    @Slot(object, int)
    def move_to(self, job_ids: list[int], index: int) -> None:
        """Place waiting jobs from `index` on (0: sent next), counted among the other waiting jobs."""
        self._reorder(job_ids, index=index)

    def _reorder(self, job_ids: list[int], *, steps: int | None = None, index: int | None = None) -> None:
        if self.store is None:
            return
        try:
            changed = self.store.reorder(job_ids, steps=steps, index=index)
        except Exception as exc:
            log.exception("could not reorder the queue")
            self.problem.emit(translate("engine", "Could not change the queue's order: {reason}").format(
                reason=errors.describe(exc)))
            return
        for job in changed:
            self.jobChanged.emit(dataclasses.replace(job, thumbnail=None))

    @Slot(object)
    def import_videos(self, files: list[str]) -> None:
        """A DONE job for each video this app made (read from its tags), where the file is;
        a file already in the list (same task id or path) is skipped. importFinished gives the
        ids of the jobs added and, in words, what was not added."""
        added, problems = [], []
        for raw in files:
            name = Path(raw).name or str(raw)
            try:
                job_id, problem = self._import_one(Path(raw))
            except Exception as exc:
                log.exception("could not import %s", raw)
                job_id, problem = 0, translate("engine", "{name}: could not be added ({reason}).").format(
                    name=name, reason=errors.describe(exc))
            if problem:
                problems.append(problem)
            else:
                added.append(job_id)
        self.importFinished.emit(tuple(added), problems)

    def _import_one(self, path: Path) -> tuple[int, str]:
        """Add one video: (its job's id, "") or (0, what went wrong in words)."""
        if self.store is None:
            return 0, translate("engine", "{name}: the job list is not open.").format(name=path.name)
        path = path.resolve()
        if not path.is_file():
            return 0, translate("engine", "{name}: there is no such file.").format(name=path.name)
        if not looks_like_mp4(path):
            return 0, translate("engine", "{name}: not a complete MP4 video.").format(name=path.name)
        meta = read_metadata(path)
        if meta is None:
            return 0, translate("engine", "{name}: it carries no Vidu Desktop details (made elsewhere?), so it was "
                                          "not added.").format(name=path.name)
        if self.store.find(task_id=meta.task_id or None, video_path=str(path)) is not None:
            return 0, translate("engine", "{name}: already in the job list.").format(name=path.name)
        job = self.store.add(Job(state=JobState.DONE, settings=meta.settings, image_source=meta.source_name,
                                 task_id=meta.task_id or None, seed=meta.seed, video_path=str(path),
                                 progress=100.0, server=IMPORTED,
                                 image_note=translate("engine", "imported from {name}").format(name=path.name)),
                             created_at=meta.created_at or path.stat().st_mtime)
        self._announce(job)
        return job.id or 0, ""

    @Slot(int, QImage)
    def set_thumbnail(self, job_id: int, frame: QImage) -> None:
        """A job's thumbnail from a frame of its video (an imported one has no image to make it from)."""
        if self.store is not None and not frame.isNull():
            self._change(job_id, thumbnail=thumbnail_of(frame))  # nothing when the job was deleted meanwhile

    @Slot(int)
    def family(self, job_id: int) -> None:
        """A job's parent and children (re-runs, continuations), as familyReady."""
        if self.store is None:
            return
        try:
            parent, children = self.store.family(job_id)
        except Exception:
            log.exception("could not read job %s's family", job_id)
            return
        self.familyReady.emit(job_id, parent and dataclasses.replace(parent, thumbnail=None),
                              tuple(dataclasses.replace(child, thumbnail=None) for child in children))

    def _serves(self, job: Job) -> bool:
        return self.connection is not None and self.connection.serves(job)

    def _is_cancelled(self, job_id: int) -> bool:
        with self._cancelled_lock:
            return job_id in self._cancelled

    @Slot(object)
    def catch_up(self, token: object) -> None:
        self.caughtUp.emit(token)

    @Slot()
    def _finish_thread(self) -> None:
        thread = self.thread()
        if thread is not None:
            thread.quit()

    @Slot()
    def close(self) -> None:
        if self.store is not None:
            self.store.close()
            self.store = None


class EngineThreads:
    """The engine and its three workers, each on a thread of its own; bounded shutdown."""

    def __init__(self, database: Path | str, library_dir: Callable[[], Path],
                 parent: QObject | None = None) -> None:
        self.stopping = threading.Event()
        self.engine = JobEngine(database, library_dir, self.stopping)
        self.threads: list[QThread] = []
        for name, obj in (("engine", self.engine), ("submit", self.engine.submitter),
                          ("poll", self.engine.poller), ("download", self.engine.downloader)):
            thread = QThread(parent)
            thread.setObjectName(f"vidu-{name}")
            # First thing on the new thread, before any work: it gives way to the GUI thread
            # (under load the window otherwise waits for a core behind it and misses frames).
            thread.started.connect(run_as_background_thread, Qt.ConnectionType.DirectConnection)
            obj.moveToThread(thread)
            thread.finished.connect(obj.deleteLater)  # its timers die in their own thread
            self.threads.append(thread)
        self.threads[0].started.connect(self.engine.open)
        # The store is closed by the thread that opened it, as that thread ends.
        self.threads[0].finished.connect(self.engine.close, Qt.ConnectionType.DirectConnection)
        self.threads[2].started.connect(self.engine.poller.start)

    def start(self) -> None:
        for thread in self.threads:
            thread.start()

    def stop(self, deadline: float) -> bool:
        """End every thread by `deadline` (time.monotonic()). True when all ended; False when
        a network call is still stuck (its job stays resumable: the store says where it was)."""
        self.stopping.set()
        engine_thread, *network = self.threads
        ended = True
        for thread in network:
            thread.quit()
        for thread in network:
            if not thread.wait(max(0, int((deadline - 0.3 - time.monotonic()) * 1000))):
                log.warning("%s did not stop in time", thread.objectName())
                ended = False
        # Queued after the workers' last reports, so a task id that just arrived is stored.
        self.engine.finish.emit()
        if not engine_thread.wait(max(0, int((deadline - time.monotonic()) * 1000))):
            log.warning("the engine did not stop in time")
            ended = False
        return ended
