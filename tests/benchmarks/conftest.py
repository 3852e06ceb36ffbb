"""The benchmark collector: every test records its figures here; at the end of the session the
figures go to bench-results.json at the top of the repository (with the machine and versions)
and a table is printed.

A driver records a figure with

    bench.record("startup_ratio", value, meaning="what was run, in words",
                 baseline=bare_ms, baseline_unit="ms", baseline_meaning="...", runs=7, raw={...})

The target, which way is better, and the unit come from TARGETS in _support.py (the one place
for targets). A figure that misses its target fails the test that recorded it (the failure
names the figure, its value and its target), and the session exits non-zero. An error while
measuring fails the test too, and the figure is listed as not measured.
"""

from __future__ import annotations

import datetime
import json
import math
import os
import platform
import subprocess
import sys
import warnings
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from ._support import REPO, TARGETS, make_photo, make_small_png, make_videos

os.environ.setdefault("QT_QPA_PLATFORM", "xcb" if os.environ.get("DISPLAY") else "offscreen")

RESULTS_FILE = Path(os.environ.get("VIDU_BENCH_RESULTS", REPO / "bench-results.json"))
DIRECTIONS = ("lower", "higher")


class BenchTargetWarning(UserWarning):
    """A driver passed a target of its own for a figure that has one in TARGETS."""


@dataclass
class Figure:
    key: str
    value: float
    unit: str
    meaning: str  # what was run and what the number is, in words
    target: float | None = None  # None: reported, never judged
    direction: str = "lower"  # which way is better: "lower" (value <= target) or "higher" (>=)
    target_note: str = ""  # where the target comes from
    baseline: float | None = None
    baseline_unit: str = ""
    baseline_meaning: str = ""
    runs: int = 0
    raw: dict = field(default_factory=dict)  # samples and side figures
    conditions: dict[str, bool] = field(default_factory=dict)  # more that must hold, in words
    test: str = ""  # the test that recorded it
    passed: bool | None = None  # computed: None when there is nothing to judge

    def __post_init__(self) -> None:
        if self.direction not in DIRECTIONS:
            raise ValueError(f"{self.key}: direction must be one of {DIRECTIONS}, not {self.direction!r}")
        judged = self.target is not None or bool(self.conditions)
        self.passed = (self.within_target() and all(self.conditions.values())) if judged else None

    def within_target(self) -> bool:
        if not math.isfinite(self.value):
            return False
        if self.target is None:
            return True
        return self.value <= self.target if self.direction == "lower" else self.value >= self.target

    def target_text(self) -> str:
        if self.target is None:
            return "—"
        return f"{'<=' if self.direction == 'lower' else '>='} {_fmt(self.target)} {self.unit}".strip()

    def verdict(self) -> str:
        if self.passed is None:
            return "reported"
        if self.passed:
            return "pass"
        why = []
        if not self.within_target():
            why.append(f"{_fmt(self.value)} {self.unit}, target {self.target_text()}"
                       + (f" ({self.value / self.target:.2f}× the target)"
                          if self.target and math.isfinite(self.value) else ""))
        why += [f"not met: {name}" for name, ok in self.conditions.items() if not ok]
        return "MISS: " + "; ".join(why)

    def short_verdict(self) -> str:
        if self.passed is not False:
            return self.verdict()
        if not self.within_target():
            if self.target and math.isfinite(self.value):
                return f"MISS ({self.value / self.target:.2f}× the target)"
            return "MISS"
        return "MISS (a condition)"

    def as_json(self) -> dict:
        return {"name": self.key, "value": self.value, "unit": self.unit, "direction": self.direction,
                "target": self.target, "baseline": self.baseline, "baseline_unit": self.baseline_unit,
                "pass": self.passed, "verdict": self.verdict(), "target_note": self.target_note,
                "conditions": self.conditions, "meaning": self.meaning,
                "baseline_meaning": self.baseline_meaning, "runs": self.runs, "test": self.test,
                "raw": self.raw}


