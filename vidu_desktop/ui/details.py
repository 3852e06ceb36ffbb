"""The details pane: everything about the selected job, the whole error, and what can be done with it."""

from __future__ import annotations

import time
from collections.abc import Sequence

from PySide6.QtCore import QCoreApplication, Qt, Signal, SignalInstance
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QFormLayout,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from ..core.job import Job
from ..core.lifecycle import JobState
from ..core.pricing import format_usd
from ..core.request import AUDIO_TYPE_LABELS
from .job_list import source_name, state_text


def _when(at: float) -> str:
    try:
        return time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(at))
    except (OverflowError, OSError, ValueError):
        return "?"


class JobDetails(QWidget):
    """Shows one job (or says to pick one); its buttons send the job id to the window."""

    playRequested = Signal(int)
    showInFolderRequested = Signal(int)
    retryRequested = Signal(int)
    rerunRequested = Signal(int)
    continueRequested = Signal(int)
    jobChosen = Signal(int)  # a parent or child link was clicked

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.job: Job | None = None
        self.setAccessibleName(self.tr("Job details"))
        self.setMinimumWidth(200)
        self.title = QLabel()
        self.title.setObjectName("detailsTitle")
        self.title.setWordWrap(True)
        self.title.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.state = QLabel()
        self.state.setWordWrap(True)
        self.state.setAccessibleName(self.tr("State"))

        self.error = QPlainTextEdit()
        self.error.setReadOnly(True)
        self.error.setAccessibleName(self.tr("Error"))
        self.error.setToolTip(self.tr("What went wrong, in full"))
        self.error.setMaximumHeight(90)
        self.error.setTabChangesFocus(True)
        self.copy_error = QPushButton(self.tr("Copy"))
        self.copy_error.setAccessibleName(self.tr("Copy the error"))
        self.copy_error.setToolTip(self.tr("Copy the whole error text, to search for it or send it"))
        self.copy_error.clicked.connect(lambda: QGuiApplication.clipboard().setText(self.error.toPlainText()))
        error_row = QHBoxLayout()
        error_row.setContentsMargins(0, 0, 0, 0)
        error_row.addWidget(self.error, 1)
        error_row.addWidget(self.copy_error, 0, Qt.AlignmentFlag.AlignTop)
        self.error_box = QWidget()
        self.error_box.setLayout(error_row)

        self.fields: dict[str, QLabel] = {}
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        for key, label in (("prompt", self.tr("Prompt")), ("settings", self.tr("Settings")),
                           ("seed", self.tr("Seed")), ("source", self.tr("Image")),
                           ("file", self.tr("Video file")), ("task", self.tr("Task id")),
                           ("created", self.tr("Added")), ("updated", self.tr("Last change")),
                           ("estimate", self.tr("Estimate")), ("parent", self.tr("Made from")),
                           ("children", self.tr("Followed by"))):
            value = QLabel()
            value.setWordWrap(True)
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse
                                          | Qt.TextInteractionFlag.LinksAccessibleByMouse
                                          | Qt.TextInteractionFlag.LinksAccessibleByKeyboard)
            value.setAccessibleName(label)
            value.linkActivated.connect(self._link)
            self.fields[key] = value
            form.addRow(label, value)

        self.play_button = self._button(self.tr("Play"), self.tr("Play this job's video (Enter in the list)"),
                                        self.playRequested)
        self.folder_button = self._button(self.tr("Show in folder"), self.tr("Open the folder that holds the video"),
                                          self.showInFolderRequested)
        self.retry_button = self._button(self.tr("Retry"), self.tr("Try this job again (Ctrl+R)"),
                                         self.retryRequested)
        self.rerun_button = self._button(self.tr("Re-run"), self.tr("Put this job's image and settings back in "
                                                                   "the list, ready to generate again"),
                                         self.rerunRequested)
        self.continue_button = self._button(self.tr("Continue from last frame"),
                                            self.tr("Add the video's last frame as a new image, with the same "
                                                    "settings and prompt"), self.continueRequested)
        buttons = QGridLayout()
        buttons.setContentsMargins(0, 0, 0, 0)
        for index, button in enumerate((self.play_button, self.folder_button, self.retry_button,
                                        self.rerun_button)):
            buttons.addWidget(button, index // 2, index % 2)
        buttons.addWidget(self.continue_button, 2, 0, 1, 2)

        body = QWidget()
        inner = QVBoxLayout(body)
        inner.setContentsMargins(8, 8, 8, 8)
        inner.addWidget(self.title)
        inner.addWidget(self.state)
        inner.addWidget(self.error_box)
        inner.addLayout(buttons)
        inner.addLayout(form)
        self._form = form
        inner.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidget(body)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)  # lines wrap instead
        self.empty = QLabel(self.tr("Select a job to see its details."))
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setWordWrap(True)
        self.empty.setObjectName("detailsEmpty")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.empty, 1)
        layout.addWidget(scroll, 1)
        self._scroll = scroll
        self.set_job(None)

    def _button(self, text: str, tip: str, signal: SignalInstance) -> QPushButton:
        button = QPushButton(text)
        button.setToolTip(tip)
        button.setAccessibleName(text)
        button.clicked.connect(lambda: signal.emit(self.job.id if self.job and self.job.id else 0))
        return button

    def _link(self, target: str) -> None:
        if target.startswith("job:") and target[4:].isdigit():
            self.jobChosen.emit(int(target[4:]))

    def set_job(self, job: Job | None) -> None:
        """Show this job (None: nothing selected). The family comes later, by set_family()."""
        same = job is not None and self.job is not None and job.id == self.job.id
        self.job = job
        self.empty.setVisible(job is None)
        self._scroll.setVisible(job is not None)
        if job is None:
            return
        self.title.setText(f"<b>{_escape(source_name(job))}</b>")
        self.state.setText(state_text(job))
        self.error.setPlainText(job.error)
        self.error_box.setVisible(bool(job.error))
        chosen = job.settings
        sound = (QCoreApplication.translate("VideoSettings", AUDIO_TYPE_LABELS[chosen.audio_type])
                 if chosen.audio is True and chosen.audio_type in AUDIO_TYPE_LABELS
                 else str(chosen.audio_type) if chosen.audio is True
                 else self.tr("silent"))
        settings_lines = [self.tr("{seconds} s, {resolution}").format(seconds=chosen.duration,
                                                                       resolution=chosen.resolution),
                          self.tr("Sound: {sound}").format(sound=sound)]
        if chosen.audio is True and chosen.is_rec is True:
            settings_lines.append(self.tr("Sound follows the motion"))
        if chosen.off_peak is True:
            settings_lines.append(self.tr("Off-peak (cheaper, slower)"))
        values = {
            "prompt": chosen.prompt or self.tr("(none: the model decides)"),
            "settings": "\n".join(settings_lines),
            "seed": str(job.seed or chosen.seed or self.tr("chosen by Novita")),
            "source": job.image_source + (f"\n{job.image_note}" if job.image_note else ""),
            "file": job.video_path or self.tr("(no video yet)"),
            "task": job.task_id or self.tr("(not sent yet)"),
            "created": _when(job.created_at),
            "updated": _when(job.updated_at),
            "estimate": "",
        }
        if job.estimate_units is not None:
            values["estimate"] = self.tr("≈ {price}").format(price=format_usd(job.estimate_units))
        for key, text in values.items():
            self.fields[key].setTextFormat(Qt.TextFormat.PlainText)
            self.fields[key].setText(text)
        self._form.setRowVisible(self.fields["estimate"], bool(values["estimate"]))
        if not same:
            self.set_family(job.id or 0, job.parent_id, ())
        has_video = bool(job.video_path)
        self.play_button.setEnabled(has_video)
        self.folder_button.setEnabled(has_video)
        self.retry_button.setEnabled(job.state in (JobState.FAILED, JobState.UNCERTAIN))
        self.continue_button.setEnabled(has_video and job.state is JobState.DONE)
        self.rerun_button.setEnabled(True)

    def set_family(self, job_id: int, parent: Job | int | None, children: Sequence[Job | int]) -> None:
        """The job this one was made from (Re-run, Continue) and those made from it."""
        if self.job is None or self.job.id != job_id:
            return
        relation = self.job.relation
        words = {"rerun": self.tr("re-run of"), "continue": self.tr("continued from")}.get(relation, "")
        parent_text = _job_link(parent, words) if parent is not None else self.tr("(none)")
        self.fields["parent"].setTextFormat(Qt.TextFormat.RichText)
        self.fields["parent"].setText(parent_text)
        self.fields["children"].setTextFormat(Qt.TextFormat.RichText)
        self.fields["children"].setText("<br>".join(_job_link(child, "") for child in children)
                                        or self.tr("(none)"))


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _job_link(job: Job | int, words: str) -> str:
    if isinstance(job, Job):
        job_id, name = job.id or 0, f"{source_name(job)} · {state_text(job)}"
    else:
        job_id, name = job, f"#{job}"
    prefix = f"{_escape(words)} " if words else ""
    return f"{prefix}<a href='job:{job_id}'>{_escape(name)} (#{job_id})</a>"
