"""max_gui_stall_ms: the longest gap between 5 ms timer ticks on the GUI thread while the real
window and job engine prepare and submit a 40 MB photo, poll 20 other jobs and download a
200 MiB video, against the simulator running in another process.

The event loop here is a plain QEventLoop, as app.exec() runs, not pytest-qt's waits (those
sleep 10 ms between rounds of events, which would show up as gaps of their own).

Set BENCH_STALL_SAMPLER=1 to also sample what the GUI thread was doing during gaps over 20 ms
(a diagnostic: the sampling thread itself competes for the GIL, so the figure is taken
without it).
"""

from __future__ import annotations

import os
import sys
import threading
import time
import traceback
from collections import Counter
from pathlib import Path

import pytest

from ._sim_server import BACKGROUND
from ._support import SimProcess, client_for, median, percentile, run_loop, submit_task, thumbnail_png

RUNS = 5
BACKGROUND_JOBS = 20
TICK_MS = 5
STALL_NOTE_MS = 20  # gaps above this are listed with the phase they fell in


class Ticker:
    """A 5 ms precise timer on the GUI thread; the gaps between its ticks are the stalls."""

    def __init__(self) -> None:
        from PySide6.QtCore import QTimer, Qt

        self.ticks: list[float] = []
        self.timer = QTimer()
        self.timer.setTimerType(Qt.TimerType.PreciseTimer)
        self.timer.timeout.connect(self._tick)

    def _tick(self) -> None:
        self.ticks.append(time.perf_counter())

    def start(self) -> None:
        self.timer.start(TICK_MS)

    def stop(self) -> None:
        self.timer.stop()

    def gaps(self) -> list[tuple[float, float]]:
        """(start, length in ms) of every gap between consecutive ticks."""
        return [(a, (b - a) * 1000) for a, b in zip(self.ticks, self.ticks[1:])]


class Sampler(threading.Thread):
    """Diagnostic: the Python stacks of the GUI thread and of the app's other threads whenever
    the GUI thread's ticks are late (C++ work such as painting or waiting shows as the last
    Python frame that called into Qt)."""

    def __init__(self, ticker: Ticker, gui_thread: int) -> None:
        super().__init__(daemon=True, name="bench-sampler")
        self.ticker, self.gui_thread = ticker, gui_thread
        self.samples: Counter = Counter()
        self.others: Counter = Counter()
        self.running = True

    @staticmethod
    def _ours(frame) -> str:
        stack = traceback.extract_stack(frame)
        ours = [f"{Path(f.filename).name}:{f.lineno} {f.name}" for f in stack
                if "vidu_desktop" in f.filename or "/requests/" in f.filename
                or "benchmarks" in f.filename or "json" in f.filename or "base64" in f.filename]
        return " < ".join(reversed(ours[-4:]))

    def run(self) -> None:
        while self.running:
            time.sleep(0.003)
            ticks = self.ticker.ticks
            if ticks and time.perf_counter() - ticks[-1] > STALL_NOTE_MS / 1000:
                frames = sys._current_frames()
                if self.gui_thread in frames:
                    self.samples[self._ours(frames[self.gui_thread])] += 1
                names = {t.ident: t.name for t in threading.enumerate()}
                for ident, frame in frames.items():
                    if ident not in (self.gui_thread, threading.get_ident()):
                        where = self._ours(frame)
                        if where:
                            self.others[f"{names.get(ident, ident)}: {where}"] += 1


@pytest.fixture(scope="module")
def sim(media, tmp_path_factory):
    process = SimProcess(media["small_video"], media["big_video"],
                         tmp_path_factory.mktemp("stall-sim-videos"), queued_s=1.0, processing_s=6.0)
    yield process
    process.stop()


