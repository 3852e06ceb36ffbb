"""What the job list says about the queue: each waiting row's place (updated after a move), a
429's countdown on a waiting row, and the queue limit from Settings applied at once."""

from __future__ import annotations

import time

from tests.gui.conftest import generate_paused
from tests.gui.test_job_list_window import select
from vidu_desktop.core.job import Job
from vidu_desktop.core.lifecycle import JobState
from vidu_desktop.ui.job_list import COL_STATE, state_text


def state_words(window, job_id: int) -> str:
    model = window.jobs.model
    return model.data(model.index(model.row_of(job_id), COL_STATE))



def test_waiting_rows_show_their_place_in_the_queue_and_it_follows_a_move(qtbot, window, tmp_path):
    first, second, third = generate_paused(qtbot, window, tmp_path, 3)
    assert [state_words(window, job.id) for job in (first, second, third)] == [
        "Waiting · #1", "Waiting · #2", "Waiting · #3"]
    select(window, third.id)
    window.jobs.up_button.click()
    qtbot.waitUntil(lambda: state_words(window, third.id) == "Waiting · #2", timeout=5000)
    assert state_words(window, second.id) == "Waiting · #3" and state_words(window, first.id) == "Waiting · #1"
    select(window, first.id)
    window.jobs.cancel_button.click()
    qtbot.waitUntil(lambda: state_words(window, third.id) == "Waiting · #1", timeout=5000)
    assert state_words(window, second.id) == "Waiting · #2"


def test_a_waiting_job_refused_with_429_shows_the_countdown():
    job = Job(id=1, state=JobState.WAITING, error_kind="RateLimited", eta_s=90, updated_at=time.time())
    words = state_text(job, place=1)
    assert words.startswith("Waiting · #1") and "Novita asked to wait: again in 1:2" in words


def test_lowering_the_queue_limit_in_settings_applies_at_once(qtbot, window, tmp_path, monkeypatch, simulator):
    from vidu_desktop import settings
    from vidu_desktop.ui import settings_dialog

    settings.save_max_open_jobs(4)
    window.session.queue_limit_changed()
    generate_paused(qtbot, window, tmp_path, 4)

    def settings_dialog_lowering_the_limit(_self) -> int:
        settings.save_max_open_jobs(1)  # what OK does with "Jobs at Novita at once" at 1
        return 1

    monkeypatch.setattr(settings_dialog.SettingsDialog, "exec", settings_dialog_lowering_the_limit)
    window.open_settings()
    states: dict[int, JobState] = {}
    most_open = [0]

    def changed(job: Job) -> None:
        states[job.id] = job.state
        most_open[0] = max(most_open[0], sum(1 for state in states.values() if state.open_at_novita))

    window.session.jobChanged.connect(changed)
    window.jobs.pause_button.click()  # resume: the new limit holds from the first send
    qtbot.waitUntil(lambda: sum(1 for state in states.values() if state is JobState.DONE) >= 2, timeout=60_000)
    assert most_open[0] == 1


def test_of_many_finished_videos_only_the_newest_unseen_says_ready(qtbot):
    from vidu_desktop.ui.job_list import JobTableModel

    model = JobTableModel(lambda *_: None, lambda _job_id: None)
    jobs = [Job(id=index, state=JobState.DONE, image_source=f"/p/take-{index}.png", video_path=f"/v/{index}.mp4",
                created_at=1000.0 + index, updated_at=1000.0 + index) for index in range(1, 13)]
    for job in jobs:
        model.update_job(job)
        model.mark_ready(job.id)  # a series of twelve finished while another video played
    words = {job.id: model.data(model.index(model.row_of(job.id), COL_STATE)) for job in jobs}
    assert words[12] == "Done · ready: Play"
    assert all(words[job_id] == "Done" for job_id in range(1, 12))  # calm: one offer, not twelve
    model.set_playing(12)
    assert model.data(model.index(model.row_of(11), COL_STATE)) == "Done · ready: Play"  # the next unseen one


def test_chinese_failed_rows_use_the_full_width_colon(qapp):
    from vidu_desktop.ui.i18n import install_translations

    job = Job(id=1, state=JobState.FAILED, error="The image was refused. More words.")
    try:
        assert install_translations(qapp, "zh_CN") == "zh_CN"
        words = state_text(job)
        assert words.startswith("失败：") and ":" not in words
        waiting = state_text(Job(id=2, state=JobState.WAITING), place=3)
        assert waiting.startswith("等待中") and "3" in waiting and "Waiting" not in waiting
    finally:
        install_translations(qapp, "en")
    assert state_text(job) == "Failed: The image was refused"
