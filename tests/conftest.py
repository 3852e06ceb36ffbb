"""Hermetic tests: no test can read or change the user's settings, files or API key.

However pytest is started, every test (and every process it starts) gets a throwaway HOME,
XDG folders and runtime folder, and a keyring that cannot reach the user's:

- Inside tests/run-headless.sh (VIDU_REQUIRE_KEYRING=1 and the session bus is the private one
  that script started, with its own gnome-keyring): the real Secret Service of that private
  session is used, in this process and in child processes (tests/integration/test_credentials.py
  and the frozen app test need it).
- Anywhere else: this process uses an in-memory keyring (a fresh one per test); child processes
  get PYTHON_KEYRING_BACKEND=keyring.backends.null.Keyring and a session bus address that leads
  nowhere, so neither `keyring`, `secret-tool` nor Qt in a child can reach the user's Secret
  Service. Tests marked `keyring` (they need a real Secret Service) skip, or fail when
  VIDU_REQUIRE_KEYRING asks for one.

The session-wide part is set up in pytest_configure, before any fixture or import of the app,
so session-scoped fixtures (the QApplication, simulators started per module) are covered too.
"""

from __future__ import annotations

import functools
import os
import pwd
import shutil
import stat
import tempfile
from pathlib import Path

import pytest

KEYRING_FOR_CHILDREN = "keyring.backends.null.Keyring"
XDG_FOLDERS = (("XDG_CONFIG_HOME", "config"), ("XDG_DATA_HOME", "data"), ("XDG_CACHE_HOME", "cache"),
               ("XDG_STATE_HOME", "state"), ("XDG_VIDEOS_DIR", "Videos"))
# Variables that say where the user's things are: all replaced or removed for the tests.
_REMOVED = ("NOVITA_API_KEY", "NOVITA_API_BASE_URL", "XDG_DESKTOP_DIR", "XDG_DOWNLOAD_DIR",
            "XDG_PICTURES_DIR", "XDG_DOCUMENTS_DIR", "XDG_MUSIC_DIR", "GNOME_KEYRING_CONTROL",
            "KEYRING_PROPERTY_KEYRING_PATH")

_state: dict = {}  # private (bool), root (Path), saved_env (dict), saved_keyring


# --------------------------------------------------------------------------- the keyring


@functools.cache
def _memory_keyring_class():
    from keyring.backend import KeyringBackend
    from keyring.errors import PasswordDeleteError

    class MemoryKeyring(KeyringBackend):
        """A keyring that lives in this test's memory only. It counts as available (priority 1),
        so the app's keyring path runs as it would with a real one."""

        priority = 1

        def __init__(self) -> None:
            super().__init__()
            self.items: dict[tuple[str, str], str] = {}

        def get_password(self, service: str, username: str) -> str | None:
            return self.items.get((service, username))

        def set_password(self, service: str, username: str, password: str) -> None:
            self.items[(service, username)] = password

        def delete_password(self, service: str, username: str) -> None:
            if self.items.pop((service, username), None) is None:
                raise PasswordDeleteError("no such password")

    # Never a candidate when keyring picks a backend on its own: only set_keyring uses it.
    KeyringBackend._classes.discard(MemoryKeyring)
    return MemoryKeyring


def _real_home() -> str:
    try:
        return pwd.getpwuid(os.getuid()).pw_dir
    except KeyError:
        return ""


def _process_environ(pid: int) -> dict[str, str]:
    raw = Path(f"/proc/{pid}/environ").read_bytes().decode(errors="replace")
    return dict(item.split("=", 1) for item in raw.split("\0") if "=" in item)


def _bus_daemon_pid(address: str) -> int:
    from jeepney import DBusAddress, new_method_call
    from jeepney.io.blocking import open_dbus_connection

    bus = DBusAddress("/org/freedesktop/DBus", bus_name="org.freedesktop.DBus",
                      interface="org.freedesktop.DBus")
    with open_dbus_connection(address) as connection:
        reply = connection.send_and_get_reply(
            new_method_call(bus, "GetConnectionUnixProcessID", "s", ("org.freedesktop.DBus",)), timeout=3)
    return int(reply.body[0])


def private_session_bus(environ=os.environ) -> bool:
    """True when this run may use the real Secret Service of its session bus: the run asked
    for one (VIDU_REQUIRE_KEYRING) and the bus daemon is the private one tests/run-headless.sh
    started (dbus-run-session inside that script: its environment carries the script's marker
    and the same throwaway HOME as this run, which is not the user's home)."""
    address = environ.get("DBUS_SESSION_BUS_ADDRESS", "")
    home = environ.get("HOME", "")
    if not (environ.get("VIDU_REQUIRE_KEYRING") and environ.get("VIDU_HEADLESS_INNER") and address and home):
        return False
    # run-headless.sh's throwaway HOME: $(mktemp -d /tmp/vidu-headless.XXXXXX)/home
    if Path(home).parent.name[:14] != "vidu-headless." or (
            os.path.realpath(home) == os.path.realpath(_real_home() or "/nonexistent")):
        return False
    try:
        daemon = _process_environ(_bus_daemon_pid(address))
    except Exception:  # noqa: BLE001 - no bus, no jeepney, another user's daemon: not ours
        return False
    return daemon.get("VIDU_HEADLESS_INNER") == "1" and daemon.get("HOME") == home


