"""Events as data: loading, file:line errors, upcoming/past, filters and exports."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

import pytest
from icalendar import Calendar

from polarguide import events as ev
from polarguide.catalogue import load_catalogue
from polarguide.datafile import DataFileError
from polarguide.dates import parse_date
from polarguide.errors import InputError
from polarguide.export import event_uid

TODAY = dt.date(2026, 12, 5)
ROOT = Path(__file__).resolve().parents[1]


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run(
        [sys.executable, "-m", "polarguide", *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=120,
    )


@pytest.fixture(scope="module")
def cal() -> list[ev.Event]:
    return ev.calendar(TODAY)


# ------------------------------------------------------------------ the data


def test_every_entry_has_a_source_and_a_check_date(cal: list[ev.Event]) -> None:
    book = ev.load_events()
    assert book.events and book.yearly
    for event in cal:
        assert event.source_url.startswith(("https://", "http://")), event.id
        assert isinstance(event.checked, dt.date), event.id
        assert event.checked <= TODAY, event.id
        assert event.text("title", "fi") and event.text("title", "en"), event.id


def test_funding_deadlines_come_from_the_catalogue(cal: list[ev.Event]) -> None:
    catalogue = load_catalogue()
    expected = {e.id: e for e in catalogue.entries if e.next_deadline and e.deadline_fact}
    deadlines = {e.programme: e for e in cal if e.kind == "deadline"}
    assert set(deadlines) == set(expected)
    for entry_id, event in deadlines.items():
        entry = expected[entry_id]
        fact = entry.facts[entry.deadline_fact]
        assert event.start == entry.next_deadline
        assert event.source_url == fact.source_url and event.checked == fact.checked
        # the same UID as `polarguide export ics`, so a calendar never gets it twice
        assert event.uid == event_uid(entry_id, parse_date(entry.next_deadline))
        assert entry.text("name", "en") in event.text("title", "en")


def test_expected_rounds_come_from_the_library_and_say_not_confirmed(
    cal: list[ev.Event],
) -> None:
    from polarguide.export import expected_uid
    from polarguide.rounds import catalogue_expected

    catalogue = load_catalogue()
    expected = [e for e in cal if e.kind == "expected"]
    assert expected
    for event in expected:
        window, _pattern = catalogue_expected(event.programme, TODAY, catalogue)
        assert (event.start, event.end) == (window.start, window.end)
        assert event.uid == expected_uid(event.programme, window.start)
        assert event.all_day and event.last_day >= TODAY
        assert "not confirmed" in event.text("title", "en")
        assert "ei vahvistettu" in event.text("title", "fi")
        assert event.source_url == catalogue.fact(window.facts[-1]).source_url
    parsed = Calendar.from_ical(ev.to_ics(expected, "en"))
    assert all("not confirmed" in str(v["summary"]) for v in parsed.walk("VEVENT"))


def test_an_expected_round_source_can_plug_in() -> None:
    extra = ev.Event(
        "deadline-x",
        {"fi": "Arvioitu haku", "en": "Expected round"},
        {"fi": "", "en": ""},
        dt.date(2027, 2, 1),
        dt.date(2027, 2, 1),
        kind="deadline",
        source_url="https://example.org/round",
        checked=TODAY,
        uid="x-20270201@polarguide",
    )
    found = ev.calendar(TODAY, sources=[lambda today: [extra]])
    assert extra in found
    assert not [e for e in found if e.kind == "deadline" and e.uid != extra.uid]


def test_yearly_days_fall_on_their_rule(cal: list[ev.Event]) -> None:
    nature = [e.start for e in cal if e.id == "finnish-nature-day"]
    assert nature == [dt.date(2025, 8, 30), dt.date(2026, 8, 29), dt.date(2027, 8, 28)]
    for day in nature:  # last Saturday of August
        assert day.weekday() == 5 and (day + dt.timedelta(days=7)).month == 9
    assert [e.start for e in cal if e.id == "nordic-day"][-1] == dt.date(2027, 3, 23)


def test_upcoming_and_past_split_the_calendar(cal: list[ev.Event]) -> None:
    coming, ended = ev.upcoming(cal, TODAY), ev.past(cal, TODAY)
    assert len(coming) + len(ended) == len(cal)
    assert {e.uid for e in coming}.isdisjoint(e.uid for e in ended)
    assert all(e.last_day >= TODAY for e in coming)
    assert all(e.last_day < TODAY for e in ended)
    assert [e.first_day for e in coming] == sorted(e.first_day for e in coming)
    assert [e.first_day for e in ended] == sorted((e.first_day for e in ended), reverse=True)
    assert "arctic-circle-assembly-2027" in {e.id for e in coming}
    assert "outokaira-leader-30-years" in {e.id for e in ended}


def test_a_multi_day_event_is_upcoming_until_its_last_day(cal: list[ev.Event]) -> None:
    assembly = next(e for e in cal if e.id == "arctic-circle-assembly-2026")
    assert assembly in ev.upcoming(cal, dt.date(2026, 10, 10))
    assert assembly not in ev.upcoming(cal, dt.date(2026, 10, 11))


# ------------------------------------------------------------------ filters


def test_municipality_filter(cal: list[ev.Event]) -> None:
    pello = ev.select(cal, municipality="pello")
    ids = {e.id for e in pello}
    assert "outokaira-leader-30-years" in ids
    assert "nordic-day" in ids  # a day celebrated everywhere
    assert "arctic-circle-assembly-2026" not in ids  # held in Reykjavík
    strict = ev.select(cal, municipality="Pello", strict=True)
    assert [e.id for e in strict] == ["outokaira-leader-30-years"]
    assert ev.select(cal, municipality="Kuusamo", strict=True) == []


def test_audience_filter(cal: list[ev.Event]) -> None:
    youth = ev.select(cal, audience="youth")
    assert youth and all("youth" in e.audience or "everyone" in e.audience for e in youth)
    assert "eu-regions-week-2025" not in {e.id for e in youth}
    with pytest.raises(InputError):
        ev.select(cal, audience="pensioners")


def test_programme_filter_finds_the_events_about_a_funding(cal: list[ev.Event]) -> None:
    erasmus = ev.select(cal, programme="erasmus")
    ids = {e.id for e in erasmus}
    assert "oph-ka1-environment-2026" in ids  # its fitting search names Erasmus
    assert "deadline-erasmus-youth-exchanges-ka152" in ids
    assert "expected-erasmus-youth-exchanges-ka152" in ids
    assert "arctic-circle-assembly-2027" not in ids
    by_entry = ev.select(cal, programme="erasmus-youth-exchanges-ka152")
    assert {e.kind for e in by_entry} == {"deadline", "expected"}
    assert ev.select(cal, programme="no-such-programme") == []


def test_unknown_municipality_is_bad_input(cal: list[ev.Event]) -> None:
    with pytest.raises(InputError, match="Rovaniem"):
        ev.select(cal, municipality="Rovanieme")


# ------------------------------------------------------------------ exports


def test_ics_imports_with_unique_stable_uids(cal: list[ev.Event]) -> None:
    payload = ev.to_ics(cal, "fi")
    assert payload == ev.to_ics(ev.calendar(TODAY), "fi")  # same data, same bytes
    parsed = Calendar.from_ical(payload)
    vevents = list(parsed.walk("VEVENT"))
    assert len(vevents) == len(cal)
    uids = [str(v["uid"]) for v in vevents]
    assert len(set(uids)) == len(uids)
    assert uids == [e.uid for e in cal]
    # one year later the same yearly day keeps its UID
    later = {e.uid for e in ev.calendar(TODAY + dt.timedelta(days=365))}
    assert "nordic-day-20270323@events.polarguide" in later


def test_day_only_events_are_all_day_and_timed_events_are_utc(cal: list[ev.Event]) -> None:
    parsed = Calendar.from_ical(ev.to_ics(cal, "en"))
    by_uid = {str(v["uid"]): v for v in parsed.walk("VEVENT")}
    assembly = by_uid["arctic-circle-assembly-2027@events.polarguide"]
    start, end = assembly["dtstart"].dt, assembly["dtend"].dt
    assert type(start) is dt.date and type(end) is dt.date
    assert (start, end) == (dt.date(2027, 10, 14), dt.date(2027, 10, 17))  # DTEND exclusive
    assert "VALUE=DATE" in assembly.to_ical().decode()
    party = by_uid["outokaira-leader-30-years@events.polarguide"]
    assert party["dtstart"].dt == dt.datetime(2026, 2, 5, 11, 0, tzinfo=dt.timezone.utc)
    assert party["dtend"].dt == dt.datetime(2026, 2, 5, 13, 0, tzinfo=dt.timezone.utc)
    assert "Juoksenki" in str(party["location"])
    assert "checked 2026-12-05" in str(party["description"])


def test_json_and_csv_rows(cal: list[ev.Event]) -> None:
    import csv
    import io
    import json

    rows = json.loads(ev.to_json(cal, "en"))
    assert [r["uid"] for r in rows] == [e.uid for e in cal]
    party = next(r for r in rows if r["id"] == "outokaira-leader-30-years")
    assert party["start"] == "2026-02-05T13:00:00+02:00" and party["municipality"] == "Pello"
    text = ev.to_csv(cal, "fi")
    assert text.startswith("\ufeff")
    table = list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))
    assert len(table) == len(cal) and set(table[0]) == set(ev.FIELDS)


# ------------------------------------------------------------------ broken files

GOOD = """\
meta: {checked: 2026-12-05}
events:
  - id: workshop
    kind: event
    title: {fi: Työpaja, en: Workshop}
    start: 2027-01-10 10:00
    end: 2027-01-10 12:00
    place: {village: Käylä, municipality: Kuusamo}
    audience: [youth]
    languages: [fi]
    organiser: Kyläyhdistys
    source_url: https://example.org/tyopaja
    checked: 2026-12-05
