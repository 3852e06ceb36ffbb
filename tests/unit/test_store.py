"""The job store: durable, lifecycle-checked, migrated, fast enough for 10,000 jobs."""

from __future__ import annotations

import dataclasses
import json
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from vidu_desktop.core import errors
from vidu_desktop.core import store as store_module
from vidu_desktop.core.job import Job
from vidu_desktop.core.lifecycle import JobState
from vidu_desktop.core.links import VideoLink
from vidu_desktop.core.request import VideoSettings
from vidu_desktop.core.store import RECOVERED_NOTE, JobStore

SETTINGS = VideoSettings(prompt="A cat walks on the beach")


@pytest.fixture
def store(tmp_path: Path):
    s = JobStore(tmp_path / "data" / "jobs.sqlite3")
    yield s
    s.close()


def full_job() -> Job:
    return Job(state=JobState.PROCESSING,
               settings=SETTINGS.replace(prompt="Ünïcode «prompt» 🎬", seed=5, off_peak=True),
               image_source="https://example.com/cat.png", image_file="/data/images/1.png",
               image_note="downscaled 6000×4000 → 3840×2560, 4.1 MB", thumbnail=b"\x89PNG\x00\xff" * 50,
               task_id="task-123", progress=42.5, eta_s=17.0, error="Something broke",
               error_kind="NetworkError", video_url="https://cdn.example.com/v.mp4",
               video_url_expires_at=1_700_000_123.25, video_path="/videos/cat.mp4", seed=987654321,
               submissions=2, estimate_units=1950)


def test_a_job_is_an_immutable_snapshot():
    job = Job(settings=VideoSettings(prompt="x"))
    with pytest.raises(dataclasses.FrozenInstanceError):
        job.state = JobState.DONE  # type: ignore[misc]
    assert replace(job, state=JobState.QUEUED).state is JobState.QUEUED and job.state is JobState.SUBMITTING
    assert Job().settings == VideoSettings()


def test_video_link_is_built_from_the_stored_url_and_expiry():
    assert Job().video_link() is None
    link = Job(video_url="https://cdn/v.mp4", video_url_expires_at=1000.0).video_link()
    assert link == VideoLink(url="https://cdn/v.mp4", expires_at=1000.0)
    assert not link.expired(now=994.0) and link.expired(now=995.0)  # 5 s margin
    assert not Job(video_url="https://cdn/v.mp4").video_link().expired(now=1e12)  # unknown: never
    fresh = VideoLink.from_ttl("https://cdn/v.mp4", 60, received_at=100.0)
    assert (fresh.expires_at, fresh.ttl_s, fresh.video_type) == (160.0, 60, "mp4")


def test_round_trip_of_every_field(tmp_path: Path):
    path = tmp_path / "jobs.sqlite3"
    store = JobStore(path)
    before = time.time()
    added = store.add(full_job())
    assert added.id is not None and before <= added.created_at == added.updated_at <= time.time()
    expected = replace(full_job(), id=added.id, created_at=added.created_at, updated_at=added.updated_at)
    assert added == expected
    assert store.get(added.id) == expected
    store.close()

    reopened = JobStore(path)  # from disk, not from a cache
    assert reopened.get(added.id) == expected
    assert reopened.get(added.id + 1) is None
    reopened.close()


def test_defaults_round_trip(store: JobStore):
    job = store.add(Job())
    assert store.get(job.id) == job
    assert job.thumbnail is None and job.task_id is None and job.settings == VideoSettings()


def test_update_changes_only_known_fields(store: JobStore):
    job = store.add(Job(settings=SETTINGS))
    time.sleep(0.01)
    updated = store.update(job.id, task_id="t1", progress=10.0, thumbnail=b"thumb",
                           settings=SETTINGS.replace(prompt="A dog"))
    assert updated.settings == SETTINGS.replace(prompt="A dog")
    assert updated.updated_at > job.updated_at and updated.created_at == job.created_at
    assert (updated.task_id, updated.progress, updated.thumbnail) == ("t1", 10.0, b"thumb")
    assert store.ids(search="dog") == [job.id] and store.ids(search="cat") == []
    assert store.update(job.id, thumbnail=None).thumbnail is None
    with pytest.raises(TypeError):
        store.update(job.id, colour="red")
    with pytest.raises(TypeError):
        store.update(job.id, id=99)
    with pytest.raises(KeyError):
        store.update(12345, progress=1.0)
    with pytest.raises(ValueError, match="nonsense"):
        store.update(job.id, state="nonsense")
    with pytest.raises(TypeError):
        store.update(job.id, settings={"prompt": "a dict is no longer accepted"})
    with pytest.raises(errors.IllegalTransition):
        store.update(job.id, state=JobState.DONE, progress=99.0)
    after = store.get(job.id)  # the refused changes left it as it was
    assert replace(after, updated_at=0.0) == replace(updated, thumbnail=None, updated_at=0.0)


