"""Content checks that hold the corrections of issue 12 in both editions.

Each test pins one fact or one rule that the guide once got wrong (a name, a region, the
tense of a dated event, a contradiction between two pages, a weak source) and reads the
Finnish pages (``book/**/*.md``), the English catalogues (``locales/en/**/*.po``) and the
data the library owns. Each one has a twin that feeds it a known-bad example, so a check
that stops seeing anything fails too.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
import yaml
from babel.messages.pofile import read_po

from polarguide import catalogue as cat_mod
from polarguide.catalogue import load_catalogue

ROOT = Path(__file__).resolve().parents[1]
BOOK = ROOT / "book"
LOCALES = ROOT / "locales" / "en" / "LC_MESSAGES"
DATA = ROOT / "polarguide" / "data"
FACT_ROLE = re.compile(r"\{fact\}`([^`]+)`")
SOURCES = re.compile(r"^#+ (Lähteet|Sources)\s*$", re.M)


# ----------------------------------------------------------------------------- helpers


def pages() -> dict[str, str]:
    """Finnish chapter text by path relative to ``book/`` (``aloitus/index.md`` …)."""
    return {
        str(p.relative_to(BOOK)): p.read_text(encoding="utf-8")
        for p in sorted(BOOK.rglob("*.md"))
        if "_build" not in p.parts and p.name != "README.md"  # README: the authors' guide
    }


def body(text: str) -> str:
    """The page without its source list: titles of official pages may be in any tense."""
    return SOURCES.split(text)[0]


def paragraphs(text: str) -> list[str]:
    """Blank-line separated blocks, joined to one line each."""
    return [" ".join(block.split()) for block in re.split(r"\n\s*\n", text) if block.strip()]


def sentences(text: str) -> list[str]:
    """Sentences of running text; a role's backticks never end a sentence."""
    flat = " ".join(text.split())
    return [s for s in re.split(r"(?<=[.!?])\s+(?=[A-ZÅÄÖ{*-])", flat) if s]


def english_messages() -> list[tuple[str, str, str]]:
    """(file, msgid, msgstr) of every translated message of the book."""
    out = []
    for path in sorted((LOCALES / "book").rglob("*.po")):
        with path.open("rb") as handle:
            for message in read_po(handle):
                if message.id and isinstance(message.string, str) and message.string:
                    out.append((str(path.relative_to(LOCALES)), message.id, message.string))
    return out


@pytest.fixture(scope="module")
def cat():
    return load_catalogue()


@pytest.fixture(scope="module")
def raw_facts() -> dict[str, dict]:
    """Every fact's raw YAML mapping by ``entry.key`` (keeps fields the loader ignores)."""
    out: dict[str, dict] = {}
    files = [cat_mod.DEFAULT_PATH, *sorted((DATA / "facts").glob("*.yaml"))]
    for path in files:
        doc = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
        for entry in doc.get("programmes", []) + doc.get("context", []):
            for key, spec in (entry.get("facts") or {}).items():
                out[f"{entry['id']}.{key}"] = spec
    return out


# ------------------------------------------------- 1. which centre decides, per area


def test_rural_funding_centre_is_named_per_area(cat):
    """Kuusamo and Taivalkoski are in North Ostrobothnia: the pages that say who decides
    must name Pohjois-Suomen elinvoimakeskus too, not only the Lapland centre."""
    area = cat.fact("finland-regional-administration-reform-2026.pohjois_suomen_area")
    assert "Pohjois-Pohjanmaa" in area.value_fi and "North Ostrobothnia" in area.value_en
    assert (
        "Pohjois-Pohjanmaa"
        in cat.fact("region-facts-lapland-koillismaa.koillismaa_subregion_short").value_fi
    )
    text = pages()
    for page in ("liitteet/ukk.md", "rahoitus/yhteisot.md", "rahoitus/mika-reitti.md"):
        assert "Pohjois-Suomen elinvoimakeskus" in text[page], page
        assert "Lapin elinvoimakeskus" in text[page], page


def test_leader_decision_is_sourced_officially_not_from_a_newsletter(cat):
    fact = cat.fact("leader-clld-finland-cap-2023-2027.decision_maker_short")
    assert fact.source_url.startswith("https://www.ely-keskus.fi/")
    assert "Lapin" not in fact.value_fi  # the rule is national, the centre depends on the area


