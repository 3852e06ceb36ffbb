"""The job list: a model of job snapshots (thumbnails asked for when shown) and a view with moving progress."""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Iterable
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSize,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QColor, QImage, QKeyEvent, QPainter, QPixmap
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QHeaderView,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionProgressBar,
    QStyleOptionViewItem,
    QTreeView,
    QWidget,
)

from ..core.job import Job
from ..core.lifecycle import JobState
from .player import format_time

THUMB = 48
MAX_SHOWN_S = 100 * 3600.0  # beyond this a duration is shown as "100:00:00+"
STATE_WORDS = {
    JobState.WAITING: "Waiting",
    JobState.SUBMITTING: "Submitting…",
    JobState.UNCERTAIN: "Sent? Unknown — check, then Retry",
    JobState.QUEUED: "Queued",
    JobState.PROCESSING: "Processing",
    JobState.DOWNLOADING: "Downloading",
    JobState.DONE: "Done",
    JobState.FAILED: "Failed",
    JobState.CANCELLED: "Cancelled",
}
PAGE_SIZE = 100  # rows asked for at a time: a screenful and then some
ProgressRole = Qt.ItemDataRole.UserRole + 1
JobIdRole = Qt.ItemDataRole.UserRole + 2


def state_text(job: Job, now: float | None = None) -> str:
    words = STATE_WORDS[job.state]
    if job.state in (JobState.PROCESSING, JobState.DOWNLOADING) and job.progress is not None:
        words += f" {min(100.0, max(0.0, job.progress)):.0f}%"
    if job.state is JobState.SUBMITTING and job.error_kind == "RateLimited" and job.eta_s:
        left = job.eta_s - ((now or time.time()) - job.updated_at)
        words += f" · Novita asked to wait: again in {format_duration(left)}" if left > 0 else ""
    if job.state in (JobState.QUEUED, JobState.PROCESSING) and job.eta_s:
        # The estimate counts down between polls: it was true at updated_at.
        left = job.eta_s - ((now or time.time()) - job.updated_at)
        words += f" · {format_duration(left)} left" if left > 0 else " · any moment"
    if job.state is JobState.FAILED and job.error:
        words += f": {job.error}"
    return words


def format_duration(seconds: float) -> str:
    """Total over every float: NaN, negatives, 1e308 and infinity all give something to show."""
    if math.isnan(seconds) or seconds <= 0:
        return format_time(0)
    if seconds > MAX_SHOWN_S:
        return format_time(int(MAX_SHOWN_S * 1000)) + "+"
    return format_time(int(seconds * 1000))


def matches(job: Job, states: frozenset[JobState] | None, search: str) -> bool:
    """The job list's filter: exact states, and text in the prompt, file name, state or task id."""
    if states is not None and job.state not in states:
        return False
    if not search:
        return True
    needle = search.casefold()
    haystack = (job.settings.prompt, job.image_source.rsplit("/", 1)[-1], job.state.value,
                STATE_WORDS[job.state], job.task_id or "")
    return any(needle in text.casefold() for text in haystack)


def _newest_first(job: Job) -> tuple[float, int]:
    return (-job.created_at, -(job.id or 0))


