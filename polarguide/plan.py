"""From call to plan: an application checklist and a timeline counted back from the deadline.

:func:`make_plan` turns one record (a portal call or a catalogue programme, see
:mod:`polarguide.records`) into a :class:`Plan`: steps from partner search to
submission, each dated backwards from the deadline in working days, and a checklist.
``Plan.to_markdown()`` and ``Plan.to_ics()`` give the plan as text and as a calendar;
in a notebook the plan shows itself as Markdown.

The timeline is **this guide's advice**, not any programme's rule (see
:data:`TIMELINE`). The official call text always decides.

>>> from polarguide.dates import parse_date
>>> record = {"identifier": "LIFE-2027-SAP-NAT", "title": "Nature", "programme": "LIFE",
...           "kind": "call", "url": "https://example.org/life",
...           "deadlines": [parse_date("2027-09-22T15:00:00Z")]}
>>> plan = make_plan(record, lang="en", today=parse_day("2027-03-01"))
>>> [(step.key, step.due.isoformat()) for step in plan.steps][-2:]
[('review', '2027-09-08'), ('submit', '2027-09-17')]
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from .dates import (
    days_left,
    helsinki_day,
    is_date_only,
    next_deadline,
    parse_date,
    parse_day,
    reference_day,
)
from .errors import InputError
from .i18n import check_lang, label, month_name
from .records import is_missing

UTC = dt.timezone.utc

#: The guide's advice on when each step should be done, counted back from the deadline
#: day in **working days** (a working week = 5 days; weekends and Finnish public
#: holidays do not count). This is our advice, not a rule of any programme.
#: ``(step key, working days before the deadline)``, earliest step first. Each step
#: starts when the one before it is due; the first starts :data:`PLAN_WORKING_DAYS` before.
TIMELINE: tuple[tuple[str, int], ...] = (
    ("partners", 50),  # partner search: 12 → 10 weeks before
    ("idea", 45),  # idea and objectives agreed with the partners: 9 weeks
    ("registration", 40),  # EU Login / PIC or the programme's own channel: 8 weeks
    ("letters", 35),  # partner confirmations and letters: 7 weeks
    ("draft", 25),  # a complete first draft: 5 weeks
    ("budget", 15),  # budget: 3 weeks
    ("review", 10),  # read by someone outside the group: 2 weeks
    ("submit", 3),  # submitted: 3 working days before (our safety margin)
)
#: Working days the full plan needs: partner search starts 12 working weeks before.
PLAN_WORKING_DAYS = 60
WORKING_WEEK = 5

_WEEKDAYS = {
    "fi": ("ma", "ti", "ke", "to", "pe", "la", "su"),
    "en": ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"),
}

#: Step descriptions, (Finnish, English). ``{apply_via}`` and ``{url}`` are filled in.
_DESCRIPTIONS: dict[str, tuple[str, str]] = {
    "partners": (
        "Etsi kumppanit muista maista. Kysy omista verkostoista, aiemmilta kumppaneilta "
        "ja alueesi kehittäjiltä. Sopikaa, kuka tekee mitäkin.",
        "Find partners in other countries. Ask your own networks, earlier partners and "
        "local development people. Agree who does what.",
    ),
    "idea": (
        "Kirjoita idea muutamalla lauseella: mitä teette, kenen kanssa ja miksi. "
        "Mikä muuttuu hankkeen jälkeen? Vertaa ideaa haun tavoitteisiin.",
        "Write the idea in a few sentences: what you will do, with whom and why. "
        "What will be different afterwards? Compare the idea with the aims of the call.",
    ),
    "registration.call": (
        "Hakemus jätetään EU:n Funding & Tenders -portaalissa. Luo hakemuksen jättäjälle "
        "EU Login -tunnus. Hakijalla ja jokaisella kumppanilla pitää olla PIC-tunniste "
        "(Participant Identification Code). Tarkista ensin, onko organisaatiollasi jo PIC. "
        "Jos haun teksti käskee hakemaan muualla, toimi sen mukaan.",
        "The application goes in on the EU Funding & Tenders Portal. Create an EU Login "
        "account for the person who submits. The applicant and every partner need a PIC "
        "(Participant Identification Code). First check whether your organisation already "
        "has one. If the call text says to apply somewhere else, follow it.",
    ),
    "registration.programme": (
        "Näin haetaan: {apply_via} Tarkista virallisesta ohjeesta, mitä tunnuksia tai "
        "rekisteröitymistä tarvitset: {url}",
        "How to apply: {apply_via} Check in the official guidance which accounts or "
        "registration you need: {url}",
    ),
    "registration.unknown": (
        "Tarkista virallisesta ohjeesta, missä ja miten haetaan ja mitä tunnuksia tai "
        "rekisteröitymistä tarvitset: {url}",
        "Check in the official guidance where and how to apply and which accounts or "
        "registration you need: {url}",
    ),
    "letters": (
        "Pyydä kumppaneilta kirjallinen vahvistus: sitoumus- tai tukikirje tai valtakirja, "
        "jos haku sellaisen vaatii. Tarkista kumppanien yhteystiedot ja tunnisteet.",
        "Ask your partners for a written confirmation: a letter of commitment or support, "
        "or a mandate if the call asks for one. Check their contact details and identifiers.",
    ),
    "draft": (
        "Kirjoita koko hakemuksesta ensimmäinen versio. Vastaa jokaiseen kysymykseen. "
        "Käytä haun omia sanoja ja arviointiperusteita apuna.",
        "Write a complete first version. Answer every question. Use the call's own words "
        "and award criteria as your guide.",
    ),
    "budget": (
        "Laske budjetti haun sääntöjen mukaan. Tarkista enimmäissumma, omarahoitus ja "
        "mitkä kulut hyväksytään. Pyydä kumppaneilta heidän osuutensa.",
        "Work out the budget by the call's rules. Check the maximum amount, any "
        "co-financing and which costs are eligible. Ask your partners for their share.",
    ),
    "review": (
        "Anna hakemus luettavaksi jollekulle, joka ei ole tehnyt sitä kanssasi. "
        "Ymmärtääkö hän, mitä teette ja miksi? Korjaa epäselvät kohdat.",
        "Give the application to someone who has not worked on it. Do they understand "
        "what you will do and why? Fix whatever is unclear.",
    ),
    "submit": (
        "Jätä hakemus viimeistään tänä päivänä. Tämä turvamarginaali on meidän neuvomme, "
        "ei ohjelman sääntö: järjestelmät ruuhkautuvat viime hetkellä. "
        "Tallenna vahvistus tai kuittaus.",
        "Submit by this day. This safety margin is our advice, not a programme rule: "
        "systems get busy at the last minute. Save the confirmation or receipt.",
    ),
}

#: Checklist items, (Finnish, English). ``{registration}`` and ``{submit}`` are filled in.
_CHECKLIST: tuple[tuple[str, str], ...] = (
    (
        "Olen lukenut koko virallisen hakutekstin ja tarkistanut määräajan kellonaikoineen.",
        "I have read the whole official call text and checked the deadline and its time.",
    ),
    (
        "Ryhmämme tai organisaatiomme voi hakea (ikä, organisaation tyyppi, maa).",
        "Our group or organisation can apply (age, type of organisation, country).",
    ),
    (
        "Kumppanit ovat mukana ja tietävät tehtävänsä.",
        "Our partners are on board and know their tasks.",
    ),
    ("{registration}", "{registration}"),
    (
        "Tavoitteet on kirjoitettu: mitä muuttuu ja kenelle.",
        "The objectives are written down: what changes, and for whom.",
    ),
    (
        "Työsuunnitelma ja aikataulu ovat valmiit.",
        "The work plan and timetable are ready.",
    ),
    (
        "Budjetti noudattaa haun sääntöjä, ja omarahoitus on selvitetty.",
        "The budget follows the call's rules and any co-financing is sorted out.",
    ),
    (
        "Kumppanien vahvistukset tai valtakirjat on allekirjoitettu.",
        "The partners' confirmations or mandates are signed.",
    ),
    (
        "Joku ryhmän ulkopuolinen on lukenut hakemuksen.",
        "Someone outside the group has read the application.",
    ),
    (
        "Liitteet ovat pyydetyssä muodossa.",
        "The annexes are in the format asked for.",
    ),
    (
        "Hakemus on jätetty viimeistään {submit}, ja vahvistus on tallessa.",
        "The application is submitted by {submit} and the confirmation is saved.",
    ),
)

_REGISTRATION_ITEM = {
    "call": (
        "Hakemuksen jättäjällä on EU Login -tunnus, ja hakijalla ja kumppaneilla on PIC.",
        "The person who submits has an EU Login account; the applicant and partners have a PIC.",
    ),
    "programme": (
        "Tiedän, missä ja miten haetaan: {apply_via}",
        "I know where and how to apply: {apply_via}",
    ),
    "unknown": (
        "Tiedän, missä ja miten haetaan ja mitä rekisteröitymistä tarvitaan.",
        "I know where and how to apply and what registration is needed.",
    ),
}


@dataclass(frozen=True)
class Step:
    """One step of the plan: begin on ``start``, be done by ``due`` (Helsinki days).

    >>> Step("review", "Outside review", dt.date(2027, 9, 8), "Ask someone.").key
    'review'
    """

    key: str
    title: str
    due: dt.date
    description: str
    start: dt.date | None = None


@dataclass
class Plan:
    """An application plan for one call or programme; see :func:`make_plan`.

    >>> from polarguide.dates import parse_date
    >>> plan = make_plan({"identifier": "X-1", "title": "Test", "kind": "call",
    ...     "deadlines": [parse_date("2027-06-01T15:00:00Z")]}, today=parse_day("2027-01-04"))
    >>> plan.deadline_day, len(plan.steps), plan.warnings
    (datetime.date(2027, 6, 1), 8, [])
    """

    identifier: str
    title: str
    programme: str
    url: str
    kind: str
    deadline: dt.datetime
    steps: list[Step]
    checklist: list[str]
    warnings: list[str]
    lang: str = "fi"
    today: dt.date = field(default_factory=reference_day)
    start: dt.date = field(default_factory=reference_day)
    deadline_time_known: bool = True
    record: dict[str, Any] = field(default_factory=dict, repr=False)

    @property
    def deadline_day(self) -> dt.date:
        """The deadline's calendar day in Helsinki.

        >>> from polarguide.dates import parse_date
        >>> plan = make_plan({"identifier": "X", "kind": "call",
        ...     "deadlines": [parse_date("2027-06-01T22:30:00Z")]}, today=parse_day("2027-01-04"))
        >>> plan.deadline_day
        datetime.date(2027, 6, 2)
        """
        return helsinki_day(self.deadline)

    def to_markdown(self) -> str:
        """The plan as Markdown: deadline, timeline table, checklist, official link.

        >>> from polarguide.dates import parse_date
        >>> plan = make_plan({"identifier": "X-1", "title": "Test", "kind": "call",
        ...     "deadlines": [parse_date("2027-06-01T15:00:00Z")]},
        ...     lang="en", today=parse_day("2027-01-04"))
        >>> text = plan.to_markdown()
        >>> text.splitlines()[0]
        '# Application plan: Test'
        >>> "- [ ] Someone outside the group has read the application." in text
        True
        """
        lang = self.lang
        fi = lang == "fi"
        lines = [f"# {label('plan.heading', lang)}: {self.title or self.identifier}", ""]
        about = f"`{self.identifier}`"
        if self.programme:
            about = f"{self.programme} · {about}"
        lines += [about, ""]
        left = days_left(self.deadline, self.today)
        left_text = f"{left} {label('days', lang)} {'jäljellä' if fi else 'left'}"
        head, _, when = self._deadline_text().partition(": ")
        lines += [f"**{head}:** {when} – {left_text}.", ""]
        for warning in self.warnings:
            lines += [f"> ⚠ {warning}", ""]
        lines += [f"## {label('plan.timeline', lang)}", ""]
        header = [label(k, lang) for k in ("plan.step", "plan.start", "plan.due", "plan.what")]
        lines.append("| " + " | ".join(header) + " |")
        lines.append("|" + "---|" * len(header))
        for number, step in enumerate(self.steps, 1):
            cells = [
                f"{number}. {step.title}",
                _day_text(step.start, lang) if step.start else "",
                f"**{_day_text(step.due, lang)}**",
                step.description,
            ]
            lines.append("| " + " | ".join(_cell(c) for c in cells) + " |")
        lines += ["", f"## {label('plan.checklist', lang)}", ""]
        lines += [f"- [ ] {item}" for item in self.checklist]
        lines.append("")
        if self.url:
            lines += [f"{label('plan.official', lang)}: <{self.url}>", ""]
        lines.append(f"*{label('plan.advice', lang)}*")
        return "\n".join(lines) + "\n"

    def _deadline_text(self) -> str:
        """``Määräaika: 1.2.2027 klo 18.00 Suomen aikaa`` (or the day and a note to check)."""
        from .summary import format_day

        fi = self.lang == "fi"
        if self.deadline_time_known:
            when = format_day(self.deadline, self.lang) + (" Suomen aikaa" if fi else "")
        else:
            when = _day_text(self.deadline_day, self.lang) + (
                " (tarkista kellonaika virallisesta sivusta)"
                if fi
                else " (check the time of day on the official page)"
            )
        return f"{label('deadline', self.lang)}: {when}"

    def _repr_markdown_(self) -> str:
        """Jupyter shows the plan as Markdown."""
        return self.to_markdown()

    def to_ics(self) -> bytes:
        """The plan as iCalendar: one all-day event per step and the deadline itself.

        Step UIDs are ``{identifier}-{step key}@polarguide`` and the deadline UID is
        :func:`polarguide.export.event_uid`, so importing a new version of the plan
        updates the events instead of duplicating them. The deadline is a timed event
        when its time is known (portal calls) and an all-day event otherwise.

        >>> from polarguide.dates import parse_date
        >>> plan = make_plan({"identifier": "X-1", "title": "Test", "kind": "call",
        ...     "deadlines": [parse_date("2027-06-01T15:00:00Z")]},
        ...     lang="en", today=parse_day("2027-01-04"))
        >>> ics = plan.to_ics().decode()
        >>> "UID:X-1-submit@polarguide" in ics, "DTSTART:20270601T150000Z" in ics
        (True, True)
        """
        from icalendar import Event

        from .export import deadline_event, new_calendar

        lang = self.lang
        what = self.title or self.identifier
        calendar = new_calendar(f"polarguide: {label('plan.heading', lang)} – {what}")
        stamp = parse_date(self.record.get("retrieved_at")) or dt.datetime(2000, 1, 1, tzinfo=UTC)
        note = label("plan.advice", lang)
        for step in self.steps:
            event = Event()
            event.add("uid", f"{self.identifier}-{step.key}@polarguide")
            event.add("dtstamp", stamp.astimezone(UTC))
            event.add("dtstart", step.due)
            event.add("dtend", step.due + dt.timedelta(days=1))
            event.add("summary", f"{step.title}: {what}")
            event.add("description", f"{step.description}\n\n{note}")
            if self.url:
                event.add("url", self.url)
            event.add("transp", "TRANSPARENT")
            calendar.add_component(event)
        row = {**self.record, "identifier": self.identifier, "title": self.title}
        row["url"] = self.url
        deadline = deadline_event(row, self.deadline, lang)
        if not self.deadline_time_known:
            for key in ("dtstart", "dtend", "description"):
                del deadline[key]
            deadline.add("dtstart", self.deadline_day)
            deadline.add("dtend", self.deadline_day + dt.timedelta(days=1))
            deadline.add("description", f"{self._deadline_text()}\n{self.url}".strip())
        calendar.add_component(deadline)
        return calendar.to_ical()

    def write(self, path: str | Path) -> Path:
        """Write the plan atomically; ``.md`` gives Markdown and ``.ics`` a calendar.

        >>> import os, tempfile
        >>> from polarguide.dates import parse_date
        >>> plan = make_plan({"identifier": "X-1", "kind": "call",
        ...     "deadlines": [parse_date("2027-06-01T15:00:00Z")]}, today=parse_day("2027-01-04"))
        >>> plan.write(os.path.join(tempfile.mkdtemp(), "plan.md")).read_text()[:18]
        '# Hakusuunnitelma:'
        >>> plan.write("plan.txt")
        Traceback (most recent call last):
        ...
        polarguide.errors.InputError: unknown plan file type '.txt': use .md or .ics
        """
        from .export import write_atomically

        return write_atomically(path, render_plan(self, plan_format(path)))


PLAN_FORMATS = {".md": "md", ".markdown": "md", ".ics": "ics"}


def plan_format(path: str | Path) -> str:
    """The plan format a file name asks for: ``"md"`` or ``"ics"``; else :class:`InputError`.

    >>> plan_format("plan.md"), plan_format("Plan.ICS")
    ('md', 'ics')
    """
    suffix = Path(path).suffix.lower()
    if suffix not in PLAN_FORMATS:
        raise InputError(f"unknown plan file type {suffix or str(path)!r}: use .md or .ics")
    return PLAN_FORMATS[suffix]


def render_plan(plan: Plan, fmt: str) -> bytes:
    """The bytes of ``plan`` as ``"md"`` (UTF-8 Markdown) or ``"ics"``.

    >>> from polarguide.dates import parse_date
    >>> plan = make_plan({"identifier": "X-1", "kind": "call",
    ...     "deadlines": [parse_date("2027-06-01T15:00:00Z")]}, today=parse_day("2027-01-04"))
    >>> render_plan(plan, "ics")[:15]
    b'BEGIN:VCALENDAR'
    """
    if fmt == "md":
        return plan.to_markdown().encode("utf-8")
    if fmt == "ics":
        return plan.to_ics()
    raise InputError(f"unknown plan format {fmt!r}: use md or ics")


def make_plan(
    record: Any,
    *,
    lang: str = "fi",
    today: dt.date | str | None = None,
    start: dt.date | str | None = None,
    deadline: dt.date | dt.datetime | str | None = None,
) -> Plan:
    """Turn one record (a DataFrame row or a dict) into an application :class:`Plan`.

    The deadline is the record's next deadline on or after ``today`` (Helsinki), or
    ``deadline`` if given. Steps are counted back from it by :data:`TIMELINE`, never
    before ``start`` (default and earliest: ``today``). If there is less time than
    the full plan needs, the steps are squeezed proportionally and the plan gets a
    warning. No deadline, a past deadline, or a start after the deadline raise
    :class:`~polarguide.errors.InputError`.

    >>> from polarguide.dates import parse_date
    >>> record = {"identifier": "CERV-X", "title": "Citizens", "kind": "call",
    ...           "deadlines": [parse_date("2027-02-01T16:00:00Z")]}
    >>> plan = make_plan(record, lang="en", today="2026-11-28")
    >>> plan.warnings[0][:48]
    'Only 9 weeks left (the full plan needs 12 weeks)'
    >>> plan.steps[0].start, plan.steps[-1].due
    (datetime.date(2026, 11, 30), datetime.date(2027, 1, 28))
    >>> make_plan(record, today="2027-03-01")
    Traceback (most recent call last):
    ...
    polarguide.errors.InputError: the last known deadline of CERV-X (2027-02-01) has passed; \
