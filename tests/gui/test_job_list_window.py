"""The job list and its details pane as a user meets them: rows, search, filters, keys, the details,
the player that is not taken over, Generate that keeps the images, quitting, folders, screenshots."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from PySide6.QtCore import QItemSelectionModel, Qt, QTimer
from PySide6.QtGui import QAccessible, QDesktopServices, QGuiApplication
from PySide6.QtWidgets import QApplication, QMessageBox

from tests.gui.conftest import add_one_image, generate_paused, jobs_shown
from tests.images import png_bytes
from vidu_desktop.core.job import Job
from vidu_desktop.core.lifecycle import JobState
from vidu_desktop.core.request import VideoSettings

pytestmark = pytest.mark.gui

LONG_ERROR = ("Novita could not make this video: content moderation failed. " * 4).strip()


def seed_jobs(database: Path, folder: Path) -> dict[str, Job]:
    """A few jobs of every kind, as a store left by an earlier run (another server: left alone)."""
    from vidu_desktop.core.store import JobStore

    video = folder / "harbour_video.mp4"
    video.write_bytes(b"not really a video")
    store = JobStore(database)
    made = {}
    specs = {
        "done": {"state": JobState.DONE, "image_source": "/photos/harbour.jpg", "task_id": "task-harbour-1",
                     "video_path": str(video), "settings": VideoSettings(prompt="Boats rock gently in the harbour "
                                                                          "at dawn, gulls circle above")},
        "failed": {"state": JobState.FAILED, "image_source": "/photos/kite.png", "error": LONG_ERROR,
                       "error_kind": "TaskFailed", "settings": VideoSettings(prompt="A red kite climbs", duration=8)},
        "processing": {"state": JobState.PROCESSING, "image_source": "/photos/street.webp", "task_id": "task-street-9",
                           "progress": 40.0, "eta_s": 90.0, "settings": VideoSettings(prompt="Night traffic",
                                                                            resolution="1080p", audio=False)},
        "waiting": {"state": JobState.WAITING, "image_source": "/photos/forest.jpg",
                        "settings": VideoSettings(prompt="Mist between the trees")},
        "cancelled": {"state": JobState.CANCELLED, "image_source": "/photos/desert.jpg",
                          "settings": VideoSettings(prompt="Dunes")},
    }
    for index, (name, fields) in enumerate(specs.items()):
        made[name] = store.add(Job(server="elsewhere", thumbnail=png_bytes(80 + 60 * (index % 3), 60), **fields))
    store.close()
    return made


@pytest.fixture
def seeded(window_factory_env, database, tmp_path):
    jobs = seed_jobs(database, tmp_path)
    window = window_factory_env()
    qtbot_wait(window, lambda: window.jobs.model.rowCount() == len(jobs))
    return window, jobs


def qtbot_wait(window, condition, timeout_s: float = 10.0) -> None:
    deadline = time.monotonic() + timeout_s
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        QApplication.processEvents()
        time.sleep(0.01)


def row_texts(window) -> list[str]:
    model = window.jobs.model
    return [model.data(model.index(row, 0)) for row in range(model.rowCount())]


def answer_next_dialog(button_text: str, seen: dict | None = None, check: str = "") -> dict:
    """Click `button_text` in the next modal message box, keeping its text and button labels."""
    seen = {} if seen is None else seen

    def look() -> None:
        box = QApplication.activeModalWidget()
        if isinstance(box, QMessageBox):
            seen["text"] = box.text() + "\n" + box.informativeText()
            seen["buttons"] = [button.text() for button in box.buttons()]
            if check and box.checkBox() is not None:
                box.checkBox().setChecked(True)
            for button in box.buttons():
                if button.text() == button_text:
                    button.click()
                    return
            box.reject()
            return
        QTimer.singleShot(20, look)

    QTimer.singleShot(0, look)
    return seen


def select(window, *job_ids: int) -> None:
    view, model = window.jobs.view, window.jobs.model
    view.selectionModel().clearSelection()
    for job_id in job_ids:
        view.selectionModel().select(model.index(model.row_of(job_id), 0),
                                     QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows)


def test_rows_show_file_prompt_settings_short_state_and_time_at_one_height(qtbot, seeded):
    from vidu_desktop.ui.job_list import ROW_HEIGHT

    window, jobs = seeded
    model = window.jobs.model
    failed_row = model.row_of(jobs["failed"].id)
    assert model.data(model.index(failed_row, 0)) == "kite.png"
    spoken = model.data(model.index(failed_row, 0), Qt.ItemDataRole.AccessibleTextRole)
    assert "A red kite climbs" in spoken and "8 s · 720p" in spoken
    short = model.data(model.index(failed_row, 1))  # short in the row…
    assert short == "Failed: Novita could not make this video: content moderation failed"
    assert LONG_ERROR in model.data(model.index(failed_row, 1), Qt.ItemDataRole.ToolTipRole)  # …whole in the tooltip
    processing = model.data(model.index(model.row_of(jobs["processing"].id), 1))
    assert processing.startswith("Processing 40%") and "left" in processing
    assert model.data(model.index(model.row_of(jobs["done"].id), 2)) == time.strftime(
        "%H:%M", time.localtime(jobs["done"].created_at))
    for job in jobs.values():  # thumbnails are asked for as rows come into sight
        window.jobs.view.scrollTo(model.index(model.row_of(job.id), 0))
        qtbot.waitUntil(lambda job=job: model._thumbs.get(job.id) is not None, timeout=5000)
    heights = {window.jobs.view.visualRect(model.index(row, 0)).height() for row in range(model.rowCount())}
    assert heights == {ROW_HEIGHT}  # thumbnails of three shapes, one row height


def test_search_matches_file_name_prompt_state_and_task_id_and_says_when_nothing_does(qtbot, seeded):
    window, jobs = seeded
    for needle, expected in (("HARBOUR.jpg", "harbour.jpg"), ("mist between", "forest.jpg"),
                             ("task-street", "street.webp"), ("failed", "kite.png"), ("cancelled", "desert.jpg")):
        window.jobs.search.setText(needle)
        qtbot.waitUntil(lambda expected=expected: row_texts(window) == [expected], timeout=5000)
    window.jobs.search.setText("zebra")
    qtbot.waitUntil(lambda: window.jobs.model.rowCount() == 0 and not window.jobs.model.loading, timeout=5000)
    assert window.jobs.view.empty_text() == "No job matches “zebra”"
    window.jobs.view.setFocus()
    window.jobs.search.setFocus()
    qtbot.keyClick(window.jobs.search, Qt.Key.Key_Escape)  # Esc clears the search
    assert window.jobs.search.text() == ""
    qtbot.waitUntil(lambda: window.jobs.model.rowCount() == len(jobs), timeout=5000)
    assert window.jobs.view.empty_text() == ""


def test_filters_are_exact(qtbot, seeded):
    window, jobs = seeded
    expected = {"Waiting": ["forest.jpg"], "Running": ["street.webp"], "Done": ["harbour.jpg"],
                "Failed or uncertain": ["kite.png"], "Cancelled": ["desert.jpg"]}
    for label, names in expected.items():
        window.jobs.state_filter.setCurrentText(label)
        qtbot.waitUntil(lambda names=names: row_texts(window) == names, timeout=5000)
    window.jobs.state_filter.setCurrentText("Running")
    qtbot.waitUntil(lambda: row_texts(window) == ["street.webp"], timeout=5000)
    # A running job that finishes leaves the "Running" list at once.
    window.jobs.model.update_job(Job(**{**jobs["processing"].__dict__, "state": JobState.DONE,
                                        "updated_at": time.time()}))
    assert window.jobs.model.rowCount() == 0
    assert "No job in this state" in window.jobs.view.empty_text()


def test_an_empty_list_says_what_to_do(qtbot, window):
    qtbot.waitUntil(lambda: not window.jobs.model.loading, timeout=5000)
    assert window.jobs.view.empty_text() == "No jobs yet: drop an image here, or open one with Ctrl+O"


def test_keys_delete_with_a_verb_select_all_and_the_details_pane(qtbot, seeded, monkeypatch):
    window, jobs = seeded
    view = window.jobs.view
    view.setFocus()
    qtbot.keyClick(view, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    assert len(view.selected_job_ids()) == len(jobs)
    assert not window.jobs.details.play_button.isVisible()  # several selected: no single job's details
    select(window, jobs["failed"].id)
    details = window.jobs.details
    assert details.isVisible() and details.error.toPlainText() == LONG_ERROR
    details.copy_error.click()
    assert QGuiApplication.clipboard().text() == LONG_ERROR
    assert details.fields["settings"].text().startswith("8 s, 720p")
    assert details.fields["source"].text() == "/photos/kite.png"
    assert details.retry_button.isEnabled() and not details.play_button.isEnabled()
    select(window, jobs["done"].id)
    assert details.fields["task"].text() == "task-harbour-1" and details.play_button.isEnabled()
    assert details.continue_button.isEnabled() and not details.error_box.isVisible()
    seen = answer_next_dialog("Keep")
    qtbot.keyClick(view, Qt.Key.Key_Delete)
    assert seen["buttons"] == ["Delete the job", "Keep"]
    assert window.jobs.model.job(jobs["done"].id) is not None
    select(window, jobs["cancelled"].id, jobs["failed"].id)
    seen = answer_next_dialog("Delete 2 jobs")
    qtbot.keyClick(view, Qt.Key.Key_Delete)
    assert "Delete 2 jobs" in seen["buttons"]
    qtbot.waitUntil(lambda: window.jobs.model.rowCount() == len(jobs) - 2, timeout=5000)


def test_the_countdown_moves_every_second_without_a_poll(qtbot):
    from vidu_desktop.ui.job_list import JobTableModel

    model = JobTableModel(lambda *_: None, lambda _id: None)
    now = time.time()
    model.update_job(Job(id=1, state=JobState.PROCESSING, created_at=now, updated_at=now, eta_s=30.0,
                         progress=10.0, image_source="a.png"))
    first = model.data(model.index(0, 1))
    assert first.startswith("Processing 10% · 0:") and first.endswith("left")
    changed = []
    model.dataChanged.connect(lambda *_: changed.append(model.data(model.index(0, 1))))
    qtbot.waitUntil(lambda: any(text != first for text in changed), timeout=2500)


def test_a_queued_job_without_a_percent_shows_a_bar_that_moves_not_a_full_one(qtbot):
    """The state column's busy bar: a piece that moves along the bar every second; never the whole
    bar filled, which reads as "done"."""
    from PySide6.QtGui import QColor

    from vidu_desktop.ui.job_list import COL_STATE, JobListView, JobTableModel

    model = JobTableModel(lambda *_: None, lambda _id: None)
    view = JobListView(model)
    qtbot.addWidget(view)
    view.resize(700, 200)
    now = time.time()
    # A server's percent for a job still in its queue (here an absurd one) does not fill the bar.
    model.update_job(Job(id=1, state=JobState.QUEUED, created_at=now, updated_at=now, image_source="a.png",
                         progress=100.0, eta_s=172_799.0))
    view.show()
    qtbot.waitExposed(view)
    cell = view.visualRect(model.index(0, COL_STATE))
    highlight = view.palette().highlight().color()

    def bar_fill() -> tuple[int, int]:
        """How many pixels across the bar's row are the highlight colour, and where they start."""
        image = view.viewport().grab(cell).toImage()
        best = (0, -1)
        for y in range(image.height()):
            lit = [x for x in range(image.width()) if QColor(image.pixel(x, y)) == highlight]
            if len(lit) > best[0]:
                best = (len(lit), lit[0])
        return best

    filled, start = bar_fill()
    assert 0 < filled < cell.width() / 2, (filled, cell.width())
    qtbot.waitUntil(lambda: bar_fill()[1] != start, timeout=3000)


