"""The test suite cannot read, change or delete the user's API key, settings or files.

A small pytest session runs in a child process inside a fake "user" environment whose keyring
holds the user's key. Its one test does what a careless test could do: read the key, store
another, delete it, in this process and in child processes (`python -m keyring`, a child that
names the Secret Service itself, `secret-tool`). With tests/conftest.py loaded the user's key
must survive untouched and never be seen; the same session without it (the control) must reach
the key, which shows the fake user's keyring really is within reach.
"""

from __future__ import annotations

import json
import os
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
USER_KEY = "sk-the-users-real-key-0123456789"
XDG_NAMES = ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME",
             "XDG_RUNTIME_DIR", "XDG_VIDEOS_DIR")

# The careless test. It reports what it saw to REPORT (a path written into its source, so no
# environment change can hide it).
CARELESS_TEST = '''
import json, os, shutil, subprocess, sys
from pathlib import Path

REPORT = Path({report!r})
SERVICE, USER = "vidu-desktop", "api-key"


def keyring_cli(*args, env=None, stdin=None):
    return subprocess.run([sys.executable, "-m", "keyring", *args], input=stdin, env=env,
                          capture_output=True, text=True, timeout=60).stdout.strip()


def test_careless(tmp_path):
    from vidu_desktop import credentials, paths

    seen = {{"tmp_path": str(tmp_path), "home": str(Path.home()),
             "env": {{n: os.environ.get(n) for n in {names!r}}},
             "app_dirs": [str(paths.config_dir()), str(paths.data_dir()), str(paths.cache_dir()),
                          str(paths.log_dir()), str(paths.default_library_dir())],
             "settings_file_exists": paths.settings_file().exists()}}
    seen["in_process"] = credentials.load_api_key().value
    credentials.store_api_key("sk-overwritten-by-a-test-111111")
    credentials.delete_api_key()

    seen["child_get"] = keyring_cli("get", SERVICE, USER)
    keyring_cli("set", SERVICE, USER, stdin="sk-overwritten-by-a-child-222222\\n")
    keyring_cli("del", SERVICE, USER)
    # A child that names the Secret Service itself, as a test of the real keyring would.
    secret_service = dict(os.environ, PYTHON_KEYRING_BACKEND="keyring.backends.SecretService.Keyring")
    seen["child_secret_service_get"] = keyring_cli("get", SERVICE, USER, env=secret_service)
    keyring_cli("del", SERVICE, USER, env=secret_service)
    if shutil.which("secret-tool"):
        seen["secret_tool_lookup"] = subprocess.run(
            ["secret-tool", "lookup", "service", SERVICE, "username", USER],
            capture_output=True, text=True, timeout=60).stdout.strip()
        subprocess.run(["secret-tool", "clear", "service", SERVICE, "username", USER],
                       capture_output=True, timeout=60)
    REPORT.write_text(json.dumps(seen))
'''

# The user's file-backed keyring, chosen by the user's PYTHON_KEYRING_BACKEND. It keeps its
# items at a fixed path, reachable whatever HOME says, as a real keyring is.
USER_KEYRING_MODULE = '''
import json
from pathlib import Path

from keyring.backend import KeyringBackend
from keyring.errors import PasswordDeleteError

STORE = Path({store!r})


class UserKeyring(KeyringBackend):
    priority = 10

    def _items(self):
        return json.loads(STORE.read_text()) if STORE.exists() else {{}}

    def get_password(self, service, username):
        return self._items().get(service + "/" + username)

    def set_password(self, service, username, password):
        items = self._items()
        items[service + "/" + username] = password
        STORE.write_text(json.dumps(items))

    def delete_password(self, service, username):
        items = self._items()
        if items.pop(service + "/" + username, None) is None:
            raise PasswordDeleteError(username)
        STORE.write_text(json.dumps(items))
'''

