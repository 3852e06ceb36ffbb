"""The fixes for the review of hostile inputs (tests/unit/test_review_hostile.py): what each fix
promises beyond the reviewer's own tests. Reading that could block runs with a deadline."""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.images import png_bytes
from tests.unit.test_review_hostile import DEADLINE_S, fifo, finishes
from vidu_desktop.core import files
from vidu_desktop.core.batch import (
    MAX_BATCH_IMAGES,
    MAX_COLUMNS,
    expand_sources,
    parse_batch_csv,
    read_batch_csv,
    read_sidecar,
    write_batch_csv,
)
from vidu_desktop.core.library import looks_like_mp4, slug, source_stem
from vidu_desktop.core.mp4meta import MAX_TOP_LEVEL_BOXES, top_level_boxes
from vidu_desktop.core.request import MAX_LINK_CHARS, VideoSettings, image_reference_problems, link_problem

pytestmark = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are POSIX")


def image(path: Path) -> Path:
    path.write_bytes(png_bytes(16, 16))
    return path


def _kind_refused(call: Callable[[], object]) -> str:
    try:
        call()
    except files.NotAFile as exc:
        return exc.kind
    return ""


# -- core.files ---------------------------------------------------------------------------------------


def test_only_regular_files_are_opened_and_never_block(tmp_path):
    (tmp_path / "plain.txt").write_bytes(b"hello")
    assert files.read_regular(tmp_path / "plain.txt", 3) == b"hel"
    with fifo(tmp_path / "pipe") as pipe:
        done, kind = finishes(lambda: _kind_refused(lambda: files.read_regular(pipe, 10)))
        assert done and kind == files.PIPE
        with pytest.raises(files.NotAFile) as raised:
            files.open_regular(pipe)
        assert raised.value.kind == files.PIPE
    with pytest.raises(files.NotAFile) as raised:
        files.open_regular(tmp_path)
    assert raised.value.kind == files.FOLDER
    os.symlink(tmp_path / "gone", tmp_path / "dangling")
    with pytest.raises(files.NotAFile) as raised:
        files.open_regular(tmp_path / "dangling")
    assert raised.value.kind == files.DANGLING_LINK
    with pytest.raises(FileNotFoundError):
        files.open_regular(tmp_path / "missing")
    if os.path.exists("/dev/zero"):
        with pytest.raises(files.NotAFile):
            files.read_regular("/dev/zero", 10)


# -- core.batch: pipes and binary text ------------------------------------------------------------


def test_a_pipe_beside_a_dropped_image_is_not_its_sidecar(tmp_path):
    photo = image(tmp_path / "harbour.png")
    with fifo(tmp_path / "harbour.txt"):
        done, found = finishes(lambda: expand_sources([str(photo)]))
    assert done
    items, problems = found
    assert [(Path(item.source).name, item.prompt) for item in items] == [("harbour.png", None)] and problems == []


def test_a_sidecar_in_another_case_is_still_found_once_per_folder(tmp_path):
    one, two = image(tmp_path / "one.png"), image(tmp_path / "two.png")
    (tmp_path / "ONE.TXT").write_text("waves", encoding="utf-8")
    (tmp_path / "two.txt").write_text("gulls", encoding="utf-8")
    items, problems = expand_sources([str(one), str(two)])
    assert [(item.prompt, item.origin) for item in items] == [("waves", "ONE.TXT"), ("gulls", "two.txt")]
    assert problems == []


@pytest.mark.parametrize("text, prompt", [("line one\r\n\tline two\n", "line one\r\n\tline two"),
                                          ("waves\x07", None), ("\x1b[2Jwaves", None), ("a\x85b", None),
                                          ("हिन्दी \u200dजोड़", "हिन्दी \u200dजोड़")])
def test_a_sidecar_is_a_prompt_only_when_it_is_text(tmp_path, text, prompt):
    sidecar = tmp_path / "s.txt"
    sidecar.write_text(text, encoding="utf-8", newline="")
    found, problem = read_sidecar(sidecar)
    assert found == prompt
    assert problem == ("" if prompt else "s.txt: not a text file; the form's prompt is used.")