def test_drag_a_finished_video_out_as_a_file(seeded):
    window, jobs = seeded
    model = window.jobs.model
    index = model.index(model.row_of(jobs["done"].id), 0)
    assert model.flags(index) & Qt.ItemFlag.ItemIsDragEnabled
    mime = model.mimeData([index])
    assert [url.toLocalFile() for url in mime.urls()] == [jobs["done"].video_path]


def test_a_finished_job_never_takes_over_the_player(qtbot, window, simulator, tmp_path):
    from PySide6.QtMultimedia import QMediaPlayer

    add_one_image(qtbot, window, tmp_path)
    window.generate()
    qtbot.waitUntil(lambda: bool(jobs_shown(window)) and jobs_shown(window)[0].state is JobState.DONE,
                    timeout=60_000)
    first = jobs_shown(window)[0]
    qtbot.waitUntil(lambda: window.player.media_player() is not None and window.player.media_player()
                    .playbackState() == QMediaPlayer.PlaybackState.PlayingState, timeout=15_000)
    assert window.jobs.model.data(window.jobs.model.index(0, 0)).startswith("▶ ")  # the playing job is marked
    assert window.images.images  # the images stay after Generate
    window.form.prompt.setPlainText("another try")
    window.generate()
    qtbot.waitUntil(lambda: len(jobs_shown(window)) == 2 and jobs_shown(window)[0].state is JobState.DONE,
                    timeout=60_000)
    second = jobs_shown(window)[0]
    qtbot.waitUntil(lambda: second.id in window.jobs.model.ready_ids, timeout=5000)
    assert window.player.current_path() == Path(first.video_path)  # still the first video
    assert window.jobs.ready_notice.isVisible()
    assert window.jobs.ready_text.text() == f"The video from {Path(second.image_source).name} is ready."
    assert window.jobs.model.data(window.jobs.model.index(0, 1)).endswith("ready: Play")
    window.jobs.ready_play.click()
    assert window.player.current_path() == Path(second.video_path)
    assert window.jobs.model.playing_id == second.id and not window.jobs.ready_notice.isVisible()


