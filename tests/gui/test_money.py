"""Money on screen (issue 11): the estimate before Generate, the confirmation, the balance in
the status bar, a refused submit for a low balance, the monthly cap and the Spending view,
all against the simulator, which charges each accepted job from its own price table."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from tests.gui.conftest import jobs_shown
from tests.gui.test_jobs_and_history import add_images, wait_finished
from vidu_desktop import session as session_module
from vidu_desktop import settings
from vidu_desktop.core import errors
from vidu_desktop.core.lifecycle import JobState
from vidu_desktop.core.pricing import format_usd
from vidu_desktop.core.request import ImageOrder
from vidu_desktop.ui import dialogs

pytestmark = pytest.mark.gui

URL = "https://example.com/cat.png"
ONE_720P_5S = 1950  # units of 0.0001 USD: $0.039 × 5 s, what the simulator charges too


def shot(window, artifacts_dir: Path, name: str) -> None:
    window.grab().save(str(artifacts_dir / f"money-{name}.png"))


class Questions:
    """The window's verb questions (ui.dialogs.ask), answered by the test; it keeps what was
    asked and the verbs offered."""

    def __init__(self, monkeypatch, answer: bool = True) -> None:
        self.asked: list[str] = []
        self.verbs: list[tuple[str, str]] = []
        self.answer = answer
        monkeypatch.setattr(dialogs, "ask", self._ask)

    def _ask(self, _parent, _title, text, go, keep, **_kwargs):
        self.asked.append(text)
        self.verbs.append((go, keep))
        return self.answer


def balance_shown(window) -> str:
    return window.balance_label.text()


def test_the_estimate_and_the_generate_label_follow_the_form(qtbot, window, artifacts_dir):
    form = window.form
    window.images.add_sources([URL])
    assert form.estimate.text() == "≈ $0.195 per video, estimate"
    assert window.generate_button.text() == "Generate · ≈ $0.20"
    form.duration.setValue(10)
    assert form.estimate.text() == "≈ $0.39 per video, estimate"
    form.resolution.setCurrentText("1080p")
    assert form.estimate.text() == "≈ $0.52 per video, estimate"
    form.off_peak.setChecked(True)
    assert form.estimate.text() == "≈ $0.26 per video, estimate"
    assert window.generate_button.text() == "Generate · ≈ $0.26"
    form.off_peak.setChecked(False)
    form.resolution.setCurrentText("720p")
    form.duration.setValue(5)
    window.images.add_sources(["https://example.com/dog.png", "https://example.com/owl.png"])
    assert window.generate_button.text() == "Generate 3 videos · ≈ $0.59"
    # What a screen reader reads, and that it can get there with the keyboard.
    assert form.estimate.accessibleName() == "Estimate"
    assert "$0.20" in form.estimate.accessibleDescription()
    assert form.estimate.focusPolicy() & Qt.FocusPolicy.TabFocus
    assert window.generate_button.accessibleName() == "Generate 3 videos · ≈ $0.59"
    assert "estimated to cost $0.59" in window.generate_button.accessibleDescription()
    assert "48 hours" in form.off_peak.toolTip() and "is_rec" in form.is_rec.toolTip()
    shot(window, artifacts_dir, "1-estimate-before-generate")


def test_above_the_threshold_a_confirmation_comes_first(qtbot, window, simulator, monkeypatch):
    settings.save_confirm_above_units(5000)  # $0.50
    questions = Questions(monkeypatch, False)
    window.images.add_sources([URL])  # $0.20: under the threshold, no question
    window.form.duration.setValue(1)
    window.generate()
    qtbot.waitUntil(lambda: simulator.stats.submissions == 1, timeout=10_000)
    assert questions.asked == []

    window.images.add_sources([URL, "https://example.com/dog.png", "https://example.com/owl.png"])
    window.form.duration.setValue(5)
    window.generate()  # $0.59, and the user says No: nothing is sent, the images stay
    [text] = questions.asked
    assert "Generate 3 videos for ≈ $0.59 (estimate)?" in text
    assert questions.verbs == [("Generate 3 videos", "Don't send")]  # verbs, not Yes/No
    assert "5 s · 720p" in text and "≈ $0.20 each" in text and "above $0.50" in text
    assert len(window.images.images) == 3
    time.sleep(0.5)
    qtbot.wait(200)
    assert simulator.stats.submissions == 1

    questions.answer = True
    window.generate()
    qtbot.waitUntil(lambda: simulator.stats.submissions == 4, timeout=10_000)
    assert len(questions.asked) == 2 and len(window.images.images) == 3  # the images stay for another try


def test_a_balance_of_123456_units_shows_as_dollars(qtbot, window_factory_env, simulator, artifacts_dir):
    simulator.account.set_balance(123456)
    window = window_factory_env()
    qtbot.waitUntil(lambda: balance_shown(window) == "Balance: $12.35", timeout=10_000)
    assert window.balance_label.accessibleName() == "Balance"
    assert "Balance: $12.35" in window.balance_label.accessibleDescription()
    assert window.balance_label in window.statusBar().findChildren(type(window.balance_label))
    shot(window, artifacts_dir, "2-balance-in-the-status-bar")


def test_the_balance_is_read_once_at_start_and_then_only_on_schedule(qtbot, window_factory_env, simulator,
                                                                     monkeypatch):
    # An idle window with the real schedule: one read at start, no more.
    window = window_factory_env()
    qtbot.waitUntil(lambda: balance_shown(window).startswith("Balance: $"), timeout=10_000)
    qtbot.wait(3000)
    assert simulator.stats.balance_reads == 1
    window.close()
    window.session.shutdown()


def test_the_balance_request_rate_over_an_idle_period(qtbot, window_factory_env, simulator, monkeypatch):
    # The ten-minute schedule on a shortened clock: every 0.5 s, watched for 4 s ("an idle
    # minute" scaled down): about 1 + 8 reads, never more.
    monkeypatch.setattr(session_module, "BALANCE_EVERY_S", 0.5)
    window = window_factory_env()
    start = time.monotonic()
    before = simulator.stats.balance_reads
    qtbot.wait(4000)
    elapsed = time.monotonic() - start
    reads = simulator.stats.balance_reads
    assert before <= 1
    assert 4 <= reads <= 1 + elapsed / 0.5 + 1, reads
    assert balance_shown(window).startswith("Balance: $")


def test_a_balance_that_cannot_be_read_blocks_nothing(qtbot, window_factory_env, simulator):
    simulator.faults.add("server_error", route="balance", count=100)
    window = window_factory_env()
    qtbot.waitUntil(lambda: balance_shown(window) == "Balance: unknown", timeout=10_000)
    assert window.balance_label.toolTip().startswith("The balance could not be read")
    window.images.add_sources([URL])
    window.form.duration.setValue(1)
    assert window.generate_button.isEnabled() and window.generate_button.text() == "Generate · ≈ $0.04"
    window.generate()
    [job] = wait_finished(qtbot, window, 1)
    assert job.state is JobState.DONE


def test_the_balance_goes_down_by_the_estimate_per_accepted_job(qtbot, window_factory_env, simulator, tmp_path,
                                                               monkeypatch):
    monkeypatch.setattr(session_module, "BALANCE_MIN_GAP_S", 0.3)  # "at most once a minute", shortened
    simulator.account.set_balance(500_000)  # $50.00
    window = window_factory_env()
    qtbot.waitUntil(lambda: balance_shown(window) == "Balance: $50.00", timeout=10_000)
    add_images(qtbot, window, tmp_path, 1)
    window.generate()
    qtbot.waitUntil(lambda: balance_shown(window) == f"Balance: {format_usd(500_000 - ONE_720P_5S)}",
                    timeout=10_000)
    assert balance_shown(window) == "Balance: $49.81"
    add_images(qtbot, window, tmp_path, 2)
    window.generate()
    expected = 500_000 - 3 * ONE_720P_5S
    qtbot.waitUntil(lambda: balance_shown(window) == f"Balance: {format_usd(expected)}", timeout=10_000)
    assert simulator.account.balance == expected and balance_shown(window) == "Balance: $49.42"
    # Each job kept the estimate that was shown, and it is what the simulator charged.
    jobs = wait_finished(qtbot, window, 3)
    assert [job.estimate_units for job in jobs] == [ONE_720P_5S] * 3
    assert [charge.units for charge in simulator.account.charges()] == [ONE_720P_5S] * 3


def test_more_than_the_balance_asks_and_a_refused_submit_fails_with_the_top_up_link(
        qtbot, window_factory_env, simulator, monkeypatch, artifacts_dir):
    simulator.account.set_balance(1000)  # $0.10: not enough for one 5 s 720p video
    window = window_factory_env()
    qtbot.waitUntil(lambda: balance_shown(window) == "Balance: $0.10", timeout=10_000)
    window.images.add_sources([URL])
    assert window.generate_button.text() == "Generate · ≈ $0.20 — more than your balance"
    shot(window, artifacts_dir, "3-more-than-the-balance")
    questions = Questions(monkeypatch, True)
    window.generate()
    [text] = questions.asked
    assert "more than your balance of $0.10" in text
    [job] = wait_finished(qtbot, window, 1)
    assert job.state is JobState.FAILED and job.state is not JobState.UNCERTAIN
    assert job.error_kind == "BalanceError" and errors.TOP_UP_URL in job.error
    assert job.task_id is None and simulator.account.charges() == []
    model = window.jobs.model
    row = model.row_of(job.id)
    assert model.data(model.index(row, 1)).startswith("Failed: Your Novita balance is too low")
    assert errors.TOP_UP_URL in model.data(model.index(row, 0), Qt.ItemDataRole.ToolTipRole)


def test_the_monthly_cap_refuses_and_says_so(qtbot, window, simulator, monkeypatch):
    settings.save_monthly_cap_units(3000)  # $0.30
    window.money_settings_changed()  # as when Settings close
    Questions(monkeypatch)
    window.images.add_sources([URL])
    assert window.generate_button.isEnabled()  # $0.20 of $0.30
    window.generate()
    qtbot.waitUntil(lambda: simulator.stats.submissions == 1, timeout=10_000)
    window.images.add_sources([URL])  # another $0.20 would make $0.40
    qtbot.waitUntil(lambda: not window.generate_button.isEnabled(), timeout=10_000)
    assert "past your monthly cap of $0.30" in window.problem_label.text()
    assert "≈ $0.20 spent so far" in window.problem_label.text()
    window.generate()  # refused by the window: nothing sent
    # The engine refuses too, whoever asks (headless, or a window that had not heard yet).
    with qtbot.waitSignal(window.session.problem, timeout=5000,
                          check_params_cb=lambda words: "monthly cap" in words):
        window.session.generate([ImageOrder(URL, window.form.settings())])
    wait_finished(qtbot, window, 1)
    qtbot.wait(300)
    assert simulator.stats.submissions == 1 and len(jobs_shown(window)) == 1
    window.form.duration.setValue(2)  # $0.08: fits under the cap
    assert window.generate_button.isEnabled()


def test_the_spending_view_shows_estimates_and_novitas_bill(qtbot, window, simulator, tmp_path, artifacts_dir):
    add_images(qtbot, window, tmp_path, 2)
    window.generate()
    wait_finished(qtbot, window, 2)
    window.spending_action.trigger()
    assert window.spending_action.shortcut().toString() == "Ctrl+Shift+S"
    view = window.spending_dialog
    assert view is not None and view.isVisible()
    qtbot.waitUntil(lambda: view.today.text() == "≈ $0.39 (estimate)", timeout=10_000)
    assert view.week.text() == view.month.text() == "≈ $0.39 (estimate)"
    qtbot.waitUntil(lambda: view.bill_month.text() == "$0.39", timeout=10_000)
    assert view.bill_today.text() == "$0.39"
    assert view.today.accessibleName() == "Estimated today"
    assert view.today.focusPolicy() & Qt.FocusPolicy.TabFocus
    view.grab().save(str(artifacts_dir / "money-4-spending-view.png"))
    view.close()


@pytest.mark.parametrize("style", ["unknown_fields", "no_bills", "null_bills", "not_a_list", "wrong_types",
                                   "empty"])
def test_a_bill_list_with_unknown_fields_or_none_at_all_is_not_available(qtbot, window, simulator, style):
    simulator.faults.add("odd_bills", route="bill", count=1, style=style)
    window.open_spending()
    view = window.spending_dialog
    qtbot.waitUntil(lambda: view.bill_month.text() == "not available", timeout=10_000)
    assert view.bill_today.text() == "not available"
    assert "Actual charges are not available" in view.bill_note.text()
    # The estimates are read apart from the bill: they may come after it.
    qtbot.waitUntil(lambda: view.month.text() == "≈ $0.00 (estimate)", timeout=10_000)
    view.close()


def test_a_bill_list_that_cannot_be_read_is_not_available(qtbot, window, simulator):
    simulator.faults.add("server_error", route="bill", count=10)
    window.open_spending()
    view = window.spending_dialog
    qtbot.waitUntil(lambda: view.bill_month.text() == "not available", timeout=10_000)
    view.close()


def test_demo_mode_says_the_balance_is_pretend(qtbot, open_window, artifacts_dir):
    window = open_window(timeout=30_000)
    qtbot.waitUntil(lambda: balance_shown(window) == "Demo balance $50.00 (pretend)", timeout=15_000)
    assert "Pretend money" in window.balance_label.accessibleDescription()
    shot(window, artifacts_dir, "5-demo-balance")


def test_money_settings_overrides_threshold_and_cap(qtbot, window):
    from vidu_desktop.ui.settings_dialog import SettingsDialog

    dialog = SettingsDialog(window)
    qtbot.addWidget(dialog)
    assert dialog.rates["720p"].placeholderText() == "0.039"
    dialog.rates["720p"].setText("cheap")
    dialog.accept()
    assert dialog.money_status.isVisibleTo(dialog) and "720p" in dialog.money_status.text()
    assert settings.price_overrides() == {}
    dialog.rates["720p"].setText("0.05")
    dialog.rates["off_peak_factor"].setText("0.25")
    dialog.confirm_above.setValue(2.5)
    dialog.cap_on.setChecked(True)
    dialog.cap.setValue(20)
    dialog.accept()
    assert settings.price_overrides() == {"720p": "0.05", "off_peak_factor": "0.25"}
    assert settings.confirm_above_units() == 25_000 and settings.monthly_cap_units() == 200_000
    window.money_settings_changed()
    assert window.form.estimate.text() == "≈ $0.25 per video, estimate"
    window.form.off_peak.setChecked(True)
    assert window.form.estimate.text() == "≈ $0.063 per video, estimate"  # 0.25 × $0.25

    again = SettingsDialog(window)
    qtbot.addWidget(again)
    assert again.rates["720p"].text() == "0.05" and again.cap_on.isChecked()
    again.reset_prices.click()
    again.cap_on.setChecked(False)
    again.accept()
    assert settings.price_overrides() == {} and settings.monthly_cap_units() is None
    window.money_settings_changed()
    window.form.off_peak.setChecked(False)
    assert window.form.estimate.text() == "≈ $0.195 per video, estimate"


def test_submits_read_the_balance_at_most_once_a_minute(qtbot, window, simulator, tmp_path):
    qtbot.waitUntil(lambda: balance_shown(window).startswith("Balance: $"), timeout=10_000)
    add_images(qtbot, window, tmp_path, 3)
    window.form.duration.setValue(1)
    window.generate()
    wait_finished(qtbot, window, 3)
    qtbot.wait(500)
    # Within a minute of the read at start, three accepted submits read nothing now: one read
    # waits for the minute to be up.
    assert simulator.stats.balance_reads == 1
    assert window.session._balance_later.isActive()
