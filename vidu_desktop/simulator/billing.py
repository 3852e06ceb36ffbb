"""The simulator's pretend money: its own price table, an account balance and an hourly bill.

Its OWN copy of the prices, written from shared/NOVITA_API.md section 5, not read from the
app's table (resources/prices.json, core/pricing.py): a test checks that both give the same
figure for the same settings, which is the point of having two. Pure stdlib.

The balance and the amounts of the bill are kept, and sent, as Novita does: whole units of
0.0001 USD, as strings ("123456" = $12.3456). An accepted submit is charged at once; one the
balance does not cover is refused with BILLING_BALANCE_NOT_ENOUGH (HTTP 400).
"""

from __future__ import annotations

import calendar
import threading
import time
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from .contract import Submission

UNITS_PER_USD = 10_000
# Section 5: "$0.026 / $0.039 / $0.052 per second at 540p / 720p / 1080p"; off-peak "about half".
USD_PER_SECOND = {"540p": Decimal("0.026"), "720p": Decimal("0.039"), "1080p": Decimal("0.052")}
OFF_PEAK_FACTOR = Decimal("0.5")
PRODUCT = "vidu-q3-turbo-i2v"
CATEGORY = "gen_api"
DEFAULT_BALANCE_UNITS = 100_000_000  # $10,000: tests submit many jobs and never run out
CYCLES = ("Hour", "Day", "Week", "Month")
PRODUCT_CATEGORIES = ("summary", "gpu", "llm", "serverless", "cloud_storage", "gen_api")
MAX_BALANCE_UNITS = 10**15


