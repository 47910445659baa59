"""Tests for the curated catalogue (polarguide/data/catalogue.yaml and polarguide.catalogue)."""

from __future__ import annotations

import copy
import datetime as dt
import re
from pathlib import Path

import pytest
import yaml

from polarguide import catalogue as cat_mod
from polarguide.catalogue import (
    ROUTES,
    STATUSES,
    Catalogue,
    catalogue_records,
    load_catalogue,
    parse_catalogue,
)
from polarguide.errors import DataError, InputError
from polarguide.records import COLUMNS

DOSSIER = Path("/work/shared/facts/programmes.yaml")
EXTRA_COLUMNS = ["route", "age_min", "age_max", "who_can_apply", "search_text", "round_pattern"]

# A number is a run of digits, with space-separated thousands groups joined
# ("30 000" -> "30000"), so "EUR 30 000" and "30 000 euroa" give the same token.
_NUMBER = re.compile(r"\d{1,3}(?:[ \u00a0\u202f]\d{3})+(?!\d)|\d+")


def numbers(text: str) -> set[str]:
    """Number tokens in ``text``, thousands separators removed."""
    return {re.sub(r"\s", "", m) for m in _NUMBER.findall(text)}


@pytest.fixture(scope="module")
def raw_doc() -> dict:
    with open(cat_mod.DEFAULT_PATH, encoding="utf-8") as fh:
        return yaml.safe_load(fh)


@pytest.fixture(scope="module")
def cat() -> Catalogue:
    return load_catalogue()


# ----------------------------------------------------------------- the data


def test_bundled_catalogue_loads_with_programmes_and_context(cat):
    assert len(cat.entries) >= 20
    assert len(cat.context) >= 5
    # the catalogue's check date is the newest check of any fact in it
    assert cat.checked == max(f.checked for e in cat.all_entries for f in (e.facts or {}).values())


@pytest.mark.skipif(not DOSSIER.exists(), reason="facts dossier not available")
def test_every_dossier_entry_is_in_the_catalogue(cat):
    dossier = yaml.safe_load(DOSSIER.read_text(encoding="utf-8"))
    dossier_ids = {item["id"] for item in dossier}
    catalogue_ids = {e.id for e in cat.all_entries}
    assert dossier_ids - catalogue_ids == set()


def test_ids_are_unique(raw_doc):
    ids = [e["id"] for e in raw_doc["programmes"] + raw_doc["context"]]
    assert len(ids) == len(set(ids))


def test_routes_and_statuses_are_allowed(cat):
    for entry in cat.entries:
        assert entry.route in ROUTES, entry.id
        assert entry.status in STATUSES, entry.id


def test_known_statuses_from_the_dossier(cat):
    assert cat.get("kolarctic-status").status == "closed"
    assert cat.get("barents-cooperation-youth").status == "paused"


def test_ages_are_sane_and_backed_by_a_fact(cat):
    for entry in cat.entries:
        for age in (entry.age_min, entry.age_max):
            if age is None:
                continue
            assert 0 < age <= 35, entry.id
            fact_numbers = set().union(
                *(numbers(f.value_en) | numbers(f.value_fi) for f in entry.facts.values())
            )
            assert str(age) in fact_numbers, f"{entry.id}: age {age} not in any fact"


def test_every_fact_has_source_and_check_date(cat):
    for entry in cat.all_entries:
        for key, fact in entry.facts.items():
            assert fact.source_url.startswith("http"), f"{entry.id}.{key}"
            assert isinstance(fact.checked, dt.date), f"{entry.id}.{key}"
            assert fact.checked <= cat.checked, f"{entry.id}.{key}"
            assert fact.value_fi and fact.value_en, f"{entry.id}.{key}"


@pytest.mark.parametrize("field", ["summary", "amounts", "deadline_pattern"])
@pytest.mark.parametrize("lang", ["fi", "en"])
def test_numbers_in_texts_live_in_that_entrys_facts(cat, field, lang):
    problems = []
    for entry in cat.all_entries:
        text = entry.text(field, lang) if hasattr(entry, field) else ""
        fact_numbers = set().union(set(), *(numbers(f.value(lang)) for f in entry.facts.values()))
        missing = numbers(text) - fact_numbers
        if missing:
            problems.append(f"{entry.id}.{field}.{lang}: {sorted(missing)}")
    assert problems == []


