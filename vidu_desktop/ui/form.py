"""The nine parameters of the API, with the documented defaults, ranges and explanations;
takes per image, presets, and the prompts sent before offered as you type."""

from __future__ import annotations

import random
from collections.abc import Iterable
from typing import Any

from PySide6.QtCore import QCoreApplication, QModelIndex, QStringListModel, Qt, Signal
from PySide6.QtGui import QKeyEvent, QTextCursor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QCompleter,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from .. import settings as user_settings
from ..core.pricing import PriceTable, format_usd, price_table
from ..core.request import (
    AUDIO_TYPE_LABELS,
    AUDIO_TYPES,
    DURATION_RANGE,
    MAX_TAKES,
    PROMPT_MAX_CHARS,
    RESOLUTIONS,
    SEED_RANGE,
    ImageOrder,
    Problem,
    VideoSettings,
)
from .presets import PresetBar

PROMPT_MIN_LINES = 4
PROMPT_MAX_LINES = 10
_COMPLETION_KEYS = {Qt.Key.Key_Enter, Qt.Key.Key_Return, Qt.Key.Key_Escape, Qt.Key.Key_Tab, Qt.Key.Key_Backtab}


class PromptEdit(QPlainTextEdit):
    """The prompt box, with the prompts sent before offered as you type (a QCompleter over the
    whole text: a prompt is one entry). While the list is open, Enter, Tab and Esc belong to it."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.history = QStringListModel(self)
        self.completer = QCompleter(self.history, self)
        self.completer.setWidget(self)
        self.completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.completer.setFilterMode(Qt.MatchFlag.MatchContains)
        self.completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        self.completer.setMaxVisibleItems(8)
        popup = self.completer.popup()  # the completer's own: it deletes it (one owner, no double free)
        assert popup is not None
        self.popup: QAbstractItemView = popup
        self.popup.setAccessibleName(self.tr("Earlier prompts"))
        self.popup.setToolTip(self.tr("Prompts you sent before: Enter or Tab takes one, Esc closes the list"))
        self.popup.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.completer.activated.connect(self.take_completion)
        self.textChanged.connect(self._offer)

    def set_history(self, prompts: list[str]) -> None:
        self.history.setStringList(prompts)

    def take_completion(self, text: str) -> None:
        self.setPlainText(text)
        self.moveCursor(QTextCursor.MoveOperation.End)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if self.popup.isVisible() and event.key() in _COMPLETION_KEYS:
            event.ignore()  # the completer chooses or closes
            return
        super().keyPressEvent(event)

    def _offer(self) -> None:
        """Typing (not a program setting the text) with three letters or more opens the list."""
        text = self.toPlainText()
        popup = self.popup
        if not self.hasFocus() or len(text.strip()) < 3:
            popup.hide()
            return
        self.completer.setCompletionPrefix(text)
        count = self.completer.completionCount()
        if count == 0 or (count == 1 and self.completer.currentCompletion() == text):
            popup.hide()
            return
        popup.setCurrentIndex(QModelIndex())
        area = self.cursorRect()
        area.setWidth(max(240, self.viewport().width() - area.x()))
        self.completer.complete(area)


class ParameterForm(QWidget):
    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.prompt = PromptEdit()
        self.prompt.setPlaceholderText(self.tr("Describe the motion: “the camera slowly pushes in while "
                                               "the leaves move in the wind”"))
        self.prompt.setToolTip(self.tr("What should move and how (up to {limit} characters). Empty lets the "
                                       "model decide. Prompts you sent before are offered as you type.")
                               .format(limit=PROMPT_MAX_CHARS))
        self.prompt.setAccessibleName(self.tr("Prompt"))
        self.prompt.setTabChangesFocus(True)
        lines = self.prompt.fontMetrics().lineSpacing()
        frame = 2 * (self.prompt.frameWidth() + int(self.prompt.document().documentMargin())) + 4
        self.prompt.setMinimumHeight(PROMPT_MIN_LINES * lines + frame)
        self.prompt.setMaximumHeight(PROMPT_MAX_LINES * lines + frame)
        self.prompt.set_history(user_settings.prompt_history())
        self.counter = QLabel()
        self.counter.setObjectName("promptCounter")
        self.counter.setAccessibleName(self.tr("Prompt length"))

        self.presets = PresetBar(self.settings, self.set_settings)

        self.duration = QSpinBox()
        self.duration.setRange(*DURATION_RANGE)
        self.duration.setSuffix(self.tr(" s"))
        self.duration.setToolTip(self.tr("Length of the video, {low}–{high} seconds.").format(
            low=DURATION_RANGE[0], high=DURATION_RANGE[1]))
        self.resolution = QComboBox()
        self.resolution.addItems(RESOLUTIONS)
        self.resolution.setToolTip(self.tr("Output resolution. Higher costs more and takes longer."))

        self.seed = QSpinBox()
        self.seed.setRange(*SEED_RANGE)
        self.seed.setSpecialValueText(self.tr("random"))
        self.seed.setToolTip(self.tr("The same seed with the same settings gives a similar video. 0 = random."))
        self.randomize = QPushButton(self.tr("Randomize"))
        self.randomize.setToolTip(self.tr("Pick a random seed"))
        self.randomize.setAccessibleName(self.tr("Randomize seed"))
        self.randomize.clicked.connect(lambda: self.seed.setValue(random.randint(1, SEED_RANGE[1])))
        seed_row = QHBoxLayout()
        seed_row.addWidget(self.seed, 1)
        seed_row.addWidget(self.randomize)

        self.takes_box = QSpinBox()
        self.takes_box.setRange(1, MAX_TAKES)
        self.takes_box.setValue(user_settings.takes_per_image())
        self.takes_box.setToolTip(self.tr("How many videos to make from each image, each with its own seed "
                                          "(1–{most}). Each take costs as much as one video.").format(most=MAX_TAKES))

        self.audio = QCheckBox(self.tr("Generate sound"))
        self.audio.setToolTip(self.tr("Make dialogue and background sound together with the video."))
        self.audio.setAccessibleName(self.tr("Generate sound"))
        self.audio_type = QComboBox()
        for value in AUDIO_TYPES:
            self.audio_type.addItem(QCoreApplication.translate("VideoSettings", AUDIO_TYPE_LABELS[value]), value)
        self.audio_type.setToolTip(self.tr("Which kind of sound to make (only when sound is on)."))
        self.is_rec = QCheckBox(self.tr("Match sound to motion"))
        self.is_rec.setAccessibleName(self.tr("Match sound to motion"))
        self.is_rec.setToolTip(self.tr("is_rec: the rhythm of the sound follows what happens in the video. "
                                       "It changes the sound only; the price stays the same (estimate)."))
        self.off_peak = QCheckBox(self.tr("Off-peak (cheaper, may take up to 48 hours)"))
        self.off_peak.setAccessibleName(self.tr("Off-peak"))
        self.off_peak.setToolTip(self.tr("Queued for off-peak processing: costs less (the estimate shows how "
                                         "much), but Novita may take up to 48 hours. The app keeps checking, "
                                         "even across restarts."))
        self.off_peak.setAccessibleDescription(self.tr("Cheaper, but the video may take up to 48 hours."))
        self._prices: PriceTable | None = None
        self.estimate = QLabel()
        self.estimate.setObjectName("estimate")
        self.estimate.setAccessibleName(self.tr("Estimate"))
        self.estimate.setWordWrap(True)
        self.estimate.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByKeyboard
                                              | Qt.TextInteractionFlag.TextSelectableByMouse)
        # A read-only label a screen reader can reach with Tab (after the flags: they reset it).
        self.estimate.setFocusPolicy(Qt.FocusPolicy.StrongFocus)

        form = QFormLayout()
        form.addRow(self.tr("Preset"), self.presets)
        form.addRow(self.tr("Duration"), self.duration)
        form.addRow(self.tr("Resolution"), self.resolution)
        form.addRow(self.tr("Seed"), seed_row)
        form.addRow(self.tr("Takes per image"), self.takes_box)
        form.addRow("", self.audio)
        form.addRow(self.tr("Sound type"), self.audio_type)
        form.addRow("", self.is_rec)
        form.addRow("", self.off_peak)
        form.addRow(self.tr("Cost"), self.estimate)
        for widget, name in ((self.duration, self.tr("Duration")), (self.resolution, self.tr("Resolution")),
                             (self.seed, self.tr("Seed")), (self.audio_type, self.tr("Sound type")),
                             (self.takes_box, self.tr("Takes per image"))):
            widget.setAccessibleName(name)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        prompt_label = QLabel(self.tr("&Prompt"))
        prompt_label.setBuddy(self.prompt)
        top = QHBoxLayout()
        top.addWidget(prompt_label)
        top.addStretch(1)
        top.addWidget(self.counter)
        layout.addLayout(top)
        layout.addWidget(self.prompt)
        layout.addLayout(form)
        layout.addStretch(1)  # extra height goes below the fields, not between the label and the prompt

        self.set_settings(VideoSettings())
        for signal in (self.prompt.textChanged, self.duration.valueChanged, self.resolution.currentIndexChanged,
                       self.seed.valueChanged, self.audio.toggled, self.audio_type.currentIndexChanged,
                       self.is_rec.toggled, self.off_peak.toggled, self.takes_box.valueChanged):
            signal.connect(self._on_change)
        self.takes_box.valueChanged.connect(user_settings.save_takes_per_image)
        self._on_change()

    def settings(self) -> VideoSettings:
        return VideoSettings(
            prompt=self.prompt.toPlainText(),
            duration=self.duration.value(),
            resolution=self.resolution.currentText(),
            seed=self.seed.value(),
            audio=self.audio.isChecked(),
            audio_type=self.audio_type.currentData(),
            is_rec=self.is_rec.isChecked(),
            off_peak=self.off_peak.isChecked(),
        )

    def takes(self) -> int:
        """Videos per image (1–8), each with its own seed."""
        return self.takes_box.value()

    def set_settings(self, chosen: VideoSettings) -> None:
        """Load settings back (last used, a job's, a preset); values the widgets cannot hold keep defaults."""
        defaults = VideoSettings()
        bad = {problem.field for problem in chosen.problems()}

        def pick(name: str) -> Any:
            return getattr(defaults if name in bad else chosen, name)

        self.prompt.setPlainText(pick("prompt"))
        self.duration.setValue(pick("duration"))
        self.resolution.setCurrentText(pick("resolution"))
        self.seed.setValue(pick("seed"))
        self.audio.setChecked(pick("audio"))
        self.audio_type.setCurrentIndex(max(0, self.audio_type.findData(pick("audio_type"))))
        self.is_rec.setChecked(pick("is_rec"))
        self.off_peak.setChecked(pick("off_peak"))

    def problems(self) -> list[Problem]:
        return self.settings().problems()

    def remember_prompts(self, prompts: Iterable[str]) -> None:
        """Keep the prompts just sent in the history offered as you type (the first one ends up
        newest). The window calls this after Generate with its orders' prompts."""
        for prompt in reversed(list(dict.fromkeys(p for p in prompts if p.strip()))):
            user_settings.remember_prompt(prompt)
        self.prompt.set_history(user_settings.prompt_history())

    def set_price_table(self, table: PriceTable) -> None:
        """The prices the estimate is made with (the shipped table with the user's overrides)."""
        self._prices = table
        self._show_estimate()

    def price_table(self) -> PriceTable:
        if self._prices is None:
            self._prices = price_table()
        return self._prices

    def estimate_units(self) -> int | None:
        """One video with the current settings, in units of 0.0001 USD; None when it cannot be sent."""
        try:
            return self.price_table().estimate(self.settings())
        except ValueError:
            return None

    def estimate_orders(self, orders: Iterable[ImageOrder]) -> int | None:
        """What these orders are estimated to cost in all, every take counted (units of 0.0001 USD);
        None when one of them cannot be estimated."""
        total = 0
        for order in orders:
            try:
                total += self.price_table().estimate(order.settings) * max(1, min(MAX_TAKES, order.takes))
            except ValueError:
                return None
        return total

    def _show_estimate(self) -> None:
        units = self.estimate_units()
        if units is None:
            self.estimate.setText(self.tr("≈ — per video (estimate)"))
            self.estimate.setAccessibleDescription(self.tr("No estimate for these settings."))
            return
        chosen = self.settings()
        takes = self.takes()
        words = self.tr("≈ {price} per video, estimate").format(price=format_usd(units, unit_price=True))
        if takes > 1:
            words += "\n" + self.tr("× {takes} takes: ≈ {price} per image").format(
                takes=takes, price=format_usd(units * takes))
        self.estimate.setText(words)
        table = self.price_table()
        where = self.tr("your own rates") if table.overridden else self.tr("the price table")
        if table.taken and not table.overridden:
            where = self.tr("the price table of {date}").format(date=table.taken)
        detail = (self.tr("{duration} s at {resolution}").format(duration=chosen.duration,
                                                                  resolution=chosen.resolution)
                  + (self.tr(", off-peak") if chosen.off_peak else "")
                  + ". " + self.tr("An estimate from {where}: Novita charges what it charges.").format(where=where))
        self.estimate.setToolTip(detail)
        self.estimate.setAccessibleDescription(self.tr("Estimated cost of one video: {price}. {detail}").format(
            price=format_usd(units), detail=detail))

    def _on_change(self) -> None:
        length = len(self.prompt.toPlainText())
        self.counter.setText(f"{length} / {PROMPT_MAX_CHARS}")
        self.counter.setStyleSheet("color: #d9483b; font-weight: bold;" if length > PROMPT_MAX_CHARS else "")
        self.audio_type.setEnabled(self.audio.isChecked())
        self.is_rec.setEnabled(self.audio.isChecked())
        self._show_estimate()
        self.changed.emit()
