"""The job list: a model of job snapshots (thumbnails asked for when shown) and a view with moving progress.

Each row has the same height whatever its thumbnail: the first column paints a fixed-size
thumbnail, the file name, the prompt (elided) and the settings in one line; then the state in
a few words and the time. The whole error is in the tooltip and the details pane.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Iterable
from typing import Any

from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QAbstractTableModel,
    QByteArray,
    QCoreApplication,
    QMimeData,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QRect,
    QSize,
    Qt,
    QTimer,
    QUrl,
    Signal,
)
from PySide6.QtGui import QColor, QFont, QImage, QKeyEvent, QKeySequence, QPainter, QPaintEvent, QPixmap
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

from ..core import library
from ..core.job import Job
from ..core.lifecycle import JobState
from .player import format_time

THUMB = 56  # the thumbnail's box, whatever the image's shape
ROW_HEIGHT = THUMB + 8
MAX_SHOWN_S = 100 * 3600.0  # beyond this a duration is shown as "100:00:00+"
CONTEXT = "JobList"
# Marked for lupdate; translated where shown (QCoreApplication.translate(CONTEXT, …)).
STATE_WORDS = {
    JobState.WAITING: QT_TRANSLATE_NOOP("JobList", "Waiting"),
    JobState.SUBMITTING: QT_TRANSLATE_NOOP("JobList", "Submitting…"),
    JobState.UNCERTAIN: QT_TRANSLATE_NOOP("JobList", "Sent? Unknown — check, then Retry"),
    JobState.QUEUED: QT_TRANSLATE_NOOP("JobList", "Queued"),
    JobState.PROCESSING: QT_TRANSLATE_NOOP("JobList", "Processing"),
    JobState.DOWNLOADING: QT_TRANSLATE_NOOP("JobList", "Downloading"),
    JobState.DONE: QT_TRANSLATE_NOOP("JobList", "Done"),
    JobState.FAILED: QT_TRANSLATE_NOOP("JobList", "Failed"),
    JobState.CANCELLED: QT_TRANSLATE_NOOP("JobList", "Cancelled"),
}
SHORT_ERROR_CHARS = 60
PAGE_SIZE = 100  # rows asked for at a time: a screenful and then some
ProgressRole = Qt.ItemDataRole.UserRole + 1
JobIdRole = Qt.ItemDataRole.UserRole + 2
JOB_IDS_MIME = "application/x-vidu-job-ids"  # rows dragged inside the list (reordering the queue)
COL_JOB, COL_STATE, COL_TIME = 0, 1, 2


def _tr(text: object) -> str:
    """A string marked with QT_TRANSLATE_NOOP(CONTEXT, …) (typed `object` by the stubs), translated."""
    return QCoreApplication.translate(CONTEXT, str(text))


def state_word(state: JobState) -> str:
    return _tr(STATE_WORDS[state])


def state_text(job: Job, now: float | None = None, place: int | None = None) -> str:
    """The state in a few words for the row: progress and countdowns, never the whole error.
    `place`: a waiting job's place in the queue (1: sent next)."""
    words = state_word(job.state)
    if job.state is JobState.WAITING and place:
        words += QCoreApplication.translate("JobList", " · #{place}").format(place=place)
    if job.state in (JobState.PROCESSING, JobState.DOWNLOADING) and job.progress is not None:
        words += f" {min(100.0, max(0.0, job.progress)):.0f}%"
    if job.state in (JobState.WAITING, JobState.SUBMITTING) and job.error_kind == "RateLimited" and job.eta_s:
        left = job.eta_s - ((now or time.time()) - job.updated_at)
        if left > 0:
            words += QCoreApplication.translate("JobList", " · Novita asked to wait: again in {left}").format(
                left=format_duration(left))
    if job.state in (JobState.QUEUED, JobState.PROCESSING) and job.eta_s:
        # The estimate counts down between polls: it was true at updated_at.
        left = job.eta_s - ((now or time.time()) - job.updated_at)
        words += (QCoreApplication.translate("JobList", " · {left} left").format(left=format_duration(left)) if left > 0
                  else QCoreApplication.translate("JobList", " · any moment"))
    if job.state is JobState.FAILED and job.error:
        # The colon is the language's own (Chinese writes a full-width one).
        words = QCoreApplication.translate("JobList", "{state}: {error}").format(state=words,
                                                                                error=short_error(job.error))
    return words


