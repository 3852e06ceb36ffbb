"""Money: the price table, estimates, the balance, what was spent and the monthly cap.

Every amount here is an `int` of units of 0.0001 USD, the unit of Novita's balance
("123456" = $12.3456), so sums are exact and the store keeps integers. Rates and the
off-peak factor are `Decimal`s read from decimal strings.

The table ships as data (resources/prices.json, installed as vidu_desktop.resources) with
the date it was taken and its source; the user may override any rate and the off-peak
factor in Settings (an empty mapping means "the defaults"). Every figure is an estimate:
Novita publishes no price API and charges what it charges.

An estimate is  per_second[resolution] × duration (× off_peak_factor when off-peak),
rounded half up to the unit. N videos cost N times one (each job is charged on its own).
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import logging
import pathlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from importlib import resources
from types import MappingProxyType
from typing import Any

from . import values
from .errors import translate
from .request import DURATION_RANGE, RESOLUTIONS, VideoSettings

log = logging.getLogger(__name__)

UNITS_PER_USD = 10_000  # Novita's balance unit: 0.0001 USD
UNIT = Decimal("0.0001")
PRICES_FILE = "prices.json"
TABLE_SCHEMA = 1
OFF_PEAK_KEY = "off_peak_factor"
#: The keys an overrides mapping may hold: one rate (USD per second) per resolution, and the factor.
OVERRIDE_KEYS = (*RESOLUTIONS, OFF_PEAK_KEY)
MAX_RATE_USD_PER_S = Decimal(10)  # a rate above $10 per second is a typing mistake
MAX_NUMBER_CHARS = 32
#: What format_usd shows for an amount it cannot show (None, not a number).
UNKNOWN = "—"


class PriceTableError(ValueError):
    """The shipped price table is missing or does not follow its format (a packaging bug)."""


# -- amounts -----------------------------------------------------------------------------------


def to_units(usd: Decimal) -> int:
    """A USD amount as whole units of 0.0001 USD, rounded half up."""
    return int(usd.quantize(UNIT, rounding=ROUND_HALF_UP) * UNITS_PER_USD)


def usd(units: int) -> Decimal:
    """Units of 0.0001 USD as an exact Decimal of dollars (12345 -> Decimal('1.2345'))."""
    return Decimal(units) / UNITS_PER_USD


_FORMAT_LIMIT = 10**16  # units: a trillion dollars


def format_usd(units: object, *, unit_price: bool = False) -> str:
    """An amount in units of 0.0001 USD for people: "$0.59", "$1,234.50", "-$3.00".

    Rounded half up to the cent (123456 -> "$12.35", 5850 -> "$0.59"); a positive amount
    under half a cent is "<$0.01" (never "$0.00" for something that costs). Total: None or
    anything that is not a whole number gives UNKNOWN, and it never raises. Saying that a
    figure is an estimate ("≈") is the caller's job.

    unit_price: a price per item keeps a tenth of a cent when it has one (1950 -> "$0.195"),
    so that the price times the count is the total shown beside it ("4 videos · $0.78").
    """
    if isinstance(units, bool) or not isinstance(units, int):
        return UNKNOWN
    if units >= _FORMAT_LIMIT:
        return translate("pricing", "more than $1,000,000,000,000")
    if units <= -_FORMAT_LIMIT:
        return translate("pricing", "less than -$1,000,000,000,000")
    sign = "-" if units < 0 else ""
    mills = (Decimal(abs(units)) / 10).quantize(Decimal(1), rounding=ROUND_HALF_UP)
    if unit_price and mills % 10:  # a tenth of a cent to show (1995 rounds to whole cents: "$0.20")
        dollars, rest = divmod(int(mills), 1000)
        return f"{sign}${dollars:,}.{rest:03d}"
    cents = (Decimal(abs(units)) / 100).quantize(Decimal(1), rounding=ROUND_HALF_UP)
    if cents == 0:  # under half a cent: something that costs is never shown as free
        return "<$0.01" if units > 0 else "$0.00"
    dollars, rest = divmod(int(cents), 100)
    return f"{sign}${dollars:,}.{rest:02d}"


# -- the table ---------------------------------------------------------------------------------


def _decimal(value: object) -> Decimal | None:
    return values.decimal_number(value, max_chars=MAX_NUMBER_CHARS)


def rate_problem(value: object) -> str:
    """"" when `value` is a usable rate (USD per second), else words saying why not."""
    rate = _decimal(value)
    if rate is None:
        return translate("pricing", "A rate must be a number of dollars per second, such as 0.039.")
    if not 0 <= rate <= MAX_RATE_USD_PER_S:
        return translate("pricing", "A rate must be from $0 to ${limit} per second.").format(limit=MAX_RATE_USD_PER_S)
    return ""


def factor_problem(value: object) -> str:
    """"" when `value` is a usable off-peak factor (above 0, at most 1), else words."""
    factor = _decimal(value)
    if factor is None or not 0 < factor <= 1:
        return translate("pricing", "The off-peak factor must be a number above 0 and at most 1 (0.5 is half price).")
    return ""


def override_problems(overrides: Mapping[str, object]) -> dict[str, str]:
    """Every problem of an overrides mapping, by key; empty when it can be saved as it is."""
    problems: dict[str, str] = {}
    for key, value in overrides.items():
        if key not in OVERRIDE_KEYS:
            problems[str(key)] = translate("pricing", "Unknown price setting {name}; known: {known}.").format(
                name=repr(str(key)[:40]), known=", ".join(OVERRIDE_KEYS))
        else:
            words = factor_problem(value) if key == OFF_PEAK_KEY else rate_problem(value)
            if words:
                problems[key] = words
    return problems


OVERRIDE_PLACES = Decimal("0.000001")  # rates and factors are kept to a millionth


def clean_overrides(overrides: Mapping[str, object]) -> dict[str, str]:
    """The valid entries of `overrides` as canonical decimal strings, rounded half up to a
    millionth (what Settings saves); invalid and unknown entries are dropped. {} means: use
    the shipped table. A factor that rounds to 0 is dropped too."""
    problems = override_problems(overrides)
    cleaned: dict[str, str] = {}
    for key in OVERRIDE_KEYS:
        if key in overrides and key not in problems:
            number = _decimal(overrides[key])
            assert number is not None  # checked by override_problems
            number = number.quantize(OVERRIDE_PLACES, rounding=ROUND_HALF_UP)
            if key != OFF_PEAK_KEY or number > 0:
                cleaned[key] = _plain(number)
    return cleaned


def _plain(number: Decimal) -> str:
    """"0.039", "1", "0.5": no exponent, no trailing zeros."""
    text = format(number.normalize(), "f")
    return text if text != "-0" else "0"


@dataclass(frozen=True)
class PriceTable:
    """USD per second of video per resolution, and the off-peak factor; immutable."""

    per_second: Mapping[str, Decimal]
    off_peak_factor: Decimal
    taken: str = ""  # the date the figures were taken (ISO)
    source: str = ""  # where they come from, in words
    #: The keys (of OVERRIDE_KEYS) whose value is the user's, not the shipped table's.
    overridden: frozenset[str] = frozenset()

    def __post_init__(self) -> None:
        object.__setattr__(self, "per_second", MappingProxyType(dict(self.per_second)))

    def __hash__(self) -> int:
        return hash((tuple(sorted(self.per_second.items())), self.off_peak_factor, self.taken,
                     self.source, self.overridden))

    def rate(self, resolution: str) -> Decimal:
        """USD per second at `resolution`; KeyError for a resolution the table lacks."""
        return self.per_second[resolution]

    def estimate(self, settings: VideoSettings) -> int:
        """What one video with these settings is estimated to cost, in units of 0.0001 USD.

        Exact: Decimal arithmetic, rounded half up to the unit once. Raises ValueError for
        settings that cannot be sent (a duration outside 1..16 or an unknown resolution):
        the form never holds those.
        """
        duration: object = settings.duration  # a dataclass does not check types
        low, high = DURATION_RANGE
        if isinstance(duration, bool) or not isinstance(duration, int) or not low <= duration <= high:
            raise ValueError(f"no estimate for a duration of {duration!r}")
        if settings.resolution not in self.per_second:
            raise ValueError(f"no price for the resolution {settings.resolution!r}")
        amount = self.per_second[settings.resolution] * duration
        if settings.off_peak is True:
            amount *= self.off_peak_factor
        return to_units(amount)

    def estimate_usd(self, settings: VideoSettings) -> Decimal:
        return usd(self.estimate(settings))

    def estimate_many(self, settings: VideoSettings, count: int) -> int:
        """`count` videos with the same settings: each is charged on its own."""
        return max(count, 0) * self.estimate(settings)

    def with_overrides(self, overrides: Mapping[str, object] | None) -> PriceTable:
        """This table with the user's valid overrides applied; invalid entries are ignored
        (and logged). None or {} gives the table itself: "reset to defaults"."""
        if not overrides:
            return self
        cleaned = clean_overrides(overrides)
        if len(cleaned) != len(overrides):
            log.warning("ignored price overrides: %s",
                        ", ".join(key[:40] for key in override_problems(overrides)))
        if not cleaned:
            return self
        rates = dict(self.per_second)
        factor = self.off_peak_factor
        for key, text in cleaned.items():
            if key == OFF_PEAK_KEY:
                factor = Decimal(text)
            else:
                rates[key] = Decimal(text)
        return PriceTable(rates, factor, self.taken, self.source, frozenset(cleaned))


def parse_table(data: Any) -> PriceTable:
    """The price table from the decoded JSON of prices.json; PriceTableError when it does not
    follow the format (every resolution priced, decimal strings, 0 < factor <= 1)."""
    if not isinstance(data, dict):
        raise PriceTableError("the price table is not a JSON object")
    if data.get("schema") != TABLE_SCHEMA:
        raise PriceTableError(f"the price table has schema {data.get('schema')!r}, not {TABLE_SCHEMA}")
    if data.get("currency", "USD") != "USD":
        raise PriceTableError("the price table is not in USD")
    raw = data.get("per_second")
    if not isinstance(raw, dict):
        raise PriceTableError("the price table has no per_second object")
    rates: dict[str, Decimal] = {}
    for resolution in RESOLUTIONS:
        if rate_problem(raw.get(resolution)):
            raise PriceTableError(f"the price table has no usable rate for {resolution}")
        rate = _decimal(raw[resolution])
        assert rate is not None
        rates[resolution] = rate
    if factor_problem(data.get(OFF_PEAK_KEY)):
        raise PriceTableError("the price table has no usable off_peak_factor")
    factor = _decimal(data[OFF_PEAK_KEY])
    assert factor is not None
    return PriceTable(rates, factor, values.text(data.get("taken"), 40),
                      values.text(data.get("source"), 1000))


def _table_text() -> str:
    """prices.json from the installed resources package; in a source checkout that is not
    installed, from the repository's resources/ folder (as the icons are found)."""
    try:
        return (resources.files("vidu_desktop.resources") / PRICES_FILE).read_text(encoding="utf-8")
    except (ModuleNotFoundError, FileNotFoundError, NotADirectoryError):
        repo = pathlib.Path(__file__).resolve().parents[2] / "resources" / PRICES_FILE
        try:
            return repo.read_text(encoding="utf-8")
        except OSError as exc:
            raise PriceTableError(f"the price table {PRICES_FILE} is missing") from exc


