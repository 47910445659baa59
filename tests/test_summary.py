"""Counts, upcoming deadlines, budget totals, plain-language summaries, overview."""

from __future__ import annotations

import pandas as pd
import pytest

from polarguide.errors import InputError
from polarguide.records import conform
from polarguide.summary import (
    budget_totals,
    call_summary,
    counts_by_programme,
    counts_by_status,
    overview,
    upcoming_deadlines,
)

TODAY = "2026-11-28"


@pytest.fixture
def df():
    # real identifiers/titles/budgets (snapshot 2026-08-22); deadlines moved after today
    return conform(
        pd.DataFrame(
            [
                dict(
                    identifier="LIFE-2026-SAP-NAT-NATURE",
                    call_identifier="LIFE-2026-SAP-NAT",
                    title="Nature and Biodiversity",
                    programme="LIFE",
                    status="open",
                    budget_eur=173_500_000,
                    deadlines=["2026-12-10T16:00:00Z"],
                    kind="call",
                ),
                dict(
                    identifier="LIFE-2026-SAP-NAT-GOV",
                    call_identifier="LIFE-2026-SAP-NAT",
                    title="Nature Governance and Information",
                    programme="LIFE",
                    status="open",
                    budget_eur=173_500_000,
                    deadlines=["2027-01-20T16:00:00Z"],
                    kind="call",
                ),
                dict(
                    identifier="LIFE-2026-SAP-CLIMA-CCA",
                    call_identifier="LIFE-2026-SAP-CLIMA",
                    title="Climate Change Adaptation",
                    programme="LIFE",
                    status="forthcoming",
                    budget_eur=28_000_000,
                    deadlines=["2027-06-01T15:00:00Z"],
                    kind="call",
                ),
                dict(
                    identifier="CERV-2026-CITIZENS-TOWN-TT",
                    title="Call Town Twinning 2026",
                    programme="CERV",
                    status="open",
                    budget_eur=6_000_000,
                    max_grant_eur=60_000,
                    deadlines=["2026-12-01T16:00:00Z"],
                    kind="call",
                    url="https://ec.europa.eu/x",
                ),
                dict(
                    identifier="CREA-CULT-2026-PERFORM-EU",
                    title="Perform EU",
                    programme="CREA",
                    status="closed",
                    deadlines=["2026-10-22T23:59:00Z"],
                    kind="call",
                ),
            ]
        )
    )


def test_counts_by_programme_and_status(df):
    assert counts_by_programme(df).values.tolist() == [["LIFE", 3], ["CERV", 1], ["CREA", 1]]
    assert counts_by_status(df).values.tolist() == [
        ["open", 3],
        ["forthcoming", 1],
        ["closed", 1],
    ]


def test_upcoming_deadlines_window(df):
    soon = upcoming_deadlines(df, days=60, today=TODAY)
    assert soon["identifier"].tolist() == [
        "CERV-2026-CITIZENS-TOWN-TT",
        "LIFE-2026-SAP-NAT-NATURE",
        "LIFE-2026-SAP-NAT-GOV",
    ]
    assert soon["days_left"].tolist() == [3, 12, 53]


def test_budget_totals_count_a_shared_call_budget_once(df):
    totals = budget_totals(df).set_index("programme")
    assert totals.loc["LIFE", "budget_eur"] == 173_500_000 + 28_000_000
    assert totals.loc["LIFE", "known"] == 2
    assert totals.loc["CREA", "unknown"] == 1
    assert totals.loc["CREA", "budget_eur"] == 0


def test_call_summary_finnish_and_english(df):
    row = df.iloc[3]
    fi = call_summary(row, "fi", today=TODAY)
    assert "Ohjelma: CERV. Tila: avoinna." in fi
    assert "Määräaika: 1.12.2026 klo 18.00 (3 päivää jäljellä)." in fi
    assert "Budjetti: 6 000 000 €. Avustuksen koko: 60 000 €." in fi
    assert fi.endswith("Lisätietoa: https://ec.europa.eu/x")
    en = call_summary(row, "en", today=TODAY)
    assert "Deadline: 1 December 2026, 18:00 Helsinki time (3 days left)." in en
    assert "Grant size: €60,000" in en
    closed = call_summary(df.iloc[4], "en", today=TODAY)
    assert "All deadlines have passed." in closed
    with pytest.raises(InputError):
        call_summary(row, "sv")


def test_overview_numbers(df):
    facts = overview(df, today=TODAY, lang="en")
    assert facts["records"] == 5
    assert facts["by_status"] == {"open": 3, "forthcoming": 1, "closed": 1}
    assert facts["deadlines_30"] == 2
    assert facts["deadlines_60"] == 3
    assert facts["deadlines_90"] == 3
    assert facts["next_deadline"] == {
        "identifier": "CERV-2026-CITIZENS-TOWN-TT",
        "title": "Call Town Twinning 2026",
        "date": "2026-12-01",
        "days_left": 3,
    }
    assert facts["budget_known_eur"] == 173_500_000 + 28_000_000 + 6_000_000
    assert facts["budget_unknown"] == 1
    assert overview(df, today=TODAY, lang="fi")["by_status"]["avoinna"] == 3


def test_call_summary_of_an_upcoming_deadlines_row_names_its_deadline():
    """upcoming_deadlines() rows carry next_deadline, not the deadlines list."""
    frame = conform(
        pd.DataFrame(
            {
                "identifier": ["A"],
                "title": ["Nature"],
                "programme": ["LIFE"],
                "status": ["open"],
                "kind": ["call"],
                "deadlines": [["2026-12-10T16:00:00Z"]],
            }
        )
    )
    row = upcoming_deadlines(frame, 30, "2026-11-28").iloc[0]
    text = call_summary(row.drop(labels=["deadlines"], errors="ignore"), "en", today="2026-11-28")
    assert "10 December 2026" in text and "12 days left" in text
