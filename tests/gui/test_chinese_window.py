"""The whole window in Simplified Chinese (issue 12): with an image in the list, a finished job and a
failed one, no English word is left anywhere a user can read — labels, buttons, group boxes, menus,
the job list's cells and their tooltips, the details pane, the status bar, every tooltip and
accessible name. Only proper names, formats and key caps stay Latin."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QAbstractItemModel, QAbstractListModel, QModelIndex, Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QComboBox,
    QGroupBox,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMenu,
    QPlainTextEdit,
    QStyle,
    QTabBar,
    QTextEdit,
    QWidget,
)

from tests.gui.conftest import jobs_shown
from tests.images import png_bytes
from vidu_desktop.core.lifecycle import JobState

pytestmark = pytest.mark.gui

#: Latin words that stay Latin in Chinese: names, formats and units.
ALLOWED = {"novita", "vidu", "desktop", "jpeg", "webp", "json", "http", "https", "localhost", "sqlite", "mpeg",
           # key caps, as printed on the keyboard, in the shortcuts the tooltips name
           "ctrl", "shift", "enter", "return", "delete", "space", "down", "home"}
#: Names taken as they are written elsewhere: an environment variable, the page on Novita's site.
NAMES = re.compile(r"\b[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+\b|Key Management")
ENGLISH_WORD = re.compile(r"[A-Za-z]{4,}")
HTML = re.compile(r"<[^>]*>|&[a-z]+;")
#: What a user typed or picked is theirs: the prompt, the image's file name, paths and links.
USER_DATA = re.compile(r"(?:[A-Za-z]:)?[\w.\-~]*[/\\][^\s，。；：）)]*|https?://\S+|\S+\.(?:png|jpe?g|webp|mp4)\b"
                       r"|\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b")  # server task ids


def _model_texts(model: QAbstractItemModel) -> Iterator[str]:
    columns = 1 if isinstance(model, QAbstractListModel) else model.columnCount(QModelIndex())
    for row in range(model.rowCount(QModelIndex())):
        for column in range(columns):
            for role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
                value = model.data(model.index(row, column), role)
                if isinstance(value, str):
                    yield value
    for column in range(columns):
        value = model.headerData(column, Qt.Orientation.Horizontal, Qt.ItemDataRole.DisplayRole)
        if isinstance(value, str):
            yield value


def visible_texts(window: QWidget) -> Iterator[tuple[str, str]]:
    """(where, text) for every text a user can read in the window as it stands."""
    for widget in window.findChildren(QWidget):
        if not widget.isVisible():
            continue
        where = f"{type(widget).__name__} {widget.objectName() or widget.accessibleName()!r}"
        if isinstance(widget, QLabel | QAbstractButton):
            yield where, widget.text()
        elif isinstance(widget, QGroupBox):
            yield where, widget.title()
        elif isinstance(widget, QComboBox):
            yield where, widget.currentText()
        elif isinstance(widget, QLineEdit):
            yield where, widget.placeholderText() if not widget.text() else ""
        elif isinstance(widget, (QTextEdit, QPlainTextEdit)):
            yield where, widget.toPlainText() or widget.placeholderText()
        elif isinstance(widget, QTabBar):
            for index in range(widget.count()):
                yield where, widget.tabText(index)
        for text in (widget.toolTip(), widget.accessibleName(), widget.accessibleDescription()):
            yield f"{where} (tooltip or accessible text)", text
        if isinstance(widget, QAbstractItemView) and widget.model() is not None:
            for text in _model_texts(widget.model()):
                yield where, text
    yield "window title", window.windowTitle()
    if not isinstance(window, QMainWindow):
        return
    for action in window.menuBar().actions():
        yield "menu", action.text()
        menu = action.menu()
        if isinstance(menu, QMenu):
            for item in menu.actions():
                yield f"menu {action.text()}", item.text()
    yield "status bar", window.statusBar().currentMessage()


def english_words(text: str, *theirs: str) -> list[str]:
    """The English words in `text`, leaving out what the user or Novita wrote (`theirs`)."""
    for words in theirs:
        text = text.replace(words, " ")
    text = HTML.sub(" ", text)
    text = NAMES.sub(" ", USER_DATA.sub(" ", text))
    return [word for word in ENGLISH_WORD.findall(text) if word.lower() not in ALLOWED]



def test_no_english_word_is_left_in_the_chinese_window(qtbot, chinese, window_factory_env, simulator,
                                                       tmp_path: Path, artifacts_dir):
    window = window_factory_env()
    prompt = "海边的日落，镜头缓慢推进"
    novita_reason = "content moderation failed"  # Novita's own words: shown as they came
    simulator.faults.add("fail_task", route="submit", count=1, reason=novita_reason)
    image = tmp_path / "海港.png"
    image.write_bytes(png_bytes(320, 240))
    window.images.add_sources([str(image)])
    window.form.duration.setValue(1)
    window.form.prompt.setPlainText(prompt)
    qtbot.waitUntil(window.generate_button.isEnabled, timeout=10_000)
    window.generate()
    qtbot.waitUntil(lambda: len(jobs_shown(window)) == 1 and jobs_shown(window)[0].state.finished, timeout=60_000)
    qtbot.waitUntil(window.generate_button.isEnabled, timeout=10_000)
    window.generate()
    qtbot.waitUntil(lambda: len(jobs_shown(window)) == 2 and all(j.state.finished for j in jobs_shown(window)),
                    timeout=60_000)
    assert {job.state for job in jobs_shown(window)} == {JobState.DONE, JobState.FAILED}
    window.resize(1280, 800)
    left: dict[str, None] = {}
    for row in range(2):  # the details pane of the done job, then of the failed one
        flags = window.jobs.view.selectionModel().SelectionFlag
        window.jobs.view.selectionModel().select(window.jobs.model.index(row, 0),
                                                 flags.Rows | flags.ClearAndSelect)
        qtbot.wait(150)
        left.update({f"{where}: {text!r} ({', '.join(words)})": None for where, text in visible_texts(window)
                     if (words := english_words(text, prompt, novita_reason))})
    assert window.grab().save(str(artifacts_dir / "zh_CN-window.png"))
    presets = window.form.presets.menu_button  # its words and its menu arrow side by side, nothing drawn over
    arrow = presets.style().pixelMetric(QStyle.PixelMetric.PM_MenuButtonIndicator, None, presets)
    assert presets.width() >= presets.fontMetrics().horizontalAdvance(presets.text()) + arrow, presets.text()
    assert not left, "English left in the Chinese window:\n" + "\n".join(left)


def test_demo_mode_in_chinese_says_so_in_chinese(qtbot, chinese, open_window, tmp_path: Path, artifacts_dir):
    """Without a key: the banner, the title, the status and an image's notes, all in Chinese."""
    from vidu_desktop.session import Mode

    window = open_window(timeout=30_000)
    assert window.session.mode is Mode.DEMO
    image = tmp_path / "海港.png"
    image.write_bytes(png_bytes(320, 240))
    window.images.add_sources([str(image)])
    qtbot.waitUntil(window.generate_button.isEnabled, timeout=10_000)
    window.resize(1280, 800)
    assert "演示模式" in window.windowTitle() and window.connection_label.text() == "演示模式"
    assert "演示模式" in window.demo_text.text()
    assert "内置模拟器" in window.connection_label.toolTip()  # the whole status, its address included
    left = {f"{where}: {text!r} ({', '.join(words)})" for where, text in visible_texts(window)
            if (words := english_words(text))}
    assert window.grab().save(str(artifacts_dir / "zh_CN-demo-window.png"))
    assert not left, "English left in the Chinese window:\n" + "\n".join(sorted(left))


def test_settings_and_spending_in_chinese_have_no_english_words(qtbot, chinese, window):
    """The dialogs a user opens from the menus, in Chinese too (the price table's English note is
    its citation: only in the tooltip of the line that names it)."""
    from vidu_desktop.ui.settings_dialog import SettingsDialog

    dialog = SettingsDialog(window)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: not english_words(dialog.key_status.text()), timeout=10_000)
    window.open_spending()
    spending = window.spending_dialog
    qtbot.waitExposed(spending)
    qtbot.waitUntil(lambda: "估算" in spending.today.text(), timeout=10_000)
    left = {f"{where}: {text!r} ({', '.join(words)})" for shown in (dialog, spending)
            for where, text in visible_texts(shown)
            if (words := english_words(text)) and not (where.startswith("QLabel") and "tooltip" in where
                                                       and text == window.session.price_table().source)}
    assert not left, "English left in the Chinese dialogs:\n" + "\n".join(sorted(left))
    dialog.close()
