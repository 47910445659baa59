"""Search: Finnish queries on English calls, filters, the polar profile, errors, caching.

Titles, identifiers, programmes and types of action are real (snapshot 2026-08-22 and
2026-03-13 captures); deadlines are moved after 2026-11-28 so the filters have
something to do. The glossary is a tiny hand-made one passed in explicitly.
"""

from __future__ import annotations

import importlib
from types import SimpleNamespace

import pandas as pd
import pytest

from polarguide.errors import InputError
from polarguide.records import conform
from polarguide.search import IndexCache, search

# the module itself (``polarguide.search``, the attribute, is the function)
search_module = importlib.import_module("polarguide.search")

TODAY = "2026-11-28"


def term(fi, en, fi_synonyms=(), en_synonyms=(), topic="test"):
    return SimpleNamespace(
        id=fi,
        fi=fi,
        en=en,
        fi_synonyms=list(fi_synonyms),
        en_synonyms=list(en_synonyms),
        topic=topic,
        definition_fi="",
        definition_en="",
    )


GLOSSARY = [
    term("nuoret", "youth", ["nuoriso"], ["young people"]),
    term("ilmasto", "climate"),
    term("muutos", "change"),
    term("vaihto", "exchange"),
    term("luonto", "nature"),
    term("luonnon monimuotoisuus", "biodiversity"),
    term("kulttuuri", "culture"),
    term("ystävyyskaupunki", "town twinning"),
]


def records():
    rows = [
        dict(
            identifier="HORIZON-CL2-2027-01-TRANSFO-06",
            title="Closing the learning gap: uncovering causes and effective policy "
            "interventions for declining youth skills in mathematics, reading, and science",
            programme="HORIZON",
            type_of_action="HORIZON Research and Innovation Actions",
            status="forthcoming",
            deadlines=["2027-09-23T00:00:00Z"],
            max_grant_eur=4_000_000,
            budget_eur=12_000_000,
        ),
        dict(
            identifier="LIFE-2026-SAP-NAT-NATURE",
            call_identifier="LIFE-2026-SAP-NAT",
            title="Nature and Biodiversity",
            call_title="Nature & Biodiversity - Standard Action Projects (SAP)",
            programme="LIFE",
            type_of_action="LIFE Project Grants",
            status="open",
            deadlines=["2027-01-21T16:00:00Z"],
            budget_eur=173_500_000,
        ),
        dict(
            identifier="LIFE-2026-SAP-CLIMA-CCA",
            call_identifier="LIFE-2026-SAP-CLIMA",
            title="Climate Change Adaptation",
            call_title="LIFE Climate Action - Standard Action Projects (SAP)",
            programme="LIFE",
            type_of_action="LIFE Project Grants",
            status="open",
            deadlines=["2026-12-10T16:00:00Z"],
            budget_eur=28_000_000,
        ),
        dict(
            identifier="CERV-2026-CITIZENS-TOWN-TT",
            title="Call Town Twinning 2026",
            call_title="Call for proposals for Town Twinning",
            programme="CERV",
            type_of_action="CERV Lump Sum Grants",
            status="open",
            deadlines=["2027-03-05T16:00:00Z"],
            budget_eur=6_000_000,
        ),
        dict(
            identifier="ESC-HUMAID-2026-VOLUN",
            title="Volunteering in support of humanitarian aid operations",
            programme="ESC",
            type_of_action="ESC Humanitarian Aid Voluntering Unit Grants",
            status="forthcoming",
            deadlines=["2027-04-23T15:00:00Z"],
            summary="Young people volunteering in humanitarian aid operations.",
        ),
        dict(
            identifier="erasmus-youth-exchanges-ka152",
            title="Youth exchanges",
            programme="ERASMUS",
            status="recurring",
            kind="programme",
            deadlines=["2027-02-19T11:00:00Z", "2027-10-01T10:00:00Z"],
        ),
        dict(
            identifier="CREA-CULT-2026-PERFORM-EU",
            title="Perform EU",
            call_title="Open Call of Perform Europe 2026 – 2028",
            programme="CREA",
            status="closed",
            deadlines=["2026-10-22T23:59:00Z"],
        ),
    ]
    for row in rows:
        row.setdefault("kind", "call")
        row.setdefault("language", "en")
        row.setdefault("retrieved_at", "2026-08-22T05:41:38Z")
    return conform(pd.DataFrame(rows))


