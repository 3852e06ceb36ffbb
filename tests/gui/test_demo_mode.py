"""Without a key the window starts the built-in simulator itself and says so."""

import pytest

pytestmark = pytest.mark.gui


def test_no_key_means_demo_mode_clearly_labelled(qtbot, store):
    from vidu_desktop.ui.main_window import MainWindow

    window = MainWindow(store)
    qtbot.addWidget(window)
    with qtbot.waitSignal(window.connectionReady, timeout=30_000) as ready:
        window.show()
    try:
        assert ready.args == ["demo"]
        assert "Vidu Desktop" in window.windowTitle() and "Demo mode" in window.windowTitle()
        assert window.demo_banner.isVisible() and "Demo mode" in window.demo_banner.text()
        assert window.demo.base_url.startswith("http://127.0.0.1:")
        assert "Demo mode" in window.connection_label.text()
    finally:
        window.close()
    assert window.demo.process is None  # the simulator went away with the window
