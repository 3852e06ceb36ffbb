"""No key reaches the log: the real rotating log file of setup_logging, read back after messages,
exceptions (with causes, contexts and groups), stacks, uncaught exceptions in every thread and a
whole process that crashes with its key in the exception."""

from __future__ import annotations

import gc
import io
import logging
import os
import subprocess
import sys
import textwrap
import threading
from pathlib import Path

import pytest

from tests.logs import fragments, log_text
from vidu_desktop import credentials, logging_setup
from vidu_desktop.core import errors, redact
from vidu_desktop.core.redact import MASK

KEY = "sk_live_51Hc9ZqT2mVx8RkP4wYb7NdJ3eLfG6sA"
log = logging.getLogger("vidu_desktop.tests.secrets")


def leaks(text: str, key: str = KEY) -> list[str]:
    return fragments(text, key)


@pytest.fixture
def fresh_redactor(monkeypatch):
    monkeypatch.setattr(redact, "_table", redact._Table())


@pytest.fixture
def log_folder(tmp_path, fresh_redactor, process_logging) -> Path:
    """The app's logging into a real rotating file in a test folder, the key already known."""
    folder = tmp_path / "logs"
    logging_setup.setup_logging(directory=folder)
    redact.remember(KEY)
    return folder


def test_messages_and_their_arguments_never_carry_the_key(log_folder):
    log.info("the key is %s", KEY)
    log.warning(f"server said: invalid key {KEY}")
    log.error("headers %r", {"Authorization": f"Bearer {KEY}"})
    log.info("error %s", errors.InvalidRequestError(400, "BAD", f"key {KEY[:20]}…"))  # cut in the key
    log.info("nothing secret here: %d jobs", 3)
    text = log_text(log_folder)
    assert leaks(text) == []
    assert text.count(MASK) == 4 and "nothing secret here: 3 jobs" in text


def test_exceptions_and_their_tracebacks_never_carry_the_key(log_folder):
    def submit():
        raise errors.ServerError(500, "CREATE_TASK_FAILED", f"bad key Bearer {KEY}")

    try:
        try:
            submit()
        except errors.ServerError as exc:
            raise errors.SubmissionUncertain(f"after {exc}") from exc
    except errors.SubmissionUncertain:
        log.exception("chained: raise from")
    try:
        try:
            raise KeyError(KEY)
        except KeyError:
            raise ValueError("while handling the key") from None
    except ValueError:
        log.exception("suppressed context")
    try:
        try:
            raise OSError(f"token={KEY}")
        except OSError:
            raise ValueError("during handling") from None
    except ValueError as exc:
        exc.__suppress_context__ = False  # the context shown: "During handling of the above…"
        log.error("implicit context", exc_info=exc)
    try:
        raise ExceptionGroup("several", [ValueError(KEY), errors.AuthError(401, "X", KEY)])
    except ExceptionGroup:
        log.exception("a group")
    log.warning("where from", stack_info=True)  # sk_live_51Hc9ZqT2mVx8RkP4wYb7NdJ3eLfG6sA
    try:
        raise RuntimeError("a source line with it")  # sk_live_51Hc9ZqT2mVx8RkP4wYb7NdJ3eLfG6sA
    except RuntimeError:
        log.exception("traceback source")
    text = log_text(log_folder)
    assert leaks(text) == []
    for expected in ("SubmissionUncertain", "The above exception was the direct cause",
                     "During handling of the above exception", "ExceptionGroup: several",
                     "Stack (most recent call last)", "a source line with it"):
        assert expected in text
    assert text.count(MASK) >= 7


def test_rotated_files_never_carry_the_key(log_folder):
    handler = next(h for h in logging.getLogger().handlers
                   if isinstance(h, logging.handlers.RotatingFileHandler)
                   and Path(h.baseFilename).parent == log_folder)
    handler.maxBytes = 4000  # rotate every few lines, through all the backups
    for n in range(200):
        try:
            raise errors.NetworkError(f"attempt {n}: Bearer {KEY}")
        except errors.NetworkError:
            log.warning("poll %d failed for %s", n, KEY, exc_info=True)
    files = sorted(log_folder.glob("vidu-desktop.log*"))
    assert len(files) == 6  # the file and its five backups
    assert leaks(log_text(log_folder)) == []


