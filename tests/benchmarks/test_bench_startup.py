"""startup_ratio, startup_ratio_10k: process start to main window shown and idle, against a bare
PySide6 window, each run a fresh process with fresh config/data folders (offscreen platform)."""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from ._support import REPO, app_database, isolated_env, make_history, median

ROUNDS = 7  # measured rounds, after one warm-up round that is thrown away
HISTORIES = {"startup_ratio": 1_000, "startup_ratio_10k": 10_000}


def closed_port() -> int:
    """A loopback port nobody listens on: the app gets a key and a server address (so it does
    not start its demo simulator) and, with only finished jobs in its history, never calls it."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def launch(mode: str, root: Path, history: Path | None, count: int = 0) -> dict[str, float]:
    """One fresh process; returns its stamps in ms after the launch."""
    env = isolated_env(root, QT_QPA_PLATFORM="offscreen", NOVITA_API_KEY="bench",
                       NOVITA_API_BASE_URL=f"http://127.0.0.1:{closed_port()}")
    if history is not None:
        database = app_database(env)
        database.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(history, database)
    start = time.monotonic()
    process = subprocess.run([sys.executable, "-m", "tests.benchmarks._startup_driver", mode, str(count)],
                             cwd=REPO, env=env, capture_output=True, text=True, timeout=60)
    assert process.returncode == 0, process.stderr[-3000:]
    stamps = {}
    for line in process.stdout.splitlines():
        if line.startswith("STAMP "):
            _, name, when = line.split()
            stamps[name] = (float(when) - start) * 1000
    assert "idle" in stamps, process.stdout + process.stderr[-3000:]
    return stamps


@pytest.mark.timeout(900)
def test_startup(bench, tmp_path):
    histories = {}
    for key, count in HISTORIES.items():
        histories[key] = tmp_path / f"history-{count}.sqlite3"
        make_history(histories[key], count)

    samples: dict[str, list[dict[str, float]]] = {"bare": [], **{key: [] for key in HISTORIES}}
    order = ["bare", *HISTORIES]
    for round_number in range(ROUNDS + 1):
        # Interleaved, and the order rotates: drift on the machine hits all three alike.
        for mode in order[round_number % 3:] + order[:round_number % 3]:
            root = tmp_path / f"run-{round_number}-{mode}"
            stamps = launch("bare" if mode == "bare" else "app", root, histories.get(mode),
                            HISTORIES.get(mode, 0))
            if round_number:  # round 0 warms the page cache and Python's bytecode cache
                samples[mode].append(stamps)
            shutil.rmtree(root, ignore_errors=True)

    bare = [s["idle"] for s in samples["bare"]]
    for key, count in HISTORIES.items():
        app = [s["idle"] for s in samples[key]]
        phases = {name: median([s[name] for s in samples[key] if name in s])
                  for name in samples[key][0]}
        bench.record(
            key, median(app) / median(bare), "×",
            f"median time from launching the process to the main window shown, painted and idle "
            f"(connected, all {count:,} stored jobs in the window's model, nothing more to paint), "
            f"built as app.py does (Session + MainWindow, show, session.start), {count:,} finished "
            f"jobs with thumbnails in its history, divided by the same for the baseline; {ROUNDS} "
            f"interleaved runs after a warm-up run, offscreen platform, fresh config/data folders "
            f"each run, warm disk cache. "
            f"App median {median(app):.0f} ms, baseline median {median(bare):.0f} ms.",
            baseline=median(bare), baseline_unit="ms",
            baseline_meaning="a bare PySide6 script: QApplication, an empty QMainWindow at the "
                             "app's default size, shown, the same idle probe",
            runs=ROUNDS,
            raw={"app_idle_ms": app, "bare_idle_ms": bare, "app_median_ms": median(app),
                 "app_phases_median_ms": phases,
                 "bare_phases_median_ms": {name: median([s[name] for s in samples["bare"]])
                                           for name in samples["bare"][0]}})
