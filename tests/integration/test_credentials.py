"""The API key in a real Secret Service (gnome-keyring on a private D-Bus, see run-headless.sh)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

import pytest

from vidu_desktop import credentials

pytestmark = pytest.mark.keyring


@pytest.fixture
def secret_service():
    import keyring

    if not credentials.keyring_available():
        if os.environ.get("VIDU_REQUIRE_KEYRING"):
            pytest.fail(f"no Secret Service although the test run set one up: {keyring.get_keyring()!r}")
        pytest.skip("no Secret Service on this session bus (run through tests/run-headless.sh)")
    credentials.delete_api_key()
    yield keyring
    credentials.delete_api_key()


def test_key_round_trip_through_the_os_keyring(secret_service):
    assert credentials.load_api_key().source is credentials.KeySource.NONE
    assert credentials.store_api_key("  sk-round-trip-123456  ") is credentials.KeySource.KEYRING
    loaded = credentials.load_api_key()
    assert loaded.value == "sk-round-trip-123456" and loaded.source is credentials.KeySource.KEYRING
    assert "sk-round-trip" not in repr(loaded)
    # Another program sees the same item: it really is in the Secret Service.
    if shutil.which("secret-tool"):
        out = subprocess.run(["secret-tool", "lookup", "service", "vidu-desktop", "username", "api-key"],
                             capture_output=True, text=True)
        assert out.stdout.strip() == "sk-round-trip-123456"
    credentials.delete_api_key()
    assert credentials.load_api_key().value is None


def test_key_set_from_the_command_line_is_found(secret_service):
    subprocess.run([sys.executable, "-m", "keyring", "set", "vidu-desktop", "api-key"],
                   input="sk-from-cli-654321\n", text=True, check=True)
    assert credentials.load_api_key().value == "sk-from-cli-654321"


def test_environment_overrides_the_keyring(secret_service, monkeypatch):
    credentials.store_api_key("sk-stored-111111")
    monkeypatch.setenv("NOVITA_API_KEY", "sk-env-222222")
    key = credentials.load_api_key()
    assert key.value == "sk-env-222222" and key.source is credentials.KeySource.ENVIRONMENT


def test_without_a_keyring_the_key_lives_for_the_session_only(tmp_path):
    code = ("from vidu_desktop import credentials as c\n"
            "print(c.store_api_key('sk-session-333333').name, c.load_api_key().source.name)")
    env = dict(os.environ, PYTHON_KEYRING_BACKEND="keyring.backends.fail.Keyring")
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["SESSION", "SESSION"]
    # and nothing was written anywhere under the test's config or data folders
    assert not any("sk-session" in p.read_text(errors="ignore")
                   for p in tmp_path.rglob("*") if p.is_file())


# ------------------------------------------------------ every key seen is known to the redactor


@pytest.fixture
def fresh_redactor(monkeypatch):
    from vidu_desktop.core import redact

    monkeypatch.setattr(redact, "_table", redact._Table())
    return redact


def test_a_stored_key_is_hidden_from_then_on(secret_service, fresh_redactor):
    credentials.store_api_key("  sk-stored-and-hidden-4d5e6f  ")
    assert fresh_redactor.redact("echo sk-stored-and-hidden-4d5e6f") == "echo [key hidden]"


def test_a_key_read_from_the_keyring_is_hidden(secret_service, fresh_redactor):
    secret_service.set_password(credentials.KEYRING_SERVICE, credentials.KEYRING_USER, "sk-in-keyring-7a8b9c")
    assert fresh_redactor.known() == 0
    assert credentials.load_api_key().value == "sk-in-keyring-7a8b9c"
    assert fresh_redactor.redact("Bearer sk-in-keyring-7a8b9c") == "Bearer [key hidden]"


def test_a_key_from_the_environment_is_hidden(secret_service, fresh_redactor, monkeypatch):
    monkeypatch.setenv("NOVITA_API_KEY", " sk-env-hidden-0a1b2c\n")
    assert credentials.load_api_key().value == "sk-env-hidden-0a1b2c"
    assert fresh_redactor.redact("key=sk-env-hidden-0a1b2c;") == "key=[key hidden];"


def test_a_refused_key_is_hidden_too(secret_service, fresh_redactor):
    # Refused for a line break inside: still a key the user meant, so never shown or logged.
    with pytest.raises(ValueError, match="copy it again"):
        credentials.store_api_key("sk-pasted-twice-1f2e3d\nsk-pasted-twice-1f2e3d")
    assert "sk-pasted" not in fresh_redactor.redact("got sk-pasted-twice-1f2e3d")


def test_a_session_only_key_is_hidden_in_that_process(tmp_path):
    code = ("from vidu_desktop import credentials as c\n"
            "from vidu_desktop.core.redact import redact\n"
            "c.store_api_key('sk-session-hidden-444444')\n"
            "print(c.load_api_key().source.name, redact('x sk-session-hidden-444444 y'))")
    env = dict(os.environ, PYTHON_KEYRING_BACKEND="keyring.backends.fail.Keyring")
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "SESSION x [key hidden] y"
