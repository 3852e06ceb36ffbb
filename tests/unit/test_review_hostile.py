"""Review of issue 12/13 inputs with hostile files: what a named pipe, a UTF-16 spreadsheet
export, a binary sidecar or a damaged tag does to the core readers.

Each known bug is an xfail(strict=True) test: when the fix lands, the test passes and the
mark must go. Reading that could block is run in a thread with a deadline, and the pipe is
released afterwards, so a hang fails the test instead of the run."""

from __future__ import annotations

import contextlib
import os
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.images import png_bytes
from vidu_desktop.core.batch import expand_sources, images_in_folder, read_batch_csv, read_sidecar
from vidu_desktop.core.library import source_stem, unique_destination, video_filename
from vidu_desktop.core.mp4meta import VideoMetadata
from vidu_desktop.core.request import VideoSettings

pytestmark = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are POSIX")

DEADLINE_S = 5.0


@contextlib.contextmanager
def fifo(path: Path) -> Iterator[Path]:
    """A named pipe at `path`; a reader left blocked on it is released at the end."""
    os.mkfifo(path)
    try:
        yield path
    finally:
        with contextlib.suppress(OSError):  # ENXIO: nobody is waiting on it, nothing to release
            os.close(os.open(path, os.O_WRONLY | os.O_NONBLOCK))


def finishes(call: Callable[[], Any]) -> tuple[bool, Any]:
    """(whether `call` returned within DEADLINE_S, what it returned)."""
    outcome: dict[str, Any] = {}
    thread = threading.Thread(target=lambda: outcome.setdefault("value", call()), daemon=True)
    thread.start()
    thread.join(DEADLINE_S)
    return not thread.is_alive(), outcome.get("value")


def image(path: Path) -> Path:
    path.write_bytes(png_bytes(16, 16))
    return path


# -- core.batch: named pipes ------------------------------------------------------------------------


@pytest.mark.xfail(strict=True, reason="bug: _scan_folder reads a named pipe called <stem>.txt as a sidecar and "
                                       "blocks forever in read_sidecar's open()")
def test_folder_with_a_pipe_for_a_sidecar_does_not_hang(tmp_path):
    image(tmp_path / "harbour.png")
    with fifo(tmp_path / "harbour.txt"):
        done, found = finishes(lambda: expand_sources([str(tmp_path)]))
    assert done, "reading the folder hung on harbour.txt (a named pipe)"
    items, _problems = found
    assert [Path(item.source).name for item in items] == ["harbour.png"]
    assert items[0].prompt is None


@pytest.mark.xfail(strict=True, reason="bug: read_sidecar opens a named pipe and blocks forever")
def test_read_sidecar_of_a_pipe_says_so_and_returns(tmp_path):
    with fifo(tmp_path / "harbour.txt") as pipe:
        done, found = finishes(lambda: read_sidecar(pipe))
    assert done, "read_sidecar hung on a named pipe"
    prompt, problem = found
    assert prompt is None and "harbour.txt" in problem


@pytest.mark.xfail(strict=True, reason="bug: read_batch_csv opens a named pipe called x.csv and blocks forever")
def test_a_pipe_named_like_a_batch_file_does_not_hang(tmp_path):
    with fifo(tmp_path / "batch.csv") as pipe:
        done, found = finishes(lambda: expand_sources([str(pipe)]))
    assert done, "expand_sources hung on batch.csv (a named pipe)"
    items, problems = found
    assert items == [] and any("batch.csv" in str(problem) for problem in problems)


def test_a_pipe_named_like_an_image_is_passed_on_and_not_opened(tmp_path):
    """Held up: a pipe called x.jpg, given directly, is not opened here (media.images refuses it
    by stat), and in a folder scan it is skipped (not a regular file)."""
    with fifo(tmp_path / "x.jpg") as pipe:
        done, found = finishes(lambda: expand_sources([str(pipe)]))
        assert done and [Path(item.source).name for item in found[0]] == ["x.jpg"]
        done, in_folder = finishes(lambda: images_in_folder(tmp_path))
        assert done and in_folder == []


def test_a_pipe_named_in_a_batch_row_is_a_row_problem(tmp_path):
    """Held up: a row naming a pipe is "no such file", never opened."""
    image(tmp_path / "ok.png")
    with fifo(tmp_path / "pipe.png"):
        (tmp_path / "b.csv").write_text("image,prompt\nok.png,one\npipe.png,two\n", encoding="utf-8")
        done, found = finishes(lambda: read_batch_csv(tmp_path / "b.csv"))
    assert done
    items, problems = found
    assert [Path(item.source).name for item in items] == ["ok.png"]
    assert [(problem.row, problem.column) for problem in problems] == [(3, "image")]


# -- core.batch: what a sidecar or a cell holds ----------------------------------------------------------


@pytest.mark.xfail(strict=True, reason="bug: read_sidecar takes any valid UTF-8 as a prompt, NUL bytes and "
                                       "terminal escapes included (binary file = prompt)")
