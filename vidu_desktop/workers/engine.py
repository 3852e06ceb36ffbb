"""The job engine: three worker threads (submit, poll, download) around the pure core.

The job store is the single source of truth. Workers change it and announce the job id
through signals; the window re-reads the job. Workers never touch widgets. Polling all jobs
needs one thread, not one sleeping thread per job: a heap says which job is due next.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QObject, QThread, QTimer, Signal, Slot

from ..core import errors
from ..core.jobs import Job, JobState, JobStore
from ..core.library import destination_in, looks_like_mp4, video_filename
from ..core.novita import NovitaClient, RetryPolicy, TaskStatus
from ..core.polling import PollSchedule, next_delay
from ..core.imageinfo import sniff
from ..core.request import VideoRequest, data_uri, is_web_url
from ..media.images import ImageRejected, prepare_image
from .. import paths

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Connection:
    """What a worker needs to build its own client (a requests.Session is per thread)."""

    api_key: str
    base_url: str | None

    def __repr__(self) -> str:
        return f"Connection(base_url={self.base_url!r})"

    def client(self, attempts: int, stopping: threading.Event) -> NovitaClient:
        def wait(seconds: float) -> None:  # back-off that ends at once when the app closes
            if stopping.wait(seconds):
                raise errors.Cancelled("the app is closing")

        return NovitaClient(self.api_key, base_url=self.base_url,
                            retry=RetryPolicy(attempts=attempts, sleep=wait))

    def serves(self, job: Job) -> bool:
        """A job belongs to the server it was made for: demo jobs never reach Novita."""
        return not job.server or job.server == self.base_url


class _Worker(QObject):
    """Base for the three workers: a client per thread, and one way to record a failure."""

    jobChanged = Signal(int)

    def __init__(self, store: JobStore, stopping: threading.Event) -> None:
        super().__init__()
        self.store = store
        self.stopping = stopping
        self._connection: Connection | None = None
        self._client: NovitaClient | None = None

    @Slot(object)
    def set_connection(self, connection: Connection | None) -> None:
        self._connection, self._client = connection, None

    def client(self, attempts: int = 1) -> NovitaClient:
        if self._connection is None:
            raise errors.AuthError(0, "MISSING_API_KEY", "no API key")
        if self._client is None:
            self._client = self._connection.client(attempts, self.stopping)
        return self._client

    def mine(self, job: Job | None) -> bool:
        """Whether this worker may act on the job now (connected to the job's server)."""
        return job is not None and self._connection is not None and self._connection.serves(job)

    def update(self, job_id: int, **changes) -> Job | None:
        try:
            job = self.store.update(job_id, **changes)
        except KeyError:  # deleted by the user meanwhile: nothing left to report
            return None
        self.jobChanged.emit(job_id)
        return job

    def fail(self, job_id: int, error: BaseException, *, state: JobState = JobState.FAILED) -> None:
        if isinstance(error, errors.ViduError):
            log.warning("job %s: %s: %s", job_id, type(error).__name__, error)
        else:
            log.exception("job %s: unexpected error", job_id, exc_info=error)
        self.update(job_id, state=state, error=errors.describe(error),
                    error_kind=type(error).__name__, note=type(error).__name__)


class SubmitWorker(_Worker):
    submitted = Signal(int)
    RATE_LIMIT_RETRIES = 3  # a 429 created no task: waiting and sending again is safe

    def __init__(self, store: JobStore, stopping: threading.Event) -> None:
        super().__init__(store, stopping)
        self._rate_limited: dict[int, int] = {}

    @Slot(int)
    def submit(self, job_id: int) -> None:
        job = self.store.get(job_id)
        if not self.mine(job) or job.state is not JobState.SUBMITTING or job.task_id:
            return
        try:
            image = self._image_reference(job)
            request = VideoRequest(images=(image,), **job.request_params())
            problems = request.validate()
            if problems:
                raise errors.InvalidRequestError(0, "", " ".join(p.message for p in problems))
            client = self.client(attempts=1)
            if self.stopping.is_set():
                return  # not sent: it goes out at the next start
            # Claimed and counted before it leaves: a crash now means "uncertain", and a second
            # sender (another process, a racing retry) finds it claimed and does not send.
            if self.store.mark_sent(job_id, job.submissions) is None:
                return
            task_id = client.submit(request)
        except errors.SubmissionUncertain as exc:
            self.fail(job_id, exc, state=JobState.UNCERTAIN)
            return
        except errors.RateLimitError as exc:
            tries = self._rate_limited.get(job_id, 0)
            if tries < self.RATE_LIMIT_RETRIES:
                self._rate_limited[job_id] = tries + 1
                delay = exc.retry_after if exc.retry_after is not None else 10.0 * 2 ** tries
                log.info("job %s: rate limited; sending again in %.0f s", job_id, delay)
                QTimer.singleShot(int(delay * 1000), lambda: self.submit(job_id))
                return
            self.fail(job_id, exc)
            return
        except ImageRejected as exc:
            self.update(job_id, state=JobState.FAILED, error=str(exc), error_kind="ImageRejected")
            return
        except Exception as exc:  # noqa: BLE001 - every failure ends as words on the job
            self.fail(job_id, exc)
            return
        log.info("job %s: accepted as task %s", job_id, task_id)  # paid for: never lose it
        self._rate_limited.pop(job_id, None)
        try:
            self.update(job_id, task_id=task_id, state=JobState.QUEUED, error="", error_kind="")
        except Exception:  # noqa: BLE001 - the task id is in the log line above
            log.exception("job %s: could not store task id %s", job_id, task_id)
            return
        self.submitted.emit(job_id)

    def _image_reference(self, job: Job) -> str:
        if is_web_url(job.image_source):
            return job.image_source
        if job.image_file and Path(job.image_file).exists():
            data = Path(job.image_file).read_bytes()
            return data_uri(data, sniff(data).media_type)
        prepared = prepare_image(Path(job.image_source), job.params.get("resolution", "720p"))
        # Keep the exact bytes that are sent: a re-run or a re-send needs no original.
        copy = paths.ensure(paths.inputs_dir()) / f"job-{job.id}{_suffix(prepared.media_type)}"
        copy.write_bytes(prepared.data)
        self.update(job.id, image_file=str(copy), image_note=prepared.note,
                    thumbnail=prepared.thumbnail_png)
        return prepared.data_uri()


def _suffix(media_type: str) -> str:
    return {"image/png": ".png", "image/webp": ".webp"}.get(media_type, ".jpg")


class PollWorker(_Worker):
    """Asks about every unfinished job as rarely as the server's estimate allows."""

    succeeded = Signal(int)

    def __init__(self, store: JobStore, stopping: threading.Event) -> None:
        super().__init__(store, stopping)
        self.schedule = PollSchedule()
        self._last_delay: dict[int, float] = {}
        self._timer: QTimer | None = None

    @Slot()
    def start(self) -> None:
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self._poll_due)

    @Slot(int)
    def track(self, job_id: int) -> None:
        self.schedule.set(str(job_id), time.monotonic())
        self._rearm()

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
                try:
                    self._poll(int(key))
                except Exception:  # noqa: BLE001 - one bad job must not stop the others
                    log.exception("job %s: polling failed; trying again later", key)
                    self._again(int(key), 30.0)
        finally:
            self._rearm()

    def _poll(self, job_id: int) -> None:
        job = self.store.get(job_id)
        if (not self.mine(job) or not job.task_id or job.state.finished
                or job.state is JobState.DOWNLOADING):
            return
        try:
            result = self.client(attempts=1).task_result(job.task_id)
        except errors.ViduError as exc:
            if exc.retryable:  # try again later, without blocking the other jobs
                delay = getattr(exc, "retry_after", None) or min(60.0, 2 * self._last_delay.get(job_id, 2.5))
                log.info("job %s: poll failed (%s); again in %.0f s", job_id, exc, delay)
                self._again(job_id, delay)
            else:
                self.fail(job_id, exc)
            return
        if result.status is TaskStatus.SUCCEED:
            link = result.videos[0]
            self.update(job_id, state=JobState.DOWNLOADING, progress=0.0, eta_s=None,
                        seed=result.seed, video_url=link.url, video_url_expires_at=link.expires_at)
            self.succeeded.emit(job_id)
        elif result.status is TaskStatus.FAILED:
            self.fail(job_id, errors.TaskFailedError(result.reason))
        else:
            state = JobState.QUEUED if result.status is TaskStatus.QUEUED else JobState.PROCESSING
            if result.status is TaskStatus.UNKNOWN:
                state = job.state
            self.update(job_id, state=state, progress=result.progress_percent, eta_s=result.eta_s,
                        seed=result.seed if result.seed is not None else job.seed)
            delay = next_delay(eta_s=result.eta_s, progress_percent=result.progress_percent,
                               elapsed_s=time.time() - job.created_at,
                               previous_delay_s=self._last_delay.get(job_id),
                               queued=state is JobState.QUEUED,
                               off_peak=bool(job.params.get("off_peak")))
            self._again(job_id, delay)

    def _again(self, job_id: int, delay: float) -> None:
        self._last_delay[job_id] = delay
        self.schedule.set(str(job_id), time.monotonic() + delay)