def test_generate_keeps_the_images_and_offers_to_leave_out_invalid_ones(qtbot, window, simulator, tmp_path):
    good = tmp_path / "good.png"
    good.write_bytes(png_bytes(320, 240))
    bad = tmp_path / "notes.png"
    bad.write_bytes(b"just some text")
    window.images.add_sources([str(good), str(bad)])
    window.form.duration.setValue(1)
    qtbot.waitUntil(window.generate_button.isEnabled, timeout=10_000)
    assert "1 of 2 images cannot be used" in window.problem_label.text()
    seen = answer_next_dialog("Cancel")
    window.generate()
    assert seen["buttons"] == ["Generate 1 valid", "Cancel"] and "notes.png" in seen["text"]
    assert simulator.stats.submissions == 0
    answer_next_dialog("Generate 1 valid")
    window.generate()
    qtbot.waitUntil(lambda: simulator.stats.submissions == 1, timeout=10_000)
    assert len(window.images.images) == 2  # kept for another try


def test_rerun_sends_the_same_image_and_settings_linked_to_its_parent(qtbot, window, simulator, tmp_path):
    add_one_image(qtbot, window, tmp_path)
    window.form.prompt.setPlainText("the parent")
    window.generate()
    qtbot.waitUntil(lambda: bool(jobs_shown(window)) and jobs_shown(window)[0].state is JobState.DONE,
                    timeout=60_000)
    parent = jobs_shown(window)[0]
    select(window, parent.id)
    window.jobs.details.rerun_button.click()
    qtbot.waitUntil(lambda: len(jobs_shown(window)) == 2, timeout=10_000)
    child = jobs_shown(window)[0]
    assert child.settings.prompt == "the parent" and child.image_source == parent.image_source
    assert (child.parent_id, child.relation) == (parent.id, "rerun")
    assert child.settings.seed != parent.settings.seed  # a new take, not the same video again
    select(window, child.id)  # the details pane links the two both ways
    qtbot.waitUntil(lambda: f"job:{parent.id}" in window.jobs.details.fields["parent"].text(), timeout=5000)
    assert "re-run of" in window.jobs.details.fields["parent"].text()
    select(window, parent.id)
    qtbot.waitUntil(lambda: f"job:{child.id}" in window.jobs.details.fields["children"].text(), timeout=5000)
    window.jobs.details.fields["children"].linkActivated.emit(f"job:{child.id}")  # following the link selects it
    assert window.jobs.view.currentIndex().row() == window.jobs.model.row_of(child.id)