def test_events_recorded_on_state_change(store: JobStore):
    job = store.add(Job())
    store.update(job.id, progress=5.0)  # no state change: no event
    store.update(job.id, state=JobState.QUEUED, task_id="t")
    store.update(job.id, state=JobState.QUEUED, note="same state: no event")
    store.update(job.id, state="processing", note="the server started")  # a plain value works too
    store.update(job.id, state=JobState.FAILED, error="boom", note="it failed")
    events = store.events(job.id)
    assert [(state, note) for _, state, note in events] == [
        (JobState.SUBMITTING, "created"), (JobState.QUEUED, ""),
        (JobState.PROCESSING, "the server started"), (JobState.FAILED, "it failed")]
    times = [at for at, _, _ in events]
    assert times == sorted(times)
    assert store.events(999) == []


def test_every_state_change_is_checked_by_the_lifecycle(store: JobStore):
    job = store.add(Job(state=JobState.QUEUED, task_id="t"))
    with pytest.raises(errors.IllegalTransition):
        store.update(job.id, state=JobState.SUBMITTING, note="never: it has a task")
    assert store.get(job.id) == job and len(store.events(job.id)) == 1  # nothing changed
    store.update(job.id, state=JobState.DOWNLOADING, video_url="u")
    done = store.update(job.id, state=JobState.DONE, video_path="/v.mp4")
    for state in JobState:
        if state is not JobState.DONE:
            with pytest.raises(errors.IllegalTransition):
                store.update(job.id, state=state)
    assert store.get(job.id) == done
    # Retry paths from FAILED: again with no task, or poll / download again with one.
    failed = store.add(Job(state=JobState.FAILED))
    assert store.update(failed.id, state=JobState.SUBMITTING).state is JobState.SUBMITTING
    uncertain = store.add(Job(state=JobState.UNCERTAIN))
    with pytest.raises(errors.IllegalTransition):
        store.update(uncertain.id, state=JobState.QUEUED)
    assert store.update(uncertain.id, state=JobState.SUBMITTING, note="user").state is JobState.SUBMITTING


def test_mark_sent_counts(store: JobStore):
    job = store.add(Job())
    assert store.mark_sent(job.id).submissions == 1
    assert store.mark_sent(job.id).submissions == 2
    assert store.get(job.id).submissions == 2
    assert store.mark_sent(999) is None
    # Two senders that both saw 2 submissions: only the first may send.
    assert store.mark_sent(job.id, seen_submissions=2).submissions == 3
    assert store.mark_sent(job.id, seen_submissions=2) is None
    store.update(job.id, task_id="t", state=JobState.QUEUED)
    assert store.mark_sent(job.id) is None  # has a task: never sent again


def test_delete_removes_events_and_thumbnail(store: JobStore):
    job = store.add(Job(thumbnail=b"t"))
    store.update(job.id, state=JobState.QUEUED)
    store.delete(job.id)
    assert store.get(job.id) is None and store.thumbnail(job.id) is None
    assert store.events(job.id) == []
    store.delete(job.id)  # already gone: nothing to do
    assert store.integrity_ok()


