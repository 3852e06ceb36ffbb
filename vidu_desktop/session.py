"""The session: the one object that owns the running app's parts.

It starts the job engine (its threads, its store), finds the connection (a key from the
environment or the keyring, else the built-in simulator in Demo mode), knows the library
folder and the settings, and ends it all within a bounded time. The window and the
headless runner both drive a Session; neither wires these parts itself.
"""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtGui import QImage

from . import credentials, paths, settings
from .core import errors
from .core.errors import QT_TRANSLATE_NOOP, translate
from .core.job import Job
from .core.lifecycle import JobState
from .core.novita import NovitaClient, resolve_base_url
from .core.pricing import Balance, BillEntry, PriceTable, SpendingSummary, price_table
from .core.request import ImageOrder
from .logging_setup import register_secret
from .workers.engine import Connection, EngineThreads
from .workers.services import DemoSimulator, run_in_background

log = logging.getLogger(__name__)

DEMO_KEY = "demo"
DEMO_SERVER = "demo"  # demo jobs belong to "the simulator", whichever port it has this time
SHUTDOWN_BUDGET_S = 2.5  # quit ends the process within 3 s, whatever the network does
# The balance is read at start (once connected), after submits but at most once a minute, and
# every ten minutes while the window watches it; never two reads at once.
BALANCE_EVERY_S = 600.0
BALANCE_MIN_GAP_S = 60.0
BALANCE_FIRST_AFTER_S = 1.0  # after connecting
SPENDING_DEBOUNCE_MS = 300
# A keyring may sit on a desktop password prompt (first launch): after this long without an
# answer the app starts in Demo mode, and switches to Novita when the key arrives.
KEYRING_PATIENCE_MS = 800
# Where the key came from, in the status's tooltip (credentials.KeySource's values, translatable).
_KEY_SOURCE_WORDS = {
    credentials.KeySource.ENVIRONMENT: QT_TRANSLATE_NOOP("Session", "environment variable NOVITA_API_KEY"),
    credentials.KeySource.KEYRING: QT_TRANSLATE_NOOP("Session", "system keyring"),
    credentials.KeySource.SESSION: QT_TRANSLATE_NOOP("Session", "this session only (no keyring available)"),
}


class KeyCheck(Enum):
    """What Novita said of the key: nothing yet, accepted (an authenticated answer), refused."""

    CHECKING = "checking"
    ACCEPTED = "accepted"
    REFUSED = "refused"


class Mode(Enum):
    CONNECTING = "connecting"
    DEMO = "demo"
    NOVITA = "novita"
    OFFLINE = "offline"  # no usable connection; the status says why

    @property
    def can_generate(self) -> bool:
        return self in (Mode.DEMO, Mode.NOVITA)