class Collector:
    def __init__(self) -> None:
        self.figures: dict[str, Figure] = {}
        self.current_test = ""  # set while a test runs (pytest_runtest_protocol)

    def record(self, key: str, value: float, unit: str | None = None, meaning: str = "", *,
               target: float | None = None, direction: str | None = None, target_note: str = "",
               baseline: float | None = None, baseline_unit: str = "", baseline_meaning: str = "",
               runs: int = 0, raw: dict | None = None, conditions: dict[str, bool] | None = None,
               met: bool | None = None) -> Figure:
        """Record one figure. For a key in TARGETS give only what was measured: the target,
        direction and unit come from there (a different target passed here is ignored, with a
        warning). Any other key is reported as is; it is judged only if given a target.

        conditions: more that must hold for the figure to pass, {"in words": bool} (e.g. "every
        completion noticed within 5 s"). met=False is the older spelling of one such condition.
        """
        conditions = dict(conditions or {})
        if met is not None:
            conditions.setdefault("the benchmark's own check (see its meaning)", bool(met))
        spec = TARGETS.get(key)
        if spec is not None:
            if target is not None and target != spec.limit:
                warnings.warn(BenchTargetWarning(
                    f"{key}: the driver asked for target {target}; the target is {spec.limit} "
                    f"(TARGETS in tests/benchmarks/_support.py)"), stacklevel=2)
            target, direction = spec.limit, spec.direction
            unit = unit or spec.unit
            target_note = spec.why + (f"; {target_note}" if target_note and target_note != spec.why else "")
        figure = Figure(key, float(value), unit or "", meaning, target=target,
                        direction=direction or "lower", target_note=target_note, baseline=baseline,
                        baseline_unit=baseline_unit, baseline_meaning=baseline_meaning, runs=runs,
                        raw=raw or {}, conditions=conditions, test=self.current_test)
        self.figures[key] = figure
        print(f"\n[bench] {key} = {_fmt(figure.value)} {figure.unit}: {figure.verdict()}", flush=True)
        return figure

    def missed(self, test: str | None = None) -> list[Figure]:
        return [f for f in self.figures.values() if f.passed is False and (test is None or f.test == test)]


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

    import PySide6
    import requests
    import urllib3
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
    rows = [("figure", "value", "baseline", "target", "result")]
    keys = [k for k in TARGETS if k in figures] + [k for k in figures if k not in TARGETS]
    for key in keys:
        f = figures[key]
        baseline = f"{_fmt(f.baseline)} {f.baseline_unit}".strip() if f.baseline is not None else "—"
        rows.append((key, f"{_fmt(f.value)} {f.unit}".strip(), baseline, f.target_text(),
                     f.short_verdict()))
    for key, spec in TARGETS.items():
        if key not in figures:
            sign = "<=" if spec.direction == "lower" else ">="
            limit = "—" if spec.limit is None else f"{sign} {_fmt(spec.limit)} {spec.unit}"
            rows.append((key, "not measured", "", limit, "—"))
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    lines = ["| " + " | ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)) + " |" for row in rows]
    lines.insert(1, "|" + "|".join("-" * (w + 2) for w in widths) + "|")
    missed = [f for f in figures.values() if f.passed is False]
    if missed:
        lines.append("")
        lines.append(f"{len(missed)} figure(s) missed the target:")
        lines += [f"- {f.key}: {f.verdict()} ({f.test or 'recorded outside a test'})" for f in missed]
    lines.append("")
    lines.append("What each number means:")
    for key in keys:
        f = figures[key]
        lines.append(f"- {key}: {f.meaning}")
        if f.baseline_meaning:
            lines.append(f"  baseline: {f.baseline_meaning}")
        if f.target_note:
            lines.append(f"  target: {f.target_text()}, {f.target_note}")
    return "\n".join(lines)


# ------------------------------------------------------------------------------- hooks


@pytest.hookimpl(wrapper=True)
def pytest_runtest_protocol(item, nextitem):
    _COLLECTOR.current_test = item.nodeid
    try:
        return (yield)
    finally:
        _COLLECTOR.current_test = ""


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    """A test that recorded a figure missing its target fails, and says which and by how much."""
    report = yield
    if report.when == "call" and report.passed:
        missed = _COLLECTOR.missed(item.nodeid)
        if missed:
            report.outcome = "failed"
            report.longrepr = "\n".join(f"{f.key} = {_fmt(f.value)} {f.unit} {f.verdict()}"
                                         for f in missed)
    return report


def pytest_sessionfinish(session, exitstatus) -> None:
    if not _COLLECTOR.figures:
        return
    missed = _COLLECTOR.missed()
    report = {
        "generated_at": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "command": " ".join([Path(sys.executable).name, "-m", "pytest", *session.config.invocation_params.args]),
        "passed": not missed,
        **machine_info(),
        "figures": {k: f.as_json() for k, f in _COLLECTOR.figures.items()},
        "not_measured": [k for k in TARGETS if k not in _COLLECTOR.figures],
        "missed": [f.key for f in missed],
        "table": table(_COLLECTOR.figures),
    }
    RESULTS_FILE.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n")
    artifacts = Path(os.environ.get("VIDU_TEST_ARTIFACTS", REPO / "test-artifacts"))
    artifacts.mkdir(parents=True, exist_ok=True)
    (artifacts / "bench-results.md").write_text(report["table"] + "\n")
    # Belt and braces: a figure recorded outside a test's call (a fixture) fails the session too.
    if missed and session.exitstatus == pytest.ExitCode.OK:
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


def pytest_terminal_summary(terminalreporter) -> None:
    if not _COLLECTOR.figures:
        return
    terminalreporter.section("benchmarks")
    terminalreporter.write_line(table(_COLLECTOR.figures))
    terminalreporter.write_line(f"\nwritten to {RESULTS_FILE}")
    missed = _COLLECTOR.missed()
    if missed:
        terminalreporter.write_line("MISSED: " + ", ".join(f.key for f in missed), red=True, bold=True)