def test_recover_after_start(tmp_path: Path):
    path = tmp_path / "jobs.sqlite3"
    store = JobStore(path)
    unanswered = store.add(Job(state=JobState.SUBMITTING)).id
    store.mark_sent(unanswered)
    queued = store.add(Job(state=JobState.QUEUED, task_id="q")).id
    downloading = store.add(Job(state=JobState.DOWNLOADING, task_id="d", video_url="u")).id
    done = store.add(Job(state=JobState.DONE, task_id="x", video_path="/v.mp4")).id
    failed = store.add(Job(state=JobState.FAILED, task_id="y", error="no")).id
    failed_early = store.add(Job(state=JobState.FAILED, error="image rejected")).id
    never_sent = store.add(Job(state=JobState.SUBMITTING)).id
    untouched = {i: store.get(i) for i in (done, failed, failed_early)}
    store.close()

    store = JobStore(path)  # as at the next start
    resumed = store.recover_after_start()
    assert [job.id for job in resumed] == [queued, downloading, never_sent]
    assert resumed[2].state is JobState.SUBMITTING  # nothing left: sending it cannot charge twice
    assert resumed[1].state is JobState.DOWNLOADING and resumed[1].video_url == "u"
    job = store.get(unanswered)
    assert job.state is JobState.UNCERTAIN and job.submissions == 1 and job.task_id is None
    assert store.events(unanswered)[-1][1:] == (JobState.UNCERTAIN, RECOVERED_NOTE)
    assert {i: store.get(i) for i in untouched} == untouched
    # Running it again changes nothing: uncertain jobs wait for the user.
    assert [job.id for job in store.recover_after_start()] == [queued, downloading, never_sent]
    assert len(store.events(unanswered)) == 2
    store.close()


def test_search_state_filters_order_and_paging(store: JobStore):
    prompts = ["A Cat on a roof", "a dog", "Café au lait", "CAFÉ NOIR", "", "the cat again"]
    states = [JobState.DONE, JobState.FAILED, JobState.QUEUED, JobState.DONE, JobState.UNCERTAIN,
              JobState.PROCESSING]
    ids = [store.add(Job(state=s, settings=VideoSettings(prompt=p), thumbnail=b"png")).id
           for p, s in zip(prompts, states, strict=True)]
    assert store.ids() == ids[::-1] and store.ids(newest_first=False) == ids
    assert store.count() == 6
    assert store.ids(search="CAT") == [ids[5], ids[0]]
    assert store.ids(search="café") == [ids[3], ids[2]]  # case-insensitive beyond ASCII
    assert store.ids(search="%") == [] and store.ids(search="_") == []  # no LIKE wildcards
    assert store.count(search="cat") == 2
    assert store.ids([JobState.DONE]) == [ids[3], ids[0]]
    assert store.count([JobState.DONE, JobState.FAILED]) == 3
    assert store.count(states=[s for s in JobState if s.active]) == 2
    assert store.ids(states=[]) == [] and store.count(states=[]) == 0
    assert store.ids([JobState.DONE], search="noir") == [ids[3]]
    assert store.count([JobState.FAILED], search="cat") == 0

    page = store.list(limit=2, offset=1)
    assert [job.id for job in page] == [ids[4], ids[3]]
    assert all(job.thumbnail is None for job in store.list())  # lists never load thumbnails
    assert store.thumbnail(ids[0]) == b"png" and store.get(ids[0]).thumbnail == b"png"
    assert [j.id for j in store.list([JobState.DONE], newest_first=False)] == [ids[0], ids[3]]
    assert [j.id for j in store.list(search="cat", limit=1)] == [ids[5]]


def test_search_matches_prompt_file_name_state_and_task_id(store: JobStore):
    photo = store.add(Job(settings=VideoSettings(prompt="sunset"),
                          image_source="/home/ana/Fotos/Straße.JPG")).id
    link = store.add(Job(image_source="https://example.com/pics/Beach.png?x=1")).id
    windows = store.add(Job(image_source="C:\\Users\\bo\\Pictures\\Hund.webp")).id
    task = store.add(Job(state=JobState.QUEUED, task_id="TASK-Abc-123")).id
    failed = store.add(Job(state=JobState.FAILED, settings=VideoSettings(prompt="it broke"))).id
    assert store.ids(search="STRASSE.jpg") == [photo]  # casefolded: ß matches SS
    assert store.ids(search="fotos") == []  # the file name, not the folders
    assert store.ids(search="beach") == [link]
    assert store.ids(search="hund") == [windows] and store.ids(search="bo") == []
    assert store.ids(search="abc-123") == [task]
    assert store.ids(search="queued") == [task] and store.ids(search="FAIL") == [failed]
    assert store.count(search="sunset") == 1
    # Changing what is searched keeps the search up to date.
    store.update(task, task_id="other", settings=VideoSettings(prompt="now a sunset too"))
    assert store.ids(search="abc") == [] and store.ids(search="sunset") == [task, photo]
    store.update(link, image_source="/x/renamed.png")
    assert store.ids(search="beach") == [] and store.ids(search="RENAMED") == [link]