def test_a_prompt_cell_with_control_characters_is_a_row_problem(tmp_path):
    image(tmp_path / "a.png")
    items, problems = parse_batch_csv('image,prompt\na.png,"ok\nwith a line break"\na.png,bad\x00cell\n', tmp_path)
    assert [item.prompt for item in items] == ["ok\nwith a line break"]
    assert [str(problem) for problem in problems] == [
        "Row 3, column prompt: this is not text: it holds control characters."]


def test_a_damaged_utf16_batch_file_is_not_readable_text(tmp_path):
    (tmp_path / "b.csv").write_bytes(b"\xff\xfe" + "image\n".encode("utf-16-le") + b"\x00\xd8")  # a lone surrogate
    items, problems = read_batch_csv(tmp_path / "b.csv")
    assert items == [] and [str(problem) for problem in problems] == ["b.csv: not readable text."]


def test_a_big_endian_utf16_batch_file_is_read(tmp_path):
    image(tmp_path / "a.png")
    (tmp_path / "b.csv").write_bytes("\ufeffimage;prompt\na.png;Crème\n".encode("utf-16-be"))
    items, problems = read_batch_csv(tmp_path / "b.csv")
    assert problems == [] and [item.prompt for item in items] == ["Crème"]


# -- core.batch: how many problems a file can make ------------------------------------------------


def test_a_wide_row_is_one_problem_and_the_rows_after_it_are_read(tmp_path):
    image(tmp_path / "a.png")
    items, problems = parse_batch_csv("image,prompt\n" + "a.png,x" + ",y" * 100 + "\na.png,fine\n", tmp_path)
    assert [item.prompt for item in items] == ["fine"]
    assert [(problem.row, problem.column) for problem in problems] == [(2, "BM")]
    assert f"at most {MAX_COLUMNS} columns" in problems[0].message


def test_values_without_a_column_name_are_one_problem_per_row(tmp_path):
    image(tmp_path / "a.png")
    _items, problems = parse_batch_csv("image\n" + ("a.png" + ",x" * 40 + "\n") * 3, tmp_path)
    assert [(problem.row, problem.column) for problem in problems] == [(2, "B"), (3, "B"), (4, "B")]


def test_many_unknown_header_columns_are_counted_not_listed(tmp_path):
    image(tmp_path / "a.png")
    header = "image," + ",".join(f"extra{n}" for n in range(20))
    items, problems = parse_batch_csv(header + "\na.png\n", tmp_path)
    assert len(items) == 1
    assert [problem.column for problem in problems] == [f"extra{n}" for n in range(6)]
    assert problems[-1].message == "this and later header cells (15 in all) are not columns of a batch file."


def test_bad_and_good_rows_together_stop_at_the_limit(tmp_path):
    image(tmp_path / "a.png")
    rows = "missing.png\na.png\n" * MAX_BATCH_IMAGES
    started = time.monotonic()
    items, problems = parse_batch_csv("image\n" + rows, tmp_path)
    assert len(items) == MAX_BATCH_IMAGES // 2
    assert len(problems) == MAX_BATCH_IMAGES // 2 + 1 and "more than" in problems[-1].message
    assert time.monotonic() - started < DEADLINE_S


# -- core.batch: cells a spreadsheet would run -------------------------------------------------------


@pytest.mark.parametrize("prompt", ["=HYPERLINK(\"http://x\")", "+1", "-dash", "@SUM(A1)", "'=quoted", "''+two",
                                    "'plain quote", "it's = fine", "'"])
def test_formula_like_prompts_are_written_as_text_and_read_back_exactly(tmp_path, prompt):
    source = image(tmp_path / "a.png")
    target = tmp_path / "b.csv"
    write_batch_csv(target, [(str(source), VideoSettings(prompt=prompt))])
    row = target.read_text(encoding="utf-8-sig").splitlines()[1]
    assert not row.split(",", 1)[1].lstrip('"').startswith(("=", "+", "-", "@"))
    items, problems = read_batch_csv(target)
    assert problems == [] and [item.prompt for item in items] == [prompt]


def test_an_image_named_like_a_formula_round_trips(tmp_path):
    source = image(tmp_path / "=cmd.png")
    target = tmp_path / "b.csv"
    write_batch_csv(target, [(str(source), VideoSettings())])
    assert target.read_text(encoding="utf-8-sig").splitlines()[1].startswith("'=cmd.png,")
    items, problems = read_batch_csv(target)
    assert problems == [] and [item.source for item in items] == [str(source)]


