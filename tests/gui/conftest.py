from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "xcb" if os.environ.get("DISPLAY") else "offscreen")


@pytest.fixture
def simulator():
    from vidu_desktop.simulator.server import Simulator, SimulatorConfig

    with Simulator(SimulatorConfig(queued_s=0.3, processing_s=1.0)) as sim:
        yield sim


@pytest.fixture
def store(tmp_path: Path):
    from vidu_desktop.core.jobs import JobStore

    job_store = JobStore(tmp_path / "jobs.sqlite3")
    yield job_store
    job_store.close()


@pytest.fixture
def window(qtbot, store, simulator, monkeypatch):
    """The real main window, talking to the simulator through an API key from the environment."""
    from vidu_desktop.ui.main_window import MainWindow
    from vidu_desktop.ui.theme import apply_theme
    from PySide6.QtWidgets import QApplication

    apply_theme(QApplication.instance())
    monkeypatch.setenv("NOVITA_API_KEY", "sk-gui-test-key")
    monkeypatch.setenv("NOVITA_API_BASE_URL", simulator.base_url)
    main = MainWindow(store)
    qtbot.addWidget(main)
    with qtbot.waitSignal(main.connectionReady, timeout=10_000):
        main.show()
    yield main
    main.close()
