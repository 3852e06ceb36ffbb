"""The durable job store: every job in SQLite, the single source of truth for its state.

ONE thread uses a store: the engine's own. There is no lock; the window never opens the
database but renders the Job snapshots the engine hands it. The connection is opened with
check_same_thread=False only so a store may be built in one thread and then handed over to
the thread that uses it (and so tests can use it from the main thread); using it from two
threads at once is not supported. Another process (a second instance) may open the same
file: every write is its own BEGIN IMMEDIATE transaction, committed before the method
returns, so a kill -9 at any moment loses nothing that a method had returned.

Every change of state goes through lifecycle.check_move(); settings are kept as
VideoSettings.to_json() (versioned) and read back tolerantly.
"""

from __future__ import annotations

import builtins
import pathlib
import re
import sqlite3
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, fields
from typing import Any

from .job import Job
from .lifecycle import OPEN_AT_NOVITA, JobState, check_move
from .request import VideoSettings

RECOVERED_NOTE = "the app stopped before the server's answer arrived"

# Columns of `jobs` in Job's order; the thumbnail lives in its own table so scans stay small.
_COLUMNS = tuple(f.name for f in fields(Job) if f.name != "thumbnail")  # `settings` holds JSON
_UPDATABLE = frozenset(f.name for f in fields(Job)) - {"id", "created_at", "updated_at"}
_SELECT = f"SELECT {', '.join(_COLUMNS)} FROM jobs"

Step = str | Callable[[sqlite3.Connection], None]


def _rewrite_settings(db: sqlite3.Connection) -> None:
    """v3: every stored params dict becomes VideoSettings JSON ({"schema": 1, ...}); a bad
    or missing value becomes that field's default, unknown keys are dropped."""
    rows = db.execute("SELECT id, settings, image_source, task_id FROM jobs").fetchall()
    for job_id, old, image_source, task_id in rows:
        settings = VideoSettings.from_json(old)
        db.execute("UPDATE jobs SET settings = ?, search_key = ? WHERE id = ?",
                   (settings.to_json(), _search_key(settings, image_source, task_id), job_id))


# Each migration is a list of steps (SQL statements, or functions given the connection) run
# in one transaction with the user_version bump. Append only: never edit one that has shipped.
_MIGRATIONS: list[tuple[Step, ...]] = [
    (  # v1
        """CREATE TABLE jobs (
            id INTEGER PRIMARY KEY,
            created_at REAL NOT NULL,
            updated_at REAL NOT NULL,
            state TEXT NOT NULL,
            params TEXT NOT NULL DEFAULT '{}',
            prompt_key TEXT NOT NULL DEFAULT '',
            image_source TEXT NOT NULL DEFAULT '',
            image_file TEXT,
            image_note TEXT NOT NULL DEFAULT '',
            task_id TEXT,
            progress REAL,
            eta_s REAL,
            error TEXT NOT NULL DEFAULT '',
            error_kind TEXT NOT NULL DEFAULT '',
            video_url TEXT,
            video_url_expires_at REAL,
            video_path TEXT,
            seed INTEGER,
            submissions INTEGER NOT NULL DEFAULT 0
        )""",
        "CREATE INDEX jobs_created ON jobs (created_at)",
        "CREATE INDEX jobs_state_created ON jobs (state, created_at)",
        """CREATE TABLE job_thumbnails (
            job_id INTEGER PRIMARY KEY REFERENCES jobs (id) ON DELETE CASCADE,
            data BLOB NOT NULL
        )""",
        """CREATE TABLE job_events (
            id INTEGER PRIMARY KEY,
            job_id INTEGER NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
            at REAL NOT NULL,
            state TEXT NOT NULL,
            note TEXT NOT NULL DEFAULT ''
        )""",
        "CREATE INDEX job_events_job ON job_events (job_id)",
    ),
    (  # v2: which server a job belongs to, so demo jobs never reach Novita and vice versa
        "ALTER TABLE jobs ADD COLUMN server TEXT NOT NULL DEFAULT ''",
    ),
    (  # v3: typed, versioned settings; one search key (prompt, source file name, task id)
        "ALTER TABLE jobs RENAME COLUMN params TO settings",
        "ALTER TABLE jobs RENAME COLUMN prompt_key TO search_key",
        _rewrite_settings,
    ),
    (  # v4: each job's estimated cost (units of 0.0001 USD) as it was added; NULL = unknown
        "ALTER TABLE jobs ADD COLUMN estimate_units INTEGER",
        "CREATE INDEX jobs_task_created ON jobs (created_at) WHERE task_id IS NOT NULL",
    ),
    (  # v5: the app's own queue (a place while waiting; the paused flag in `meta`) and lineage
        "ALTER TABLE jobs ADD COLUMN queue_position INTEGER",
        "ALTER TABLE jobs ADD COLUMN parent_id INTEGER",
        "ALTER TABLE jobs ADD COLUMN relation TEXT NOT NULL DEFAULT ''",
        "CREATE INDEX jobs_queue ON jobs (queue_position) WHERE queue_position IS NOT NULL",
        "CREATE INDEX jobs_parent ON jobs (parent_id) WHERE parent_id IS NOT NULL",
        "CREATE INDEX jobs_task ON jobs (task_id) WHERE task_id IS NOT NULL",
        "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
    ),
]