def short_error(error: str, limit: int = SHORT_ERROR_CHARS) -> str:
    """The error's first sentence, cut to `limit` characters: the whole text is in the tooltip
    and the details pane."""
    text = one_line(error)
    first = text.split(". ", 1)[0].rstrip(".")
    return first if len(first) <= limit else first[:limit - 1].rstrip() + "…"


def format_duration(seconds: float) -> str:
    """Total over every float: NaN, negatives, 1e308 and infinity all give something to show."""
    if math.isnan(seconds) or seconds <= 0:
        return format_time(0)
    if seconds > MAX_SHOWN_S:
        return format_time(int(MAX_SHOWN_S * 1000)) + "+"
    return format_time(int(seconds * 1000))


def format_when(at: float, now: float | None = None) -> str:
    """"15:30" today, "24 Nov 15:30" this year, else "2025-11-24"; total over any float."""
    try:
        moment, today = time.localtime(at), time.localtime(now or time.time())
    except (OverflowError, OSError, ValueError):
        return "?"
    if moment[:3] == today[:3]:
        return time.strftime("%H:%M", moment)
    if moment.tm_year == today.tm_year:
        return time.strftime("%d %b %H:%M", moment)
    return time.strftime("%Y-%m-%d", moment)


def source_name(job: Job) -> str:
    """The file name of the job's image, or the end of its link (core.library's reading)."""
    return library.source_name(job.image_source) or QCoreApplication.translate("JobList", "(no image)")


def one_line(text: str) -> str:
    return " ".join(text.split())


def matches(job: Job, states: frozenset[JobState] | None, search: str) -> bool:
    """The job list's filter: exact states, and text in the prompt, file name, state or task id."""
    if states is not None and job.state not in states:
        return False
    if not search:
        return True
    needle = search.casefold()
    haystack = (job.settings.prompt, source_name(job), job.state.value,
                str(STATE_WORDS[job.state]), state_word(job.state), job.task_id or "")
    return any(needle in text.casefold() for text in haystack)


def _newest_first(job: Job) -> tuple[float, int]:
    return (-job.created_at, -(job.id or 0))


