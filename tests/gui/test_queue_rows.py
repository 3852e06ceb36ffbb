"""What the job list says about the queue: each waiting row's place (updated after a move), a
429's countdown on a waiting row, and the queue limit from Settings applied at once."""

from __future__ import annotations

import time

from tests.gui.conftest import jobs_shown
from tests.gui.test_job_list_window import select
from tests.images import png_bytes
from vidu_desktop.core.job import Job
from vidu_desktop.core.lifecycle import JobState
from vidu_desktop.ui.job_list import COL_STATE, state_text


def state_words(window, job_id: int) -> str:
    model = window.jobs_model
    return model.data(model.index(model.row_of(job_id), COL_STATE))


def generate_paused(qtbot, window, tmp_path, count: int) -> list[Job]:
    window.pause_button.click()
    qtbot.waitUntil(lambda: window.session.queue_paused, timeout=5000)
    for index in range(count):
        path = tmp_path / f"queued-{index}.png"
        path.write_bytes(png_bytes(320 + index, 240))
        window.images.add_sources([str(path)])
    window.form.duration.setValue(1)
    qtbot.waitUntil(window.generate_button.isEnabled, timeout=10_000)
    window.generate()
    qtbot.waitUntil(lambda: len(jobs_shown(window)) == count and
                    all(job.state is JobState.WAITING for job in jobs_shown(window)), timeout=10_000)
    return sorted(jobs_shown(window), key=lambda job: job.queue_position)


def test_waiting_rows_show_their_place_in_the_queue_and_it_follows_a_move(qtbot, window, tmp_path):
    first, second, third = generate_paused(qtbot, window, tmp_path, 3)
    assert [state_words(window, job.id) for job in (first, second, third)] == [
        "Waiting · #1", "Waiting · #2", "Waiting · #3"]
    select(window, third.id)
    window.up_button.click()
    qtbot.waitUntil(lambda: state_words(window, third.id) == "Waiting · #2", timeout=5000)
    assert state_words(window, second.id) == "Waiting · #3" and state_words(window, first.id) == "Waiting · #1"
    select(window, first.id)
    window.cancel_button.click()
    qtbot.waitUntil(lambda: state_words(window, third.id) == "Waiting · #1", timeout=5000)
    assert state_words(window, second.id) == "Waiting · #2"


def test_a_waiting_job_refused_with_429_shows_the_countdown():
    job = Job(id=1, state=JobState.WAITING, error_kind="RateLimited", eta_s=90, updated_at=time.time())
    words = state_text(job, place=1)
    assert words.startswith("Waiting · #1") and "Novita asked to wait: again in 1:2" in words


def test_lowering_the_queue_limit_in_settings_applies_at_once(qtbot, window, tmp_path, monkeypatch, simulator):
    from vidu_desktop import settings
    from vidu_desktop.ui import main_window

    settings.save_max_open_jobs(4)
    window.session.queue_limit_changed()
    generate_paused(qtbot, window, tmp_path, 4)

    def settings_dialog_lowering_the_limit(_self) -> int:
        settings.save_max_open_jobs(1)  # what OK does with "Jobs at Novita at once" at 1
        return 1

    monkeypatch.setattr(main_window.SettingsDialog, "exec", settings_dialog_lowering_the_limit)
    window.open_settings()
    states: dict[int, JobState] = {}
    most_open = [0]

    def changed(job: Job) -> None:
        states[job.id] = job.state
        most_open[0] = max(most_open[0], sum(1 for state in states.values() if state.open_at_novita))

    window.session.jobChanged.connect(changed)
    window.pause_button.click()  # resume: the new limit holds from the first send
    qtbot.waitUntil(lambda: sum(1 for state in states.values() if state is JobState.DONE) >= 2, timeout=60_000)
    assert most_open[0] == 1
