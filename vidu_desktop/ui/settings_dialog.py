"""Settings: the API key (keyring only), the library folder, the server address, and money:
the price overrides, when Generate asks first, and the monthly cap."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from .. import credentials, settings
from ..core import errors, redact
from ..core.novita import NovitaClient, resolve_base_url
from ..core.pricing import (
    OFF_PEAK_KEY,
    OVERRIDE_KEYS,
    clean_overrides,
    default_table,
    override_problems,
    to_units,
    usd,
)
from ..workers.services import run_in_background


class SettingsDialog(QDialog):
    keyChanged = Signal()  # stored or removed: the window reconnects

    def __init__(self, parent: QWidget | None = None, first_run: bool = False) -> None:
        super().__init__(parent)
        self.setWindowTitle("Vidu Desktop — Settings")
        self.key = QLineEdit()
        self.key.setEchoMode(QLineEdit.EchoMode.Password)
        self.key.setPlaceholderText("Paste your Novita API key (novita.ai → Key Management)")
        self.key.setToolTip("Kept in your system keyring (service “vidu-desktop”), never in a file.")
        self.key.setAccessibleName("API key")
        self.save_key = QPushButton("Save key")
        self.test_key = QPushButton("Test")
        self.remove_key = QPushButton("Remove")
        self.key_status = QLabel("Looking up the stored key…")
        self.key_status.setWordWrap(True)
        key_row = QHBoxLayout()
        for widget in (self.key, self.save_key, self.test_key, self.remove_key):
            key_row.addWidget(widget)

        self.library = QLineEdit(str(settings.library_dir()))
        self.library.setToolTip("Finished videos are saved here.")
        browse = QPushButton("Choose…")
        browse.clicked.connect(self._choose_library)
        library_row = QHBoxLayout()
        library_row.addWidget(self.library)
        library_row.addWidget(browse)

        self.base_url = QLineEdit(settings.base_url_setting() or "")
        self.base_url.setPlaceholderText("https://api.novita.ai")
        self.base_url.setToolTip("Leave empty for Novita. NOVITA_API_BASE_URL in the environment wins.")

        form = QFormLayout()
        form.addRow("API key", key_row)
        form.addRow("", self.key_status)
        form.addRow("Video library", library_row)
        form.addRow("Server address", self.base_url)
        money = self._build_money()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        if first_run:
            intro = QLabel("Welcome! Enter your Novita API key to make real videos. Without a key the "
                           "app runs in Demo mode against a built-in simulator.")
            intro.setWordWrap(True)
            layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(money)
        layout.addWidget(buttons)

        self.save_key.clicked.connect(self._save_key)
        self.test_key.clicked.connect(self._test_key)
        self.remove_key.clicked.connect(self._remove_key)
        run_in_background(credentials.load_api_key, self._show_key_source, owner=self)

    def _build_money(self) -> QGroupBox:
        """Rates (empty: the shipped table's), the off-peak factor, the threshold, the cap."""
        table = default_table()
        saved = settings.price_overrides()
        box = QGroupBox("Money (every figure is an estimate)")
        layout = QFormLayout(box)
        self.rates: dict[str, QLineEdit] = {}
        for key in OVERRIDE_KEYS:
            field = QLineEdit(saved.get(key, ""))
            if key == OFF_PEAK_KEY:
                default = str(table.off_peak_factor)
                label = "Off-peak factor"
                field.setToolTip("Off-peak jobs cost this fraction of the price (0.5 is half price), "
                                 "but Novita may take up to 48 hours. Empty: the price table's "
                                 f"{default}.")
            else:
                default = str(table.rate(key))
                label = f"{key} $ per second"
                field.setToolTip(f"What a second of {key} video costs, in US dollars. Empty: the price "
                                 f"table's ${default}.")
            field.setPlaceholderText(default)
            field.setAccessibleName(label)
            self.rates[key] = field
            layout.addRow(label, field)
        source = QLabel(f"Defaults from {table.source or 'the price table'}"
                        + (f", taken {table.taken}" if table.taken else "") + ". Novita publishes no price API.")
        source.setWordWrap(True)
        self.reset_prices = QPushButton("Reset to defaults")
        self.reset_prices.setToolTip("Forget your own rates and use the price table's")
        self.reset_prices.clicked.connect(self.reset_to_defaults)
        layout.addRow(source)
        layout.addRow("", self.reset_prices)

        self.confirm_above = QDoubleSpinBox()
        self.confirm_above.setRange(0, 1_000_000)
        self.confirm_above.setDecimals(2)
        self.confirm_above.setPrefix("$")
        self.confirm_above.setValue(float(usd(settings.confirm_above_units())))
        self.confirm_above.setToolTip("Generate asks first when its estimate is above this ($5 unless changed).")
        self.confirm_above.setAccessibleName("Ask before a Generate above")
        layout.addRow("Ask before a Generate above", self.confirm_above)

        cap = settings.monthly_cap_units()
        self.cap_on = QCheckBox("Monthly cap")
        self.cap_on.setChecked(cap is not None)
        self.cap_on.setToolTip("Generate refuses what would take this month's estimated spending past the cap.")
        self.cap = QDoubleSpinBox()
        self.cap.setRange(0, 1_000_000)
        self.cap.setDecimals(2)
        self.cap.setPrefix("$")
        self.cap.setValue(float(usd(cap)) if cap is not None else 50.0)
        self.cap.setEnabled(cap is not None)
        self.cap.setAccessibleName("Monthly cap")
        self.cap.setToolTip(self.cap_on.toolTip())
        self.cap_on.toggled.connect(self.cap.setEnabled)
        cap_row = QHBoxLayout()
        cap_row.addWidget(self.cap_on)
        cap_row.addWidget(self.cap, 1)
        layout.addRow(cap_row)
        self.money_status = QLabel()
        self.money_status.setObjectName("problems")
        self.money_status.setWordWrap(True)
        self.money_status.setAccessibleName("Money settings problem")
        self.money_status.hide()
        layout.addRow(self.money_status)
        return box

    def reset_to_defaults(self) -> None:
        for field in self.rates.values():
            field.clear()
        self.money_status.hide()

    def price_overrides(self) -> dict[str, str]:
        """The rates typed in (only the fields that are not empty)."""
        return {key: field.text().strip() for key, field in self.rates.items() if field.text().strip()}

    def _save_money(self) -> bool:
        """Check and keep the money settings; False (and the reasons shown) when a rate is wrong."""
        overrides = self.price_overrides()
        problems = override_problems(overrides)
        if problems:
            self.money_status.setText(" ".join(f"{key}: {words}" for key, words in problems.items()))
            self.money_status.show()
            self.rates[next(iter(problems))].setFocus()
            return False
        self.money_status.hide()
        settings.save_price_overrides(clean_overrides(overrides))
        settings.save_confirm_above_units(to_units(Decimal(str(self.confirm_above.value()))))
        settings.save_monthly_cap_units(to_units(Decimal(str(self.cap.value()))) if self.cap_on.isChecked()
                                        else None)
        return True

    def _show_key_source(self, key: credentials.ApiKey) -> None:
        if key.value:
            self.key_status.setText(f"A key is stored ({key.source.value}).")
        else:
            self.key_status.setText("No key stored: the app runs in Demo mode.")

    def _say(self, words: str) -> None:
        """The status line: never a key, whatever a server or a library put in the words."""
        self.key_status.setText(redact.redact(words))

    def _save_key(self) -> None:
        value = self.key.text().strip()
        if not value:
            self.key_status.setText("Type or paste a key first.")
            return
        redact.remember(value)  # before anything is done with it
        self.key_status.setText("Saving…")

        def saved(source: credentials.KeySource) -> None:
            self.key.clear()
            if source is credentials.KeySource.KEYRING:
                self.key_status.setText("Saved in the system keyring.")
            else:
                self.key_status.setText("No system keyring is available: the key is kept for this "
                                        "session only and will be asked for again next time.")
            self.keyChanged.emit()

        run_in_background(lambda: credentials.store_api_key(value), saved,
                          lambda exc: self._say(
                              str(exc) if isinstance(exc, ValueError) else errors.describe(exc)),
                          owner=self)

    def _test_key(self) -> None:
        typed = self.key.text().strip()
        redact.remember(typed)  # before it is sent anywhere: a server may echo it back
        base_url = self.base_url.text().strip() or None
        self.key_status.setText("Testing…")

        def test() -> str:
            key = typed or credentials.load_api_key().value
            if not key:
                return "No key to test."
            balance = NovitaClient(key, base_url=resolve_base_url(base_url)).balance()
            return "The key works." + (f" Balance: {balance.shown()}." if balance.available is not None else "")

        run_in_background(test, self._say, lambda exc: self._say(errors.describe(exc)), owner=self)

    def _remove_key(self) -> None:
        run_in_background(credentials.delete_api_key,
                          lambda _: self._key_removed(), owner=self)

    def _key_removed(self) -> None:
        self.key_status.setText("Key removed.")
        self.keyChanged.emit()

    def _choose_library(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, "Video library", self.library.text())
        if folder:
            self.library.setText(folder)

    def accept(self) -> None:
        if not self._save_money():
            return
        base_url = self.base_url.text().strip()
        if base_url:
            try:
                resolve_base_url(base_url, environ={})
            except ValueError as exc:
                self._say(str(exc))
                return
        if base_url != (settings.base_url_setting() or ""):
            settings.set_value("network/base_url", base_url)
            self.keyChanged.emit()  # a new server: connect again
        library = self.library.text().strip()
        if library and Path(library) != settings.library_dir():  # unchanged keeps the default
            settings.set_value("library/folder", library)
        super().accept()
