"""Expected rounds: the recurring pattern in the catalogue, the next expected round the library
computes from it, and how show, search, describe, the calendar and the open-calls page say it
(an expected round is a window, never a confirmed deadline)."""

from __future__ import annotations

import copy
import datetime as dt
import re

import pandas as pd
import pytest

import polarguide as pg
from polarguide.catalogue import catalogue_records, load_catalogue, parse_catalogue
from polarguide.cli import main
from polarguide.errors import DataError
from polarguide.export import to_ics
from polarguide.rounds import (
    Pattern,
    Series,
    catalogue_expected,
    expected_in,
    next_expected,
    series_expected,
)

import callspage  # book/_ext (on the path through pyproject.toml)

TODAY = dt.date(2026, 12, 5)
#: Recurring programmes our readers need, whose next round the guide must be able to expect.
RECURRING = [
    "erasmus-youth-exchanges-ka152",
    "erasmus-youth-worker-mobility-ka153",
    "erasmus-small-scale-partnerships-ka210-you",
    "erasmus-school-mobility-ka122-sch",
    "esc-solidarity-projects",
    "norden-0-30",
    "nordplus",
    "discovereu",
    "ncm-arctic-cooperation-programme",
]


@pytest.fixture(scope="module")
def cat():
    return load_catalogue()


def written_in(day: dt.date, fact) -> bool:
    """The day is written in the fact's value: ``12.2.2026`` (fi) or ``12 February 2026``
    (en), also inside a span such as ``11.1.–11.2.2021`` or ``7 April 2022 at noon``."""
    fi = re.search(rf"(?<![\d.]){day.day}\.{day.month}\.{day.year}(?!\d)", fact.value_fi)
    en = f"{day.day} {day:%B} {day.year}" in fact.value_en
    return bool(fi) or en


# ------------------------------------------------------------------- the data


def test_at_least_six_programmes_our_readers_need_record_their_rounds(cat):
    with_rounds = [e.id for e in cat.entries if e.rounds]
    assert set(RECURRING) <= set(with_rounds)
    assert len(with_rounds) >= 6


def test_every_past_round_is_written_in_its_sourced_fact(cat):
    checked = 0
    for entry in cat.entries:
        for series in entry.rounds.series if entry.rounds else ():
            assert series.is_pattern, (entry.id, series.key)
            for day, ref in zip(series.deadlines, series.facts, strict=True):
                fact = cat.fact(ref)
                assert fact.source_url.startswith("http"), ref
                assert written_in(day, fact), (entry.id, day, ref)
                checked += 1
            if series.every_year:
                rule = cat.fact(series.every_year_fact)
                month, day_of_month = series.every_year
                assert f"{day_of_month} {dt.date(2000, month, 1):%B}" in rule.value_en
    assert checked >= 20


def test_every_pattern_says_where_to_confirm(cat):
    for entry in cat.entries:
        if entry.rounds:
            assert entry.rounds.confirm["fi"] and entry.rounds.confirm["en"], entry.id
            assert entry.rounds.confirm_url.startswith("https://"), entry.id


def _doc_with(cat_path_doc: dict, rounds: dict) -> dict:
    doc = copy.deepcopy(cat_path_doc)
    doc["programmes"][0]["rounds"] = rounds
    return doc


@pytest.fixture(scope="module")
def raw_doc() -> dict:
    import yaml

    from polarguide.catalogue import DEFAULT_PATH

    return yaml.safe_load(DEFAULT_PATH.read_text(encoding="utf-8"))


def _series(deadlines: list[dict], **extra) -> dict:
    return {
        "confirm": {"fi": "Kysy OPH:lta.", "en": "Ask OPH."},
        "confirm_url": "https://www.oph.fi/",
        "series": [{"key": "k", "name": {"fi": "a", "en": "b"}, "deadlines": deadlines, **extra}],
    }


def test_one_year_is_no_pattern_and_is_refused(raw_doc):
    key = next(iter(raw_doc["programmes"][0]["facts"]))
    doc = _doc_with(raw_doc, _series([{"date": dt.date(2025, 2, 12), "fact": key}]))
    with pytest.raises(DataError, match="two different years"):
        parse_catalogue(doc)