class JobTableModel(QAbstractTableModel):
    """Job snapshots from the session, kept here: painting never waits on anything."""

    COLUMNS = ("Job", "State", "Time")

    def __init__(self, request_page: Callable[[int, list[JobState] | None, str, int, int], None],
                 request_thumbnail: Callable[[int], None], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._request_page = request_page
        self._request_thumbnail = request_thumbnail
        self._token = 0  # which filter a page was asked for
        self._has_more = False  # nothing asked yet: reload() once the job list is open
        self._fetching = False
        self._states: frozenset[JobState] | None = None
        self._search = ""
        self._jobs: dict[int, Job] = {}
        self._ids: list[int] = []  # the shown rows, newest first
        self._thumbs: dict[int, QPixmap | None] = {}  # None: asked for, not here (yet)
        self._ticker = QTimer(self)  # running jobs' times and countdowns move every second
        self._ticker.timeout.connect(self._tick)
        self._ticker.start(1000)

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._ids)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.COLUMNS[section]
        return None

    def job_at(self, row: int) -> Job | None:
        return self._jobs.get(self._ids[row]) if 0 <= row < len(self._ids) else None

    def job(self, job_id: int) -> Job | None:
        return self._jobs.get(job_id)

    def jobs(self) -> list[Job]:
        return list(self._jobs.values())

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        job = self.job_at(index.row())
        if job is None:
            return None
        column = index.column()
        if role == JobIdRole:
            return job.id
        if role == Qt.ItemDataRole.DisplayRole:
            if column == 0:
                prompt = " ".join(job.settings.prompt.split())
                return (prompt[:80] + "…" if len(prompt) > 80 else prompt) or "(no prompt)"
            if column == 1:
                return state_text(job)
            if column == 2:
                end = time.time() if job.state.running else job.updated_at
                return format_duration(end - job.created_at)
        if role == Qt.ItemDataRole.DecorationRole and column == 0:
            return self._thumbnail(job.id or 0)
        if role == Qt.ItemDataRole.ToolTipRole:
            return tooltip(job)
        if role == ProgressRole and column == 1 and job.state in (
                JobState.PROCESSING, JobState.DOWNLOADING, JobState.QUEUED):
            return min(100.0, max(0.0, job.progress)) if job.progress is not None else -1
        if role == Qt.ItemDataRole.ForegroundRole and column == 1 and job.state in (
                JobState.FAILED, JobState.UNCERTAIN):
            return QColor(220, 60, 50)
        return None

    def _thumbnail(self, job_id: int) -> QPixmap | None:
        if job_id not in self._thumbs:
            self._thumbs[job_id] = None
            self._request_thumbnail(job_id)
        return self._thumbs[job_id]

    def set_thumbnail(self, job_id: int, image: QImage) -> None:
        self._thumbs[job_id] = QPixmap.fromImage(image) if not image.isNull() else None
        self._changed(job_id, 0, 0)

    # -- snapshots in ---------------------------------------------------------------------

    def reload(self) -> None:
        """Ask again for the first page of the current filter (at start, or after a fresh list)."""
        self.set_filter(self._states, self._search)

    def fetch_next(self) -> None:
        """Ask for the next page, unless one is on its way or there is none. (Not Qt's
        fetchMore: the view calls that for as long as rows lack a size, which is all history.)"""
        if self._has_more and not self._fetching:
            self._fetching = True
            self._request_page(self._token, sorted(self._states) if self._states is not None else None,
                               self._search, len(self._ids), PAGE_SIZE)

    def add_page(self, token: int, jobs: Iterable[Job], more: bool) -> None:
        """The next page of history for the current filter, newest first."""
        if token != self._token:
            return  # asked for under a filter that has changed since
        self._fetching, self._has_more = False, more
        fresh = []
        for job in jobs:
            job_id = job.id or 0
            known = self._jobs.get(job_id)
            if known is None or known.updated_at < job.updated_at:
                self._jobs[job_id] = job
            if job_id not in self._ids:
                fresh.append(job_id)
        if fresh:
            self.beginInsertRows(QModelIndex(), len(self._ids), len(self._ids) + len(fresh) - 1)
            self._ids.extend(fresh)
            self.endInsertRows()

    def update_job(self, job: Job) -> None:
        job_id = job.id or 0
        known = job_id in self._jobs
        self._jobs[job_id] = job
        shown = job_id in self._ids
        wanted = matches(job, self._states, self._search)
        if shown and wanted:
            self._changed(job_id, 0, len(self.COLUMNS) - 1)
        elif shown:
            self._remove_row(job_id)
        elif wanted:
            row = 0 if not known else self._row_for(job)
            if row == len(self._ids) and self._has_more:
                return  # older than what is shown: it comes with a later page
            self.beginInsertRows(QModelIndex(), row, row)
            self._ids.insert(row, job_id)
            self.endInsertRows()

    def remove_job(self, job_id: int) -> None:
        self._jobs.pop(job_id, None)
        self._thumbs.pop(job_id, None)
        self._remove_row(job_id)

    def _row_for(self, job: Job) -> int:
        key = _newest_first(job)
        return next((row for row, other in enumerate(self._ids)
                     if _newest_first(self._jobs[other]) > key), len(self._ids))

    def _remove_row(self, job_id: int) -> None:
        if job_id in self._ids:
            row = self._ids.index(job_id)
            self.beginRemoveRows(QModelIndex(), row, row)
            self._ids.pop(row)
            self.endRemoveRows()

    def set_filter(self, states: Iterable[JobState] | None, search: str) -> None:
        """Show only jobs in these states that match `search` (None: every state); the rows
        come page by page from the session, the first one right away."""
        self._states = frozenset(states) if states is not None else None
        self._search = search.strip()
        self.beginResetModel()
        self._ids = []
        self._token += 1
        self._has_more, self._fetching = True, False
        self.endResetModel()
        self.fetch_next()

    def row_of(self, job_id: int) -> int:
        return self._ids.index(job_id) if job_id in self._ids else -1

    def _changed(self, job_id: int, first: int, last: int) -> None:
        row = self.row_of(job_id)
        if row >= 0:
            self.dataChanged.emit(self.index(row, first), self.index(row, last))

    def _tick(self) -> None:
        for row, job_id in enumerate(self._ids[:200]):  # only recent rows can be running
            job = self._jobs.get(job_id)
            if job and job.state.running:
                self.dataChanged.emit(self.index(row, 1), self.index(row, 2))


