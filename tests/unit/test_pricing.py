"""Money in the core: the shipped table, exact estimates, overrides, amounts for people, the
balance, what was spent and the monthly cap."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from vidu_desktop.core import pricing, values
from vidu_desktop.core.pricing import (
    OFF_PEAK_KEY,
    Balance,
    PriceTable,
    PriceTableError,
    SpendingSummary,
    clean_overrides,
    default_table,
    format_usd,
    monthly_cap_allows,
    override_problems,
    parse_table,
)
from vidu_desktop.core.request import DURATION_RANGE, RESOLUTIONS, VideoSettings

ROOT = Path(__file__).resolve().parents[2]
SHIPPED = json.loads((ROOT / "resources" / "prices.json").read_text(encoding="utf-8"))
DURATIONS = range(DURATION_RANGE[0], DURATION_RANGE[1] + 1)


# -- the shipped table -------------------------------------------------------------------------


def test_the_shipped_table_is_data_with_its_date_and_source():
    table = default_table()
    assert table is default_table()  # read once
    assert set(table.per_second) == set(RESOLUTIONS)
    assert table.per_second == {r: Decimal(SHIPPED["per_second"][r]) for r in RESOLUTIONS}
    assert table.off_peak_factor == Decimal(SHIPPED[OFF_PEAK_KEY]) == Decimal("0.5")
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", table.taken)
    assert "NOVITA_API.md section 5" in table.source and "no internet" in table.source
    assert SHIPPED["estimate_only"] is True and SHIPPED["currency"] == "USD"
    # Exact figures: decimal strings, never floats.
    assert all(isinstance(v, str) for v in (*SHIPPED["per_second"].values(), SHIPPED[OFF_PEAK_KEY]))
    assert table.overridden == frozenset()


def test_the_table_is_found_in_the_installed_package():
    from importlib import resources

    text = (resources.files("vidu_desktop.resources") / "prices.json").read_text(encoding="utf-8")
    assert json.loads(text) == SHIPPED


@pytest.mark.parametrize("resolution", RESOLUTIONS)
@pytest.mark.parametrize("duration", DURATIONS)
@pytest.mark.parametrize("off_peak", [False, True])
def test_every_estimate_against_the_table(resolution, duration, off_peak):
    """Every resolution × 1..16 s × off-peak, worked out here from the JSON by hand."""
    rate = Decimal(SHIPPED["per_second"][resolution])
    factor = Decimal(SHIPPED[OFF_PEAK_KEY]) if off_peak else Decimal(1)
    exact_usd = rate * duration * factor
    expected = int((exact_usd * 10_000).to_integral_value(rounding="ROUND_HALF_UP"))
    settings = VideoSettings(duration=duration, resolution=resolution, off_peak=off_peak)
    table = default_table()
    assert table.estimate(settings) == expected
    assert table.estimate_usd(settings) == Decimal(expected) / 10_000
    # The shipped rates are whole tenths of a cent: the estimate is exact, no rounding at all.
    assert Decimal(expected) / 10_000 == exact_usd
    assert table.estimate_many(settings, 3) == 3 * expected
    assert table.estimate_many(settings, 0) == 0


def test_the_issue_example_three_videos_at_720p_for_5_s():
    settings = VideoSettings()  # 5 s, 720p
    table = default_table()
    assert table.estimate(settings) == 1950  # $0.195
    assert format_usd(table.estimate_many(settings, 3)) == "$0.59"  # "Generate 3 videos · ≈ $0.59"
    assert format_usd(table.estimate(settings.replace(off_peak=True))) == "$0.10"


def test_other_settings_do_not_change_the_price():
    table = default_table()
    base = VideoSettings()
    for other in (base.replace(prompt="x" * 100), base.replace(seed=5), base.replace(audio=False),
                  base.replace(is_rec=True), base.replace(audio_type="speech_only")):
        assert table.estimate(other) == table.estimate(base)


@pytest.mark.parametrize("settings", [VideoSettings(duration=0), VideoSettings(duration=17),
                                      VideoSettings(duration=5.0),  # type: ignore[arg-type]
                                      VideoSettings(duration=True),  # type: ignore[arg-type]
                                      VideoSettings(resolution="4k")])
def test_no_estimate_for_settings_that_cannot_be_sent(settings):
    with pytest.raises(ValueError, match="no "):
        default_table().estimate(settings)


# -- properties ----------------------------------------------------------------------------------

rates = st.decimals(min_value=0, max_value=10, places=6, allow_nan=False, allow_infinity=False)
factors = st.decimals(min_value=Decimal("0.000001"), max_value=1, places=6)
settings_st = st.builds(VideoSettings, duration=st.integers(*DURATION_RANGE),
                        resolution=st.sampled_from(RESOLUTIONS), off_peak=st.booleans())


@st.composite
def ordered_tables(draw):
    """Tables whose rates do not fall as the resolution rises (as every real one)."""
    low, mid, high = sorted(draw(st.lists(rates, min_size=3, max_size=3)))
    return PriceTable({"540p": low, "720p": mid, "1080p": high}, draw(factors))


@given(ordered_tables(), settings_st, st.integers(*DURATION_RANGE))
def test_estimates_never_fall_as_the_duration_grows(table, settings, longer):
    if longer >= settings.duration:
        assert table.estimate(settings.replace(duration=longer)) >= table.estimate(settings)


@given(ordered_tables(), settings_st)
def test_estimates_never_fall_as_the_resolution_rises(table, settings):
    costs = [table.estimate(settings.replace(resolution=r)) for r in RESOLUTIONS]
    assert costs == sorted(costs)


@given(ordered_tables(), settings_st)
def test_off_peak_is_never_dearer(table, settings):
    peak = table.estimate(settings.replace(off_peak=False))
    off = table.estimate(settings.replace(off_peak=True))
    assert 0 <= off <= peak


@given(settings_st)
def test_off_peak_is_cheaper_with_the_shipped_table(settings):
    table = default_table()
    assert table.estimate(settings.replace(off_peak=True)) < table.estimate(settings.replace(off_peak=False))


@given(ordered_tables(), settings_st, st.integers(0, 50))
def test_n_videos_cost_n_times_one(table, settings, count):
    assert table.estimate_many(settings, count) == count * table.estimate(settings)


@given(st.one_of(st.integers(), st.none(), st.floats(), st.text(), st.booleans(), st.decimals(),
                 st.integers(min_value=-(10**40), max_value=10**40)))
def test_formatting_is_total(amount):
    text = format_usd(amount)
    assert isinstance(text, str) and text
    if isinstance(amount, int) and not isinstance(amount, bool) and abs(amount) < 10**16:
        assert re.fullmatch(r"-?\$\d{1,3}(,\d{3})*\.\d\d|<\$0\.01", text), text


@given(st.integers(min_value=-(10**15), max_value=10**15))
def test_formatting_rounds_half_up_to_the_cent(units):
    text = format_usd(units)
    if 0 < units < 50:
        assert text == "<$0.01"
        return
    cents = (abs(Decimal(units)) / 100).to_integral_value(rounding="ROUND_HALF_UP")
    shown = Decimal(text.replace("$", "").replace(",", "").replace("-", ""))
    assert shown == cents / 100
    assert text.startswith("-") == (units < 0 and cents > 0)


@given(st.integers(min_value=-(10**15), max_value=10**15), st.integers(1, 8))
def test_a_unit_price_times_the_count_is_the_total_shown(units, count):
    """"≈ $0.195 per video" beside "Generate 4 videos · ≈ $0.78": a per-video price keeps its
    tenth of a cent, so multiplying what is shown gives the total to the cent."""
    text = format_usd(units, unit_price=True)
    mills = (abs(Decimal(units)) / 10).to_integral_value(rounding="ROUND_HALF_UP")
    if mills == 0:
        assert text in ("<$0.01", "$0.00")
        return
    shown = Decimal(text.replace("$", "").replace(",", "").replace("-", ""))
    assert shown == mills / 1000
    assert len(text.rpartition(".")[2]) == (3 if mills % 10 else 2)  # "$0.195", and "$0.20" not "$0.200"
    if abs(units) % 10 == 0:  # prices are whole tenths of a cent: the product is exact
        total = Decimal(format_usd(abs(units) * count).replace("$", "").replace(",", ""))
        assert (shown * count).quantize(Decimal("0.01"), rounding="ROUND_HALF_UP") == total


@pytest.mark.parametrize("units, text", [
    (1950, "$0.195"), (2000, "$0.20"), (5850, "$0.585"), (123450, "$12.345"), (-1950, "-$0.195"), (5, "$0.001"),
    (4, "<$0.01"), (1995, "$0.20"), (99_995, "$10.00"),
    (None, "—"),
])
def test_unit_prices_keep_a_tenth_of_a_cent(units, text):
    assert format_usd(units, unit_price=True) == text


@pytest.mark.parametrize("units, text", [
    (0, "$0.00"), (1, "<$0.01"), (49, "<$0.01"), (50, "$0.01"), (5850, "$0.59"), (5849, "$0.58"),
    (123456, "$12.35"), (1_000_000_000, "$100,000.00"), (-12345, "-$1.23"), (-49, "$0.00"),
    (None, "—"), ("123456", "—"), (12.5, "—"), (True, "—"), (10**16, "more than $1,000,000,000,000"),
    (-(10**16), "less than -$1,000,000,000,000"), (10**400, "more than $1,000,000,000,000"),
])
def test_format_usd(units, text):
    assert format_usd(units) == text


# -- overrides -------------------------------------------------------------------------------------


def test_overrides_replace_rates_and_the_factor_and_empty_means_defaults():
    table = default_table()
    assert table.with_overrides({}) is table and table.with_overrides(None) is table
    assert pricing.price_table({}) == table
    custom = table.with_overrides({"720p": "0.06", OFF_PEAK_KEY: 0.75})
    assert custom.rate("720p") == Decimal("0.06") and custom.rate("540p") == table.rate("540p")
    assert custom.off_peak_factor == Decimal("0.75")
    assert custom.overridden == {"720p", OFF_PEAK_KEY}
    assert custom.estimate(VideoSettings()) == 3000  # $0.06 × 5
    assert custom.estimate(VideoSettings(off_peak=True)) == 2250
    assert (custom.taken, custom.source) == (table.taken, table.source)
    assert table.rate("720p") == Decimal("0.039")  # the default is untouched
    with pytest.raises(TypeError):
        table.per_second["720p"] = Decimal(1)  # type: ignore[index]


@pytest.mark.parametrize("overrides, bad", [
    ({"720p": "-0.01"}, "720p"), ({"720p": "abc"}, "720p"), ({"720p": "NaN"}, "720p"),
    ({"720p": "Infinity"}, "720p"), ({"720p": True}, "720p"), ({"720p": None}, "720p"),
    ({"720p": "11"}, "720p"), ({"720p": "1" * 40}, "720p"), ({"720p": [1]}, "720p"),
    ({OFF_PEAK_KEY: "0"}, OFF_PEAK_KEY), ({OFF_PEAK_KEY: "1.01"}, OFF_PEAK_KEY),
    ({OFF_PEAK_KEY: "-0.5"}, OFF_PEAK_KEY), ({"4k": "0.1"}, "4k"), ({"rate": 1}, "rate"),
])
def test_bad_overrides_are_named_and_ignored(overrides, bad, caplog):
    assert set(override_problems(overrides)) == {bad}
    assert clean_overrides(overrides) == {}
    assert default_table().with_overrides(overrides) == default_table()


def test_overrides_are_cleaned_for_the_settings_file():
    mixed = {"540p": 0.03, "720p": "0.0400", "1080p": Decimal("5E-2"), OFF_PEAK_KEY: 1, "x": 2}
    assert clean_overrides(mixed) == {"540p": "0.03", "720p": "0.04", "1080p": "0.05",
                                      OFF_PEAK_KEY: "1"}
    assert override_problems({"540p": "0", OFF_PEAK_KEY: "1"}) == {}  # free and no discount are allowed
    table = default_table().with_overrides(mixed)
    assert table.overridden == {"540p", "720p", "1080p", OFF_PEAK_KEY}
    assert table.estimate(VideoSettings(off_peak=True)) == table.estimate(VideoSettings())


@given(st.dictionaries(st.sampled_from([*pricing.OVERRIDE_KEYS, "junk"]),
                       st.one_of(st.text(max_size=40), st.floats(), st.integers(), st.none(),
                                 st.decimals(), st.booleans())))
def test_any_overrides_give_a_usable_table(overrides):
    table = default_table().with_overrides(overrides)
    assert set(table.per_second) == set(RESOLUTIONS)
    assert 0 < table.off_peak_factor <= 1
    for resolution in RESOLUTIONS:
        assert 0 <= table.estimate(VideoSettings(duration=16, resolution=resolution)) <= 16 * 10 * 10_000
    assert clean_overrides(clean_overrides(overrides)) == clean_overrides(overrides)


@pytest.mark.parametrize("mutate", [
    lambda d: d.update(schema=2), lambda d: d.update(currency="EUR"), lambda d: d.pop("per_second"),
    lambda d: d["per_second"].pop("1080p"), lambda d: d["per_second"].update({"720p": "x"}),
    lambda d: d.update(off_peak_factor="2"), lambda d: d.pop("off_peak_factor"),
])
def test_a_broken_table_is_refused(mutate):
    data = json.loads(json.dumps(SHIPPED))
    mutate(data)
    with pytest.raises(PriceTableError):
        parse_table(data)
    with pytest.raises(PriceTableError):
        parse_table([data])


# -- balance ---------------------------------------------------------------------------------------


def test_a_balance_of_123456_units_is_shown_as_12_35():
    balance = Balance.from_json({"availableBalance": "123456", "cashBalance": "100000",
                                 "creditLimit": "0", "pendingCharges": "23456",
                                 "outstandingInvoices": "0", "somethingNew": {"x": 1}})
    assert balance == Balance(123456, 100000, 0, 23456, 0)
    assert balance.shown() == "$12.35"
    assert balance.covers(123456) is True and balance.covers(123457) is False


@pytest.mark.parametrize("raw, units", [
    ("123456", 123456), (123456, 123456), (" 42 ", 42), ("-500", -500), ("12.5", 13), ("0", 0),
    ("", None), ("abc", None), ("NaN", None), ("1e999", None), (True, None), (None, None),
    ([1], None), ({"v": 1}, None), ("9" * 80, None), (10**16, None), (1.5, 2),
    (float("nan"), None), (float("inf"), None),
])
def test_money_units_from_the_server(raw, units):
    assert values.money_units(raw) == units


def test_an_unreadable_balance_is_unknown():
    balance = Balance.from_json({"availableBalance": "lots"})
    assert balance.available is None and balance.shown() == "—" and balance.covers(1) is None
    assert Balance.from_json({}) == Balance()


# -- spending --------------------------------------------------------------------------------------

BERLIN = ZoneInfo("Europe/Berlin")


def at(*args: int, tz=UTC) -> float:
    return datetime(*args, tzinfo=tz).timestamp()


def test_spending_today_this_week_and_this_month():
    now = at(2026, 11, 25, 15, 0)  # a Wednesday
    entries = [
        (at(2026, 11, 25, 9, 0), 100),  # today
        (at(2026, 11, 24, 23, 59), 200),  # Tuesday: this week
        (at(2026, 11, 23, 0, 0), 400),  # Monday 00:00: this week
        (at(2026, 11, 22, 23, 59), 800),  # Sunday: last week, this month
        (at(2026, 11, 1, 0, 0), 1600),  # the first: this month
        (at(2026, 10, 31, 23, 59), 3200),  # last month
        (at(2026, 11, 10), None),  # unknown, this month
        (at(2026, 10, 10), None),  # unknown, last month: not counted
    ]
    summary = SpendingSummary.of(entries, now, UTC)
    assert summary == SpendingSummary(today=100, week=700, month=3100, unknown=1)
    sunday_first = SpendingSummary.of(entries, now, UTC, first_weekday=6)
    assert sunday_first.week == 1500
    assert SpendingSummary.of([], now, UTC) == SpendingSummary()


def test_a_week_that_began_last_month():
    now = at(2026, 12, 2, 12)  # Wednesday; the week began Monday 30 November
    entries = [(at(2026, 11, 30, 8), 100), (at(2026, 12, 1, 8), 200)]
    assert SpendingSummary.of(entries, now, UTC) == SpendingSummary(today=0, week=300, month=200)
    assert SpendingSummary.since(now, UTC) == at(2026, 11, 30)


def test_the_time_zone_decides_what_today_is():
    now = at(2026, 11, 25, 23, 30)  # 00:30 on the 26th in Berlin
    entries = [(at(2026, 11, 25, 22, 0), 100)]  # 23:00 in Berlin on the 25th
    assert SpendingSummary.of(entries, now, UTC).today == 100
    assert SpendingSummary.of(entries, now, BERLIN).today == 0
    plus_14 = timezone(timedelta(hours=14))
    assert SpendingSummary.starts(now, plus_14)[0] == at(2026, 11, 26, tz=plus_14)


def test_days_with_a_clock_change():
    now = at(2026, 3, 29, 12, tz=BERLIN)  # summer time began at 02:00 that day
    day, week, month = SpendingSummary.starts(now, BERLIN)
    assert day == at(2026, 3, 29, tz=BERLIN) == at(2026, 3, 28, 23)
    assert week == at(2026, 3, 23, tz=BERLIN) and month == at(2026, 3, 1, tz=BERLIN)
    local = SpendingSummary.starts(now)  # the machine's own zone: no exception, sane order
    assert local[2] <= local[0] <= now and local[1] <= local[0]


@pytest.mark.parametrize("spent, new, cap, allowed", [
    (0, 1950, None, True), (10**12, 10**12, None, True),
    (0, 0, 0, True), (0, 1, 0, False), (40_000, 10_000, 50_000, True), (40_000, 10_001, 50_000, False),
    (60_000, 0, 50_000, False), (60_000, -5, 50_000, False),
])
def test_monthly_cap(spent, new, cap, allowed):
    assert monthly_cap_allows(spent, new, cap) is allowed