def price_units(request: Submission) -> int:
    """What a job costs: rate × duration (× the off-peak factor), rounded half up to 0.0001 USD."""
    amount = USD_PER_SECOND[request.resolution] * request.duration
    if request.off_peak:
        amount *= OFF_PEAK_FACTOR
    return int((amount * UNITS_PER_USD).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def parse_units(value: Any) -> int:
    """A balance to set, in units: an integer or a string of digits (optionally signed).
    ValueError for anything else."""
    if isinstance(value, bool) or not isinstance(value, (int, str)):
        raise ValueError("balance must be a whole number of 0.0001 USD units (a string or an integer)")
    text = value.strip() if isinstance(value, str) else str(value)
    digits = text[1:] if text[:1] in "+-" else text
    if not digits.isascii() or not digits.isdigit() or len(digits) > 16:
        raise ValueError("balance must be a whole number of 0.0001 USD units (a string or an integer)")
    units = int(text)
    if abs(units) > MAX_BALANCE_UNITS:
        raise ValueError("balance is beyond what an account can hold")
    return units


@dataclass(frozen=True)
class Charge:
    at: float  # time.time()
    units: int
    seconds: int  # of video
    resolution: str
    off_peak: bool
    task_id: str


class Account:
    """The pretend account: a balance that accepted jobs draw down, and their charges."""

    def __init__(self, balance_units: int = DEFAULT_BALANCE_UNITS) -> None:
        self._lock = threading.Lock()
        self._balance = balance_units
        self._charges: list[Charge] = []

    @property
    def balance(self) -> int:
        with self._lock:
            return self._balance

    def set_balance(self, units: int) -> None:
        with self._lock:
            self._balance = units

    def charges(self) -> list[Charge]:
        with self._lock:
            return list(self._charges)

    def charged(self) -> int:
        with self._lock:
            return sum(charge.units for charge in self._charges)

    def try_charge(self, request: Submission, task_id: str) -> Charge | None:
        """Take the price of `request` from the balance; None (nothing taken) when the balance
        does not cover it. Checked and taken under one lock: two submits racing for the last
        dollars cannot both win."""
        units = price_units(request)
        with self._lock:
            if self._balance < units:
                return None
            self._balance -= units
            charge = Charge(time.time(), units, request.duration, request.resolution,
                            request.off_peak, task_id)
            self._charges.append(charge)
            return charge

    def detail(self) -> dict[str, str]:
        """The body of GET /openapi/v1/billing/balance/detail."""
        with self._lock:
            balance = self._balance
        return {"availableBalance": str(balance), "cashBalance": str(max(balance, 0)),
                "creditLimit": "0", "pendingCharges": "0", "outstandingInvoices": "0"}

    def bills(self, cycle: str, category: str, start: float = 0, end: float = 0) -> list[dict[str, Any]]:
        """The lines of GET /openapi/v1/billing/bill/list: one per period and kind of video
        (resolution, off-peak), fields as Novita's reference shows them, every value a string.
        `start`/`end` (Unix seconds, 0 = open) keep the periods that overlap them."""
        if category not in (CATEGORY, "summary"):
            return []
        groups: dict[tuple[int, str, bool], list[Charge]] = {}
        for charge in self.charges():
            begin = _period_start(charge.at, cycle)
            groups.setdefault((begin, charge.resolution, charge.off_peak), []).append(charge)
        lines = []
        for (begin, resolution, off_peak), charges in sorted(groups.items()):
            finish = _period_end(begin, cycle)
            if (start and finish <= start) or (end and begin >= end):
                continue
            amount = sum(c.units for c in charges)
            seconds = sum(c.seconds for c in charges)
            rate = USD_PER_SECOND[resolution] * (OFF_PEAK_FACTOR if off_peak else 1) * UNITS_PER_USD
            lines.append({
                "userId": "simulator-user", "startTime": str(begin), "endTime": str(finish),
                "billingMethod": "1",
                "productName": f"{PRODUCT} {resolution}{' off-peak' if off_peak else ''}",
                "category": CATEGORY, "ownerID": "", "billNum0": str(seconds), "billNum1": "0",
                "basePrice0": str(rate.normalize()), "basePrice1": "0",
                "discountPrice0": str(rate.normalize()), "discountPrice1": "0",
                "amount": str(amount), "voucherAmount": "0", "payAmount": str(amount),
                "payAmountDisplay": f"{Decimal(amount) / UNITS_PER_USD:.4f}",
                "pricePrecision": "4", "productId": f"{PRODUCT}-{resolution}",
            })
        return lines


def _period_start(at: float, cycle: str) -> int:
    """The start of the (UTC) hour, day, ISO week or month that holds `at`."""
    seconds = int(at)
    if cycle == "Hour":
        return seconds - seconds % 3600
    day = seconds - seconds % 86400
    if cycle == "Day":
        return day
    if cycle == "Week":
        return day - time.gmtime(day).tm_wday * 86400
    moment = time.gmtime(day)
    return calendar.timegm((moment.tm_year, moment.tm_mon, 1, 0, 0, 0))


def _period_end(begin: int, cycle: str) -> int:
    if cycle == "Month":
        moment = time.gmtime(begin)
        return begin + calendar.monthrange(moment.tm_year, moment.tm_mon)[1] * 86400
    return begin + {"Hour": 3600, "Day": 86400, "Week": 7 * 86400}[cycle]


# Hostile bill lists (the fault "odd_bills"): the fields are not in the contract, so a client
# must live with any of these.
BILL_STYLES = ("unknown_fields", "extra_fields", "no_bills", "null_bills", "not_a_list",
               "wrong_types", "empty")


def odd_bills(style: str, lines: list[dict[str, Any]]) -> Any:
    """The answer of a bill list that went strange, in `style`, from the real `lines`."""
    if style == "unknown_fields":  # lines with none of the known fields
        return {"bills": [{"wibble": "1", "sum": {"usd": 5}, "items": []}] * max(len(lines), 1),
                "nextPage": None}
    if style == "extra_fields":  # the real lines and more besides
        return {"bills": [{**line, "taxes": {"vat": "0"}, "tags": ["x"], "amountV2": 99}
                          for line in lines], "total": "n/a", "version": 7}
    if style == "no_bills":
        return {}
    if style == "null_bills":
        return {"bills": None}
    if style == "not_a_list":
        return {"bills": "none this hour"}
    if style == "wrong_types":  # known names, unusable values, and lines that are not objects
        return {"bills": [{"amount": {"value": 1}, "startTime": True, "endTime": "soon",
                           "productName": ["v"], "payAmount": "NaN", "voucherAmount": "1e999"},
                          7, "line", None, [1, 2]]}
    return {"bills": []}  # empty