def tooltip(job: Job) -> str:
    lines = [f"Prompt: {job.settings.prompt or '(none)'}", job.settings.summary(),
             f"Image: {job.image_source}"]
    if job.image_note:
        lines.append(f"Image was {job.image_note}")
    if job.seed:
        lines.append(f"Seed used: {job.seed}")
    if job.task_id:
        lines.append(f"Task id: {job.task_id}")
    if job.error:
        lines.append(job.error)
    if job.video_path:
        lines.append(f"Video: {job.video_path}")
    return "\n".join(lines)


class _ProgressDelegate(QStyledItemDelegate):
    """State column: a progress bar under the words while a job runs (busy bar without a percent)."""

    def paint(self, painter: QPainter, option: QStyleOptionViewItem,
              index: QModelIndex | QPersistentModelIndex) -> None:
        progress = index.data(ProgressRole)
        if progress is None:
            return super().paint(painter, option, index)
        bar = QStyleOptionProgressBar()
        height = min(22, option.rect.height() - 4)  # a slim bar centred in the tall row
        bar.rect = option.rect.adjusted(2, 0, -4, 0)
        bar.rect.setTop(option.rect.center().y() - height // 2)
        bar.rect.setHeight(height)
        bar.minimum, bar.maximum = (0, 100) if progress >= 0 else (0, 0)
        bar.progress = int(progress) if progress >= 0 else 0
        bar.text = index.data(Qt.ItemDataRole.DisplayRole)
        bar.textVisible = True
        bar.state = option.state | QStyle.StateFlag.State_Horizontal
        widget: QWidget | None = option.widget  # None when painted outside a view
        style = widget.style() if widget is not None else QApplication.style()
        style.drawControl(QStyle.ControlElement.CE_ProgressBar, bar, painter, option.widget)


class JobListView(QTreeView):
    playRequested = Signal(int)

    def __init__(self, model: JobTableModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setModel(model)
        self._jobs_model = model
        self.setRootIsDecorated(False)
        self.setUniformRowHeights(True)
        self.setIconSize(QSize(THUMB, THUMB))
        self.setAlternatingRowColors(True)
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setItemDelegateForColumn(1, _ProgressDelegate(self))
        header = self.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Interactive)
        # Fixed widths: sizing a column to its contents reads every row (all of history).
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Fixed)
        header.resizeSection(2, self.fontMetrics().horizontalAdvance("00:00:00") + 16)
        header.resizeSection(1, 260)
        self.setAccessibleName("Jobs")
        bar = self.verticalScrollBar()
        bar.valueChanged.connect(self._near_the_end)
        bar.rangeChanged.connect(self._near_the_end)
        self.doubleClicked.connect(lambda index: self.playRequested.emit(index.data(JobIdRole)))

    def _near_the_end(self, *_: int) -> None:
        bar = self.verticalScrollBar()
        if bar.value() >= bar.maximum() - bar.pageStep():
            self._jobs_model.fetch_next()

    def selected_job_ids(self) -> list[int]:
        return [index.data(JobIdRole) for index in self.selectionModel().selectedRows()]

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.currentIndex().isValid():
            self.playRequested.emit(self.currentIndex().data(JobIdRole))
            return
        super().keyPressEvent(event)
