"""Settings: the API key (keyring only), the library folder and the server address."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
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
        layout.addWidget(buttons)

        self.save_key.clicked.connect(self._save_key)
        self.test_key.clicked.connect(self._test_key)
        self.remove_key.clicked.connect(self._remove_key)
        run_in_background(credentials.load_api_key, self._show_key_source, owner=self)

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
