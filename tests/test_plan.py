"""From call to plan: timelines counted back from real deadlines, Markdown, iCalendar, CLI."""

from __future__ import annotations

import datetime as dt

import pytest
from icalendar import Calendar

from polarguide.catalogue import catalogue_records, load_catalogue
from polarguide.cli import main
from polarguide.dates import helsinki_day, is_date_only, parse_day
from polarguide.errors import InputError
from polarguide.export import event_uid
from polarguide.plan import (
    PLAN_WORKING_DAYS,
    TIMELINE,
    finnish_days_off,
    is_working_day,
    make_plan,
    working_days_before,
    working_days_between,
)

TODAY = parse_day("2026-11-28")
#: A real portal call in the bundled snapshot with a deadline far enough away (2027-09-23).
FAR_CALL = "HORIZON-CL2-2027-01-HERITAGE-01"
#: A real portal call whose next deadline (2027-02-01) leaves only 9 weeks from TODAY.
NEAR_CALL = "CERV-2024-CITIZENS-VALUES"
ENTRY = "erasmus-youth-exchanges-ka152"


@pytest.fixture(autouse=True)
def empty_cache(tmp_path, monkeypatch):
    """The bundled snapshot is the data in use; no language from the environment."""
    monkeypatch.setenv("POLARGUIDE_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("POLARGUIDE_LANG", raising=False)


@pytest.fixture(scope="module")
def calls():
    import os
    import tempfile

    from polarguide.store import load_current

    old = os.environ.get("POLARGUIDE_CACHE_DIR")
    os.environ["POLARGUIDE_CACHE_DIR"] = tempfile.mkdtemp()
    try:
        records = load_current(warn=lambda message: None).records
    finally:
        if old is None:
            del os.environ["POLARGUIDE_CACHE_DIR"]
        else:
            os.environ["POLARGUIDE_CACHE_DIR"] = old
    return records.set_index("identifier", drop=False)


@pytest.fixture(scope="module")
def entries():
    return {
        lang: catalogue_records(lang).set_index("identifier", drop=False) for lang in ["fi", "en"]
    }


def check_timeline(plan, start):
    """The invariants every plan keeps, however little time there is."""
    deadline_day = helsinki_day(plan.deadline)
    assert [s.key for s in plan.steps] == [key for key, _ in TIMELINE]
    dues = [s.due for s in plan.steps]
    assert dues == sorted(dues), "steps must be in date order"
    for step in plan.steps:
        assert start <= step.start <= step.due <= deadline_day, step
    if working_days_between(start, deadline_day) >= 1:
        assert all(due < deadline_day for due in dues), "every step before the deadline day"
        assert all(is_working_day(due) for due in dues)


# ----------------------------------------------------------------- portal calls


def test_full_plan_for_a_real_call_counts_back_in_working_days(calls):
    plan = make_plan(calls.loc[FAR_CALL], lang="en", today=TODAY)
    deadline_day = dt.date(2027, 9, 23)
    assert helsinki_day(plan.deadline) == deadline_day
    assert plan.warnings == []
    check_timeline(plan, TODAY)
    for step, (key, days) in zip(plan.steps, TIMELINE, strict=True):
        assert working_days_between(step.due, deadline_day) == days, key
    assert working_days_between(plan.steps[0].start, deadline_day) == PLAN_WORKING_DAYS
    submit = plan.steps[-1]
    assert submit.due == dt.date(2027, 9, 20)  # Thursday deadline, 3 working days: Monday
    assert "our advice" in submit.description
    registration = next(s for s in plan.steps if s.key == "registration")
    assert "EU Login" in registration.title and "PIC" in registration.description


def test_short_time_squeezes_the_plan_and_warns(calls):
    plan = make_plan(calls.loc[NEAR_CALL], lang="en", today=TODAY)
    assert helsinki_day(plan.deadline) == dt.date(2027, 2, 1)
    check_timeline(plan, TODAY)
    assert len(plan.warnings) == 1
    assert plan.warnings[0].startswith("Only 9 weeks left")
    assert plan.steps[0].start == dt.date(2026, 11, 30)  # the first working day from TODAY
    finnish = make_plan(calls.loc[NEAR_CALL], lang="fi", today=TODAY)
    assert finnish.warnings[0].startswith("Aikaa on vain 9 viikkoa")


def test_no_step_is_dated_before_the_start_however_late_it_is(calls):
    record = calls.loc[NEAR_CALL]
    deadline_day = dt.date(2027, 2, 1)
    day = TODAY
    while day <= deadline_day:
        plan = make_plan(record, lang="en", today=TODAY, start=day)
        check_timeline(plan, day)
        assert bool(plan.warnings) == (working_days_between(day, deadline_day) < 60)
        day += dt.timedelta(days=1)


def test_a_one_row_frame_is_a_record_but_a_longer_frame_is_not(calls):
    one = calls[calls["identifier"] == NEAR_CALL]
    assert make_plan(one, today=TODAY).identifier == NEAR_CALL
    with pytest.raises(InputError, match="one record, got 2 rows"):
        make_plan(calls.head(2), today=TODAY)


def test_a_start_before_today_is_moved_to_today(calls):
    plan = make_plan(calls.loc[NEAR_CALL], today=TODAY, start="2026-01-01")
    assert plan.start == TODAY
    check_timeline(plan, TODAY)


def test_past_deadlines_and_late_starts_are_input_errors(calls):
    with pytest.raises(InputError, match="has passed; check the next date at https://"):
        make_plan(calls.loc[NEAR_CALL], today="2028-06-01")
    with pytest.raises(InputError, match="2026-11-01 has passed"):
        make_plan(calls.loc[NEAR_CALL], today=TODAY, deadline="2026-11-01")
    with pytest.raises(InputError, match="after the deadline"):
        make_plan(calls.loc[NEAR_CALL], today=TODAY, start="2027-03-01")


def test_a_given_deadline_keeps_the_real_time_of_that_day(calls):
    plan = make_plan(calls.loc[NEAR_CALL], today=TODAY, deadline="2027-02-01")
    assert plan.deadline_time_known
    assert plan.deadline == calls.loc[NEAR_CALL, "deadlines"][1]


# ------------------------------------------------------------ catalogue entries


def test_catalogue_entry_without_an_upcoming_date_asks_for_one(entries):
    record = entries["fi"].loc[ENTRY]
    with pytest.raises(InputError) as caught:
        make_plan(record, today=TODAY)
    message = str(caught.value)
    assert "--deadline YYYY-MM-DD" in message and record["url"] in message
    with pytest.raises(InputError, match="no deadline in our data"):
        make_plan(entries["fi"].loc["nordplus"], today=TODAY)


@pytest.mark.parametrize("lang", ["fi", "en"])
def test_catalogue_entry_uses_its_own_application_route(entries, lang):
    plan = make_plan(entries[lang].loc[ENTRY], lang=lang, today=TODAY, deadline="2027-02-11")
    check_timeline(plan, TODAY)
    assert not plan.deadline_time_known
    registration = next(s for s in plan.steps if s.key == "registration")
    apply_via = load_catalogue().get(ENTRY).text("apply_via", lang)
    assert apply_via in registration.description
    assert "PIC" not in registration.description and "EU Login" not in registration.title
    assert any(apply_via in item for item in plan.checklist)
    assert ("tarkista kellonaika" if lang == "fi" else "check the time") in plan.to_markdown()


def test_catalogue_deadline_from_the_record_when_still_ahead(entries):
    # (the catalogue's latest sourced youth-exchange deadline: 12.2.2025, OPH)
    plan = make_plan(entries["en"].loc[ENTRY].to_dict(), lang="en", today="2025-01-05")
    assert helsinki_day(plan.deadline) == dt.date(2025, 2, 12)
    check_timeline(plan, parse_day("2025-01-05"))
    assert plan.warnings and "weeks left" in plan.warnings[0]


# ------------------------------------------------------------ Markdown and ICS


@pytest.mark.parametrize("lang", ["fi", "en"])
def test_markdown_has_deadline_timeline_checklist_link_and_advice(calls, lang):
    plan = make_plan(calls.loc[NEAR_CALL], lang=lang, today=TODAY)
    text = plan.to_markdown()
    assert text.startswith("# Hakusuunnitelma:" if lang == "fi" else "# Application plan:")
    assert ("1.2.2027" if lang == "fi" else "1 February 2027") in text
    assert ("65 päivää jäljellä" if lang == "fi" else "65 days left") in text
    assert text.count("- [ ] ") == len(plan.checklist) >= 8
    for item in plan.checklist:
        assert f"- [ ] {item}" in text
    rows = [line for line in text.splitlines() if line.startswith("| ") and ". " in line]
    assert len(rows) == len(TIMELINE)
    assert f"<{calls.loc[NEAR_CALL, 'url']}>" in text
    assert ("ratkaisee aina" if lang == "fi" else "official call text always decides") in text
    assert f"> ⚠ {plan.warnings[0]}" in text
    assert plan._repr_markdown_() == text


def test_ics_parses_back_and_uids_are_stable(calls):
    record = calls.loc[FAR_CALL]
    plan = make_plan(record, today=TODAY)
    first = plan.to_ics()
    assert first == make_plan(record, today=TODAY).to_ics(), "same input, same bytes"
    later = make_plan(record, today=parse_day("2027-08-02"))  # dates shift, UIDs do not
    events = Calendar.from_ical(first).walk("VEVENT")
    assert len(events) == len(TIMELINE) + 1
    by_uid = {str(e["uid"]): e for e in events}
    later_uids = {str(e["uid"]) for e in Calendar.from_ical(later.to_ics()).walk("VEVENT")}
    assert set(by_uid) == later_uids
    for step in plan.steps:
        event = by_uid[f"{FAR_CALL}-{step.key}@polarguide"]
        start = event.decoded("dtstart")
        assert type(start) is dt.date and start == step.due, "all-day event on the due day"
        assert step.title in str(event["summary"])
    deadline = by_uid[event_uid(FAR_CALL, plan.deadline)]
    if is_date_only(plan.deadline):  # the feed kept only the day: an all-day event, no made-up time
        assert deadline.decoded("dtstart") == plan.deadline.date()
    else:
        assert deadline.decoded("dtstart") == plan.deadline  # timed, the portal's moment
    assert deadline.walk("VALARM"), "the deadline keeps the export's reminder"


def test_ics_of_a_catalogue_entry_has_an_all_day_deadline(entries):
    plan = make_plan(entries["fi"].loc[ENTRY], today=TODAY, deadline="2027-02-11")
    events = Calendar.from_ical(plan.to_ics()).walk("VEVENT")
    deadline = next(e for e in events if str(e["uid"]) == f"{ENTRY}-20270211@polarguide")
    assert deadline.decoded("dtstart") == dt.date(2027, 2, 11)
    assert "klo" not in str(deadline["description"]), "no invented time of day"


# ------------------------------------------------------------------ working days


def test_finnish_holidays_are_not_working_days():
    days_off = finnish_days_off(2026)
    for day in ("2026-04-03", "2026-04-06", "2026-05-14", "2026-06-19", "2026-12-24"):
        assert parse_day(day) in days_off
    assert working_days_before(dt.date(2026, 12, 28), 1) == dt.date(2026, 12, 23)
    assert working_days_between(dt.date(2026, 12, 21), dt.date(2026, 12, 28)) == 3


# ------------------------------------------------------------------------- CLI


def run(capsys, *args: str) -> tuple[int, str, list[str]]:
    code = main(["--today", TODAY.isoformat(), *args])
    out, err = capsys.readouterr()
    lines = [
        line for line in err.splitlines() if not line.startswith(("Rahoitustiedot", "The funding"))
    ]
    return code, out, lines


def test_cli_prints_markdown(capsys):
    code, out, err = run(capsys, "plan", NEAR_CALL.lower())
    assert code == 0, err
    assert out.startswith("# Hakusuunnitelma:") and "- [ ] " in out
    code, out, err = run(capsys, "--lang", "en", "plan", ENTRY, "--deadline", "2027-02-11")
    assert code == 0, err
    assert "# Application plan: Erasmus+ Youth Exchanges" in out


@pytest.mark.parametrize("name", ["plan.ics", "plan.md"])
def test_cli_writes_the_file_atomically(capsys, tmp_path, name):
    target = tmp_path / "out" / name
    target.parent.mkdir()
    code, out, err = run(capsys, "plan", FAR_CALL, "--start", "2027-07-01", "--output", str(target))
    assert code == 0, err
    assert out == ""
    data = target.read_bytes()
    if name.endswith(".ics"):
        assert len(Calendar.from_ical(data).walk("VEVENT")) == len(TIMELINE) + 1
    else:
        assert data.decode("utf-8").startswith("# Hakusuunnitelma:")
    assert [p.name for p in target.parent.iterdir()] == [name], "no temporary files left"


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["plan", "ERASMUS-YOUTH-2099-XX"], "unknown ID"),
        (["plan", ENTRY], "--deadline YYYY-MM-DD"),
        (["plan", ENTRY, "--deadline", "11.2.2027"], "YYYY-MM-DD"),
        (["plan", ENTRY, "--deadline", "2026-11-01"], "has passed"),
        (["plan", NEAR_CALL, "--start", "2027-03-01"], "after the deadline"),
        (["plan", NEAR_CALL, "--output", "plan.txt"], "use .md or .ics"),
        (["plan", NEAR_CALL, "--output", "/nonexistent-folder/plan.md"], "does not exist"),
    ],
)
def test_cli_bad_input_is_one_line_and_exit_2(capsys, args, needle):
    code, _, lines = run(capsys, *args)
    assert code == 2
    assert len(lines) == 1, lines
    assert needle in lines[0] and lines[0].startswith("polarguide: ")
    assert "Traceback" not in lines[0]


@pytest.mark.parametrize("lang", ["fi", "en"])
def test_a_deadline_without_time_of_day_is_not_given_an_invented_time(calls, lang):
    date_only = [i for i in calls.index if is_date_only(calls.loc[i, "next_deadline"])]
    record = calls.loc[FAR_CALL if FAR_CALL in date_only else date_only[0]]
    text = make_plan(record, today=TODAY, lang=lang).to_markdown()
    deadline_line = next(
        line for line in text.splitlines() if line.lstrip("*").startswith(("Määräaika", "Deadline"))
    )
    assert ("tarkista kellonaika" if lang == "fi" else "check the time") in deadline_line
    assert "Suomen aikaa" not in deadline_line and "Helsinki time" not in deadline_line
