"""Hostile review of today's changes: pure parts (each test fails today, marked xfail strict)."""

from __future__ import annotations

import pytest

from vidu_desktop.core.pricing import format_usd


@pytest.mark.xfail(strict=True, reason="format_usd(unit_price=True) shows a rounded-up price with three decimals: "
                                       "'$0.200' for 1995 units, '$10.000' for 99995")
def test_a_unit_price_that_rounds_to_whole_cents_is_shown_in_cents():
    assert format_usd(1995, unit_price=True) == "$0.20"
    assert format_usd(99_995, unit_price=True) == "$10.00"
    assert format_usd(-1999, unit_price=True) == "-$0.20"
