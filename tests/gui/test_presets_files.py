"""Presets files that are no files: importing a named pipe says so at once instead of holding the
GUI thread forever, and an export is written whole or not at all."""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

import pytest

from vidu_desktop import settings

pytestmark = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are POSIX")



def test_importing_a_named_pipe_says_so_and_changes_nothing(form, tmp_path: Path) -> None:
    form.prompt.setPlainText("keep me")
    form.presets.save_current("Mine")
    before = settings.presets()
    pipe = tmp_path / "presets.json"
    os.mkfifo(pipe)
    try:
        words = form.presets.import_from(pipe)  # would block in open() before the fix
    finally:
        with contextlib.suppress(OSError):  # release a reader, if one were blocked
            os.close(os.open(pipe, os.O_WRONLY | os.O_NONBLOCK))
    assert words == "Could not read presets.json: it is not a regular file."
    assert form.presets.status.text() == words
    assert settings.presets() == before


def test_an_export_replaces_the_file_whole_and_leaves_no_part_file(form, tmp_path: Path) -> None:
    folder = tmp_path / "exports"
    folder.mkdir()
    target = folder / "presets.json"
    target.write_text("old", encoding="utf-8")
    form.prompt.setPlainText("slow dolly")
    form.presets.save_current("Dolly")
    assert form.presets.export_to(target) == "Presets exported to presets.json: 1."
    assert '"Dolly"' in target.read_text(encoding="utf-8")
    assert [path.name for path in folder.iterdir()] == ["presets.json"]


def test_an_export_into_a_missing_folder_says_why(form, tmp_path: Path) -> None:
    words = form.presets.export_to(tmp_path / "gone" / "presets.json")
    assert words.startswith("Could not write presets.json: ")
    assert not (tmp_path / "gone").exists()