# ------------------------------------------------------------- 2. Polar Magnets basics


def test_polar_magnets_period_area_and_funder_come_from_its_own_page(cat):
    own = "https://koillismaanleader.fi/polar-magnets/"
    period = cat.fact("polar-magnets-project.period")
    assert period.value_fi == "1.5.2024–31.12.2026" and period.source_url == own
    assert "Kuusamo ja Taivalkoski" in cat.fact("polar-magnets-project.project_area").value_fi
    assert "Lapin ELY-keskus" in cat.fact("polar-magnets-project.funder").value_fi
    register = cat.fact("polar-magnets-project.register_end_date")
    assert register.value_fi == "30.12.2026" and "maaseutuverkosto.fi" in register.source_url
    page = pages()["aloitus/polar-magnets.md"]
    for key in ("period", "register_end_date", "project_area", "funder"):
        assert f"polar-magnets-project.{key}`" in page, key
    assert "ei näkynyt tallennetuissa lähteissä" not in page


# ------------------------------------------------------------- 3. Leader group names


def test_perapohjola_leader_group_has_its_current_name(cat):
    assert cat.fact("leader-groups-lapland-koillismaa.perapohjolan_leader_name").value_fi == (
        "Peräpohjolan Leader ry"
    )
    found = [p for p, t in pages().items() if "Peräpohjolan Kehitys" in t]
    found += [f for f, _, s in english_messages() if "Peräpohjolan Kehitys" in s]
    assert found == []


# ------------------------------------------------------ 4. tense of dated events (data)

#: Finnish verb forms that tell an event as still to come. A dated event whose day has
#: passed must not be told with them (reported speech, "ilmoitti eroavansa", is fine).
FI_FUTURE = re.compile(
    r"\b(eroaa|eroavat|tulee eroamaan|aikoo erota|aloittaa|aloittavat|lakkaa|lakkaavat|"
    r"lakkautetaan|siirtyy|siirtyvät|päättyy)\b",
    re.I,
)
EN_FUTURE = re.compile(r"\b(will|is going to|are going to|withdraws|is withdrawing)\b", re.I)


def past_events(raw_facts: dict[str, dict], today: dt.date) -> list[str]:
    """Fact refs whose ``event_date`` is on or before ``today``."""
    return sorted(
        ref
        for ref, spec in raw_facts.items()
        if isinstance(spec.get("event_date"), dt.date) and spec["event_date"] <= today
    )


def future_tense_uses(refs: list[str], texts: dict[str, str], pattern: re.Pattern) -> list[str]:
    """Sentences (outside source lists) that cite one of ``refs`` in a future tense."""
    found = []
    for name, text in texts.items():
        for sentence in sentences(body(text)):
            cited = set(FACT_ROLE.findall(sentence))
            if cited & set(refs) and pattern.search(FACT_ROLE.sub("", sentence)):
                found.append(f"{name}: {sentence[:140]}")
    return found


def test_dated_events_are_modelled_with_their_day(raw_facts):
    """The Barents exit and the 2026 administrative reform carry their day as data."""
    events = past_events(raw_facts, dt.date(2026, 12, 5))
    assert "barents-cooperation-youth.finland_withdraws_when" in events
    assert "finland-regional-administration-reform-2026.lapin_elinvoimakeskus_start_date" in events
    assert "oph-national-agency-and-youth-grants-finland.youth_grants_lvv_2026" in events


def test_past_events_are_not_told_in_the_future_tense(raw_facts, cat):
    today = max(dt.date.today(), cat.checked)
    refs = past_events(raw_facts, today)
    assert refs
    for ref in refs:
        fact = cat.fact(ref)
        assert not FI_FUTURE.search(fact.value_fi), ref
        assert not EN_FUTURE.search(fact.value_en), ref
    assert future_tense_uses(refs, pages(), FI_FUTURE) == []
    english = {f"{f}: {i[:40]}": s for f, i, s in english_messages()}
    assert future_tense_uses(refs, english, EN_FUTURE) == []