class Session(QObject):
    modeChanged = Signal(object)  # Mode
    statusChanged = Signal(str)  # the connection in words, for the status bar
    openFailed = Signal(str)  # the job list's file is damaged: why, in words (see database)
    problem = Signal(str)
    opened = Signal()  # the job list is open (again): ask for pages
    pageReady = Signal(int, object, bool)  # token, tuple[Job, ...], more to come
    jobChanged = Signal(object)  # Job
    jobRemoved = Signal(int)
    videoReady = Signal(int, str)
    thumbnailReady = Signal(int, QImage)
    pendingChanged = Signal(int)
    balanceChanged = Signal()  # read .balance (None: unknown) and .balance_words
    spendingChanged = Signal(object)  # SpendingSummary (estimates)
    queuePausedChanged = Signal(bool)  # read .queue_paused; also once when the job list opens
    familyReady = Signal(int, object, object)  # job id, parent Job or None, tuple of child Jobs
    importFinished = Signal(object, object)  # tuple of the jobs added (ids), list[str] of what was not and why

    # Intents, queued to the engine's thread.
    _generate = Signal(object, object, object, object)
    _retry = Signal(int)
    _delete = Signal(object)
    _resume = Signal()
    _connect = Signal(object)
    _thumbnail = Signal(int)
    _catch_up = Signal(object)
    _set_aside = Signal()
    _query = Signal(int, object, str, int, int)
    _spending = Signal(float)
    _cancel = Signal(object)
    _move_in_queue = Signal(object, int)
    _move_to = Signal(object, int)
    _set_queue_paused = Signal(bool)
    _set_queue_limit = Signal(int)
    _family = Signal(int)
    _import = Signal(object)
    _set_thumbnail = Signal(int, QImage)

    def __init__(self, database: Path | None = None, *, allow_demo: bool = True,
                 library_dir: Callable[[], Path] = settings.library_dir,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.mode = Mode.CONNECTING
        self.status = translate("Session", "Connecting…")
        self.status_short = self.status  # the few words a status bar has room for
        self.allow_demo = allow_demo
        self.library_dir = library_dir
        self.pending = 0
        self.queue_paused = False  # as the job store keeps it; known once the job list is open
        self.demo = DemoSimulator()
        self.database = database or paths.job_database()
        self._threads = EngineThreads(self.database, library_dir)
        engine = self._threads.engine
        self._generate.connect(engine.generate)
        self._retry.connect(engine.retry)
        self._delete.connect(engine.delete)
        self._resume.connect(engine.resume)
        self._connect.connect(engine.set_connection)
        self._thumbnail.connect(engine.load_thumbnail)
        self._set_thumbnail.connect(engine.set_thumbnail)
        self._catch_up.connect(engine.catch_up)
        engine.caughtUp.connect(self._caught_up)  # a method: it runs on this object's thread
        engine.openFailed.connect(self.openFailed)
        engine.problem.connect(self.problem)
        self._set_aside.connect(engine.set_aside_and_open)
        engine.opened.connect(self.opened)
        engine.pageReady.connect(self.pageReady)
        self._query.connect(engine.query)
        engine.jobChanged.connect(self.jobChanged)
        engine.jobRemoved.connect(self.jobRemoved)
        engine.videoReady.connect(self.videoReady)
        engine.thumbnailReady.connect(self.thumbnailReady)
        engine.pendingChanged.connect(self._pending_changed)
        self._spending.connect(engine.spending)
        engine.spendingReady.connect(self._spending_ready)
        engine.opened.connect(self.refresh_spending)
        engine.opened.connect(self._job_list_ready)  # after queuePausedChanged: queue_paused is known
        engine.openFailed.connect(lambda _why: self._job_list_ready())
        engine.jobChanged.connect(self._job_changed)
        self._cancel.connect(engine.cancel)
        self._move_in_queue.connect(engine.move_in_queue)
        self._move_to.connect(engine.move_to)
        self._set_queue_paused.connect(engine.set_queue_paused)
        self._set_queue_limit.connect(engine.set_queue_limit)
        self._family.connect(engine.family)
        engine.queuePausedChanged.connect(self._queue_paused_changed)
        engine.familyReady.connect(self.familyReady)
        self._import.connect(engine.import_videos)
        engine.importFinished.connect(self.importFinished)
        self._started = False
        self._stopped = False
        self.connection: Connection | None = None
        # Money: the last balance read (None: unknown), what was spent (estimates).
        self.balance: Balance | None = None
        self.balance_words = ""  # why the balance is unknown, when it is
        self._balance_reading = False
        self._balance_again = False  # asked for while a read was running
        self._balance_read_at: float | None = None  # time.monotonic() of the last read started
        self._balance_generation = 0  # a new connection makes older answers stale
        self._balance_timer = QTimer(self)  # every BALANCE_EVERY_S while watched
        self._balance_timer.timeout.connect(lambda: self.read_balance(force=True))
        self._balance_later = QTimer(self)  # a read after submits, once the gap has passed
        self._balance_later.setSingleShot(True)
        self._balance_later.timeout.connect(lambda: self.read_balance(force=True))
        self.spending_summary: SpendingSummary | None = None
        self.in_flight_units = 0  # estimates of jobs waiting in the queue or being sent, not yet accepted
        self._spending_timer = QTimer(self)
        self._spending_timer.setSingleShot(True)
        self._spending_timer.setInterval(SPENDING_DEBOUNCE_MS)
        self._spending_timer.timeout.connect(self.refresh_spending)
        self._job_states: dict[int, JobState] = {}
        # The key: read in the background (a newer read makes an older answer stale); Demo mode
        # meanwhile if the keyring is slow; "Connected" only once Novita accepted it.
        self._key_generation = 0
        self._key_arrived = False
        self._demo_starting = False
        self._key_patience = QTimer(self)
        self._key_patience.setSingleShot(True)
        self._key_patience.timeout.connect(self._keyring_is_slow)
        self.key_check = KeyCheck.CHECKING
        self._novita_words = ("", "")  # ("Novita", "key from keyring"): the status without the check's words
        # A mode that can generate is announced only once the job list has opened (or failed to),
        # so whoever acts on it already knows the store's state (queue_paused, pending).
        self._job_list_known = False
        self._held_mode: tuple[Mode, str | tuple[str, str]] | None = None

    # -- starting and connecting ----------------------------------------------------------

    def start(self) -> None:
        """Open the store and look for a key, both off the GUI thread; returns at once."""
        if not self._started:
            self._started = True
            self._set_queue_limit.emit(settings.max_open_jobs())  # queued: handled once the engine runs
            self._threads.start()
        self.connect_to_service()

    def connect_to_service(self) -> None:
        """(Re)read the key in the background: after a start, or after Settings stored or removed
        one. If the keyring keeps us waiting (a password prompt), Demo mode starts meanwhile."""
        self._key_generation += 1
        generation = self._key_generation
        self._key_arrived = False
        nothing = credentials.ApiKey(None, credentials.KeySource.NONE)
        run_in_background(credentials.load_api_key, lambda key: self._key_loaded(key, generation),
                          lambda _exc: self._key_loaded(nothing, generation), owner=self)
        if self.allow_demo and self.mode is not Mode.DEMO:
            self._key_patience.start(KEYRING_PATIENCE_MS)

    def _keyring_is_slow(self) -> None:
        if self._key_arrived or self._stopped or self.mode in (Mode.DEMO, Mode.NOVITA):
            return
        log.info("the keyring has not answered yet: Demo mode meanwhile")
        self._start_demo(translate("Session", "Waiting for the keyring (it may be asking for a password): "
                                              "starting Demo mode…"))

    def _key_loaded(self, key: credentials.ApiKey, generation: int | None = None) -> None:
        if self._stopped or (generation is not None and generation != self._key_generation):
            return
        self._key_arrived = True
        self._key_patience.stop()
        if key.value:
            try:
                base_url = resolve_base_url(settings.base_url_setting())
            except ValueError as exc:
                self._set_mode(Mode.OFFLINE, translate("Session", "Server address refused: {error}").format(error=exc))
                return
            register_secret(key.value)
            self.demo.stop()
            self._set_connection(Connection(key.value, base_url))
            self._resume.emit()  # before anyone hears of the mode and generates
            self._novita_words = (
                translate("Session", "Novita") if base_url.endswith("api.novita.ai")
                else translate("Session", "Novita at {address}").format(address=base_url),
                translate("Session", "key from {source}").format(
                    source=translate("Session", _KEY_SOURCE_WORDS.get(key.source, key.source.value))))
            self.key_check = KeyCheck.CHECKING
            self._set_mode(Mode.NOVITA, self._key_words())
            return
        if not self.allow_demo:
            self._set_mode(Mode.OFFLINE, translate("Session", "No API key: set NOVITA_API_KEY or add one in Settings."))
            return
        if self.mode is not Mode.DEMO and not self._demo_starting:
            self._start_demo(translate("Session", "No API key: starting Demo mode…"))

    def _start_demo(self, words: str) -> None:
        self._demo_starting = True
        self._set_mode(Mode.CONNECTING, words)

        def failed(exc: BaseException) -> None:
            self._demo_starting = False
            if not self._on_novita():
                self._set_mode(Mode.OFFLINE, translate(
                    "Session", "No API key, and the built-in simulator could not start ({error}).").format(error=exc))

        run_in_background(self.demo.start, self._demo_started, failed, owner=self)

    def _key_words(self) -> tuple[str, str]:
        """The status while connected to Novita, in full and short: "Connected" only once Novita
        accepted the key."""
        server, key_from = self._novita_words
        novita = translate("Session", "Novita")
        if self.key_check is KeyCheck.ACCEPTED:
            connected = translate("Session", "Connected")
            return " · ".join((connected, server, key_from)), " · ".join((connected, novita))
        check = (translate("Session", "Novita refused the key: check it in Settings")
                 if self.key_check is KeyCheck.REFUSED else translate("Session", "checking the key…"))
        return " · ".join((server, key_from, check)), " · ".join((novita, check))

    def _key_checked(self, outcome: KeyCheck) -> None:
        """An authenticated answer came (accepted) or a refusal of the key (refused)."""
        if not self._on_novita() or self.key_check is outcome:
            return
        self.key_check = outcome
        if self.mode is Mode.NOVITA:  # (else announced with these words once the job list is open)
            self.status, self.status_short = self._key_words()
            self.statusChanged.emit(self.status)

    def _on_novita(self) -> bool:
        """Connected to Novita (or a server standing in for it), not to the demo simulator."""
        return self.connection is not None and self.connection.server_id != DEMO_SERVER

    def _demo_started(self, base_url: str) -> None:
        self._demo_starting = False
        if self._stopped or self._on_novita():  # the key arrived meanwhile: Novita it is
            self.demo.stop()
            return
        self._set_connection(Connection(DEMO_KEY, base_url, server=DEMO_SERVER))
        self._resume.emit()
        self._set_mode(Mode.DEMO, (translate("Session", "Demo mode · built-in simulator at {address}").format(
            address=base_url), translate("Session", "Demo mode")))

    def _set_connection(self, connection: Connection) -> None:
        self.connection = connection
        self._connect.emit(connection)
        self._balance_generation += 1  # another account: what was read is not its balance
        self.balance, self.balance_words = None, ""
        self._balance_reading = False
        self.balanceChanged.emit()
        # Not needed for the first frame: read once the window has settled.
        self._balance_later.start(int(BALANCE_FIRST_AFTER_S * 1000))

    def _job_list_ready(self) -> None:
        self._job_list_known = True
        held, self._held_mode = self._held_mode, None
        if held is not None and self.mode is not held[0]:
            mode, words = held
            self._set_mode(mode, self._key_words() if mode is Mode.NOVITA else words)

    def _set_mode(self, mode: Mode, words: str | tuple[str, str]) -> None:
        """`words`: the status, or the status and its short form for the status bar."""
        if mode.can_generate and not self._job_list_known:
            self._held_mode = (mode, words)
            return
        self._held_mode = None
        if mode is Mode.OFFLINE and self.connection is not None:  # no balance to read now
            self.connection, self.balance, self.balance_words = None, None, ""
            self._balance_generation += 1
            self._balance_reading = False
            self.balanceChanged.emit()
        self.mode = mode
        self.status, self.status_short = (words, words) if isinstance(words, str) else words
        self.statusChanged.emit(self.status)
        self.modeChanged.emit(mode)

    def _pending_changed(self, count: int) -> None:
        self.pending = count
        self.pendingChanged.emit(count)

    # -- intents ------------------------------------------------------------------------------

    def price_table(self) -> PriceTable:
        """The shipped prices with the user's overrides from Settings."""
        return price_table(settings.price_overrides())

    def generate(self, orders: Sequence[ImageOrder], thumbnails: dict[str, bytes] | None = None) -> None:
        """Add the jobs of these orders (one per take, each with its own explicit seed) to the end
        of the queue, WAITING; they are sent in queue order as slots free up. The engine refuses
        the lot when the monthly cap (Settings) would be passed, and says so through `problem`.
        An order's parent_id/relation are kept on its jobs (see request_family)."""
        if not orders:
            return
        settings.save_last_video_settings(orders[-1].settings)
        table = self.price_table()
        estimates = [table.estimate(order.settings) for order in orders]  # what each job is expected to cost
        self._generate.emit(list(orders), dict(thumbnails or {}), estimates, settings.monthly_cap_units())
        self.refresh_spending()  # queued after the new jobs: counts them as being sent

    # -- money --------------------------------------------------------------------------------

    @property
    def is_demo(self) -> bool:
        return self.mode is Mode.DEMO

    @property
    def balance_reading(self) -> bool:
        """A balance read is on its way (none has answered for this connection yet, maybe)."""
        return self._balance_reading

    def month_committed(self) -> int | None:
        """This month's estimates: accepted jobs and those being sent (None: not read yet)."""
        if self.spending_summary is None:
            return None
        return self.spending_summary.month + self.in_flight_units

    def refresh_spending(self) -> None:
        """Ask the engine what was spent; the answer comes as spendingChanged."""
        self._spending.emit(SpendingSummary.since(time.time()))

    def _spending_ready(self, entries: list[tuple[float, int | None]], in_flight: int) -> None:
        self.spending_summary = SpendingSummary.of(entries, time.time())
        self.in_flight_units = in_flight
        self.spendingChanged.emit(self.spending_summary)

    def _job_changed(self, job: Job) -> None:
        """A job that left SUBMITTING was accepted or refused: what was spent and the balance
        changed (the balance is read again, at most once a BALANCE_MIN_GAP_S)."""
        job_id = job.id or 0
        before = self._job_states.get(job_id)
        if before is job.state:
            return
        if job.state.finished or job.state is JobState.UNCERTAIN:
            self._job_states.pop(job_id, None)
        else:
            self._job_states[job_id] = job.state
        if before is JobState.SUBMITTING and job.task_id:  # Novita took a job: the key works
            self._key_checked(KeyCheck.ACCEPTED)
        if before is JobState.SUBMITTING or (before is None and job.state is not JobState.SUBMITTING):
            self._spending_timer.start()
            if before is JobState.SUBMITTING:
                self.read_balance()

    def watch_balance(self) -> None:
        """Read the balance every BALANCE_EVERY_S from now on (the window does, while open)."""
        self._balance_timer.start(int(BALANCE_EVERY_S * 1000))

    def read_balance(self, force: bool = False) -> None:
        """Read the balance in the background. Unless `force`d (start, the 10-minute timer), a
        read within BALANCE_MIN_GAP_S of the last one waits until the gap has passed. A failure
        only makes the balance unknown."""
        connection = self.connection
        if connection is None or self._stopped:
            return
        now = time.monotonic()
        if not force and self._balance_read_at is not None and now - self._balance_read_at < BALANCE_MIN_GAP_S:
            if not self._balance_later.isActive():
                wait_s = BALANCE_MIN_GAP_S - (now - self._balance_read_at)
                self._balance_later.start(max(0, int(wait_s * 1000)))
            return
        if self._balance_reading:
            self._balance_again = True
            return
        self._balance_reading, self._balance_read_at = True, now
        generation = self._balance_generation
        self._ask_novita(lambda client: client.balance(),
                         lambda balance: self._balance_read(generation, balance, ""),
                         lambda exc: self._balance_read(generation, None, errors.describe(exc), exc))

    def _balance_read(self, generation: int, balance: Balance | None, words: str,
                      error: BaseException | None = None) -> None:
        if generation != self._balance_generation or self._stopped:
            return
        self._balance_reading = False
        if balance is not None:  # an authenticated answer: the key works
            self._key_checked(KeyCheck.ACCEPTED)
        elif isinstance(error, errors.AuthError):
            self._key_checked(KeyCheck.REFUSED)
        if balance is None or balance.available is None:
            log.info("balance unknown: %s", words or "no available balance in the answer")
        self.balance = balance if balance is not None and balance.available is not None else None
        self.balance_words = words
        self.balanceChanged.emit()
        if self._balance_again:
            self._balance_again = False
            self.read_balance()

    def fetch_bills(self, since: float, on_done: Callable[[list[BillEntry]], None],
                    on_error: Callable[[BaseException], None], owner: QObject | None = None) -> bool:
        """Novita's hourly bill since `since`, read in the background; False when not connected."""
        return self._ask_novita(lambda client: client.bill_list(start=since), on_done, on_error, owner)

    def _ask_novita(self, call: Callable[[NovitaClient], Any], on_done: Callable[[Any], None],
                    on_error: Callable[[BaseException], None], owner: QObject | None = None) -> bool:
        """One request with a client of the current connection, in the background; False when
        not connected. An expected failure (a ViduError: offline, refused, closing) comes back
        as a value, so the log gets no traceback for it."""
        connection, stopping = self.connection, self._threads.stopping
        if connection is None:
            return False

        def work() -> Any:
            try:
                return call(connection.client(1, stopping))
            except errors.ViduError as exc:
                return _Refused(exc)

        def done(result: Any) -> None:
            if isinstance(result, _Refused):
                on_error(result.error)
            else:
                on_done(result)

        run_in_background(work, done, on_error, owner=owner or self)
        return True

    # -- the queue ----------------------------------------------------------------------------

    def cancel(self, job_ids: Sequence[int]) -> None:
        """Take waiting jobs out of the queue (they become CANCELLED; Retry puts one back at the
        end). A job already at Novita cannot be cancelled there (the API has no cancel): it is
        left as it is and `problem` says so in plain words."""
        self._cancel.emit(list(job_ids))

    def move_in_queue(self, job_ids: Sequence[int], steps: int) -> None:
        """Move waiting jobs `steps` places in the queue (negative: up, sent sooner). The moved
        jobs keep their order; new places arrive as jobChanged (Job.queue_position)."""
        self._move_in_queue.emit(list(job_ids), int(steps))

    def move_to(self, job_ids: Sequence[int], index: int) -> None:
        """Drag and drop: put waiting jobs at `index` of the queue (0: sent next), counted among
        the waiting jobs that are not moved."""
        self._move_to.emit(list(job_ids), int(index))

    def set_queue_paused(self, paused: bool) -> None:
        """Pause the queue (nothing new is sent; jobs at Novita carry on) or resume it. Kept in
        the job store: a paused queue is still paused after a restart. queuePausedChanged follows."""
        self._set_queue_paused.emit(bool(paused))

    def queue_limit_changed(self) -> None:
        """Settings changed the queue limit: read settings.max_open_jobs() again."""
        self._set_queue_limit.emit(settings.max_open_jobs())

    def _queue_paused_changed(self, paused: bool) -> None:
        self.queue_paused = paused
        self.queuePausedChanged.emit(paused)

    def request_family(self, job_id: int) -> None:
        """Ask for a job's parent and children (re-runs, continuations); they come back as
        familyReady(job_id, parent Job or None, tuple of child Jobs)."""
        self._family.emit(int(job_id))

    def import_videos(self, paths: Sequence[str | Path]) -> None:
        """Rebuild history entries from videos this app saved (their tags say how they were
        made): each becomes a DONE job where the file is. Files already in the list are skipped.
        importFinished(added job ids, problems) follows; deleting such a job keeps the file."""
        self._import.emit([str(path) for path in paths])

    def start_fresh_job_list(self) -> None:
        """Keep the damaged job list aside under a dated name and open a new, empty one."""
        self._set_aside.emit()

    def retry(self, job_id: int) -> None:
        """Carry on with a job: one never accepted (failed, uncertain, cancelled) goes back to the
        end of the queue; one with a task is polled or downloaded again."""
        self._retry.emit(job_id)

    def delete(self, job_ids: list[int]) -> None:
        self._delete.emit(list(job_ids))

    def request_page(self, token: int, states: list[JobState] | None, search: str, offset: int,
                     limit: int) -> None:
        """Ask for a page of history; it comes back as pageReady(token, jobs, more)."""
        self._query.emit(token, states, search, offset, limit)

    def request_thumbnail(self, job_id: int) -> None:
        self._thumbnail.emit(job_id)

    def set_thumbnail(self, job_id: int, frame: QImage) -> None:
        """Keep a frame of the job's video as its thumbnail (thumbnailReady follows)."""
        self._set_thumbnail.emit(job_id, frame)

    def after_queued(self, then: Callable[[], None]) -> None:
        """Call `then` (on this thread) once the engine has handled every intent sent so far."""
        self._catch_up.emit(then)

    def _caught_up(self, then: Callable[[], None]) -> None:
        then()

    @staticmethod
    def is_busy(job: Job) -> bool:
        """Being sent or downloaded right now: not to be deleted under the worker's feet."""
        return job.state in (JobState.SUBMITTING, JobState.DOWNLOADING)

    # -- the end ------------------------------------------------------------------------------

    def shutdown(self, budget_s: float = SHUTDOWN_BUDGET_S) -> bool:
        """Stop everything within `budget_s`. Every job stays resumable: the store already
        says where each one was. False when a network call had to be abandoned."""
        if self._stopped:
            return True
        self._stopped = True
        self._balance_timer.stop()
        self._balance_later.stop()
        self._spending_timer.stop()
        self._key_patience.stop()
        deadline = time.monotonic() + budget_s
        ended = self._threads.stop(deadline) if self._started else True
        self.demo.stop()
        log.info("session stopped (%s)", "cleanly" if ended else "abandoning a stuck network call")
        return ended


@dataclass(frozen=True)
class _Refused:
    error: errors.ViduError


def exit_now(code: int) -> None:
    """End the process without waiting for a thread stuck in a network call."""
    logging.shutdown()
    os._exit(code)
