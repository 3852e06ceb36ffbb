"""The real window against a server that answers nonsense numbers and a disk that is full."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from tests.gui.conftest import add_one_image, jobs_shown
from vidu_desktop.core.job import Job
from vidu_desktop.core.lifecycle import JobState
from vidu_desktop.core.request import VideoSettings
from vidu_desktop.core.store import JobStore

pytestmark = pytest.mark.gui
ROLES = (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.UserRole + 1)


def every_cell(window) -> list:
    model = window.jobs.model
    return [model.data(model.index(row, column), role) for row in range(model.rowCount())
            for column in range(model.columnCount()) for role in ROLES]


def test_absurd_numbers_from_the_server_are_shown_sanely_and_survive_a_restart(
        qtbot, window, window_factory_env, simulator, tmp_path):
    simulator.faults.add("absurd_numbers", route="result", count=1)
    add_one_image(qtbot, window, tmp_path)
    window.generate()
    qtbot.waitUntil(lambda: simulator.faults.pending() == [] and bool(jobs_shown(window))
                    and jobs_shown(window)[0].eta_s is not None, timeout=30_000)
    [job] = jobs_shown(window)
    assert job.eta_s == 48 * 3600 and job.progress == 100.0  # read into range, not believed beyond it
    every_cell(window)  # painting the row raised OverflowError here once
    assert "48:00:00" in window.jobs.model.data(window.jobs.model.index(0, 1)) or \
        "47:59:5" in window.jobs.model.data(window.jobs.model.index(0, 1))
    window.close()
    window.session.shutdown()
    again = window_factory_env()  # once, every later start crashed
    qtbot.waitUntil(lambda: again.jobs.model.rowCount() == 1, timeout=5000)
    every_cell(again)
    qtbot.waitUntil(lambda: jobs_shown(again)[0].state is JobState.DONE, timeout=30_000)


def test_absurd_numbers_already_stored_do_not_break_the_list(qtbot, window_factory_env, database):
    store = JobStore(database)
    job = store.add(Job(settings=VideoSettings(), image_source="https://example.com/a.png", server="elsewhere"))
    store.mark_sent(job.id or 0)
    store.update(job.id or 0, state=JobState.QUEUED, task_id="t-1")
    store.update(job.id or 0, state=JobState.PROCESSING, eta_s=1e308, progress=1e12)
    store.close()
    window = window_factory_env()
    qtbot.waitUntil(lambda: window.jobs.model.rowCount() == 1, timeout=5000)
    state = window.jobs.model.data(window.jobs.model.index(0, 1))
    assert state.startswith("Processing 100%") and "left" in state
    window.jobs.model._tick()  # the countdown's repaint
    every_cell(window)


def test_generate_on_a_full_disk_says_why_and_sends_nothing(qtbot, open_window, small_disk, simulator,
                                                           monkeypatch, tmp_path):
    monkeypatch.setenv("NOVITA_API_KEY", "sk-gui-test-key")
    monkeypatch.setenv("NOVITA_API_BASE_URL", simulator.base_url)
    window = open_window(database_path=small_disk / "jobs.sqlite3")
    add_one_image(qtbot, window, tmp_path)
    filler = small_disk / "filler"
    with filler.open("wb", buffering=0) as out:  # fill it to the last byte
        for block in (65536, 1):
            try:
                while True:
                    out.write(b"\0" * block)
            except OSError:
                pass
    window.generate()
    qtbot.waitUntil(lambda: "could not be recorded" in window.statusBar().currentMessage(), timeout=10_000)
    assert simulator.stats.submissions == 0 and jobs_shown(window) == []


def rate_limited_row(qtbot, window, simulator, tmp_path: Path, retry_after: int) -> str:
    """Generate one job that the server answers with 429 and Retry-After; the row's state words."""
    simulator.faults.add("rate_limit", route="submit", count=1, retry_after=retry_after)
    add_one_image(qtbot, window, tmp_path)
    window.generate()
    qtbot.waitUntil(lambda: bool(jobs_shown(window)) and jobs_shown(window)[0].error_kind == "RateLimited",
                    timeout=10_000)
    return window.jobs.model.data(window.jobs.model.index(0, 1))


def test_a_429_on_submit_counts_down_and_sends_again_once(qtbot, window, simulator, tmp_path):
    assert "Novita asked to wait: again in 0:0" in rate_limited_row(qtbot, window, simulator, tmp_path, 2)
    qtbot.waitUntil(lambda: jobs_shown(window)[0].state is JobState.DONE, timeout=60_000)
    [job] = jobs_shown(window)
    assert simulator.stats.submissions == 2 and job.submissions == 2 and job.error == ""


def test_an_absurd_retry_after_is_capped_and_shown(qtbot, window, simulator, tmp_path):
    words = rate_limited_row(qtbot, window, simulator, tmp_path, 999_999)
    assert "again in 10:00" in words or "again in 9:5" in words  # ten minutes at most, said out loud


@pytest.mark.parametrize("kind, params", [
    ("garbage", {"style": "truncated"}),
    ("garbage", {"style": "no_task_id"}),
    ("nested_json", {}),
    ("huge_task_id", {"size": 300}),
])
def test_a_garbled_answer_to_a_submit_is_uncertain_and_retry_asks_first(
        qtbot, window, simulator, tmp_path, monkeypatch, kind, params):
    from vidu_desktop.ui import dialogs

    simulator.faults.add(kind, route="submit", count=1, **params)
    add_one_image(qtbot, window, tmp_path)
    window.generate()
    qtbot.waitUntil(lambda: bool(jobs_shown(window)) and jobs_shown(window)[0].state is JobState.UNCERTAIN,
                    timeout=20_000)
    assert "before" in jobs_shown(window)[0].error and "dashboard" in jobs_shown(window)[0].error
    asked: list[str] = []

    def answer(reply: bool):
        def ask(_parent, _title, text, go, keep, **_k):
            asked.append(text)
            assert (go, keep) == ("Send again", "Don't send")
            return reply
        return ask

    flags = window.jobs.view.selectionModel().SelectionFlag
    window.jobs.view.selectionModel().select(window.jobs.model.index(0, 0), flags.Rows | flags.Select)
    monkeypatch.setattr(dialogs, "ask", answer(False))
    window.jobs.retry_selected()  # Ctrl+R: paid twice once, without a question
    assert len(asked) == 1 and "charged" in asked[0]
    assert simulator.stats.submissions == 1
    monkeypatch.setattr(dialogs, "ask", answer(True))
    window.jobs.retry_selected()
    qtbot.waitUntil(lambda: jobs_shown(window)[0].state is JobState.DONE, timeout=60_000)
    assert simulator.stats.submissions == 2