class JobTableModel(QAbstractTableModel):
    """Job snapshots from the session, kept here: painting never waits on anything."""

    COLUMNS = (QT_TRANSLATE_NOOP("JobList", "Job"), QT_TRANSLATE_NOOP("JobList", "State"),
               QT_TRANSLATE_NOOP("JobList", "Time"))
    moveRequested = Signal(object, int)  # job ids, the id of the waiting job they go before

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
        self.playing_id = 0  # the job whose video is in the player
        self.ready_ids: set[int] = set()  # finished while another video played: offer "Play"
        self._places: dict[int, int] | None = None  # waiting job id -> place in the queue (None: to count)
        self._ticker = QTimer(self)  # running jobs' times and countdowns move every second
        self._ticker.timeout.connect(self._tick)
        self._ticker.start(1000)

    # -- Qt's model interface -------------------------------------------------------------

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._ids)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return _tr(self.COLUMNS[section])
        return None

    def job_at(self, row: int) -> Job | None:
        return self._jobs.get(self._ids[row]) if 0 <= row < len(self._ids) else None

    def job(self, job_id: int) -> Job | None:
        return self._jobs.get(job_id)

    def jobs(self) -> list[Job]:
        return list(self._jobs.values())

    def shown_ids(self) -> list[int]:
        return list(self._ids)

    @property
    def filtered(self) -> bool:
        return self._states is not None or bool(self._search)

    @property
    def search_text(self) -> str:
        return self._search

    @property
    def loading(self) -> bool:
        return self._fetching

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        job = self.job_at(index.row())
        if job is None:
            return None
        column = index.column()
        job_id = job.id or 0
        if role == JobIdRole:
            return job.id
        if role == Qt.ItemDataRole.SizeHintRole:
            return QSize(-1, ROW_HEIGHT)
        if role == Qt.ItemDataRole.DisplayRole:
            if column == COL_JOB:
                return ("▶ " if job_id == self.playing_id else "") + source_name(job)
            if column == COL_STATE:
                words = state_text(job, place=self.queue_place(job_id))
                if job_id == self.playing_id:
                    words += QCoreApplication.translate("JobList", " · playing")
                elif job_id == self.latest_ready():  # only the newest unseen one: a series is not 12 calls
                    words += QCoreApplication.translate("JobList", " · ready: Play")
                return words
            if column == COL_TIME:
                if job.state is JobState.WAITING:  # not started: no time has run yet
                    return ""
                if job.state.running:
                    return format_duration(time.time() - job.created_at)
                return format_when(job.created_at)
        if role == Qt.ItemDataRole.AccessibleTextRole:
            if column == COL_JOB:
                return f"{source_name(job)}. {one_line(job.settings.prompt)}. {job.settings.summary()}"
            return self.data(index, Qt.ItemDataRole.DisplayRole)
        if role == Qt.ItemDataRole.DecorationRole and column == COL_JOB:
            return self._thumbnail(job_id)
        if role == Qt.ItemDataRole.ToolTipRole:
            return tooltip(job)
        if role == Qt.ItemDataRole.FontRole and job_id == self.playing_id:
            font = QFont()
            font.setBold(True)
            return font
        if role == ProgressRole and column == COL_STATE and job.state in (
                JobState.PROCESSING, JobState.DOWNLOADING, JobState.QUEUED):
            # A queued job has not started, whatever percent the server says: busy, like its words.
            busy = job.progress is None or job.state is JobState.QUEUED
            return -1 if busy else min(100.0, max(0.0, job.progress or 0.0))
        if role == Qt.ItemDataRole.ForegroundRole and column == COL_STATE and job.state in (
                JobState.FAILED, JobState.UNCERTAIN):
            return QColor(220, 60, 50)
        return None

    def flags(self, index: QModelIndex | QPersistentModelIndex) -> Qt.ItemFlag:
        flags = super().flags(index)
        job = self.job_at(index.row()) if index.isValid() else None
        if job is not None and (job.video_path or job.state is JobState.WAITING):
            flags |= Qt.ItemFlag.ItemIsDragEnabled  # a video out to a file manager; a waiting job in the queue
        if job is not None and job.state is JobState.WAITING:
            flags |= Qt.ItemFlag.ItemIsDropEnabled
        return flags

    def mimeTypes(self) -> list[str]:
        return [JOB_IDS_MIME]  # what may be dropped here: files from outside go to the window

    def supportedDragActions(self) -> Qt.DropAction:
        return Qt.DropAction.CopyAction | Qt.DropAction.MoveAction

    def supportedDropActions(self) -> Qt.DropAction:
        return Qt.DropAction.MoveAction

    def mimeData(self, indexes: Iterable[QModelIndex]) -> QMimeData:
        """Finished videos as file URLs (a file manager or an editor takes them), and the
        dragged job ids (dropping on a waiting job moves waiting ones in the queue)."""
        ids = list(dict.fromkeys(index.data(JobIdRole) for index in indexes))
        jobs = [job for job in map(self._jobs.get, ids) if job is not None]
        mime = QMimeData()
        files = [QUrl.fromLocalFile(job.video_path) for job in jobs if job.video_path]
        if files:
            mime.setUrls(files)
        waiting = [job.id for job in jobs if job.state is JobState.WAITING and job.id]
        if waiting:
            mime.setData(JOB_IDS_MIME, QByteArray(",".join(map(str, waiting)).encode()))
        return mime

    def canDropMimeData(self, data: QMimeData, action: Qt.DropAction, row: int, column: int,
                        parent: QModelIndex | QPersistentModelIndex) -> bool:
        return data.hasFormat(JOB_IDS_MIME) and self._drop_target(row, parent) is not None

    def dropMimeData(self, data: QMimeData, action: Qt.DropAction, row: int, column: int,
                     parent: QModelIndex | QPersistentModelIndex) -> bool:
        target = self._drop_target(row, parent)
        raw = bytes(data.data(JOB_IDS_MIME).data()).decode("ascii", "replace")[:10_000]
        ids = [int(part) for part in raw.split(",") if part.isdigit() and len(part) < 12]
        if target is None or not ids or target in ids:
            return False
        self.moveRequested.emit(ids, target)
        return False  # the session moves them; the rows follow its jobChanged, not the drag

    def _drop_target(self, row: int, parent: QModelIndex | QPersistentModelIndex) -> int | None:
        job = self.job_at(parent.row() if parent.isValid() else row)
        return job.id if job is not None and job.state is JobState.WAITING else None

    # -- the queue ----------------------------------------------------------------------------

    def queue_place(self, job_id: int) -> int | None:
        """A waiting job's place in the queue (1: sent next), among the waiting jobs known here."""
        if self._places is None:
            waiting = sorted((job for job in self._jobs.values() if job.state is JobState.WAITING),
                             key=lambda job: (job.queue_position if job.queue_position is not None else 1 << 62,
                                              job.id or 0))
            self._places = {job.id or 0: place for place, job in enumerate(waiting, start=1)}
        return self._places.get(job_id)

    def _queue_changed(self) -> None:
        """Places move for every waiting row: say so for all of them."""
        self._places = None
        for row, job_id in enumerate(self._ids):
            job = self._jobs.get(job_id)
            if job is not None and job.state is JobState.WAITING:
                self.dataChanged.emit(self.index(row, COL_STATE), self.index(row, COL_STATE))

    # -- thumbnails -------------------------------------------------------------------------

    def _thumbnail(self, job_id: int) -> QPixmap | None:
        if job_id not in self._thumbs:
            self._thumbs[job_id] = None
            self._request_thumbnail(job_id)
        return self._thumbs[job_id]

    def set_thumbnail(self, job_id: int, image: QImage) -> None:
        self._thumbs[job_id] = QPixmap.fromImage(image) if not image.isNull() else None
        self._changed(job_id, 0, 0)

    # -- marks ------------------------------------------------------------------------------

    def set_playing(self, job_id: int) -> None:
        before, self.playing_id = self.playing_id, job_id
        self.ready_ids.discard(job_id)
        for changed in (before, job_id, self.latest_ready()):
            self._changed(changed, 0, len(self.COLUMNS) - 1)

    def mark_ready(self, job_id: int) -> None:
        before = self.latest_ready()
        self.ready_ids.add(job_id)
        for changed in (before, job_id):
            self._changed(changed, 0, len(self.COLUMNS) - 1)

    def latest_ready(self) -> int:
        """The most recent finished job not yet played (0: none): the one whose row offers "Play"."""
        return max(self.ready_ids, default=0)

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
        self._places = None
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
        else:
            self.layoutChanged.emit()  # the empty list's words change once the answer is in

    def update_job(self, job: Job) -> None:
        job_id = job.id or 0
        known = job_id in self._jobs
        before = self._jobs.get(job_id)
        self._jobs[job_id] = job
        if JobState.WAITING in (job.state, before.state if before else None) and (
                before is None or before.state is not job.state or before.queue_position != job.queue_position):
            self._queue_changed()
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
        gone = self._jobs.pop(job_id, None)
        if gone is not None and gone.state is JobState.WAITING:
            self._queue_changed()
        self._thumbs.pop(job_id, None)
        self.ready_ids.discard(job_id)
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
                self.dataChanged.emit(self.index(row, COL_STATE), self.index(row, COL_TIME))


