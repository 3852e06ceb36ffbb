"""A link that Tab reaches and a screen reader announces as a link (a QLabel's links are neither)."""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAccessible, QAccessibleInterface
from PySide6.QtWidgets import QAccessibleWidget, QPushButton, QWidget

_installed = False


class LinkButton(QPushButton):
    """A flat button drawn as a link (theme.py: QPushButton#link); its accessible role is Link."""

    def __init__(self, text: str, parent: QWidget | None = None) -> None:
        super().__init__(text, parent)
        _install_factory()
        self.setObjectName("link")
        self.setFlat(True)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setAccessibleName(text)


def _link_interface(_key: str, obj: QObject) -> QAccessibleInterface | None:
    if isinstance(obj, LinkButton):
        return QAccessibleWidget(obj, QAccessible.Role.Link, obj.text())
    return None


def _install_factory() -> None:
    global _installed
    if not _installed:
        QAccessible.installFactory(_link_interface)
        _installed = True