def test_quitting_with_jobs_running_says_so_once(qtbot, seeded):
    from vidu_desktop import settings

    window, _jobs = seeded
    settings.save_ask_before_quit_with_running(True)
    seen = answer_next_dialog("Keep open")
    window.request_quit()
    assert seen["buttons"] == ["Quit", "Keep open"] and "continue at Novita" in seen["text"]
    assert window.isVisible()
    answer_next_dialog("Quit", check="Don't ask again")
    window.request_quit()
    assert not window.isVisible() and settings.ask_before_quit_with_running() is False


def test_show_in_folder_without_a_file_manager_shows_the_path_to_copy(qtbot, seeded, monkeypatch):
    from vidu_desktop.ui.dialogs import PathDialog

    window, jobs = seeded
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda _url: False)  # no file manager answers
    select(window, jobs["done"].id)
    window.jobs.details.folder_button.click()
    [dialog] = [d for d in window.findChildren(PathDialog) if d.isVisible()]
    assert dialog.path_field.text() == str(Path(jobs["done"].video_path).parent)
    dialog.copy_button.click()
    assert QGuiApplication.clipboard().text() == str(Path(jobs["done"].video_path).parent)
    dialog.reject()


def test_controls_have_names_and_generate_is_the_accented_default(window):
    from PySide6.QtWidgets import QAbstractButton

    assert window.jobs.search.accessibleName() == "Search jobs"
    assert window.jobs.state_filter.accessibleName() == "Show jobs"
    assert window.generate_button.isDefault() and window.generate_button.objectName() == "generate"
    assert "QPushButton#generate" in QApplication.instance().styleSheet()
    jobs = window.jobs
    mine = [jobs.details, jobs.search, jobs.state_filter, jobs.view, jobs.pause_button, jobs.cancel_button,
            jobs.up_button, jobs.down_button, jobs.ready_play, window.demo_link,
            *jobs.details.findChildren(QAbstractButton)]
    for widget in mine:
        assert widget.accessibleName() and (widget.toolTip() or widget is window.jobs.details), widget
    assert QAccessible.queryAccessibleInterface(window.jobs.search).text(QAccessible.Text.Name) == "Search jobs"
    # A combo box is announced by its value ("All"): its label names it, through a relation.
    labels = [face.text(QAccessible.Text.Name) for face, _relation in
              QAccessible.queryAccessibleInterface(window.jobs.state_filter).relations(QAccessible.Relation.Label)]
    assert "Show jobs" in labels
    margins = window.centralWidget().layout().contentsMargins()
    assert min(margins.left(), margins.right(), margins.top()) >= 8  # the job table keeps off the edge