@pytest.fixture
def df():
    return records()


def run(df, query="", **kw):
    kw.setdefault("today", TODAY)
    kw.setdefault("glossary", GLOSSARY)
    return search(df, query, **kw)


def ids(frame):
    return frame["identifier"].tolist()


# ---------------------------------------------------------------- Finnish -> English


def test_inflected_finnish_word_finds_english_youth_calls_and_says_why(df):
    found = run(df, "nuorille")
    assert set(ids(found)) == {
        "HORIZON-CL2-2027-01-TRANSFO-06",
        "ESC-HUMAID-2026-VOLUN",
        "erasmus-youth-exchanges-ka152",
    }
    # "Youth" in a two-word title beats "youth" inside a long title or "young" in a summary
    assert ids(found)[0] == "erasmus-youth-exchanges-ka152"
    assert found.loc[0, "why"] == "nuorille→youth"
    assert "nuorille→young people" in found["why"].tolist()


def test_compound_is_split_with_the_glossary(df):
    found = run(df, "ilmastonmuutos")
    assert ids(found)[0] == "LIFE-2026-SAP-CLIMA-CCA"
    assert "ilmasto + muutos→climate + change" in found.loc[0, "why"]  # the parts, honestly


def test_compound_youth_exchange_ranks_the_exchange_first(df):
    found = run(df, "nuorisovaihto")
    assert ids(found)[0] == "erasmus-youth-exchanges-ka152"
    assert "youth + exchange" in found.loc[0, "why"]
    assert "HORIZON-CL2-2027-01-TRANSFO-06" in ids(found)  # youth alone still counts


def test_multiword_finnish_term_is_matched_as_a_phrase(df):
    found = run(df, "luonnon monimuotoisuus")
    assert ids(found) == ["LIFE-2026-SAP-NAT-NATURE"]
    assert found.loc[0, "why"] == "luonnon monimuotoisuus→biodiversity"


def test_gradated_finnish_form_matches_glossary_headword(df):
    # "luonnon" (genitive, nt→nn) must still find the headword "luonto" -> nature
    found = run(df, "luonnon")
    assert ids(found)[0] == "LIFE-2026-SAP-NAT-NATURE"
    assert "luonnon→nature" in found.loc[0, "why"]


def test_english_query_works_without_translation(df):
    found = run(df, "climate adaptation")
    assert ids(found)[0] == "LIFE-2026-SAP-CLIMA-CCA"
    assert found.loc[0, "why"] == "climate, adaptation"


def test_unmatched_query_returns_empty_frame_with_columns(df):
    found = run(df, "kvanttitietokone")
    assert len(found) == 0
    assert {"score", "why", "days_left"} <= set(found.columns)


def test_scores_descend(df):
    found = run(df, "nuoret luonto")
    assert found["score"].is_monotonic_decreasing
    assert (found["score"] > 0).all()


# ---------------------------------------------------------------- filters


def test_empty_query_returns_all_sorted_by_next_deadline(df):
    found = run(df)
    assert len(found) == len(df)
    left = found["days_left"].dropna().tolist()
    assert left == sorted(left)
    # the closed CREA call has no deadline after today: it comes last with no days_left
    assert ids(found)[-1] == "CREA-CULT-2026-PERFORM-EU"
    assert pd.isna(found["next_deadline"].iloc[-1])


def test_next_deadline_and_days_left_are_relative_to_today(df):
    found = run(df, today="2027-03-01")
    row = found.set_index("identifier").loc["erasmus-youth-exchanges-ka152"]
    assert row["next_deadline"] == pd.Timestamp("2027-10-01T10:00:00Z")
    assert row["days_left"] == 214
    early = run(df, today=TODAY).set_index("identifier").loc["erasmus-youth-exchanges-ka152"]
    assert early["next_deadline"] == pd.Timestamp("2027-02-19T11:00:00Z")


