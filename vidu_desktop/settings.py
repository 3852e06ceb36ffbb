"""User settings: one QSettings ini file in the platform's config folder. Never the API key."""

from __future__ import annotations

import json
import threading
from pathlib import Path
from typing import Any

from PySide6.QtCore import QSettings

from . import paths
from .core.request import VideoSettings

_per_thread = threading.local()


def store() -> QSettings:
    """This thread's QSettings for the settings file, made once: a new object reads and parses
    the file again, and Generate asks several questions. (QSettings is reentrant, not
    thread-safe: one object per thread; objects in one process share their changes at once.)"""
    path = str(paths.settings_file())
    cached: tuple[str, QSettings] | None = getattr(_per_thread, "settings", None)
    if cached is None or cached[0] != path:
        cached = (path, QSettings(path, QSettings.Format.IniFormat))
        _per_thread.settings = cached
    return cached[1]


def value(key: str, default: Any = None, kind: type | None = None) -> Any:
    settings = store()
    if kind is None:
        return settings.value(key, default)
    return settings.value(key, default, type=kind)


def set_value(key: str, new_value: Any) -> None:
    settings = store()
    settings.setValue(key, new_value)
    settings.sync()


def library_dir() -> Path:
    chosen = value("library/folder", "", str)
    return Path(chosen) if chosen else paths.default_library_dir()


def base_url_setting() -> str | None:
    return value("network/base_url", "", str) or None


def last_video_settings() -> VideoSettings:
    return VideoSettings.from_json(value("form/last_settings", "", str))


def save_last_video_settings(chosen: VideoSettings) -> None:
    store().setValue("form/last_settings", chosen.to_json())  # written by Qt soon, and at close


def price_overrides() -> dict[str, str]:
    """The user's own rates (Settings → Prices): {"720p": "0.05", "off_peak_factor": "0.5"}."""
    try:
        stored = json.loads(value("pricing/overrides", "{}", str) or "{}")
    except ValueError:
        return {}
    return {str(k): str(v) for k, v in stored.items()} if isinstance(stored, dict) else {}


def save_price_overrides(overrides: dict[str, str]) -> None:
    set_value("pricing/overrides", json.dumps(overrides, sort_keys=True))


# -- money (units of 0.0001 USD, as core.pricing counts) ------------------------------------------

DEFAULT_CONFIRM_ABOVE_UNITS = 50_000  # $5 per Generate


def _units(key: str, default: int | None) -> int | None:
    text = str(value(key, "", str) or "").strip()
    if not text:
        return default
    try:
        units = int(text)
    except ValueError:
        return default
    return units if units >= 0 else default


def confirm_above_units() -> int:
    """Generate asks first when its estimate is above this (Settings → Money; $5 unless set)."""
    units = _units("pricing/confirm_above", DEFAULT_CONFIRM_ABOVE_UNITS)
    return DEFAULT_CONFIRM_ABOVE_UNITS if units is None else units


def save_confirm_above_units(units: int) -> None:
    set_value("pricing/confirm_above", str(max(0, int(units))))


def monthly_cap_units() -> int | None:
    """The most this month's estimates may add up to; None: no cap (the default)."""
    return _units("pricing/monthly_cap", None)


def save_monthly_cap_units(units: int | None) -> None:
    set_value("pricing/monthly_cap", "" if units is None else str(max(0, int(units))))


# -- the queue, the window's questions, languages ------------------------------------------------

MAX_OPEN_JOBS_RANGE = (1, 50)
DEFAULT_MAX_OPEN_JOBS = 4


def max_open_jobs() -> int:
    """At most this many jobs at Novita at once (Settings → Queue; 4 unless set, 1–50)."""
    low, high = MAX_OPEN_JOBS_RANGE
    try:
        chosen = int(value("queue/max_open_jobs", DEFAULT_MAX_OPEN_JOBS))
    except (TypeError, ValueError):
        return DEFAULT_MAX_OPEN_JOBS
    return min(high, max(low, chosen))


def save_max_open_jobs(count: int) -> None:
    low, high = MAX_OPEN_JOBS_RANGE
    set_value("queue/max_open_jobs", min(high, max(low, int(count))))


def ui_language() -> str:
    """A locale name such as "zh_CN" or "en"; "" follows the system."""
    return str(value("ui/language", "", str) or "")


def save_ui_language(name: str) -> None:
    set_value("ui/language", name)


def ask_before_quit_with_running() -> bool:
    return bool(value("ui/ask_before_quit_with_running", True, bool))


def save_ask_before_quit_with_running(ask: bool) -> None:
    set_value("ui/ask_before_quit_with_running", bool(ask))


# -- prompt history and presets ------------------------------------------------------------------

PROMPT_HISTORY_SIZE = 100


def _json_value(key: str, default: Any) -> Any:
    try:
        return json.loads(value(key, "", str) or "null") or default
    except ValueError:
        return default


def prompt_history() -> list[str]:
    """The last prompts sent, newest first, without repeats (at most PROMPT_HISTORY_SIZE)."""
    stored = _json_value("form/prompt_history", [])
    if not isinstance(stored, list):
        return []
    return [p for p in stored if isinstance(p, str) and p.strip()][:PROMPT_HISTORY_SIZE]


def remember_prompt(prompt: str) -> None:
    prompt = prompt.strip()
    if not prompt:
        return
    history = [prompt, *(p for p in prompt_history() if p != prompt)][:PROMPT_HISTORY_SIZE]
    set_value("form/prompt_history", json.dumps(history, ensure_ascii=False))


def presets() -> dict[str, VideoSettings]:
    """Named settings (prompt included) the user saved, by name."""
    stored = _json_value("form/presets", {})
    if not isinstance(stored, dict):
        return {}
    return {str(name): VideoSettings.from_json(text) for name, text in stored.items() if isinstance(text, str)}


def save_presets(named: dict[str, VideoSettings]) -> None:
    set_value("form/presets", json.dumps({name: s.to_json() for name, s in named.items()}, ensure_ascii=False))


def takes_per_image() -> int:
    try:
        return min(8, max(1, int(value("form/takes", 1))))
    except (TypeError, ValueError):
        return 1


def save_takes_per_image(takes: int) -> None:
    store().setValue("form/takes", min(8, max(1, int(takes))))
