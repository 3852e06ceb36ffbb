"""The Spending view: what this app's jobs are estimated to have cost today, this week and
this month, and, when the key allows it, what Novita's hourly bill says was charged."""

from __future__ import annotations

import time

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ..core import errors
from ..core.pricing import BillEntry, SpendingSummary, bill_total, format_usd
from ..session import Session


def _value_label(name: str) -> QLabel:
    label = QLabel("…")
    label.setAccessibleName(name)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByKeyboard
                                  | Qt.TextInteractionFlag.TextSelectableByMouse)
    label.setFocusPolicy(Qt.FocusPolicy.StrongFocus)  # Tab reaches it: a screen reader reads it
    return label


class SpendingDialog(QDialog):
    """Non-modal: it stays open beside the window and follows new jobs."""

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.setWindowTitle(self.tr("Spending"))
        self.setMinimumWidth(460)  # wrapped notes need the width to find their height
        self._bill_request = 0

        self.today = _value_label(self.tr("Estimated today"))
        self.week = _value_label(self.tr("Estimated this week"))
        self.month = _value_label(self.tr("Estimated this month"))
        self.unknown = QLabel()
        self.unknown.setWordWrap(True)
        self.unknown.hide()
        estimates = QGroupBox(self.tr("Estimated from this app's jobs"))
        estimates.setToolTip(self.tr("Each job keeps the estimate it had when it was sent; a job counts once "
                                     "Novita accepted it. Estimates, not Novita's figures."))
        estimate_form = QFormLayout(estimates)
        estimate_form.addRow(self.tr("Today"), self.today)
        estimate_form.addRow(self.tr("This week"), self.week)
        estimate_form.addRow(self.tr("This month"), self.month)
        estimate_form.addRow(self.unknown)
        self.cap = QLabel()
        self.cap.setWordWrap(True)
        estimate_form.addRow(self.cap)

        self.bill_today = _value_label(self.tr("Charged today"))
        self.bill_month = _value_label(self.tr("Charged this month"))
        self.bill_note = QLabel()
        self.bill_note.setWordWrap(True)
        self.bill_note.setAccessibleName(self.tr("About the charges"))
        charged = QGroupBox(self.tr("Charged, from Novita's hourly bill"))
        charged_form = QFormLayout(charged)
        charged_form.addRow(self.tr("Today"), self.bill_today)
        charged_form.addRow(self.tr("This month"), self.bill_month)
        charged_form.addRow(self.bill_note)

        self.refresh_button = QPushButton(self.tr("&Refresh"))
        self.refresh_button.setToolTip(self.tr("Read the estimates and Novita's bill again"))
        self.refresh_button.clicked.connect(self.refresh)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.addButton(self.refresh_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.close)
        layout = QVBoxLayout(self)
        layout.addWidget(estimates)
        layout.addWidget(charged)
        layout.addWidget(buttons)

        session.spendingChanged.connect(self.show_summary)
        if session.spending_summary is not None:
            self.show_summary(session.spending_summary)

    def refresh(self) -> None:
        """Ask the engine for the estimates and Novita for the bill (both in the background)."""
        from .. import settings

        self.session.refresh_spending()
        cap = settings.monthly_cap_units()
        self.cap.setText(self.tr("No monthly cap (Settings → Money).") if cap is None
                         else self.tr("Monthly cap: {amount} (Generate refuses past it).")
                         .format(amount=format_usd(cap)))
        self._bill_request += 1
        request = self._bill_request
        _, _, month_start = SpendingSummary.starts(time.time())
        for label in (self.bill_today, self.bill_month):
            label.setText(self.tr("reading…"))
        self.bill_note.setText("")
        started = self.session.fetch_bills(
            month_start, lambda entries: self.show_bill(request, entries),
            lambda exc: self.bill_unavailable(request, errors.describe(exc)), owner=self)
        if not started:
            self.bill_unavailable(request, self.tr("not connected"))

    def show_summary(self, summary: SpendingSummary) -> None:
        for label, units in ((self.today, summary.today), (self.week, summary.week), (self.month, summary.month)):
            label.setText(self.tr("≈ {amount} (estimate)").format(amount=format_usd(units)))
        self.unknown.setVisible(bool(summary.unknown))
        self.unknown.setText(self.tr("%n job(s) of this month from before the app kept estimates are not in "
                                     "these totals.", "", summary.unknown))

    def show_bill(self, request: int, entries: list[BillEntry]) -> None:
        if request != self._bill_request:
            return
        known = [entry for entry in entries if entry.amount is not None]
        if not known:
            self.bill_unavailable(request, self.tr("Novita's bill has no charges this app can read")
                                  if entries else self.tr("Novita's bill has no lines for this month yet"))
            return
        day_start, _, _ = SpendingSummary.starts(time.time())
        today = [entry for entry in known if entry.start is not None and entry.start >= day_start]
        self.bill_today.setText(format_usd(bill_total(today)))
        self.bill_month.setText(format_usd(bill_total(known)))
        skipped = len(entries) - len(known)
        notes = [self.tr("Image and video generation (gen_api), by the hour, as Novita bills it.")]
        if skipped:
            notes.append(self.tr("%n line(s) without an amount left out.", "", skipped))
        if self.session.is_demo:
            notes.append(self.tr("Demo mode: pretend money."))
        self.bill_note.setText("\n".join(notes))  # one note a line: no sentence joining per language

    def bill_unavailable(self, request: int, why: str) -> None:
        if request != self._bill_request:
            return
        for label in (self.bill_today, self.bill_month):
            label.setText(self.tr("not available"))
        self.bill_note.setText(self.tr("Actual charges are not available ({why}). The estimates above still are.")
                               .format(why=why))
