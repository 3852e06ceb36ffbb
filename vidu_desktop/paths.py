"""Every place the app reads or writes, in one module (platformdirs decides per OS).

Functions, not constants: tests point HOME and the XDG variables elsewhere before calling.
"""

from __future__ import annotations

from pathlib import Path

from platformdirs import PlatformDirs

from . import APP_ID, APP_NAME


def _dirs() -> PlatformDirs:
    return PlatformDirs(APP_ID, appauthor=False)


def config_dir() -> Path:
    return _dirs().user_config_path


def data_dir() -> Path:
    return _dirs().user_data_path


def cache_dir() -> Path:
    return _dirs().user_cache_path


def log_dir() -> Path:
    return _dirs().user_log_path


def settings_file() -> Path:
    return config_dir() / "settings.ini"


def job_database() -> Path:
    return data_dir() / "jobs.sqlite3"


def inputs_dir() -> Path:
    """Copies of the images jobs were made from, so a job can be re-run after the file moves."""
    return data_dir() / "inputs"


def default_library_dir() -> Path:
    return _dirs().user_videos_path / APP_NAME


def ensure(path: Path) -> Path:
    path.mkdir(parents=True, exist_ok=True)
    return path


def frames_dir() -> Path:
    """Frames taken from videos ("Continue from last frame", "Use this frame"), sent as new images."""
    return data_dir() / "frames"
