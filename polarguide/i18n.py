"""UI labels in Finnish and English for tables, charts, summaries and the CLI.

>>> label("deadline", "fi"), label("deadline", "en")
('Määräaika', 'Deadline')
>>> label("status.open", "fi")
'avoinna'
"""

from __future__ import annotations

import datetime as dt
import os
from typing import Any

from .errors import InputError

LANGUAGES = ("fi", "en")

#: key -> (Finnish, English)
LABELS: dict[str, tuple[str, str]] = {
    # column headers
    "identifier": ("Tunniste", "Identifier"),
    "call_identifier": ("Haun tunniste", "Call identifier"),
    "title": ("Otsikko", "Title"),
    "call_title": ("Haku", "Call"),
    "programme": ("Ohjelma", "Programme"),
    "programme_name": ("Ohjelman nimi", "Programme name"),
    "status": ("Tila", "Status"),
    "type_of_action": ("Toimen tyyppi", "Type of action"),
    "opening_date": ("Avautuu", "Opens"),
    "deadline": ("Määräaika", "Deadline"),
    "deadlines": ("Määräajat", "Deadlines"),
    "next_deadline": ("Seuraava määräaika", "Next deadline"),
    "days_left": ("Päiviä jäljellä", "Days left"),
    "budget": ("Budjetti", "Budget"),
    "budget_eur": ("Budjetti (EUR)", "Budget (EUR)"),
    "grant_size": ("Avustuksen koko", "Grant size"),
    "max_grant_eur": ("Enimmäisavustus (EUR)", "Maximum grant (EUR)"),
    "min_grant_eur": ("Vähimmäisavustus (EUR)", "Minimum grant (EUR)"),
    "expected_grants": ("Avustuksia arviolta", "Expected grants"),
    "keywords": ("Avainsanat", "Keywords"),
    "url": ("Linkki", "Link"),
    "score": ("Osuvuus", "Relevance"),
    "why": ("Miksi", "Why"),
    "kind": ("Tyyppi", "Kind"),
    "count": ("Määrä", "Count"),
    "unknown_budget": ("Budjetti tuntematon", "Budget unknown"),
    "calls": ("Haut", "Calls"),
    "other": ("muut", "other"),
    "unknown": ("tuntematon", "unknown"),
    "no_deadline": ("ei määräaikaa", "no deadline"),
    "days": ("päivää", "days"),
    "today": ("tänään", "today"),
    "no_results": ("Ei osumia.", "No results."),
    # status values
    "status.open": ("avoinna", "open"),
    "status.forthcoming": ("tulossa", "forthcoming"),
    "status.closed": ("suljettu", "closed"),
    "status.recurring": ("toistuva", "recurring"),
    "status.paused": ("tauolla", "paused"),
    "status.expected": ("odotettu kierros", "expected round"),
    # kinds
    "kind.call": ("haku", "call"),
    "kind.programme": ("ohjelma", "programme"),
    # charts
    "chart.deadlines_per_month": ("Määräajat kuukausittain", "Deadlines per month"),
    "chart.budget_by_programme": ("Budjetti ohjelmittain", "Budget by programme"),
    "axis.month": ("Kuukausi", "Month"),
    "axis.deadlines": ("Määräaikojen määrä", "Number of deadlines"),
    "axis.budget_meur": ("Budjetti (milj. euroa)", "Budget (million euros)"),
    # polar profile topics
    "topic.youth": ("nuoret", "youth"),
    "topic.environment": ("ympäristö", "environment"),
    "topic.climate": ("ilmasto", "climate"),
    "topic.nature": ("luonto", "nature"),
    "topic.rural": ("maaseutu", "rural"),
    "topic.arctic": ("arktinen ja pohjoinen", "Arctic and Nordic"),
    "topic.culture": ("kulttuuri", "culture"),
    "topic.small_grants": ("pienet avustukset", "small grants"),
    # months (1..12)
    "month.1": ("tammikuu", "January"),
    "month.2": ("helmikuu", "February"),
    "month.3": ("maaliskuu", "March"),
    "month.4": ("huhtikuu", "April"),
    "month.5": ("toukokuu", "May"),
    "month.6": ("kesäkuu", "June"),
    "month.7": ("heinäkuu", "July"),
    "month.8": ("elokuu", "August"),
    "month.9": ("syyskuu", "September"),
    "month.10": ("lokakuu", "October"),
    "month.11": ("marraskuu", "November"),
    "month.12": ("joulukuu", "December"),
    # application plan (polarguide.plan)
    "plan.heading": ("Hakusuunnitelma", "Application plan"),
    "plan.timeline": ("Aikataulu", "Timeline"),
    "plan.checklist": ("Tarkistuslista", "Checklist"),
    "plan.step": ("Vaihe", "Step"),
    "plan.start": ("Aloita", "Start"),
    "plan.due": ("Valmis viimeistään", "Done by"),
    "plan.what": ("Mitä teet", "What to do"),
    "plan.official": ("Virallinen sivu", "Official page"),
    "plan.advice": (
        "Päivät ovat tämän oppaan neuvoja, eivät ohjelman sääntöjä. "
        "Virallinen hakuteksti ratkaisee aina.",
        "The dates are this guide's advice, not programme rules. "
        "The official call text always decides.",
    ),
    "plan.step.partners": ("Kumppanien etsiminen", "Partner search"),
    "plan.step.idea": ("Idea ja tavoitteet", "Idea and objectives"),
    "plan.step.registration": (
        "Rekisteröityminen ja hakukanava",
        "Registration and where to apply",
    ),
    "plan.step.registration_call": (
        "Rekisteröityminen: EU Login ja PIC",
        "Registration: EU Login and PIC",
    ),
    "plan.step.letters": ("Kumppanien vahvistukset", "Partner confirmations and letters"),
    "plan.step.draft": ("Hakemusluonnos", "Draft application"),
    "plan.step.budget": ("Budjetti", "Budget"),
    "plan.step.review": ("Ulkopuolinen lukija", "Review by an outsider"),
    "plan.step.submit": ("Hakemuksen jättäminen", "Submission"),
}


