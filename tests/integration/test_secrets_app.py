"""A server that echoes the API key back: no key in the log, in the window or in the job list.

The server here is a tiny loopback one that puts the Authorization header it received into every
error it answers (in JSON or as plain text); the real app (Settings dialog, session, engine,
window, the rotating log of setup_logging) is driven against it with real widgets.
"""

from __future__ import annotations

import base64
import json
import logging
import os
import sqlite3
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import quote

import pytest

from tests.images import png_bytes
from tests.logs import fragments, log_text
from vidu_desktop import credentials, logging_setup
from vidu_desktop.core import redact
from vidu_desktop.core.redact import MASK

os.environ.setdefault("QT_QPA_PLATFORM", "xcb" if os.environ.get("DISPLAY") else "offscreen")

KEY = "sk_live_8ZpQ4rT7uW1xY3aB6cD9eF2gH5jK0mN"  # typed into Settings
STORED = "sk_live_3VbN6mQ9wE2rT5yU8iO1pA4sD7fG0hJ"  # already in the keyring or the environment


def leaks(text: str, *keys: str) -> list[str]:
    """Every piece of FRAGMENT_CHARS characters of a key, or of its encodings the server here
    uses, still in the text (none, please)."""
    return fragments(text, *(form for key in keys or (KEY, STORED)
                             for form in (key, quote(key, safe=""),
                                          base64.b64encode(f"Bearer {key}".encode()).decode())))


@dataclass
class Echo:
    """What the echoing server answers: this status, with the key in the message (JSON) or the
    body (plain text), written as it came, encoded, or at the end of a long message so that the
    app's length limit cuts it in the middle."""

    status: int = 400
    reason: str = "INVALID_REQUEST_BODY"
    plain_text: bool = False
    style: str = "as sent"  # "as sent", "encoded" or "cut"
    received: list[str] = field(default_factory=list)  # the Authorization headers it was sent

    def words(self, authorization: str) -> str:
        key = authorization.removeprefix("Bearer ")
        if self.style == "encoded":
            return f"token {base64.b64encode(authorization.encode()).decode()} / {quote(key, safe='')} refused"
        if self.style == "cut":  # the client keeps 300 characters of a JSON message, 200 of a text
            return "refused: " + "." * ((179 if self.plain_text else 279) - 9) + key
        return f"the key {key} is not valid ({authorization})"