"""

BROKEN = {
    # name: (what to replace, with what, the line the message must name, a word in it)
    "bad-yaml": (
        "title: {fi: Työpaja, en: Workshop}",
        "title: {fi: Työpaja, en: Workshop",
        6,
        "YAML",
    ),
    "no-source": ("    source_url: https://example.org/tyopaja\n", "", 3, "source_url"),
    "bad-day": ("start: 2027-01-10 10:00", "start: 10.1.2027", 6, "start"),
    # a date YAML reads as a date but the calendar has no such day (PyYAML raised ValueError)
    "no-such-day": ("start: 2027-01-10 10:00", "start: 2027-13-45", 6, "YYYY-MM-DD"),
    "no-such-check-day": ("    checked: 2026-12-05\n", "    checked: 2026-02-30\n", 13, "checked"),
    "end-first": ("end: 2027-01-10 12:00", "end: 2027-01-10 09:00", 7, "before start"),
    "outside": ("municipality: Kuusamo", "municipality: Oulu", 8, "Oulu"),
    "twice": (
        "    checked: 2026-12-05\n",
        "    checked: 2026-12-05\n    checked: 2026-12-06\n",
        14,
        "twice",
    ),
    "future": ("    checked: 2026-12-05\n", "    checked: 2027-01-01\n", 13, "future"),
    "tracking": ("tyopaja\n", "tyopaja?utm_source=x\n", 12, "tracking"),
    "typo": ("    organiser:", "    organizer:", 11, "did you mean 'organiser'"),
}


def test_the_good_sample_loads(tmp_path: Path) -> None:
    path = tmp_path / "events.yaml"
    path.write_text(GOOD, encoding="utf-8")
    (event,) = ev.load_events(path).events
    assert event.municipality == "Kuusamo" and not event.all_day


@pytest.mark.parametrize("case", sorted(BROKEN))
def test_a_broken_file_names_file_and_line(tmp_path: Path, case: str) -> None:
    old, new, line, word = BROKEN[case]
    assert old in GOOD
    path = tmp_path / "events.yaml"
    path.write_text(GOOD.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(DataFileError) as err:
        ev.load_events(path)
    message = str(err.value)
    assert f"events.yaml:{line}:" in message, message
    assert word in message


def test_duplicate_ids_name_both_lines(tmp_path: Path) -> None:
    body = GOOD.split("events:\n")[1]
    path = tmp_path / "events.yaml"
    path.write_text(GOOD + body, encoding="utf-8")
    with pytest.raises(DataFileError, match=r"events\.yaml:14: .*line 3"):
        ev.load_events(path)


def test_cli_bad_file_is_one_line_and_exit_2(tmp_path: Path) -> None:
    path = tmp_path / "events.yaml"
    path.write_text(GOOD.replace("start: 2027-01-10 10:00", "start: soon"), encoding="utf-8")
    result = run_cli("events", "--file", str(path))
    assert result.returncode == 2
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert f"{path}:6:" in lines[0] and "Traceback" not in result.stderr


def test_cli_unknown_municipality_exits_2() -> None:
    result = run_cli("events", "--municipality", "Helsinki")
    assert result.returncode == 2 and len(result.stderr.strip().splitlines()) == 1


def test_cli_ics_output_file(tmp_path: Path) -> None:
    out = tmp_path / "events.ics"
    result = run_cli("--today", "2026-12-05", "events", "--format", "ics", "--output", str(out))
    assert result.returncode == 0, result.stderr
    parsed = Calendar.from_ical(out.read_bytes())
    uids = [str(v["uid"]) for v in parsed.walk("VEVENT")]
    assert uids == [e.uid for e in ev.upcoming(ev.calendar(TODAY), TODAY)]


def test_cli_past_table_filtered_by_municipality() -> None:
    result = run_cli(
        "--today", "2026-12-05", "events", "--past", "--municipality", "Pello", "--lang", "en"
    )
    assert result.returncode == 0, result.stderr
    assert "Juoksenki, Pello" in result.stdout
    assert "Reykjavík" not in result.stdout


# ------------------------------------------------------------------ the book's rendering


def _pgevents():  # type: ignore[no-untyped-def]
    import importlib

    path = str(ROOT / "book" / "_ext")
    if path not in sys.path:
        sys.path.insert(0, path)
    return importlib.import_module("pgevents")


def test_book_writes_days_and_times_as_readers_do() -> None:
    pg = _pgevents()
    helsinki = ev.HELSINKI
    one = ev.Event("a", {"fi": "", "en": ""}, {"fi": "", "en": ""}, dt.date(2027, 3, 23),
                   dt.date(2027, 3, 23))  # fmt: skip
    span = dataclasses_replace(one, end=dt.date(2027, 3, 25))
    across = dataclasses_replace(one, end=dt.date(2027, 4, 2))
    timed = dataclasses_replace(
        one,
        start=dt.datetime(2026, 2, 5, 13, 0, tzinfo=helsinki),
        end=dt.datetime(2026, 2, 5, 15, 0, tzinfo=helsinki),
    )
    assert pg.when_text(one, "fi") == "23.3.2027"
    assert pg.when_text(span, "fi") == "23.–25.3.2027"
    assert pg.when_text(span, "en") == "23–25 March 2027"
    assert pg.when_text(across, "fi") == "23.3.2027–2.4.2027"
    assert pg.when_text(timed, "fi") == "5.2.2026 klo 13.00–15.00"
    assert pg.when_text(timed, "en") == "5 February 2026, 13:00–15:00 (Helsinki time)"
    assert pg.slug("Enontekiö") == "enontekio" and pg.slug("Sodankylä") == "sodankyla"


def dataclasses_replace(event: ev.Event, **changes: object) -> ev.Event:
    import dataclasses

    return dataclasses.replace(event, **changes)  # type: ignore[arg-type]
