"""The job store: durable, consistent under threads, fast enough for 10,000 jobs."""

from __future__ import annotations

import signal
import sqlite3
import subprocess
import sys
import textwrap
import threading
import time
from dataclasses import replace
from pathlib import Path

import pytest

from vidu_desktop.core import jobs
from vidu_desktop.core.jobs import RECOVERED_NOTE, Job, JobState, JobStore

PARAMS = {"prompt": "A cat walks on the beach", "duration": 5, "resolution": "720p", "seed": 0,
          "audio": True, "audio_type": "all", "is_rec": False, "off_peak": False}


@pytest.fixture
def store(tmp_path: Path):
    s = JobStore(tmp_path / "data" / "jobs.sqlite3")
    yield s
    s.close()


def full_job() -> Job:
    return Job(state=JobState.PROCESSING, params=dict(PARAMS, prompt="Ünïcode «prompt» 🎬"),
               image_source="https://example.com/cat.png", image_file="/data/images/1.png",
               image_note="downscaled 6000×4000 → 3840×2560, 4.1 MB", thumbnail=b"\x89PNG\x00\xff" * 50,
               task_id="task-123", progress=42.5, eta_s=17.0, error="Something broke",
               error_kind="NetworkError", video_url="https://cdn.example.com/v.mp4",
               video_url_expires_at=1_700_000_123.25, video_path="/videos/cat.mp4", seed=987654321,
               submissions=2)


def test_states():
    assert {s for s in JobState if s.finished} == {JobState.DONE, JobState.FAILED}
    assert {s for s in JobState if s.active} == {JobState.QUEUED, JobState.PROCESSING,
                                                 JobState.DOWNLOADING}
    job = Job(params={"prompt": "x"})
    copy = job.request_params()
    copy["prompt"] = "y"
    assert job.params == {"prompt": "x"}


def test_round_trip_of_every_field(tmp_path: Path):
    path = tmp_path / "jobs.sqlite3"
    store = JobStore(path)
    before = time.time()
    added = store.add(full_job())
    assert added.id is not None and before <= added.created_at == added.updated_at <= time.time()
    expected = full_job()
    expected.id, expected.created_at, expected.updated_at = added.id, added.created_at, added.updated_at
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
    assert job.thumbnail is None and job.task_id is None and job.params == {}


def test_update_changes_only_known_fields(store: JobStore):
    job = store.add(Job(params=dict(PARAMS)))
    time.sleep(0.01)
    updated = store.update(job.id, task_id="t1", progress=10.0, thumbnail=b"thumb",
                           params=dict(PARAMS, prompt="A dog"))
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
    with pytest.raises(ValueError):
        store.update(job.id, state="nonsense")
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
    ids = [store.add(Job(state=s, params={"prompt": p}, thumbnail=b"png")).id
           for p, s in zip(prompts, states)]
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


def test_concurrent_updates_stay_consistent(store: JobStore):
    shared = store.add(Job()).id
    own = [store.add(Job(state=JobState.QUEUED)).id for _ in range(4)]
    errors: list[BaseException] = []
    stop = threading.Event()

    def worker(index: int) -> None:
        try:
            for n in range(200):
                store.mark_sent(shared)
                state = JobState.PROCESSING if n % 2 == 0 else JobState.QUEUED
                store.update(own[index], progress=float(n), state=state)
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    def reader() -> None:  # the GUI thread, reading all along
        try:
            while not stop.is_set():
                assert store.count() == 5
                assert len(store.list()) == 5
                assert store.get(shared) is not None
        except BaseException as exc:  # pragma: no cover
            errors.append(exc)

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(4)]
    gui = threading.Thread(target=reader)
    gui.start()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    stop.set()
    gui.join()
    assert errors == []
    assert store.get(shared).submissions == 800
    for job_id in own:
        job = store.get(job_id)
        assert job.progress == 199.0 and job.state is JobState.QUEUED
        assert len(store.events(job_id)) == 1 + 200  # created, then every change of state
    assert store.integrity_ok()


def test_memory_store_is_shared_between_threads():
    store = JobStore(":memory:")
    job_id = store.add(Job()).id
    done = threading.Thread(target=lambda: store.update(job_id, state=JobState.QUEUED))
    done.start()
    done.join()
    assert store.get(job_id).state is JobState.QUEUED
    store.close()


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
    job_id = store.add(Job(params=dict(PARAMS))).id
    store.close()

    store = JobStore(path)  # reopened: nothing re-run, nothing lost
    assert _user_version(path) == JobStore.SCHEMA_VERSION
    assert store.get(job_id).params == PARAMS
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
    broken = [*jobs._MIGRATIONS, ("CREATE TABLE extra (x)", "THIS IS NOT SQL")]
    monkeypatch.setattr(jobs, "_MIGRATIONS", broken)
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
        store.add(Job(state=states[i % len(states)], params=dict(PARAMS, prompt=f"shot {i}"),
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
    from vidu_desktop.core.jobs import Job, JobState, JobStore
    store = JobStore(sys.argv[1])
    if sys.argv[2] == "once":
        job = store.add(Job(params={"prompt": "survive"}, thumbnail=b"t"))
        store.mark_sent(job.id)
        os._exit(0)  # no close(), no atexit, no flush: as if killed
    while True:
        job = store.add(Job(params={"prompt": "loop"}))
        store.update(job.id, state=JobState.QUEUED, task_id="t%d" % job.id)
        print(job.id, flush=True)
""")


def test_a_returned_write_survives_a_crash(tmp_path: Path):
    path = tmp_path / "jobs.sqlite3"
    subprocess.run([sys.executable, "-c", CHILD, str(path), "once"], check=True, timeout=60)
    store = JobStore(path)
    [job] = store.list()
    assert job.params == {"prompt": "survive"} and job.submissions == 1
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
        store.add(Job(params={"prompt": f"job {i} " * 20}))
    store.close()
    data = bytearray(path.read_bytes())
    page = 4096
    assert len(data) > 6 * page
    data[2 * page:5 * page] = b"\xa5" * (3 * page)  # scribble over b-tree pages, keep the header
    path.write_bytes(bytes(data))
    store = JobStore(path)
    assert not store.integrity_ok()
    store.close()