@pytest.mark.parametrize("needle", ["'; DROP TABLE jobs; --", "%", "_", "\\", "\x1f", "' OR 1=1 --", "\x00"])
def test_search_is_injection_safe(store: JobStore, needle: str):
    store.add(Job(settings=VideoSettings(prompt="plain"), image_source="a.png", task_id="t1"))
    assert store.ids(search=needle) in ([], store.ids())
    assert store.count() == 1 and store.integrity_ok()


def _user_version(path: Path) -> int:
    db = sqlite3.connect(path)
    try:
        return db.execute("PRAGMA user_version").fetchone()[0]
    finally:
        db.close()


def test_migrations(tmp_path: Path):
    path = tmp_path / "jobs.sqlite3"
    sqlite3.connect(path).close()  # an existing, empty database at user_version 0
    assert _user_version(path) == 0
    store = JobStore(path)
    assert JobStore.SCHEMA_VERSION >= 1 and _user_version(path) == JobStore.SCHEMA_VERSION
    job_id = store.add(Job(settings=SETTINGS)).id
    store.close()

    store = JobStore(path)  # reopened: nothing re-run, nothing lost
    assert _user_version(path) == JobStore.SCHEMA_VERSION
    assert store.get(job_id).settings == SETTINGS
    store.close()
    db = sqlite3.connect(path)
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    db.close()


def test_newer_schema_is_refused(tmp_path: Path):
    path = tmp_path / "jobs.sqlite3"
    db = sqlite3.connect(path)
    db.execute(f"PRAGMA user_version = {JobStore.SCHEMA_VERSION + 1}")
    db.close()
    with pytest.raises(RuntimeError, match="newer"):
        JobStore(path)


