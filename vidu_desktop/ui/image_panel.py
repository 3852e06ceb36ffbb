"""The images a job will be made from: drop, open, paste; each previewed and checked off-thread."""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QEvent, QObject, QSize, Qt, QUrl, Signal
from PySide6.QtGui import QAction, QIcon, QImage, QPixmap
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QLabel,
    QListView,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QStyle,
    QVBoxLayout,
    QWidget,
)

from ..core.batch import CSV_SUFFIX, BatchItem, BatchProblem, expand_sources, write_batch_csv
from ..core.request import MAX_TAKES, ImageOrder, VideoSettings, format_size, is_web_url
from ..workers.services import run_in_background
from .image_editor import ImageEditor

PREVIEW = 96
NAME_MARGIN_PX = 24  # the icon's spacing and the item's margins, beside the thumbnail
translate = QCoreApplication.translate  # the name lupdate looks for
MAX_FILES_AT_ONCE = 20  # more files than this in one drop are looked at (sidecars) in the pool
MAX_NOTES = 20  # problems of whole files shown above the list; the rest are counted


@dataclass
class ChosenImage:
    source: str  # local path or http(s) URL; for a batch row that could not be read, where it was
    pending: bool = True
    summary: str = ""
    problems: list[str] = field(default_factory=list)
    thumbnail_png: bytes | None = None
    prompt: str | None = None  # its own prompt; None: the form's
    overrides: dict[str, object] = field(default_factory=dict)  # its own settings (VideoSettings fields)
    origin: str = ""  # "harbour.txt", "batch.csv row 7": where its own values came from
    row_label: str = ""  # set for a batch-file row with problems: not an image at all
    parent_id: int | None = None  # the job it continues (a frame from a video)
    relation: str = ""

    @property
    def name(self) -> str:
        if self.row_label:
            return self.row_label
        return self.source if is_web_url(self.source) else Path(self.source).name

    @property
    def valid(self) -> bool:
        return not self.pending and not self.problems and not self.row_label

    def settings_over(self, form: VideoSettings) -> VideoSettings:
        """The form's values, then this image's prompt (when it has one), then its own settings."""
        return BatchItem(self.source, self.prompt, self.overrides).settings_over(form)


def _inspect(source: str) -> tuple[str, str, list[str], bytes]:
    """Check and thumbnail of one file from one opening, in the thread pool (a 40 MB photo
    takes a while); what the decoder complained about is among the problems."""
    from ..media.images import inspect_image

    try:
        check, thumb = inspect_image(Path(source), PREVIEW)
    except Exception as exc:  # noqa: BLE001 - any failure is a problem shown on the image
        return source, "", [str(exc) or QCoreApplication.translate("ImagePanel", "it could not be read")], b""
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


def _expand(sources: list[str], recursive: bool) -> tuple[list[BatchItem], list[tuple[str, BatchProblem]]]:
    """expand_sources, with each batch file read on its own so its row problems can be named
    after it: (items, [(file name or "", problem)]). Reads folders and files: in the pool."""
    items: list[BatchItem] = []
    problems: list[tuple[str, BatchProblem]] = []
    run: list[str] = []

    def flush() -> None:
        found, trouble = expand_sources(run, recursive=recursive)
        items.extend(found)
        problems.extend(("", problem) for problem in trouble)
        run.clear()

    for source in sources:
        if not is_web_url(source) and source.lower().endswith(CSV_SUFFIX):
            flush()
            run.append(source)
            found, trouble = expand_sources(run, recursive=recursive)
            run.clear()
            items.extend(found)
            problems.extend((Path(source).name, problem) for problem in trouble)
        else:
            run.append(source)
    flush()
    return items, problems


def _folders_with_subfolders(sources: list[str]) -> list[str]:
    """The folders among the sources that hold a (visible) subfolder: worth offering to include."""
    found = []
    for source in sources:
        try:
            if is_web_url(source) or not Path(source).is_dir():
                continue
            with os.scandir(source) as scan:
                for count, entry in enumerate(scan):
                    if count > 5000:
                        break
                    if not entry.name.startswith(".") and entry.is_dir(follow_symlinks=False):
                        found.append(os.path.abspath(source))
                        break
        except OSError:
            continue
    return found