def check_lang(lang: str) -> str:
    """Return ``lang`` if it is ``"fi"`` or ``"en"``, else raise :class:`InputError`.

    >>> check_lang("en")
    'en'
    >>> check_lang("sv")
    Traceback (most recent call last):
    ...
    polarguide.errors.InputError: unknown language 'sv': use fi or en
    """
    if lang not in LANGUAGES:
        raise InputError(f"unknown language {lang!r}: use fi or en")
    return lang


def current_language(default: str = "fi") -> str:
    """The language from the ``POLARGUIDE_LANG`` environment variable, else ``default``.

    >>> import os
    >>> os.environ["POLARGUIDE_LANG"] = "en"; current_language()
    'en'
    >>> os.environ["POLARGUIDE_LANG"] = "klingon"; current_language()
    'fi'
    >>> del os.environ["POLARGUIDE_LANG"]
    """
    value = os.environ.get("POLARGUIDE_LANG", "").strip().lower()
    return value if value in LANGUAGES else default


def label(key: str, lang: str = "fi") -> str:
    """The UI string for ``key`` in ``lang``; unknown keys come back unchanged.

    >>> label("days_left", "en"), label("month.3", "fi")
    ('Days left', 'maaliskuu')
    >>> label("no-such-key", "en")
    'no-such-key'
    """
    check_lang(lang)
    pair = LABELS.get(key)
    if pair is None:
        return key
    return pair[0] if lang == "fi" else pair[1]


def month_name(month: int, lang: str = "fi") -> str:
    """Month name for ``month`` 1..12.

    >>> month_name(3, "en"), month_name(12, "fi")
    ('March', 'joulukuu')
    """
    return label(f"month.{int(month)}", lang)


def status_label(status: str, lang: str = "fi") -> str:
    """Human status in ``lang``; unknown statuses come back unchanged.

    >>> status_label("forthcoming", "fi")
    'tulossa'
    """
    return label(f"status.{status}", lang) if f"status.{status}" in LABELS else str(status)


def format_date(value: Any, lang: str = "fi") -> str:
    """A day as readers write it: ``28.11.2026`` in Finnish, ``28 November 2026`` in English.

    Takes a ``date``, a ``datetime`` (its calendar day) or an ISO string; anything that is not
    a date comes back as text (``None`` as ``""``).

    >>> format_date("2026-11-28", "fi"), format_date("2026-11-28", "en")
    ('28.11.2026', '28 November 2026')
    >>> format_date("not a date", "en"), format_date(None)
    ('not a date', '')
    """
    if isinstance(value, str):
        try:
            value = dt.date.fromisoformat(value)
        except ValueError:
            return value
    if isinstance(value, dt.datetime):
        value = value.date()
    if not isinstance(value, dt.date):
        return "" if value is None else str(value)
    if lang == "en":
        return f"{value.day} {month_name(value.month, 'en').capitalize()} {value.year}"
    return f"{value.day}.{value.month}.{value.year}"


def age_range(age_min: int | None, age_max: int | None, lang: str = "fi") -> str:
    """Ages as ``13–30``; with one end only, in words (a bare ``–30`` reads as minus 30).

    >>> age_range(13, 30), age_range(None, 30), age_range(None, None, "en")
    ('13–30', 'enintään 30', '–')
    >>> age_range(None, 25, "en"), age_range(18, None, "en"), age_range(18, None)
    ('up to 25', '18 and over', 'vähintään 18')
    """
    if age_min is None and age_max is None:
        return "–"
    if age_min is None:
        return f"enintään {age_max}" if lang == "fi" else f"up to {age_max}"
    if age_max is None:
        return f"vähintään {age_min}" if lang == "fi" else f"{age_min} and over"
    return f"{age_min}–{age_max}"