@functools.cache
def default_table() -> PriceTable:
    """The shipped table (read once). PriceTableError when it is missing or broken."""
    try:
        data = json.loads(_table_text())
    except (ValueError, RecursionError) as exc:
        raise PriceTableError(f"the price table {PRICES_FILE} is not JSON") from exc
    return parse_table(data)


def price_table(overrides: Mapping[str, object] | None = None) -> PriceTable:
    """The shipped table with the user's overrides (from the settings file) applied."""
    return default_table().with_overrides(overrides)


# -- the balance and the bill ------------------------------------------------------------------


@dataclass(frozen=True)
class Balance:
    """GET /openapi/v1/billing/balance/detail, each amount in units of 0.0001 USD; None when
    the server sent nothing usable for it."""

    available: int | None = None
    cash: int | None = None
    credit_limit: int | None = None
    pending_charges: int | None = None
    outstanding_invoices: int | None = None

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Balance:
        """Lenient: strings or numbers, unknown fields ignored, a missing or unreadable one None."""
        return cls(available=values.money_units(data.get("availableBalance")),
                   cash=values.money_units(data.get("cashBalance")),
                   credit_limit=values.money_units(data.get("creditLimit")),
                   pending_charges=values.money_units(data.get("pendingCharges")),
                   outstanding_invoices=values.money_units(data.get("outstandingInvoices")))

    def shown(self) -> str:
        """The available balance for people: "$12.35" (UNKNOWN when not known)."""
        return format_usd(self.available)

    def covers(self, units: int) -> bool | None:
        """Whether the available balance covers `units`; None when the balance is unknown."""
        return None if self.available is None else self.available >= units


