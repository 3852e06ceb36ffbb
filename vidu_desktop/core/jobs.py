"""The durable job store: every job in SQLite, the single source of truth for its state.

Workers in several threads write it and the window reads it. One connection guarded by a
lock serves every thread: SQLite allows one writer at a time anyway, it works the same for
":memory:", and there are no per-thread connections left behind when a thread ends. Every
write is its own committed transaction, so a kill -9 at any moment loses nothing that a
method had returned.
"""

from __future__ import annotations

import builtins
import json
import pathlib
import sqlite3
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass, field, fields
from enum import Enum
from typing import Any


class JobState(str, Enum):
    SUBMITTING = "submitting"  # committed BEFORE the request leaves
    UNCERTAIN = "uncertain"  # the submit's answer never arrived; the user decides, never auto re-sent
    QUEUED = "queued"
    PROCESSING = "processing"
    DOWNLOADING = "downloading"
    DONE = "done"
    FAILED = "failed"

    @property
    def finished(self) -> bool:
        return self in (JobState.DONE, JobState.FAILED)

    @property
    def active(self) -> bool:
        """Has or needs work on the server's side."""
        return self in (JobState.QUEUED, JobState.PROCESSING, JobState.DOWNLOADING)


@dataclass
class Job:
    id: int | None = None
    created_at: float = 0.0  # time.time()
    updated_at: float = 0.0
    state: JobState = JobState.SUBMITTING
    params: dict = field(default_factory=dict)  # VideoRequest fields except images
    image_source: str = ""  # what the user gave: a file path or an http(s) URL
    image_file: str | None = None  # the prepared copy that is sent (data dir); None for URLs
    image_note: str = ""  # e.g. "downscaled 6000×4000 → 3840×2560, 4.1 MB"
    thumbnail: bytes | None = None  # small PNG/JPEG for lists
    task_id: str | None = None
    progress: float | None = None  # 0..100 from the server or the download
    eta_s: float | None = None
    error: str = ""  # words for the user
    error_kind: str = ""  # the exception class name, for retry decisions
    video_url: str | None = None
    video_url_expires_at: float | None = None
    video_path: str | None = None  # final file in the library once complete
    seed: int | None = None  # the seed the server reports
    submissions: int = 0  # how many times a submit request was sent for this job
    server: str = ""  # base URL the job was made for ("" = any, from before v2)

    def request_params(self) -> dict:
        return dict(self.params)


RECOVERED_NOTE = "the app stopped before the server's answer arrived"

# Columns of `jobs` in Job's order; the thumbnail lives in its own table so scans stay small.
_COLUMNS = tuple(f.name for f in fields(Job) if f.name != "thumbnail")
_UPDATABLE = frozenset(f.name for f in fields(Job)) - {"id", "created_at", "updated_at"}
_SELECT = f"SELECT {', '.join(_COLUMNS)} FROM jobs"

# Each migration is a list of statements run in one transaction with the user_version bump.
# Append only: never edit a migration that has shipped.
_MIGRATIONS: list[tuple[str, ...]] = [
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
]