def test_a_round_without_a_known_fact_is_refused(raw_doc):
    rounds = _series(
        [{"date": dt.date(2024, 2, 1), "fact": "no_such_fact"},
         {"date": dt.date(2025, 2, 1), "fact": "no_such_fact"}]
    )  # fmt: skip
    with pytest.raises(DataError, match="no_such_fact"):
        parse_catalogue(_doc_with(raw_doc, rounds))
    for item in rounds["series"][0]["deadlines"]:
        item["fact"] = "other-entry.nope"
    with pytest.raises(DataError, match=r"other-entry\.nope"):
        parse_catalogue(_doc_with(raw_doc, rounds))


def test_where_to_confirm_is_required(raw_doc):
    key = next(iter(raw_doc["programmes"][0]["facts"]))
    rounds = _series(
        [{"date": dt.date(2024, 2, 1), "fact": key}, {"date": dt.date(2025, 2, 1), "fact": key}]
    )
    del rounds["confirm"]
    with pytest.raises(DataError, match="confirm"):
        parse_catalogue(_doc_with(raw_doc, rounds))


# ------------------------------------------------------------ the computation


def test_window_spans_the_recent_rounds_moved_to_the_next_year():
    s = Series("r1", {}, (dt.date(2024, 2, 20), dt.date(2025, 2, 12), dt.date(2026, 2, 12)))
    exp = series_expected(s, TODAY)
    assert (exp.start, exp.end, exp.around) == (
        dt.date(2027, 2, 12), dt.date(2027, 2, 20), dt.date(2027, 2, 12))  # fmt: skip
    assert exp.basis == s.deadlines


def test_a_confirmed_deadline_is_never_replaced_by_an_expectation():
    s = Series("r1", {}, (dt.date(2025, 2, 12), dt.date(2026, 2, 12)))
    assert series_expected(s, dt.date(2026, 2, 12)) is None  # the deadline day itself
    assert series_expected(s, dt.date(2026, 2, 13)).around == dt.date(2027, 2, 12)
    # a confirmed next deadline on the entry wins over the pattern
    assert next_expected(Pattern((s,)), TODAY, confirmed_next=dt.date(2027, 1, 15)) is None


def test_only_the_last_three_rounds_count_and_leap_days_move():
    s = Series("x", {}, (dt.date(2010, 6, 1), dt.date(2023, 2, 9), dt.date(2024, 2, 29),
                         dt.date(2025, 2, 11)))  # fmt: skip
    exp = series_expected(s, TODAY)
    assert (exp.start, exp.end) == (dt.date(2027, 2, 9), dt.date(2027, 2, 28))


def test_a_sourced_every_year_rule_is_a_pattern_and_sets_the_likeliest_day():
    s = Series("main", {}, (dt.date(2025, 2, 3),), every_year=(2, 1))
    exp = series_expected(s, TODAY)
    assert (exp.start, exp.end, exp.around) == (
        dt.date(2027, 2, 1), dt.date(2027, 2, 3), dt.date(2027, 2, 1))  # fmt: skip


def test_the_earliest_series_is_next():
    spring = Series("s", {}, (dt.date(2023, 3, 29), dt.date(2024, 3, 20)))
    autumn = Series("a", {}, (dt.date(2023, 10, 18), dt.date(2024, 10, 16)))
    assert next_expected(Pattern((autumn, spring)), TODAY).series.key == "s"
    assert next_expected(Pattern((autumn, spring)), dt.date(2027, 5, 1)).series.key == "a"


# ------------------------------------------------------- show, search, describe


