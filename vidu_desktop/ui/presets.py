"""Named presets: the form's settings and prompt under a name; apply, rename, delete, export, import.

Presets live in the settings file (settings.presets()/save_presets()). An exported file is JSON
{"vidu_desktop_presets": 1, "presets": {name: {...settings...}}}; an imported file is outside
data: bounded in size and count, every value read through VideoSettings.from_mapping, and a file
that cannot be read changes nothing.
"""

from __future__ import annotations

import json
import os
import tempfile
import unicodedata
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QCoreApplication, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMenu,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from .. import settings
from ..core.files import NotAFile, read_regular
from ..core.request import VideoSettings

PRESET_FILE_MAX_BYTES = 1024 * 1024
MAX_PRESETS = 200
NAME_MAX_CHARS = 80
FILE_FORMAT_KEY = "vidu_desktop_presets"


translate = QCoreApplication.translate  # the name lupdate looks for


class PresetFileError(ValueError):
    """A presets file that cannot be imported, in words for the user."""


def clean_name(name: object) -> str:
    """A preset name as shown: one line, no control characters, at most NAME_MAX_CHARS; "" if nothing is left."""
    if not isinstance(name, str):
        return ""
    kept = "".join(" " if unicodedata.category(ch).startswith(("C", "Z")) else ch for ch in name)
    return " ".join(kept.split())[:NAME_MAX_CHARS]


def presets_to_json(named: dict[str, VideoSettings]) -> str:
    return json.dumps({FILE_FORMAT_KEY: 1,
                       "presets": {name: json.loads(chosen.to_json()) for name, chosen in named.items()}},
                      ensure_ascii=False, indent=2)


def presets_from_json(data: bytes) -> dict[str, VideoSettings]:
    """Read an exported presets file; PresetFileError (nothing read) when it is not one."""
    if len(data) > PRESET_FILE_MAX_BYTES:
        raise PresetFileError(translate("Presets", "The file is larger than 1 MB: it is not a presets file."))
    try:
        document = json.loads(data.decode("utf-8-sig"))
    except (ValueError, RecursionError):  # UnicodeDecodeError is a ValueError too
        raise PresetFileError(translate("Presets", "The file is not JSON text.")) from None
    if not isinstance(document, dict) or not isinstance(document.get("presets"), dict):
        raise PresetFileError(translate("Presets", "The file holds no presets (it needs a \"presets\" object)."))
    found = document["presets"]
    if len(found) > MAX_PRESETS:
        raise PresetFileError(translate("Presets", "The file holds more than {limit} presets.")
                              .format(limit=MAX_PRESETS))
    named: dict[str, VideoSettings] = {}
    for raw_name, values in found.items():
        name = clean_name(raw_name)
        if not name or not isinstance(values, dict):
            raise PresetFileError(translate("Presets", "A preset in the file has no name or no settings."))
        values = {key: value for key, value in values.items() if key != "schema"}
        chosen, problems = VideoSettings.from_mapping(values)
        if problems:
            raise PresetFileError(translate("Presets", "Preset “{name}”: {problem}")
                                  .format(name=name, problem=problems[0].message))
        named[name] = chosen
    if not named:
        raise PresetFileError(translate("Presets", "The file holds no presets."))
    return named


def _write_whole(path: Path, data: bytes) -> None:
    """`data` into `path` through a temporary file beside it, so a failure leaves the old file."""
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(data)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