def test_days_left_counts_helsinki_days(df):
    # 2026-12-10 16:00 UTC is 18:00 in Helsinki on the 10th: 12 days after 2026-11-28
    found = run(df, "climate")
    assert found.set_index("identifier").loc["LIFE-2026-SAP-CLIMA-CCA", "days_left"] == 12


def test_status_filter_one_or_many(df):
    assert set(run(df, status="open")["status"]) == {"open"}
    both = run(df, status=["open", "forthcoming"])
    assert set(both["status"]) == {"open", "forthcoming"}
    assert len(both) == 5


def test_programme_filter_is_case_insensitive(df):
    assert set(run(df, programmes=["life"])["programme"]) == {"LIFE"}
    assert len(run(df, programmes=["LIFE", "CERV"])) == 3


def test_within_days_excludes_past_and_far(df):
    found = run(df, within_days=60)
    assert ids(found) == ["LIFE-2026-SAP-CLIMA-CCA", "LIFE-2026-SAP-NAT-NATURE"]
    assert run(df, within_days=0).empty


def test_kind_filter(df):
    assert ids(run(df, kind="programmes")) == ["erasmus-youth-exchanges-ka152"]
    assert "erasmus-youth-exchanges-ka152" not in ids(run(df, kind="calls"))
    assert len(run(df, kind="all")) == len(df)


def test_limit(df):
    assert len(run(df, limit=2)) == 2


def test_filters_combine_with_query(df):
    found = run(df, "nuoret", kind="calls", status="forthcoming")
    assert set(ids(found)) == {"HORIZON-CL2-2027-01-TRANSFO-06", "ESC-HUMAID-2026-VOLUN"}


# ---------------------------------------------------------------- errors


def test_unknown_programme_suggests_close_matches(df):
    with pytest.raises(InputError, match=r"did you mean LIFE\?"):
        run(df, programmes=["LIEF"])


def test_unknown_status_kind_profile_lang_raise_input_error(df):
    with pytest.raises(InputError, match="unknown status"):
        run(df, status="avoinna")
    with pytest.raises(InputError, match="unknown kind"):
        run(df, kind="topics")
    with pytest.raises(InputError, match="did you mean polar"):
        run(df, "nuoret", profile="polra")
    with pytest.raises(InputError, match="unknown language"):
        run(df, lang="sv")
    with pytest.raises(InputError, match="within_days"):
        run(df, within_days=-1)
    with pytest.raises(InputError, match="bad date"):
        run(df, today="28.11.2026")


# ---------------------------------------------------------------- polar profile


def test_polar_profile_changes_ranking_and_says_so(df):
    plain = run(df, "call")
    # "Call" is in the town-twinning title (weighted high); youth/climate calls lose
    assert ids(plain)[0] == "CERV-2026-CITIZENS-TOWN-TT"
    boosted = run(df, "2026", profile="polar", lang="en")
    without = run(df, "2026", lang="en")
    assert ids(boosted) != ids(without)
    climate = boosted.set_index("identifier").loc["LIFE-2026-SAP-CLIMA-CCA"]
    assert "polar: climate" in climate["why"]
    twinning = boosted.set_index("identifier").loc["CERV-2026-CITIZENS-TOWN-TT"]
    # a lump sum says how a grant is paid, not its size: no "small grants" without an amount
    assert "small grants" not in twinning["why"]


def test_polar_profile_alone_ranks_regional_topics_first(df):
    found = run(df, profile="polar", lang="fi")
    first = found.iloc[0]
    assert "polar:" in first["why"]
    assert found["score"].is_monotonic_decreasing
    horizon = found.set_index("identifier").loc["HORIZON-CL2-2027-01-TRANSFO-06"]
    assert "nuoret" in horizon["why"]
    assert "pienet avustukset" not in horizon["why"]  # 4 M€ grants are not small


