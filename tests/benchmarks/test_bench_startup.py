"""startup_ratio, startup_ratio_10k: process start to main window shown and idle, against a bare
PySide6 window, each run a fresh process with fresh config/data folders (offscreen platform).

startup_floor_ratio (reported, not judged): the bare script that first touches every Qt class
the app's start-up modules import, against the bare script. PySide builds a class, and a Python
enum for each enum in it, the first time the class is touched; that price is paid by any window
made of these widgets, before a line of the app's own code runs."""

from __future__ import annotations

import ast
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


def qt_classes_imported(modules: list[str]) -> list[str]:
    """"QtCore.Qt", "QtWidgets.QLabel"...: what the modules import from PySide6 at load (the
    top-level imports; those inside functions run later, if ever)."""
    names = set()
    for module in modules:
        path = REPO.joinpath(*module.split("."))
        source = path / "__init__.py" if path.is_dir() else path.with_suffix(".py")
        if not source.is_file():  # a name without a file of its own (a namespace)
            continue
        for node in ast.parse(source.read_text()).body:
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("PySide6.Qt"):
                names.update(f"{node.module.removeprefix('PySide6.')}.{alias.name}" for alias in node.names)
    return sorted(names)


def launch(mode: str, root: Path, history: Path | None, count: int = 0,
           extra: list[str] | None = None, loaded: list[str] | None = None) -> dict[str, float]:
    """One fresh process; returns its stamps in ms after the launch (and fills `loaded` with
    the app's modules it reported)."""
    env = isolated_env(root, QT_QPA_PLATFORM="offscreen", NOVITA_API_KEY="bench",
                       NOVITA_API_BASE_URL=f"http://127.0.0.1:{closed_port()}")
    if history is not None:
        database = app_database(env)
        database.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(history, database)
    start = time.monotonic()
    process = subprocess.run([sys.executable, "-m", "tests.benchmarks._startup_driver", mode,
                              *(extra if extra is not None else [str(count)])],
                             cwd=REPO, env=env, capture_output=True, text=True, timeout=60)
    assert process.returncode == 0, process.stderr[-3000:]
    stamps = {}
    for line in process.stdout.splitlines():
        if line.startswith("STAMP "):
            _, name, when = line.split()
            stamps[name] = (float(when) - start) * 1000
        elif line.startswith("LOADED ") and loaded is not None:
            loaded.extend(line.split()[1:])
    assert "idle" in stamps, process.stdout + process.stderr[-3000:]
    return stamps


@pytest.mark.timeout(900)
def test_startup(bench, tmp_path):
    histories = {}
    for key, count in HISTORIES.items():
        histories[key] = tmp_path / f"history-{count}.sqlite3"
        make_history(histories[key], count)

    loaded: list[str] = []
    launch("app", tmp_path / "probe", histories["startup_ratio"], HISTORIES["startup_ratio"], loaded=loaded)
    qt_classes = qt_classes_imported(loaded)
    assert "QtCore.Qt" in qt_classes and len(qt_classes) > 50, (loaded, qt_classes)

    samples: dict[str, list[dict[str, float]]] = {"bare": [], "floor": [], **{key: [] for key in HISTORIES}}
    order = ["bare", "floor", *HISTORIES]
    for round_number in range(ROUNDS + 1):
        # Interleaved, and the order rotates: drift on the machine hits all of them alike.
        turn = round_number % len(order)
        for mode in order[turn:] + order[:turn]:
            root = tmp_path / f"run-{round_number}-{mode}"
            if mode in ("bare", "floor"):
                stamps = launch(mode, root, None, extra=qt_classes if mode == "floor" else [])
            else:
                stamps = launch("app", root, histories[mode], HISTORIES[mode])
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
    floor = [s["idle"] for s in samples["floor"]]
    bench.record(
        "startup_floor_ratio", median(floor) / median(bare), "×",
        f"median time from launching the process to an empty QMainWindow shown and idle, after "
        f"first touching the {len(qt_classes)} Qt classes the app's start-up modules import, "
        f"divided by the bare script's: what PySide charges for those classes (and a Python enum "
        f"per Qt enum in them) before any of the app's own code runs; {ROUNDS} interleaved runs. "
        f"Floor median {median(floor):.0f} ms, baseline median {median(bare):.0f} ms.",
        baseline=median(bare), baseline_unit="ms",
        baseline_meaning="the bare PySide6 script of startup_ratio",
        runs=ROUNDS, raw={"floor_idle_ms": floor, "bare_idle_ms": bare, "qt_classes": qt_classes})
