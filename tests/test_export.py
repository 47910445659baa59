"""CSV for Excel, JSON, and iCalendar with correct times and stable UIDs."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from pathlib import Path
from zoneinfo import ZoneInfo

import pandas as pd
import pytest
from icalendar import Calendar

from polarguide.dates import parse_date
from polarguide.export import to_csv, to_ics, to_json
from polarguide.records import conform

HELSINKI = ZoneInfo("Europe/Helsinki")
BRUSSELS = ZoneInfo("Europe/Brussels")


@pytest.fixture
def df():
    return conform(
        pd.DataFrame(
            [
                dict(
                    identifier="LIFE-2026-SAP-NAT-NATURE",
                    title="Nature and Biodiversity",
                    programme="LIFE",
                    status="open",
                    budget_eur=173_500_000.0,
                    keywords=["nature", "biodiversity"],
                    # 17:00 Brussels in winter (CET) and in summer (CEST)
                    deadlines=["2027-01-21T16:00:00Z", "2027-09-23T15:00:00Z"],
                    url="https://ec.europa.eu/info/funding-tenders/x",
                    retrieved_at="2026-08-22T05:41:38Z",
                ),
                dict(
                    identifier="CERV-2026-CITIZENS-TOWN-TT",
                    title="Call Town Twinning 2026",
                    programme="CERV",
                    status="open",
                    max_grant_eur=60_000.5,
                    # 23:30 UTC is already the next day in Helsinki
                    deadlines=["2027-03-04T23:30:00Z"],
                    retrieved_at="2026-08-22T05:41:38Z",
                ),
            ]
        )
    )


def test_csv_has_bom_lists_and_helsinki_dates(df, tmp_path):
    path = tmp_path / "calls.csv"
    assert to_csv(df, path) is None
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    assert rows[0]["keywords"] == "nature; biodiversity"
    assert rows[0]["deadlines"] == "2027-01-21; 2027-09-23"
    assert rows[1]["deadlines"] == "2027-03-05"  # Helsinki day of 23:30 UTC
    assert rows[0]["budget_eur"] == "173500000"


def test_csv_semicolon_for_finnish_excel(df):
    text = to_csv(df[["identifier", "max_grant_eur", "keywords"]], sep=";")
    assert text.startswith("\ufeff")
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff")), delimiter=";")
    header, first, second = list(reader)
    assert header == ["identifier", "max_grant_eur", "keywords"]
    assert first == ["LIFE-2026-SAP-NAT-NATURE", "", "nature; biodiversity"]
    assert second[1] == "60000,5"  # decimal comma with the Finnish separator


def test_json_list_iso_dates_and_nulls(df):
    data = json.loads(to_json(df))
    assert [d["identifier"] for d in data] == df["identifier"].tolist()
    assert data[0]["deadlines"] == ["2027-01-21T16:00:00+00:00", "2027-09-23T15:00:00+00:00"]
    assert data[0]["max_grant_eur"] is None
    assert data[1]["opening_date"] is None
    assert "NaN" not in to_json(df)


def events(ics: bytes):
    return [c for c in Calendar.from_ical(ics).walk() if c.name == "VEVENT"]


def test_ics_one_event_per_deadline_with_right_times(df):
    found = events(to_ics(df, lang="en"))
    assert len(found) == 3
    starts = {str(e["uid"]): e.decoded("dtstart") for e in found}
    winter = starts["LIFE-2026-SAP-NAT-NATURE-20270121@polarguide"]
    summer = starts["LIFE-2026-SAP-NAT-NATURE-20270923@polarguide"]
    assert winter.utcoffset() == dt.timedelta(0)
    assert winter.astimezone(BRUSSELS).hour == 17
    assert winter.astimezone(HELSINKI).replace(tzinfo=None) == dt.datetime(2027, 1, 21, 18, 0)
    assert summer.astimezone(BRUSSELS).hour == 17
    assert summer.astimezone(HELSINKI).replace(tzinfo=None) == dt.datetime(2027, 9, 23, 18, 0)
    late = starts["CERV-2026-CITIZENS-TOWN-TT-20270304@polarguide"]
    assert late.astimezone(HELSINKI).date() == dt.date(2027, 3, 5)


def test_ics_alarm_summary_url_and_language(df):
    event = events(to_ics(df, lang="fi"))[0]
    assert str(event["summary"]) == "Määräaika: Nature and Biodiversity (LIFE)"
    assert "Määräaika: 21.1.2027 klo 18.00." in str(event["description"])
    assert str(event["url"]) == "https://ec.europa.eu/info/funding-tenders/x"
    [alarm] = [c for c in event.walk() if c.name == "VALARM"]
    assert alarm.decoded("trigger") == dt.timedelta(days=-7)
    english = events(to_ics(df, lang="en"))[0]
    assert str(english["summary"]).startswith("Deadline: ")


def test_ics_is_deterministic_and_uids_stable(df):
    first, second = to_ics(df), to_ics(df.copy())
    assert first == second
    stamp = events(first)[0].decoded("dtstamp")
    assert stamp == dt.datetime(2026, 8, 22, 5, 41, 38, tzinfo=dt.timezone.utc)
    # a changed title updates the same events instead of creating new ones
    changed = df.copy()
    changed.loc[0, "title"] = "Nature and Biodiversity (corrected)"
    uids = [str(e["uid"]) for e in events(first)]
    assert [str(e["uid"]) for e in events(to_ics(changed))] == uids
    assert to_ics(changed) != first


def test_a_deadline_without_time_of_day_becomes_an_all_day_event():
    """The feed often stores only the day (midnight UTC): no invented "02:00" event."""
    import datetime as dt

    from icalendar import Calendar

    frame = conform(
        pd.DataFrame(
            {
                "identifier": ["DAY-1"],
                "title": ["Day only"],
                "deadlines": [["2027-12-01T00:00:00Z"]],
            }
        )
    )
    (event,) = Calendar.from_ical(to_ics(frame, lang="en")).walk("VEVENT")
    assert event.decoded("dtstart") == dt.date(2027, 12, 1)
    assert event.decoded("dtend") == dt.date(2027, 12, 2)
    assert str(event["uid"]) == "DAY-1-20271201@polarguide"
    assert "check the time" in str(event["description"])


def test_ics_of_the_bundled_calls_has_unique_uids_even_for_same_day_deadlines(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Some topics list one deadline twice on a day (16:00 and 17:00 UTC): one event each."""
    from icalendar import Calendar

    import polarguide as pg

    monkeypatch.setenv("POLARGUIDE_CACHE_DIR", str(tmp_path / "cache"))  # the bundled data
    calls = pg.load("en", kind="calls")
    same_day = [
        row["identifier"]
        for _, row in calls.iterrows()
        if len({parse_date(d).date() for d in row["deadlines"]}) < len(row["deadlines"])
    ]
    assert len(same_day) >= 3  # the case this test is about is in the data
    events = Calendar.from_ical(pg.to_ics(calls)).walk("VEVENT")
    uids = [str(e["uid"]) for e in events]
    assert len(uids) == len(set(uids))
    assert pg.to_ics(calls) == pg.to_ics(calls)  # stable
    one = calls[calls["identifier"] == same_day[0]]
    [event] = [
        e for e in Calendar.from_ical(pg.to_ics(one)).walk("VEVENT")
        if len([d for d in one.iloc[0]["deadlines"]
                if parse_date(d).date() == e.decoded("dtstart").date()]) > 1
    ]  # fmt: skip
    times = [parse_date(d) for d in one.iloc[0]["deadlines"]
             if parse_date(d).date() == event.decoded("dtstart").date()]  # fmt: skip
    assert event.decoded("dtstart") == min(times)  # the earliest time of that day
