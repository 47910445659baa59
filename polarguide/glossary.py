"""The bilingual glossary: Finnish and English terms with synonyms and plain definitions.

The data lives in ``polarguide/data/glossary.yaml``. The search uses it to map a
Finnish query word to English terms (and back); the book prints the terms that
have definitions in both languages.

>>> [t.en for t in load_glossary() if t.fi == "nuorisovaihto"]
['youth exchange']
>>> translations("ilmastonmuutos")[:2]
['climate change', 'global warming']
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .errors import DataError, InputError

#: Where the bundled glossary lives.
DEFAULT_PATH = Path(__file__).parent / "data" / "glossary.yaml"
#: Allowed topics.
TOPICS = (
    "funding",
    "youth",
    "environment",
    "climate",
    "nature",
    "rural",
    "arctic",
    "culture",
    "cooperation",
    "eu-admin",
    "project",
)
LANGUAGES = ("fi", "en")
_ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_DIGIT = re.compile(r"\d")
# Finnish alphabet order: å, ä, ö come after z; w sorts with v; ü with y.
_FI_ORDER = str.maketrans({"å": "{", "ä": "|", "ö": "}", "w": "v", "ü": "y", "é": "e", "á": "a"})


@dataclass(frozen=True)
class Term:
    """One glossary entry.

    >>> t = Term("village", "kylä", "village", ("kylät",), ("rural",), "rural")
    >>> t.headword("fi"), t.words("en"), t.has_definition("fi")
    ('kylä', ('village', 'rural'), False)
    """

    id: str
    fi: str
    en: str
    fi_synonyms: tuple[str, ...] = ()
    en_synonyms: tuple[str, ...] = ()
    topic: str = ""
    definition_fi: str = ""
    definition_en: str = ""

    def headword(self, lang: str) -> str:
        """The headword in ``lang``.

        >>> Term("x", "kylä", "village").headword("en")
        'village'
        """
        return self.fi if _check_lang(lang) == "fi" else self.en

    def synonyms(self, lang: str) -> tuple[str, ...]:
        """The synonyms in ``lang``.

        >>> Term("x", "kylä", "village", ("kylät",)).synonyms("fi")
        ('kylät',)
        """
        return self.fi_synonyms if _check_lang(lang) == "fi" else self.en_synonyms

    def words(self, lang: str) -> tuple[str, ...]:
        """Headword followed by synonyms in ``lang``.

        >>> Term("x", "kylä", "village", ("kylät",)).words("fi")
        ('kylä', 'kylät')
        """
        return (self.headword(lang), *self.synonyms(lang))

    def definition(self, lang: str) -> str:
        """The definition in ``lang`` ("" if none).

        >>> Term("x", "a", "b", definition_fi="selitys", definition_en="gloss").definition("en")
        'gloss'
        """
        return self.definition_fi if _check_lang(lang) == "fi" else self.definition_en

    def has_definition(self, lang: str) -> bool:
        """True if the term has a definition in ``lang``.

        >>> Term("x", "a", "b").has_definition("en")
        False
        """
        return bool(self.definition(lang))


def load_glossary(path: str | Path | None = None) -> list[Term]:
    """Read and validate the glossary (the bundled one by default); cached per file.

    A broken entry raises :class:`DataError` with one line naming it.

    >>> terms = load_glossary()
    >>> len(terms) >= 300
    True
    >>> sorted({t.topic for t in terms}) == sorted(TOPICS)
    True
    """
    resolved = Path(path) if path is not None else DEFAULT_PATH
    try:
        stamp = resolved.stat().st_mtime_ns
    except OSError as err:
        raise DataError(f"cannot read glossary {resolved}: {err.strerror}") from None
    return list(_load_cached(str(resolved), stamp))


@functools.lru_cache(maxsize=8)
def _load_cached(path: str, _mtime_ns: int) -> tuple[Term, ...]:
    import yaml

    try:
        with open(path, encoding="utf-8") as fh:
            doc = yaml.load(fh, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))  # libyaml
    except yaml.YAMLError as err:
        where = getattr(err, "problem_mark", None)
        line = f" (line {where.line + 1})" if where is not None else ""
        raise DataError(f"glossary {path} is not valid YAML{line}") from None
    return tuple(parse_glossary(doc, name=Path(path).name))


def parse_glossary(doc: Any, name: str = "glossary") -> list[Term]:
    """Validate an already-parsed glossary document (``{"terms": [...]}``).

    >>> parse_glossary({"terms": [{"id": "village", "fi": "kylä", "en": "village",
    ...                            "topic": "rural"}]})[0].fi
    'kylä'
    >>> parse_glossary({"terms": [{"id": "a", "fi": "kylä", "en": "village", "topic": "rural"},
    ...                           {"id": "b", "fi": "Kylä", "en": "hamlet", "topic": "rural"}]})
    Traceback (most recent call last):
    ...
    polarguide.errors.DataError: glossary: term 'b': field 'fi' duplicates the headword of 'a'
    """
    items = doc.get("terms") if isinstance(doc, dict) else None
    if not isinstance(items, list):
        raise DataError(f"{name}: top level must be a mapping with a 'terms' list")
    terms: list[Term] = []
    ids: set[str] = set()
    headwords: dict[str, dict[str, str]] = {lang: {} for lang in LANGUAGES}
    for index, raw in enumerate(items):
        term = _parse_term(raw, name, index)

        def fail(field_name: str, problem: str, term_id: str = term.id) -> DataError:
            return DataError(f"{name}: term '{term_id}': field '{field_name}' {problem}")

        if term.id in ids:
            raise fail("id", "is a duplicate")
        ids.add(term.id)
        for lang in LANGUAGES:
            key = term.headword(lang).casefold()
            if key in headwords[lang]:
                raise fail(lang, f"duplicates the headword of '{headwords[lang][key]}'")
            headwords[lang][key] = term.id
        terms.append(term)
    return terms


def terms_for_book(lang: str, terms: list[Term] | None = None) -> list[Term]:
    """Terms with definitions in both languages, sorted by the ``lang`` headword.

    Finnish order puts å, ä and ö after z.

    >>> fi = [t.fi for t in terms_for_book("fi")]
    >>> fi == sorted(fi, key=sort_key), len(fi) >= 120
    (True, True)
    >>> all(t.definition_fi and t.definition_en for t in terms_for_book("en"))
    True
    """
    lang = _check_lang(lang)
    pool = load_glossary() if terms is None else terms
    chosen = [t for t in pool if t.definition_fi and t.definition_en]
    return sorted(chosen, key=lambda t: sort_key(t.headword(lang), lang))


def sort_key(text: str, lang: str = "fi") -> str:
    """Collation key: Finnish alphabet order for ``fi`` (å ä ö last), case-insensitive.

    >>> sorted(["öljy", "auto", "äiti", "zeta", "Åbo"], key=sort_key)
    ['auto', 'zeta', 'Åbo', 'äiti', 'öljy']
    >>> sorted(["Åland", "Arctic", "zone"], key=lambda w: sort_key(w, "en"))
    ['Åland', 'Arctic', 'zone']
    """
    folded = str(text).casefold()
    if _check_lang(lang) == "fi":
        return folded.translate(_FI_ORDER)
    import unicodedata

    return unicodedata.normalize("NFKD", folded).encode("ascii", "ignore").decode()


def translations(word: str, source: str = "fi", terms: list[Term] | None = None) -> list[str]:
    """Words in the other language for ``word`` (matched against headwords and synonyms).

    Matching is case-insensitive and exact; the search does stemming itself.
    Returns target headwords first, then synonyms, without duplicates.

    >>> translations("kylä")
    ['village', 'villages', 'rural village', 'rural community', 'rural']
    >>> translations("biodiversity", source="en")[0]
    'luonnon monimuotoisuus'
    >>> translations("qwerty")
    []
    """
    source = _check_lang(source)
    target = "en" if source == "fi" else "fi"
    probe = str(word).strip().casefold()
    pool = load_glossary() if terms is None else terms
    matches = [t for t in pool if probe in (w.casefold() for w in t.words(source))]
    # exact headword hits first, then synonym hits
    matches.sort(key=lambda t: t.headword(source).casefold() != probe)
    out: list[str] = []
    for term in matches:
        out.extend(w for w in term.words(target) if w not in out)
    return out


def _parse_term(raw: Any, name: str, index: int) -> Term:
    if not isinstance(raw, dict):
        raise DataError(f"{name}: terms[{index}] must be a mapping")
    term_id = raw.get("id")
    if not isinstance(term_id, str) or not _ID.match(term_id):
        raise DataError(f"{name}: terms[{index}]: field 'id' is missing or not lowercase-hyphen")

    def fail(field_name: str, problem: str) -> DataError:
        return DataError(f"{name}: term '{term_id}': field '{field_name}' {problem}")

    for lang in LANGUAGES:
        if not isinstance(raw.get(lang), str) or not raw[lang].strip():
            raise fail(lang, "is missing or empty")
    synonyms = {}
    for lang in LANGUAGES:
        key = f"{lang}_synonyms"
        value = raw.get(key) or []
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise fail(key, "must be a list of words")
        synonyms[lang] = tuple(v.strip() for v in value if v.strip())
        words = [raw[lang].strip().casefold(), *(v.casefold() for v in synonyms[lang])]
        if len(words) != len(set(words)):
            raise fail(key, "repeats a word (the headword or another synonym)")
    if raw.get("topic") not in TOPICS:
        raise fail("topic", f"must be one of {', '.join(TOPICS)}")
    definitions = {}
    for lang in LANGUAGES:
        value = raw.get(f"definition_{lang}") or ""
        if not isinstance(value, str):
            raise fail(f"definition_{lang}", "must be text")
        if _DIGIT.search(value):
            raise fail(f"definition_{lang}", "contains a number; numbers belong in catalogue.yaml")
        definitions[lang] = " ".join(value.split())
    if bool(definitions["fi"]) != bool(definitions["en"]):
        raise fail("definition_en" if definitions["fi"] else "definition_fi", "is missing")
    return Term(
        id=term_id,
        fi=raw["fi"].strip(),
        en=raw["en"].strip(),
        fi_synonyms=synonyms["fi"],
        en_synonyms=synonyms["en"],
        topic=raw["topic"],
        definition_fi=definitions["fi"],
        definition_en=definitions["en"],
    )


def _check_lang(lang: str) -> str:
    if lang not in LANGUAGES:
        raise InputError(f"unknown language {lang!r}: use fi or en")
    return lang
