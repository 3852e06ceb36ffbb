"""The images a job will be made from: drop, open, paste; each previewed and checked off-thread."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

from PySide6.QtCore import QSize, Qt, QUrl, Signal
from PySide6.QtGui import QAction, QIcon, QImage, QPixmap
from PySide6.QtWidgets import (
    QAbstractItemView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QStyle,
    QVBoxLayout,
    QWidget,
)

from ..core.request import format_size, is_web_url
from ..workers.services import run_in_background

PREVIEW = 96


@dataclass
class ChosenImage:
    source: str  # local path or http(s) URL
    pending: bool = True
    summary: str = ""
    problems: list[str] = field(default_factory=list)
    thumbnail_png: bytes | None = None

    @property
    def name(self) -> str:
        return self.source if is_web_url(self.source) else Path(self.source).name


def _inspect(source: str) -> tuple[str, str, list[str], bytes]:
    """Check and thumbnail of one file from one opening, in the thread pool (a 40 MB photo
    takes a while); what the decoder complained about is among the problems."""
    from ..media.images import inspect_image

    try:
        check, thumb = inspect_image(Path(source), PREVIEW)
    except Exception as exc:  # noqa: BLE001 - any failure is a problem shown on the image
        return source, "", [str(exc) or "it could not be read"], b""
    lines = []
    if check.width and check.height:  # only what helps: no "0×0" for things that are not images
        lines.append(f"{check.width}×{check.height} · {_ratio(check.width, check.height)} · "
                     f"{format_size(check.file_bytes)}")
    lines += [f"ℹ {note}" for note in check.notes]
    return source, "\n".join(lines), list(check.problems), thumb or b""


def _ratio(width: int, height: int) -> str:
    from math import gcd

    divisor = gcd(width, height) or 1
    w, h = width // divisor, height // divisor
    return f"{w}:{h}" if max(w, h) <= 32 else f"{width / height:.2f}:1"


def save_clipboard_image(image: QImage, folder: Path) -> Path:
    """Clipboard pixels become a PNG file so the job has a real input (called in the pool)."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"pasted-{time.strftime('%Y%m%d-%H%M%S')}-{int(time.time() * 1000) % 1000:03d}.png"
    if not image.save(str(path), "PNG"):  # type: ignore[call-overload]  # the stubs say bytes; Qt takes str
        raise OSError(f"could not save the pasted image to {path}")
    return path


class ImagePanel(QWidget):
    """Shows the chosen images as previews with their size and ratio, and what is wrong with them."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.images: list[ChosenImage] = []
        self.hint = QLabel("Drop images here (JPEG, PNG, WebP, or a link from your browser)\n"
                           "or use Open… (Ctrl+O) / Paste (Ctrl+V)")
        self.hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.hint.setWordWrap(True)
        self.hint.setObjectName("dropHint")
        self.list = QListWidget()
        self.list.setIconSize(QSize(PREVIEW, PREVIEW))
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.list.setWordWrap(True)
        self.list.setAccessibleName("Chosen images")
        self.list.setToolTip("The images to animate: one video per image. Delete removes the selected ones.")
        self.list.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        remove = QAction("Remove", self.list)
        remove.triggered.connect(self.remove_selected)
        self.list.addAction(remove)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.hint)
        layout.addWidget(self.list)
        self._sync()

    def add_sources(self, sources: list[str]) -> None:
        for source in sources:
            if any(image.source == source for image in self.images):
                continue
            image = ChosenImage(source)
            self.images.append(image)
            if is_web_url(source):
                image.pending = False
                image.summary = "web link: sent to Novita as it is"
            else:
                run_in_background(partial(_inspect, source), lambda found: self._inspected(*found), owner=self)
        self._sync()

    def remove_selected(self) -> None:
        rows = sorted((self.list.row(item) for item in self.list.selectedItems()), reverse=True)
        for row in rows:
            self.images.pop(row)
        self._sync()

    def clear(self) -> None:
        self.images.clear()
        self._sync()

    def thumbnails(self) -> dict[str, bytes]:
        return {i.source: i.thumbnail_png for i in self.images if i.thumbnail_png}

    def problems(self) -> list[str]:
        words = []
        for image in self.images:
            if image.pending:
                words.append(f"Checking {image.name}…")
            words.extend(f"{image.name}: {problem}." for problem in image.problems)
        return words

    def _inspected(self, source: str, summary: str, problems: list[str], thumbnail: bytes) -> None:
        for image in self.images:
            if image.source == source:
                image.pending, image.summary, image.problems = False, summary, problems
                image.thumbnail_png = thumbnail or None
        self._sync()

    def _sync(self) -> None:
        self.list.clear()
        for image in self.images:
            lines = [image.name, image.summary or ("checking…" if image.pending else "")]
            lines += [f"⚠ {p}" for p in image.problems]
            item = QListWidgetItem("\n".join(line for line in lines if line))
            pixmap = QPixmap()
            if image.thumbnail_png and pixmap.loadFromData(image.thumbnail_png):
                item.setIcon(QIcon(pixmap))
            else:
                kind = QStyle.StandardPixmap.SP_DriveNetIcon if is_web_url(image.source) \
                    else QStyle.StandardPixmap.SP_FileIcon
                item.setIcon(self.style().standardIcon(kind))
            item.setToolTip(image.source)
            if image.problems:
                item.setForeground(Qt.GlobalColor.red)
            self.list.addItem(item)
        self.hint.setVisible(not self.images)
        self.list.setVisible(bool(self.images))
        self.changed.emit()


def sources_from_urls(urls: list[QUrl]) -> list[str]:
    """Local files as paths, web links as they are; anything else is ignored."""
    sources = []
    for url in urls:
        if url.isLocalFile():
            sources.append(url.toLocalFile())
        elif url.scheme() in ("http", "https"):
            sources.append(url.toString())
    return sources
