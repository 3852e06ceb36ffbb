"""max_gui_stall_ms and gui_latency_p99_ms: the gaps between 5 ms timer ticks on the GUI thread
while the real session and window poll 100 jobs and download 3 videos of 200 MiB (issue 10:
"longest GUI-thread stall <= 16 ms while 100 jobs poll and 3 videos download; report the 99th
percentile of event-loop latency too"), against the simulator running in another process.

The jobs come the way the app gets them: the 100 polled jobs are in the database before the
session starts (the engine resumes them), the 3 videos are made by the window's Generate
(three images at 1080p, which the benchmark simulator answers with its 200 MiB video). The
test never touches the store while the session runs; it watches the window's model.

The event loop here is a plain QEventLoop, as app.exec() runs, not pytest-qt's waits (those
sleep 10 ms between rounds of events, which would show up as gaps of their own).

Set BENCH_STALL_SAMPLER=1 to also sample what the GUI thread was doing during gaps over 20 ms
(a diagnostic: the sampling thread itself competes for the GIL, so the figure is taken
without it).

Set BENCH_STALL_GAPS_FILE=path to append every gap over 12 ms to that file: its start (the
CLOCK_MONOTONIC seconds that `perf record -k CLOCK_MONOTONIC` stamps events with), its length,
its phase and the GUI thread's id. Under `perf record -a -e sched:sched_switch -e
sched:sched_wakeup` this says whether the GUI thread ran, waited for a core (and behind
which thread) or slept (and who woke it: another Python thread handing over the GIL, the X
connection's thread, Mesa's llvmpipe threads) during each gap; the GUI thread's Python work
is small, so the Python sampler alone cannot say.
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

RUNS = int(os.environ.get("BENCH_STALL_RUNS", "5"))
BACKGROUND_JOBS = 100
VIDEOS = 3
VIDEO_BYTES = 200 * 1024 * 1024
TICK_MS = 5
STALL_NOTE_MS = 20  # gaps above this are listed with the phase they fell in
GAPS_FILE_MS = 12  # gaps above this go to BENCH_STALL_GAPS_FILE


class Ticker:
    """A 5 ms precise timer on the GUI thread; the gaps between its ticks are the stalls."""

    def __init__(self) -> None:
        from PySide6.QtCore import Qt, QTimer

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
        return [(a, (b - a) * 1000) for a, b in zip(self.ticks, self.ticks[1:], strict=False)]


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


class SlowCalls:
    """Diagnostic: how long the app's own slots ran on the GUI thread, and when the long ones
    (over STALL_NOTE_MS / 2) started, to lay beside the gaps."""

    def __init__(self) -> None:
        self.calls: dict[str, list[float]] = {}
        self.long: list[tuple[float, float, str]] = []

    def wrap(self, name: str, function):
        function = getattr(function, "bench_original", function)  # wrapped by an earlier run

        def timed(*args, **kwargs):
            start = time.perf_counter()
            try:
                return function(*args, **kwargs)
            finally:
                ms = (time.perf_counter() - start) * 1000
                self.calls.setdefault(name, []).append(ms)
                if ms > STALL_NOTE_MS / 2:
                    self.long.append((start, ms, name))

        timed.bench_original = function
        return timed

    def summary(self, origin: float) -> dict:
        return {"per_slot": {name: {"calls": len(ms), "median": round(median(ms), 3), "max": round(max(ms), 1)}
                             for name, ms in self.calls.items()},
                "long": [(round(at - origin, 3), round(ms, 1), name) for at, ms, name in self.long]}


@pytest.fixture(scope="module")
def sim(media, tmp_path_factory):
    process = SimProcess(media["small_video"], media["big_video"],
                         tmp_path_factory.mktemp("stall-sim-videos"), queued_s=1.0, processing_s=6.0)
    yield process
    process.stop()


def one_run(run: int, root: Path, sim: SimProcess, png: Path, monkeypatch, qtbot) -> dict:
    import shutil

    from PySide6.QtWidgets import QApplication

    from vidu_desktop.core.job import Job
    from vidu_desktop.core.lifecycle import JobState
    from vidu_desktop.core.request import VideoSettings
    from vidu_desktop.core.store import JobStore
    from vidu_desktop.session import Mode, Session
    from vidu_desktop.ui.main_window import MainWindow
    from vidu_desktop.ui.theme import apply_theme

    for name in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME", "XDG_VIDEOS_DIR"):
        (root / name).mkdir(parents=True)
        monkeypatch.setenv(name, str(root / name))
    monkeypatch.setenv("NOVITA_API_KEY", "bench")
    monkeypatch.setenv("NOVITA_API_BASE_URL", sim.base_url)
    # 100 jobs open at Novita plus three new ones: the queue (at most 50 at Novita, Settings)
    # would hold the three back. This figure is the GUI thread under that load: lift the limit.
    from vidu_desktop import settings

    monkeypatch.setattr(settings, "max_open_jobs", lambda: BACKGROUND_JOBS + VIDEOS)

    # 100 jobs already running when the window opens (the engine resumes them at once). The
    # database is written here before the session exists, and closed: from then on the
    # engine is its only user.
    database = root / "jobs.sqlite3"
    store = JobStore(database)
    client = client_for(sim.base_url)
    thumb = thumbnail_png()
    background_tasks = set()
    for i in range(BACKGROUND_JOBS):
        prompt = f"{BACKGROUND} {run}-{i}"
        task_id = submit_task(client, prompt)
        background_tasks.add(task_id)
        store.add(Job(state=JobState.QUEUED, settings=VideoSettings(prompt=prompt, resolution="540p", audio=False),
                      image_source=f"/home/user/Pictures/background-{i}.jpg", thumbnail=thumb,
                      task_id=task_id, submissions=1))
    store.close()
    images = []
    for i in range(VIDEOS):  # one job per image: three files
        images.append(root / f"photo-{i}.png")
        shutil.copyfile(png, images[-1])

    slow = SlowCalls()
    if os.environ.get("BENCH_STALL_SAMPLER"):  # diagnostic: what the GUI thread's own slots cost
        from vidu_desktop.ui.job_list import JobListView, JobTableModel
        from vidu_desktop.ui.player import VideoPlayer

        for cls, name in ((JobTableModel, "update_job"), (JobTableModel, "add_page"),
                          (JobTableModel, "set_thumbnail"), (MainWindow, "_video_ready"),
                          (VideoPlayer, "load"), (VideoPlayer, "load_backend"), (MainWindow, "generate"),
                          (MainWindow, "_job_changed"), (JobListView, "paintEvent")):
            monkeypatch.setattr(cls, name, slow.wrap(f"{cls.__name__}.{name}", getattr(cls, name)))

    apply_theme(QApplication.instance())
    library = root / "library"
    session = Session(database, allow_demo=False, library_dir=lambda: library)
    window = MainWindow(session)
    qtbot.addWidget(window)
    window.show()
    session.start()
    model = window.jobs.model
    run_loop(lambda: session.mode is Mode.NOVITA and len(model.jobs()) >= BACKGROUND_JOBS, 20,
             "the window to connect and list the 100 running jobs")
    # Start-up is over (it has its own benchmark) once the player has loaded QtMultimedia and
    # made its video surface, which the window does a second after it shows.
    run_loop(lambda: window.player.media_player() is not None, 10, "the player's backend")
    # The user's choices, made before the clock starts: 1080p (the simulator answers a 1080p
    # task with the 200 MiB video), three images added and checked.
    window.form.set_settings(VideoSettings(prompt="the camera slowly pushes in", resolution="1080p",
                                           duration=5, audio=True))
    window.images.add_sources([str(p) for p in images])
    run_loop(lambda: len(window.images.images) == VIDEOS and not any(i.pending for i in window.images.images),
             60, "the images to be checked")
    assert window.generate_button.isEnabled(), window.problem_label.text()
    background_ids = {job.id for job in model.jobs()}

    # The three new jobs' phases, as the window learns of them (on the GUI thread).
    seen: dict[int, dict[JobState, float]] = {}

    def observe(job) -> None:
        if job.id not in background_ids:
            seen.setdefault(job.id, {}).setdefault(job.state, time.perf_counter())

    session.jobChanged.connect(observe)

    def new_jobs() -> list:
        return [job for job in model.jobs() if job.id not in background_ids]

    ticker = Ticker()
    sampler = Sampler(ticker, threading.get_ident()) if os.environ.get("BENCH_STALL_SAMPLER") else None
    phases: list[tuple[str, float]] = []
    polls_before = sim.stats()["polls"]
    ticker.start()
    if sampler:
        sampler.start()
    phases.append(("polling only", time.perf_counter()))
    run_loop(lambda: time.perf_counter() - phases[0][1] >= 1.0, 5, "a second")

    phases.append(("3 jobs prepared and submitted", time.perf_counter()))
    window.generate()  # what the Generate button does
    run_loop(lambda: len(new_jobs()) == VIDEOS and all(job.state.finished for job in new_jobs()), 300,
             "the three jobs to finish")
    end = time.perf_counter() + 1.0
    run_loop(lambda: time.perf_counter() > end, 5, "a second")
    ticker.stop()
    if sampler:
        sampler.running = False
    phases.append(("end", time.perf_counter()))
    polls_after = sim.stats()["polls"]
    session.jobChanged.disconnect(observe)

    made = new_jobs()
    for job in made:
        assert job.state is JobState.DONE, job.error
        assert VIDEO_BYTES < Path(job.video_path).stat().st_size < VIDEO_BYTES + 1024 * 1024  # + its tags
    names = ((JobState.QUEUED, "queued/processing"), (JobState.DOWNLOADING, "3 × 200 MiB downloads"))
    for job_state, name in names:
        phases.append((name, min(seen[job.id][job_state] for job in made)))
    done = sorted(seen[job.id][JobState.DONE] for job in made)
    phases.append(("downloads go on; finished videos load in the player", done[0]))
    phases.append(("all 3 done", done[-1]))
    phases.sort(key=lambda phase: phase[1])
    polled = sum(1 for task in background_tasks if polls_after.get(task, 0) > polls_before.get(task, 0))
    polls = sum(polls_after.values()) - sum(polls_before.values())

    window.close()
    session.shutdown()
    QApplication.processEvents()
    shutil.rmtree(library, ignore_errors=True)  # 600 MiB a run

    def phase_of(at: float) -> str:
        name = phases[0][0]
        for phase, start in phases:
            if at >= start:
                name = phase
        return name

    gaps = ticker.gaps()
    if os.environ.get("BENCH_STALL_GAPS_FILE"):  # diagnostic: to lay beside a `perf sched` trace
        with open(os.environ["BENCH_STALL_GAPS_FILE"], "a", encoding="utf-8") as gaps_file:
            for at, length in gaps:
                if length > GAPS_FILE_MS:
                    gaps_file.write(f"{at:.6f} {length:.1f} {phase_of(at)} tid={threading.get_native_id()}\n")
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
        "background_jobs_polled": polled,
        "phase_seconds": {name: round(phases[i + 1][1] - start, 3) for i, (name, start) in enumerate(phases[:-1])},
        "max_gap_ms_by_phase": {k: round(v, 1) for k, v in by_phase.items()},
        "gaps_over_20ms": [(round(at - phases[0][1], 3), round(length, 1), phase_of(at))
                           for at, length in gaps if length > STALL_NOTE_MS],
        "stall_stacks": sampler.samples.most_common(12) if sampler else None,
        "stall_other_threads": sampler.others.most_common(12) if sampler else None,
        "slot_ms": slow.summary(phases[0][1]) if slow.calls else None,
    }


@pytest.mark.timeout(1200)
def test_gui_stall(bench, sim, media, tmp_path, monkeypatch, qtbot):
    from PySide6.QtGui import QGuiApplication

    runs = [one_run(i, tmp_path / f"run-{i}", sim, media["png"], monkeypatch, qtbot) for i in range(RUNS)]
    maxima = [r["max_ms"] for r in runs]
    p99s = [r["p99_ms"] for r in runs]
    scene = (f"Each run: the real session and window (Session + MainWindow, as app.py builds them), "
             f"{BACKGROUND_JOBS} unfinished jobs stored before the session starts and polled by the "
             f"engine at the app's fastest rate (the server keeps their estimate at 3 s), then Generate "
             f"with {VIDEOS} images at 1080p: prepared, sent, polled, and each task's 200 MiB video "
             f"downloaded, saved and the newest loaded in the player, until all {VIDEOS} are done, plus "
             f"a second either side; simulator in another process; Qt platform "
             f"{QGuiApplication.platformName()}. Every run is kept: one-time costs of the first run in "
             f"the process (first video shown) count too.")
    polled_all = all(r["background_jobs_polled"] == BACKGROUND_JOBS for r in runs)
    condition = {f"all {BACKGROUND_JOBS} jobs were polled during every measured run": polled_all}
    bench.record(
        "max_gui_stall_ms", median(maxima), "ms",
        f"longest gap between ticks of a 5 ms timer on the GUI thread (5 = no stall), median of "
        f"{RUNS} runs (each run's longest: {', '.join(f'{m:.0f}' for m in maxima)} ms). " + scene,
        runs=RUNS, conditions=condition,
        raw={"max_ms": maxima, "p99_ms": p99s, "runs": runs})
    bench.record(
        "gui_latency_p99_ms", median(p99s), "ms",
        f"99th percentile of the gaps between ticks of a 5 ms timer on the GUI thread (event-loop "
        f"latency plus the 5 ms period), median of {RUNS} runs, same runs as max_gui_stall_ms. " + scene,
        runs=RUNS, conditions=condition, raw={"p99_ms": p99s})