def test_the_tense_check_sees_a_future_tense_sentence():
    ref = "barents-cooperation-youth.finland_withdraws_when"
    bad = {"x.md": f"Suomi eroaa neuvostosta {{fact}}`{ref}`. Sitten muuta."}
    good = {"x.md": f"Suomi erosi neuvostosta {{fact}}`{ref}`. Sitten muuta."}
    assert future_tense_uses([ref], bad, FI_FUTURE)
    assert future_tense_uses([ref], good, FI_FUTURE) == []
    english = {"x.po": f"Finland will leave the Council {{fact}}`{ref}`."}
    assert future_tense_uses([ref], english, EN_FUTURE)


def test_no_page_tells_the_barents_exit_as_still_to_come():
    found = [
        f"{name}: {s[:120]}"
        for name, text in pages().items()
        for s in sentences(body(text))
        if "Barents" in s and FI_FUTURE.search(s)
    ]
    assert found == []


# ------------------------------------------------------- 5. Interreg Aurora's area


def test_aurora_area_lists_all_seven_finnish_regions_everywhere(cat):
    area = cat.fact("interreg-aurora.subarea_aurora_finland").value_fi
    for region in ("Lappi", "Pohjois-Pohjanmaa", "Keski-Pohjanmaa", "Pohjanmaa",
                   "Etelä-Pohjanmaa", "Kainuu", "Pohjois-Karjala"):  # fmt: skip
        assert region in area, region
    for added in re.split(r" ja |, ", cat.fact("interreg-aurora.new_regions_2023_short").value_fi):
        assert added in area
    # no fact of the entry still gives the five-region list of 2021
    five = re.compile(r"Lappi, Pohjois-Pohjanmaa, Keski-Pohjanmaa, Pohjanmaa ja Etelä-Pohjanmaa")
    entry = cat.get("interreg-aurora")
    assert [k for k, f in entry.facts.items() if five.search(f.value_fi)] == []
    assert [p for p, t in pages().items() if five.search(t)] == []


# ---------------------------------------------- 6. youth-work grants after the AVIs


def test_youth_work_grants_point_to_lupa_ja_valvontavirasto(cat):
    fact = cat.fact("oph-national-agency-and-youth-grants-finland.youth_grants_lvv_2026")
    assert "Lupa- ja valvontavirasto" in fact.value_fi and "1.1.2026" in fact.value_fi
    page = pages()["rahoitus/nuoret.md"]
    assert "youth_grants_lvv_2026`" in page
    assert "mikä viranomainen hoitaa nuorisoavustukset nyt" not in page


# ------------------------------------------ 7. latest rounds: DiscoverEU and NPA


def test_no_page_calls_a_2024_round_the_latest_one():
    stale = re.compile(
        r"Viimeisin lähteistä (vahvistettu|löytynyt) (kierros|haku)|"
        r"latest (round|call) (confirmed|found) in the sources",
        re.I,
    )
    found = [p for p, t in pages().items() if stale.search(t)]
    found += [f for f, _, s in english_messages() if stale.search(s)]
    assert found == []


def test_npa_sixth_call_comes_from_the_programme(cat):
    fact = cat.fact("interreg-npa.sixth_call_2025")
    assert fact.source_url.startswith("https://interreg-npa.eu/")
    assert "2025" in fact.value_fi
    assert "interreg-npa.sixth_call_when`" in pages()["rahoitus/alueelliset.md"]


# -------------------------------------------------- 8. Solidarity Corps: OID, budget


def test_solidarity_projects_ask_for_an_oid_not_a_pic(cat):
    entry = cat.get("esc-solidarity-projects")
    assert "OID" in cat.fact("esc-solidarity-projects.registration_portal").value_fi
    assert [k for k, f in entry.facts.items() if "PIC" in f.value_fi] == []
    for name in ("rahoitus/nuoret.md", "rahoitus/portaali.md", "liitteet/ukk.md"):
        assert "OID" in pages()[name], name


def test_the_old_monthly_lump_sum_is_gone(cat):
    old = re.compile(r"\b500 euroa kuukaudessa|\bEUR 500 a month|\bEUR 500 per month")
    entry = cat.get("esc-solidarity-projects")
    texts = [f.value_fi + f.value_en for f in entry.facts.values()]
    texts += [entry.text(field, lang) for field in ("amounts", "summary") for lang in ("fi", "en")]
    assert [t for t in texts if old.search(t)] == []
    assert [p for p, t in pages().items() if old.search(t)] == []


# --------------------------------------------- 9. Norden 0–30 and Leader partners