# The user's Secret Service: gnome-keyring on the user's own session bus (a fresh bus made by
# dbus-run-session, standing in for the desktop's). Runs "$@" (the pytest session) inside it and
# writes what the keyring holds afterwards to $AFTER.
USER_SESSION_SCRIPT = '''
set -eu
printf 'users-login-password' | gnome-keyring-daemon --unlock --components=secrets >/dev/null
printf '%s' "$USER_KEY" | secret-tool store --label="Vidu Desktop" service vidu-desktop username api-key
test "$(secret-tool lookup service vidu-desktop username api-key)" = "$USER_KEY"
status=0
"$@" || status=$?
secret-tool lookup service vidu-desktop username api-key > "$AFTER" || true
exit $status
'''


def user_environment(root: Path, **extra: str) -> dict[str, str]:
    """A desktop user's environment, made from scratch: their own HOME and XDG folders with
    their settings in them (nothing of this test run's environment leaks in)."""
    home = root / "home"
    env = {"PATH": os.environ["PATH"], "LANG": "C.UTF-8", "HOME": str(home),
           "XDG_CONFIG_HOME": str(home / ".config"), "XDG_DATA_HOME": str(home / ".local/share"),
           "XDG_CACHE_HOME": str(home / ".cache"), "XDG_STATE_HOME": str(home / ".local/state"),
           "XDG_RUNTIME_DIR": str(root / "run"), "QT_QPA_PLATFORM": "offscreen"}
    (root / "run").mkdir(parents=True)
    os.chmod(root / "run", stat.S_IRWXU)
    settings = home / ".config" / "vidu-desktop" / "settings.ini"
    settings.parent.mkdir(parents=True)
    settings.write_text("[library]\nfolder=/home/user/Videos/Mine\n")
    env.update(extra)
    return env


def careless_session(root: Path, env: dict[str, str], hermetic: bool, wrapper: list[str] = ()) -> dict:
    """Run the careless test in its own pytest session; return what it reported."""
    session = root / ("hermetic" if hermetic else "control")
    session.mkdir()
    report = session / "report.json"
    test_file = session / "test_careless.py"
    test_file.write_text(CARELESS_TEST.format(report=str(report), names=(*XDG_NAMES, "HOME")))
    (session / "pytest.ini").write_text("[pytest]\n")
    command = [*wrapper, sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
               "-c", str(session / "pytest.ini"), "--rootdir", str(session),
               "--basetemp", str(session / "basetemp"), str(test_file)]
    if hermetic:
        command[len(wrapper) + 3:len(wrapper) + 3] = ["-p", "tests.conftest"]
    process = subprocess.run(command, cwd=REPO, env=env, capture_output=True, text=True, timeout=240)
    assert process.returncode == 0, process.stdout[-3000:] + process.stderr[-3000:]
    seen = json.loads(report.read_text())
    seen["basetemp"] = str(session / "basetemp")
    return seen


def assert_isolated(seen: dict, user_home: Path) -> None:
    """Everything the careless test saw lies under its own temporary folder."""
    base = Path(seen["basetemp"])
    assert Path(seen["home"]).is_relative_to(base), seen["home"]
    for name, value in seen["env"].items():
        assert value and Path(value).is_relative_to(base), (name, value)
    for folder in seen["app_dirs"]:
        assert Path(folder).is_relative_to(base) and not Path(folder).is_relative_to(user_home), folder
    assert seen["settings_file_exists"] is False


def test_the_users_key_in_a_file_keyring_survives_a_careless_test(tmp_path):
    """The user picked their keyring with PYTHON_KEYRING_BACKEND (here a file-backed one)."""
    store = tmp_path / "users-keyring.json"
    lib = tmp_path / "userlib"
    lib.mkdir()
    (lib / "fake_user_keyring.py").write_text(USER_KEYRING_MODULE.format(store=str(store)))
    env = user_environment(tmp_path / "user", PYTHONPATH=str(lib),
                           PYTHON_KEYRING_BACKEND="fake_user_keyring.UserKeyring")
    user_key = {"vidu-desktop/api-key": USER_KEY}

    store.write_text(json.dumps(user_key))
    seen = careless_session(tmp_path, env, hermetic=True)
    assert json.loads(store.read_text()) == user_key  # unchanged: not deleted, not overwritten
    assert seen["in_process"] is None and seen["child_get"] == ""
    assert USER_KEY not in json.dumps(seen)
    assert_isolated(seen, tmp_path / "user" / "home")

    # The control: the same careless test without tests/conftest.py does reach the user's key.
    control = careless_session(tmp_path, env, hermetic=False)
    assert control["in_process"] == USER_KEY
    assert json.loads(store.read_text()) == {}