# ------------------------------------------------------------------------- environment


def _folders(root: Path) -> dict[str, str]:
    """HOME, the XDG folders and a runtime folder under `root`, created; as environment values."""
    env = {"HOME": str(root / "home"), "XDG_RUNTIME_DIR": str(root / "run")}
    for name, sub in XDG_FOLDERS:
        env[name] = str(root / sub)
    for value in env.values():
        Path(value).mkdir(parents=True, exist_ok=True)
    os.chmod(env["XDG_RUNTIME_DIR"], stat.S_IRWXU)  # what the XDG spec (and Qt) insist on
    return env


def _environment(root: Path, private: bool, original: dict[str, str]) -> dict[str, str | None]:
    """What a test runs with: values to set, None to remove."""
    env: dict[str, str | None] = dict(_folders(root))
    env.update(dict.fromkeys(_REMOVED))
    if private:
        env["PYTHON_KEYRING_BACKEND"] = None  # children find the private Secret Service themselves
    else:
        env["PYTHON_KEYRING_BACKEND"] = KEYRING_FOR_CHILDREN
        # An address that leads nowhere (unset, libdbus would try to autolaunch or find the
        # user's bus through X11).
        env["DBUS_SESSION_BUS_ADDRESS"] = f"unix:path={root / 'no-session-bus'}"
    # What still has to work with another HOME and runtime folder: the user's display, when
    # the tests are run on it (its socket lives in the old runtime folder, its cookie in HOME).
    old_runtime = original.get("XDG_RUNTIME_DIR")
    wayland = original.get("WAYLAND_DISPLAY")
    if wayland and old_runtime and not os.path.isabs(wayland):
        env["WAYLAND_DISPLAY"] = os.path.join(old_runtime, wayland)
    if original.get("DISPLAY") and not original.get("XAUTHORITY") and original.get("HOME"):
        cookie = os.path.join(original["HOME"], ".Xauthority")
        if os.path.exists(cookie):
            env["XAUTHORITY"] = cookie
    return env


def _apply(env: dict[str, str | None]) -> None:
    for name, value in env.items():
        if value is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = value


def pytest_configure(config: pytest.Config) -> None:
    if _state:  # loaded twice (as a plugin and as a conftest): once is enough
        return
    original = dict(os.environ)
    _state["private"] = private = private_session_bus(original)
    _state["original"] = original
    _state["root"] = root = Path(tempfile.mkdtemp(prefix="vidu-tests-"))
    _apply(_environment(root / "session", private, original))
    import keyring.core

    _state["saved_keyring"] = keyring.core._keyring_backend
    if not private:
        keyring.core.set_keyring(_memory_keyring_class()())


def pytest_unconfigure(config: pytest.Config) -> None:
    if not _state:
        return
    import keyring.core

    keyring.core._keyring_backend = _state["saved_keyring"]
    os.environ.clear()
    os.environ.update(_state["original"])
    shutil.rmtree(_state["root"], ignore_errors=True)
    _state.clear()


def pytest_report_header(config: pytest.Config) -> str:
    if _state.get("private"):
        return "keyring: the private Secret Service of tests/run-headless.sh"
    return f"keyring: in memory (children: {KEYRING_FOR_CHILDREN}, no session bus)"


def pytest_runtest_setup(item: pytest.Item) -> None:
    if item.get_closest_marker("keyring") and not _state.get("private"):
        why = ("needs the private Secret Service of tests/run-headless.sh; this session bus is "
               "not it, and the user's keyring is never used")
        if os.environ.get("VIDU_REQUIRE_KEYRING") or _state.get("original", {}).get("VIDU_REQUIRE_KEYRING"):
            pytest.fail("VIDU_REQUIRE_KEYRING is set but " + why, pytrace=False)
        pytest.skip(why)


@pytest.fixture(autouse=True)
def isolated_dirs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Every test gets its own HOME, config, data, cache, state, runtime, log and videos folders
    (never the user's), and a keyring that is not the user's (see the top of this file)."""
    root = tmp_path / "xdg"
    for name, value in _environment(root, _state.get("private", False), _state.get("original", {})).items():
        if value is None:
            monkeypatch.delenv(name, raising=False)
        else:
            monkeypatch.setenv(name, value)
    if not _state.get("private", False):
        import keyring.core

        monkeypatch.setattr(keyring.core, "_keyring_backend", _memory_keyring_class()())
    return root


@pytest.fixture(scope="session")
def artifacts_dir() -> Path:
    path = Path(os.environ.get("VIDU_TEST_ARTIFACTS", Path(__file__).parent.parent / "test-artifacts"))
    path.mkdir(parents=True, exist_ok=True)
    return path