def tooltip(job: Job) -> str:
    lines = [QCoreApplication.translate("JobList", "Image: {source}").format(source=job.image_source),
             QCoreApplication.translate("JobList", "Prompt: {prompt}").format(
                 prompt=job.settings.prompt or QCoreApplication.translate("JobList", "(none)")),
             job.settings.summary(), state_word(job.state)]
    if job.error:
        lines.append(job.error)
    if job.task_id:
        lines.append(QCoreApplication.translate("JobList", "Task id: {task}").format(task=job.task_id))
    if job.video_path:
        lines.append(QCoreApplication.translate("JobList", "Video: {path}").format(path=job.video_path))
    return "\n".join(lines)


class _JobDelegate(QStyledItemDelegate):
    """First column: the thumbnail in a fixed box, then three lines (file, prompt, settings)."""

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex) -> QSize:
        return QSize(super().sizeHint(option, index).width(), ROW_HEIGHT)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem,
              index: QModelIndex | QPersistentModelIndex) -> None:
        widget: QWidget | None = option.widget
        style = widget.style() if widget is not None else QApplication.style()
        background = QStyleOptionViewItem(option)
        self.initStyleOption(background, index)
        background.text, background.icon = "", background.icon.__class__()
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, background, painter, widget)
        model = index.model()
        job = model.job_at(index.row()) if isinstance(model, JobTableModel) else None
        if job is None:
            return
        rect = option.rect
        box = QRect(rect.left() + 4, rect.top() + (rect.height() - THUMB) // 2, THUMB, THUMB)
        painter.save()
        pixmap = index.data(Qt.ItemDataRole.DecorationRole)
        if isinstance(pixmap, QPixmap) and not pixmap.isNull():
            scaled = pixmap.scaled(box.size(), Qt.AspectRatioMode.KeepAspectRatio,
                                   Qt.TransformationMode.SmoothTransformation)
            painter.drawPixmap(box.left() + (THUMB - scaled.width()) // 2,
                               box.top() + (THUMB - scaled.height()) // 2, scaled)
        else:
            painter.fillRect(box, option.palette.alternateBase())
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        text_colour = option.palette.highlightedText() if selected else option.palette.text()
        dim_colour = text_colour if selected else option.palette.placeholderText()
        text_rect = rect.adjusted(THUMB + 12, 4, -4, -4)
        line = text_rect.height() // 3
        name_font = QFont(option.font)
        name_font.setBold(True)
        lines = ((name_font, text_colour, index.data(Qt.ItemDataRole.DisplayRole)),
                 (option.font, text_colour,
                  one_line(job.settings.prompt) or QCoreApplication.translate("JobList", "(no prompt)")),
                 (option.font, dim_colour, job.settings.summary()))
        for number, (font, brush, text) in enumerate(lines):
            painter.setFont(font)
            painter.setPen(brush.color())
            metrics = painter.fontMetrics()
            shown = metrics.elidedText(str(text), Qt.TextElideMode.ElideRight, text_rect.width())
            painter.drawText(QRect(text_rect.left(), text_rect.top() + number * line, text_rect.width(), line),
                             int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter), shown)
        painter.restore()


BUSY_STEPS = 6  # places along the bar the busy piece visits, there and back


def busy_piece(bar: QRect, now: float) -> QRect:
    """Where the busy piece is at `now` (seconds): a quarter of the bar, one place a second."""
    width = max(1, bar.width() // 4)
    phase = int(now) % (2 * BUSY_STEPS - 2)
    place = phase if phase < BUSY_STEPS else 2 * BUSY_STEPS - 2 - phase
    return QRect(bar.left() + place * (bar.width() - width) // (BUSY_STEPS - 1), bar.top(), width, bar.height())


class _ProgressDelegate(QStyledItemDelegate):
    """State column: the words, and under them a slim progress bar while a job runs (a busy bar
    without a percent). The bar carries no text of its own: words over a bar are hard to read."""

    def paint(self, painter: QPainter, option: QStyleOptionViewItem,
              index: QModelIndex | QPersistentModelIndex) -> None:
        progress = index.data(ProgressRole)
        if progress is None:
            return super().paint(painter, option, index)
        widget: QWidget | None = option.widget  # None when painted outside a view
        style = widget.style() if widget is not None else QApplication.style()
        background = QStyleOptionViewItem(option)
        self.initStyleOption(background, index)
        background.text = ""
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, background, painter, widget)
        rect = option.rect.adjusted(4, 0, -6, 0)
        line = option.fontMetrics.height()
        bar_height = 8
        top = rect.center().y() - (line + 4 + bar_height) // 2
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        painter.save()
        painter.setFont(option.font)
        painter.setPen(option.palette.highlightedText().color() if selected else option.palette.text().color())
        words = option.fontMetrics.elidedText(str(index.data(Qt.ItemDataRole.DisplayRole) or ""),
                                              Qt.TextElideMode.ElideRight, rect.width())
        painter.drawText(QRect(rect.left(), top, rect.width(), line),
                         int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter), words)
        painter.restore()
        bar = QStyleOptionProgressBar()
        bar.rect = QRect(rect.left(), top + line + 4, rect.width(), bar_height)
        bar.minimum, bar.maximum = 0, 100
        bar.progress = int(progress) if progress >= 0 else 0
        bar.textVisible = False
        bar.state = (option.state | QStyle.StateFlag.State_Horizontal) & ~QStyle.StateFlag.State_Selected
        bar.palette = option.palette
        style.drawControl(QStyle.ControlElement.CE_ProgressBar, bar, painter, widget)
        if progress < 0:
            # Busy, no percent: a piece that moves along the empty bar at every tick (running rows
            # are repainted each second). The style's own busy bar needs a QProgressBar widget
            # to move; drawn in a list it stands still and full, as if the job were done.
            painter.fillRect(busy_piece(bar.rect.adjusted(1, 1, -1, -1), time.monotonic()),
                             option.palette.highlight())


class JobListView(QTreeView):
    playRequested = Signal(int)
    deleteRequested = Signal()

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
        self.setItemDelegateForColumn(COL_JOB, _JobDelegate(self))
        self.setItemDelegateForColumn(COL_STATE, _ProgressDelegate(self))
        self.setDragEnabled(True)
        self.setAcceptDrops(True)
        self.setDropIndicatorShown(True)
        self.setDragDropMode(QAbstractItemView.DragDropMode.DragDrop)
        self.setDefaultDropAction(Qt.DropAction.MoveAction)
        header = self.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(COL_JOB, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(COL_STATE, QHeaderView.ResizeMode.Interactive)
        # Fixed widths: sizing a column to its contents reads every row (all of history).
        header.setSectionResizeMode(COL_TIME, QHeaderView.ResizeMode.Fixed)
        header.resizeSection(COL_TIME, self.fontMetrics().horizontalAdvance("00 Nov 00:00") + 16)
        header.resizeSection(COL_STATE, 220)
        self.setAccessibleName(self.tr("Jobs"))
        self.setToolTip(self.tr("Your jobs, newest first. Enter plays, Delete deletes, drag a video out "
                                "to a folder, drag waiting jobs to reorder the queue."))
        bar = self.verticalScrollBar()
        bar.valueChanged.connect(self._near_the_end)
        bar.rangeChanged.connect(self._near_the_end)
        self.doubleClicked.connect(lambda index: self.playRequested.emit(index.data(JobIdRole)))
        for signal in (model.modelReset, model.rowsInserted, model.rowsRemoved, model.layoutChanged):
            signal.connect(self.viewport().update)

    def _near_the_end(self, *_: int) -> None:
        bar = self.verticalScrollBar()
        if bar.value() >= bar.maximum() - bar.pageStep():
            self._jobs_model.fetch_next()

    def selected_job_ids(self) -> list[int]:
        return [index.data(JobIdRole) for index in self.selectionModel().selectedRows()]

    def empty_text(self) -> str:
        """What an empty list says (nothing when there are rows, or while the first page comes)."""
        model = self._jobs_model
        if model.rowCount() or model.loading:
            return ""
        if model.search_text:
            return self.tr("No job matches “{search}”").format(search=model.search_text)
        if model.filtered:
            return self.tr("No job in this state. Choose “All” in Show jobs to see every job.")
        return self.tr("No jobs yet: drop an image here, or open one with Ctrl+O")

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        words = self.empty_text()
        if words:
            painter = QPainter(self.viewport())
            painter.setPen(self.palette().placeholderText().color())
            painter.drawText(self.viewport().rect().adjusted(16, 16, -16, -16),
                             int(Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap), words)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.currentIndex().isValid():
            self.playRequested.emit(self.currentIndex().data(JobIdRole))
            return
        if event.matches(QKeySequence.StandardKey.Delete) or event.key() == Qt.Key.Key_Delete:
            self.deleteRequested.emit()
            return
        super().keyPressEvent(event)
