"""The benchmark collector: every test records its figure here; at the end of the session the
figures go to bench-results.json at the top of the repository (with the machine and versions)
and a readable table is printed.

A missed target is a result, not a failure: the test passes and the table says "MISS".
An error while measuring fails the test and the figure is listed as not measured.
"""

from __future__ import annotations

import datetime
import json
import os
import platform
import subprocess
import sys
from dataclasses import asdict, dataclass, field
from pathlib import Path

import pytest

from ._support import REPO, make_photo, make_small_png, make_videos

os.environ.setdefault("QT_QPA_PLATFORM", "xcb" if os.environ.get("DISPLAY") else "offscreen")

RESULTS_FILE = REPO / "bench-results.json"
# Table order, and what the issue asks for: key -> target (all are "at most").
EXPECTED = ("startup_ratio", "startup_ratio_10k", "max_gui_stall_ms", "download_ratio",
            "polls_per_job", "polls_per_job_baseline", "submit_peak_ratio", "threads_in_flight")


@dataclass
class Figure:
    key: str
    value: float
    unit: str
    meaning: str  # what was run and what the number is, in words
    target: float | None = None  # at most this; None: reported only
    target_note: str = ""
    baseline: float | None = None
    baseline_unit: str = ""
    baseline_meaning: str = ""
    runs: int = 0
    raw: dict = field(default_factory=dict)  # samples and side figures
    met: bool | None = None  # computed from the target unless a test knows better (extra conditions)

    def __post_init__(self) -> None:
        if self.met is None and self.target is not None:
            self.met = bool(self.value <= self.target)


class Collector:
    def __init__(self) -> None:
        self.figures: dict[str, Figure] = {}

    def record(self, key: str, value: float, unit: str, meaning: str, **kwargs) -> Figure:
        figure = Figure(key, float(value), unit, meaning, **kwargs)
        self.figures[key] = figure
        print(f"\n[bench] {key} = {figure.value:.4g} {unit}"
              + (f" (target <= {figure.target:.4g}: {'met' if figure.met else 'MISS'})"
                 if figure.target is not None else ""), flush=True)
        return figure


_COLLECTOR = Collector()


@pytest.fixture(scope="session")
def bench() -> Collector:
    return _COLLECTOR


@pytest.fixture(scope="session")
def media(tmp_path_factory):
    """The 40 MB photo, a small PNG and the two videos (small, 200 MiB): made once, never timed."""
    folder = tmp_path_factory.mktemp("bench-media")
    small_video, big_video = make_videos(folder)
    return {
        "photo": make_photo(folder / "photo.jpg"),
        "png": make_small_png(folder / "small.png"),
        "small_video": small_video,
        "big_video": big_video,
        "folder": folder,
    }


# ------------------------------------------------------------------------------ report


def _run(*cmd: str) -> str:
    try:
        return subprocess.run(cmd, capture_output=True, text=True, timeout=10, cwd=REPO).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return ""


def machine_info() -> dict:
    cpu = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    ram_kib = 0
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                ram_kib = int(line.split()[1])
    except OSError:
        pass
    os_name = platform.platform()
    try:
        for line in Path("/etc/os-release").read_text().splitlines():
            if line.startswith("PRETTY_NAME="):
                os_name = line.split("=", 1)[1].strip('"') + f" ({platform.platform()})"
    except OSError:
        pass
    import sqlite3

    import requests
    import urllib3
    import PySide6
    from PySide6.QtCore import qVersion

    curl = _run("curl", "--version").splitlines()
    return {
        "machine": {
            "cpu": cpu or platform.processor(),
            "logical_cpus": os.cpu_count(),
            "usable_cpus": len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else None,
            "ram_gib": round(ram_kib / 1024 / 1024, 1),
            "os": os_name,
            "display": os.environ.get("QT_QPA_PLATFORM", ""),
        },
        "versions": {
            "python": f"{platform.python_implementation()} {platform.python_version()}",
            "pyside6": PySide6.__version__,
            "qt": qVersion(),
            "requests": requests.__version__,
            "urllib3": urllib3.__version__,
            "sqlite": sqlite3.sqlite_version,
            "curl": curl[0] if curl else "",
            "vidu_desktop": _run("git", "describe", "--always", "--dirty"),
        },
    }


def _fmt(value: float | None) -> str:
    if value is None:
        return "—"
    if abs(value) >= 100:
        return f"{value:.0f}"
    if abs(value) >= 10:
        return f"{value:.1f}"
    return f"{value:.3g}"


def table(figures: dict[str, Figure]) -> str:
    rows = [("key", "value", "baseline", "target", "result")]
    keys = [k for k in EXPECTED if k in figures] + [k for k in figures if k not in EXPECTED]
    for key in keys:
        f = figures[key]
        baseline = f"{_fmt(f.baseline)} {f.baseline_unit}".strip() if f.baseline is not None else "—"
        target = f"<= {_fmt(f.target)}" if f.target is not None else "—"
        if f.target_note:
            target += f" ({f.target_note})"
        if f.met is None:
            result = "—"
        elif f.met:
            result = "met"
        elif f.target and f.value > f.target:
            result = f"MISS ({f.value / f.target:.2f}× target)"
        else:
            result = "MISS (see meaning)"
        rows.append((key, f"{_fmt(f.value)} {f.unit}", baseline, target, result))
    for key in EXPECTED:
        if key not in figures:
            rows.append((key, "not measured (error)", "", "", "ERROR"))
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    lines = ["| " + " | ".join(c.ljust(w) for c, w in zip(row, widths)) + " |" for row in rows]
    lines.insert(1, "|" + "|".join("-" * (w + 2) for w in widths) + "|")
    lines.append("")
    lines.append("What each number means:")
    for key in keys:
        f = figures[key]
        lines.append(f"- {key}: {f.meaning}")
        if f.baseline_meaning:
            lines.append(f"  baseline: {f.baseline_meaning}")
    return "\n".join(lines)


def pytest_sessionfinish(session, exitstatus) -> None:
    if not _COLLECTOR.figures:
        return
    report = {
        "generated_at": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
        "command": " ".join([Path(sys.executable).name, "-m", "pytest", *session.config.invocation_params.args]),
        **machine_info(),
        "figures": {k: asdict(f) for k, f in _COLLECTOR.figures.items()},
        "not_measured": [k for k in EXPECTED if k not in _COLLECTOR.figures],
        "missed": [k for k, f in _COLLECTOR.figures.items() if f.met is False],
        "table": table(_COLLECTOR.figures),
    }
    RESULTS_FILE.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n")
    artifacts = Path(os.environ.get("VIDU_TEST_ARTIFACTS", REPO / "test-artifacts"))
    artifacts.mkdir(parents=True, exist_ok=True)
    (artifacts / "bench-results.md").write_text(report["table"] + "\n")


def pytest_terminal_summary(terminalreporter) -> None:
    if not _COLLECTOR.figures:
        return
    terminalreporter.section("benchmarks")
    terminalreporter.write_line(table(_COLLECTOR.figures))
    terminalreporter.write_line(f"\nwritten to {RESULTS_FILE}")