def one_run(run: int, root: Path, sim: SimProcess, photo: Path, monkeypatch, qtbot) -> dict:
    from PySide6.QtWidgets import QApplication

    from vidu_desktop.core.jobs import Job, JobState, JobStore
    from vidu_desktop.ui.main_window import MainWindow
    from vidu_desktop.ui.theme import apply_theme

    for name in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME", "XDG_VIDEOS_DIR"):
        (root / name).mkdir(parents=True)
        monkeypatch.setenv(name, str(root / name))
    monkeypatch.setenv("NOVITA_API_KEY", "bench")
    monkeypatch.setenv("NOVITA_API_BASE_URL", sim.base_url)

    # 20 jobs already running when the window opens (the app resumes them at once).
    store = JobStore(root / "jobs.sqlite3")
    client = client_for(sim.base_url)
    thumb = thumbnail_png()
    for i in range(BACKGROUND_JOBS):
        prompt = f"{BACKGROUND} {run}-{i}"
        store.add(Job(state=JobState.QUEUED, params={"prompt": prompt, "resolution": "540p", "audio": False},
                      image_source=f"/home/user/Pictures/background-{i}.jpg", thumbnail=thumb,
                      task_id=submit_task(client, prompt), submissions=1))

    # The harness watches the jobs through its own connection (WAL: readers never wait for
    # the writer), so its checks never queue behind the app's store lock.
    watcher = JobStore(root / "jobs.sqlite3")

    def state(job_id: int) -> JobState:
        return watcher.get(job_id).state

    refresh_ms: list[float] = []
    if os.environ.get("BENCH_STALL_SAMPLER"):  # diagnostic: what one job-list refresh costs
        from vidu_desktop.ui.job_list import JobTableModel

        original = JobTableModel.refresh_job

        def timed_refresh(self, job_id: int) -> None:
            start = time.perf_counter()
            original(self, job_id)
            refresh_ms.append((time.perf_counter() - start) * 1000)

        monkeypatch.setattr(JobTableModel, "refresh_job", timed_refresh)

    apply_theme(QApplication.instance())
    window = MainWindow(store)
    qtbot.addWidget(window)
    window.show()
    run_loop(lambda: window.mode == "novita", 20, "the window to connect")
    # The user's choices, made before the clock starts: 1080p (the simulator answers a 1080p
    # task with the 200 MiB video).
    window.form.set_params({"prompt": "the camera slowly pushes in", "resolution": "1080p",
                            "duration": 5, "audio": True})

    ticker = Ticker()
    sampler = Sampler(ticker, threading.get_ident()) if os.environ.get("BENCH_STALL_SAMPLER") else None
    phases: list[tuple[str, float]] = []
    polls_before = sum(sim.stats()["polls"].values())
    ticker.start()
    if sampler:
        sampler.start()
    phases.append(("polling only", time.perf_counter()))
    run_loop(lambda: time.perf_counter() - phases[0][1] >= 1.0, 5, "a second")

    phases.append(("photo checked (preview)", time.perf_counter()))
    window.images.add_sources([str(photo)])
    run_loop(lambda: window.images.images and not window.images.images[0].pending, 60,
             "the photo to be checked")
    assert window.generate_button.isEnabled(), window.problem_label.text()

    phases.append(("photo prepared and submitted", time.perf_counter()))
    window.generate()  # what the Generate button does
    job_id = max(watcher.ids())
    run_loop(lambda: state(job_id).finished, 300, "the job to finish")
    job = watcher.get(job_id)
    assert job.state is JobState.DONE, job.error
    assert Path(job.video_path).stat().st_size == 200 * 1024 * 1024
    # The job's own phases start when the workers committed its state changes (wall clock in
    # the job's events), put on the ticker's clock.
    offset = time.perf_counter() - time.time()
    names = {JobState.QUEUED: "queued/processing", JobState.DOWNLOADING: "200 MiB download",
             JobState.DONE: "video loads in the player"}
    for at, job_state, _ in watcher.events(job_id):
        if job_state in names:
            phases.append((names.pop(job_state), at + offset))
    end = time.perf_counter() + 1.0
    run_loop(lambda: time.perf_counter() > end, 5, "a second")
    ticker.stop()
    if sampler:
        sampler.running = False
    phases.append(("end", time.perf_counter()))
    polls = sum(sim.stats()["polls"].values()) - polls_before

    window.close()
    QApplication.processEvents()  # job updates already queued for the window land before the store closes
    watcher.close()
    store.close()

    def phase_of(at: float) -> str:
        name = phases[0][0]
        for phase, start in phases:
            if at >= start:
                name = phase
        return name

    gaps = ticker.gaps()
    lengths = [length for _, length in gaps]
    by_phase: dict[str, float] = {}
    for at, length in gaps:
        by_phase[phase_of(at)] = max(by_phase.get(phase_of(at), 0.0), length)
    return {
        "max_ms": max(lengths),
        "p99_ms": percentile(lengths, 0.99),
        "ticks": len(ticker.ticks),
        "seconds": phases[-1][1] - phases[0][1],
        "polls_during_run": polls,
        "phase_seconds": {name: round(phases[i + 1][1] - start, 3) for i, (name, start) in enumerate(phases[:-1])},
        "max_gap_ms_by_phase": {k: round(v, 1) for k, v in by_phase.items()},
        "gaps_over_20ms": [(round(at - phases[0][1], 3), round(length, 1), phase_of(at))
                           for at, length in gaps if length > STALL_NOTE_MS],
        "stall_stacks": sampler.samples.most_common(12) if sampler else None,
        "stall_other_threads": sampler.others.most_common(12) if sampler else None,
        "refresh_job_ms": {"calls": len(refresh_ms), "median": median(refresh_ms),
                           "max": max(refresh_ms)} if refresh_ms else None,
    }


@pytest.mark.timeout(1200)
def test_gui_stall(bench, sim, media, tmp_path, monkeypatch, qtbot):
    from PySide6.QtGui import QGuiApplication

    runs = [one_run(i, tmp_path / f"run-{i}", sim, media["photo"], monkeypatch, qtbot) for i in range(RUNS)]
    maxima = [r["max_ms"] for r in runs]
    p99s = [r["p99_ms"] for r in runs]
    bench.record(
        "max_gui_stall_ms", median(maxima), "ms",
        f"longest gap between ticks of a 5 ms timer on the GUI thread (5 = no stall), median of "
        f"{RUNS} runs; p99 gap {median(p99s):.1f} ms. Each run: the real window and job engine, "
        f"a {media['photo'].stat().st_size / 1e6:.0f} MB 8000×6000 JPEG added (preview and check), "
        f"Generate at 1080p (fitted, encoded, sent), the task's 200 MiB video downloaded, saved and "
        f"loaded in the player, while {BACKGROUND_JOBS} other jobs are polled at the app's "
        f"fastest rate (the server keeps their estimate at 3 s); simulator in another process; "
        f"Qt platform {QGuiApplication.platformName()}. Every run is kept: one-time costs of the "
        f"first run in the process (first video shown) count too.",
        target=50, target_note="aim 16", runs=RUNS,
        raw={"max_ms": maxima, "p99_ms": p99s, "runs": runs})
