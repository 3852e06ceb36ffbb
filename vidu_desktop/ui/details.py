"""The details pane: everything about the selected job, the whole error, and what can be done with it."""

from __future__ import annotations

import time
from collections.abc import Sequence

from PySide6.QtCore import QCoreApplication, Qt, Signal, SignalInstance
from PySide6.QtGui import QContextMenuEvent, QGuiApplication, QKeyEvent, QKeySequence, QResizeEvent
from PySide6.QtWidgets import (
    QFormLayout,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QMenu,
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

BREAK = "\u200b"  # zero-width space: a place where a line may break, shown as nothing
BUTTON_COLUMN_PX = 150  # the buttons go in as many columns of about this width as fit


def breakable(text: str) -> str:
    """`text` with a line-break chance between every two characters: a long path or task id
    wraps at any character instead of widening the pane."""
    return BREAK.join(text)


class WrapAnywhereLabel(QLabel):
    """Plain text that wraps at any character (paths, ids). text() and Copy give the text
    without the invisible break marks; the tooltip holds it whole."""

    def __init__(self) -> None:
        super().__init__()
        self._plain = ""
        self.setWordWrap(True)
        self.setTextFormat(Qt.TextFormat.PlainText)

    def set_plain(self, text: str) -> None:
        self._plain = text
        super().setText(breakable(text))
        self.setToolTip(text)

    def text(self) -> str:
        return self._plain

    def _copy(self) -> None:
        chosen = self.selectedText().replace(BREAK, "")
        QGuiApplication.clipboard().setText(chosen or self._plain)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.matches(QKeySequence.StandardKey.Copy):
            self._copy()
            return
        super().keyPressEvent(event)

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:
        menu = QMenu(self)
        menu.addAction(self.tr("Copy"), self._copy)
        menu.exec(event.globalPos())


def _when(at: float) -> str:
    try:
        return time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(at))
    except (OverflowError, OSError, ValueError):
        return "?"


WRAP_ANYWHERE = ("source", "file", "task")  # long words of no language: they wrap at any character


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
            value = WrapAnywhereLabel() if key in WRAP_ANYWHERE else QLabel()
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
        self._buttons = buttons
        self._button_columns = 0
        self._arrange_buttons(2)

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

    def _arrange_buttons(self, columns: int) -> None:
        """The buttons in `columns` columns ("Continue from last frame" across all of them)."""
        if columns == self._button_columns:
            return
        self._button_columns = columns
        for button in (self.play_button, self.folder_button, self.retry_button, self.rerun_button,
                       self.continue_button):
            self._buttons.removeWidget(button)
        for index, button in enumerate((self.play_button, self.folder_button, self.retry_button,
                                        self.rerun_button)):
            self._buttons.addWidget(button, index // columns, index % columns)
        self._buttons.addWidget(self.continue_button, (4 + columns - 1) // columns, 0, 1, columns)

    def resizeEvent(self, event: QResizeEvent) -> None:
        """As many columns of buttons as fit the pane's width: none is ever cut off."""
        self._arrange_buttons(max(1, min(2, event.size().width() // BUTTON_COLUMN_PX)))
        super().resizeEvent(event)

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
        self.title.setText(f"<b>{_escape(breakable(source_name(job)))}</b>")
        self.title.setToolTip(source_name(job))
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
            field = self.fields[key]
            if isinstance(field, WrapAnywhereLabel):
                field.set_plain(text)
            else:
                field.setTextFormat(Qt.TextFormat.PlainText)
                field.setText(text)
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
    return f"{prefix}<a href='job:{job_id}'>{_escape(breakable(name))} (#{job_id})</a>"  # long names wrap
