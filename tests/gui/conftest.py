from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "xcb" if os.environ.get("DISPLAY") else "offscreen")


@pytest.fixture
def simulator():
    from vidu_desktop.simulator.server import Simulator, SimulatorConfig

    with Simulator(SimulatorConfig(queued_s=0.3, processing_s=1.0)) as sim:
        yield sim


@pytest.fixture
def database(tmp_path: Path) -> Path:
    return tmp_path / "jobs.sqlite3"


@pytest.fixture
def open_window(qtbot, database) -> Iterator[Callable[..., object]]:
    """Start a real session and its window, as app.py does; wait until it is connected."""
    from PySide6.QtWidgets import QApplication

    from vidu_desktop.session import Session
    from vidu_desktop.ui.main_window import MainWindow
    from vidu_desktop.ui.theme import apply_theme

    apply_theme(QApplication.instance())
    opened: list[tuple[object, object]] = []

    def open_it(timeout: int = 10_000, database_path: Path | None = None):
        session = Session(database_path or database)
        window = MainWindow(session)
        qtbot.addWidget(window)
        window.show()
        with qtbot.waitSignal(session.modeChanged, timeout=timeout,
                              check_params_cb=lambda mode: mode.can_generate or mode.name == "OFFLINE"):
            session.start()
        opened.append((window, session))
        return window

    yield open_it
    from PySide6.QtCore import QCoreApplication, QEvent, QThreadPool

    for window, session in opened:
        window.close()
        session.shutdown()
    # Background tasks answer through a relay owned by the window: let them finish first (a task
    # emitting on a relay deleted meanwhile raises in the pool's thread).
    QThreadPool.globalInstance().waitForDone(10_000)
    for window, _session in opened:
        window.deleteLater()
    opened.clear()
    # Delete the windows now, not whenever an event loop next runs (possibly in the middle of a
    # later test's apply_theme, restyling a half-gone job list): deleteLater alone waits for that.
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)


@pytest.fixture
def window_factory_env(open_window, simulator, monkeypatch):
    """Opens windows that talk to the simulator through an API key from the environment."""
    monkeypatch.setenv("NOVITA_API_KEY", "sk-gui-test-key")
    monkeypatch.setenv("NOVITA_API_BASE_URL", simulator.base_url)
    return open_window


@pytest.fixture
def window(window_factory_env):
    """The real main window, talking to the simulator through an API key from the environment."""
    return window_factory_env()


def jobs_shown(window) -> list:
    """The jobs the window knows, newest first: what a user can see in the list."""
    return sorted(window.jobs.model.jobs(), key=lambda job: (-job.created_at, -job.id))


@pytest.fixture
def small_disk(tmp_path: Path):
    """A 2 MB filesystem of its own (tmpfs), so "the disk is full" is real."""
    import subprocess

    mount = tmp_path / "small-disk"
    mount.mkdir()
    if subprocess.run(["mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", str(mount)],
                      capture_output=True).returncode != 0:
        pytest.skip("cannot mount a tmpfs here (needs root)")
    yield mount
    subprocess.run(["umount", "-l", str(mount)], check=False)


def add_one_image(qtbot, window, tmp_path: Path, duration: int = 1) -> Path:
    """One ordinary photo in the image list, checked, with a short video asked for."""
    from tests.images import png_bytes

    image = tmp_path / "photo.png"
    image.write_bytes(png_bytes(320, 240))
    window.images.add_sources([str(image)])
    window.form.duration.setValue(duration)
    qtbot.waitUntil(window.generate_button.isEnabled, timeout=10_000)
    return image


@pytest.fixture
def form(qtbot):
    """The parameter form on its own, shown."""
    from vidu_desktop.ui.form import ParameterForm

    widget = ParameterForm()
    qtbot.addWidget(widget)
    widget.show()
    return widget


@pytest.fixture
def chinese(qapp):
    """zh_CN chosen in Settings and installed before the window is made (as app.py does)."""
    from vidu_desktop import settings
    from vidu_desktop.ui.i18n import install_translations

    settings.save_ui_language("zh_CN")
    assert install_translations(qapp, "zh_CN") == "zh_CN", "no zh_CN catalog: run `make translations`"
    yield
    install_translations(qapp, "en")


def generate_paused(qtbot, window, tmp_path: Path, count: int) -> list:
    """Pause the queue, then Generate `count` small images: they wait, nothing is sent."""
    from tests.images import png_bytes
    from vidu_desktop.core.lifecycle import JobState

    window.jobs.pause_button.click()
    qtbot.waitUntil(lambda: window.session.queue_paused, timeout=5000)
    for index in range(count):
        path = tmp_path / f"queued-{index}.png"
        path.write_bytes(png_bytes(320 + index, 240))
        window.images.add_sources([str(path)])
    window.form.duration.setValue(1)
    qtbot.waitUntil(window.generate_button.isEnabled, timeout=10_000)
    window.generate()
    qtbot.waitUntil(lambda: len(jobs_shown(window)) == count and
                    all(job.state is JobState.WAITING for job in jobs_shown(window)), timeout=10_000)
    return sorted(jobs_shown(window), key=lambda job: job.queue_position)