def test_screenshots_light_and_dark_at_two_sizes(qtbot, seeded, artifacts_dir):
    from vidu_desktop.ui.theme import set_scheme

    window, jobs = seeded
    select(window, jobs["failed"].id)
    window.images.add_sources(["https://example.com/harbour.png"])  # Generate ready: the accent shows
    window.form.prompt.setPlainText("Boats rock gently in the harbour at dawn")
    app = QApplication.instance()
    for dark in (False, True):
        set_scheme(app, dark)
        for width, height in ((1280, 800), (1920, 1080)):
            window.resize(width, height)
            qtbot.wait(150)
            picture = window.grab()
            assert picture.width() == width
            name = f"job-list-{'dark' if dark else 'light'}-{width}x{height}.png"
            assert picture.save(str(artifacts_dir / name))
    set_scheme(app, False)


def test_queue_controls_pause_cancel_and_move(qtbot, window, simulator, tmp_path):
    generate_paused(qtbot, window, tmp_path, 3)
    assert window.jobs.pause_button.text() == "Resume queue" and "paused" in window.jobs.queue_label.text()
    assert window.pause_action.isChecked()
    assert simulator.stats.submissions == 0  # paused: nothing is sent
    window.jobs.state_filter.setCurrentText("Waiting")
    qtbot.waitUntil(lambda: window.jobs.model.rowCount() == 3, timeout=5000)
    newest = jobs_shown(window)[0]
    select(window, newest.id)
    assert window.jobs.cancel_button.isEnabled() and window.jobs.up_button.isEnabled()
    before = newest.queue_position
    window.jobs.up_button.click()
    qtbot.waitUntil(lambda: window.jobs.model.job(newest.id).queue_position != before, timeout=5000)
    window.jobs.cancel_button.click()
    qtbot.waitUntil(lambda: window.jobs.model.job(newest.id).state is JobState.CANCELLED, timeout=5000)
    qtbot.waitUntil(lambda: window.jobs.model.rowCount() == 2, timeout=5000)  # left the "Waiting" list
    # Dragging a waiting row onto another moves it before that one in the queue.
    first, second = sorted((job for job in jobs_shown(window) if job.state is JobState.WAITING),
                           key=lambda job: job.queue_position)
    model = window.jobs.model
    mime = model.mimeData([model.index(model.row_of(second.id), 0)])
    target = model.index(model.row_of(first.id), 0)
    assert model.canDropMimeData(mime, Qt.DropAction.MoveAction, -1, -1, target)
    model.dropMimeData(mime, Qt.DropAction.MoveAction, -1, -1, target)
    qtbot.waitUntil(lambda: model.job(second.id).queue_position < model.job(first.id).queue_position,
                    timeout=5000)
    window.jobs.pause_button.click()
    qtbot.waitUntil(lambda: not window.session.queue_paused, timeout=5000)
    assert window.jobs.pause_button.text() == "Pause queue"
    qtbot.waitUntil(lambda: simulator.stats.submissions == 2, timeout=20_000)