@pytest.mark.parametrize("identifier", RECURRING)
@pytest.mark.parametrize("lang", ["fi", "en"])
def test_show_gives_the_next_expected_round_with_its_sources(capsys, cat, identifier, lang):
    code = main(["--today", TODAY.isoformat(), "--lang", lang, "show", identifier])
    out, err = capsys.readouterr()
    assert code == 0, err
    exp, pattern = catalogue_expected(identifier, TODAY, cat)
    assert exp.start > TODAY and exp.end < TODAY + dt.timedelta(days=366)
    head = "Seuraava kierros: ODOTETTU, ei vahvistettu määräaika" if lang == "fi" else (
        "Next round: EXPECTED, not a confirmed deadline")  # fmt: skip
    assert head in out
    status = "Tila: odotettu kierros." if lang == "fi" else "Status: expected round."
    assert status in out
    year = str(exp.around.year)
    line = next(x for x in out.splitlines() if x.startswith(head))
    assert year in line and (f"{exp.around.day}.{exp.around.month}." in line or
                             f"{exp.around.day} {exp.around:%B}" in line)  # fmt: skip
    for ref in exp.facts:  # every past round it comes from, with its source
        assert cat.fact(ref).source_url in out, ref
    assert pattern.confirm_url in out
    # never presented as a deadline
    assert "Määräaika:" not in out and "Deadline:" not in out


def test_show_on_a_day_before_the_round_gives_the_confirmed_deadline(capsys):
    code = main(["--today", "2025-02-01", "--lang", "en", "show", "erasmus-youth-exchanges-ka152"])
    out, _ = capsys.readouterr()
    assert code == 0
    assert "Deadline: 12 February 2025" in out and "EXPECTED" not in out


@pytest.fixture(scope="module")
def records():
    return pg.load("en")


def test_search_gives_status_expected_and_says_why(records):
    hits = pg.search(records, status="expected", today=TODAY, lang="en")
    assert set(RECURRING) <= set(hits["identifier"])
    assert set(hits["status"]) == {"expected"}
    assert hits["next_deadline"].isna().all()  # an expectation is never a deadline
    assert hits["days_left"].isna().all()
    assert all(f <= t for f, t in zip(hits["expected_from"], hits["expected_to"], strict=True))
    assert hits["why"].str.contains("expected round (not confirmed)", regex=False).all()
    # portal calls and programmes without a pattern are never expected
    others = pg.search(records, today=TODAY, lang="en", status=["open", "forthcoming", "recurring"])
    assert others["expected_from"].isna().all()
    assert "expected" not in set(others["status"])


def test_search_for_a_programme_by_name_shows_its_expected_round(records):
    hit = pg.search(records, "Norden 0-30", today=TODAY, lang="fi", limit=1).iloc[0]
    assert hit["identifier"] == "norden-0-30" and hit["status"] == "expected"
    assert "odotettu kierros (ei vahvistettu): helmikuu 2027" in hit["why"]


def test_describe_says_expected_and_not_confirmed(records):
    text = pg.describe("nordplus", records, lang="en", today=TODAY)
    assert "EXPECTED, not a confirmed deadline – February 2027, around 1 February" in text
    assert "nordplusonline.org" in text


def test_records_carry_the_pattern_for_every_language():
    for lang in ("fi", "en"):
        frame = catalogue_records(lang)
        found = expected_in(frame, TODAY)
        ids = {i for i, e in zip(frame["identifier"], found, strict=True) if e is not None}
        assert set(RECURRING) <= ids


# ------------------------------------------------------------------ calendar


def _events(ics: str) -> list[str]:
    return re.findall(r"BEGIN:VEVENT.*?END:VEVENT", ics.replace("\r\n ", ""), flags=re.S)


def test_calendar_has_one_all_day_expected_event_per_programme_with_a_stable_uid(records):
    hits = pg.search(records, status="expected", today=TODAY, lang="en")
    first = to_ics(hits, "en").decode()
    again = to_ics(hits, "en").decode()
    assert first == again
    events = [e for e in _events(first) if "-expected-" in e]
    uids = [re.search(r"UID:(\S+)", e).group(1) for e in events]
    assert len(uids) == len(set(uids)) == len(hits)
    for event in events:
        assert "SUMMARY:Expected round\\, not confirmed:" in event
        assert "DTSTART;VALUE=DATE:" in event and "DTEND;VALUE=DATE:" in event
        assert "VALARM" not in event  # no reminder for a date nobody confirmed
        assert "EXPECTED\\, not a confirmed deadline" in event
    # the confirmed deadlines of past rounds keep their own UIDs
    all_uids = re.findall(r"UID:(\S+)", first)
    assert len(all_uids) == len(set(all_uids))


