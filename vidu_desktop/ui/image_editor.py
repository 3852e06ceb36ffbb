"""“This image”: the selected image's own prompt and settings, edited in place; what is left
empty follows the form."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QWidget,
)

from ..core.request import DURATION_RANGE, RESOLUTIONS, SEED_RANGE, VideoSettings

#: The fields this editor sets for one image; a batch file may set the others too (kept as they are).
EDITED_FIELDS = ("duration", "resolution", "audio", "seed")


class ImageEditor(QGroupBox):
    """Edits one image's prompt (None: the form's) and overrides (field -> value) in place."""

    edited = Signal()

    def __init__(self, form_settings: Callable[[], VideoSettings], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._form_settings = form_settings
        self._loading = False
        self.setTitle(self.tr("This image"))
        self.prompt = QPlainTextEdit()
        self.prompt.setPlaceholderText(self.tr("Follows the form's prompt. Type here to give this image its own."))
        self.prompt.setAccessibleName(self.tr("This image's prompt"))
        self.prompt.setToolTip(self.tr("A prompt for this image only; empty follows the form's prompt"))
        self.prompt.setTabChangesFocus(True)
        self.prompt.setFixedHeight(3 * self.prompt.fontMetrics().lineSpacing() + 14)
        self.own_settings = QCheckBox(self.tr("Own settings"))
        self.own_settings.setAccessibleName(self.tr("This image has its own settings"))
        self.own_settings.setToolTip(self.tr("Off: this image takes the form's duration, resolution, sound and seed"))
        self.duration = QSpinBox()
        self.duration.setRange(*DURATION_RANGE)
        self.duration.setSuffix(self.tr(" s"))
        self.duration.setAccessibleName(self.tr("This image's duration"))
        self.duration.setToolTip(self.tr("Length of this image's video"))
        self.resolution = QComboBox()
        self.resolution.addItems(RESOLUTIONS)
        self.resolution.setAccessibleName(self.tr("This image's resolution"))
        self.resolution.setToolTip(self.tr("Resolution of this image's video"))
        self.audio = QCheckBox(self.tr("Sound"))
        self.audio.setAccessibleName(self.tr("This image's sound"))
        self.audio.setToolTip(self.tr("Make sound for this image's video"))
        self.seed = QSpinBox()
        self.seed.setRange(*SEED_RANGE)
        self.seed.setSpecialValueText(self.tr("random"))
        self.seed.setAccessibleName(self.tr("This image's seed"))
        self.seed.setToolTip(self.tr("The seed for this image's first take; 0 = random"))
        self.follow_form = QPushButton(self.tr("Follow the form"))
        self.follow_form.setAccessibleName(self.tr("Follow the form"))
        self.follow_form.setToolTip(self.tr("Forget this image's own prompt and settings"))
        self.follow_form.setAutoDefault(False)

        row = QHBoxLayout()
        row.addWidget(self.duration)
        row.addWidget(self.resolution)
        row.addWidget(self.audio)
        layout = QFormLayout(self)
        layout.addRow(self.prompt)
        layout.addRow(self.own_settings, row)
        layout.addRow(self.tr("Seed"), self.seed)
        layout.addRow(self.follow_form)

        self.prompt.textChanged.connect(self._changed)
        self.own_settings.toggled.connect(self._changed)
        for signal in (self.duration.valueChanged, self.resolution.currentIndexChanged,
                       self.audio.toggled, self.seed.valueChanged):
            signal.connect(self._changed)
        self.follow_form.clicked.connect(self.reset)
        self._prompt_value: str | None = None
        self._overrides: dict[str, object] = {}
        self._show_enabled()

    def load(self, prompt: str | None, overrides: dict[str, object]) -> None:
        """Show an image's own values (the form's where it has none)."""
        self._loading = True
        self._prompt_value, self._overrides = prompt, dict(overrides)
        shown = self._form_settings().replace(**overrides)
        self.prompt.setPlainText(prompt or "")
        own = any(name in overrides for name in EDITED_FIELDS)
        self.own_settings.setChecked(own)
        self.duration.setValue(shown.duration)
        self.resolution.setCurrentText(shown.resolution)
        self.audio.setChecked(shown.audio)
        self.seed.setValue(shown.seed)
        self._loading = False
        self._show_enabled()

    def values(self) -> tuple[str | None, dict[str, object]]:
        """(own prompt or None, overrides) as edited."""
        return self._prompt_value, dict(self._overrides)

    def reset(self) -> None:
        self.load(None, {})
        self.edited.emit()

    def _changed(self) -> None:
        self._show_enabled()
        if self._loading:
            return
        text = self.prompt.toPlainText()
        self._prompt_value = text if text.strip() else None
        kept = {key: value for key, value in self._overrides.items() if key not in EDITED_FIELDS}
        if self.own_settings.isChecked():
            kept.update(duration=self.duration.value(), resolution=self.resolution.currentText(),
                        audio=self.audio.isChecked(), seed=self.seed.value())
        self._overrides = kept  # unchecked: these four follow the form (Follow the form forgets the rest too)
        self.edited.emit()

    def _show_enabled(self) -> None:
        own = self.own_settings.isChecked()
        for widget in (self.duration, self.resolution, self.audio, self.seed):
            widget.setEnabled(own)