def test_every_page_offering_norden_0_30_states_its_country_rule():
    offering = {p: t for p, t in pages().items() if "norden-0-30.supports`" in t}
    assert len(offering) >= 3
    missing = [p for p, t in offering.items() if "norden-0-30.two_countries_rule`" not in t]
    assert missing == []


def test_no_page_says_one_swedish_or_norwegian_partner_is_enough_for_norden():
    loose = re.compile(r"Norden 0–30[^.]*kumppani Ruotsista, Norjasta tai", re.S)
    assert [p for p, t in pages().items() if loose.search(" ".join(t.split()))] == []


def test_leader_partner_rule_does_not_require_an_eu_country(cat):
    """The national Leader network lets a partner come from outside the EU; a page that
    asks for 'a partner from another EU country' contradicts a Norwegian-partner example."""
    assert (
        "EU:n ulkopuolinen" in cat.fact("leader-clld-finland-cap-2023-2027.partner_types").value_fi
    )
    entry = cat.get("leader-clld-finland-cap-2023-2027")
    eu_only = re.compile(r"toisesta EU-maasta|from another EU country")
    assert not eu_only.search(entry.text("summary", "fi") + entry.text("summary", "en"))
    assert [k for k, f in entry.facts.items() if eu_only.search(f.value_fi + f.value_en)] == []
    assert [p for p, t in pages().items() if eu_only.search(" ".join(t.split()))] == []
    who = entry.text("who_can_apply", "fi") + entry.text("who_can_apply", "en")
    assert not eu_only.search(" ".join(who.split()))  # the programme table and the finder


#: "A partner in another EU country", as a figure, its alt text or its caption may say it.
EU_COUNTRY_PARTNER = re.compile(
    r"toisessa EU-maassa|toisesta EU-maasta|toiseen EU-maahan|"
    r"another EU (?:country|member state)|other EU countr",
    re.I,
)
FIGURE_BLOCK = re.compile(r"^(`{3,}|:{3,})\{figure\}[^\n]*\n(.*?)^\1[ \t]*$", re.S | re.M)


def drawn_text(path: Path) -> str:
    """The words a diagram shows: an SVG's ``<text>`` elements (Graphviz writes one per
    line, so a label split over lines is joined again), or the labels in its source
    (a ``.dot`` file or the script that draws a PNG), one line."""
    import html

    raw = path.read_text(encoding="utf-8")
    if path.suffix == ".svg":
        lines = re.findall(r"<text\b[^>]*>(.*?)</text>", raw, re.S)
        raw = " ".join(html.unescape(re.sub(r"<[^>]+>", "", line)) for line in lines)
    return " ".join(raw.replace("\\n", " ").split())


def figure_words(page: str) -> list[list[str]]:
    """Each ``{figure}`` of a page as its alt text and caption paragraphs (one line each,
    as Sphinx extracts them for translation)."""
    out = []
    for block in FIGURE_BLOCK.finditer(page):
        alt = re.findall(r"^:alt:[ \t]*(.+)$", block.group(2), re.M)
        lines = block.group(2).splitlines()
        caption = "\n".join(line for line in lines if not line.startswith(":"))
        out.append([" ".join(a.split()) for a in alt] + paragraphs(caption))
    return out


def figure_texts() -> dict[str, str]:
    """What a reader sees in and about every figure of the book, in both editions: the
    drawn words (``book/**/kuvat/*``), and each figure's alt text and caption in Finnish
    and, from the page's catalogue, in English."""
    out = {
        str(p.relative_to(BOOK)): drawn_text(p)
        for p in sorted(BOOK.rglob("*"))
        if p.parent.name == "kuvat" and p.suffix in {".svg", ".dot", ".py"}
    }
    for name, text in pages().items():
        po = LOCALES / "book" / name.replace(".md", ".po")
        catalog = read_po(po.open("rb")) if po.exists() else None
        for number, words in enumerate(figure_words(text), 1):
            out[f"{name}, figure {number}"] = " ".join(words)
            english = [catalog.get(w) for w in words] if catalog else []
            out[f"{name}, figure {number} (en)"] = " ".join(m.string for m in english if m)
    return out


def leader_needs_eu_country(text: str) -> bool:
    return "Leader" in text and bool(EU_COUNTRY_PARTNER.search(text))