def test_a_binary_sidecar_is_not_a_prompt(tmp_path):
    sidecar = tmp_path / "harbour.txt"
    sidecar.write_bytes(b"\x00\x01\x02waves\x1b[31m\x00")
    prompt, problem = read_sidecar(sidecar)
    assert prompt is None
    assert "harbour.txt" in problem


@pytest.mark.xfail(strict=True, reason="bug: read_batch_csv decodes a UTF-16 file (Excel's 'Unicode Text') as "
                                       "cp1252 and reports nonsense columns ('ÿþi?m?a?g?e?')")
def test_a_utf16_batch_file_is_read(tmp_path):
    image(tmp_path / "harbour.png")
    for encoding in ("utf-16", "utf-16-le"):  # with a BOM; Excel writes it with one
        if encoding == "utf-16-le":
            data = "\ufeffimage\tprompt\nharbour.png\tWaves, at dawn\n".encode(encoding)
        else:
            data = "image\tprompt\nharbour.png\tWaves, at dawn\n".encode(encoding)
        (tmp_path / "b.csv").write_bytes(data)
        items, problems = read_batch_csv(tmp_path / "b.csv")
        assert problems == []
        assert [(Path(item.source).name, item.prompt) for item in items] == [("harbour.png", "Waves, at dawn")]


def test_paths_outside_the_batch_files_folder_are_taken_as_given(tmp_path):
    """By design (reviewed, acceptable): a row may name an absolute path or climb out with ../,
    like a person's own CSV does; the image list shows each one before anything is sent, and
    media.images checks the content. A scheme other than http(s) is a missing file, not a link."""
    inner = tmp_path / "inner"
    inner.mkdir()
    image(tmp_path / "outside.png")
    (inner / "b.csv").write_text(
        f"image\n../outside.png\n{tmp_path / 'outside.png'}\nfile:///etc/passwd\njavascript:alert(1)\n",
        encoding="utf-8")
    items, problems = read_batch_csv(inner / "b.csv")
    assert [item.source for item in items] == [str(tmp_path / "outside.png")] * 2
    assert [(problem.row, problem.column) for problem in problems] == [(4, "image"), (5, "image")]


def test_a_symlink_loop_with_subfolders_ends(tmp_path):
    """Held up: recursive scans do not follow folder links, so a loop ends."""
    (tmp_path / "a").mkdir()
    image(tmp_path / "a" / "one.png")
    os.symlink(tmp_path, tmp_path / "a" / "loop")
    done, found = finishes(lambda: expand_sources([str(tmp_path)], recursive=True))
    assert done
    items, _problems = found
    assert [Path(item.source).name for item in items] == ["one.png"]


# -- core.library: names ------------------------------------------------------------------------------


@pytest.mark.parametrize("source", ["CON.jpg", "con", "NUL.png", "...", "..jpg", ".", "/", "a" * 5000 + ".png",
                                    "https://h/%2e%2e%2f%2e%2e%2fetc.png", "C:\\x\\LPT1.jpeg", "\u0000.png",
                                    "e\u0301te.png", "COM1.tar.gz"])
def test_video_names_are_safe_whatever_the_source(tmp_path, source):
    """Held up: Windows device names, dot-only names, huge and escaping names give a plain name."""
    name = video_filename(source, 1.7e9, VideoSettings())
    stem = source_stem(source)
    assert stem and stem.split(".")[0].lower() not in {"con", "prn", "aux", "nul", "com1", "lpt1"}
    assert "/" not in name and "\\" not in name and "\x00" not in name and len(name.encode()) < 200
    assert unique_destination(tmp_path, name).parent == tmp_path.resolve()


def test_many_takes_of_one_source_get_unique_names(tmp_path):
    name = video_filename("harbour.png", 1.7e9, VideoSettings())
    made = set()
    for _take in range(60):
        target = unique_destination(tmp_path, name)
        target.write_bytes(b"")
        made.add(target.name)
    assert len(made) == 60


# -- core.mp4meta: the job tag -----------------------------------------------------------------------


@pytest.mark.parametrize("text", ["[" * 60_000, '{"seed": -1, "settings": {"duration": 1000000000}}',
                                  '{"prompt": "' + "x" * 70_000 + '"}', '{"created_at": 1e308}', "null", "\x00"])
def test_a_hostile_job_tag_gives_defaults_or_none(text):
    meta = VideoMetadata.from_json(text)
    if meta is not None:
        assert meta.seed is None or meta.seed >= 0
        assert meta.settings.problems() == []
        assert meta.created_at == 0.0 or meta.created_at < 1e11


@pytest.mark.xfail(strict=True, reason="bug: library.looks_like_mp4 walks every top-level box with no bound (a copy "
                                       "of mp4meta's walker without MAX_TOP_LEVEL_BOXES): a file of millions of "
                                       "empty boxes holds the engine thread (import, download check) for seconds "
                                       "per 16 MB, minutes for a big file")
