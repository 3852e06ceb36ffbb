"""Settings as a user meets them: Save keeps a typed key, the key field fits a key and can show
it, the words match the buttons, the queue limit and the language are kept."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLineEdit

from tests.gui.test_images_and_form import unnamed_controls
from vidu_desktop import credentials, settings

KEY = "sk_" + "A1b2C3d4E5f6" * 4  # as long as a Novita key


@pytest.fixture
def dialog(qtbot):
    from vidu_desktop.ui.settings_dialog import SettingsDialog

    shown = SettingsDialog()
    qtbot.addWidget(shown)
    shown.show()
    qtbot.waitUntil(lambda: "Looking up" not in shown.key_status.text(), timeout=10_000)
    yield shown
    credentials.delete_api_key()


def test_save_keeps_a_typed_key_without_pressing_save_key(qtbot, dialog):
    assert credentials.load_api_key().value is None
    dialog.key.setText(f" {KEY} ")
    with qtbot.waitSignal(dialog.keyChanged, timeout=10_000):
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.result() == QDialog.DialogCode.Accepted, timeout=10_000)
    assert credentials.load_api_key().value == KEY
    assert dialog.key.text() == "" and not dialog.isVisible()


def test_a_key_that_cannot_be_one_keeps_the_dialog_open_and_says_why(qtbot, dialog):
    dialog.key.setText("sk_abc def")
    dialog.max_open_jobs.setValue(9)
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert dialog.isVisible() and "spaces, line breaks or unusual characters" in dialog.key_status.text()
    assert credentials.load_api_key().value is None
    assert settings.max_open_jobs() == settings.DEFAULT_MAX_OPEN_JOBS  # nothing kept while something is wrong


def test_the_key_field_fits_a_whole_key_and_can_show_it(qtbot, dialog):
    dialog.key.setText(KEY)
    margins = dialog.key.textMargins()
    assert dialog.key.width() >= dialog.key.fontMetrics().horizontalAdvance(KEY) + margins.left() + margins.right()
    assert dialog.key.echoMode() == QLineEdit.EchoMode.Password
    qtbot.mouseClick(dialog.show_key, Qt.MouseButton.LeftButton)
    assert dialog.key.echoMode() == QLineEdit.EchoMode.Normal
    assert dialog.show_key.text() == "Hide" and dialog.show_key.accessibleName() == "Hide key"
    qtbot.mouseClick(dialog.show_key, Qt.MouseButton.LeftButton)
    assert dialog.key.echoMode() == QLineEdit.EchoMode.Password and dialog.show_key.text() == "Show"


def test_the_words_name_the_buttons_there_are(qtbot, dialog):
    buttons = dialog.findChild(QDialogButtonBox)
    assert sorted(button.text() for button in buttons.buttons()) == ["Cancel", "Save"]
    dialog.key.setText(KEY)
    dialog.base_url.setText("http://127.0.0.1:9")  # nothing listens there
    qtbot.mouseClick(dialog.test_key, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.key_status.text() != "Testing…", timeout=15_000)
    words = dialog.key_status.text()
    assert "Could not reach Novita" in words and "press Test" in words and "Retry" not in words


def test_the_queue_limit_and_the_language_are_kept(qtbot, dialog):
    assert dialog.max_open_jobs.value() == 4 and dialog.max_open_jobs.maximum() == 50
    assert [dialog.language.itemText(i) for i in range(dialog.language.count())] == [
        "System language", "English", "简体中文"]
    assert dialog.language_note.text() == "Applies after a restart."
    dialog.max_open_jobs.setValue(12)
    dialog.language.setCurrentIndex(dialog.language.findData("zh_CN"))
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert settings.max_open_jobs() == 12 and settings.ui_language() == "zh_CN"

    from vidu_desktop.ui.settings_dialog import SettingsDialog

    again = SettingsDialog()
    qtbot.addWidget(again)
    qtbot.waitUntil(lambda: "Looking up" not in again.key_status.text(), timeout=10_000)
    assert again.max_open_jobs.value() == 12 and again.language.currentData() == "zh_CN"


def test_settings_controls_have_names(dialog):
    assert unnamed_controls(dialog) == []
