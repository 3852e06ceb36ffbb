"""The jobs side of the window: the list with its filter and search, the queue's controls, the
notice of a video that is ready, and the selected job's details.

It renders the session's job snapshots and sends the user's intents to the session; what
concerns the form, the images or the player it asks of the window through signals.
"""

from __future__ import annotations

import shutil
from dataclasses import replace
from pathlib import Path

from PySide6.QtCore import QEvent, QObject, QPoint, QSignalBlocker, Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices, QGuiApplication, QKeyEvent
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMenu,
    QMessageBox,
    QPushButton,
    QSizePolicy,
    QSplitter,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from ..core import errors
from ..core.files import is_regular_file
from ..core.job import Job
from ..core.lifecycle import JobState
from ..core.request import ImageOrder, is_web_url
from ..session import Session
from ..workers.services import run_in_background
from . import dialogs
from .details import JobDetails
from .job_list import JobListView, JobTableModel, source_name

READY_NAME_PX = 220  # the ready notice names the source, elided in the middle beyond this
# "Running": the app or Novita is working on it now (waiting jobs have their own filter).
RUNNING_AT_NOVITA = [JobState.SUBMITTING, JobState.QUEUED, JobState.PROCESSING, JobState.DOWNLOADING]



def image_of(job: Job) -> str:
    """The image to send again: the original, or the copy that was sent when the original moved."""
    source = job.image_source
    if not is_web_url(source) and not is_regular_file(source) and job.image_file:
        source = job.image_file
    return source