def test_failed_migration_leaves_nothing_half_done(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    path = tmp_path / "jobs.sqlite3"
    JobStore(path).close()
    broken = [*store_module._MIGRATIONS, ("CREATE TABLE extra (x)", "THIS IS NOT SQL")]
    monkeypatch.setattr(store_module, "_MIGRATIONS", broken)
    monkeypatch.setattr(JobStore, "SCHEMA_VERSION", len(broken))
    with pytest.raises(sqlite3.OperationalError):
        JobStore(path)
    db = sqlite3.connect(path)
    tables = {row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    db.close()
    assert "extra" not in tables and _user_version(path) == len(broken) - 1


def test_ten_thousand_jobs(tmp_path: Path):
    store = JobStore(tmp_path / "jobs.sqlite3")
    states = list(JobState)
    start = time.perf_counter()
    for i in range(10_000):
        store.add(Job(state=states[i % len(states)], settings=VideoSettings(prompt=f"shot {i}"),
                      thumbnail=b"x" * 2000))
    inserted = time.perf_counter() - start

    def timed(call):
        start = time.perf_counter()
        result = call()
        return result, time.perf_counter() - start

    ids, ids_s = timed(store.ids)
    count, count_s = timed(store.count)
    page, list_s = timed(lambda: store.list(limit=100))
    done, done_s = timed(lambda: store.ids([JobState.DONE]))
    found, search_s = timed(lambda: store.count(search="SHOT 99"))
    print(f"\n10k add() {inserted:.2f} s; ids() {ids_s * 1000:.1f} ms; count() {count_s * 1000:.2f} ms; "
          f"list(100) {list_s * 1000:.1f} ms; ids(DONE) {done_s * 1000:.1f} ms; "
          f"count(search) {search_s * 1000:.1f} ms")
    assert len(ids) == count == 10_000 and ids[0] == page[0].id and len(page) == 100
    assert len(done) == len(range(states.index(JobState.DONE), 10_000, len(states)))
    assert found == 111  # 99, 990-999, 9900-9999
    # Generous bounds (a loaded CI box); measured locally they are a few ms each.
    assert ids_s < 0.25 and count_s < 0.25 and list_s < 0.25 and search_s < 0.25
    store.close()


CHILD = textwrap.dedent("""
    import os, sys
    from vidu_desktop.core.job import Job
    from vidu_desktop.core.lifecycle import JobState
    from vidu_desktop.core.request import VideoSettings
    from vidu_desktop.core.store import JobStore
    store = JobStore(sys.argv[1])
    if sys.argv[2] == "once":
        job = store.add(Job(settings=VideoSettings(prompt="survive"), thumbnail=b"t"))
        store.mark_sent(job.id)
        os._exit(0)  # no close(), no atexit, no flush: as if killed
    while True:
        job = store.add(Job(settings=VideoSettings(prompt="loop")))
        store.update(job.id, state=JobState.QUEUED, task_id="t%d" % job.id)
        print(job.id, flush=True)
""")


def test_a_returned_write_survives_a_crash(tmp_path: Path):
    path = tmp_path / "jobs.sqlite3"
    subprocess.run([sys.executable, "-c", CHILD, str(path), "once"], check=True, timeout=60)
    store = JobStore(path)
    [job] = store.list()
    assert job.settings == VideoSettings(prompt="survive") and job.submissions == 1
    assert store.thumbnail(job.id) == b"t" and store.integrity_ok()
    store.close()


def test_kill_9_mid_writes_loses_nothing_returned(tmp_path: Path):
    path = tmp_path / "jobs.sqlite3"
    child = subprocess.Popen([sys.executable, "-c", CHILD, str(path), "loop"],
                             stdout=subprocess.PIPE, text=True)
    reported = [int(child.stdout.readline()) for _ in range(50)]
    child.send_signal(signal.SIGKILL)
    child.wait(timeout=30)
    child.stdout.close()
    store = JobStore(path)
    assert store.integrity_ok()
    for job_id in reported:  # everything the child saw returned is there, fully
        job = store.get(job_id)
        assert job.state is JobState.QUEUED and job.task_id == f"t{job_id}"
    store.close()


def test_integrity_ok_notices_damage(tmp_path: Path):
    path = tmp_path / "jobs.sqlite3"
    store = JobStore(path)
    assert store.integrity_ok()
    for i in range(300):
        store.add(Job(settings=VideoSettings(prompt=f"job {i} " * 20)))
    store.close()
    data = bytearray(path.read_bytes())
    page = 4096
    assert len(data) > 6 * page
    data[2 * page:5 * page] = b"\xa5" * (3 * page)  # scribble over b-tree pages, keep the header
    path.write_bytes(bytes(data))
    store = JobStore(path)
    assert not store.integrity_ok()
    store.close()


def test_a_store_can_be_handed_to_the_thread_that_uses_it(tmp_path: Path):
    """Built in one thread, used in another (the engine's): one thread at a time, no lock."""
    import threading

    store = JobStore(tmp_path / "jobs.sqlite3")
    job_id = store.add(Job()).id
    result: list[Job] = []
    worker = threading.Thread(target=lambda: result.append(store.update(job_id, state=JobState.QUEUED)))
    worker.start()
    worker.join()
    assert result[0].state is JobState.QUEUED and store.get(job_id).state is JobState.QUEUED
    store.close()


# A version 2 database as the app shipped it, written out by hand (not from _MIGRATIONS).
V2_SCHEMA = """
CREATE TABLE jobs (
    id INTEGER PRIMARY KEY, created_at REAL NOT NULL, updated_at REAL NOT NULL, state TEXT NOT NULL,
    params TEXT NOT NULL DEFAULT '{}', prompt_key TEXT NOT NULL DEFAULT '',
    image_source TEXT NOT NULL DEFAULT '', image_file TEXT, image_note TEXT NOT NULL DEFAULT '',
    task_id TEXT, progress REAL, eta_s REAL, error TEXT NOT NULL DEFAULT '',
    error_kind TEXT NOT NULL DEFAULT '', video_url TEXT, video_url_expires_at REAL, video_path TEXT,
    seed INTEGER, submissions INTEGER NOT NULL DEFAULT 0, server TEXT NOT NULL DEFAULT '');
CREATE INDEX jobs_created ON jobs (created_at);
CREATE INDEX jobs_state_created ON jobs (state, created_at);
CREATE TABLE job_thumbnails (job_id INTEGER PRIMARY KEY REFERENCES jobs (id) ON DELETE CASCADE,
                             data BLOB NOT NULL);
CREATE TABLE job_events (id INTEGER PRIMARY KEY,
                         job_id INTEGER NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
                         at REAL NOT NULL, state TEXT NOT NULL, note TEXT NOT NULL DEFAULT '');
CREATE INDEX job_events_job ON job_events (job_id);
PRAGMA user_version = 2;
"""

OLD_ROWS = [  # (params as v2 stored them, what v3 must read)
    (json.dumps({"prompt": "A Cat", "duration": 8, "resolution": "1080p", "seed": 7, "audio": False,
                 "audio_type": "all", "is_rec": True, "off_peak": True}),
     VideoSettings(prompt="A Cat", duration=8, resolution="1080p", seed=7, audio=False, is_rec=True,
                   off_peak=True)),
    (json.dumps({"prompt": "bad numbers", "duration": 99, "seed": -3, "resolution": "4k",
                 "audio": "loud", "colour": "red"}),
     VideoSettings(prompt="bad numbers")),
    ("{}", VideoSettings()),
    ("this is not json", VideoSettings()),
    (json.dumps(["a", "list"]), VideoSettings()),
    (json.dumps({"prompt": 12345, "duration": "6"}), VideoSettings(duration=6)),
]


def test_migration_v3_rewrites_old_params_into_versioned_settings(tmp_path: Path):
    path = tmp_path / "jobs.sqlite3"
    db = sqlite3.connect(path)
    db.executescript(V2_SCHEMA)
    for n, (params, _) in enumerate(OLD_ROWS, start=1):
        prompt = json.loads(params).get("prompt", "") if params.startswith("{") else ""
        db.execute("INSERT INTO jobs (id, created_at, updated_at, state, params, prompt_key, image_source,"
                   " task_id, server) VALUES (?, ?, ?, 'done', ?, ?, ?, ?, 'https://api.novita.ai')",
                   (n, 1000.0 + n, 2000.0 + n, params, str(prompt).casefold(), f"/pics/Photo{n}.png",
                    f"task-{n}"))
        db.execute("INSERT INTO job_events (job_id, at, state, note) VALUES (?, ?, 'done', 'old')",
                   (n, 1000.0 + n))
    db.execute("INSERT INTO job_thumbnails (job_id, data) VALUES (1, x'89504e47')")
    db.commit()
    db.close()

    store = JobStore(path)
    assert _user_version(path) == JobStore.SCHEMA_VERSION >= 3
    for n, (_, expected) in enumerate(OLD_ROWS, start=1):
        job = store.get(n)
        assert job.settings == expected, n
        assert job.estimate_units is None  # v4: an old job's cost is unknown
        assert (job.created_at, job.updated_at, job.state, job.task_id, job.server) == (
            1000.0 + n, 2000.0 + n, JobState.DONE, f"task-{n}", "https://api.novita.ai")
        assert [note for _, _, note in store.events(n)] == ["old"]
    assert store.thumbnail(1) == b"\x89PNG"
    # Search was rebuilt: prompt, file name and task id.
    assert store.ids(search="a cat") == [1] and store.ids(search="photo3") == [3]
    assert store.ids(search="task-5") == [5]
    store.close()

    raw = sqlite3.connect(path)
    columns = [row[1] for row in raw.execute("PRAGMA table_info(jobs)")]
    stored = [json.loads(row[0]) for row in raw.execute("SELECT settings FROM jobs ORDER BY id")]
    raw.close()
    assert "params" not in columns and "prompt_key" not in columns
    assert "settings" in columns and "search_key" in columns
    assert all(s["schema"] == 1 and set(s) == {"schema", *[f.name for f in dataclasses.fields(VideoSettings)]}
               for s in stored)
    assert stored[1]["duration"] == 5 and "colour" not in stored[1]


def test_settings_written_by_a_newer_app_are_read_tolerantly(store: JobStore):
    job = store.add(Job(settings=SETTINGS))
    store._db.execute("UPDATE jobs SET settings = ? WHERE id = ?",
                      (json.dumps({"schema": 2, "prompt": "kept", "duration": 7, "style": "new"}), job.id))
    assert store.get(job.id).settings == VideoSettings(prompt="kept", duration=7)


# -- v4: estimates and what was spent -------------------------------------------------------


def test_migration_v4_adds_the_estimate_and_old_jobs_have_none(tmp_path: Path):
    path = tmp_path / "jobs.sqlite3"
    _database_at(path, 3)
    assert _user_version(path) == 3
    store = JobStore(path)
    assert _user_version(path) == JobStore.SCHEMA_VERSION >= 4
    [old] = store.list()
    assert old.estimate_units is None and old.task_id == "old-task" and old.state is JobState.DONE
    new = store.add(Job(settings=SETTINGS, estimate_units=1950))
    assert store.get(new.id).estimate_units == 1950
    assert store.spent_since(0) == store_module.Spent(units=0, jobs=1, unknown=1)  # new: no task id yet
    store.close()


def test_the_estimate_is_kept_as_added_and_checked(store: JobStore):
    job = store.add(Job(settings=SETTINGS, estimate_units=975))
    assert job.estimate_units == 975 and store.get(job.id).estimate_units == 975
    assert store.add(Job()).estimate_units is None
    for bad in (-1, 1.5, "975", True):
        with pytest.raises(TypeError, match="estimate_units"):
            store.add(Job(estimate_units=bad))  # type: ignore[arg-type]
        with pytest.raises(TypeError, match="estimate_units"):
            store.update(job.id, estimate_units=bad)
    assert store.update(job.id, estimate_units=1000).estimate_units == 1000


def test_what_counts_as_spent_is_what_the_server_accepted(store: JobStore):
    def add(units, *, task_id=None, state=JobState.SUBMITTING, submissions=0):
        return store.add(Job(state=state, task_id=task_id, estimate_units=units, submissions=submissions))

    add(100)  # never sent
    add(200, state=JobState.UNCERTAIN, submissions=1)  # sent, no answer: not counted
    add(400, task_id="t-queued", state=JobState.QUEUED)
    add(800, task_id="t-done", state=JobState.DONE)
    add(1600, task_id="t-failed", state=JobState.FAILED)  # no cancel at Novita: counted
    add(None, task_id="t-old", state=JobState.DONE)  # no estimate: counted as unknown
    spent = store.spent_since(0)
    assert spent == store_module.Spent(units=2800, jobs=4, unknown=1)
    assert sorted(units or 0 for _, units in store.spending(0)) == [0, 400, 800, 1600]
    assert [units for _, units in store.spending(0)].count(None) == 1
    assert store.spent_since(time.time() + 60) == store_module.Spent()
    assert store.spending(time.time() + 60) == []


def test_spending_by_period_from_the_store(store: JobStore):
    from datetime import UTC

    from vidu_desktop.core.pricing import SpendingSummary

    job = store.add(Job(state=JobState.QUEUED, task_id="t1", estimate_units=1950))
    now = job.created_at
    since = SpendingSummary.since(now, UTC)
    summary = SpendingSummary.of(store.spending(since), now, UTC)
    assert (summary.today, summary.week, summary.month, summary.unknown) == (1950, 1950, 1950, 0)


# -- v5: the queue, the paused flag, lineage ------------------------------------------------


def _database_at(path: Path, version: int) -> None:
    """A database as the app shipped it at `version`: through the shipped migrations."""
    db = sqlite3.connect(path, isolation_level=None)
    for number, steps in enumerate(store_module._MIGRATIONS[:version], start=1):
        for step in steps:
            if isinstance(step, str):
                db.execute(step)
            else:
                step(db)
        db.execute(f"PRAGMA user_version = {number}")
    if version >= 4:  # the estimate column came with v4
        db.execute("INSERT INTO jobs (created_at, updated_at, state, settings, task_id, estimate_units) "
                   "VALUES (1000.0, 1000.0, 'queued', '{}', 'old-task', 975)")
    else:
        db.execute("INSERT INTO jobs (created_at, updated_at, state, settings, task_id) "
                   "VALUES (1000.0, 1000.0, 'done', '{}', 'old-task')")
    db.close()


def test_migration_v5_keeps_old_jobs_and_adds_the_queue(tmp_path: Path):
    path = tmp_path / "jobs.sqlite3"
    _database_at(path, 4)
    store = JobStore(path)
    assert _user_version(path) == JobStore.SCHEMA_VERSION == 5
    [old] = store.list()
    assert (old.task_id, old.state, old.estimate_units) == ("old-task", JobState.QUEUED, 975)
    assert old.queue_position is None and old.parent_id is None and old.relation == ""
    assert not store.queue_paused() and store.count_open() == 1
    first = store.add(Job(state=JobState.WAITING, settings=SETTINGS))
    assert first.queue_position == 1
    store.close()
    assert JobStore(path).get(first.id).queue_position == 1  # opening again changes nothing


def test_waiting_jobs_queue_in_order_and_leave_it_when_sent(store: JobStore):
    jobs = [store.add(Job(state=JobState.WAITING, settings=SETTINGS, server="s")) for _ in range(4)]
    assert [job.queue_position for job in jobs] == [1, 2, 3, 4]
    assert [job.id for job in store.waiting()] == [job.id for job in jobs]
    assert store.waiting(servers=["other"]) == [] and len(store.waiting(servers=["s"], limit=2)) == 2
    sent = store.update(jobs[0].id, state=JobState.SUBMITTING)
    assert sent.queue_position is None and store.count_open(["s"]) == 1 and store.count_open(["x"]) == 0
    cancelled = store.update(jobs[1].id, state=JobState.CANCELLED)
    assert cancelled.queue_position is None
    back = store.requeue(jobs[1].id)
    assert back.state is JobState.WAITING and back.queue_position == 5  # at the end
    assert [job.id for job in store.waiting()] == [jobs[2].id, jobs[3].id, jobs[1].id]


def test_reorder_by_steps_and_to_a_place(store: JobStore):
    ids = [store.add(Job(state=JobState.WAITING, settings=SETTINGS)).id for _ in range(5)]
    a, b, c, d, e = ids
    store.reorder([c, d], steps=-1)
    assert [job.id for job in store.waiting()] == [a, c, d, b, e]
    store.reorder([c, d], steps=-10)  # past the front: they stop there, in their order
    assert [job.id for job in store.waiting()] == [c, d, a, b, e]
    changed = store.reorder([c], steps=2)
    assert [job.id for job in store.waiting()] == [d, a, c, b, e]
    assert {job.id for job in changed} == {c, d, a}
    store.reorder([e, d], index=0)
    assert [job.id for job in store.waiting()] == [d, e, a, c, b]
    store.reorder([d], index=99)
    assert [job.id for job in store.waiting()] == [e, a, c, b, d]
    assert [job.queue_position for job in store.waiting()] == [1, 2, 3, 4, 5]


@given(st.lists(st.integers(0, 30), min_size=0, max_size=12, unique=True), st.sets(st.integers(0, 30)),
       st.integers(-40, 40), st.integers(-5, 40))
def test_moves_keep_every_job_exactly_once(order, chosen, steps, index):
    for moved in (store_module.move_by(order, chosen, steps), store_module.move_to(order, chosen, index)):
        assert sorted(moved) == sorted(order)
        assert [i for i in moved if i in chosen] == [i for i in order if i in chosen]
        assert [i for i in moved if i not in chosen] == [i for i in order if i not in chosen]


def test_the_paused_flag_is_kept_with_the_jobs(tmp_path: Path):
    path = tmp_path / "jobs.sqlite3"
    store = JobStore(path)
    assert not store.queue_paused()
    store.set_queue_paused(True)
    store.close()
    store = JobStore(path)
    assert store.queue_paused()
    store.set_queue_paused(False)
    assert not store.queue_paused() and store.meta(store_module.QUEUE_PAUSED) is None
    store.close()


def test_family_and_find(store: JobStore):
    parent = store.add(Job(state=JobState.DONE, settings=SETTINGS, task_id="t-1", video_path="/v/a.mp4"))
    rerun = store.add(Job(settings=SETTINGS, parent_id=parent.id, relation="rerun"))
    follow = store.add(Job(settings=SETTINGS, parent_id=parent.id, relation="continue"))
    assert store.family(parent.id) == (None, (store.get(rerun.id), store.get(follow.id)))
    up, children = store.family(follow.id)
    assert up is not None and up.id == parent.id and children == ()
    assert store.get(follow.id).relation == "continue"
    assert store.find(task_id="t-1").id == parent.id
    assert store.find(video_path="/v/a.mp4").id == parent.id
    assert store.find(task_id="nope", video_path="/nope") is None
    kept = store.add(Job(state=JobState.DONE, settings=SETTINGS), created_at=1234.5)
    assert kept.created_at == 1234.5