check the next date at the official page and pass --deadline YYYY-MM-DD
    """
    lang = check_lang(lang)
    fi = lang == "fi"
    row = _as_dict(record)
    identifier = _text(row, "identifier") or "?"
    kind = _text(row, "kind") or "call"
    url = _text(row, "url")
    day = _as_day(today) if today is not None else reference_day()
    moment, time_known = _pick_deadline(row, identifier, kind, url, day, deadline)
    deadline_day = helsinki_day(moment)
    begin = max(_as_day(start), day) if start is not None else day
    if begin > deadline_day:
        raise InputError(
            f"start {begin.isoformat()} is after the deadline {deadline_day.isoformat()}"
        )

    warnings: list[str] = []
    status = _text(row, "status")
    if status in ("closed", "paused"):
        warnings.append(
            f"Ohjelma on tietojemme mukaan {'suljettu' if status == 'closed' else 'tauolla'}. "
            "Tarkista tilanne virallisesta sivusta."
            if fi
            else f"In our data the programme is {status}. Check the official page."
        )
    available = working_days_between(begin, deadline_day)
    offsets = _offsets(available)
    if available < PLAN_WORKING_DAYS:
        warnings.append(_short_time_warning(begin, deadline_day, lang))

    apply_via = _apply_via(row, identifier, kind, lang)
    route = "call" if kind == "call" else ("programme" if apply_via else "unknown")
    steps = []
    previous = PLAN_WORKING_DAYS if available >= PLAN_WORKING_DAYS else available
    for (key, _), offset in zip(TIMELINE, offsets, strict=True):
        text_key = f"registration.{route}" if key == "registration" else key
        description = _pick(_DESCRIPTIONS[text_key], lang).format(
            apply_via=_sentence(apply_via), url=url or label("unknown", lang)
        )
        title_key = "registration_call" if text_key == "registration.call" else key
        title = label(f"plan.step.{title_key}", lang)
        steps.append(
            Step(
                key=key,
                title=title,
                due=working_days_before(deadline_day, offset),
                description=description.strip(),
                start=working_days_before(deadline_day, previous),
            )
        )
        previous = offset
    submit_text = _day_text(steps[-1].due, lang)
    registration = _pick(_REGISTRATION_ITEM[route], lang).format(apply_via=_sentence(apply_via))
    checklist = [
        _pick(item, lang).format(registration=registration, submit=submit_text)
        for item in _CHECKLIST
    ]
    return Plan(
        identifier=identifier,
        title=_text(row, "title"),
        programme=_programme_text(row),
        url=url,
        kind=kind,
        deadline=moment,
        steps=steps,
        checklist=checklist,
        warnings=warnings,
        lang=lang,
        today=day,
        start=begin,
        deadline_time_known=time_known,
        record=row,
    )


# ------------------------------------------------------------------ working days


def finnish_days_off(year: int) -> set[dt.date]:
    """Holidays in Finland (the ``holidays`` package): public holidays plus Midsummer Eve
    and Christmas Eve, when offices are closed.

    >>> sorted(d.isoformat() for d in finnish_days_off(2027))[:4]
    ['2027-01-01', '2027-01-06', '2027-03-26', '2027-03-28']
    >>> dt.date(2027, 6, 25) in finnish_days_off(2027)  # Midsummer Eve
    True
    """
    return set(_finnish_holidays(year))


@lru_cache(maxsize=64)
def _finnish_holidays(year: int) -> frozenset[dt.date]:
    import holidays

    return frozenset(holidays.country_holidays("FI", years=year))


def is_working_day(day: dt.date) -> bool:
    """True on Monday–Friday unless it is a Finnish holiday (:func:`finnish_days_off`).

    >>> is_working_day(dt.date(2026, 12, 24)), is_working_day(dt.date(2026, 12, 28))
    (False, True)
    """
    return day.weekday() < 5 and day not in finnish_days_off(day.year)


def working_days_before(day: dt.date, count: int) -> dt.date:
    """The working day ``count`` working days before ``day`` (``day`` itself if 0).

    >>> working_days_before(dt.date(2027, 1, 4), 3)  # Monday; 1 January is a holiday
    datetime.date(2026, 12, 29)
    """
    current = day
    while count > 0:
        current -= dt.timedelta(days=1)
        if is_working_day(current):
            count -= 1
    return current


def working_days_between(start: dt.date, end: dt.date) -> int:
    """How many working days there are from ``start`` (included) to ``end`` (excluded).

    >>> working_days_between(dt.date(2026, 11, 30), dt.date(2026, 12, 7))  # 6.12. is Sunday
    5
    """
    total = 0
    current = start
    while current < end:
        total += is_working_day(current)
        current += dt.timedelta(days=1)
    return total


def _offsets(available: int) -> list[int]:
    """Working days before the deadline for each step, squeezed into ``available``."""
    wanted = [days for _, days in TIMELINE]
    if available >= PLAN_WORKING_DAYS:
        return wanted
    if available <= 0:
        return [0] * len(wanted)
    factor = available / PLAN_WORKING_DAYS
    return [min(available, max(1, round(days * factor))) for days in wanted]


def _short_time_warning(begin: dt.date, deadline_day: dt.date, lang: str) -> str:
    full = PLAN_WORKING_DAYS // WORKING_WEEK
    days = (deadline_day - begin).days
    weeks = days // 7
    if lang == "fi":
        left = f"{weeks} viikkoa" if weeks >= 1 else f"{days} päivää"
        return (
            f"Aikaa on vain {left} (koko suunnitelma vaatii {full} viikkoa). "
            "Aikataulu on tiivistetty: aloita heti ja tee vaiheita rinnakkain. "
            "Mieti myös, olisiko seuraava hakukierros parempi."
        )
    left = f"{weeks} weeks" if weeks >= 1 else f"{days} days"
    return (
        f"Only {left} left (the full plan needs {full} weeks): the steps are squeezed. "
        "Start now and work on steps side by side. Consider whether the next round "
        "would suit you better."
    )


# ------------------------------------------------------------------ record helpers


def _as_dict(record: Any) -> dict[str, Any]:
    if hasattr(record, "columns") and hasattr(record, "iloc"):  # a whole DataFrame
        if len(record) != 1:
            raise InputError(f"a plan needs one record, got {len(record)} rows; pick one row")
        record = record.iloc[0]
    if hasattr(record, "to_dict"):
        record = record.to_dict()
    if not isinstance(record, dict):
        raise InputError("a plan needs one record (a DataFrame row or a dict)")
    return dict(record)


def _text(row: dict[str, Any], key: str) -> str:
    value = row.get(key)
    return "" if is_missing(value) else str(value).strip()


def _as_day(value: dt.date | str) -> dt.date:
    if isinstance(value, dt.datetime):
        return helsinki_day(parse_date(value))  # type: ignore[arg-type]
    if isinstance(value, dt.date):
        return value
    return parse_day(str(value))


def _pick_deadline(
    row: dict[str, Any],
    identifier: str,
    kind: str,
    url: str,
    today: dt.date,
    given: dt.date | dt.datetime | str | None,
) -> tuple[dt.datetime, bool]:
    """The deadline moment and whether its time of day is known."""
    raw = row.get("deadlines")
    values = [] if _missing_list(raw) else list(raw)
    if not values and not is_missing(row.get("next_deadline")):
        values = [row.get("next_deadline")]
    known = sorted(d for d in (parse_date(v) for v in values) if d is not None)
    where = url or "the official page"
    if given is not None:
        if isinstance(given, dt.datetime):
            moment = parse_date(given)
            assert moment is not None
            day, time_known = helsinki_day(moment), True
        else:
            day = _as_day(given)
            same_day = [d for d in known if helsinki_day(d) == day]
            moment = same_day[0] if same_day else parse_date(day)
            assert moment is not None
            time_known = bool(same_day) and kind == "call" and not is_date_only(moment)
        if day < today:
            raise InputError(
                f"the deadline {day.isoformat()} has passed (today is {today.isoformat()})"
            )
        return moment, time_known
    upcoming = next_deadline(known, today)
    if upcoming is None:
        if known:
            last = helsinki_day(known[-1]).isoformat()
            problem = f"the last known deadline of {identifier} ({last}) has passed"
        else:
            problem = f"{identifier} has no deadline in our data"
        from .rounds import catalogue_expected

        found = catalogue_expected(str(identifier), today)
        if found is not None:  # a window from past rounds helps; it is not a deadline
            problem += f"; its next round is expected around {found[0].around} (not confirmed)"
        raise InputError(
            f"{problem}; check the next date at {where} and pass --deadline YYYY-MM-DD"
        )
    return upcoming, kind == "call" and not is_date_only(upcoming)


def _programme_text(row: dict[str, Any]) -> str:
    """The full programme name, or the short one when the name only repeats the title."""
    name = _text(row, "programme_name")
    if name and name != _text(row, "title"):
        return name
    return _text(row, "programme")


def _missing_list(value: Any) -> bool:
    if value is None:
        return True
    if isinstance(value, (list, tuple)) or hasattr(value, "tolist"):
        return len(value) == 0
    return is_missing(value)


def _apply_via(row: dict[str, Any], identifier: str, kind: str, lang: str) -> str:
    """How to apply, for catalogue programmes: the record's or the catalogue's ``apply_via``."""
    if kind == "call":
        return ""
    text = _text(row, "apply_via")
    if text:
        return text
    from .catalogue import load_catalogue

    try:
        return load_catalogue().get(identifier).text("apply_via", lang)
    except InputError:
        return ""


def _pick(pair: tuple[str, str], lang: str) -> str:
    return pair[0] if lang == "fi" else pair[1]


def _sentence(text: str) -> str:
    text = text.strip()
    return text if not text or text[-1] in ".!?" else text + "."


def _day_text(day: dt.date, lang: str) -> str:
    """``ti 8.9.2027`` / ``Wed 8 September 2027``."""
    weekday = _WEEKDAYS[lang][day.weekday()]
    if lang == "fi":
        return f"{weekday} {day.day}.{day.month}.{day.year}"
    return f"{weekday} {day.day} {month_name(day.month, 'en')} {day.year}"


def _cell(text: str) -> str:
    return " ".join(str(text).split()).replace("|", "\\|")