def test_a_file_of_millions_of_empty_boxes_is_not_taken_for_an_mp4(tmp_path):
    from vidu_desktop.core.library import looks_like_mp4
    from vidu_desktop.core.mp4meta import read_metadata

    path = tmp_path / "boxes.mp4"
    with open(path, "wb") as file:
        file.write((16).to_bytes(4, "big") + b"ftypisom" + bytes(4))
        file.write(((8).to_bytes(4, "big") + b"free") * 500_000)
        file.write((8).to_bytes(4, "big") + b"moov")
    assert read_metadata(path) is None  # mp4meta's own walk stops at MAX_TOP_LEVEL_BOXES
    assert not looks_like_mp4(path)


# -- ui.presets: an imported presets file -----------------------------------------------------------


@pytest.mark.parametrize("data", [b"[" * 100_000, b'{"presets": {"a": {"prompt": {"x": 1}}}}',
                                  b'{"presets": {"\\n\\t": {"duration": 5}}}', b'{"presets": []}',
                                  b'{"presets": {"a": {"duration": 1e309}}}', b"\xff\xfe{",
                                  b'{"presets": {"a": {"seed": 99999999999999999999999}}}'])
def test_a_hostile_presets_file_is_refused_in_words(data):
    """Held up: nested, wrong types, nameless, non-UTF-8: PresetFileError, nothing imported."""
    from vidu_desktop.ui.presets import PresetFileError, presets_from_json

    with pytest.raises(PresetFileError):
        presets_from_json(data)


def test_preset_names_are_one_bounded_line():
    from vidu_desktop.ui.presets import presets_from_json

    found = presets_from_json(('{"presets": {"a/b\\nc\\u202e' + "x" * 500 + '": {"duration": 5}}}').encode())
    [name] = found
    assert "\n" not in name and "\u202e" not in name and len(name) <= 80


# -- core.batch: how much a batch file can make the app do -------------------------------------------


@pytest.mark.xfail(strict=True, reason="bug: parse_batch_csv counts only valid rows against MAX_BATCH_IMAGES; a 2 MB "
                                       "file of 1,000,000 bad rows gives 1,000,000 problems (13 s, and the image "
                                       "panel adds one list row per bad row on the GUI thread)")
def test_a_batch_file_of_bad_rows_gives_a_bounded_number_of_problems(tmp_path):
    from vidu_desktop.core.batch import MAX_BATCH_IMAGES, parse_batch_csv

    items, problems = parse_batch_csv("image\n" + "missing.png\n" * (MAX_BATCH_IMAGES * 5), tmp_path)
    assert items == []
    assert len({problem.row for problem in problems}) <= MAX_BATCH_IMAGES + 1


# -- core.library: letters of any script ---------------------------------------------------------------


@pytest.mark.xfail(strict=True, reason="bug: library.slug drops combining marks (\\w has no Mn/Mc), so Hindi, Thai "
                                       "or Tamil names lose their vowel signs ('हिन्दी' -> 'हनद')")
def test_a_name_in_an_indic_script_keeps_its_vowel_signs():
    assert source_stem("हिन्दी.png") == "हिन्दी"
    assert source_stem("ภาษาไทย.jpg") == "ภาษาไทย"


@pytest.mark.xfail(strict=True, reason="bug: expand_sources looks for each given image's sidecar with its own scan of "
                                       "the folder (_sidecar_of): 1000 images dropped from a folder of 20,000 files "
                                       "is 20 million entries looked at (8 s here)")
def test_images_dropped_from_one_big_folder_scan_it_once(tmp_path, monkeypatch):
    for index in range(2000):
        (tmp_path / f"photo-{index:04d}.png").write_bytes(b"")
    scans: list[str] = []
    real_scandir = os.scandir

    def counted(path: Any = ".") -> Any:
        scans.append(str(path))
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", counted)
    items, _problems = expand_sources([str(tmp_path / f"photo-{index:04d}.png") for index in range(500)])
    assert len(items) == 500
    assert len(scans) <= 2, f"{len(scans)} scans of one folder"


@pytest.mark.xfail(strict=True, reason="bug: a link is anything starting with https:// (request.is_web_url): a CSV "
                                       "cell with a line break, a NUL, spaces, no host or 100,000 characters is taken "
                                       "as an image link with no problem, shown and sent as is")
def test_a_link_that_is_no_link_is_a_row_problem(tmp_path):
    from vidu_desktop.core.batch import parse_batch_csv

    bad = ['"https://example.com/a\nb.png"', "https://example.com/a\x00.png", "https://exa mple.com/a.png",
           "https:///a.png", "https://example.com/" + "a" * 99_000]
    items, problems = parse_batch_csv("image\n" + "\n".join(bad) + "\n", tmp_path)
    assert items == []
    assert len({problem.row for problem in problems}) == len(bad)