class JobsPanel(QWidget):
    playRequested = Signal(int)  # job id
    playReadyRequested = Signal()  # the ready notice's Play
    continueRequested = Signal(int)  # job id: its last frame as a new image
    editRequested = Signal(object)  # Job: its image and settings back to the form
    settingsRequested = Signal(object)  # Job: its settings to the form
    seedRequested = Signal(int)  # a seed for the form
    aboutToDelete = Signal(list)  # the video files of jobs about to be deleted (str): release them
    queuePausedShown = Signal(bool)
    message = Signal(str, int)  # words for the status bar, and for how long (ms)

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.model = JobTableModel(session.request_page, session.request_thumbnail, self)
        self.view = JobListView(self.model)
        self.view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.details = JobDetails()
        self.state_filter = QComboBox()
        self.state_filter.setAccessibleName(self.tr("Show jobs"))
        self.state_filter.setToolTip(self.tr("Show only jobs in this state"))
        for label, states in ((self.tr("All"), None), (self.tr("Waiting"), [JobState.WAITING]),
                              (self.tr("Running"), RUNNING_AT_NOVITA), (self.tr("Done"), [JobState.DONE]),
                              (self.tr("Failed or uncertain"), [JobState.FAILED, JobState.UNCERTAIN]),
                              (self.tr("Cancelled"), [JobState.CANCELLED])):
            self.state_filter.addItem(label, states)
        filter_label = QLabel(self.tr("Show &jobs"))
        filter_label.setBuddy(self.state_filter)
        self.search = QLineEdit()
        self.search.setPlaceholderText(self.tr("Search file name, prompt, state or task id"))
        self.search.setClearButtonEnabled(True)
        self.search.setAccessibleName(self.tr("Search jobs"))
        self.search.setToolTip(self.tr("Show only jobs whose file name, prompt, state or task id contains "
                                       "this text (Ctrl+F; Esc clears)"))
        self.search.installEventFilter(self)  # Esc clears it
        for button in self.search.findChildren(QToolButton):  # the clear button
            button.setAccessibleName(self.tr("Clear the search"))
            button.setToolTip(self.tr("Clear the search (Esc)"))
        filter_row = QHBoxLayout()
        filter_row.setContentsMargins(0, 0, 0, 0)
        filter_row.addWidget(filter_label)
        filter_row.addWidget(self.state_filter)
        filter_row.addWidget(self.search, 1)

        self.pause_button = QPushButton()
        self.pause_button.setCheckable(True)
        self.pause_button.toggled.connect(self.set_queue_paused)
        self.cancel_button = QPushButton(self.tr("Cancel"))
        self.cancel_button.setAccessibleName(self.tr("Cancel selected waiting jobs"))
        self.cancel_button.setToolTip(self.tr("Take the selected waiting jobs out of the queue (nothing is "
                                              "sent or charged)"))
        self.cancel_button.clicked.connect(self.cancel_selected)
        self.up_button = QPushButton(self.tr("Move up"))
        self.up_button.setAccessibleName(self.tr("Move up in the queue"))
        self.up_button.setToolTip(self.tr("Send the selected waiting jobs sooner (Ctrl+Up)"))
        self.up_button.clicked.connect(lambda: self.move_selected(-1))
        self.down_button = QPushButton(self.tr("Move down"))
        self.down_button.setAccessibleName(self.tr("Move down in the queue"))
        self.down_button.setToolTip(self.tr("Send the selected waiting jobs later (Ctrl+Down)"))
        self.down_button.clicked.connect(lambda: self.move_selected(1))
        self.queue_label = QLabel()
        self.queue_label.setObjectName("queueState")
        self.queue_label.setAccessibleName(self.tr("Queue"))
        self.queue_label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        queue_row = QHBoxLayout()
        queue_row.setContentsMargins(0, 0, 0, 0)
        queue_row.addWidget(self.pause_button)
        queue_row.addWidget(self.queue_label, 1)
        queue_row.addWidget(self.up_button)
        queue_row.addWidget(self.down_button)
        queue_row.addWidget(self.cancel_button)

        self.ready_notice = QFrame()
        self.ready_notice.setObjectName("readyNotice")
        self.ready_text = QLabel()
        self.ready_text.setWordWrap(True)
        self.ready_play = QPushButton(self.tr("Play"))
        self.ready_play.setAccessibleName(self.tr("Play the video that is ready"))
        self.ready_play.setToolTip(self.tr("Play the video that just finished"))
        self.ready_play.clicked.connect(self.playReadyRequested)
        notice_layout = QHBoxLayout(self.ready_notice)
        notice_layout.setContentsMargins(8, 4, 8, 4)
        notice_layout.addWidget(self.ready_text, 1)
        notice_layout.addWidget(self.ready_play)
        self.ready_notice.hide()

        jobs_area = QWidget()
        jobs_layout = QVBoxLayout(jobs_area)
        jobs_layout.setContentsMargins(0, 6, 0, 0)
        jobs_layout.addLayout(filter_row)
        jobs_layout.addWidget(self.ready_notice)
        jobs_layout.addWidget(self.view, 1)
        jobs_layout.addLayout(queue_row)
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(jobs_area)
        self.splitter.addWidget(self.details)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.setSizes([560, 340])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.splitter)

        # Bound methods, not lambdas: Qt drops them when the panel goes, the session may stay.
        session.opened.connect(self.model.reload)
        session.pageReady.connect(self.model.add_page)
        session.jobChanged.connect(self.model.update_job)
        session.jobChanged.connect(self._job_changed)
        session.jobRemoved.connect(self.model.remove_job)
        session.thumbnailReady.connect(self.model.set_thumbnail)
        session.queuePausedChanged.connect(self.show_queue_paused)
        session.familyReady.connect(self._family_ready)
        self.view.playRequested.connect(self.playRequested)
        self.view.deleteRequested.connect(self.delete_selected)
        self.view.customContextMenuRequested.connect(self._job_menu)
        self.view.selectionModel().selectionChanged.connect(self._selection_changed)
        self.model.modelReset.connect(self._selection_changed)
        self.model.moveRequested.connect(self._move_before)
        self.details.playRequested.connect(self.playRequested)
        self.details.showInFolderRequested.connect(self.show_job_in_folder)
        self.details.retryRequested.connect(lambda _job_id: self.retry_selected())
        self.details.rerunRequested.connect(self.rerun_job)
        self.details.continueRequested.connect(self.continueRequested)
        self.details.jobChosen.connect(self.select_job)
        self.state_filter.currentIndexChanged.connect(self._apply_filter)
        self.search.textChanged.connect(self._apply_filter)
        self.show_queue_paused(session.queue_paused)
        self._selection_changed()

    def focus_chain(self) -> list[QWidget]:
        """Its controls in Tab order."""
        return [self.state_filter, self.search, self.view, self.pause_button, self.up_button, self.down_button,
                self.cancel_button, self.details]

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.search and event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent) \
                and event.key() == Qt.Key.Key_Escape and self.search.text():
            self.search.clear()
            return True
        return super().eventFilter(watched, event)

    def focus_search(self) -> None:
        self.search.setFocus()
        self.search.selectAll()

    def _apply_filter(self) -> None:
        self.model.set_filter(self.state_filter.currentData(), self.search.text())

    def _selection_changed(self, *_: object) -> None:
        jobs = self.selected_jobs()
        job = jobs[0] if len(jobs) == 1 else None
        self.details.set_job(job)
        if job is not None and job.id:
            self.session.request_family(job.id)
        waiting = [j for j in jobs if j.state is JobState.WAITING]
        for button in (self.cancel_button, self.up_button, self.down_button):
            button.setEnabled(bool(waiting))

    def _job_changed(self, job: Job) -> None:
        if self.details.job is not None and self.details.job.id == job.id:
            self.details.set_job(job)
        self._selection_changed()

    def _family_ready(self, job_id: int, parent: object, children: object) -> None:
        kids = tuple(children) if isinstance(children, tuple | list) else ()
        self.details.set_family(job_id, parent if isinstance(parent, Job | int) else None, kids)

    def select_job(self, job_id: int) -> None:
        """Select a job's row (a parent or child link in the details); say so when it is hidden."""
        row = self.model.row_of(job_id)
        if row < 0:
            self.message.emit(self.tr("That job is not in the list as filtered: choose “All” and clear the "
                                      "search."), 6000)
            return
        self.view.setCurrentIndex(self.model.index(row, 0))
        self.view.scrollTo(self.model.index(row, 0))

    def selected_jobs(self) -> list[Job]:
        return [job for job in map(self.model.job, self.view.selected_job_ids()) if job]

    # -- the notice of a video that is ready ---------------------------------------------------

    def show_ready(self, name: str) -> None:
        short = self.ready_text.fontMetrics().elidedText(name, Qt.TextElideMode.ElideMiddle, READY_NAME_PX)
        self.ready_text.setText(self.tr("The video from {name} is ready.").format(name=short))
        self.ready_text.setToolTip(name)
        self.ready_notice.show()

    def hide_ready(self) -> None:
        self.ready_notice.hide()

    # -- what can be done to jobs --------------------------------------------------------------

    def retry_selected(self) -> None:
        for job in self.selected_jobs():
            if job.state is JobState.UNCERTAIN and not dialogs.ask(
                    self, self.tr("Send again?"),
                    self.tr("This job may already have started on Novita (and been charged). Send it again anyway?"),
                    self.tr("Send again"), self.tr("Don't send")):
                continue
            if job.state in (JobState.FAILED, JobState.UNCERTAIN):
                self.session.retry(job.id or 0)

    def show_job_in_folder(self, job_id: int) -> None:
        job = self.model.job(job_id)
        if job and job.video_path:
            dialogs.open_folder(self, Path(job.video_path).parent, self.tr("Show in folder"))

    def _job_menu(self, position: QPoint) -> None:
        jobs = self.selected_jobs()
        if not jobs:
            return
        job = jobs[0]
        job_id = job.id or 0
        menu = QMenu(self)
        menu.addAction(self.tr("Play"), lambda: self.playRequested.emit(job_id)).setEnabled(bool(job.video_path))
        menu.addAction(self.tr("Show in folder"), lambda: self.show_job_in_folder(job_id)).setEnabled(
            bool(job.video_path))
        menu.addAction(self.tr("Retry"), self.retry_selected).setEnabled(
            job.state in (JobState.FAILED, JobState.UNCERTAIN))
        if job.error_kind == "BalanceError":
            menu.addAction(self.tr("Top up on novita.ai…"),
                           lambda: QDesktopServices.openUrl(QUrl(errors.TOP_UP_URL)))
        menu.addAction(self.tr("Save a copy…"), lambda: self.save_copy(job)).setEnabled(bool(job.video_path))
        menu.addAction(self.tr("Re-run (new seed)"), lambda: self.rerun_job(job_id))
        menu.addAction(self.tr("Continue from last frame"), lambda: self.continueRequested.emit(job_id)).setEnabled(
            job.state is JobState.DONE and bool(job.video_path))
        menu.addAction(self.tr("Edit again (image and settings to the form)"), lambda: self.editRequested.emit(job))
        menu.addAction(self.tr("Use these settings"), lambda: self.settingsRequested.emit(job))
        menu.addAction(self.tr("Reuse its seed"), lambda: self.seedRequested.emit(job.seed or 0)).setEnabled(
            bool(job.seed))
        menu.addAction(self.tr("Copy task id"), lambda: QGuiApplication.clipboard().setText(job.task_id or "")
                       ).setEnabled(bool(job.task_id))
        menu.addSeparator()
        menu.addAction(self.tr("Cancel"), self.cancel_selected).setEnabled(
            any(j.state is JobState.WAITING for j in jobs))
        menu.addAction(self.tr("Delete…"), self.delete_selected)
        menu.exec(self.view.viewport().mapToGlobal(position))

    def rerun_job(self, job_id: int) -> None:
        """Send the job's image and settings again as a new job (a new seed), linked to it."""
        job = self.model.job(job_id)
        if job is None:
            return
        order = ImageOrder(image_of(job), replace(job.settings, seed=0), 1, parent_id=job_id, relation="rerun")
        self.session.generate([order], {})
        self.message.emit(self.tr("Re-running “{name}” with a new seed.").format(name=source_name(job)), 5000)

    def save_copy(self, job: Job) -> None:
        if not job.video_path:
            return
        source = job.video_path
        target, _ = QFileDialog.getSaveFileName(self, self.tr("Save a copy"), str(Path.home() / Path(source).name),
                                                self.tr("MP4 video (*.mp4)"))
        if target:
            run_in_background(lambda: shutil.copyfile(source, target),
                              lambda _: self.message.emit(self.tr("Saved {path}").format(path=target), 5000),
                              lambda exc: self.message.emit(errors.describe(exc), 10000),
                              owner=self)

    def delete_selected(self) -> None:
        jobs = self.selected_jobs()
        if any(Session.is_busy(job) for job in jobs):
            self.message.emit(self.tr("A job that is being sent or downloaded cannot be deleted yet; try again "
                                      "in a moment."), 8000)
            return
        if not jobs:
            return
        with_files = [job for job in jobs if job.video_path]
        verb = (self.tr("Delete {count} jobs").format(count=len(jobs)) if len(jobs) > 1
                else self.tr("Delete the job"))
        text = self.tr("Delete {count} job(s)?").format(count=len(jobs))
        detail = (self.tr("{files} video file(s) are deleted with them. This cannot be undone.").format(
            files=len(with_files)) if with_files else self.tr("This cannot be undone."))
        if dialogs.ask(self, self.tr("Delete"), text, verb, self.tr("Keep"), detail=detail,
                       icon=QMessageBox.Icon.Warning):
            self.delete_jobs([job.id or 0 for job in jobs])

    def delete_jobs(self, job_ids: list[int]) -> None:
        files = [job.video_path for job in map(self.model.job, job_ids) if job and job.video_path]
        self.aboutToDelete.emit(files)  # the player lets go of them first (Windows locks open files)
        self.session.delete(job_ids)

    # -- the queue -----------------------------------------------------------------------------

    def _selected_waiting(self) -> list[int]:
        return [job.id for job in self.selected_jobs() if job.state is JobState.WAITING and job.id]

    def cancel_selected(self) -> None:
        """Take the selected waiting jobs out of the queue; a job already at Novita keeps going
        (the API has no cancel), and the session says so."""
        jobs = self.selected_jobs()
        waiting = self._selected_waiting()
        sent = [job for job in jobs if job.state.running and job.state is not JobState.WAITING]
        if waiting:
            self.session.cancel(waiting)
        if sent:  # the session refuses those and says so through `problem`
            self.session.cancel([job.id for job in sent if job.id])

    def move_selected(self, steps: int) -> None:
        waiting = self._selected_waiting()
        if waiting:
            self.session.move_in_queue(waiting, steps)

    def _move_before(self, job_ids: list[int], target_id: int) -> None:
        """Waiting rows dropped on a waiting job go before it in the queue."""
        queue = sorted((job for job in self.model.jobs() if job.state is JobState.WAITING and job.id),
                       key=lambda job: (job.queue_position or 0, job.id or 0))
        order = [job.id for job in queue if job.id not in job_ids]
        if target_id in order:
            self.session.move_to(job_ids, order.index(target_id))

    def set_queue_paused(self, paused: bool) -> None:
        if self.session.queue_paused != paused:
            self.session.set_queue_paused(paused)  # queuePausedChanged shows it once kept
        self.show_queue_paused(paused)

    def show_queue_paused(self, paused: bool) -> None:
        with QSignalBlocker(self.pause_button):
            self.pause_button.setChecked(paused)
        words = self.tr("Resume queue") if paused else self.tr("Pause queue")
        self.pause_button.setText(words)
        self.pause_button.setAccessibleName(words)
        self.pause_button.setToolTip(self.tr("Waiting jobs are not sent while the queue is paused; jobs "
                                             "already at Novita go on (Ctrl+P)"))
        self.queue_label.setText(self.tr("Queue paused: waiting jobs are not sent") if paused
                                 else self.tr("Queue running"))
        self.queuePausedShown.emit(paused)