def test_no_figure_says_a_leader_partner_must_be_in_an_eu_country():
    """Issue 12, error 9: the route diagram asked for 'a partner in another EU country' on
    the way to Leader, while a Leader partner may be a Leader-type group outside the EU."""
    texts = figure_texts()
    assert [name for name, text in texts.items() if leader_needs_eu_country(text)] == []


def test_the_figure_check_reads_drawn_words_alt_text_and_translations(tmp_path):
    old = tmp_path / "kaavio.svg"  # how Graphviz drew the old question, one line per <text>
    old.write_text(
        '<svg><g class="node"><text x="1">Leader tai</text></g>'
        '<g class="node"><text x="2">Onko kumppani</text><text x="2">toisessa</text>'
        '<text x="2">EU&#45;maassa?</text></g></svg>',
        encoding="utf-8",
    )
    assert leader_needs_eu_country(drawn_text(old))
    dot = tmp_path / "kaavio.en.dot"
    dot.write_text('a [label="Leader or"]; q [label="A partner in\\nanother EU\\ncountry?"];')
    assert leader_needs_eu_country(drawn_text(dot))
    page = "```{figure} x.svg\n:alt: Kaavio. Leader sopii, jos kumppani on toisessa\n```\n"
    assert figure_words(page) == [["Kaavio. Leader sopii, jos kumppani on toisessa"]]
    # the real figures are read: drawings, alt texts and their English
    texts = figure_texts()
    assert "Leader" in texts["rahoitus/kuvat/reittivalitsin.svg"]
    assert "Leader" in texts["rahoitus/kuvat/reittivalitsin.en.svg"]
    assert "Leader" in texts["rahoitus/mika-reitti.md, figure 1"]
    assert "Leader" in texts["rahoitus/mika-reitti.md, figure 1 (en)"]


# ---------------------------------------------------------------- 10. smaller slips


def test_ii_is_never_placed_in_lapland(cat):
    assert cat.fact("region-facts-lapland-koillismaa.ii_region").value_fi.startswith(
        "Pohjois-Pohjanmaa"
    )
    ii_refs = {
        ref
        for ref in {r for t in pages().values() for r in FACT_ROLE.findall(t)}
        if re.search(r"\bIi\b", cat.fact(ref).value_fi)
    }
    assert "cooperation-for-nature.circwaste_municipalities" in ii_refs
    found = []
    for name, text in pages().items():
        for para in paragraphs(body(text)):
            mentions_ii = re.search(r"\bIi\b", para) or set(FACT_ROLE.findall(para)) & ii_refs
            if mentions_ii and "Lapissa" in para and "ii_region`" not in para:
                found.append(f"{name}: {para[:120]}")
    assert found == []


WORD_AGES = {"viisitoista": 15, "kuusitoista": 16, "seitsemäntoista": 17, "kahdeksantoista": 18}


def character_ages(texts: dict[str, str], name: str = "Aino") -> dict[str, set[int]]:
    """Ages given to the illustrative person ``name``, by page."""
    pattern = re.compile(
        rf"{name}\s+on\s+(\d+)-vuotias|(\d+)-vuotias\s+{name}|"
        rf"({'|'.join(WORD_AGES)})vuotias\s+{name}",
    )
    found: dict[str, set[int]] = {}
    for page, text in texts.items():
        for m in pattern.finditer(" ".join(text.split())):
            age = (
                int(m.group(1) or m.group(2))
                if (m.group(1) or m.group(2))
                else WORD_AGES[m.group(3)]
            )
            found.setdefault(page, set()).add(age)
    return found


def test_the_illustrative_person_has_one_age_in_the_whole_guide():
    ages = character_ages(pages())
    assert len(ages) >= 3  # the person appears on several pages
    assert set().union(*ages.values()) == {17}


def test_the_age_check_sees_two_ages():
    ages = character_ages({"a.md": "Aino on 16-vuotias.", "b.md": "viisitoistavuotias Aino avaa"})
    assert set().union(*ages.values()) == {15, 16}


def test_informal_learning_is_not_a_synonym_of_non_formal_learning():
    doc = yaml.safe_load((DATA / "glossary.yaml").read_text(encoding="utf-8"))
    term = next(t for t in doc["terms"] if t["id"] == "non-formal-learning")
    assert "arkioppiminen" not in term["fi_synonyms"]
    assert "informal learning" not in term["en_synonyms"]