@pytest.mark.skipif(not all(map(shutil.which, ("dbus-run-session", "gnome-keyring-daemon", "secret-tool"))),
                    reason="needs dbus-run-session, gnome-keyring-daemon and secret-tool")
@pytest.mark.parametrize("claims", [{}, {"VIDU_REQUIRE_KEYRING": "1", "VIDU_HEADLESS_INNER": "1"}],
                         ids=["plain", "claims-to-be-run-headless"])
def test_the_users_key_in_their_secret_service_survives_a_careless_test(tmp_path, claims):
    """The user's desktop Secret Service on their session bus, found by keyring on its own.
    Also when the user's shell sets run-headless.sh's variables: only that script's private bus
    may be used."""
    env = user_environment(tmp_path / "user", USER_KEY=USER_KEY, AFTER=str(tmp_path / "after"), **claims)
    wrapper = ["dbus-run-session", "--", "sh", "-c", USER_SESSION_SCRIPT, "user-session"]

    seen = careless_session(tmp_path, env, hermetic=True, wrapper=wrapper)
    assert (tmp_path / "after").read_text().strip() == USER_KEY
    assert seen["in_process"] is None
    assert seen["child_get"] == seen["child_secret_service_get"] == seen["secret_tool_lookup"] == ""
    assert USER_KEY not in json.dumps(seen)
    assert_isolated(seen, tmp_path / "user" / "home")

    control = careless_session(tmp_path, env, hermetic=False, wrapper=wrapper)
    assert control["in_process"] == USER_KEY
    assert (tmp_path / "after").read_text().strip() == ""


def test_this_test_runs_in_throwaway_folders(tmp_path):
    from vidu_desktop import paths

    assert Path.home().is_relative_to(tmp_path) and Path.home().is_dir()
    for name in XDG_NAMES:
        assert Path(os.environ[name]).is_relative_to(tmp_path) and Path(os.environ[name]).is_dir(), name
    assert stat.S_IMODE(os.stat(os.environ["XDG_RUNTIME_DIR"]).st_mode) == 0o700
    for folder in (paths.config_dir(), paths.data_dir(), paths.cache_dir(), paths.log_dir(),
                   paths.default_library_dir()):
        assert folder.is_relative_to(tmp_path), folder


def test_the_keyring_is_the_private_one_or_in_memory():
    """In this process and in the processes tests start."""
    import keyring

    from tests import conftest

    child = json.loads(subprocess.run(
        [sys.executable, "-c", "import json, os; print(json.dumps(dict(os.environ)))"],
        capture_output=True, text=True, check=True).stdout)
    backend = keyring.get_keyring()
    if conftest._state["private"]:  # run-headless.sh: its own gnome-keyring on its own bus
        assert os.environ.get("VIDU_REQUIRE_KEYRING")
        assert type(backend).__module__ == "keyring.backends.SecretService", backend
        assert "PYTHON_KEYRING_BACKEND" not in child
        assert child["DBUS_SESSION_BUS_ADDRESS"] == conftest._state["original"]["DBUS_SESSION_BUS_ADDRESS"]
    else:
        assert type(backend).__name__ == "MemoryKeyring", backend
        assert child["PYTHON_KEYRING_BACKEND"] == "keyring.backends.null.Keyring"
        address = child["DBUS_SESSION_BUS_ADDRESS"]
        assert address.startswith("unix:path=") and not os.path.exists(address[len("unix:path="):])
        backend.set_password("vidu-desktop", "api-key", "sk-only-in-memory")  # gone by the next test


def test_each_test_gets_a_fresh_keyring():
    import keyring

    from tests import conftest

    if conftest._state["private"]:
        pytest.skip("the private Secret Service is shared by the session (test_credentials cleans up)")
    assert keyring.get_password("vidu-desktop", "api-key") is None