QUEUE_PAUSED = "queue_paused"  # meta key: "1" while the user has paused the queue


class JobStore:
    SCHEMA_VERSION: int = len(_MIGRATIONS)

    def __init__(self, path: pathlib.Path | str) -> None:
        self.path = path
        if str(path) != ":memory:":
            pathlib.Path(path).parent.mkdir(parents=True, exist_ok=True)
        # isolation_level=None: transactions are ours (BEGIN IMMEDIATE ... COMMIT), not implicit.
        self._db = sqlite3.connect(str(path), check_same_thread=False, isolation_level=None,
                                   timeout=5.0)
        self._db.row_factory = sqlite3.Row
        self._db.execute("PRAGMA busy_timeout = 5000")  # another process (a second instance)
        self._db.execute("PRAGMA journal_mode = WAL")
        self._db.execute("PRAGMA synchronous = FULL")  # a returned write survives power loss too
        self._db.execute("PRAGMA foreign_keys = ON")
        self._migrate()

    # -- plumbing ---------------------------------------------------------------------------

    def _write(self) -> _Transaction:
        return _Transaction(self._db)

    def _migrate(self) -> None:
        with self._write() as db:
            version = db.execute("PRAGMA user_version").fetchone()[0]
            if version > self.SCHEMA_VERSION:
                raise RuntimeError(f"The job database {self.path} was made by a newer Vidu Desktop "
                                   f"(schema {version}, this one knows {self.SCHEMA_VERSION}).")
            for number, statements in enumerate(_MIGRATIONS[version:], start=version + 1):
                for step in statements:
                    if isinstance(step, str):
                        db.execute(step)
                    else:
                        step(db)
                db.execute(f"PRAGMA user_version = {number}")  # transactional: bumps with the tables

    @staticmethod
    def _job(row: sqlite3.Row, thumbnail: bytes | None = None) -> Job:
        values = {name: row[name] for name in _COLUMNS}
        values["state"] = JobState(values["state"])
        values["settings"] = VideoSettings.from_json(values["settings"])
        return Job(**values, thumbnail=thumbnail)

    def _get(self, db: sqlite3.Connection, job_id: int) -> Job | None:
        row = db.execute(f"{_SELECT} WHERE id = ?", (job_id,)).fetchone()
        if row is None:
            return None
        return self._job(row, self._thumbnail(db, job_id))

    @staticmethod
    def _thumbnail(db: sqlite3.Connection, job_id: int) -> bytes | None:
        row = db.execute("SELECT data FROM job_thumbnails WHERE job_id = ?", (job_id,)).fetchone()
        return bytes(row[0]) if row else None

    @staticmethod
    def _event(db: sqlite3.Connection, job_id: int, at: float, state: JobState, note: str) -> None:
        db.execute("INSERT INTO job_events (job_id, at, state, note) VALUES (?, ?, ?, ?)",
                   (job_id, at, state.value, note))

    @staticmethod
    def _where(states: Iterable[JobState | str] | None, search: str) -> tuple[str, builtins.list[Any]]:
        clauses, args = [], []
        if states is not None:
            values = sorted({JobState(s).value for s in states})
            clauses.append(f"state IN ({', '.join('?' * len(values))})" if values else "0")
            args.extend(values)
        needle = _SEPARATOR_RE.sub("", search).casefold()
        if needle:
            # search_key is casefolded in Python: case-insensitive beyond ASCII, unlike LIKE;
            # instr() has no wildcards, and the needle is a bound parameter.
            clauses.append("(instr(search_key, ?) > 0 OR instr(state, ?) > 0)")
            args.extend((needle, needle))
        return (" WHERE " + " AND ".join(clauses)) if clauses else "", args

    @staticmethod
    def _order(newest_first: bool) -> str:
        direction = "DESC" if newest_first else "ASC"
        return f" ORDER BY created_at {direction}, id {direction}"

    # -- writes -----------------------------------------------------------------------------

    def add(self, job: Job, *, created_at: float | None = None) -> Job:
        """Insert a job; it is on disk when this returns. A WAITING job without a place in the
        queue goes to its end. `created_at` keeps a job's own time (an imported video's);
        by default it is now."""
        now = time.time()
        state = JobState(job.state)
        settings = _settings(job.settings)
        _estimate(job.estimate_units)
        values = {name: getattr(job, name) for name in _COLUMNS if name != "id"}
        values.update(created_at=now if created_at is None else float(created_at), updated_at=now,
                      state=state.value, settings=settings.to_json(),
                      search_key=_search_key(settings, job.image_source, job.task_id))
        with self._write() as db:
            if state is JobState.WAITING and job.queue_position is None:
                values["queue_position"] = self._queue_end(db)
            cursor = db.execute(f"INSERT INTO jobs ({', '.join(values)}) "
                                f"VALUES ({', '.join('?' * len(values))})", tuple(values.values()))
            job_id = int(cursor.lastrowid or 0)
            if job.thumbnail is not None:
                db.execute("INSERT INTO job_thumbnails (job_id, data) VALUES (?, ?)",
                           (job_id, job.thumbnail))
            self._event(db, job_id, now, state, "created")
            return self._require(db, job_id)

    def update(self, job_id: int, *, note: str = "", **changes: Any) -> Job:
        """Change some fields; return the new snapshot.

        A change of state must be allowed by lifecycle.check_move (else IllegalTransition,
        and nothing changes) and is recorded as an event (with `note`).
        """
        unknown = set(changes) - _UPDATABLE
        if unknown:
            raise TypeError(f"Job has no updatable field(s): {', '.join(sorted(unknown))}")
        new_state = JobState(changes["state"]) if "state" in changes else None
        if "settings" in changes:
            _settings(changes["settings"])
        if "estimate_units" in changes:
            _estimate(changes["estimate_units"])
        now = time.time()
        with self._write() as db:
            old = self._require(db, job_id)
            if new_state is not None:
                check_move(old.state, new_state)
                if new_state is not JobState.WAITING:  # out of the queue: no place kept
                    changes.setdefault("queue_position", None)
            columns: dict[str, Any] = {}
            if {"settings", "image_source", "task_id"} & set(changes):
                columns["search_key"] = _search_key(changes.get("settings", old.settings),
                                                    changes.get("image_source", old.image_source),
                                                    changes.get("task_id", old.task_id))
            for name, value in changes.items():
                if name == "state":
                    value = JobState(value).value
                elif name == "settings":
                    value = value.to_json()
                elif name == "thumbnail":
                    if value is None:
                        db.execute("DELETE FROM job_thumbnails WHERE job_id = ?", (job_id,))
                    else:
                        db.execute("INSERT OR REPLACE INTO job_thumbnails (job_id, data) VALUES (?, ?)",
                                   (job_id, value))
                    continue
                columns[name] = value
            columns["updated_at"] = now
            db.execute(f"UPDATE jobs SET {', '.join(f'{c} = ?' for c in columns)} WHERE id = ?",
                       (*columns.values(), job_id))
            if new_state is not None and new_state is not old.state:
                self._event(db, job_id, now, new_state, note)
            return self._require(db, job_id)

    def mark_sent(self, job_id: int, seen_submissions: int | None = None) -> Job | None:
        """Claim a job for sending and count it, just before the request goes out.

        Only a job still waiting to be submitted, and (when given) still at the submission
        count the caller saw, can be claimed: in one statement, so of two processes racing
        for the same job only one sends it. None means: do not send.
        A crash after this means "uncertain".
        """
        with self._write() as db:
            claimed = db.execute(
                "UPDATE jobs SET submissions = submissions + 1, updated_at = ? "
                "WHERE id = ? AND state = ? AND task_id IS NULL AND submissions = COALESCE(?, submissions)",
                (time.time(), job_id, JobState.SUBMITTING.value, seen_submissions)).rowcount
            return self._require(db, job_id) if claimed else None

    # -- the queue ----------------------------------------------------------------------------

    @staticmethod
    def _queue_end(db: sqlite3.Connection) -> int:
        """The place after the last waiting job."""
        return int(db.execute("SELECT COALESCE(MAX(queue_position), 0) + 1 FROM jobs "
                              "WHERE queue_position IS NOT NULL").fetchone()[0])

    def requeue(self, job_id: int, *, note: str = "") -> Job:
        """Put a job (cancelled, failed or uncertain, with no task) back in the queue, at its end."""
        with self._write() as db:
            end = self._queue_end(db)
        return self.update(job_id, state=JobState.WAITING, queue_position=end, error="", error_kind="",
                           note=note or "back in the queue")

    def requeue_front(self, job_id: int, *, note: str = "", **changes: Any) -> Job:
        """Put a job back in the queue before every waiting job (a submit Novita refused with
        429, which made no task: it is sent again first, once the wait is over)."""
        with self._write() as db:
            front = int(db.execute("SELECT COALESCE(MIN(queue_position), 1) - 1 FROM jobs "
                                   "WHERE queue_position IS NOT NULL").fetchone()[0])
        return self.update(job_id, state=JobState.WAITING, queue_position=front, note=note or "back in the queue",
                           **changes)

    def waiting(self, servers: Iterable[str] | None = None, limit: int = 1_000_000) -> builtins.list[Job]:
        """The waiting jobs in the order they are to be sent (those of `servers` only, when given)."""
        where, args = "state = ?", [JobState.WAITING.value]
        if servers is not None:
            wanted = sorted(set(servers))
            where += f" AND server IN ({', '.join('?' * len(wanted))})" if wanted else " AND 0"
            args.extend(wanted)
        rows = self._db.execute(f"{_SELECT} WHERE {where} ORDER BY queue_position, id LIMIT ?",
                                (*args, limit)).fetchall()
        return [self._job(row) for row in rows]

    def count_open(self, servers: Iterable[str] | None = None) -> int:
        """How many jobs take a slot of the queue limit (lifecycle.OPEN_AT_NOVITA), of `servers`."""
        states = sorted(s.value for s in OPEN_AT_NOVITA)
        where, args = f"state IN ({', '.join('?' * len(states))})", list(states)
        if servers is not None:
            wanted = sorted(set(servers))
            where += f" AND server IN ({', '.join('?' * len(wanted))})" if wanted else " AND 0"
            args.extend(wanted)
        return int(self._db.execute(f"SELECT count(*) FROM jobs WHERE {where}", args).fetchone()[0])

    def reorder(self, job_ids: Iterable[int], *, steps: int | None = None,
                index: int | None = None) -> builtins.list[Job]:
        """Move waiting jobs `steps` places (negative: towards the front), or to `index` (0: sent
        next; counted among the waiting jobs without the moved ones). The moved jobs keep their
        order among themselves. Returns the waiting jobs whose place changed."""
        chosen = set(job_ids)
        with self._write() as db:
            rows = db.execute("SELECT id, queue_position FROM jobs WHERE state = ? "
                              "ORDER BY queue_position, id", (JobState.WAITING.value,)).fetchall()
            order = [row[0] for row in rows]
            before = {row[0]: row[1] for row in rows}
            if index is not None:
                order = move_to(order, chosen, index)
            elif steps:
                order = move_by(order, chosen, steps)
            changed = []
            for place, job_id in enumerate(order, start=1):
                if before[job_id] != place:
                    db.execute("UPDATE jobs SET queue_position = ? WHERE id = ?", (place, job_id))
                    changed.append(job_id)
            return [self._require(db, job_id) for job_id in changed]

    def meta(self, key: str) -> str | None:
        """A value the app keeps with its jobs (e.g. QUEUE_PAUSED), or None."""
        row = self._db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return None if row is None else str(row[0])

    def set_meta(self, key: str, value: str | None) -> None:
        """Keep (or, with None, forget) a value with the jobs."""
        with self._write() as db:
            if value is None:
                db.execute("DELETE FROM meta WHERE key = ?", (key,))
            else:
                db.execute("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", (key, value))

    def queue_paused(self) -> bool:
        """Whether the user paused the queue (kept across restarts)."""
        return self.meta(QUEUE_PAUSED) == "1"

    def set_queue_paused(self, paused: bool) -> None:
        self.set_meta(QUEUE_PAUSED, "1" if paused else None)

    # -- lineage and look-ups -------------------------------------------------------------------

    def family(self, job_id: int) -> tuple[Job | None, tuple[Job, ...]]:
        """A job's parent (None: none, or deleted) and its children, oldest first."""
        job = self.get(job_id)
        parent = self.get(job.parent_id) if job is not None and job.parent_id is not None else None
        rows = self._db.execute(f"{_SELECT} WHERE parent_id = ? ORDER BY created_at, id", (job_id,)).fetchall()
        return parent, tuple(self._job(row) for row in rows)

    def find(self, *, task_id: str | None = None, video_path: str | None = None) -> Job | None:
        """The job with this task id, or else with this video file; None when there is none."""
        if task_id:
            row = self._db.execute(f"{_SELECT} WHERE task_id = ? LIMIT 1", (task_id,)).fetchone()
            if row is not None:
                return self._job(row)
        if video_path:
            row = self._db.execute(f"{_SELECT} WHERE video_path = ? LIMIT 1", (video_path,)).fetchone()
            if row is not None:
                return self._job(row)
        return None

    def delete(self, job_id: int) -> None:
        with self._write() as db:
            db.execute("DELETE FROM jobs WHERE id = ?", (job_id,))  # events, thumbnail cascade

    def recover_after_start(self) -> builtins.list[Job]:
        """At start: unanswered submits become UNCERTAIN; return the jobs to resume.

        A job still SUBMITTING that was never sent (submissions == 0) is returned as it is:
        sending it now cannot charge twice.
        """
        now = time.time()
        with self._write() as db:
            stranded = [row[0] for row in db.execute(
                "SELECT id FROM jobs WHERE state = ? AND task_id IS NULL AND submissions > 0",
                (JobState.SUBMITTING.value,))]
            for job_id in stranded:
                db.execute("UPDATE jobs SET state = ?, updated_at = ? WHERE id = ?",
                           (JobState.UNCERTAIN.value, now, job_id))
                self._event(db, job_id, now, JobState.UNCERTAIN, RECOVERED_NOTE)
            rows = db.execute(f"{_SELECT} WHERE (task_id IS NOT NULL AND state NOT IN (?, ?)) "
                              "OR (state = ? AND task_id IS NULL AND submissions = 0) ORDER BY id",
                              (JobState.DONE.value, JobState.FAILED.value,
                               JobState.SUBMITTING.value)).fetchall()
            return [self._job(row) for row in rows]

    def _require(self, db: sqlite3.Connection, job_id: int) -> Job:
        job = self._get(db, job_id)
        if job is None:
            raise KeyError(job_id)
        return job

    # -- reads ------------------------------------------------------------------------------

    def get(self, job_id: int) -> Job | None:
        return self._get(self._db, job_id)

    def thumbnail(self, job_id: int) -> bytes | None:
        return self._thumbnail(self._db, job_id)

    def events(self, job_id: int) -> builtins.list[tuple[float, JobState, str]]:
        rows = self._db.execute("SELECT at, state, note FROM job_events WHERE job_id = ? "
                                "ORDER BY id", (job_id,)).fetchall()
        return [(row[0], JobState(row[1]), row[2]) for row in rows]

    def count(self, states: Iterable[JobState] | None = None, search: str = "") -> int:
        where, args = self._where(states, search)
        return int(self._db.execute(f"SELECT count(*) FROM jobs{where}", args).fetchone()[0])

    def list(self, states: Iterable[JobState] | None = None, search: str = "", limit: int = 100,
             offset: int = 0, newest_first: bool = True) -> builtins.list[Job]:
        """A page of jobs, without thumbnails (see thumbnail())."""
        where, args = self._where(states, search)
        rows = self._db.execute(f"{_SELECT}{where}{self._order(newest_first)} LIMIT ? OFFSET ?",
                                (*args, limit, offset)).fetchall()
        return [self._job(row) for row in rows]

    def ids(self, states: Iterable[JobState] | None = None, search: str = "",
            newest_first: bool = True) -> builtins.list[int]:
        where, args = self._where(states, search)
        cursor = self._db.cursor()
        cursor.row_factory = None  # plain tuples: about half the time for 10,000 rows
        rows = cursor.execute(f"SELECT id FROM jobs{where}{self._order(newest_first)}", args).fetchall()
        return [row[0] for row in rows]

    def files_in_use(self) -> set[str]:
        """Every file a job refers to (the image it was made from, the copy that was sent, its
        video): files to keep."""
        cursor = self._db.cursor()
        cursor.row_factory = None
        used: set[str] = set()
        for row in cursor.execute("SELECT image_source, image_file, video_path FROM jobs"):
            used.update(path for path in row if path)
        return used

    def spending(self, since: float) -> builtins.list[tuple[float, int | None]]:
        """(created_at, estimate_units) of every job added at or after `since` that counts as
        spent: one the server accepted (it has a task id), whatever became of it since,
        since Novita has no cancel and a task runs to its end. A submit that was never
        answered (UNCERTAIN, no task id) does not count. None: no estimate (an old job).
        Feed it to pricing.SpendingSummary.of."""
        cursor = self._db.cursor()
        cursor.row_factory = None
        rows = cursor.execute("SELECT created_at, estimate_units FROM jobs "
                              "WHERE task_id IS NOT NULL AND created_at >= ? ORDER BY created_at",
                              (since,)).fetchall()
        return [(float(at), units if isinstance(units, int) else None) for at, units in rows]

    def spent_since(self, since: float) -> Spent:
        """The estimated total of the jobs that count as spent (see spending()) added at or
        after `since`."""
        row = self._db.execute(
            "SELECT COALESCE(SUM(estimate_units), 0), count(*), count(*) - count(estimate_units) "
            "FROM jobs WHERE task_id IS NOT NULL AND created_at >= ?", (since,)).fetchone()
        return Spent(units=int(row[0]), jobs=int(row[1]), unknown=int(row[2]))

    def integrity_ok(self, *, quick: bool = False) -> bool:
        """SQLite's integrity_check of the whole file; `quick`: quick_check of the jobs table and
        its indexes only (what start-up reads; thumbnails and events can be many megabytes)."""
        try:
            rows = self._db.execute("PRAGMA quick_check(jobs)" if quick else "PRAGMA integrity_check").fetchall()
        except sqlite3.DatabaseError:  # damage bad enough that the check itself cannot run
            return False
        return [tuple(row) for row in rows] == [("ok",)]

    def close(self) -> None:
        self._db.close()