# ---------------------------------------------------------------- caching


def test_repeated_searches_reuse_the_index(df, monkeypatch):
    cache = IndexCache()
    monkeypatch.setattr(search_module, "_INDEXES", cache)
    run(df, "nuoret")
    run(df, "ilmasto", status="open")
    assert cache.builds == 1
    run(records(), "nuoret")  # an equal copy: the same content, the same index
    assert cache.builds == 1
    other = records()
    other.loc[0, "title"] = "Something else entirely"  # changed in place: rebuilt
    run(other, "nuoret")
    assert cache.builds == 2
    other.loc[0, "title"] = "Youth again"
    assert ids(run(other, "youth"))[0] == "HORIZON-CL2-2027-01-TRANSFO-06"
    assert cache.builds == 3
    run(other.head(3), "nuoret")  # fewer records: another index
    assert cache.builds == 4


def test_show_prints_the_description_and_key_facts(capsys):
    """Issue 11: `show ID` printed no description, even for catalogue programmes."""
    from polarguide.cli import main

    assert main(["--today", "2026-08-22", "--lang", "fi", "show", "kolarctic-status"]) == 0
    out = capsys.readouterr().out
    assert "Tila: suljettu" in out
    assert "ei enää rahoita hankkeita" in out  # the catalogue description
    assert "Avainsanat:" in out


def test_a_named_programme_is_found_whatever_its_status():
    from polarguide.catalogue import catalogue_records

    programmes = catalogue_records("fi")
    found = search(programmes, "Kolarctic", status=["open", "recurring"], today=TODAY)
    assert found["identifier"].tolist()[:1] == ["kolarctic-status"]
    assert found.loc[0, "status"] == "closed"  # shown with its status
    hidden = search(programmes, "rajat ylittävä", status=["open", "recurring"], today=TODAY)
    assert "kolarctic-status" not in hidden["identifier"].tolist()  # not named: filtered


def test_small_grants_follow_the_amount_not_the_lump_sum():
    frame = conform(
        pd.DataFrame(
            {
                "identifier": ["SMALL", "BIG", "UNKNOWN"],
                "title": ["Youth", "Youth", "Youth"],
                "max_grant_eur": [60_000, 4_000_000, None],
                "type_of_action": ["Lump Sum Grants"] * 3,
            }
        )
    )
    found = search(frame, "youth", profile="polar", lang="en", glossary=[], today=TODAY)
    notes = dict(zip(found["identifier"], found["why"], strict=True))
    assert "small grants" in notes["SMALL"]
    assert "small grants" not in notes["BIG"] and "small grants" not in notes["UNKNOWN"]


def test_polar_profile_puts_a_deadline_next_week_above_one_next_year():
    frame = conform(
        pd.DataFrame(
            {
                "identifier": ["LATER", "SOON"],
                "title": ["Youth climate youth", "Youth climate"],  # LATER: a bit more text
                "deadlines": [["2027-10-01"], ["2026-12-03"]],
                "status": ["open", "open"],
            }
        )
    )
    plain = search(frame, "youth", lang="en", glossary=[], today=TODAY)
    assert plain["identifier"].tolist() == ["LATER", "SOON"]  # by the words alone
    found = search(frame, "youth", profile="polar", lang="en", glossary=[], today=TODAY)
    assert found["identifier"].tolist() == ["SOON", "LATER"]
    assert "closes in 5 days" in found.loc[0, "why"]
    assert "closes in" not in found.loc[1, "why"]


def test_sami_finds_sami_with_accents_and_back():
    frame = conform(
        pd.DataFrame({"identifier": ["A", "B"], "title": ["Sámi youth culture", "Soil health"]})
    )
    assert search(frame, "Sami", glossary=[], today=TODAY)["identifier"].tolist() == ["A"]
    assert search(frame, "SÁMI", glossary=[], today=TODAY)["identifier"].tolist() == ["A"]
