from __future__ import annotations

import os
from pathlib import Path

import pytest


@pytest.fixture(autouse=True)
def isolated_dirs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Every test gets its own config, data, cache, log and videos folders: never the user's."""
    home = tmp_path / "xdg"
    for name, sub in (("XDG_CONFIG_HOME", "config"), ("XDG_DATA_HOME", "data"),
                      ("XDG_CACHE_HOME", "cache"), ("XDG_STATE_HOME", "state"),
                      ("XDG_VIDEOS_DIR", "Videos")):
        (home / sub).mkdir(parents=True)
        monkeypatch.setenv(name, str(home / sub))
    monkeypatch.delenv("NOVITA_API_KEY", raising=False)
    monkeypatch.delenv("NOVITA_API_BASE_URL", raising=False)
    return home


@pytest.fixture(scope="session")
def artifacts_dir() -> Path:
    path = Path(os.environ.get("VIDU_TEST_ARTIFACTS", Path(__file__).parent.parent / "test-artifacts"))
    path.mkdir(parents=True, exist_ok=True)
    return path