def test_volunteer_hour_value_is_given_where_the_budget_is_taught(cat):
    assert cat.fact("funding-basics.talkootyo_hour").source_url.startswith(
        "https://www.ruokavirasto.fi/"
    )
    text = pages()
    for page in ("ideasta-hankkeeksi/budjetti.md", "rahoitus/index.md", "liitteet/ukk.md"):
        assert "funding-basics.talkootyo_hour`" in text[page], page
    assert "millä tuntihinnalla talkootyö lasketaan" not in text["ideasta-hankkeeksi/budjetti.md"]


# ------------------------------------------------- source lists cite what the page shows

CHECKED_ROLE = re.compile(r"\{checked\}`([^`]+)`")
#: Facts a directive shows without a ``{fact}`` role: ``budget-example``'s options.
DIRECTIVE_FACT = re.compile(r"^:(?:rate|hour|share):[ \t]*(\S+)[ \t]*$", re.M)

#: Pages whose source list stands on its own: the guide's main sources, no facts shown.
SOURCE_LIST_PAGES = {"liitteet/lahteet.md"}

#: A dated source line whose fact the page does not show with a role, and why it stays.
SOURCE_LINE_KEPT = {
    ("ymparisto/maankaytto.md", f"nature-tourism-lapland.overnight_{year}"): (
        "the bar chart lapin-yopymiset is drawn from this fact (kuvat/tee_kuvat.py)"
    )
    for year in (2019, 2020, 2021)
} | {
    ("tyopajat/index.md", "green-inclusive-project-practice.event_accessibility_kuusamo"): (
        "the page recommends the Kuusamo checklist itself; its contents are shown in "
        "ideasta-hankkeeksi/vihrea.md, and this line is where the trainer finds it"
    ),
    ("miksi/kynnykset.md", "erasmus-youth-exchanges-ka152.informal_group"): (
        "the page says in its own words what an informal group is (a representative signs "
        "for it); its size and ages are left to rahoitus/nuoret.md"
    ),
}


def orphaned_source_refs(text: str) -> list[str]:
    """``{checked}`` references in a page's source list that name a fact the page no
    longer shows (with ``{fact}`` or a directive's option). ``{checked}`entry``` stands
    for the entry's facts, ``{checked}`catalogue``` for all of them."""
    parts = SOURCES.split(text)
    if len(parts) < 3:
        return []
    shown = set(FACT_ROLE.findall(parts[0])) | set(DIRECTIVE_FACT.findall(parts[0]))
    entries = {ref.split(".", 1)[0] for ref in shown}
    return [
        ref
        for ref in CHECKED_ROLE.findall(parts[-1])
        if ref not in shown and ref not in entries and ref != "catalogue"
    ]


def test_every_dated_source_line_names_a_fact_its_page_shows():
    """After the padding cut (issue 12) a page links to where a fact belongs; its source
    list must not keep dating a fact the reader no longer sees on the page."""
    found = [
        f"{name}: {ref}"
        for name, text in pages().items()
        if name not in SOURCE_LIST_PAGES
        for ref in orphaned_source_refs(text)
        if (name, ref) not in SOURCE_LINE_KEPT
    ]
    assert found == []


def test_kept_source_lines_are_still_needed_and_translations_date_the_same_fact():
    text = pages()
    stale = [key for key in SOURCE_LINE_KEPT if key[1] not in orphaned_source_refs(text[key[0]])]
    assert stale == []
    differ = [
        (file, msgid[:60])
        for file, msgid, msgstr in english_messages()
        if sorted(CHECKED_ROLE.findall(msgid)) != sorted(CHECKED_ROLE.findall(msgstr))
    ]
    assert differ == []


def test_the_source_list_check_sees_a_fact_the_page_no_longer_shows():
    page = (
        "Ikä: {fact}`a.age`.\n\n```{budget-example}\n:rate: c.rate\n```\n\n## Lähteet\n\n"
        "- A. <https://a> (tarkistettu {checked}`a.age`).\n"
        "- B. <https://b> (tarkistettu {checked}`b.rule`).\n"
        "- C. <https://c> (tarkistettu {checked}`c.rate`; koko ohjelma {checked}`c`).\n"
    )
    assert orphaned_source_refs(page) == ["b.rule"]
    assert orphaned_source_refs(page.replace("{fact}`a.age`", "13–30")) == ["a.age", "b.rule"]


