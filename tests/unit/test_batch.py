"""Inputs in bulk (core.batch): folders with sidecar prompts, batch files, drops and command lines."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.images import png_bytes
from vidu_desktop.core.batch import (
    CSV_COLUMNS,
    MAX_BATCH_IMAGES,
    BatchItem,
    BatchProblem,
    expand_sources,
    images_in_folder,
    natural_key,
    parse_batch_csv,
    read_batch_csv,
    write_batch_csv,
)
from vidu_desktop.core.request import VideoSettings

FORM = VideoSettings(prompt="the form's prompt", duration=4, resolution="540p")


def image(folder: Path, name: str) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(png_bytes(32, 24))
    return path


def test_folder_with_sidecars_in_natural_order(tmp_path):
    for name in ("shot 10.png", "shot 2.jpg", "Shot 1.webp", "harbour.JPEG", ".hidden.png", "notes.md"):
        image(tmp_path, name)
    (tmp_path / "harbour.txt").write_bytes("\ufeff  Waves at dawn, the camera rises  \n".encode())
    (tmp_path / "shot 2.TXT").write_text("Zoom in\n", encoding="utf-8")
    (tmp_path / "shot 10.txt").write_text("   \n", encoding="utf-8")  # empty: the form's prompt
    image(tmp_path, "sub/inside.png")

    items = images_in_folder(tmp_path)

    assert [Path(item.source).name for item in items] == ["harbour.JPEG", "Shot 1.webp", "shot 2.jpg", "shot 10.png"]
    assert all(Path(item.source).is_absolute() for item in items)
    assert [item.prompt for item in items] == ["Waves at dawn, the camera rises", None, "Zoom in", None]
    assert items[0].origin == "harbour.txt" and items[2].origin == "shot 2.TXT"
    assert items[0].settings_over(FORM) == FORM.replace(prompt="Waves at dawn, the camera rises")
    assert items[1].settings_over(FORM) == FORM
    recursive = images_in_folder(tmp_path, recursive=True)
    assert [Path(item.source).name for item in recursive][-1] == "inside.png"  # after the folder's own


def test_a_sidecar_that_is_not_utf8_or_too_long_is_reported_and_the_form_prompt_kept(tmp_path):
    image(tmp_path, "a.png")
    image(tmp_path, "b.png")
    (tmp_path / "a.txt").write_bytes(b"caf\xe9 \xff")
    (tmp_path / "b.txt").write_text("x" * 5001, encoding="utf-8")

    items, problems = expand_sources([str(tmp_path)])

    assert [item.prompt for item in items] == [None, None]
    assert [str(problem) for problem in problems] == [
        "a.txt: not UTF-8 text; the form's prompt is used.",
        "b.txt: the prompt is 5001 characters long; the limit is 5000. The form's prompt is used."]


def test_natural_key_never_compares_numbers_with_text():
    names = ["a", "a1", "1", "a10b", "a2", "B", "10", ""]
    assert sorted(names, key=natural_key) == ["", "1", "10", "a", "a1", "a2", "a10b", "B"]


def write_csv(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_bytes(text.encode(encoding))
    return path


def test_a_csv_with_every_column(tmp_path):
    image(tmp_path, "pics/harbour.png")
    csv_path = write_csv(tmp_path / "batch.csv",
                         "\ufeffImage;prompt;duration;resolution;audio;audio_type;seed;off_peak;is_rec\r\n"
                         "pics/harbour.png;\"Waves; then gulls\";8;1080P;no;speech_only;42;yes;true\r\n"
                         "\r\n"
                         "https://example.com/cat.webp;;;;;;;;\r\n")

    items, problems = read_batch_csv(csv_path)

    assert problems == []
    harbour, cat = items
    assert harbour.source == str(tmp_path / "pics" / "harbour.png")
    assert harbour.prompt == "Waves; then gulls"
    assert harbour.origin == "batch.csv row 2"
    assert harbour.settings_over(FORM) == VideoSettings(prompt="Waves; then gulls", duration=8, resolution="1080p",
                                                        audio=False, audio_type="speech_only", seed=42,
                                                        off_peak=True, is_rec=True)
    assert cat.source == "https://example.com/cat.webp" and cat.origin == "batch.csv row 4"  # the blank line counts
    assert cat.settings_over(FORM) == FORM  # blank cells follow the form


def test_a_csv_with_an_unknown_column_names_it_and_keeps_the_rows(tmp_path):
    image(tmp_path, "a.png")
    csv_path = write_csv(tmp_path / "batch.csv", "image,prompt,mood\na.png,calm sea,blue\n")

    items, problems = read_batch_csv(csv_path)

    assert [str(p) for p in problems] == ["Row 1, column mood: there is no column called 'mood'; the columns are "
                                          f"{', '.join(CSV_COLUMNS)}."]
    assert [item.prompt for item in items] == ["calm sea"]  # "go ahead with the valid rows" still has it


def test_a_bad_value_in_row_7_is_named_by_row_and_column_and_that_row_gives_no_item(tmp_path):
    for n in range(2, 8):
        image(tmp_path, f"{n}.png")
    lines = ["image,duration,resolution"] + [f"{n}.png,5,720p" for n in range(2, 7)] + ["7.png,30,4k"]
    csv_path = write_csv(tmp_path / "batch.csv", "\n".join(lines) + "\n")

    items, problems = read_batch_csv(csv_path)

    assert [str(p) for p in problems] == [
        "Row 7, column duration: Duration must be a whole number of seconds from 1 to 16.",
        "Row 7, column resolution: Resolution must be one of 540p, 720p, 1080p."]
    assert [Path(item.source).name for item in items] == ["2.png", "3.png", "4.png", "5.png", "6.png"]


def test_a_missing_image_file_and_a_row_without_an_image(tmp_path):
    (tmp_path / "folder.png").mkdir()
    csv_path = write_csv(tmp_path / "batch.csv", "image,prompt\nmissing.png,x\n,only a prompt\nfolder.png,y\n")

    items, problems = read_batch_csv(csv_path)

    assert items == []
    assert [str(p) for p in problems] == ["Row 2, column image: missing.png: no such file.",
                                          "Row 3, column image: no image given.",
                                          "Row 4, column image: folder.png: no such file (it is a folder)."]


def test_a_csv_without_an_image_column_or_header(tmp_path):
    assert [str(p) for p in parse_batch_csv("prompt\nhello\n", tmp_path)[1]] == [
        "Row 1, column image: the header row has no column image (which image each row is for)."]
    assert parse_batch_csv("\n\n", tmp_path)[1][0].row == 1
    assert parse_batch_csv("", tmp_path)[1][0].column == "image"


def test_values_under_no_heading_are_reported_by_letter(tmp_path):
    image(tmp_path, "a.png")
    _items, problems = parse_batch_csv("image,\na.png,,\na.png,,surprise\n", tmp_path)
    assert [str(p) for p in problems] == ["Row 3, column C: a value in a column without a name in the header row."]


def test_a_windows_1252_csv_is_read(tmp_path):
    image(tmp_path, "café.png")
    csv_path = write_csv(tmp_path / "batch.csv", "image;prompt\r\ncafé.png;Crème brûlée\r\n", encoding="cp1252")
    items, problems = read_batch_csv(csv_path)
    assert problems == [] and items[0].prompt == "Crème brûlée"


def test_write_then_read_round_trip(tmp_path):
    inside = image(tmp_path, "shots/one.png")
    outside = image(tmp_path / "elsewhere", "two.png")
    rows = [
        (str(inside), VideoSettings(prompt='Quotes "and", commas; semicolons\nand a new line', duration=16,
                                    resolution="1080p", seed=2_147_483_647, audio=False,
                                    audio_type="sound_effect_only", is_rec=True, off_peak=True)),
        (str(outside), VideoSettings(prompt="Ünïcode ✓")),
        ("https://example.com/x.png?a=1,2", VideoSettings(prompt="a link", duration=1, resolution="540p")),
    ]
    target = tmp_path / "shots" / "saved.csv"

    write_batch_csv(target, rows)
    items, problems = read_batch_csv(target)

    assert problems == []
    assert [(item.source, item.settings_over(FORM)) for item in items] == rows
    text = target.read_text(encoding="utf-8-sig")
    assert text.splitlines()[1].startswith("one.png,")  # relative inside the CSV's folder
    assert str(outside) in text  # absolute outside it
    assert not list(target.parent.glob("*.part"))


def test_expand_sources_keeps_the_order_and_takes_everything_a_drop_gives(tmp_path):
    folder = tmp_path / "folder"
    image(folder, "b.png")
    image(folder, "a.png")
    single = image(tmp_path, "single.jpg")
    (tmp_path / "single.txt").write_text("from the sidecar", encoding="utf-8")
    image(tmp_path, "row.png")
    batch = write_csv(tmp_path / "batch.csv", "image,prompt,duration\nrow.png,from the csv,3\nrow.png,,99\n")

    items, problems = expand_sources([str(single), str(tmp_path / "single.txt"), "https://example.com/c.png",
                                      str(folder), str(batch), str(tmp_path / "nothing-here.png")])

    assert [(Path(item.source).name, item.prompt) for item in items] == [
        ("single.jpg", "from the sidecar"), ("c.png", None), ("a.png", None), ("b.png", None),
        ("row.png", "from the csv")]
    assert items[-1].overrides == {"duration": 3}
    assert [str(p) for p in problems] == [
        "Row 3, column duration: Duration must be a whole number of seconds from 1 to 16.",
        f"{tmp_path / 'nothing-here.png'}: no such file or folder."]


def test_expand_sources_stops_at_the_limit(tmp_path):
    sources = [f"https://example.com/{n}.png" for n in range(MAX_BATCH_IMAGES + 5)]
    items, problems = expand_sources(sources)
    assert len(items) == MAX_BATCH_IMAGES
    assert len(problems) == 1 and "more than" in str(problems[0])


def test_relative_paths_are_made_absolute(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    image(tmp_path, "here.png")
    items, problems = expand_sources(["here.png"])
    assert problems == [] and items[0].source == os.path.join(tmp_path, "here.png")


def test_batch_item_refuses_unknown_fields_and_overrides_win_over_the_prompt():
    with pytest.raises(ValueError, match="colour"):
        BatchItem("https://example.com/a.png", overrides={"colour": "red"})
    item = BatchItem("https://example.com/a.png", prompt="own", overrides={"seed": 5})
    assert item.settings_over(FORM) == FORM.replace(prompt="own", seed=5)
    assert hash(item) == hash(BatchItem("https://example.com/a.png", prompt="own", overrides={"seed": 5}))


def test_problem_words():
    assert str(BatchProblem(7, "duration", "must be 1–16 seconds")) == "Row 7, column duration: must be 1–16 seconds"
    assert str(BatchProblem(None, "", "x.csv: cannot be read.")) == "x.csv: cannot be read."
    assert str(BatchProblem(3, "", "broken")) == "Row 3: broken"


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(alphabet=st.sampled_from(list('image,prompt;duration\t"\n\r x.png 7 \ufeff\x00é')) | st.characters(),
               max_size=400))
def test_the_csv_reader_never_raises_and_every_problem_names_a_row_and_a_column(tmp_path, text):
    items, problems = parse_batch_csv(text, tmp_path)
    for problem in problems:
        assert problem.row is not None and problem.row >= 1
        assert problem.column
        assert str(problem).startswith(f"Row {problem.row}, column ")
    assert all(isinstance(item, BatchItem) for item in items)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.lists(st.text(max_size=30), min_size=1, max_size=6), max_size=8))
def test_any_table_of_cells_is_read_without_raising(tmp_path, table):
    text = "\n".join(";".join(f'"{cell}"' for cell in row) for row in [["image", "prompt"], *table])
    _items, problems = parse_batch_csv(text, tmp_path)
    assert all(problem.row is not None and problem.column for problem in problems)


def test_a_folder_without_images_is_a_problem(tmp_path):
    (tmp_path / "notes.txt").write_text("hello", encoding="utf-8")
    items, problems = expand_sources([str(tmp_path)])
    assert items == [] and [str(p) for p in problems] == [f"{tmp_path}: no JPEG, PNG or WebP images in this folder."]


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.text(max_size=40) | st.sampled_from(["a\x00b", "\udcff.png", "x.csv", "https://", "~", ""]),
                max_size=5))
def test_expand_sources_never_raises_and_its_messages_print(tmp_path, monkeypatch, sources):
    monkeypatch.chdir(tmp_path)
    _items, problems = expand_sources(sources)
    for problem in problems:
        str(problem).encode("utf-8")  # printable: no surrogates, no control characters
        assert str(problem).isprintable()


def test_a_batch_file_is_bounded(tmp_path):
    rows = "".join(f"https://example.com/{n}.png\n" for n in range(MAX_BATCH_IMAGES + 1))
    items, problems = parse_batch_csv("image\n" + rows, tmp_path)
    assert len(items) == MAX_BATCH_IMAGES
    assert [(p.row, p.column) for p in problems] == [(MAX_BATCH_IMAGES + 2, "image")]
    huge = write_csv(tmp_path / "huge.csv", "image\n" + "x" * (8 * 1024 * 1024))
    assert [str(p) for p in read_batch_csv(huge)[1]] == [
        "huge.csv: more than 8.0 MB; split it into smaller batch files."]
    _items, long_cell = parse_batch_csv("image,prompt\nhttps://example.com/a.png," + "y" * 200_000 + "\n", tmp_path)
    assert long_cell[0].row == 2 and "longer than" in long_cell[0].message
