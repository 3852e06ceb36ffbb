"""Jobs as a user meets them: several at once, failures in plain words, the history's tools."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QGuiApplication, QImage
from PySide6.QtWidgets import QApplication

from tests.gui.conftest import jobs_shown
from tests.images import png_bytes
from vidu_desktop.core.lifecycle import JobState

pytestmark = pytest.mark.gui


def add_images(qtbot, window, tmp_path: Path, count: int) -> list[str]:
    sources = []
    for index in range(count):
        path = tmp_path / f"image-{index}.png"
        path.write_bytes(png_bytes(320 + index, 240))
        sources.append(str(path))
    window.images.add_sources(sources)
    qtbot.waitUntil(lambda: all(not i.pending for i in window.images.images), timeout=10_000)
    return sources


def select_row(window, row: int) -> None:
    flags = window.jobs.view.selectionModel().SelectionFlag
    window.jobs.view.selectionModel().select(window.jobs.model.index(row, 0), flags.Rows | flags.Select)


def wait_finished(qtbot, window, count: int, timeout: int = 60_000) -> list:
    def finished():
        jobs = jobs_shown(window)
        return len(jobs) == count and all(j.state.finished or j.state is JobState.UNCERTAIN for j in jobs)

    qtbot.waitUntil(finished, timeout=timeout)
    return jobs_shown(window)


def test_several_images_make_one_job_each_with_the_same_settings(qtbot, window, simulator, tmp_path):
    add_images(qtbot, window, tmp_path, 3)
    assert window.generate_button.text() == "Generate 3 videos · ≈ $0.59"
    window.form.duration.setValue(1)
    window.generate()
    assert len(window.images.images) == 3  # kept: another try with other settings starts from them
    jobs = wait_finished(qtbot, window, 3)
    assert [j.state for j in jobs] == [JobState.DONE] * 3
    assert {j.settings.duration for j in jobs} == {1}
    assert simulator.stats.submissions == 3
    assert window.jobs.model.rowCount() == 3


def test_a_failed_task_shows_the_reason_in_plain_words(qtbot, window, simulator, tmp_path):
    simulator.faults.add("fail_task", route="submit", count=1, reason="content moderation failed")
    add_images(qtbot, window, tmp_path, 1)
    window.generate()
    [job] = wait_finished(qtbot, window, 1)
    assert job.state is JobState.FAILED
    qtbot.waitUntil(lambda: window.jobs.model.data(window.jobs.model.index(0, 1)) ==
                    "Failed: Novita could not make this video: content moderation failed", timeout=5000)
    assert "Novita could not make this video: content moderation failed." in window.jobs.model.data(
        window.jobs.model.index(0, 1), Qt.ItemDataRole.ToolTipRole)


def test_low_balance_says_what_to_do(qtbot, window, simulator, tmp_path):
    simulator.faults.add("balance", route="submit", count=1)
    add_images(qtbot, window, tmp_path, 1)
    window.generate()
    [job] = wait_finished(qtbot, window, 1)
    assert job.error.startswith("Your Novita balance is too low for this job, so it was not started and "
                                "nothing was charged — top up at novita.ai")
    select_row(window, 0)
    window.jobs.retry_selected()  # topped up: Retry sends it again and it finishes
    qtbot.waitUntil(lambda: jobs_shown(window)[0].state is not JobState.FAILED, timeout=5000)
    [job] = wait_finished(qtbot, window, 1)
    assert job.state is JobState.DONE and simulator.stats.submissions == 2


def test_a_submit_whose_answer_is_lost_is_uncertain_and_not_resent(qtbot, window, simulator, tmp_path):
    simulator.faults.add("reset", route="submit", count=1)
    add_images(qtbot, window, tmp_path, 1)
    window.generate()
    [job] = wait_finished(qtbot, window, 1)
    assert job.state is JobState.UNCERTAIN and "may or may not have started" in job.error
    assert simulator.stats.submissions == 1
    qtbot.waitUntil(lambda: "Sent? Unknown" in window.jobs.model.data(window.jobs.model.index(0, 1)),
                    timeout=5000)


def test_a_dead_network_is_explained(qtbot, open_window, monkeypatch, tmp_path):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # nothing listens here once closed
    monkeypatch.setenv("NOVITA_API_KEY", "sk-dead-network")
    monkeypatch.setenv("NOVITA_API_BASE_URL", f"http://127.0.0.1:{port}")
    window = open_window()
    add_images(qtbot, window, tmp_path, 1)
    window.generate()
    [job] = wait_finished(qtbot, window, 1)
    assert job.state is JobState.FAILED and job.submissions == 1
    assert job.error == "Could not reach Novita. Check your internet connection, then press Retry."


def test_pasted_image_data_becomes_an_input(qtbot, window):
    picture = QImage(400, 300, QImage.Format.Format_RGB32)
    picture.fill(0x3366CC)
    QGuiApplication.clipboard().setImage(picture)
    window.paste()
    qtbot.waitUntil(lambda: bool(window.images.images) and not window.images.images[0].pending,
                    timeout=10_000)
    [image] = window.images.images
    assert image.summary.startswith("400×300 · 4:3") and Path(image.source).name.startswith("pasted-")


def test_history_filters_searches_reruns_and_deletes(qtbot, window, simulator, tmp_path, monkeypatch):
    add_images(qtbot, window, tmp_path, 1)
    window.form.prompt.setPlainText("a red kite over the hills")
    window.form.duration.setValue(1)
    window.generate()
    wait_finished(qtbot, window, 1)
    simulator.faults.add("fail_task", route="submit", count=1)
    add_images(qtbot, window, tmp_path, 1)
    window.form.prompt.setPlainText("a blue boat")
    window.generate()
    jobs = wait_finished(qtbot, window, 2)
    done = next(j for j in jobs if j.state is JobState.DONE)

    window.jobs.search.setText("KITE")
    qtbot.waitUntil(lambda: window.jobs.model.rowCount() == 1, timeout=5000)
    assert window.jobs.model.job_at(0).settings.prompt == "a red kite over the hills"
    window.jobs.search.clear()
    window.jobs.state_filter.setCurrentText("Failed or uncertain")
    qtbot.waitUntil(lambda: window.jobs.model.rowCount() == 1 and
                    window.jobs.model.job_at(0).settings.prompt == "a blue boat", timeout=5000)
    window.jobs.state_filter.setCurrentText("All")
    qtbot.waitUntil(lambda: window.jobs.model.rowCount() == 2, timeout=5000)

    window.images.clear()
    window.form.prompt.setPlainText("")
    window.rerun(done)
    assert window.form.prompt.toPlainText() == "a red kite over the hills"
    assert window.form.duration.value() == 1
    qtbot.waitUntil(lambda: bool(window.images.images) and not window.images.images[0].pending,
                    timeout=10_000)
    assert window.generate_button.isEnabled()

    window.play_job(done.id)
    video = Path(done.video_path)
    row = window.jobs.model.row_of(done.id)
    window.jobs.view.selectionModel().clearSelection()
    select_row(window, row)
    QTimer.singleShot(0, lambda: next(b for b in QApplication.activeModalWidget().buttons()
                                      if b.text() == "Delete the job").click())
    window.jobs.delete_selected()
    qtbot.waitUntil(lambda: window.jobs.model.job(done.id) is None, timeout=5000)
    assert not video.exists()
    assert window.jobs.model.rowCount() == 1 and window.player.current_path() is None


def test_an_expired_link_is_refreshed_before_downloading(qtbot, window, simulator, tmp_path):
    # The link handed out with SUCCEED is already dead (TTL 0); the next one is good.
    simulator.faults.add("expire_links", route="result", count=1, ttl=0)
    add_images(qtbot, window, tmp_path, 1)
    window.form.duration.setValue(1)
    window.generate()
    [job] = wait_finished(qtbot, window, 1)
    assert simulator.faults.pending() == []  # the dead link was handed out
    assert job.state is JobState.DONE, job.error
    assert Path(job.video_path).is_file()
    assert simulator.stats.submissions == 1


def test_an_unwritable_library_is_explained_and_the_link_kept(qtbot, window, simulator, tmp_path):
    from vidu_desktop import settings

    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the library folder should be")
    settings.set_value("library/folder", str(blocker / "Videos"))
    add_images(qtbot, window, tmp_path, 1)
    window.form.duration.setValue(1)
    window.generate()
    [job] = wait_finished(qtbot, window, 1)
    assert job.state is JobState.FAILED and job.video_url and job.task_id
    assert "could not be saved" in job.error and "press Retry" in job.error
    settings.set_value("library/folder", str(tmp_path / "Library"))
    select_row(window, 0)
    window.jobs.retry_selected()  # no new submission: the same task's video is fetched
    qtbot.waitUntil(lambda: jobs_shown(window)[0].state is not JobState.FAILED, timeout=5000)
    [job] = wait_finished(qtbot, window, 1)
    assert job.state is JobState.DONE and Path(job.video_path).parent == (tmp_path / "Library").resolve()
    assert simulator.stats.submissions == 1


def test_a_long_history_arrives_page_by_page_and_search_reaches_all_of_it(qtbot, window_factory_env, database):
    from vidu_desktop.core.job import Job
    from vidu_desktop.core.request import VideoSettings
    from vidu_desktop.core.store import JobStore
    from vidu_desktop.ui.job_list import PAGE_SIZE

    store = JobStore(database)
    for index in range(PAGE_SIZE * 3):
        store.add(Job(state=JobState.SUBMITTING, settings=VideoSettings(prompt=f"harbour at dawn {index}"),
                      image_source=f"/photos/harbour-{index}.jpg", server="elsewhere"))
    store.close()
    window = window_factory_env()
    qtbot.waitUntil(lambda: window.jobs.model.rowCount() == PAGE_SIZE, timeout=5000)
    assert window.jobs.model.job_at(0).settings.prompt == f"harbour at dawn {PAGE_SIZE * 3 - 1}"  # newest first
    window.jobs.view.scrollToBottom()  # the view asks for more as the end comes into sight
    qtbot.waitUntil(lambda: window.jobs.model.rowCount() > PAGE_SIZE, timeout=5000)
    window.jobs.search.setText("harbour-7.jpg")  # the oldest pages were never loaded: the search still finds it
    qtbot.waitUntil(lambda: window.jobs.model.rowCount() == 1, timeout=5000)
    assert window.jobs.model.job_at(0).settings.prompt == "harbour at dawn 7"
