"""The image list as a batch (every problem, Remove invalid, Clear, folders, batch files, each
image's own prompt and settings), and the form (takes, a tall prompt, earlier prompts, presets),
as a user sees them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractSpinBox, QApplication, QComboBox, QWidget

from tests.images import png_bytes, png_header_only
from vidu_desktop import settings
from vidu_desktop.core.batch import BatchItem, read_batch_csv
from vidu_desktop.core.request import VideoSettings


@pytest.fixture
def panel(qtbot):
    from vidu_desktop.ui.image_panel import ImagePanel

    widget = ImagePanel()
    qtbot.addWidget(widget)
    widget.resize(420, 700)
    widget.show()
    return widget



def settle(qtbot, panel) -> None:
    qtbot.waitUntil(lambda: panel.pending_count() == 0, timeout=10_000)


def shown_lines(panel) -> list[str]:
    """What each line of the list says, as a user reads it."""
    return [panel.list.item(row).text() for row in range(panel.list.count())]


def write(path: Path, data: bytes | str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, str):
        path.write_text(data, encoding="utf-8")
    else:
        path.write_bytes(data)
    return path


def unnamed_controls(root: QWidget) -> list[str]:
    """Controls a keyboard or screen reader reaches that have no accessible name (the parts of
    spin boxes and combo boxes are named by their owner)."""
    missing = []
    for widget in [root, *root.findChildren(QWidget)]:
        if widget.focusPolicy() == Qt.FocusPolicy.NoFocus or widget.accessibleName():
            continue
        owner = widget.parentWidget()
        while owner is not None and owner is not root and not isinstance(owner, QAbstractSpinBox | QComboBox):
            owner = owner.parentWidget()
        if isinstance(owner, QAbstractSpinBox | QComboBox):
            continue
        if widget.metaObject().className() in ("QLabel",):  # read by its text
            continue
        missing.append(f"{widget.metaObject().className()} {widget.objectName()!r}")
    return missing


# -- batches ------------------------------------------------------------------------------------------


def test_every_problem_is_shown_and_remove_invalid_keeps_the_good_ones(qtbot, panel, tmp_path):
    good = write(tmp_path / "good.png", png_bytes(320, 240))
    banner = write(tmp_path / "banner.png", png_header_only(500, 100))  # wrong shape and cut short
    notes = write(tmp_path / "notes.png", b"just some text here")
    panel.add_sources([str(good), str(banner), str(notes)])
    settle(qtbot, panel)
    good_line, banner_line, notes_line = shown_lines(panel)
    assert "320×240 · 4:3" in good_line and "⚠" not in good_line
    assert "outside the allowed 1:4 to 4:1" in banner_line and "cut short" in banner_line  # both, not the first
    assert banner_line.count("⚠") == 2
    # Not an image: only what helps, no "0×0 · 0:0 · 19 bytes".
    assert "not a JPEG, PNG or WebP image" in notes_line
    assert "0×0" not in notes_line and "bytes" not in notes_line
    assert panel.invalid_count() == 2
    assert panel.remove_invalid_button.isVisible() and panel.remove_invalid_button.text() == "Remove invalid (2)"
    assert [o.source for o in panel.orders(VideoSettings(), 1)] == [str(good)]  # only what can be sent

    panel.remove_invalid_button.click()
    assert [image.source for image in panel.images] == [str(good)]
    assert not panel.remove_invalid_button.isVisible() and panel.count_label.text() == "Ready: 1"


def test_clear_empties_the_list_and_the_drop_hint_returns(qtbot, panel):
    panel.add_sources(["https://example.com/cat.png", "https://example.com/dog.png"])
    assert len(panel.images) == 2 and not panel.hint.isVisible() and panel.clear_button.isEnabled()
    panel.clear_button.click()
    assert panel.images == [] and panel.list.count() == 0
    assert panel.hint.isVisible() and not panel.list.isVisible()


def test_a_folder_brings_its_images_with_their_sidecar_prompts_and_offers_subfolders(qtbot, panel, tmp_path):
    folder = tmp_path / "shoot"
    write(folder / "harbour.jpg", png_bytes(320, 240))
    write(folder / "harbour.txt", "boats rock gently\n")
    write(folder / "market.png", png_bytes(240, 320))
    write(folder / "more" / "tower.png", png_bytes(300, 300))
    panel.add_sources([str(folder)])
    qtbot.waitUntil(lambda: len(panel.images) == 2, timeout=10_000)
    settle(qtbot, panel)
    harbour, market = shown_lines(panel)
    assert harbour.startswith("harbour.jpg") and "✎ Own prompt: “boats rock gently”" in harbour
    assert "Own prompt" not in market  # follows the form
    assert panel.subfolder_offer.isVisible() and "shoot has folders inside" in panel.subfolders_label.text()

    form_settings = VideoSettings(prompt="slow zoom", duration=3)
    prompts = {Path(o.source).name: o.settings.prompt for o in panel.orders(form_settings, 2)}
    assert prompts == {"harbour.jpg": "boats rock gently", "market.png": "slow zoom"}
    assert {o.takes for o in panel.orders(form_settings, 2)} == {2}

    panel.include_subfolders.click()
    qtbot.waitUntil(lambda: len(panel.images) == 3, timeout=10_000)
    settle(qtbot, panel)
    assert sorted(Path(image.source).name for image in panel.images) == ["harbour.jpg", "market.png", "tower.png"]
    assert not panel.subfolder_offer.isVisible()


def test_batch_file_rows_with_problems_are_marked_with_row_and_column(qtbot, panel, tmp_path):
    write(tmp_path / "a.png", png_bytes(320, 240))
    write(tmp_path / "b.png", png_bytes(320, 240))
    batch = write(tmp_path / "batch.csv", "image,prompt,duration,colour\n"
                                          "a.png,first prompt,4,\n"
                                          "b.png,,99,\n"
                                          "missing.png,,abc,\n")
    panel.add_sources([str(batch)])
    qtbot.waitUntil(lambda: len(panel.images) == 4, timeout=10_000)
    settle(qtbot, panel)
    a, header, row3, row4 = shown_lines(panel)
    assert "Own prompt: “first prompt”" in a and "Own settings: 4 s" in a
    assert header.startswith("batch.csv row 1") and "column colour" in header
    assert row3.startswith("batch.csv row 3") and "column duration" in row3
    assert row4.startswith("batch.csv row 4") and "column image" in row4 and "column duration" in row4
    assert panel.invalid_count() == 3
    [order] = panel.orders(VideoSettings(prompt="form", duration=6), 1)
    assert (order.settings.prompt, order.settings.duration) == ("first prompt", 4)

    panel.remove_invalid()
    assert [Path(image.source).name for image in panel.images] == ["a.png"]


def test_each_image_takes_its_own_prompt_and_settings_in_place(qtbot, panel, tmp_path):
    panel.form_settings = lambda: VideoSettings(prompt="the form's prompt", duration=5, resolution="720p")
    first = write(tmp_path / "first.png", png_bytes(320, 240))
    second = write(tmp_path / "second.png", png_bytes(320, 240))
    panel.add_sources([str(first), str(second)])
    settle(qtbot, panel)
    assert not panel.editor.isVisible()  # nothing selected: every image follows the form

    panel.list.setCurrentRow(0)
    assert panel.editor.isVisible() and panel.editor.title() == "This image: first.png"
    assert panel.editor.prompt.toPlainText() == "" and not panel.editor.duration.isEnabled()
    panel.editor.prompt.setPlainText("only the first one waves")
    panel.editor.own_settings.setChecked(True)
    panel.editor.duration.setValue(9)
    panel.editor.resolution.setCurrentText("1080p")
    assert "✎ Own prompt: “only the first one waves”" in shown_lines(panel)[0]
    assert "⚙ Own settings: 9 s · 1080p" in shown_lines(panel)[0]
    assert "Own" not in shown_lines(panel)[1]

    form = VideoSettings(prompt="the form's prompt", duration=5, resolution="720p", off_peak=True)
    own, follows = panel.orders(form, 3)
    assert (own.settings.prompt, own.settings.duration, own.settings.resolution) == (
        "only the first one waves", 9, "1080p")
    assert own.settings.off_peak is True and own.takes == 3  # what it does not set follows the form
    assert follows.settings == form

    panel.list.setCurrentRow(1)
    assert panel.editor.title() == "This image: second.png" and panel.editor.prompt.toPlainText() == ""
    panel.list.setCurrentRow(0)
    assert panel.editor.prompt.toPlainText() == "only the first one waves"
    panel.editor.follow_form.click()
    assert "Own" not in shown_lines(panel)[0]
    assert [o.settings for o in panel.orders(form, 1)] == [form, form]


def test_a_frame_to_continue_keeps_its_prompt_settings_and_parent(qtbot, panel, tmp_path):
    frame = write(tmp_path / "last-frame.png", png_bytes(320, 240))
    panel.add_items([BatchItem(str(frame), "keep walking", {"duration": 8, "seed": 77})], parent_id=12,
                    relation="continue")
    settle(qtbot, panel)
    [order] = panel.orders(VideoSettings(prompt="other"), 1)
    assert (order.settings.prompt, order.settings.duration, order.settings.seed) == ("keep walking", 8, 77)
    assert (order.parent_id, order.relation) == (12, "continue")
    assert "Own prompt: “keep walking”" in shown_lines(panel)[0]


def test_the_batch_is_saved_as_a_batch_file_that_reads_back(qtbot, panel, tmp_path):
    image = write(tmp_path / "photos" / "dune.png", png_bytes(320, 240))
    panel.add_items([BatchItem(str(image), "sand blows", {"resolution": "1080p"})])
    panel.add_sources(["https://example.com/owl.png"])
    settle(qtbot, panel)
    path = tmp_path / "photos" / "saved.csv"
    assert panel.save_batch_csv(path, VideoSettings(prompt="form words", duration=3)) == 2
    items, problems = read_batch_csv(path)
    assert problems == []
    assert [(Path(i.source).name, i.prompt, i.overrides["resolution"], i.overrides["duration"]) for i in items] == [
        ("dune.png", "sand blows", "1080p", 3), ("owl.png", "form words", "720p", 3)]


def test_image_panel_controls_have_names(qtbot, panel, tmp_path):
    panel.add_sources([str(write(tmp_path / "a.png", png_bytes(320, 240)))])
    settle(qtbot, panel)
    panel.list.setCurrentRow(0)
    assert unnamed_controls(panel) == []


# -- the form ---------------------------------------------------------------------------------------------


def test_takes_per_image_are_remembered_and_in_the_estimate(qtbot, form):
    from vidu_desktop.core.request import ImageOrder

    assert form.takes() == 1 and form.estimate.text() == "≈ $0.195 per video, estimate"
    form.takes_box.setValue(3)
    assert form.takes() == 3
    assert form.estimate.text().splitlines() == ["≈ $0.195 per video, estimate", "× 3 takes: ≈ $0.59 per image"]
    assert settings.takes_per_image() == 3
    orders = [ImageOrder("a.png", form.settings(), form.takes()), ImageOrder("b.png", form.settings(), 1)]
    assert form.estimate_orders(orders) == 4 * form.estimate_units()
    form.takes_box.setValue(99)
    assert form.takes() == 8  # the most the app makes from one image


def test_the_prompt_box_shows_at_least_four_lines(form):
    lines = form.prompt.fontMetrics().lineSpacing()
    assert form.prompt.height() >= 4 * lines
    assert form.prompt.minimumHeight() >= 4 * lines


def test_earlier_prompts_are_offered_as_you_type(qtbot, form):
    form.remember_prompts(["a red kite over the hills", "waves roll onto the harbour wall"])
    assert settings.prompt_history()[:2] == ["a red kite over the hills", "waves roll onto the harbour wall"]
    form.window().activateWindow()
    form.prompt.setFocus()
    qtbot.waitUntil(form.prompt.hasFocus, timeout=5_000)
    qtbot.keyClicks(form.prompt, "harb")
    qtbot.waitUntil(form.prompt.popup.isVisible, timeout=5_000)
    offered = form.prompt.completer.completionModel()
    assert [offered.index(row, 0).data() for row in range(offered.rowCount())] == ["waves roll onto the harbour wall"]
    qtbot.keyClick(form.prompt.popup, Qt.Key.Key_Down)
    qtbot.keyClick(form.prompt.popup, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not form.prompt.popup.isVisible(), timeout=5_000)
    assert form.prompt.toPlainText() == "waves roll onto the harbour wall"  # no line break added by Enter
    form.prompt.setPlainText("something else")  # set by the program: nothing is offered
    assert not form.prompt.popup.isVisible()


def test_presets_are_saved_applied_renamed_and_deleted(qtbot, form):
    bar = form.presets
    form.prompt.setPlainText("product on a turntable")
    form.duration.setValue(8)
    form.resolution.setCurrentText("1080p")
    assert bar.save_current("Turntable") == "Saved preset “Turntable”."
    assert bar.combo.currentText() == "Turntable"
    form.prompt.setPlainText("")
    form.duration.setValue(2)

    bar.combo.setCurrentIndex(0)
    bar.combo.activated.emit(bar.combo.findText("Turntable"))
    assert (form.prompt.toPlainText(), form.duration.value(), form.resolution.currentText()) == (
        "product on a turntable", 8, "1080p")

    assert bar.rename("Turntable", "  Turn\ttable 1080p ") == "Renamed to “Turn table 1080p”."
    assert list(settings.presets()) == ["Turn table 1080p"]
    assert [bar.combo.itemText(i) for i in range(bar.combo.count())] == ["No preset", "Turn table 1080p"]
    assert bar.delete("Turn table 1080p") == "Deleted preset “Turn table 1080p”."
    assert settings.presets() == {} and bar.combo.itemText(0) == "No presets yet"
    assert bar.status.isVisible() and bar.status.text() == "Deleted preset “Turn table 1080p”."


def test_presets_export_and_import_as_json(qtbot, form, tmp_path):
    bar = form.presets
    form.prompt.setPlainText("slow dolly")
    bar.save_current("Dolly")
    path = tmp_path / "presets.json"
    assert bar.export_to(path) == "Presets exported to presets.json: 1."
    bar.delete("Dolly")
    assert bar.import_from(path) == "Presets imported from presets.json: 1."
    assert settings.presets()["Dolly"].prompt == "slow dolly"


@pytest.mark.parametrize("content, reason", [
    (b"\xff\xfe not json", "not JSON text"),
    (b"[1, 2, 3]", "holds no presets"),
    (b'{"presets": {"Bad": {"duration": 99}}}', "Duration must be"),
    (b'{"presets": {"Odd": {"colour": "red"}}}', "no setting called 'colour'"),
    (b'{"presets": {"": {"duration": 2}}}', "no name"),
    (b'{"presets": ' + b"[" * 100_000 + b"]" * 100_000 + b"}", "not JSON text"),
    (b" " * (1024 * 1024 + 1), "larger than 1 MB"),
])
def test_a_bad_presets_file_changes_nothing_and_says_why(qtbot, form, tmp_path, content, reason):
    bar = form.presets
    form.prompt.setPlainText("keep me")
    bar.save_current("Mine")
    before = settings.presets()
    path = write(tmp_path / "hostile.json", content)
    words = bar.import_from(path)
    assert words.startswith("Nothing was imported from hostile.json.") and reason in words, words
    assert bar.status.isVisible() and bar.status.text() == words
    assert settings.presets() == before


def test_a_presets_file_with_too_many_presets_changes_nothing(qtbot, form, tmp_path):
    many = {f"p{n}": {"duration": 2} for n in range(201)}
    path = write(tmp_path / "many.json", json.dumps({"presets": many}))
    assert "more than 200 presets" in form.presets.import_from(path)
    assert settings.presets() == {}


def test_form_controls_have_names(form):
    assert unnamed_controls(form) == []


def test_window_shows_takes_presets_and_the_clear_button(qtbot, window):
    """The window shows what this file tests on its own: the takes box, the presets, Clear."""
    window.images.add_sources(["https://example.com/cat.png"])
    assert window.form.takes_box.isVisible() and window.form.presets.combo.isVisible()
    assert window.images.clear_button.isVisible()
    window.images.clear_button.click()
    assert window.images.images == []
    QApplication.processEvents()


def test_generate_sends_each_image_with_its_own_prompt_and_every_take(qtbot, window, simulator):
    """Through the window and the simulator: two images × 2 takes, one image with its own
    prompt and duration; four jobs with four seeds, and the images stay for another try."""
    from tests.gui.conftest import jobs_shown

    window.form.prompt.setPlainText("the form's words")
    window.form.duration.setValue(2)
    window.form.takes_box.setValue(2)
    window.images.add_sources(["https://example.com/cat.png", "https://example.com/owl.png"])
    window.images.list.setCurrentRow(1)
    editor = window.images.editor
    assert editor.isVisible() and editor.title() == "This image: https://example.com/owl.png"
    editor.prompt.setPlainText("the owl blinks")
    editor.own_settings.setChecked(True)
    editor.duration.setValue(3)
    qtbot.waitUntil(window.generate_button.isEnabled, timeout=10_000)
    window.generate()
    qtbot.waitUntil(lambda: simulator.stats.submissions == 4, timeout=20_000)
    qtbot.waitUntil(lambda: len(jobs_shown(window)) == 4, timeout=10_000)
    made = sorted((Path(job.image_source).name, job.settings.prompt, job.settings.duration)
                  for job in jobs_shown(window))
    assert made == [("cat.png", "the form's words", 2)] * 2 + [("owl.png", "the owl blinks", 3)] * 2
    assert len({job.settings.seed for job in jobs_shown(window)}) == 4  # every take its own seed
    assert [Path(image.source).name for image in window.images.images] == ["cat.png", "owl.png"]
    # Both prompts just sent are offered again as you type.
    assert {"the form's words", "the owl blinks"} <= set(settings.prompt_history())


def test_the_cost_counts_each_images_own_settings_and_every_take(qtbot, window):
    from vidu_desktop.core.pricing import format_usd

    window.form.duration.setValue(2)
    window.form.takes_box.setValue(2)
    window.images.add_sources(["https://example.com/cat.png", "https://example.com/owl.png"])
    window.images.list.setCurrentRow(1)
    window.images.editor.own_settings.setChecked(True)
    window.images.editor.duration.setValue(8)  # a longer, dearer video for the owl only
    qtbot.waitUntil(window.generate_button.isEnabled, timeout=10_000)
    prices = window.form.price_table()
    expected = 2 * prices.estimate(window.form.settings()) + 2 * prices.estimate(
        window.form.settings().replace(duration=8))
    assert prices.estimate(window.form.settings().replace(duration=8)) != prices.estimate(window.form.settings())
    assert window.generate_button.text() == f"Generate 4 videos · ≈ {format_usd(expected)}"
    assert format_usd(expected) in window.generate_button.toolTip()


def test_generate_waits_while_a_folder_is_read(qtbot, window, tmp_path):
    folder = tmp_path / "holiday"
    for index in range(3):
        write(folder / f"beach-{index}.png", png_bytes(320 + index, 240))
    window.images.add_sources([str(folder)])
    assert not window.generate_button.isEnabled()  # read in the background: not yet
    assert window.problem_label.isVisible() and window.problem_label.text().startswith("Reading holiday")
    qtbot.waitUntil(window.generate_button.isEnabled, timeout=10_000)
    assert window.generate_button.text().startswith("Generate 3 videos")


def test_save_batch_writes_the_forms_settings_and_says_so(qtbot, window, tmp_path):
    window.form.prompt.setPlainText("waves roll in")
    window.form.duration.setValue(2)
    window.images.add_sources(["https://example.com/cat.png", "https://example.com/owl.png"])
    window.images.list.setCurrentRow(1)
    assert window.images.editor.duration.value() == 2  # the image's editor shows what it follows: the form
    target = tmp_path / "saved.csv"
    window.save_batch_to(target)
    assert window.statusBar().currentMessage() == f"Saved 2 rows to {target}"
    items, problems = read_batch_csv(target)
    assert problems == []
    assert [(item.prompt, item.overrides.get("duration")) for item in items] == [("waves roll in", 2)] * 2
    window.save_batch_to(tmp_path / "no-such-folder" / "saved.csv")  # cannot be written: said in words
    message = window.statusBar().currentMessage()
    assert message and not message.startswith("Saved")