class ImagePanel(QWidget):
    """Shows the chosen images as previews with their size and ratio, and what is wrong with them;
    the selected image's own prompt and settings in place. The window asks for orders()."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None,
                 form_settings: Callable[[], VideoSettings] | None = None) -> None:
        super().__init__(parent)
        self.images: list[ChosenImage] = []
        #: The form's settings, for what an image follows (the window sets it to form.settings).
        self.form_settings: Callable[[], VideoSettings] = form_settings or VideoSettings
        self._reading: list[str] = []  # folders and batch files being read
        self._offered_folders: list[str] = []
        self._editing: ChosenImage | None = None  # the image the editor shows
        self.hint = QLabel(self.tr("Drop images here (JPEG, PNG, WebP, a folder, a batch .csv, or a link from "
                                   "your browser)\nor use Open… (Ctrl+O) / Paste (Ctrl+V)"))
        self.hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.hint.setWordWrap(True)
        self.hint.setObjectName("dropHint")
        self.hint.setAccessibleName(self.tr("No images yet"))
        self.list = QListWidget()
        self.list.setIconSize(QSize(PREVIEW, PREVIEW))
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.list.setWordWrap(True)  # lines wrap at the list's width; a long name is elided in the middle
        self.list.setTextElideMode(Qt.TextElideMode.ElideMiddle)
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.list.setResizeMode(QListView.ResizeMode.Adjust)
        self.list.viewport().installEventFilter(self)
        self._shown_width = 0
        self.list.setAccessibleName(self.tr("Chosen images"))
        self.list.setToolTip(self.tr("The images to animate: one video per image and take. Select one to give "
                                     "it its own prompt and settings. Delete removes the selected ones."))
        self.list.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        remove = QAction(self.tr("Remove"), self.list)
        remove.triggered.connect(self.remove_selected)
        self.list.addAction(remove)
        self.list.itemSelectionChanged.connect(self._selection_changed)

        self.count_label = QLabel()
        self.count_label.setAccessibleName(self.tr("Images in the batch"))
        self.remove_invalid_button = QPushButton()
        self.remove_invalid_button.setToolTip(self.tr("Take the images that cannot be sent out of the list"))
        self.remove_invalid_button.clicked.connect(self.remove_invalid)
        self.clear_button = QPushButton(self.tr("Clear"))
        self.clear_button.setAccessibleName(self.tr("Clear the images"))
        self.clear_button.setToolTip(self.tr("Empty the list of images"))
        self.clear_button.clicked.connect(self.clear)
        for button in (self.remove_invalid_button, self.clear_button):
            button.setAutoDefault(False)
        tools = QHBoxLayout()
        tools.setContentsMargins(0, 0, 0, 0)
        tools.addWidget(self.count_label, 1)
        tools.addWidget(self.remove_invalid_button)
        tools.addWidget(self.clear_button)
        self.tools = QWidget()
        self.tools.setLayout(tools)

        self.notes = QLabel()
        self.notes.setObjectName("problems")
        self.notes.setWordWrap(True)
        self.notes.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse
                                           | Qt.TextInteractionFlag.TextSelectableByKeyboard)
        self.notes.setAccessibleName(self.tr("Batch problems"))
        self.subfolders_label = QLabel()
        self.subfolders_label.setWordWrap(True)
        self.subfolders_label.setAccessibleName(self.tr("Subfolders found"))
        self.include_subfolders = QPushButton(self.tr("Include subfolders"))
        self.include_subfolders.setAccessibleName(self.tr("Include subfolders"))
        self.include_subfolders.setToolTip(self.tr("Add the images in the folders inside the dropped folder too"))
        self.include_subfolders.setAutoDefault(False)
        self.include_subfolders.clicked.connect(self.add_subfolders)
        offer = QHBoxLayout()
        offer.setContentsMargins(0, 0, 0, 0)
        offer.addWidget(self.subfolders_label, 1)
        offer.addWidget(self.include_subfolders)
        self.subfolder_offer = QWidget()
        self.subfolder_offer.setLayout(offer)

        self.editor = ImageEditor(lambda: self.form_settings())
        self.editor.edited.connect(self._edited)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.hint)
        layout.addWidget(self.tools)
        layout.addWidget(self.notes)
        layout.addWidget(self.subfolder_offer)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.editor)
        self._set_notes([])
        self.subfolder_offer.hide()
        self._sync()

    # -- adding ------------------------------------------------------------------------------------

    def add_sources(self, sources: list[str]) -> None:
        """Files, folders, batch .csv files and links. Links and image files show at once;
        folders and batch files are read in the pool, and what is wrong in them is shown
        with its row and column."""
        sources = [s for s in sources if s]
        if not sources:
            return
        local = [s for s in sources if not is_web_url(s)]
        # Links and a few files show at once; folders, batch files and big drops are read in the pool.
        if len(local) > MAX_FILES_AT_ONCE or any(self._is_container(s) for s in local):
            self._read_in_background(sources, recursive=False)
            return
        self._set_notes([])
        items, problems = _expand(sources, recursive=False)
        self._take(items, problems)

    def add_subfolders(self) -> None:
        """The images in the subfolders of the folders just added (the offer's button)."""
        folders, self._offered_folders = self._offered_folders, []
        self.subfolder_offer.hide()
        if folders:
            self._read_in_background(folders, recursive=True)

    def add_items(self, items: list[BatchItem], parent_id: int | None = None, relation: str = "") -> None:
        """Images with their own prompt and settings (a frame to continue from, a batch), as
        they are; parent_id and relation link the jobs made from them to the job they came from."""
        self._take(items, [], parent_id=parent_id, relation=relation)

    def _is_container(self, source: str) -> bool:
        if is_web_url(source):
            return False
        if source.lower().endswith(CSV_SUFFIX):
            return True
        try:
            return Path(source).is_dir()
        except OSError:
            return False

    def _read_in_background(self, sources: list[str], recursive: bool) -> None:
        self._set_notes([])
        label = ", ".join(Path(s).name or s for s in sources[:3]) + ("…" if len(sources) > 3 else "")
        self._reading.append(label)
        offer = [] if recursive else sources

        def read() -> tuple[list[BatchItem], list[tuple[str, BatchProblem]], list[str]]:
            items, problems = _expand(sources, recursive)
            return items, problems, _folders_with_subfolders(offer)

        def done(found: tuple[list[BatchItem], list[tuple[str, BatchProblem]], list[str]]) -> None:
            self._reading.remove(label)
            items, problems, folders = found
            self._take(items, problems)
            if folders:
                self._offer_subfolders(folders)

        def failed(exc: BaseException) -> None:
            self._reading.remove(label)
            self._set_notes([self.tr("{name} could not be read: {reason}").format(name=label, reason=exc)])
            self._sync()

        run_in_background(read, done, failed, owner=self)
        self._sync()

    def _offer_subfolders(self, folders: list[str]) -> None:
        self._offered_folders = folders
        names = ", ".join(Path(folder).name for folder in folders[:3])
        self.subfolders_label.setText(self.tr("{folders} has folders inside. Only the images at the top were "
                                              "added.").format(folders=names))
        self.subfolder_offer.show()

    def _take(self, items: list[BatchItem], problems: list[tuple[str, BatchProblem]],
              parent_id: int | None = None, relation: str = "") -> None:
        known = {image.source for image in self.images}
        for item in items:
            if item.source in known:
                continue
            known.add(item.source)
            image = ChosenImage(item.source, prompt=item.prompt, overrides=dict(item.overrides),
                                origin=item.origin, parent_id=parent_id, relation=relation)
            self.images.append(image)
            if is_web_url(item.source):
                image.pending = False
                image.summary = self.tr("web link: sent to Novita as it is")
            else:
                run_in_background(partial(_inspect, item.source), lambda found: self._inspected(*found), owner=self)
        notes = []
        rows: dict[tuple[str, int], ChosenImage] = {}
        for file_name, problem in problems:
            if problem.row is None:
                notes.append(str(problem))
                continue
            # A batch-file row that gave no image: a line of its own, invalid, with all its problems.
            key = (file_name, problem.row)
            if key not in rows:
                label = self.tr("{file} row {row}").format(file=file_name or self.tr("batch file"), row=problem.row)
                rows[key] = ChosenImage(f"{file_name}#row{problem.row}", pending=False, row_label=label)
                self.images.append(rows[key])
            rows[key].problems.append(
                self.tr("column {column}: {message}").format(column=problem.column, message=problem.message)
                if problem.column else problem.message)
        self._set_notes(notes)
        self._sync()

    # -- removing ------------------------------------------------------------------------------------

    def remove_selected(self) -> None:
        rows = sorted((self.list.row(item) for item in self.list.selectedItems()), reverse=True)
        for row in rows:
            self.images.pop(row)
        self._sync()

    def remove_invalid(self) -> None:
        """Take out every image that cannot be sent (checked and found wrong, or a bad batch row)."""
        self.images = [image for image in self.images if image.pending or not (image.problems or image.row_label)]
        self._sync()

    def clear(self) -> None:
        self.images.clear()
        self._set_notes([])
        self.subfolder_offer.hide()
        self._offered_folders = []
        self._sync()

    # -- what the window asks --------------------------------------------------------------------------

    def orders(self, form_settings: VideoSettings, takes: int) -> list[ImageOrder]:
        """One order per valid image, each with its own settings over the form's and `takes` takes."""
        takes = min(MAX_TAKES, max(1, int(takes)))
        return [ImageOrder(image.source, image.settings_over(form_settings), takes, image.parent_id,
                           image.relation)
                for image in self.images if image.valid]

    def invalid_count(self) -> int:
        """Images that cannot be sent: found wrong when checked, or batch rows that gave no image."""
        return sum(1 for image in self.images if image.problems or image.row_label)

    def pending_count(self) -> int:
        """Images still being checked, plus folders and batch files still being read."""
        return sum(1 for image in self.images if image.pending) + len(self._reading)

    def thumbnails(self) -> dict[str, bytes]:
        return {i.source: i.thumbnail_png for i in self.images if i.thumbnail_png}

    def problems(self) -> list[str]:
        words = [self.tr("Reading {name}…").format(name=name) for name in self._reading]
        for image in self.images:
            if image.pending:
                words.append(self.tr("Checking {name}…").format(name=image.name))
            words.extend(f"{image.name}: {problem}." for problem in image.problems)
        return words

    def save_batch_csv(self, path: Path, form_settings: VideoSettings | None = None) -> int:
        """Write the images (not the bad batch rows) with their whole settings as a batch file;
        returns how many rows were written. Raises OSError when it cannot be written."""
        form = form_settings if form_settings is not None else self.form_settings()
        rows = [(image.source, image.settings_over(form)) for image in self.images if not image.row_label]
        write_batch_csv(path, rows)
        return len(rows)

    # -- inside ----------------------------------------------------------------------------------------

    def _inspected(self, source: str, summary: str, problems: list[str], thumbnail: bytes) -> None:
        for image in self.images:
            if image.source == source:
                image.pending, image.summary, image.problems = False, summary, problems
                image.thumbnail_png = thumbnail or None
        self._sync()

    def _selected_image(self) -> ChosenImage | None:
        rows = [self.list.row(item) for item in self.list.selectedItems()]
        if len(rows) != 1 or not 0 <= rows[0] < len(self.images):
            return None
        image = self.images[rows[0]]
        return None if image.row_label else image

    def _selection_changed(self) -> None:
        image = self._selected_image()
        self.editor.setVisible(image is not None)
        if image is not None and image is not self._editing:  # not while typing when a check comes back
            self.editor.setTitle(self.tr("This image: {name}").format(name=image.name))
            self.editor.load(image.prompt, image.overrides)
        self._editing = image

    def _edited(self) -> None:
        image = self._selected_image()
        if image is None:
            return
        image.prompt, image.overrides = self.editor.values()
        item = self.list.item(self.images.index(image))
        if item is not None:
            self._show(item, image)
        self.changed.emit()

    def _set_notes(self, notes: list[str]) -> None:
        shown = notes[:MAX_NOTES]
        if len(notes) > MAX_NOTES:
            shown.append(self.tr("… not shown: {count} more.").format(count=len(notes) - MAX_NOTES))
        self.notes.setText("\n".join(f"⚠ {note}" for note in shown))
        self.notes.setVisible(bool(shown))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """The list got wider or narrower: elide the names again for its new width."""
        if (watched is self.list.viewport() and event.type() == QEvent.Type.Resize
                and self.list.viewport().width() != self._shown_width):
            self._shown_width = self.list.viewport().width()
            self.form_changed()
        return super().eventFilter(watched, event)

    def form_changed(self) -> None:
        """Show each image's lines again (its own settings are told against the form's)."""
        for row, image in enumerate(self.images):
            item = self.list.item(row)
            if item is not None:
                self._show(item, image)

    def _name_width(self) -> int:
        """Pixels a line of text has beside the thumbnail."""
        return max(60, self.list.viewport().width() - self.list.iconSize().width() - NAME_MARGIN_PX)

    def _show(self, item: QListWidgetItem, image: ChosenImage) -> None:
        """An image's line: its name, what helps to know about it, its own values, every problem."""
        lines = [self.list.fontMetrics().elidedText(image.name, Qt.TextElideMode.ElideMiddle, self._name_width())]
        if image.pending:
            lines.append(self.tr("checking…"))
        elif image.summary:
            lines.append(image.summary)
        if image.prompt is not None:
            lines.append(self.tr("✎ Own prompt: “{prompt}”").format(prompt=_short(image.prompt)))
        if image.overrides:
            form = self.form_settings()
            own = _own_summary(image.settings_over(form), form)
            if own:  # the same as the form's: nothing of its own to say
                lines.append(self.tr("⚙ Own settings: {summary}").format(summary=own))
        lines += [f"⚠ {problem}" for problem in image.problems]
        item.setText("\n".join(line for line in lines if line))
        tip = [image.source if not image.row_label else image.name]
        if image.origin:
            tip.append(self.tr("Own values from {origin}").format(origin=image.origin))
        if image.prompt is not None:
            tip.append(self.tr("Prompt: {prompt}").format(prompt=image.prompt[:500]))
        tip += [f"⚠ {problem}" for problem in image.problems]
        item.setToolTip("\n".join(tip))
        # No colour of its own otherwise: the palette's text follows the light or dark scheme live.
        if image.problems or image.row_label:
            item.setForeground(Qt.GlobalColor.red)

    def _sync(self) -> None:
        selected = {self.list.row(item) for item in self.list.selectedItems()}
        chosen = {id(self.images[row]) for row in selected if 0 <= row < len(self.images)} \
            if len(self.images) == self.list.count() else set()
        self.list.blockSignals(True)
        self.list.clear()
        for image in self.images:
            item = QListWidgetItem()
            self._show(item, image)
            pixmap = QPixmap()
            if image.thumbnail_png and pixmap.loadFromData(image.thumbnail_png):
                item.setIcon(QIcon(pixmap))
            else:
                kind = QStyle.StandardPixmap.SP_DriveNetIcon if is_web_url(image.source) else \
                    QStyle.StandardPixmap.SP_MessageBoxWarning if image.row_label else QStyle.StandardPixmap.SP_FileIcon
                item.setIcon(self.style().standardIcon(kind))
            self.list.addItem(item)
            item.setSelected(id(image) in chosen)
        self.list.blockSignals(False)
        self._selection_changed()
        empty = not self.images and not self._reading
        self.hint.setVisible(empty)
        self.list.setVisible(bool(self.images))
        self.tools.setVisible(not empty)
        invalid = self.invalid_count()
        self.remove_invalid_button.setText(self.tr("Remove invalid ({count})").format(count=invalid))
        self.remove_invalid_button.setAccessibleName(self.remove_invalid_button.text())
        self.remove_invalid_button.setVisible(invalid > 0)
        self.clear_button.setEnabled(bool(self.images))
        self.count_label.setText(self._count_words())
        self.changed.emit()

    def _count_words(self) -> str:
        words = []
        valid = sum(1 for image in self.images if image.valid)
        if self.images:
            words.append(self.tr("Ready: {count}").format(count=valid))
        if self.invalid_count():
            words.append(self.tr("With problems: {count}").format(count=self.invalid_count()))
        if self.pending_count():
            words.append(self.tr("Being checked: {count}").format(count=self.pending_count()))
        return " · ".join(words)


def _short(text: str, limit: int = 60) -> str:
    one_line = " ".join(text.split())
    return one_line if len(one_line) <= limit else one_line[:limit - 1] + "…"


def _own_summary(own: VideoSettings, form: VideoSettings) -> str:
    """What an image sets differently from the form, in the words of VideoSettings.summary()
    (a switch turned off where the form has it on says so in words of its own); "" when nothing differs."""
    form_parts = form.summary().split(" · ")
    parts = [part for part in own.summary().split(" · ") if part not in form_parts]
    if own.audio is True and form.audio is True and form.is_rec is True and own.is_rec is not True:
        parts.append(translate("ImagePanel", "sound free of motion"))
    if form.off_peak is True and own.off_peak is not True:
        parts.append(translate("ImagePanel", "at once"))
    return " · ".join(parts)


def sources_from_urls(urls: list[QUrl]) -> list[str]:
    """Local files as paths, web links as they are; anything else is ignored."""
    sources = []
    for url in urls:
        if url.isLocalFile():
            sources.append(url.toLocalFile())
        elif url.scheme() in ("http", "https"):
            sources.append(url.toString())
    return sources
