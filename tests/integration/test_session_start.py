"""The first minute: a slow keyring never holds the window (Demo mode meanwhile, Novita when the
key arrives), and the status says "Connected" only after Novita accepted the key."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from vidu_desktop import credentials
from vidu_desktop.simulator.server import Simulator, SimulatorConfig

pytestmark = pytest.mark.slow


def start(qtbot, session, statuses: list[str]) -> None:
    session.statusChanged.connect(statuses.append)
    statuses.append(session.status)
    session.start()


def test_a_slow_keyring_means_demo_mode_meanwhile_then_novita(qtbot, tmp_path: Path, monkeypatch):
    from vidu_desktop.session import KeyCheck, Mode, Session

    answer = threading.Event()

    def slow_keyring() -> credentials.ApiKey:  # a desktop password prompt nobody has answered yet
        answer.wait(30)
        return credentials.ApiKey("sk-from-the-keyring", credentials.KeySource.KEYRING)

    monkeypatch.setattr(credentials, "load_api_key", slow_keyring)
    with Simulator(SimulatorConfig(queued_s=0.2, processing_s=0.5)) as sim:
        monkeypatch.setenv("NOVITA_API_BASE_URL", sim.base_url)
        session = Session(tmp_path / "jobs.sqlite3", library_dir=lambda: tmp_path / "Library")
        statuses: list[str] = []
        try:
            with qtbot.waitSignal(session.modeChanged, timeout=30_000, check_params_cb=lambda m: m is Mode.DEMO):
                start(qtbot, session, statuses)
            assert session.mode.can_generate and "Demo" in session.status
            assert session.status_short == "Demo mode"  # what the status bar shows; the rest is its tooltip
            with qtbot.waitSignal(session.modeChanged, timeout=10_000, check_params_cb=lambda m: m is Mode.NOVITA):
                answer.set()
            assert "checking the key" in session.status and "Connected" not in session.status
            assert session.status_short == "Novita · checking the key…"
            qtbot.waitUntil(lambda: session.key_check is KeyCheck.ACCEPTED, timeout=10_000)
            assert session.status.startswith("Connected") and "keyring" in session.status
            assert session.status_short == "Connected · Novita"
            assert sim.stats.balance_reads >= 1  # the authenticated answer that proved the key
            assert not [s for s in statuses[:statuses.index(session.status)] if "Connected" in s]
        finally:
            answer.set()
            session.shutdown()


def test_a_refused_key_is_never_called_connected(qtbot, tmp_path: Path, monkeypatch):
    from vidu_desktop.session import KeyCheck, Mode, Session

    with Simulator(SimulatorConfig(api_key="sk-the-right-one")) as sim:
        monkeypatch.setenv("NOVITA_API_KEY", "sk-a-wrong-one")
        monkeypatch.setenv("NOVITA_API_BASE_URL", sim.base_url)
        session = Session(tmp_path / "jobs.sqlite3", library_dir=lambda: tmp_path / "Library")
        statuses: list[str] = []
        try:
            with qtbot.waitSignal(session.modeChanged, timeout=10_000, check_params_cb=lambda m: m is Mode.NOVITA):
                start(qtbot, session, statuses)
            qtbot.waitUntil(lambda: session.key_check is KeyCheck.REFUSED, timeout=10_000)
            assert "refused the key" in session.status
            assert not [s for s in statuses if "Connected" in s]
        finally:
            session.shutdown()


def test_a_key_from_the_environment_needs_no_demo(qtbot, tmp_path: Path, monkeypatch):
    from vidu_desktop.session import KeyCheck, Mode, Session

    with Simulator(SimulatorConfig()) as sim:
        monkeypatch.setenv("NOVITA_API_KEY", "sk-env")
        monkeypatch.setenv("NOVITA_API_BASE_URL", sim.base_url)
        session = Session(tmp_path / "jobs.sqlite3", library_dir=lambda: tmp_path / "Library")
        modes: list[Mode] = []
        session.modeChanged.connect(modes.append)
        try:
            session.start()
            qtbot.waitUntil(lambda: session.key_check is KeyCheck.ACCEPTED, timeout=10_000)
            assert modes == [Mode.NOVITA] and session.demo.process is None
        finally:
            session.shutdown()


def test_whoever_hears_the_mode_already_knows_the_queue_is_paused(qtbot, tmp_path: Path, monkeypatch):
    from vidu_desktop.core.store import JobStore
    from vidu_desktop.session import Session

    store = JobStore(tmp_path / "jobs.sqlite3")
    store.set_queue_paused(True)
    store.close()
    with Simulator(SimulatorConfig()) as sim:
        monkeypatch.setenv("NOVITA_API_KEY", "sk-env")
        monkeypatch.setenv("NOVITA_API_BASE_URL", sim.base_url)
        session = Session(tmp_path / "jobs.sqlite3", library_dir=lambda: tmp_path / "Library")
        seen: list[bool] = []
        session.modeChanged.connect(lambda mode: seen.append(session.queue_paused) if mode.can_generate else None)
        try:
            session.start()
            qtbot.waitUntil(lambda: bool(seen), timeout=10_000)
            assert seen == [True]  # e.g. the headless runner decides at once whether to resume it
        finally:
            session.shutdown()