# ---------------------------------------------------------- the open-calls page


def test_open_calls_page_first_lists_only_what_fits_the_readers():
    frame, _ = callspage_records()
    fit, rest = callspage.for_readers(frame, TODAY, 60, "fi")
    assert len(fit) >= 6
    assert "expected" in set(fit["status"])
    for row in fit.to_dict(orient="records"):
        if row["kind"] == "programme" and row["route"] in callspage.READER_ROUTES:
            continue
        note = next(p for p in row["why"].split("; ") if p.startswith("polar:"))
        assert row["score"] >= callspage.FIT_MIN_POINTS - 1e-9
        assert {"nuoret", "maaseutu", "pienet avustukset"} & set(
            t.strip() for t in note.removeprefix("polar:").split(","))  # fmt: skip
    # big research calls are in the rest, behind the expandable list
    assert not fit["identifier"].str.startswith("HORIZON-CL4").any()
    assert rest["identifier"].str.startswith("HORIZON-CL4").any()
    assert (rest["kind"] == "call").all()
    assert not set(fit["identifier"]) & set(rest["identifier"])


def test_open_calls_page_says_so_when_nothing_fits():
    research = pd.DataFrame({
        "identifier": ["HORIZON-X-1", "HORIZON-X-2"], "status": ["open", "open"],
        "kind": ["call", "call"], "title": ["Raw materials processing", "Human–AI teaming"],
        "deadlines": [["2026-12-20T16:00:00Z"], ["2027-01-10T16:00:00Z"]],
    })  # fmt: skip
    from polarguide.records import conform

    fit, rest = callspage.for_readers(conform(research), TODAY, 60, "en")
    assert fit.empty and list(rest["identifier"]) == ["HORIZON-X-1", "HORIZON-X-2"]
    assert "{days}" in callspage.TEXT["en"]["fit_none"]
    assert "Leader" in callspage.TEXT["fi"]["fit_none"]


def callspage_records():
    import finder

    return finder.finder_records("fi", TODAY)


def test_calendar_of_loaded_records_also_has_the_expected_rounds(monkeypatch):
    monkeypatch.setenv("POLARGUIDE_TODAY", TODAY.isoformat())
    ics = pg.to_ics(pg.load("fi", kind="programmes"), lang="fi").decode().replace("\r\n ", "")
    uids = re.findall(r"UID:(\S+-expected-\d{8}@polarguide)", ics)
    assert {u.split("-expected-")[0] for u in uids} >= set(RECURRING)
    assert "SUMMARY:Odotettu kierros\\, ei vahvistettu:" in ics
    monkeypatch.setenv("POLARGUIDE_TODAY", "2026-02-01")  # before the 2026 rounds: confirmed
    ics = pg.to_ics(pg.load("fi", kind="programmes"), lang="fi").decode().replace("\r\n ", "")
    assert "erasmus-school-mobility-ka122-sch-expected-" not in ics  # its 2026 date is sourced
    assert "norden-0-30-expected-20260209@polarguide" in ics  # Norden 0–30 had no 2026 date


def test_plan_without_a_deadline_names_the_expected_round_and_asks_for_a_date(capsys):
    code = main(["--today", TODAY.isoformat(), "plan", "nordplus"])
    _, err = capsys.readouterr()
    assert code == 2
    assert "next round is expected around 2027-02-01 (not confirmed)" in err
    assert "--deadline" in err and len(err.strip().splitlines()[-1]) > 0


def test_search_table_shows_the_window_as_expected_never_as_a_deadline(capsys):
    code = main(["--today", TODAY.isoformat(), "--lang", "en", "search", "--status", "expected"])
    out, _ = capsys.readouterr()
    assert code == 0
    row = next(line for line in out.splitlines() if line.startswith("norden-0-30"))
    assert "expected round" in row and "expected round (not confirmed): February 2027" in row
    assert not re.search(r"\d{4}-\d{2}-\d{2}", row)  # the deadline column stays empty
