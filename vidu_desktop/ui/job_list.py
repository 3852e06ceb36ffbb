"""The job list: a model over the job store (lazy thumbnails) and a view with moving progress."""

from __future__ import annotations

import time

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QPixmap
from PySide6.QtWidgets import (QAbstractItemView, QApplication, QHeaderView, QStyle, QStyledItemDelegate,
                               QStyleOptionProgressBar, QStyleOptionViewItem, QTreeView)

from ..core.jobs import Job, JobState, JobStore
from ..core.request import VideoRequest
from .player import format_time

THUMB = 48
STATE_WORDS = {
    JobState.SUBMITTING: "Submitting…",
    JobState.UNCERTAIN: "Sent? Unknown — check, then Retry",
    JobState.QUEUED: "Queued",
    JobState.PROCESSING: "Processing",
    JobState.DOWNLOADING: "Downloading",
    JobState.DONE: "Done",
    JobState.FAILED: "Failed",
}
ProgressRole = Qt.ItemDataRole.UserRole + 1
JobIdRole = Qt.ItemDataRole.UserRole + 2


def state_text(job: Job) -> str:
    words = STATE_WORDS[job.state]
    if job.state in (JobState.PROCESSING, JobState.DOWNLOADING) and job.progress is not None:
        words += f" {job.progress:.0f}%"
    if job.state in (JobState.QUEUED, JobState.PROCESSING) and job.eta_s:
        words += f" · {format_duration(job.eta_s)} left"
    if job.state is JobState.FAILED and job.error:
        words += f": {job.error}"
    return words


def format_duration(seconds: float) -> str:
    return format_time(int(seconds * 1000))


class JobTableModel(QAbstractTableModel):
    COLUMNS = ("Job", "State", "Time")

    def __init__(self, store: JobStore, parent=None) -> None:
        super().__init__(parent)
        self.store = store
        self._states: list[JobState] | None = None
        self._search = ""
        self._ids: list[int] = store.ids()
        self._jobs: dict[int, Job] = {}
        self._thumbs: dict[int, QPixmap | None] = {}
        self._ticker = QTimer(self)  # elapsed time of running jobs moves every second
        self._ticker.timeout.connect(self._tick)
        self._ticker.start(1000)

    def rowCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._ids)

    def columnCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.COLUMNS)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.COLUMNS[section]
        return None

    def job_at(self, row: int) -> Job | None:
        if not 0 <= row < len(self._ids):
            return None
        job_id = self._ids[row]
        if job_id not in self._jobs:  # loaded on first view: 10,000 rows cost nothing up front
            job = self.store.get(job_id)
            if job is None:
                return None
            self._jobs[job_id] = job
        return self._jobs[job_id]

    def data(self, index: QModelIndex, role=Qt.ItemDataRole.DisplayRole):
        job = self.job_at(index.row())
        if job is None:
            return None
        column = index.column()
        if role == JobIdRole:
            return job.id
        if role == Qt.ItemDataRole.DisplayRole:
            if column == 0:
                prompt = " ".join(job.params.get("prompt", "").split())
                return (prompt[:80] + "…" if len(prompt) > 80 else prompt) or "(no prompt)"
            if column == 1:
                return state_text(job)
            if column == 2:
                end = job.updated_at if job.state.finished or job.state is JobState.UNCERTAIN else time.time()
                return format_duration(end - job.created_at)
        if role == Qt.ItemDataRole.DecorationRole and column == 0:
            return self._thumbnail(job.id)
        if role == Qt.ItemDataRole.ToolTipRole:
            params = VideoRequest(**{k: v for k, v in job.params.items()
                                     if k in VideoRequest.__dataclass_fields__})
            lines = [f"Prompt: {job.params.get('prompt') or '(none)'}", params.summary(),
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
        if role == ProgressRole and column == 1:
            if job.state in (JobState.PROCESSING, JobState.DOWNLOADING, JobState.QUEUED):
                return job.progress if job.progress is not None else -1
        if role == Qt.ItemDataRole.ForegroundRole and column == 1 and job.state in (
                JobState.FAILED, JobState.UNCERTAIN):
            return QColor(220, 60, 50)
        return None

    def _thumbnail(self, job_id: int) -> QPixmap | None:
        if job_id not in self._thumbs:
            data = self.store.thumbnail(job_id)
            pixmap = QPixmap()
            if data and pixmap.loadFromData(data):
                pixmap = pixmap.scaled(THUMB, THUMB, Qt.AspectRatioMode.KeepAspectRatio,
                                       Qt.TransformationMode.SmoothTransformation)
                self._thumbs[job_id] = pixmap
            else:
                self._thumbs[job_id] = None
        return self._thumbs[job_id]

    def set_filter(self, states: list[JobState] | None, search: str) -> None:
        """Show only jobs in these states whose prompt contains `search` (None: every state)."""
        self.beginResetModel()
        self._states, self._search = states, search.strip()
        self._ids = self.store.ids(states, self._search)
        self._jobs.clear()
        self.endResetModel()

    def _matches(self, job: Job) -> bool:
        if self._states is not None and job.state not in self._states:
            return False
        return self._search.casefold() in job.params.get("prompt", "").casefold()

    def refresh_job(self, job_id: int) -> None:
        job = self.store.get(job_id)
        if job is None:
            self.remove_job(job_id)
            return
        if job_id not in self._ids:
            if not self._matches(job):
                return
            self.beginInsertRows(QModelIndex(), 0, 0)
            self._ids.insert(0, job_id)
            self._jobs[job_id] = job
            self.endInsertRows()
            return
        self._jobs[job_id] = job
        if self._thumbs.get(job_id) is None:  # thumbnails only ever arrive, never change
            self._thumbs.pop(job_id, None)
        row = self._ids.index(job_id)
        self.dataChanged.emit(self.index(row, 0), self.index(row, len(self.COLUMNS) - 1))

    def remove_job(self, job_id: int) -> None:
        if job_id in self._ids:
            row = self._ids.index(job_id)
            self.beginRemoveRows(QModelIndex(), row, row)
            self._ids.pop(row)
            self._jobs.pop(job_id, None)
            self._thumbs.pop(job_id, None)
            self.endRemoveRows()

    def row_of(self, job_id: int) -> int:
        return self._ids.index(job_id) if job_id in self._ids else -1

    def _tick(self) -> None:
        for row, job_id in enumerate(self._ids[:200]):  # only recent rows can be running
            job = self._jobs.get(job_id)
            if job and not job.state.finished and job.state is not JobState.UNCERTAIN:
                self.dataChanged.emit(self.index(row, 2), self.index(row, 2))


class _ProgressDelegate(QStyledItemDelegate):
    """State column: a progress bar under the words while a job runs (busy bar without a percent)."""

    def paint(self, painter, option: QStyleOptionViewItem, index: QModelIndex) -> None:
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
        style = option.widget.style() if option.widget else QApplication.style()
        style.drawControl(QStyle.ControlElement.CE_ProgressBar, bar, painter, option.widget)


class JobListView(QTreeView):
    playRequested = Signal(int)

    def __init__(self, model: JobTableModel, parent=None) -> None:
        super().__init__(parent)
        self.setModel(model)
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
        self.doubleClicked.connect(lambda index: self.playRequested.emit(index.data(JobIdRole)))

    def selected_job_ids(self) -> list[int]:
        return [index.data(JobIdRole) for index in self.selectionModel().selectedRows()]

    def keyPressEvent(self, event) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.currentIndex().isValid():
            self.playRequested.emit(self.currentIndex().data(JobIdRole))
            return
        super().keyPressEvent(event)
