"""Settings: the API key (keyring only), the library folder, the server address, the queue,
the language, and money: the price overrides, when Generate asks first, and the monthly cap."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
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
    QSpinBox,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from .. import credentials, settings
from ..core import errors, redact
from ..core.novita import NovitaClient, resolve_base_url, valid_api_key
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
from .i18n import LANGUAGE_NAMES, LANGUAGES

#: Wide enough for a whole Novita key ("sk_" and 48 more characters) without scrolling.
KEY_WIDTH_SAMPLE = "sk_" + "0123456789abcdef" * 3


class SettingsDialog(QDialog):
    keyChanged = Signal()  # stored or removed, or another server: the window reconnects

    def __init__(self, parent: QWidget | None = None, first_run: bool = False) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Vidu Desktop — Settings"))
        self.key = QLineEdit()
        self.key.setEchoMode(QLineEdit.EchoMode.Password)
        self.key.setPlaceholderText(self.tr("Paste your Novita API key (novita.ai → Key Management)"))
        self.key.setToolTip(self.tr("Kept in your system keyring (service “vidu-desktop”), never in a file. "
                                    "Save keeps what is typed here."))
        self.key.setAccessibleName(self.tr("API key"))
        margins = self.key.textMargins()
        self.key.setMinimumWidth(self.key.fontMetrics().horizontalAdvance(KEY_WIDTH_SAMPLE)
                                 + margins.left() + margins.right() + 24)
        self.show_key = QToolButton()
        self.show_key.setCheckable(True)
        self.show_key.setText(self.tr("Show"))
        self.show_key.setAccessibleName(self.tr("Show key"))
        self.show_key.setToolTip(self.tr("Show or hide the key as typed"))
        self.show_key.toggled.connect(self._show_key_toggled)
        self.save_key = QPushButton(self.tr("Save key"))
        self.save_key.setToolTip(self.tr("Keep the typed key now, without closing Settings"))
        self.test_key = QPushButton(self.tr("Test"))
        self.test_key.setToolTip(self.tr("Ask Novita whether the key works (the typed one, else the stored one)"))
        self.remove_key = QPushButton(self.tr("Remove key"))
        self.remove_key.setToolTip(self.tr("Forget the stored key: the app goes back to Demo mode"))
        for button in (self.save_key, self.test_key, self.remove_key):
            button.setAutoDefault(False)
            button.setAccessibleName(button.text())
        self.key_status = QLabel(self.tr("Looking up the stored key…"))
        self.key_status.setWordWrap(True)
        self.key_status.setAccessibleName(self.tr("API key status"))
        key_row = QHBoxLayout()
        key_row.addWidget(self.key, 1)
        key_row.addWidget(self.show_key)
        key_buttons = QHBoxLayout()
        for widget in (self.save_key, self.test_key, self.remove_key):
            key_buttons.addWidget(widget)
        key_buttons.addStretch(1)

        self.library = QLineEdit(str(settings.library_dir()))
        self.library.setToolTip(self.tr("Finished videos are saved here."))
        self.library.setAccessibleName(self.tr("Video library"))
        browse = QPushButton(self.tr("Choose…"))
        browse.setAccessibleName(self.tr("Choose the video library folder"))
        browse.setToolTip(browse.accessibleName())
        browse.setAutoDefault(False)
        browse.clicked.connect(self._choose_library)
        library_row = QHBoxLayout()
        library_row.addWidget(self.library)
        library_row.addWidget(browse)

        self.base_url = QLineEdit(settings.base_url_setting() or "")
        self.base_url.setPlaceholderText("https://api.novita.ai")
        self.base_url.setToolTip(self.tr("Leave empty for Novita. NOVITA_API_BASE_URL in the environment wins."))
        self.base_url.setAccessibleName(self.tr("Server address"))

        form = QFormLayout()
        form.addRow(self.tr("API key"), key_row)
        form.addRow("", key_buttons)
        form.addRow("", self.key_status)
        form.addRow(self.tr("Video library"), library_row)
        form.addRow(self.tr("Server address"), self.base_url)
        queue_and_language = self._build_queue_and_language()
        money = self._build_money()
        buttons = QDialogButtonBox()
        self.save_button = buttons.addButton(self.tr("Save"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.save_button.setToolTip(self.tr("Keep these settings, the typed key included, and close"))
        self.save_button.setAccessibleName(self.tr("Save"))
        self.save_button.setDefault(True)
        self.cancel_button = buttons.addButton(self.tr("Cancel"), QDialogButtonBox.ButtonRole.RejectRole)
        self.cancel_button.setToolTip(self.tr("Close without keeping the changes"))
        self.cancel_button.setAccessibleName(self.tr("Cancel"))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        if first_run:
            intro = QLabel(self.tr("Welcome! Enter your Novita API key to make real videos. Without a key the "
                                   "app runs in Demo mode against a built-in simulator."))
            intro.setWordWrap(True)
            layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(queue_and_language)
        layout.addWidget(money)
        layout.addWidget(buttons)

        self._saving = False
        self.save_key.clicked.connect(self._save_key)
        self.test_key.clicked.connect(self._test_key)
        self.remove_key.clicked.connect(self._remove_key)
        run_in_background(credentials.load_api_key, self._show_key_source, owner=self)

    def _build_queue_and_language(self) -> QGroupBox:
        box = QGroupBox(self.tr("Queue and language"))
        layout = QFormLayout(box)
        self.max_open_jobs = QSpinBox()
        self.max_open_jobs.setRange(*settings.MAX_OPEN_JOBS_RANGE)
        self.max_open_jobs.setValue(settings.max_open_jobs())
        self.max_open_jobs.setAccessibleName(self.tr("Jobs at Novita at once"))
        self.max_open_jobs.setToolTip(self.tr("At most this many jobs are sent to Novita at the same time; the "
                                              "others wait in the app's queue ({low}–{high}, {default} unless "
                                              "changed).").format(low=settings.MAX_OPEN_JOBS_RANGE[0],
                                                                  high=settings.MAX_OPEN_JOBS_RANGE[1],
                                                                  default=settings.DEFAULT_MAX_OPEN_JOBS))
        layout.addRow(self.tr("Jobs at Novita at once"), self.max_open_jobs)
        self.language = QComboBox()
        self.language.addItem(self.tr("System language"), "")
        for code in LANGUAGES:
            self.language.addItem(LANGUAGE_NAMES[code], code)
        self.language.setCurrentIndex(max(0, self.language.findData(settings.ui_language())))
        self.language.setAccessibleName(self.tr("Language"))
        self.language.setToolTip(self.tr("The language of the window. Applies after a restart."))
        self.language_note = QLabel(self.tr("Applies after a restart."))
        self.language_note.setAccessibleName(self.tr("Language note"))
        language_row = QHBoxLayout()
        language_row.addWidget(self.language, 1)
        language_row.addWidget(self.language_note)
        layout.addRow(self.tr("Language"), language_row)
        return box

    def _build_money(self) -> QGroupBox:
        """Rates (empty: the shipped table's), the off-peak factor, the threshold, the cap."""
        table = default_table()
        saved = settings.price_overrides()
        box = QGroupBox(self.tr("Money (every figure is an estimate)"))
        layout = QFormLayout(box)
        self.rates: dict[str, QLineEdit] = {}
        for key in OVERRIDE_KEYS:
            field = QLineEdit(saved.get(key, ""))
            if key == OFF_PEAK_KEY:
                default = str(table.off_peak_factor)
                label = self.tr("Off-peak factor")
                field.setToolTip(self.tr("Off-peak jobs cost this fraction of the price (0.5 is half price), "
                                         "but Novita may take up to 48 hours. Empty: the price table's "
                                         "{default}.").format(default=default))
            else:
                default = str(table.rate(key))
                label = self.tr("{resolution} $ per second").format(resolution=key)
                field.setToolTip(self.tr("What a second of {resolution} video costs, in US dollars. Empty: the "
                                         "price table's ${default}.").format(resolution=key, default=default))
            field.setPlaceholderText(default)
            field.setAccessibleName(label)
            self.rates[key] = field
            layout.addRow(label, field)
        # The table's own note (where its figures come from) is a citation in English: the tooltip.
        words = (self.tr("Defaults from the price table shipped with the app, taken {date}. Novita publishes no "
                         "price API.").format(date=table.taken) if table.taken else
                 self.tr("Defaults from the price table shipped with the app. Novita publishes no price API."))
        source = QLabel(words)
        source.setWordWrap(True)
        source.setToolTip(table.source)
        self.reset_prices = QPushButton(self.tr("Reset to defaults"))
        self.reset_prices.setToolTip(self.tr("Forget your own rates and use the price table's"))
        self.reset_prices.setAccessibleName(self.tr("Reset prices to defaults"))
        self.reset_prices.setAutoDefault(False)
        self.reset_prices.clicked.connect(self.reset_to_defaults)
        layout.addRow(source)
        layout.addRow("", self.reset_prices)

        self.confirm_above = QDoubleSpinBox()
        self.confirm_above.setRange(0, 1_000_000)
        self.confirm_above.setDecimals(2)
        self.confirm_above.setPrefix("$")
        self.confirm_above.setValue(float(usd(settings.confirm_above_units())))
        self.confirm_above.setToolTip(self.tr("Generate asks first when its estimate is above this "
                                              "($5 unless changed)."))
        self.confirm_above.setAccessibleName(self.tr("Ask before a Generate above"))
        layout.addRow(self.tr("Ask before a Generate above"), self.confirm_above)

        cap = settings.monthly_cap_units()
        self.cap_on = QCheckBox(self.tr("Monthly cap"))
        self.cap_on.setChecked(cap is not None)
        self.cap_on.setAccessibleName(self.tr("Use a monthly cap"))
        self.cap_on.setToolTip(self.tr("Generate refuses what would take this month's estimated spending "
                                       "past the cap."))
        self.cap = QDoubleSpinBox()
        self.cap.setRange(0, 1_000_000)
        self.cap.setDecimals(2)
        self.cap.setPrefix("$")
        self.cap.setValue(float(usd(cap)) if cap is not None else 50.0)
        self.cap.setEnabled(cap is not None)
        self.cap.setAccessibleName(self.tr("Monthly cap"))
        self.cap.setToolTip(self.cap_on.toolTip())
        self.cap_on.toggled.connect(self.cap.setEnabled)
        cap_row = QHBoxLayout()
        cap_row.addWidget(self.cap_on)
        cap_row.addWidget(self.cap, 1)
        layout.addRow(cap_row)
        self.money_status = QLabel()
        self.money_status.setObjectName("problems")
        self.money_status.setWordWrap(True)
        self.money_status.setAccessibleName(self.tr("Money settings problem"))
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

    def _money_problem(self) -> bool:
        """Show what is wrong with the typed rates (and go there); True when something is."""
        problems = override_problems(self.price_overrides())
        if problems:
            self.money_status.setText(" ".join(f"{key}: {words}" for key, words in problems.items()))
            self.money_status.show()
            self.rates[next(iter(problems))].setFocus()
            return True
        self.money_status.hide()
        return False

    def _save_money(self) -> None:
        settings.save_price_overrides(clean_overrides(self.price_overrides()))
        settings.save_confirm_above_units(to_units(Decimal(str(self.confirm_above.value()))))
        settings.save_monthly_cap_units(to_units(Decimal(str(self.cap.value()))) if self.cap_on.isChecked()
                                        else None)

    def _show_key_toggled(self, shown: bool) -> None:
        self.key.setEchoMode(QLineEdit.EchoMode.Normal if shown else QLineEdit.EchoMode.Password)
        self.show_key.setText(self.tr("Hide") if shown else self.tr("Show"))
        self.show_key.setAccessibleName(self.tr("Hide key") if shown else self.tr("Show key"))

    def _show_key_source(self, key: credentials.ApiKey) -> None:
        if self._saving:
            return
        if key.value:
            where = {credentials.KeySource.ENVIRONMENT: self.tr("environment variable NOVITA_API_KEY"),
                     credentials.KeySource.KEYRING: self.tr("system keyring"),
                     credentials.KeySource.SESSION: self.tr("this session only")}.get(key.source, key.source.value)
            self.key_status.setText(self.tr("A key is stored ({where}).").format(where=where))
        else:
            self.key_status.setText(self.tr("No key stored: the app runs in Demo mode."))

    def _say(self, words: str) -> None:
        """The status line: never a key, whatever a server or a library put in the words; and
        the words of this dialog's buttons (the error texts are written for the job list's Retry)."""
        words = redact.redact(words)
        words = words.replace("press Retry", self.tr("press Test")).replace("then Retry", self.tr("then Test"))
        words = words.replace("“重试”", f"“{self.test_key.text()}”")  # the same in Chinese
        self.key_status.setText(words)

    def _typed_key_problem(self, typed: str) -> str:
        if typed and not valid_api_key(typed):
            return self.tr("The API key contains spaces, line breaks or unusual characters: "
                           "copy it again from novita.ai.")
        return ""

    def _store_typed_key(self, typed: str, then_close: bool) -> None:
        """Keep the key in the keyring off the GUI thread (a keyring may ask for a password);
        with then_close, the dialog closes once it is kept and stays open to say what failed."""
        redact.remember(typed)  # before anything is done with it
        self._saving = True
        self.key_status.setText(self.tr("Saving the key…"))
        for button in (self.save_key, self.save_button, self.remove_key):
            button.setEnabled(False)

        def saved(source: credentials.KeySource) -> None:
            self._saving = False
            self.key.clear()
            if source is credentials.KeySource.KEYRING:
                self.key_status.setText(self.tr("Saved in the system keyring."))
            else:
                self.key_status.setText(self.tr("No system keyring is available: the key is kept for this "
                                                "session only and will be asked for again next time."))
            self._enable_buttons()
            self.keyChanged.emit()
            if then_close:
                super(SettingsDialog, self).accept()

        def failed(exc: BaseException) -> None:
            self._saving = False
            self._say(str(exc) if isinstance(exc, ValueError) else errors.describe(exc))
            self._enable_buttons()
            self.key.setFocus()

        run_in_background(lambda: credentials.store_api_key(typed), saved, failed, owner=self)

    def _enable_buttons(self) -> None:
        for button in (self.save_key, self.save_button, self.remove_key):
            button.setEnabled(True)

    def _save_key(self) -> None:
        typed = self.key.text().strip()
        if not typed:
            self.key_status.setText(self.tr("Type or paste a key first."))
            return
        problem = self._typed_key_problem(typed)
        if problem:
            redact.remember(typed)
            self._say(problem)
            return
        self._store_typed_key(typed, then_close=False)

    def _test_key(self) -> None:
        typed = self.key.text().strip()
        redact.remember(typed)  # before it is sent anywhere: a server may echo it back
        base_url = self.base_url.text().strip() or None
        self.key_status.setText(self.tr("Testing…"))
        no_key, works = self.tr("No key to test."), self.tr("The key works.")
        balance_words = self.tr("Balance: {balance}.")

        def test() -> str:
            key = typed or credentials.load_api_key().value
            if not key:
                return no_key
            balance = NovitaClient(key, base_url=resolve_base_url(base_url)).balance()
            if balance.available is None:
                return works
            return works + " " + balance_words.format(balance=balance.shown())

        run_in_background(test, self._say, lambda exc: self._say(errors.describe(exc)), owner=self)

    def _remove_key(self) -> None:
        run_in_background(credentials.delete_api_key,
                          lambda _: self._key_removed(), owner=self)

    def _key_removed(self) -> None:
        self.key_status.setText(self.tr("Key removed."))
        self.keyChanged.emit()

    def _choose_library(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, self.tr("Video library"), self.library.text())
        if folder:
            self.library.setText(folder)

    def accept(self) -> None:
        """Save: check everything first (nothing is kept while something is wrong), keep the
        settings, then the typed key; the dialog closes once the key is in the keyring."""
        if self._saving or self._money_problem():
            return
        base_url = self.base_url.text().strip()
        if base_url:
            try:
                resolve_base_url(base_url, environ={})
            except ValueError as exc:
                self._say(str(exc))
                self.base_url.setFocus()
                return
        typed = self.key.text().strip()
        problem = self._typed_key_problem(typed)
        if problem:
            redact.remember(typed)
            self._say(problem)
            self.key.setFocus()
            return
        self._save_money()
        settings.save_max_open_jobs(self.max_open_jobs.value())
        settings.save_ui_language(str(self.language.currentData() or ""))
        new_server = base_url != (settings.base_url_setting() or "")
        if new_server:
            settings.set_value("network/base_url", base_url)
        library = self.library.text().strip()
        if library and Path(library) != settings.library_dir():  # unchanged keeps the default
            settings.set_value("library/folder", library)
        if typed:
            self._store_typed_key(typed, then_close=True)  # reconnects once the key is kept
            return
        if new_server:
            self.keyChanged.emit()  # a new server: connect again
        super().accept()
