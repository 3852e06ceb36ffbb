"""The nine parameters of the API, with the documented defaults, ranges and explanations."""

from __future__ import annotations

import random
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from ..core.pricing import PriceTable, format_usd, price_table
from ..core.request import (
    AUDIO_TYPE_LABELS,
    AUDIO_TYPES,
    DURATION_RANGE,
    PROMPT_MAX_CHARS,
    RESOLUTIONS,
    SEED_RANGE,
    Problem,
    VideoSettings,
)


class ParameterForm(QWidget):
    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.prompt = QPlainTextEdit()
        self.prompt.setPlaceholderText("Describe the motion: “the camera slowly pushes in while "
                                       "the leaves move in the wind”")
        self.prompt.setToolTip(f"What should move and how (up to {PROMPT_MAX_CHARS} characters). "
                               "Empty lets the model decide.")
        self.prompt.setAccessibleName("Prompt")
        self.prompt.setTabChangesFocus(True)
        self.prompt.setMaximumHeight(110)
        self.counter = QLabel()
        self.counter.setObjectName("promptCounter")

        self.duration = QSpinBox()
        self.duration.setRange(*DURATION_RANGE)
        self.duration.setSuffix(" s")
        self.duration.setToolTip(f"Length of the video, {DURATION_RANGE[0]}–{DURATION_RANGE[1]} seconds.")
        self.resolution = QComboBox()
        self.resolution.addItems(RESOLUTIONS)
        self.resolution.setToolTip("Output resolution. Higher costs more and takes longer.")

        self.seed = QSpinBox()
        self.seed.setRange(*SEED_RANGE)
        self.seed.setSpecialValueText("random")
        self.seed.setToolTip("The same seed with the same settings gives a similar video. 0 = random.")
        self.randomize = QPushButton("Randomize")
        self.randomize.setToolTip("Pick a random seed")
        self.randomize.clicked.connect(lambda: self.seed.setValue(random.randint(1, SEED_RANGE[1])))
        seed_row = QHBoxLayout()
        seed_row.addWidget(self.seed, 1)
        seed_row.addWidget(self.randomize)

        self.audio = QCheckBox("Generate sound")
        self.audio.setToolTip("Make dialogue and background sound together with the video.")
        self.audio_type = QComboBox()
        for value in AUDIO_TYPES:
            self.audio_type.addItem(AUDIO_TYPE_LABELS[value], value)
        self.audio_type.setToolTip("Which kind of sound to make (only when sound is on).")
        self.is_rec = QCheckBox("Match sound to motion")
        self.is_rec.setToolTip("is_rec: the rhythm of the sound follows what happens in the video. "
                               "It changes the sound only; the price stays the same (estimate).")
        self.off_peak = QCheckBox("Off-peak (cheaper, may take up to 48 hours)")
        self.off_peak.setToolTip("Queued for off-peak processing: costs less (the estimate shows how "
                                 "much), but Novita may take up to 48 hours. The app keeps checking, "
                                 "even across restarts.")
        self.off_peak.setAccessibleDescription("Cheaper, but the video may take up to 48 hours.")
        self._prices: PriceTable | None = None
        self.estimate = QLabel()
        self.estimate.setObjectName("estimate")
        self.estimate.setAccessibleName("Estimate")
        self.estimate.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByKeyboard
                                              | Qt.TextInteractionFlag.TextSelectableByMouse)
        # A read-only label a screen reader can reach with Tab (after the flags: they reset it).
        self.estimate.setFocusPolicy(Qt.FocusPolicy.StrongFocus)

        form = QFormLayout()
        form.addRow("Duration", self.duration)
        form.addRow("Resolution", self.resolution)
        form.addRow("Seed", seed_row)
        form.addRow("", self.audio)
        form.addRow("Sound type", self.audio_type)
        form.addRow("", self.is_rec)
        form.addRow("", self.off_peak)
        form.addRow("Cost", self.estimate)
        for label_widget, field_widget in ((self.duration, "Duration"), (self.resolution, "Resolution"),
                                           (self.seed, "Seed"), (self.audio_type, "Sound type")):
            label_widget.setAccessibleName(field_widget)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        prompt_label = QLabel("&Prompt")
        prompt_label.setBuddy(self.prompt)
        top = QHBoxLayout()
        top.addWidget(prompt_label)
        top.addStretch(1)
        top.addWidget(self.counter)
        layout.addLayout(top)
        layout.addWidget(self.prompt)
        layout.addLayout(form)

        self.set_settings(VideoSettings())
        for signal in (self.prompt.textChanged, self.duration.valueChanged, self.resolution.currentIndexChanged,
                       self.seed.valueChanged, self.audio.toggled, self.audio_type.currentIndexChanged,
                       self.is_rec.toggled, self.off_peak.toggled):
            signal.connect(self._on_change)
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

    def set_settings(self, chosen: VideoSettings) -> None:
        """Load settings back (last used, or a job's); values the widgets cannot hold keep defaults."""
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

    def _show_estimate(self) -> None:
        units = self.estimate_units()
        if units is None:
            self.estimate.setText("≈ — per video (estimate)")
            self.estimate.setAccessibleDescription("No estimate for these settings.")
            return
        chosen = self.settings()
        words = f"≈ {format_usd(units)} per video, estimate"
        self.estimate.setText(words)
        table = self.price_table()
        detail = (f"{chosen.duration} s at {chosen.resolution}"
                  + (", off-peak" if chosen.off_peak else "")
                  + f". An estimate from {'your own rates' if table.overridden else 'the price table'}"
                  + (f" of {table.taken}" if table.taken and not table.overridden else "")
                  + ": Novita charges what it charges.")
        self.estimate.setToolTip(detail)
        self.estimate.setAccessibleDescription(f"Estimated cost of one video: {format_usd(units)}. {detail}")

    def _on_change(self) -> None:
        length = len(self.prompt.toPlainText())
        self.counter.setText(f"{length} / {PROMPT_MAX_CHARS}")
        self.counter.setStyleSheet("color: #d9483b; font-weight: bold;" if length > PROMPT_MAX_CHARS else "")
        self.audio_type.setEnabled(self.audio.isChecked())
        self.is_rec.setEnabled(self.audio.isChecked())
        self._show_estimate()
        self.changed.emit()