def test_continue_from_last_frame_adds_the_frame_with_the_jobs_settings(qtbot, window, simulator, tmp_path):
    from vidu_desktop import paths

    add_one_image(qtbot, window, tmp_path)
    window.form.prompt.setPlainText("the first part")
    window.generate()
    qtbot.waitUntil(lambda: bool(jobs_shown(window)) and jobs_shown(window)[0].state is JobState.DONE,
                    timeout=60_000)
    parent = jobs_shown(window)[0]
    window.images.clear()
    window.form.prompt.setPlainText("")
    select(window, parent.id)
    window.jobs.details.continue_button.click()
    qtbot.waitUntil(lambda: bool(window.images.images) and not window.images.images[0].pending, timeout=20_000)
    [frame] = window.images.images
    assert Path(frame.source).parent == paths.frames_dir() and frame.source.endswith(".png")
    # The frame carries the job's prompt and settings as its own; the form is left as the user had it.
    window.form.duration.setValue(5)
    window.form.resolution.setCurrentText("1080p")
    assert window.form.prompt.toPlainText() == ""
    [order] = window.orders()
    assert (order.parent_id, order.relation) == (parent.id, "continue")
    assert order.settings.prompt == "the first part"
    assert (order.settings.duration, order.settings.resolution) == (parent.settings.duration,
                                                                   parent.settings.resolution)
    window.images.list.setCurrentRow(0)  # its own editor shows the job's prompt
    assert window.images.editor.isVisible()
    window.generate()
    qtbot.waitUntil(lambda: len(jobs_shown(window)) == 2, timeout=10_000)
    child = jobs_shown(window)[0]
    assert child.settings.prompt == "the first part" and child.settings.duration == parent.settings.duration
    with qtbot.waitSignal(window.session.familyReady, timeout=5000,
                          check_params_cb=lambda job_id, *_: job_id == child.id) as family:
        window.session.request_family(child.id)
    assert family.args[1].id == parent.id  # the new job continues the old one


def test_tab_goes_from_generate_through_the_job_list_in_order(window):
    def next_focusable(widget):
        widget = widget.nextInFocusChain()
        while not (widget.focusPolicy() & Qt.FocusPolicy.TabFocus and widget.isVisibleTo(window)
                   and widget.isEnabled()):
            widget = widget.nextInFocusChain()
        return widget

    order, widget = [], window.generate_button
    for _ in range(3):
        widget = next_focusable(widget)
        order.append(widget)
    assert order == [window.jobs.state_filter, window.jobs.search, window.jobs.view]