class PresetBar(QWidget):
    """A combo of the saved presets (choosing one applies it) and a menu: save, rename, delete,
    export, import. Works on the form through two callables, so it knows nothing of its widgets."""

    applied = Signal(str)  # the preset's name

    def __init__(self, current: Callable[[], VideoSettings], apply: Callable[[VideoSettings], None],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._current, self._apply = current, apply
        self.combo = QComboBox()
        self.combo.setAccessibleName(self.tr("Preset"))
        self.combo.setToolTip(self.tr("Choose a saved preset to load its settings and prompt into the form"))
        self.combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.combo.setMinimumContentsLength(12)
        self.combo.activated.connect(self._chosen)
        # A push button sizes itself around its text and the menu arrow; a QToolButton's
        # InstantPopup arrow was drawn over the last letter (cramped in both languages).
        self.menu_button = QPushButton(self.tr("Presets"))
        self.menu_button.setAccessibleName(self.tr("Preset actions"))
        self.menu_button.setToolTip(self.tr("Save, rename, delete, export or import presets"))
        menu = QMenu(self.menu_button)
        self.save_action = menu.addAction(self.tr("Save as preset…"), self.ask_save)
        self.rename_action = menu.addAction(self.tr("Rename preset…"), self.ask_rename)
        self.delete_action = menu.addAction(self.tr("Delete preset"), self.ask_delete)
        menu.addSeparator()
        self.export_action = menu.addAction(self.tr("Export presets…"), self.ask_export)
        self.import_action = menu.addAction(self.tr("Import presets…"), self.ask_import)
        self.menu_button.setMenu(menu)
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.status.setAccessibleName(self.tr("Presets message"))
        self.status.hide()
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.combo, 1)
        row.addWidget(self.menu_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(row)
        layout.addWidget(self.status)
        self._reload()

    # -- what the menu does, callable without the dialogs ----------------------------------------

    def names(self) -> list[str]:
        return sorted(settings.presets(), key=str.casefold)

    def selected(self) -> str:
        return str(self.combo.currentData() or "")

    def save_current(self, name: str) -> str:
        """Keep the form's settings and prompt as `name` (replacing one of that name)."""
        name = clean_name(name)
        if not name:
            return self._say(self.tr("A preset needs a name."))
        named = settings.presets()
        if name not in named and len(named) >= MAX_PRESETS:
            return self._say(self.tr("There are {limit} presets already: delete one first.").format(limit=MAX_PRESETS))
        named[name] = self._current()
        settings.save_presets(named)
        self._reload(name)
        return self._say(self.tr("Saved preset “{name}”.").format(name=name))

    def apply(self, name: str) -> None:
        chosen = settings.presets().get(name)
        if chosen is None:
            self._say(self.tr("There is no preset called “{name}”.").format(name=name))
            return
        self._apply(chosen)
        self._reload(name)
        self._say("")
        self.applied.emit(name)

    def rename(self, old: str, new: str) -> str:
        new = clean_name(new)
        named = settings.presets()
        if old not in named:
            return self._say(self.tr("There is no preset called “{name}”.").format(name=old))
        if not new:
            return self._say(self.tr("A preset needs a name."))
        if new != old and new in named:
            return self._say(self.tr("A preset called “{name}” exists already.").format(name=new))
        named = {new if key == old else key: value for key, value in named.items()}
        settings.save_presets(named)
        self._reload(new)
        return self._say(self.tr("Renamed to “{name}”.").format(name=new))

    def delete(self, name: str) -> str:
        named = settings.presets()
        if named.pop(name, None) is None:
            return self._say(self.tr("There is no preset called “{name}”.").format(name=name))
        settings.save_presets(named)
        self._reload()
        return self._say(self.tr("Deleted preset “{name}”.").format(name=name))

    def export_to(self, path: Path) -> str:
        """Write every preset to `path`: whole or not at all (a temporary file, then replaced)."""
        try:
            _write_whole(path, presets_to_json(settings.presets()).encode("utf-8"))
        except OSError as exc:
            return self._say(self.tr("Could not write {file}: {reason}").format(
                file=path.name, reason=exc.strerror or exc))
        return self._say(self.tr("Presets exported to {file}: {count}.").format(
            count=len(settings.presets()), file=path.name))

    def import_from(self, path: Path) -> str:
        """Add the file's presets (a preset of the same name is replaced); a bad file changes nothing."""
        try:
            found = presets_from_json(read_regular(path, PRESET_FILE_MAX_BYTES + 1))
        except NotAFile:  # a named pipe would hang the GUI thread in open(), a device never ends
            return self._say(self.tr("Could not read {file}: it is not a regular file.").format(file=path.name))
        except OSError as exc:
            return self._say(self.tr("Could not read {file}: {reason}").format(
                file=path.name, reason=exc.strerror or exc))
        except PresetFileError as exc:
            return self._say(self.tr("Nothing was imported from {file}. {reason}").format(
                file=path.name, reason=str(exc)))
        named = settings.presets()
        if len({*named, *found}) > MAX_PRESETS:
            return self._say(self.tr("Nothing was imported: that would make more than {limit} presets.").format(
                limit=MAX_PRESETS))
        replaced = len(set(named) & set(found))
        named.update(found)
        settings.save_presets(named)
        self._reload(next(iter(found)))
        words = self.tr("Presets imported from {file}: {count}.").format(count=len(found), file=path.name)
        if replaced:
            words += " " + self.tr("Replaced, as they had the same name: {count}.").format(count=replaced)
        return self._say(words)

    # -- the menu's dialogs ------------------------------------------------------------------------

    def ask_save(self) -> None:
        name, ok = QInputDialog.getText(self, self.tr("Save as preset"), self.tr("Name of the preset:"),
                                        QLineEdit.EchoMode.Normal, self.selected())
        if ok:
            if clean_name(name) in settings.presets() and not self._confirm(
                    self.tr("Replace preset"), self.tr("Replace the preset “{name}” with the current settings?").format(
                        name=clean_name(name)), self.tr("Replace")):
                return
            self.save_current(name)

    def ask_rename(self) -> None:
        old = self.selected()
        if not old:
            self._say(self.tr("Choose a preset to rename first."))
            return
        new, ok = QInputDialog.getText(self, self.tr("Rename preset"), self.tr("New name:"),
                                       QLineEdit.EchoMode.Normal, old)
        if ok:
            self.rename(old, new)

    def ask_delete(self) -> None:
        name = self.selected()
        if not name:
            self._say(self.tr("Choose a preset to delete first."))
            return
        if self._confirm(self.tr("Delete preset"), self.tr("Delete the preset “{name}”?").format(name=name),
                         self.tr("Delete")):
            self.delete(name)

    def ask_export(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, self.tr("Export presets"), str(Path.home() / "presets.json"),
                                              self.tr("Presets (*.json)"))
        if path:
            self.export_to(Path(path))

    def ask_import(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, self.tr("Import presets"), str(Path.home()),
                                              self.tr("Presets (*.json)"))
        if path:
            self.import_from(Path(path))

    def _confirm(self, title: str, question: str, verb: str) -> bool:
        box = QMessageBox(QMessageBox.Icon.Question, title, question, QMessageBox.StandardButton.NoButton, self)
        go = box.addButton(verb, QMessageBox.ButtonRole.AcceptRole)
        box.addButton(self.tr("Keep"), QMessageBox.ButtonRole.RejectRole)
        box.exec()
        return box.clickedButton() is go

    # -- inside ------------------------------------------------------------------------------------

    def _chosen(self, index: int) -> None:
        name = self.combo.itemData(index)
        if name:
            self.apply(str(name))

    def _reload(self, selected: str = "") -> None:
        names = self.names()
        self.combo.blockSignals(True)
        self.combo.clear()
        self.combo.addItem(self.tr("No preset") if names else self.tr("No presets yet"), "")
        for name in names:
            self.combo.addItem(name, name)
        self.combo.setCurrentIndex(max(0, self.combo.findData(selected)) if selected else 0)
        self.combo.blockSignals(False)
        has_selection = bool(self.selected())
        self.rename_action.setEnabled(has_selection)
        self.delete_action.setEnabled(has_selection)
        self.export_action.setEnabled(bool(names))

    def _say(self, words: str) -> str:
        self.status.setText(words)
        self.status.setVisible(bool(words))
        return words