# ------------------------------------------------------------------ weak sources

#: Sources the issue names: Wikipedia mirrors, a regional Italian youth portal, Mirage
#: News, Grantalist, newsletter tracking links and docplayer; and a press-release wire.
WEAK = re.compile(
    r"https?://[^\s>)\"']*("
    r"us\.edu\.vn|theinfolist\.com|wikimili|wikiwand|regione\.campania\.it|miragenews\.com|"
    r"grantalist\.com|[?&]utm_|[?&]origin=rss|list-manage\.com|mailchi\.mp|viestitys\.fi/ohjaus|docplayer\.|"
    r"einpresswire\.com"
    r")",
    re.I,
)


def weak_urls(text: str) -> list[str]:
    return [m.group(0) for m in WEAK.finditer(text)]


def test_no_weak_source_remains_in_data_pages_or_translations():
    found = []
    for path in [*DATA.rglob("*.yaml"), *BOOK.rglob("*.md"), *LOCALES.rglob("*.po")]:
        found += [
            f"{path.relative_to(ROOT)}: {u[:80]}"
            for u in weak_urls(path.read_text(encoding="utf-8"))
        ]
    assert found == []


def test_the_weak_source_check_sees_each_kind():
    for url in (
        "https://fi.us.edu.vn/fi/Koillismaan_seutukunta",
        "https://miragenews.com/eu-to-give",
        "https://grantalist.com/grant/X",
        "https://lue.viestitys.fi/ohjaus_?l=1",
        "http://docplayer.fi/1-x.html",
        "https://portale-giovani.regione.campania.it/2025/x",
        "https://www.kaleva.fi/x?utm_campaign=rss",
        "https://yle.fi/uutiset/3-1?origin=rss",
        "https://www.einpresswire.com/article/1/x",
    ):
        assert weak_urls(f"<{url}>"), url
    assert (
        weak_urls(
            "<https://www.kaleva.fi/pohjois-pohjanmaan-maakuntavaltuuston-nimettiin-75/4008825>"
        )
        == []
    )


# ------------------------------------------------------------------ start pages by reader

#: The short start pages (issue 12, part 2): one per reader, plus the young person's card.
START_PAGES = (
    "aloitus/nuorelle.md",
    "aloitus/yhdistykselle.md",
    "aloitus/kouluttajalle.md",
    "aloitus/kumppanille.md",
)


def test_each_start_page_ends_in_three_dated_steps_with_a_sourced_contact():
    toc = (ROOT / "_toc.yml").read_text(encoding="utf-8")
    for page in (*START_PAGES, "aloitus/voinko-lahtea.md"):
        assert f"book/{page[:-3]}\n" in toc, page
    for page in START_PAGES:
        text = pages()[page]
        steps = text.split("## Kolme seuraavaa askelta", 1)[1].split("\n## ", 1)[0]
        items = re.findall(r"^\d\. \*\*([^*]+)\*\*", steps, re.M)
        assert len(items) == 3, page
        # each step says when: this week, within a month, before the deadline …
        when = re.compile(r"viiko|kuukau|päiv|ennen|jälkeen|samaan aikaan", re.I)
        assert all(when.search(i) for i in items), (page, items)
        # at least one contact comes from data (an organisation or a sourced fact)
        assert re.search(r"\{org\}`|\{fact\}`", steps), page
        assert "## Lähteet" in text, page


def test_the_card_answers_the_young_persons_questions():
    text = pages()["aloitus/voinko-lahtea.md"]
    for topic in ("Ikä", "Kulut", "Huoltajan lupa", "Koulu", "Vakuutus", "Turvallisuus"):
        assert f"**{topic}" in text, topic
    for needed in ("youth-travel-rules-finland.guardian_consent`", "Eurodesk", "Maailmalle.net"):
        assert needed in text, needed


def test_start_pages_are_translated():
    from babel.messages.pofile import read_po

    for page in (*START_PAGES, "aloitus/voinko-lahtea.md"):
        with (LOCALES / "book" / page.replace(".md", ".po")).open("rb") as handle:
            catalog = read_po(handle)
        messages = [m for m in catalog if m.id]
        assert len(messages) > 10, page
        assert [m.id for m in messages if not m.string or m.fuzzy] == [], page