def test_number_tokenizer_joins_thousands_and_can_tell_numbers_apart():
    assert numbers("EUR 30 000 or 60 000") == {"30000", "60000"}
    assert numbers("30 000 tai 60 000 euroa") == {"30000", "60000"}
    assert numbers("5 March 2026, 12:00") == {"5", "2026", "12", "00"}
    assert numbers("13–30 years") == {"13", "30"}
    assert "500" not in numbers("EUR 5 000")


def test_next_deadline_is_written_in_its_source_fact(cat):
    with_deadline = [e for e in cat.entries if e.next_deadline]
    assert len(with_deadline) >= 10
    for entry in with_deadline:
        day = entry.next_deadline
        fact = entry.facts[entry.deadline_fact]
        assert f"{day.day} {day:%B} {day.year}" in fact.value_en, entry.id


def test_unknown_is_bilingual_where_present(cat):
    for entry in cat.all_entries:
        if entry.unknown:
            assert entry.unknown["fi"] and entry.unknown["en"], entry.id


# ------------------------------------------------------------------ lookups


def test_get_and_fact(cat):
    fact = cat.fact("erasmus-youth-exchanges-ka152.age_range")
    assert "13–30" in fact.value("fi") and "13–30" in fact.value("en")
    assert fact.ref == "erasmus-youth-exchanges-ka152.age_range"


def test_get_unknown_entry_suggests_close_ids(cat):
    with pytest.raises(InputError, match="did you mean interreg-aurora"):
        cat.get("interreg-auroa")


def test_fact_with_bad_reference(cat):
    with pytest.raises(InputError, match=r"entry-id\.fact_key"):
        cat.fact("no-dot-here")
    with pytest.raises(InputError, match="unknown fact"):
        cat.fact("discovereu.no_such_fact")


def test_value_rejects_unknown_language(cat):
    with pytest.raises(InputError):
        cat.fact("discovereu.travel_days").value("sv")


# ---------------------------------------------------------------- validation


def _broken(doc: dict, mutate) -> str:
    doc = copy.deepcopy(doc)
    mutate(doc)
    with pytest.raises(DataError) as info:
        parse_catalogue(doc, name="catalogue.yaml")
    message = str(info.value)
    assert "\n" not in message
    return message


def _first_fact(doc: dict) -> dict:
    return next(iter(doc["programmes"][0]["facts"].values()))


def test_missing_source_url_is_caught(raw_doc):
    def mutate(doc):
        del _first_fact(doc)["source_url"]

    message = _broken(raw_doc, mutate)
    assert "erasmus-youth-exchanges-ka152" in message and "source_url" in message


def test_source_url_must_be_http(raw_doc):
    def mutate(doc):
        _first_fact(doc)["source_url"] = "www.example.org"

    assert "source_url" in _broken(raw_doc, mutate)


def test_missing_finnish_name_is_caught(raw_doc):
    def mutate(doc):
        del doc["programmes"][3]["name"]["fi"]

    message = _broken(raw_doc, mutate)
    assert "'name.fi'" in message and doc_id(raw_doc, 3) in message


def test_missing_english_fact_value_is_caught(raw_doc):
    def mutate(doc):
        del _first_fact(doc)["value"]["en"]

    assert ".value.en'" in _broken(raw_doc, mutate)


def test_missing_english_summary_in_context_is_caught(raw_doc):
    def mutate(doc):
        doc["context"][0]["summary"]["en"] = "  "

    assert "'summary.en'" in _broken(raw_doc, mutate)


def test_duplicate_ids_are_caught(raw_doc):
    def mutate(doc):
        doc["context"].append(copy.deepcopy(doc["programmes"][0]))

    assert "duplicate" in _broken(raw_doc, mutate)


