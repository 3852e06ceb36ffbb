"""submit_peak_ratio and threads_in_flight: what a big photo and many running jobs cost the process."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from ._sim_server import BACKGROUND
from ._support import REPO, SimProcess, app_database, client_for, isolated_env, median, submit_task, thread_count

PEAK_RUNS = 3
THREAD_RUNS = 3
POLLING_JOBS = 100
SETTLE_S, SAMPLE_S = 4.0, 6.0


@pytest.fixture(scope="module")
def sim(media, tmp_path_factory):
    process = SimProcess(media["small_video"], media["big_video"], tmp_path_factory.mktemp("mem-sim-videos"),
                         queued_s=1.0, processing_s=4.0)
    yield process
    process.stop()


@pytest.mark.timeout(600)
def test_submit_peak(bench, sim, media, tmp_path):
    runs = []
    for i in range(PEAK_RUNS):
        env = isolated_env(tmp_path / f"run-{i}", QT_QPA_PLATFORM="offscreen")
        process = subprocess.run(
            [sys.executable, "-m", "tests.benchmarks._submit_peak", str(media["photo"]), str(media["png"]),
             sim.base_url], cwd=REPO, env=env, capture_output=True, text=True, timeout=300)
        assert process.returncode == 0, process.stderr[-3000:]
        runs.append(json.loads(process.stdout.strip().splitlines()[-1]))
        shutil.rmtree(tmp_path / f"run-{i}", ignore_errors=True)
    ratios = [r["growth_bytes"] / (r["pixels_bytes"] + r["body_bytes"]) for r in runs]
    r = runs[0]
    mb = 1e6
    bench.record(
        "submit_peak_ratio", median(ratios), "×",
        f"peak resident memory growth of a fresh app process while SubmitWorker.prepare and .send fit and "
        f"sends a {r['file_bytes'] / mb:.0f} MB {r['width']}×{r['height']} JPEG at 720p (VmHWM after "
        f"a reset, minus VmRSS at the reset; after a small warm-up submit; simulator in another "
        f"process), divided by the baseline; median of {PEAK_RUNS} processes. Growth "
        f"{median([x['growth_bytes'] for x in runs]) / mb:.0f} MB; the photo went out "
        f"{r['note']}, a {r['body_bytes'] / mb:.1f} MB request body.",
        baseline=(r["pixels_bytes"] + r["body_bytes"]) / mb, baseline_unit="MB",
        baseline_meaning=f"the photo's decoded pixel buffer, {r['width']}×{r['height']}×4 = "
                         f"{r['pixels_bytes'] / mb:.0f} MB, plus the request body sent, "
                         f"{r['body_bytes'] / mb:.1f} MB",
        runs=PEAK_RUNS, raw={"ratios": ratios, "runs": runs})


def app_threads(env: dict, database_jobs: list, sim: SimProcess, finished: bool = False) -> dict:
    """Start the real app (python -m vidu_desktop, offscreen) and count its threads from outside."""
    from vidu_desktop.core.job import Job
    from vidu_desktop.core.lifecycle import JobState
    from vidu_desktop.core.request import VideoSettings
    from vidu_desktop.core.store import JobStore

    store = JobStore(app_database(env))  # written before the app starts, then closed
    task_ids = []
    for task_id, prompt in database_jobs:
        store.add(Job(state=JobState.DONE if finished else JobState.QUEUED,
                      settings=VideoSettings(prompt=prompt, resolution="540p", audio=False),
                      image_source="/home/user/Pictures/p.jpg", task_id=task_id, submissions=1))
        task_ids.append(task_id)
    store.close()
    app = subprocess.Popen([sys.executable, "-m", "vidu_desktop"], cwd=REPO, env=env,
                           stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        time.sleep(SETTLE_S)
        assert app.poll() is None, app.stderr.read()[-3000:]
        polls_before = sim.stats()["polls"]
        counts = []
        end = time.monotonic() + SAMPLE_S
        while time.monotonic() < end:
            counts.append(thread_count(app.pid))
            time.sleep(0.05)
        polls_after = sim.stats()["polls"]
        names = sorted(Path(f"/proc/{app.pid}/task/{t}/comm").read_text().strip()
                       for t in os.listdir(f"/proc/{app.pid}/task"))
    finally:
        app.terminate()
        app.wait(20)
    polled = sum(1 for t in task_ids if polls_after.get(t, 0) > polls_before.get(t, 0))
    return {"max": max(counts), "min": min(counts), "median": median(counts),
            "jobs_polled_while_counting": polled, "thread_names": names}


@pytest.mark.timeout(600)
def test_threads_in_flight(bench, sim, tmp_path):
    client = client_for(sim.base_url)
    idle_runs, busy_runs, control_runs = [], [], []
    for i in range(THREAD_RUNS):
        # Tasks the simulator keeps in PROCESSING with a 3 s estimate: polled at the app's
        # fastest rate for as long as the count runs.
        jobs = [(submit_task(client, f"{BACKGROUND} threads {i}-{n}"), f"{BACKGROUND} {n}")
                for n in range(POLLING_JOBS)]
        # The control: the same 100 jobs already finished (listed, never polled) says what the
        # rows alone cost, apart from the polling.
        for name, runs, database_jobs, finished in (("idle", idle_runs, [], False),
                                                    ("busy", busy_runs, jobs, False),
                                                    ("control", control_runs, jobs, True)):
            root = tmp_path / f"run-{i}-{name}"
            env = isolated_env(root, QT_QPA_PLATFORM="offscreen", NOVITA_API_KEY="bench",
                               NOVITA_API_BASE_URL=sim.base_url)
            runs.append(app_threads(env, database_jobs, sim, finished))
            shutil.rmtree(root, ignore_errors=True)
        assert busy_runs[-1]["jobs_polled_while_counting"] == POLLING_JOBS, busy_runs[-1]
        assert control_runs[-1]["jobs_polled_while_counting"] == 0, control_runs[-1]
    deltas = [b["max"] - a["max"] for a, b in zip(idle_runs, busy_runs, strict=True)]
    bench.record(
        "threads_in_flight", median(deltas), "threads",
        f"threads of the running app (python -m vidu_desktop, offscreen, connected to the simulator) "
        f"with {POLLING_JOBS} unfinished jobs being polled (every one polled during the count), minus "
        f"the same app with no jobs; the most seen in {SAMPLE_S:.0f} s of counting /proc/<pid>/task "
        f"every 50 ms, from {SETTLE_S:.0f} s after launch; median of {THREAD_RUNS} pairs of runs. "
        f"Threads with no jobs: {median([r['max'] for r in idle_runs]):.0f}; with the same 100 jobs "
        f"finished (listed, not polled): {median([r['max'] for r in control_runs]):.0f}.",
        runs=THREAD_RUNS,
        raw={"deltas": deltas, "idle": idle_runs, "busy": busy_runs, "control_finished": control_runs})
