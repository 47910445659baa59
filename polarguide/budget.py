"""Project budget arithmetic: who pays what, and the cash month by month.

Pure functions over plain numbers. No programme's rules live here: funding rates,
lump sums and payment rules are sourced facts in ``data/catalogue.yaml``
(:meth:`polarguide.catalogue.Catalogue.fact`); pass the numbers in yourself.

- :func:`real_costs_grant` – the grant is a share of the costs (``funding_rate``),
  perhaps capped; the rest is the own contribution (omarahoitus).
- :func:`lump_sum_grant` – the grant is a fixed sum whatever the costs turn out to be.
- :func:`cash_flow` – costs are paid as they come, the grant arrives as an advance
  and a final payment after the project: how much money is in the bank each month?
- :func:`largest_gap` – the most money you must bridge from elsewhere at any moment.
- :func:`number_in` – the one number in a sourced fact's text ("yleensä 80 % …" → 80).
- :func:`volunteer_hours` – how many hours of voluntary work (talkootyö) make up an amount.

>>> split = real_costs_grant(10_000, 0.7)
>>> split.grant, split.own
(7000.0, 3000.0)
>>> table = cash_flow([2_000, 3_000], grant=4_000, advance_share=0.5, payment_delay=1)
>>> table["balance"].tolist()
[0.0, -3000.0, -1000.0]
>>> largest_gap(table)
3000.0
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .errors import InputError
from .i18n import check_lang

if TYPE_CHECKING:
    import pandas as pd

#: Columns of :func:`cash_flow`, with their Finnish and English headings.
COLUMN_LABELS: dict[str, tuple[str, str]] = {
    "month": ("Kuukausi", "Month"),
    "costs": ("Kulut", "Costs"),
    "income": ("Tuki saapuu", "Grant received"),
    "balance": ("Kassa kuun lopussa", "Cash at month end"),
}


@dataclass(frozen=True)
class Split:
    """How a project's ``total`` costs are paid: the ``grant`` and the ``own`` contribution.

    ``own`` is negative when a lump sum is larger than the real costs.

    >>> Split(total=1000.0, grant=800.0, own=200.0).own_share
    0.2
    """

    total: float
    grant: float
    own: float

    @property
    def own_share(self) -> float:
        """The own contribution as a share of the total costs (0 when there are no costs).

        >>> Split(total=0.0, grant=0.0, own=0.0).own_share
        0.0
        """
        return self.own / self.total if self.total else 0.0


def _amount(value: float, what: str) -> float:
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise InputError(f"{what} must be a number, got {value!r}") from None
    if math.isnan(number) or math.isinf(number) or number < 0:
        raise InputError(f"{what} must be a number ≥ 0, got {value!r}")
    return number


def _share(value: float, what: str) -> float:
    number = _amount(value, what)
    if number > 1:
        raise InputError(f"{what} is a share between 0 and 1 (0.7 = 70 %), got {value!r}")
    return number


def real_costs_grant(total: float, funding_rate: float, *, max_grant: float | None = None) -> Split:
    """The grant when a programme pays ``funding_rate`` of the costs (at most ``max_grant``).

    ``funding_rate`` is a share: ``0.8`` means 80 %. What the grant does not cover is
    the own contribution.

    >>> real_costs_grant(50_000, 0.8)
    Split(total=50000.0, grant=40000.0, own=10000.0)
    >>> real_costs_grant(50_000, 0.8, max_grant=30_000).own_share
    0.4
    >>> real_costs_grant(50_000, 80)
    Traceback (most recent call last):
    ...
    polarguide.errors.InputError: funding_rate is a share between 0 and 1 (0.7 = 70 %), got 80
    """
    total = _amount(total, "total")
    rate = _share(funding_rate, "funding_rate")
    grant = total * rate
    if max_grant is not None:
        grant = min(grant, _amount(max_grant, "max_grant"))
    return Split(total=total, grant=grant, own=total - grant)


def lump_sum_grant(total: float, lump_sum: float) -> Split:
    """The split when a programme pays a fixed ``lump_sum`` and the costs come to ``total``.

    The sum does not follow the costs: if they grow, the own share grows too.

    >>> lump_sum_grant(12_000, 10_000)
    Split(total=12000.0, grant=10000.0, own=2000.0)
    >>> lump_sum_grant(9_000, 10_000).own
    -1000.0
    """
    return Split(
        total=_amount(total, "total"),
        grant=_amount(lump_sum, "lump_sum"),
        own=_amount(total, "total") - _amount(lump_sum, "lump_sum"),
    )


def cash_flow(
    costs: Sequence[float],
    grant: float,
    *,
    advance_share: float = 0.0,
    payment_delay: int = 2,
    own_money: float = 0.0,
) -> pd.DataFrame:
    """Month by month: the costs, the grant received and the cash at the end of the month.

    ``costs[i]`` is paid in month ``i + 1``. The advance (``advance_share`` of
    ``grant``) arrives in month 1; the rest arrives ``payment_delay`` months after the
    last month of costs (after the final report and payment claim). ``own_money`` is
    the cash you have at the start. Columns: ``month`` (1, 2, …), ``costs``, ``income``,
    ``balance``. A negative balance is money you must find elsewhere for that month.

    >>> cash_flow([100, 100], grant=150, advance_share=0.2, payment_delay=1).values.tolist()
    [[1.0, 100.0, 30.0, -70.0], [2.0, 100.0, 0.0, -170.0], [3.0, 0.0, 120.0, -50.0]]
    >>> cash_flow([], grant=100)
    Traceback (most recent call last):
    ...
    polarguide.errors.InputError: costs must list at least one month
    """
    import pandas as pd

    monthly = [_amount(c, f"costs[{i}]") for i, c in enumerate(costs)]
    if not monthly:
        raise InputError("costs must list at least one month")
    total_grant = _amount(grant, "grant")
    advance = total_grant * _share(advance_share, "advance_share")
    if not isinstance(payment_delay, int) or isinstance(payment_delay, bool) or payment_delay < 0:
        raise InputError(
            f"payment_delay must be a whole number of months ≥ 0, got {payment_delay!r}"
        )
    start = float(own_money)
    months = len(monthly) + payment_delay
    monthly += [0.0] * payment_delay
    income = [0.0] * months
    income[0] += advance
    income[months - 1] += total_grant - advance
    balance, running = [], start
    for cost, received in zip(monthly, income, strict=True):
        running += received - cost
        balance.append(running)
    return pd.DataFrame(
        {
            "month": list(range(1, months + 1)),
            "costs": monthly,
            "income": income,
            "balance": balance,
        }
    )


def largest_gap(table: pd.DataFrame) -> float:
    """The most money missing at the end of any month of a :func:`cash_flow` table (≥ 0).

    >>> import pandas as pd
    >>> largest_gap(pd.DataFrame({"balance": [-70.0, -170.0, -50.0]}))
    170.0
    >>> largest_gap(pd.DataFrame({"balance": [10.0]}))
    0.0
    """
    lowest = float(table["balance"].min()) if len(table) else 0.0
    return max(0.0, -lowest)


def number_in(text: str) -> float:
    """The one number written in ``text`` (a fact value such as ``"yleensä 80 %"`` or
    ``"1 279 202 euroa"``); :class:`~polarguide.errors.InputError` if it has none or several.

    Spaces between digit groups and a decimal comma are read the Finnish way.

    >>> number_in("yleensä 80 % kokonaiskustannuksista"), number_in("EUR 1.98 million")
    (80.0, 1.98)
    >>> number_in("1 279 202 euroa"), number_in("1,5 %")
    (1279202.0, 1.5)
    >>> number_in("80 % tai 100 %")
    Traceback (most recent call last):
    ...
    polarguide.errors.InputError: expected one number in '80 % tai 100 %', found 2
    """
    import re

    found = re.findall(r"\d{1,3}(?:[ \u00a0\u202f]\d{3})+(?![\d,.])|\d+(?:[.,]\d+)?", text)
    if len(found) != 1:
        raise InputError(f"expected one number in {text!r}, found {len(found)}")
    digits = re.sub(r"[ \u00a0\u202f]", "", found[0]).replace(",", ".")
    return float(digits)


def volunteer_hours(amount: float, hour_value: float) -> int:
    """The whole hours of voluntary work worth at least ``amount`` at ``hour_value`` an hour.

    >>> volunteer_hours(2_000, 20), volunteer_hours(2_010, 20)
    (100, 101)
    >>> volunteer_hours(100, 0)
    Traceback (most recent call last):
    ...
    polarguide.errors.InputError: hour_value must be more than 0, got 0
    """
    amount = _amount(amount, "amount")
    if not _amount(hour_value, "hour_value"):
        raise InputError(f"hour_value must be more than 0, got {hour_value!r}")
    return math.ceil(round(amount / float(hour_value), 9))


def labelled(table: pd.DataFrame, lang: str = "fi") -> pd.DataFrame:
    """A copy of a :func:`cash_flow` table for reading: headings in ``lang``, whole
    amounts, and the month as the row label (so a phone shows no extra column).

    >>> shown = labelled(cash_flow([100], grant=100), "en")
    >>> shown.index.name, list(shown.columns)
    ('Month', ['Costs', 'Grant received', 'Cash at month end'])
    """
    index = 0 if check_lang(lang) == "fi" else 1
    names = {key: pair[index] for key, pair in COLUMN_LABELS.items()}
    return table.round(0).astype("int64").rename(columns=names).set_index(names["month"])
