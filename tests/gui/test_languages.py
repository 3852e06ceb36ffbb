"""The window in Simplified Chinese (issue 12): the app's own words, Qt's standard buttons and
the core's error words all come from the installed translations."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QApplication, QDialogButtonBox

from vidu_desktop.core import errors
from vidu_desktop.ui.i18n import install_translations

pytestmark = pytest.mark.gui


@pytest.fixture
def chinese(qapp):
    """zh_CN installed before the window is made (as app.py does), English again afterwards."""
    assert install_translations(qapp, "zh_CN") == "zh_CN", "no zh_CN catalog: run `make translations`"
    yield
    assert install_translations(qapp, "en") == "en"


def test_a_chinese_window_shows_chinese_words(chinese, qtbot, window):
    window.open_spending()
    view = window.spending_dialog
    qtbot.waitExposed(view)
    assert view.windowTitle() == "花费"
    qtbot.waitUntil(lambda: "估算" in view.today.text(), timeout=10_000)  # "≈ $0.00（估算）"
    close = view.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Close)
    assert close.text() == "关闭"  # Qt's own words: qtbase_zh_CN is installed too
    assert errors.describe(errors.NetworkError()).startswith("无法连接到 Novita")


def test_english_is_back_after_chinese(qapp):
    install_translations(qapp, "zh_CN")
    install_translations(qapp, "en")
    assert errors.describe(errors.NetworkError()).startswith("Could not reach Novita")
    assert QApplication.translate("SpendingDialog", "%n line(s) without an amount left out.", None, 1) == (
        "1 line without an amount left out.")