def test_any_handler_gets_records_without_the_key(log_folder):
    # A handler with a plain formatter (the app's fallback to the terminal) and one added
    # before setup_logging ran: records are redacted when made, not only by our formatter.
    stream = io.StringIO()
    plain = logging.StreamHandler(stream)
    plain.setFormatter(logging.Formatter("%(message)s"))
    logging.getLogger().addHandler(plain)
    try:
        raise errors.AuthError(401, "INVALID_API_KEY", f"{KEY} is not a key")
    except errors.AuthError:
        log.exception("test failed with %s", KEY, stack_info=True)
    # and a record made elsewhere (another process, makeLogRecord) reaching our handler
    logging.getLogger().handle(logging.makeLogRecord({"name": "elsewhere", "levelno": logging.ERROR,
                                                      "levelname": "ERROR", "msg": "from %s",
                                                      "args": (KEY,)}))
    assert leaks(stream.getvalue()) == [] and MASK in stream.getvalue()
    assert "AuthError" in stream.getvalue()
    text = log_text(log_folder)
    assert leaks(text) == [] and "elsewhere: from [key hidden]" in text


def test_uncaught_exceptions_in_any_thread_never_carry_the_key(log_folder, capsys):
    try:
        raise errors.ApiError(400, "BAD", f"echo {KEY}")
    except errors.ApiError as exc:
        sys.excepthook(type(exc), exc, exc.__traceback__)

    def worker() -> None:
        raise errors.ProtocolError(f"answered with {KEY}")

    thread = threading.Thread(target=worker, name="poller")
    thread.start()
    thread.join(10)

    class Leaky:
        def __del__(self) -> None:
            raise ValueError(f"closing {KEY}")

    leaky = Leaky()
    del leaky
    gc.collect()
    text, err = log_text(log_folder), capsys.readouterr().err
    assert leaks(text) == [] and leaks(err) == []
    assert "uncaught exception" in text and "ApiError" in text and "Exception in thread poller" in err
    assert "ProtocolError" in text and "ProtocolError" in err
    assert "Exception ignored" in text and "ValueError: closing [key hidden]" in text
    assert "ValueError: closing [key hidden]" in err


def test_keys_from_the_environment_and_the_keyring_are_known_to_the_log(
        tmp_path, fresh_redactor, process_logging, monkeypatch):
    import keyring

    folder = tmp_path / "logs"
    logging_setup.setup_logging(directory=folder)
    stored = "sk_keyring_9QwErTyUiOpAsDfGhJkL"
    keyring.set_password(credentials.KEYRING_SERVICE, credentials.KEYRING_USER, stored)
    try:
        assert credentials.load_api_key().value == stored
        monkeypatch.setenv(credentials.API_KEY_ENV, KEY)
        assert credentials.load_api_key().value == KEY
        log.warning("keyring %s, environment %s", stored, KEY)
    finally:
        credentials.delete_api_key()
    text = log_text(folder)
    assert leaks(text) == [] and leaks(text, stored) == [] and text.count(MASK) == 2


def test_when_the_log_folder_is_unusable_records_are_still_redacted(tmp_path, fresh_redactor, process_logging):
    blocked = tmp_path / "logs"
    blocked.write_text("a file where the log folder should be")
    with pytest.raises(FileExistsError):
        logging_setup.setup_logging(directory=blocked)
    stream = io.StringIO()
    logging.getLogger().addHandler(logging.StreamHandler(stream))  # the app's terminal fallback
    redact.remember(KEY)
    try:
        raise ValueError(KEY)
    except ValueError:
        log.exception("with %s", KEY)
    assert leaks(stream.getvalue()) == [] and "ValueError: [key hidden]" in stream.getvalue()
    assert sys.excepthook is logging_setup.log_uncaught


def test_a_process_that_dies_with_its_key_in_the_exception_leaves_no_key_anywhere(tmp_path):
    # The app as a user runs it: the key in the environment, an uncaught exception in a worker
    # thread and then in the main thread, carrying the key. Nothing of it in the log or stderr.
    folder = tmp_path / "logs"
    code = textwrap.dedent(f"""
        import threading
        from pathlib import Path
        from vidu_desktop import credentials, logging_setup
        logging_setup.setup_logging(directory=Path({str(folder)!r}))
        key = credentials.load_api_key().value
        def poll():
            raise ConnectionError("server echoed " + key)
        thread = threading.Thread(target=poll)
        thread.start()
        thread.join()
        raise RuntimeError("server echoed Bearer " + key)
    """)
    env = dict(os.environ, NOVITA_API_KEY=KEY)
    done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode == 1
    text = (folder / "vidu-desktop.log").read_text(encoding="utf-8")
    assert "RuntimeError: server echoed Bearer [key hidden]" in text
    assert "ConnectionError: server echoed [key hidden]" in text
    assert "RuntimeError: server echoed Bearer [key hidden]" in done.stderr
    assert leaks(text) == [] and leaks(done.stderr) == [] and leaks(done.stdout) == []
