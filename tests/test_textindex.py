"""Tokenising, stemming, compound splitting and BM25F field weights."""

from __future__ import annotations

from types import SimpleNamespace

import pandas as pd
import pytest

from polarguide.records import conform
from polarguide.textindex import (
    Lexicon,
    TextIndex,
    analyze,
    analyze_query,
    build_index,
    fuzzy_stem_match,
    tokenize,
)


def t(fi, en, fi_synonyms=(), en_synonyms=()):
    return SimpleNamespace(
        fi=fi, en=en, fi_synonyms=list(fi_synonyms), en_synonyms=list(en_synonyms)
    )


LEX = Lexicon(
    [
        t("nuoriso", "youth"),
        t("vaihto", "exchange"),
        t("ilmasto", "climate"),
        t("muutos", "change"),
        t("maaseutu", "rural areas"),
        t("kylä", "village"),
    ]
)


def test_tokenize_keeps_nordic_letters_and_numbers():
    assert tokenize("Sámi-kulttuuri Äkäslompolo Ö 2027") == [
        "sami",  # accents fold, å/ä/ö stay
        "kulttuuri",
        "äkäslompolo",
        "ö",
        "2027",
    ]


def test_stopwords_are_dropped_in_both_languages():
    assert analyze("the youth and the village", "en") == ["youth", "villag"]
    assert analyze("nuoret ja kylät", "fi") == ["nuore", "kylä"]


def test_compounds_split_with_linking_n_and_inflected_last_part():
    assert LEX.split_compound("ilmastonmuutos") == ["ilmasto", "muutos"]
    assert LEX.split_compound("nuorisovaihtoon") == ["nuoriso", "vaihto"]
    assert LEX.split_compound("maaseutukylä") == ["maaseutu", "kylä"]
    assert LEX.split_compound("kvanttitietokone") == []


def test_fuzzy_match_is_not_too_loose():
    assert fuzzy_stem_match("maaseudu", "maaseutu")
    assert not fuzzy_stem_match("kala", "kalastus")
    assert not fuzzy_stem_match("maa", "maat")  # too short to guess


def test_query_concepts_translate_both_ways():
    [fi_concept] = analyze_query("nuorisolle", LEX)
    assert ("youth",) in [a.terms for a in fi_concept.alts]
    [en_concept] = analyze_query("villages", LEX)
    assert ("fi:kylä",) in [a.terms for a in en_concept.alts]


def test_multiword_english_glossary_term_is_one_concept():
    concepts = analyze_query("rural areas", LEX)
    assert [c.surface for c in concepts] == ["rural areas"]


def test_title_weighs_more_than_keywords_and_keywords_more_than_text():
    index = TextIndex.from_documents(
        [
            {"text": "youth programme for the north"},
            {"title": "youth"},
            {"keywords": ["youth"]},
        ]
    )
    assert index.search("youth").ids.tolist() == [1, 2, 0]


def test_keywords_count_although_most_records_have_none():
    """Field lengths are averaged over the records that have the field: portal calls have
    no keywords, and a catalogue entry's keywords must not look many times too long."""
    calls = [{"title": f"call {k}", "text": "research and innovation action"} for k in range(50)]
    entry = {"title": "Leader", "keywords": ["rural development", "village", "kylä", "LAG"]}
    mention = {"title": "Trails", "text": "sustainable rural development in long trails"}
    index = TextIndex.from_documents([*calls, entry, mention])
    assert index.search("rural development").ids.tolist()[:2] == [50, 51]


def test_finnish_documents_are_found_by_english_and_finnish_queries():
    frame = conform(
        pd.DataFrame(
            {
                "title": ["Nuorisovaihdot maaseudulla", "Quantum computing"],
                "language": ["fi", "en"],
            }
        )
    )
    index = build_index(frame, [t("nuoriso", "youth"), t("vaihto", "exchange")])
    assert index.search("youth").ids.tolist() == [0]
    assert index.search("nuorisolle").ids.tolist() == [0]
    assert index.search("maaseutu").ids.tolist() == [0]  # gradation: maaseudu ~ maaseutu
    assert index.search("quantum").ids.tolist() == [1]


def test_search_text_column_is_indexed():
    frame = conform(pd.DataFrame({"title": ["A", "B"], "search_text": ["", "reindeer herding"]}))
    assert build_index(frame, []).search("reindeer").ids.tolist() == [1]


def test_a_very_long_word_is_bad_input_not_a_recursion_error():
    """Issue 10: one ~3,600-letter word raised RecursionError in split_compound."""
    from polarguide.errors import InputError

    word = "ilmasto" * 520  # 3,640 letters: the old recursive split went 520 calls deep
    assert LEX.split_compound(word) == []  # bounded: a long "word" is no compound
    assert LEX.split_compound("kylä" * 1000) == []
    assert LEX.split_compound("ab" * 60 + "kylä") == []
    with pytest.raises(InputError, match="too long"):
        TextIndex.from_documents([{"title": "Youth"}], LEX).search(word)


def test_cli_gives_one_line_and_exit_2_for_a_very_long_word():
    import subprocess
    import sys

    done = subprocess.run(
        [sys.executable, "-m", "polarguide", "--today", "2026-08-22", "search", "ilmasto" * 520],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 2
    assert len(done.stderr.strip().splitlines()) == 1
    assert "too long" in done.stderr


def test_false_friends_do_not_match_but_gradation_does():
    pairs = [("koulu", "koulutus"), ("ulkom", "ulkoil"), ("kult", "kulttuur"), ("kala", "kalastus")]
    assert not any(fuzzy_stem_match(a, b) for a, b in pairs)
    assert fuzzy_stem_match("väkival", "väkivalt")  # väkivallan ~ väkivalta
    assert fuzzy_stem_match("maaseudu", "maaseutu")


def test_money_words_do_not_lower_a_topic_match():
    """Every record of a funding tool is about money: a call that never says "money"
    scores for "money for climate" as it does for "climate" (issue 11)."""
    index = TextIndex.from_documents(
        [{"title": "Climate adaptation"}, {"title": "Money for climate"}, {"title": "Money"}]
    )
    alone = index.search("climate")
    with_money = index.search("money for climate")
    assert set(with_money.ids.tolist()) == {0, 1}
    score = dict(zip(with_money.ids.tolist(), with_money.scores, strict=True))
    assert score[0] == pytest.approx(alone.scores[alone.ids.tolist().index(0)])


def test_a_finnish_glossary_phrase_also_finds_its_entrys_other_finnish_forms():
    """*luonnon ennallistaminen* is a synonym of *ennallistaminen*: a record that says
    only the headword matches the whole phrase, not just one word of it."""
    lex = Lexicon(
        [SimpleNamespace(fi="ennallistaminen", en="nature restoration",
                         fi_synonyms=["luonnon ennallistaminen"], en_synonyms=[])]
    )  # fmt: skip
    index = TextIndex.from_documents(
        [
            {"title": "Soiden ennallistaminen", "lang": "fi"},
            {"title": "Luonnon ystävät", "lang": "fi"},
        ],
        lex,
    )
    hits = index.search("luonnon ennallistaminen")
    assert hits.ids.tolist()[0] == 0
    assert hits.why[0] == ["luonnon ennallistaminen→ennallistaminen"]