class JobStore:
    SCHEMA_VERSION: int = len(_MIGRATIONS)

    def __init__(self, path: pathlib.Path | str) -> None:
        self.path = path
        if str(path) != ":memory:":
            pathlib.Path(path).parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.RLock()
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
        return _Transaction(self._db, self._lock)

    def _migrate(self) -> None:
        with self._write() as db:
            version = db.execute("PRAGMA user_version").fetchone()[0]
            if version > self.SCHEMA_VERSION:
                raise RuntimeError(f"The job database {self.path} was made by a newer Vidu Desktop "
                                   f"(schema {version}, this one knows {self.SCHEMA_VERSION}).")
            for number, statements in enumerate(_MIGRATIONS[version:], start=version + 1):
                for statement in statements:
                    db.execute(statement)
                db.execute(f"PRAGMA user_version = {number}")  # transactional: bumps with the tables

    @staticmethod
    def _job(row: sqlite3.Row, thumbnail: bytes | None = None) -> Job:
        values = {name: row[name] for name in _COLUMNS}
        values["state"] = JobState(values["state"])
        values["params"] = json.loads(values["params"])
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
        if search:
            # prompt_key is the casefolded prompt: case-insensitive beyond ASCII, unlike LIKE.
            clauses.append("instr(prompt_key, ?) > 0")
            args.append(search.casefold())
        return (" WHERE " + " AND ".join(clauses)) if clauses else "", args

    @staticmethod
    def _order(newest_first: bool) -> str:
        direction = "DESC" if newest_first else "ASC"
        return f" ORDER BY created_at {direction}, id {direction}"

    # -- writes -----------------------------------------------------------------------------

    def add(self, job: Job) -> Job:
        """Insert a job; it is on disk when this returns."""
        now = time.time()
        state = JobState(job.state)
        values = {name: getattr(job, name) for name in _COLUMNS if name != "id"}
        values.update(created_at=now, updated_at=now, state=state.value,
                      params=json.dumps(job.params, ensure_ascii=False),
                      prompt_key=_prompt_key(job.params))
        with self._write() as db:
            cursor = db.execute(f"INSERT INTO jobs ({', '.join(values)}) "
                                f"VALUES ({', '.join('?' * len(values))})", tuple(values.values()))
            job_id = int(cursor.lastrowid or 0)
            if job.thumbnail is not None:
                db.execute("INSERT INTO job_thumbnails (job_id, data) VALUES (?, ?)",
                           (job_id, job.thumbnail))
            self._event(db, job_id, now, state, "created")
            return self._require(db, job_id)

    def update(self, job_id: int, *, note: str = "", **changes: Any) -> Job:
        """Change some fields; a change of state is recorded as an event (with `note`)."""
        unknown = set(changes) - _UPDATABLE
        if unknown:
            raise TypeError(f"Job has no updatable field(s): {', '.join(sorted(unknown))}")
        now = time.time()
        with self._write() as db:
            old = self._require(db, job_id)
            columns: dict[str, Any] = {}
            for name, value in changes.items():
                if name == "state":
                    value = JobState(value).value
                elif name == "params":
                    columns["prompt_key"] = _prompt_key(value)
                    value = json.dumps(value, ensure_ascii=False)
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
            if "state" in changes and JobState(changes["state"]) is not old.state:
                self._event(db, job_id, now, JobState(changes["state"]), note)
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
        with self._lock:
            return self._get(self._db, job_id)

    def thumbnail(self, job_id: int) -> bytes | None:
        with self._lock:
            return self._thumbnail(self._db, job_id)

    def events(self, job_id: int) -> builtins.list[tuple[float, JobState, str]]:
        with self._lock:
            rows = self._db.execute("SELECT at, state, note FROM job_events WHERE job_id = ? "
                                    "ORDER BY id", (job_id,)).fetchall()
        return [(row[0], JobState(row[1]), row[2]) for row in rows]

    def count(self, states: Iterable[JobState] | None = None, search: str = "") -> int:
        where, args = self._where(states, search)
        with self._lock:
            return int(self._db.execute(f"SELECT count(*) FROM jobs{where}", args).fetchone()[0])

    def list(self, states: Iterable[JobState] | None = None, search: str = "", limit: int = 100,
             offset: int = 0, newest_first: bool = True) -> builtins.list[Job]:
        """A page of jobs, without thumbnails (see thumbnail())."""
        where, args = self._where(states, search)
        with self._lock:
            rows = self._db.execute(f"{_SELECT}{where}{self._order(newest_first)} LIMIT ? OFFSET ?",
                                    (*args, limit, offset)).fetchall()
        return [self._job(row) for row in rows]

    def ids(self, states: Iterable[JobState] | None = None, search: str = "",
            newest_first: bool = True) -> builtins.list[int]:
        where, args = self._where(states, search)
        with self._lock:
            cursor = self._db.cursor()
            cursor.row_factory = None  # plain tuples: about half the time for 10,000 rows
            rows = cursor.execute(f"SELECT id FROM jobs{where}{self._order(newest_first)}",
                                  args).fetchall()
        return [row[0] for row in rows]

    def integrity_ok(self) -> bool:
        try:
            with self._lock:
                rows = self._db.execute("PRAGMA integrity_check").fetchall()
        except sqlite3.DatabaseError:  # damage bad enough that the check itself cannot run
            return False
        return [tuple(row) for row in rows] == [("ok",)]

    def close(self) -> None:
        with self._lock:
            self._db.close()


class _Transaction:
    """BEGIN IMMEDIATE under the lock; COMMIT on success, ROLLBACK on any error."""

    def __init__(self, db: sqlite3.Connection, lock: threading.RLock) -> None:
        self._db, self._lock = db, lock

    def __enter__(self) -> sqlite3.Connection:
        self._lock.acquire()
        try:
            self._db.execute("BEGIN IMMEDIATE")  # take the write lock now, not at the first write
        except BaseException:
            self._lock.release()
            raise
        return self._db

    def __exit__(self, exc_type: type[BaseException] | None, *_: object) -> None:
        try:
            if exc_type is None:
                self._db.execute("COMMIT")
        finally:
            try:
                if self._db.in_transaction:  # an error, or a COMMIT that failed: leave it clean
                    self._db.execute("ROLLBACK")
            finally:
                self._lock.release()


def _prompt_key(params: dict) -> str:
    prompt = params.get("prompt", "")
    return prompt.casefold() if isinstance(prompt, str) else ""
