"""Without a key the window starts the built-in simulator itself and says so."""

import pytest
from PySide6.QtCore import Qt

pytestmark = pytest.mark.gui


def test_no_key_means_demo_mode_clearly_labelled(qtbot, open_window):
    from vidu_desktop.session import Mode

    window = open_window(timeout=30_000)
    assert window.session.mode is Mode.DEMO
    assert "Vidu Desktop" in window.windowTitle() and "Demo mode" in window.windowTitle()
    assert window.demo_banner.isVisible() and "Demo mode" in window.demo_text.text()
    # The way out is a link a screen reader announces as one, and Tab reaches it.
    from PySide6.QtGui import QAccessible

    face = QAccessible.queryAccessibleInterface(window.demo_link)
    assert face.role() == QAccessible.Role.Link and face.text(QAccessible.Text.Name) == "Add your Novita API key"
    assert window.demo_link.focusPolicy() & window.demo_link.focusPolicy().TabFocus
    assert window.session.demo.base_url.startswith("http://127.0.0.1:")
    assert "Demo mode" in window.connection_label.text()
    window.close()
    window.session.shutdown()
    assert window.session.demo.process is None  # the simulator went away with the session


def test_the_demo_banner_link_opens_settings_from_the_keyboard(qtbot, open_window, artifacts_dir, monkeypatch):
    from vidu_desktop.ui.main_window import MainWindow

    window = open_window(timeout=30_000)
    opened = []
    monkeypatch.setattr(MainWindow, "open_settings", lambda self, first_run=False: opened.append(first_run))
    window.demo_link.setFocus()
    qtbot.keyClick(window.demo_link, Qt.Key.Key_Space)
    assert opened == [False]
    assert window.grab().save(str(artifacts_dir / "demo-banner.png"))
