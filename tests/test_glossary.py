"""Tests for the bilingual glossary (polarguide/data/glossary.yaml and polarguide.glossary)."""

from __future__ import annotations

import copy
import re
from collections import Counter

import pytest
import yaml

from polarguide import glossary as gl
from polarguide.errors import DataError, InputError
from polarguide.glossary import (
    TOPICS,
    Term,
    load_glossary,
    parse_glossary,
    sort_key,
    terms_for_book,
    translations,
)


@pytest.fixture(scope="module")
def raw_terms() -> list[dict]:
    with open(gl.DEFAULT_PATH, encoding="utf-8") as fh:
        return yaml.safe_load(fh)["terms"]


def test_at_least_300_terms(raw_terms):
    assert len(load_glossary()) == len(raw_terms) >= 300


def test_at_least_120_terms_defined_in_both_languages(raw_terms):
    defined = [t for t in raw_terms if t.get("definition_fi") and t.get("definition_en")]
    assert len(defined) >= 120
    assert len(terms_for_book("fi")) == len(defined)


def test_no_duplicate_finnish_headwords_or_ids(raw_terms):
    fi = Counter(t["fi"].casefold() for t in raw_terms)
    ids = Counter(t["id"] for t in raw_terms)
    assert [w for w, n in fi.items() if n > 1] == []
    assert [i for i, n in ids.items() if n > 1] == []


@pytest.mark.parametrize("lang", ["fi", "en"])
def test_book_terms_have_unique_words(lang):
    """The book turns every headword and synonym into a glossary entry: no clashes."""
    seen = Counter(w.casefold() for t in terms_for_book(lang) for w in t.words(lang))
    assert [w for w, n in seen.items() if n > 1] == []


def test_synonym_repeating_headword_rejected(raw_terms):
    def mutate(terms):
        terms[0]["fi_synonyms"] = [terms[0]["fi"].upper()]

    assert "repeats a word" in _broken(raw_terms, mutate)


def test_every_topic_is_used_and_allowed(raw_terms):
    assert {t["topic"] for t in raw_terms} == set(TOPICS)


def test_definitions_contain_no_numbers(raw_terms):
    offenders = [
        t["id"]
        for t in raw_terms
        if re.search(r"\d", (t.get("definition_fi") or "") + (t.get("definition_en") or ""))
    ]
    assert offenders == []


@pytest.mark.parametrize(
    ("finnish", "english"),
    [
        ("nuorisovaihto", "youth exchange"),
        ("ilmastonmuutos", "climate change"),
        ("luonnon monimuotoisuus", "biodiversity"),
        ("nuoret", "youth"),
        ("nuoriso", "youth"),
        ("kylä", "village"),
        ("kylä", "rural"),
        ("omarahoitus", "co-financing"),
        ("kiertotalous", "circular economy"),
        ("poronhoito", "reindeer herding"),
        ("Nuorisovaihto", "youth exchange"),
    ],
)
def test_required_finnish_to_english_mappings(finnish, english):
    assert english in translations(finnish)


def test_headword_translation_comes_first():
    assert translations("nuoret")[0] == "youth"
    assert translations("youth exchange", source="en")[0] == "nuorisovaihto"


def test_translations_of_unknown_word_and_language():
    assert translations("xyzzy") == []
    with pytest.raises(InputError):
        translations("kylä", source="sv")


def test_terms_for_book_sorted_in_finnish_order():
    terms = [
        Term("a", "öljy", "oil", definition_fi="x", definition_en="y"),
        Term("b", "ämpäri", "bucket", definition_fi="x", definition_en="y"),
        Term("c", "zeta", "zeta", definition_fi="x", definition_en="y"),
        Term("d", "auto", "car", definition_fi="x", definition_en="y"),
        Term("e", "vaaka", "scale"),
    ]
    assert [t.fi for t in terms_for_book("fi", terms)] == ["auto", "zeta", "ämpäri", "öljy"]
    assert [t.en for t in terms_for_book("en", terms)] == ["bucket", "car", "oil", "zeta"]


def test_sort_key_orders_nordic_letters_last():
    words = ["Åland", "ääni", "öljy", "aamu", "zoo"]
    assert sorted(words, key=sort_key) == ["aamu", "zoo", "Åland", "ääni", "öljy"]


def test_bundled_book_terms_are_sorted():
    fi = [t.fi for t in terms_for_book("fi")]
    assert fi == sorted(fi, key=sort_key)


# ---------------------------------------------------------------- validation


def _broken(raw_terms, mutate) -> str:
    terms = copy.deepcopy(raw_terms)
    mutate(terms)
    with pytest.raises(DataError) as info:
        parse_glossary({"terms": terms}, name="glossary.yaml")
    assert "\n" not in str(info.value)
    return str(info.value)


def test_duplicate_finnish_headword_rejected(raw_terms):
    def mutate(terms):
        extra = copy.deepcopy(terms[0])
        extra["id"] = "another-id"
        extra["en"] = "something else"
        terms.append(extra)

    assert "duplicates the headword" in _broken(raw_terms, mutate)


def test_duplicate_id_rejected(raw_terms):
    def mutate(terms):
        terms[1]["id"] = terms[0]["id"]

    assert "'id' is a duplicate" in _broken(raw_terms, mutate)


def test_missing_english_headword_rejected(raw_terms):
    def mutate(terms):
        del terms[5]["en"]

    message = _broken(raw_terms, mutate)
    assert raw_terms[5]["id"] in message and "'en'" in message


def test_bad_topic_rejected(raw_terms):
    def mutate(terms):
        terms[0]["topic"] = "weather"

    assert "'topic'" in _broken(raw_terms, mutate)


def test_one_sided_definition_rejected(raw_terms):
    def mutate(terms):
        terms[0]["definition_en"] = ""

    assert "definition_en" in _broken(raw_terms, mutate)


def test_number_in_definition_rejected(raw_terms):
    def mutate(terms):
        terms[0]["definition_fi"] = "Rahaa saa enintään 500 euroa."

    assert "contains a number" in _broken(raw_terms, mutate)


def test_broken_file_raises_data_error(tmp_path):
    path = tmp_path / "glossary.yaml"
    path.write_text("terms: [\n", encoding="utf-8")
    with pytest.raises(DataError, match="not valid YAML"):
        load_glossary(path)
    path.write_text("something: else\n", encoding="utf-8")
    with pytest.raises(DataError, match="'terms' list"):
        load_glossary(path)