@pytest.fixture
def echo_server() -> Iterator[tuple[str, Echo]]:
    echo = Echo()

    class Handler(BaseHTTPRequestHandler):
        def _answer(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            if length:
                self.rfile.read(length)
            authorization = self.headers.get("Authorization", "")
            echo.received.append(authorization)
            words = echo.words(authorization)
            if echo.plain_text:
                body, kind = words.encode(), "text/plain"
            else:
                body = json.dumps({"code": echo.status, "reason": echo.reason, "message": words}).encode()
                kind = "application/json"
            self.send_response(echo.status)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        do_GET = do_POST = _answer

        def log_message(self, format, *args):  # quiet
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", echo
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def app_log(tmp_path, monkeypatch, process_logging) -> Path:
    """The app's real log (setup_logging into a test folder) and a redactor that knows no key
    yet: what hides a key here is what the app itself remembered. All put back afterwards."""
    monkeypatch.setattr(redact, "_table", redact._Table())
    folder = tmp_path / "logs"
    logging_setup.setup_logging(logging.DEBUG, directory=folder)
    return folder


# ------------------------------------------------------------------------------ Settings


@pytest.fixture
def dialog(qtbot):
    from vidu_desktop.ui.settings_dialog import SettingsDialog

    settings_dialog = SettingsDialog()
    qtbot.addWidget(settings_dialog)
    settings_dialog.show()
    qtbot.waitUntil(lambda: "Looking up" not in settings_dialog.key_status.text(), timeout=10_000)
    return settings_dialog


def press_test(qtbot, dialog, base_url: str) -> str:
    from PySide6.QtCore import Qt

    dialog.base_url.setText(base_url)
    qtbot.mouseClick(dialog.test_key, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.key_status.text() != "Testing…", timeout=15_000)
    return dialog.key_status.text()


@pytest.mark.parametrize("status, reason, plain_text, style, shown", [
    (400, "INVALID_REQUEST_BODY", False, "as sent", "Novita refused a setting (the key "),
    (400, "INVALID_REQUEST_BODY", False, "encoded", "Novita refused a setting (token "),
    (400, "INVALID_REQUEST_BODY", False, "cut", "Novita refused a setting (refused: ..."),
    (404, "API_NOT_FOUND", False, "as sent", "Novita could not find what was asked for (the key "),
    (401, "SOMETHING_ELSE", False, "as sent", "Novita refused the API key or the account."),
    (403, "", True, "cut", "Novita refused the API key or the account."),
    (418, "", True, "as sent", "Novita refused a setting (the key "),
    (418, "", True, "cut", "Novita refused a setting (refused: ..."),
])
def test_testing_a_typed_key_against_an_echoing_server_shows_and_logs_no_key(
        qtbot, app_log, echo_server, dialog, status, reason, plain_text, style, shown):
    base_url, echo = echo_server
    echo.status, echo.reason, echo.plain_text, echo.style = status, reason, plain_text, style
    dialog.key.setText(f"  {KEY} ")
    words = press_test(qtbot, dialog, base_url)
    assert echo.received and set(echo.received) == {f"Bearer {KEY}"}  # it really was sent and echoed
    assert words.startswith(shown) and leaks(words) == []
    text = log_text(app_log)
    assert "background task failed" in text and "Traceback" in text  # the traceback that held it
    assert leaks(text) == []
    if style != "as sent":  # only the redactor knows these forms of the key
        assert MASK in text
        assert MASK in words or status in (401, 403)


@pytest.mark.parametrize("where", ["keyring", "environment"])
def test_testing_the_stored_key_against_an_echoing_server_shows_and_logs_no_key(
        qtbot, app_log, echo_server, monkeypatch, where):
    import keyring

    base_url, echo = echo_server
    if where == "keyring":
        keyring.set_password(credentials.KEYRING_SERVICE, credentials.KEYRING_USER, STORED)
    else:
        monkeypatch.setenv(credentials.API_KEY_ENV, STORED)
    try:
        from vidu_desktop.ui.settings_dialog import SettingsDialog

        settings_dialog = SettingsDialog()
        qtbot.addWidget(settings_dialog)
        qtbot.waitUntil(lambda: "Looking up" not in settings_dialog.key_status.text(), timeout=10_000)
        words = press_test(qtbot, settings_dialog, base_url)  # nothing typed: the stored key
    finally:
        credentials.delete_api_key()
    assert echo.received == [f"Bearer {STORED}"]
    assert words.startswith("Novita refused a setting (the key ") and leaks(words) == []
    text = log_text(app_log)
    assert "Traceback" in text and leaks(text) == []


def test_saving_a_typed_key_when_the_keyring_echoes_it_logs_and_shows_no_key(qtbot, app_log, dialog, monkeypatch):
    import keyring
    from PySide6.QtCore import Qt

    def failing_keyring(service: str, user: str, password: str) -> None:
        raise RuntimeError(f"Secret Service refused item {password!r}")

    monkeypatch.setattr(keyring, "set_password", failing_keyring)
    dialog.key.setText(KEY)
    with qtbot.waitSignal(dialog.keyChanged, timeout=10_000):
        qtbot.mouseClick(dialog.save_key, Qt.MouseButton.LeftButton)
    assert "this session only" in dialog.key_status.text() and leaks(dialog.key_status.text()) == []
    text = log_text(app_log)
    assert "could not write to the keyring" in text and "RuntimeError: Secret Service refused item" in text
    assert leaks(text) == []
    credentials.delete_api_key()


# ------------------------------------------------------------------------------- jobs


def run_one_failing_job(qtbot, tmp_path: Path, monkeypatch, base_url: str) -> tuple[object, str, str]:
    """One job through the real session, engine and window against `base_url` with the key
    STORED from the environment, until it fails: the job, what its row shows, what the database
    holds (every table)."""
    from vidu_desktop.core.lifecycle import JobState
    from vidu_desktop.core.request import ImageOrder, VideoSettings
    from vidu_desktop.session import Session
    from vidu_desktop.ui.main_window import MainWindow

    monkeypatch.setenv(credentials.API_KEY_ENV, STORED)
    monkeypatch.setenv("NOVITA_API_BASE_URL", base_url)
    image = tmp_path / "image.png"
    image.write_bytes(png_bytes(320, 240))
    database = tmp_path / "jobs.sqlite3"
    session = Session(database)
    window = MainWindow(session)
    qtbot.addWidget(window)
    window.show()
    try:
        with qtbot.waitSignal(session.modeChanged, timeout=10_000,
                              check_params_cb=lambda mode: mode.can_generate or mode.name == "OFFLINE"):
            session.start()
        assert session.mode.can_generate
        session.generate([ImageOrder(str(image), VideoSettings(duration=5))])

        def failed() -> bool:
            jobs = window.jobs.model.jobs()
            return len(jobs) == 1 and jobs[0].state is JobState.FAILED

        qtbot.waitUntil(failed, timeout=20_000)
        [job] = window.jobs.model.jobs()
        shown = " ".join(str(window.jobs.model.data(window.jobs.model.index(0, column)))
                         for column in range(window.jobs.model.columnCount()))
    finally:
        window.close()
        session.shutdown()
    with sqlite3.connect(database) as db:
        stored = "\n".join(" ".join(map(str, row)) for table, in db.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table'") for row in db.execute(f"SELECT * FROM {table}"))
    return job, shown, stored




@pytest.mark.parametrize("style", ["as sent", "encoded", "cut"])
def test_a_job_refused_by_an_echoing_server_stores_and_shows_no_key(
        qtbot, app_log, echo_server, monkeypatch, tmp_path, style):
    base_url, echo = echo_server
    echo.style = style
    job, shown, stored = run_one_failing_job(qtbot, tmp_path, monkeypatch, base_url)
    assert echo.received and set(echo.received) == {f"Bearer {STORED}"}
    assert job.error.startswith("Novita refused a setting") and "Novita refused a setting" in stored
    assert leaks(job.error) == [] and leaks(shown) == [] and leaks(stored) == []
    assert leaks(log_text(app_log)) == []


@pytest.mark.parametrize("route", ["submit", "result"])
def test_a_job_against_the_simulator_echoing_the_key_stores_shows_and_logs_none(
        qtbot, app_log, monkeypatch, tmp_path, route):
    # The simulator's own hostile mode: a 400 whose message and metadata repeat the key.
    from vidu_desktop.simulator.server import Simulator, SimulatorConfig

    with Simulator(SimulatorConfig(api_key=STORED, queued_s=0.2, processing_s=0.5)) as simulator:
        simulator.faults.add("echo_key", route=route, count=50)
        job, shown, stored = run_one_failing_job(qtbot, tmp_path, monkeypatch, simulator.base_url)
    assert job.error.startswith("Novita refused a setting") and "Novita refused a setting" in stored
    assert leaks(job.error) == [] and leaks(shown) == [] and leaks(stored) == []
    text = log_text(app_log)
    assert "InvalidRequestError" in text and leaks(text) == []