@dataclass(frozen=True)
class Spent:
    """What spent_since() found: the estimated total in units of 0.0001 USD, how many jobs
    counted, and how many of those had no estimate (left out of the total)."""

    units: int = 0
    jobs: int = 0
    unknown: int = 0


class _Transaction:
    """BEGIN IMMEDIATE; COMMIT on success, ROLLBACK on any error."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self._db = db

    def __enter__(self) -> sqlite3.Connection:
        self._db.execute("BEGIN IMMEDIATE")  # take the write lock now, not at the first write
        return self._db

    def __exit__(self, exc_type: type[BaseException] | None, *_: object) -> None:
        try:
            if exc_type is None:
                self._db.execute("COMMIT")
        finally:
            if self._db.in_transaction:  # an error, or a COMMIT that failed: leave it clean
                self._db.execute("ROLLBACK")


_SEPARATOR = "\x1f"
_SEPARATOR_RE = re.compile(_SEPARATOR)


def _settings(value: object) -> VideoSettings:
    if not isinstance(value, VideoSettings):
        raise TypeError(f"settings must be VideoSettings, not {type(value).__name__}")
    return value


def _estimate(value: object) -> None:
    """An estimate is a whole, non-negative number of units of 0.0001 USD, or None."""
    if value is not None and (isinstance(value, bool) or not isinstance(value, int) or value < 0):
        raise TypeError(f"estimate_units must be a whole number of 0.0001 USD or None, not {value!r}")


def _source_name(image_source: str) -> str:
    """The file name of a path (either slash) or the last part of a link."""
    return re.split(r"[/\\]", image_source.rstrip("/\\"))[-1] if image_source else ""


def _search_key(settings: VideoSettings, image_source: object, task_id: object) -> str:
    """What search() looks in, casefolded: prompt, source file name, task id."""
    parts = (_text(settings.prompt), _source_name(_text(image_source)), _text(task_id))
    return _SEPARATOR.join(_SEPARATOR_RE.sub(" ", part).casefold() for part in parts)


def _text(value: object) -> str:
    return value if isinstance(value, str) else ""


def move_by(order: list[int], chosen: set[int], steps: int) -> list[int]:
    """`order` with each chosen id moved `steps` places (negative: to the front), past the ids
    not chosen; chosen ids that meet the end or each other stop there, in their order."""
    order = list(order)
    for _ in range(min(abs(steps), len(order))):
        indexes = range(1, len(order)) if steps < 0 else range(len(order) - 2, -1, -1)
        for i in indexes:
            j = i - 1 if steps < 0 else i + 1
            if order[i] in chosen and order[j] not in chosen:
                order[i], order[j] = order[j], order[i]
    return order


def move_to(order: list[int], chosen: set[int], index: int) -> list[int]:
    """`order` with the chosen ids (in their order) placed from `index` on, counted among the
    others; an index out of range means the front or the end."""
    moved = [i for i in order if i in chosen]
    rest = [i for i in order if i not in chosen]
    index = min(max(0, index), len(rest))
    return rest[:index] + moved + rest[index:]
