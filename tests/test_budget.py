"""Budget arithmetic: own contribution, lump sums and the month-by-month cash flow."""

from __future__ import annotations

import math

import pytest

from polarguide.budget import (
    Split,
    cash_flow,
    labelled,
    largest_gap,
    lump_sum_grant,
    real_costs_grant,
)
from polarguide.errors import InputError


def test_real_costs_grant_pays_the_rate_and_the_rest_is_own_contribution() -> None:
    split = real_costs_grant(20_000, 0.65)
    assert math.isclose(split.grant, 13_000)
    assert math.isclose(split.own, 7_000)
    assert math.isclose(split.grant + split.own, split.total)
    assert math.isclose(split.own_share, 0.35)


def test_real_costs_grant_cap_moves_the_excess_to_own_contribution() -> None:
    split = real_costs_grant(100_000, 0.8, max_grant=50_000)
    assert split == Split(total=100_000.0, grant=50_000.0, own=50_000.0)
    assert real_costs_grant(10_000, 0.8, max_grant=50_000).grant == 8_000


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"total": -1, "funding_rate": 0.5}, "total must be a number ≥ 0"),
        ({"total": 100, "funding_rate": 65}, "funding_rate is a share between 0 and 1"),
        ({"total": "lots", "funding_rate": 0.5}, "total must be a number"),
        ({"total": float("nan"), "funding_rate": 0.5}, "total must be a number ≥ 0"),
        ({"total": 100, "funding_rate": 0.5, "max_grant": -5}, "max_grant"),
    ],
)
def test_real_costs_grant_rejects_bad_input_with_a_clear_message(kwargs, message) -> None:
    with pytest.raises(InputError, match=message):
        real_costs_grant(**kwargs)


def test_lump_sum_does_not_follow_the_costs() -> None:
    planned, over, under = (lump_sum_grant(c, 10_000) for c in (10_000, 12_500, 8_000))
    assert planned.grant == over.grant == under.grant == 10_000
    assert (planned.own, over.own, under.own) == (0, 2_500, -2_000)


def test_cash_flow_advance_in_month_one_rest_after_the_delay() -> None:
    table = cash_flow([1_000, 1_000, 1_000], grant=2_400, advance_share=0.4, payment_delay=2)
    assert table["month"].tolist() == [1, 2, 3, 4, 5]
    assert table["costs"].tolist() == [1_000, 1_000, 1_000, 0, 0]
    assert table["income"].tolist() == pytest.approx([960, 0, 0, 0, 1_440])
    assert table["balance"].tolist() == pytest.approx([-40, -1_040, -2_040, -2_040, -600])
    assert largest_gap(table) == pytest.approx(2_040)


def test_cash_flow_total_income_is_the_grant_and_own_money_shifts_the_balance() -> None:
    costs = [300, 0, 1_200, 450]
    plain = cash_flow(costs, grant=1_500, advance_share=0.3)
    padded = cash_flow(costs, grant=1_500, advance_share=0.3, own_money=500)
    assert plain["income"].sum() == pytest.approx(1_500)
    assert (padded["balance"] - plain["balance"]).tolist() == pytest.approx([500] * len(plain))
    assert plain["balance"].iloc[-1] == pytest.approx(1_500 - sum(costs))
    assert largest_gap(padded) == pytest.approx(max(0, largest_gap(plain) - 500))


def test_cash_flow_full_advance_and_no_delay() -> None:
    table = cash_flow([500, 500], grant=1_000, advance_share=1, payment_delay=0)
    assert table["income"].tolist() == [1_000, 0]
    assert largest_gap(table) == 0


@pytest.mark.parametrize(
    ("args", "kwargs", "message"),
    [
        (([],), {"grant": 10}, "at least one month"),
        (([100],), {"grant": 10, "advance_share": 1.5}, "advance_share is a share"),
        (([100],), {"grant": 10, "payment_delay": -1}, "payment_delay"),
        (([100],), {"grant": 10, "payment_delay": 1.5}, "payment_delay"),
        (([100, -3],), {"grant": 10}, r"costs\[1\]"),
    ],
)
def test_cash_flow_rejects_bad_input(args, kwargs, message) -> None:
    with pytest.raises(InputError, match=message):
        cash_flow(*args, **kwargs)


@pytest.mark.parametrize(("lang", "first"), [("fi", "Kuukausi"), ("en", "Month")])
def test_labelled_headings_follow_the_language(lang: str, first: str) -> None:
    table = labelled(cash_flow([100.4], grant=100), lang)
    assert table.index.name == first
    assert table.index.tolist() == [1, 2, 3]
    assert table.iloc[0, 0] == 100
    with pytest.raises(InputError):
        labelled(cash_flow([1], grant=1), "sv")