class DownloadWorker(_Worker):
    videoReady = Signal(int, str)

    def __init__(self, store: JobStore, stopping: threading.Event,
                 library_dir: Callable[[], Path]) -> None:
        super().__init__(store, stopping)
        self.library_dir = library_dir
        self._last_emit = 0.0

    @Slot(int)
    def download(self, job_id: int) -> None:
        job = self.store.get(job_id)
        if not self.mine(job) or job.state is not JobState.DOWNLOADING:
            return
        try:
            library = paths.ensure(self.library_dir())
            target = destination_in(library, video_filename(job.created_at, job.params.get("prompt", ""),
                                                            job.task_id or str(job.id)))
            url = job.video_url
            for attempt in range(3):
                if not url or (job.video_url_expires_at and time.time() > job.video_url_expires_at - 5):
                    url = self._fresh_link(job)
                try:
                    self.client(attempts=4).download(
                        url, target, progress=lambda got, total: self._progress(job_id, got, total),
                        should_stop=self.stopping.is_set)
                    break
                except errors.LinkExpiredError:
                    url = None
                    if attempt == 2:
                        raise
            if not looks_like_mp4(target):
                target.unlink(missing_ok=True)
                raise errors.DownloadError("the file is not a complete MP4 video")
        except errors.Cancelled:
            return
        except OSError as exc:
            self.fail(job_id, errors.StorageError(f"{exc.strerror or exc} ({exc.filename or ''})"))
            return
        except Exception as exc:  # noqa: BLE001
            self.fail(job_id, exc)
            return
        self.update(job_id, state=JobState.DONE, video_path=str(target), progress=100.0,
                    error="", error_kind="")
        self.videoReady.emit(job_id, str(target))

    def _fresh_link(self, job: Job) -> str:
        result = self.client(attempts=4).task_result(job.task_id or "")
        if not result.videos:
            raise errors.ProtocolError("no video link in the task result")
        link = result.videos[0]
        self.store.update(job.id, video_url=link.url, video_url_expires_at=link.expires_at)
        return link.url

    def _progress(self, job_id: int, got: int, total: int | None) -> None:
        now = time.monotonic()
        if total and (now - self._last_emit > 0.5 or got == total):
            self._last_emit = now
            if self.update(job_id, progress=100.0 * got / total) is None:
                raise errors.Cancelled("the job was deleted")