def test_the_file_menu_opens_images_folders_batches_and_videos(window):
    [file_menu] = [action.menu() for action in window.menuBar().actions() if action.text() == "&File"]
    words = [action.text().replace("&", "") for action in file_menu.actions() if action.text()]
    for expected in ("Open images…", "Open folder…", "Open batch file (CSV)…", "Save batch as CSV…",
                     "Import videos…"):
        assert expected in words
    [jobs_menu] = [action.menu() for action in window.menuBar().actions() if action.text() == "&Jobs"]
    shortcuts = {action.text().replace("&", ""): action.shortcut().toString() for action in jobs_menu.actions()}
    assert shortcuts["Pause queue"] == "Ctrl+P"
    assert shortcuts["Move up in the queue"] == "Ctrl+Up" and shortcuts["Move down in the queue"] == "Ctrl+Down"


def test_waiting_jobs_show_no_time_and_running_ones_their_elapsed_time(seeded):
    window, jobs = seeded
    model = window.jobs.model

    def time_shown(name: str) -> str:
        return model.data(model.index(model.row_of(jobs[name].id), 2))

    assert time_shown("waiting") == ""  # not started: no "0:00"
    assert ":" in time_shown("processing") and ":" in time_shown("done")


def test_the_status_bar_says_the_connection_briefly_and_the_rest_in_its_tooltip(window, simulator):
    label = window.connection_label
    assert simulator.base_url not in label.text() and "NOVITA_API_KEY" not in label.text()
    assert "Novita" in label.text()
    assert simulator.base_url in label.toolTip() and "NOVITA_API_KEY" in label.toolTip()
    assert label.sizeHint().width() < 300  # fits beside the balance at 1280 pixels




def test_screenshot_in_chinese_at_1280(qtbot, chinese, seeded, artifacts_dir):
    """Nothing cut off in Chinese: the buttons under the jobs and Generate show their whole words."""
    window, jobs = seeded
    select(window, jobs["processing"].id)
    window.images.add_sources(["https://example.com/harbour.png"])
    window.resize(1280, 800)
    qtbot.waitUntil(window.generate_button.isEnabled, timeout=10_000)
    qtbot.wait(150)
    assert window.generate_button.text().startswith("生成")
    for button in (window.generate_button, window.jobs.pause_button, window.jobs.up_button, window.jobs.down_button,
                   window.jobs.cancel_button):
        assert button.width() >= button.fontMetrics().horizontalAdvance(button.text()), button.text()
    assert window.grab().save(str(artifacts_dir / "job-list-zh_CN-1280x800.png"))


def test_an_imported_video_gets_its_first_frame_as_thumbnail(qtbot, window, tmp_path):
    """A video imported from a file has no image it was made from: its row shows its first frame
    (the red of the picture the video was made of)."""
    from vidu_desktop.core.mp4meta import VideoMetadata, write_metadata
    from vidu_desktop.simulator.video import render_video
    from vidu_desktop.ui.job_list import COL_JOB

    video = tmp_path / "imported.mp4"
    render_video(png_bytes(320, 240, (220, 30, 30)), video, duration_s=1, height=240, audio=False, fast=True)
    write_metadata(video, VideoMetadata(prompt="red", settings=VideoSettings(duration=1), seed=3,
                                        task_id="task-import-thumb", source_name="red.png"))
    with qtbot.waitSignal(window.session.importFinished, timeout=20_000):
        window.session.import_videos([video])
    model = window.jobs.model
    qtbot.waitUntil(lambda: model.rowCount() == 1, timeout=5000)

    def thumbnail():
        return model.data(model.index(0, COL_JOB), Qt.ItemDataRole.DecorationRole)

    qtbot.waitUntil(lambda: thumbnail() is not None, timeout=20_000)
    image = thumbnail().toImage()
    middle = image.pixelColor(image.width() // 2, image.height() // 2)
    assert middle.red() > 150 and middle.green() < 100 and middle.blue() < 100, middle.name()