@dataclass(frozen=True)
class BillEntry:
    """One line of Novita's usage bill (GET /openapi/v1/billing/bill/list). The fields are
    not in the contract: every one may be missing (None / ""). Amounts in units of 0.0001 USD."""

    start: float | None = None  # Unix time the period starts
    end: float | None = None
    product: str = ""  # productName
    category: str = ""
    amount: int | None = None  # total price
    pay_amount: int | None = None  # paid in cash
    voucher_amount: int | None = None  # paid by vouchers


def bill_total(entries: Iterable[BillEntry]) -> int:
    """The sum of the known amounts of `entries` (an entry without one counts nothing)."""
    return sum(entry.amount for entry in entries if entry.amount is not None)


# -- what was spent ----------------------------------------------------------------------------


@dataclass(frozen=True)
class SpendingSummary:
    """Estimated spending today, this week and this month (local calendar), in units.

    `unknown` counts the entries of this month without an estimate (jobs from before the
    app kept estimates): the totals leave them out.
    """

    today: int = 0
    week: int = 0
    month: int = 0
    unknown: int = 0

    @staticmethod
    def starts(now: float, tz: dt.tzinfo | None = None, first_weekday: int = 0) -> tuple[float, float, float]:
        """(start of today, of this week, of this month) as Unix times, in `tz` (None: the
        local time zone). Weeks start on `first_weekday` (0 = Monday, 6 = Sunday)."""
        local = dt.datetime.fromtimestamp(now, tz)
        midnight = local.replace(hour=0, minute=0, second=0, microsecond=0)
        week = midnight - dt.timedelta(days=(local.weekday() - first_weekday) % 7)
        month = midnight.replace(day=1)
        # A naive local time (tz None) is read in the local zone by timestamp(); an aware one
        # (zoneinfo) works out its UTC offset from the wall time, DST changes included.
        return (midnight.timestamp(), week.timestamp(), month.timestamp())

    @staticmethod
    def since(now: float, tz: dt.tzinfo | None = None, first_weekday: int = 0) -> float:
        """The earliest time a summary looks at (a week may begin in the previous month)."""
        _, week, month = SpendingSummary.starts(now, tz, first_weekday)
        return min(week, month)

    @classmethod
    def of(cls, entries: Iterable[tuple[float, int | None]], now: float,
           tz: dt.tzinfo | None = None, first_weekday: int = 0) -> SpendingSummary:
        """From (time, estimate in units or None) pairs; entries before the periods are ignored."""
        day, week, month = cls.starts(now, tz, first_weekday)
        today = this_week = this_month = unknown = 0
        for at, units in entries:
            if units is None:
                unknown += at >= month
                continue
            today += units if at >= day else 0
            this_week += units if at >= week else 0
            this_month += units if at >= month else 0
        return cls(today, this_week, this_month, unknown)


