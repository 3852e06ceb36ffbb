"""Small dialogs with verb buttons ("Delete 3 jobs", "Keep"), and opening a folder with a way out."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, QUrl
from PySide6.QtGui import QDesktopServices, QGuiApplication
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

CONTEXT = "Dialogs"


def _tr(text: str) -> str:
    return QCoreApplication.translate(CONTEXT, text)


def ask(parent: QWidget | None, title: str, text: str, go: str, keep: str, *, detail: str = "",
        icon: QMessageBox.Icon = QMessageBox.Icon.Question) -> bool:
    """A question answered by a verb: True when `go` was chosen. `keep` (the safe choice) is the
    default and Esc."""
    return ask_with_check(parent, title, text, go, keep, detail=detail, icon=icon)[0]


def ask_with_check(parent: QWidget | None, title: str, text: str, go: str, keep: str, *, detail: str = "",
                   icon: QMessageBox.Icon = QMessageBox.Icon.Question, check: str = "") -> tuple[bool, bool]:
    """ask(), with a check box under the text when `check` has words ("Don't ask again");
    returns (go was chosen, the box was ticked)."""
    box = QMessageBox(icon, title, text, parent=parent)
    box.setObjectName("verbQuestion")
    if detail:
        box.setInformativeText(detail)
    go_button = box.addButton(go, QMessageBox.ButtonRole.AcceptRole)
    keep_button = box.addButton(keep, QMessageBox.ButtonRole.RejectRole)
    go_button.setAccessibleName(go)
    keep_button.setAccessibleName(keep)
    box.setDefaultButton(keep_button)
    box.setEscapeButton(keep_button)
    ticked = QCheckBox(check)
    if check:
        ticked.setAccessibleName(check)
        ticked.setToolTip(check)
        box.setCheckBox(ticked)
    box.exec()
    return box.clickedButton() is go_button, bool(check) and ticked.isChecked()


class PathDialog(QDialog):
    """A path to copy, when no file manager opened it."""

    def __init__(self, parent: QWidget | None, title: str, text: str, path: Path) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setObjectName("pathDialog")
        words = QLabel(text)
        words.setWordWrap(True)
        self.path_field = QLineEdit(str(path))
        self.path_field.setReadOnly(True)
        self.path_field.setAccessibleName(self.tr("Path"))
        self.path_field.setToolTip(self.tr("The folder's path: copy it into a file manager or a terminal"))
        self.path_field.setMinimumWidth(min(900, max(360, self.path_field.fontMetrics().horizontalAdvance(
            str(path)) + 24)))
        self.copy_button = QPushButton(self.tr("Copy"))
        self.copy_button.setAccessibleName(self.tr("Copy the path"))
        self.copy_button.setToolTip(self.tr("Copy the path to the clipboard"))
        self.copy_button.clicked.connect(self._copy)
        row = QHBoxLayout()
        row.addWidget(self.path_field, 1)
        row.addWidget(self.copy_button)
        buttons = QDialogButtonBox()
        close = buttons.addButton(self.tr("Close"), QDialogButtonBox.ButtonRole.RejectRole)
        close.setAccessibleName(self.tr("Close"))
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(words)
        layout.addLayout(row)
        layout.addWidget(buttons)

    def _copy(self) -> None:
        QGuiApplication.clipboard().setText(self.path_field.text())
        self.copy_button.setText(self.tr("Copied"))


def open_folder(parent: QWidget | None, folder: Path, what: str) -> bool:
    """Open `folder` in the file manager; when none answers, show its path with a Copy button.
    True when a file manager took it."""
    if QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder))):
        return True
    dialog = PathDialog(parent, what, _tr("No file manager opened this folder. Here is its path:"), folder)
    dialog.setModal(True)
    dialog.open()
    return False
