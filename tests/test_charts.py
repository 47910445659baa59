"""Charts: figures exist, labels follow the language, alt text describes the data."""

from __future__ import annotations

import pandas as pd
import pytest

from polarguide.charts import OKABE_ITO, budget_by_programme, deadlines_per_month
from polarguide.errors import InputError
from polarguide.records import conform


@pytest.fixture
def df():
    rows = []
    # LIFE: 3 deadlines in March 2027, 1 in April; CERV: 1 in March, 2 in January; 1 past
    for i, when in enumerate(["2027-03-02", "2027-03-10", "2027-03-30"]):
        rows.append(
            dict(
                identifier=f"LIFE-{i}",
                programme="LIFE",
                deadlines=[when + "T16:00:00Z"],
                budget_eur=10e6 * (i + 1),
                call_identifier=f"L{i}",
            )
        )
    rows.append(dict(identifier="LIFE-3", programme="LIFE", deadlines=["2027-04-01T15:00:00Z"]))
    rows.append(
        dict(
            identifier="CERV-0",
            programme="CERV",
            deadlines=["2027-01-05T16:00:00Z", "2027-03-05T16:00:00Z"],
            budget_eur=6e6,
        )
    )
    rows.append(dict(identifier="CERV-1", programme="CERV", deadlines=["2027-01-20T16:00:00Z"]))
    rows.append(dict(identifier="OLD", programme="CREA", deadlines=["2026-10-01T16:00:00Z"]))
    return conform(pd.DataFrame(rows))


def test_deadlines_per_month_counts_and_alt_text_en(df):
    chart = deadlines_per_month(df, lang="en", today="2026-11-28", months=12)
    ax = chart.figure.axes[0]
    assert chart.title == "Deadlines per month"
    assert ax.get_ylabel() == "Number of deadlines"
    heights = {}
    for container, name in zip(ax.containers, ["LIFE", "CERV"], strict=True):
        heights[name] = [bar.get_height() for bar in container]
    assert heights["LIFE"][4] == 3  # Nov 2026 is bar 0, March 2027 is bar 4
    assert heights["LIFE"][5] == 1
    assert heights["CERV"][2] == 2 and heights["CERV"][4] == 1
    assert "from November 2026 to October 2027, 7 in total" in chart.alt_text
    assert "Most deadlines fall in March 2027 (4)" in chart.alt_text
    assert "most deadlines is LIFE (4)" in chart.alt_text


def test_deadlines_per_month_finnish_labels_and_palette(df):
    chart = deadlines_per_month(df, lang="fi", today="2026-11-28")
    ax = chart.figure.axes[0]
    assert ax.get_title() == "Määräajat kuukausittain"
    assert "maaliskuussa 2027 (4)" in chart.alt_text
    colours = {tuple(round(c, 3) for c in bar.get_facecolor()[:3]) for bar in ax.patches}
    import matplotlib.colors as mcolors

    allowed = {tuple(round(c, 3) for c in mcolors.to_rgb(h)) for h in OKABE_ITO}
    assert colours <= allowed


def test_other_groups_small_programmes(df):
    chart = deadlines_per_month(df, lang="en", today="2026-11-28", top=1)
    labels = [t.get_text() for t in chart.figure.axes[0].get_legend().get_texts()]
    assert labels == ["LIFE", "other"]


def test_empty_window_still_has_alt_text(df):
    chart = deadlines_per_month(df, lang="en", today="2030-01-01")
    assert "0 in total" in chart.alt_text


def test_budget_by_programme(df):
    chart = budget_by_programme(df, lang="en")
    ax = chart.figure.axes[0]
    assert [t.get_text() for t in ax.get_yticklabels()] == ["CERV", "LIFE"]
    assert [round(b.get_width(), 1) for b in ax.patches] == [6.0, 60.0]
    assert "LIFE has the largest known budget, 60.0 million euros (91% of the total)" in (
        chart.alt_text
    )
    assert "3 records have no known budget" in chart.alt_text
    assert "ohjelmalla LIFE, 60,0 miljoonaa" in budget_by_programme(df, "fi").alt_text


def test_unknown_language(df):
    with pytest.raises(InputError):
        budget_by_programme(df, lang="de")