def monthly_cap_allows(spent_this_month: int, new_total: int, cap: int | None) -> bool:
    """Whether spending `new_total` more keeps this month within `cap` (all in units).
    No cap (None) allows everything; a cap of 0 allows nothing that costs."""
    if cap is None:
        return True
    return spent_this_month + max(new_total, 0) <= cap


def cap_problem(spent_this_month: int, new_total: int, cap: int | None) -> str:
    """Why spending `new_total` more is refused by the monthly cap, in words; "" when it is not."""
    if monthly_cap_allows(spent_this_month, new_total, cap):
        return ""
    return translate("pricing", "≈ {total} more would take this month past your monthly cap of {cap} "
                                "(≈ {spent} spent so far, estimate).").format(
        total=format_usd(new_total), cap=format_usd(cap), spent=format_usd(spent_this_month))


__all__ = [
    "OFF_PEAK_KEY", "OVERRIDE_KEYS", "UNITS_PER_USD", "UNKNOWN", "Balance", "BillEntry",
    "PriceTable", "PriceTableError", "SpendingSummary", "bill_total", "cap_problem",
    "clean_overrides", "default_table", "factor_problem", "format_usd", "monthly_cap_allows",
    "override_problems", "parse_table", "price_table", "rate_problem", "to_units", "usd",
]