@pytest.mark.parametrize("bad", ["2026-13-01", "28.11.2026", None])
def test_bad_checked_dates_are_caught(raw_doc, bad):
    def mutate(doc):
        _first_fact(doc)["checked"] = bad

    assert ".checked'" in _broken(raw_doc, mutate)


def test_bad_next_deadline_is_caught(raw_doc):
    def mutate(doc):
        doc["programmes"][0]["next_deadline"] = "12.2.2026"

    assert "next_deadline" in _broken(raw_doc, mutate)


def test_deadline_without_source_fact_is_caught(raw_doc):
    def mutate(doc):
        doc["programmes"][0]["deadline_fact"] = None

    assert "deadline_fact" in _broken(raw_doc, mutate)


@pytest.mark.parametrize(("field", "value"), [("route", "pensioners"), ("status", "maybe")])
def test_bad_route_or_status_is_caught(raw_doc, field, value):
    def mutate(doc):
        doc["programmes"][0][field] = value

    assert f"'{field}'" in _broken(raw_doc, mutate)


def test_broken_file_raises_one_line_data_error(tmp_path):
    path = tmp_path / "catalogue.yaml"
    path.write_text("meta: {checked: 2026-11-28}\nprogrammes: [\n", encoding="utf-8")
    with pytest.raises(DataError, match="not valid YAML"):
        load_catalogue(path)
    with pytest.raises(DataError, match="cannot read"):
        load_catalogue(tmp_path / "missing.yaml")


def test_edited_file_is_reloaded(tmp_path, raw_doc):
    path = tmp_path / "catalogue.yaml"
    doc = copy.deepcopy(raw_doc)
    path.write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    first = load_catalogue(path)
    doc["programmes"][0]["programme"] = "EDITED"
    path.write_text(yaml.safe_dump(doc, allow_unicode=True) + "\n", encoding="utf-8")
    second = load_catalogue(path)
    assert first.entries[0].programme == "ERASMUS"
    assert second.entries[0].programme == "EDITED"


def doc_id(doc: dict, index: int) -> str:
    return doc["programmes"][index]["id"]


# ------------------------------------------------------------------- records


@pytest.mark.parametrize("lang", ["fi", "en"])
def test_catalogue_records_columns_follow_records_model(cat, lang):
    frame = catalogue_records(lang)
    assert list(frame.columns) == list(COLUMNS) + EXTRA_COLUMNS
    assert len(frame) == len(cat.entries)
    assert set(frame["kind"]) == {"programme"}
    assert set(frame["language"]) == {lang}
    assert frame["identifier"].is_unique


def test_catalogue_records_content(cat):
    fi = catalogue_records("fi").set_index("identifier")
    en = catalogue_records("en").set_index("identifier")
    row = fi.loc["erasmus-youth-exchanges-ka152"]
    assert row["title"] == "Nuorisovaihdot (Erasmus+ nuorisoalalle)"
    assert en.loc["erasmus-youth-exchanges-ka152", "title"] == "Erasmus+ Youth Exchanges"
    assert "Kuka voi hakea" in row["summary"] and "Who can apply" not in row["summary"]
    assert row["next_deadline"].date() == dt.date(2025, 2, 12)
    assert [d.date() for d in row["deadlines"]] == [dt.date(2025, 2, 12)]
    assert int(row["age_min"]) == 13 and int(row["age_max"]) == 30
    assert row["retrieved_at"].date() == cat.checked
    assert row["source"] == "polarguide curated catalogue"
    leader = fi.loc["leader-clld-finland-cap-2023-2027"]
    assert leader["deadlines"] == [] and leader["next_deadline"] != leader["next_deadline"]


def test_search_text_has_both_languages():
    frame = catalogue_records("en").set_index("identifier")
    text = frame.loc["esc-solidarity-projects", "search_text"]
    assert "solidaarisuushanke" in text.lower() and "solidarity project" in text.lower()


def test_catalogue_records_rejects_unknown_language():
    with pytest.raises(InputError):
        catalogue_records("sv")