# -- core.request: links ------------------------------------------------------------------------------


@pytest.mark.parametrize("link", ["https://example.com/a.png", "http://example.com:8080/a%20b.png?x=1&y=2#top",
                                  "https://例子.测试/图片.png", "https://[::1]/a.png"])
def test_a_usable_link_has_no_problem(link):
    assert link_problem(link) == "" and image_reference_problems(link) == []


@pytest.mark.parametrize("link, words", [
    ("https://example.com/a\nb.png", "spaces, line breaks or control characters"),
    ("https://example.com/a b.png", "spaces, line breaks or control characters"),
    ("https://example.com/\u202egnp.png", "spaces, line breaks or control characters"),
    ("https:///a.png", "names no server"),
    ("https://example.com/" + "a" * MAX_LINK_CHARS, f"the limit is {MAX_LINK_CHARS}"),
    ("https://user:secret@example.com/a.png", "user name or password"),
    ("https://example.com:99999/a.png", "cannot be read"),
    ("ftp://example.com/a.png", "must start with http"),
])
def test_a_link_that_is_no_link_says_why(link, words):
    assert words in link_problem(link)
    assert [problem.field for problem in image_reference_problems(link)] == ["images"]


def test_a_dropped_link_that_is_no_link_is_a_problem_not_an_image():
    items, problems = expand_sources(["https://user:pw@example.com/a.png", "https://example.com/ok.png"])
    assert [item.source for item in items] == ["https://example.com/ok.png"]
    assert len(problems) == 1 and "user name or password" in str(problems[0])
    assert str(problems[0]).isprintable()


def test_a_row_with_a_password_in_its_link_is_a_row_problem(tmp_path):
    items, problems = parse_batch_csv("image\nhttps://me:pw@example.com/a.png\n", tmp_path)
    assert items == [] and [(problem.row, problem.column) for problem in problems] == [(2, "image")]


# -- core.library and core.mp4meta -------------------------------------------------------------------


@pytest.mark.parametrize("text, expected", [("हिन्दी", "हिन्दी"), ("தமிழ் படம்", "தமிழ்-படம்"), ("ภาษาไทย", "ภาษาไทย"),
                                            ("Café, à l'aube!", "café-à-laube"), ("a\u0301", "á"),
                                            ("x_1-2 3", "x-1-2-3"), ("a/b\\c:d*e", "a-b-c-d-e"), ("½ ²", "½-²")])
def test_slug_keeps_letters_marks_and_digits_of_any_script(text, expected):
    assert slug(text) == expected
    if "/" not in text and "\\" not in text:  # a path's last part is its name
        assert source_stem(text + ".png") == expected


def mp4(path: Path, *boxes: bytes) -> Path:
    path.write_bytes((16).to_bytes(4, "big") + b"ftypisom" + bytes(4) + b"".join(boxes))
    return path


def test_looks_like_mp4_and_the_tag_reader_share_one_bounded_walk(tmp_path):
    moov, free = (8).to_bytes(4, "big") + b"moov", (8).to_bytes(4, "big") + b"free"
    assert looks_like_mp4(mp4(tmp_path / "ok.mp4", free, moov))
    assert top_level_boxes(tmp_path / "ok.mp4") == [(b"ftyp", 16), (b"free", 8), (b"moov", 8)]
    assert not looks_like_mp4(mp4(tmp_path / "nomoov.mp4", free))
    assert not looks_like_mp4(mp4(tmp_path / "cut.mp4", moov, (100).to_bytes(4, "big") + b"mdat"))
    assert looks_like_mp4(mp4(tmp_path / "limit.mp4", *[free] * (MAX_TOP_LEVEL_BOXES - 2), moov))
    assert not looks_like_mp4(mp4(tmp_path / "over.mp4", *[free] * (MAX_TOP_LEVEL_BOXES - 1), moov))
    with fifo(tmp_path / "pipe.mp4") as pipe:
        done, found = finishes(lambda: looks_like_mp4(pipe))
    assert done and found is False


def test_a_big_file_of_empty_boxes_is_refused_quickly(tmp_path):
    path = mp4(tmp_path / "boxes.mp4", ((8).to_bytes(4, "big") + b"free") * 2_000_000)  # 16 MB
    started = time.monotonic()
    assert not looks_like_mp4(path)
    assert time.monotonic() - started < 0.5