class JobEngine(QObject):
    """What the window talks to. Calls return at once; the work happens in the threads."""

    jobChanged = Signal(int)
    videoReady = Signal(int, str)
    _submit = Signal(int)
    _track = Signal(int)
    _download = Signal(int)
    _connection = Signal(object)

    def __init__(self, store: JobStore, library_dir: Callable[[], Path], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self._stopping = threading.Event()
        self._recovered = False
        self.connection: Connection | None = None
        self._threads: list[QThread] = []
        self.submitter = SubmitWorker(store, self._stopping)
        self.poller = PollWorker(store, self._stopping)
        self.downloader = DownloadWorker(store, self._stopping, library_dir)
        for name, worker in (("submit", self.submitter), ("poll", self.poller),
                             ("download", self.downloader)):
            thread = QThread(self)
            thread.setObjectName(f"vidu-{name}")
            worker.moveToThread(thread)
            thread.finished.connect(worker.deleteLater)  # its timers die in their own thread
            worker.jobChanged.connect(self.jobChanged)
            self._connection.connect(worker.set_connection)
            self._threads.append(thread)
        self._submit.connect(self.submitter.submit)
        self._track.connect(self.poller.track)
        self._download.connect(self.downloader.download)
        self.submitter.submitted.connect(self.poller.track)
        self.poller.succeeded.connect(self.downloader.download)
        self.downloader.videoReady.connect(self.videoReady)
        self._threads[1].started.connect(self.poller.start)
        for thread in self._threads:
            thread.start()

    def set_connection(self, connection: Connection | None) -> None:
        self.connection = connection
        self._connection.emit(connection)

    def generate(self, sources: list[str], params: dict, thumbnails: dict[str, bytes] | None = None) -> list[int]:
        """One job per image, all with the same settings; committed before anything is sent."""
        ids = []
        for source in sources:
            job = self.store.add(Job(state=JobState.SUBMITTING, params=dict(params), image_source=source,
                                     thumbnail=(thumbnails or {}).get(source),
                                     server=self.connection.base_url if self.connection else ""))
            ids.append(job.id)
            self.jobChanged.emit(job.id)
            self._submit.emit(job.id)
        return ids

    def retry(self, job_id: int) -> None:
        """Carry on from where a job stopped; a job never sent goes again, an uncertain one only here."""
        job = self.store.get(job_id)
        if job is None or job.state is JobState.DONE:
            return
        if job.task_id is None:
            self.store.update(job_id, state=JobState.SUBMITTING, error="", error_kind="",
                              note="sent again by the user")
            self._submit.emit(job_id)
        elif job.video_url or job.state is JobState.DOWNLOADING:
            self.store.update(job_id, state=JobState.DOWNLOADING, error="", error_kind="")
            self._download.emit(job_id)
        else:
            self.store.update(job_id, state=JobState.QUEUED, error="", error_kind="")
            self._track.emit(job_id)
        self.jobChanged.emit(job_id)

    def resume(self) -> None:
        """Check every unfinished job with a task id now, whatever happened before.

        Recovery (stranded submits become "uncertain") runs once per process: later calls,
        after a key change, must not touch a submit that is in flight right now.
        """
        if self._recovered:
            jobs = [job for job in map(self.store.get, self.store.ids(
                [JobState.QUEUED, JobState.PROCESSING, JobState.DOWNLOADING])) if job]
        else:
            self._recovered = True
            jobs = self.store.recover_after_start()
        for job in jobs:
            if not (self.connection and self.connection.serves(job)):
                continue  # made for another server (demo vs Novita): it waits for that one
            if job.state is JobState.SUBMITTING:  # never sent before the app stopped
                self._submit.emit(job.id)
            elif job.state is JobState.DOWNLOADING:
                self._download.emit(job.id)
            else:
                self._track.emit(job.id)

    def shutdown(self) -> None:
        """Stop the workers and wait for them: a submit in flight must get to store its task id."""
        self._stopping.set()
        for thread in self._threads:
            thread.quit()
        for thread in self._threads:
            thread.wait()  # bounded by the client's timeouts; back-off waits end at once
