"""Text analysis and a BM25F inverted index for Finnish and English records.

The pieces, from the bottom up:

* :func:`tokenize` – lowercase Unicode words and numbers (keeps å, ä, ö; folds other
  accents, so *Sami* finds *Sámi*);
* :func:`stem` – Snowball stemming for ``"fi"`` and ``"en"``, with stopwords;
* :class:`Lexicon` – the bilingual glossary turned into stem lookups, fuzzy Finnish
  matching (only consonant gradation and a final vowel: *luonnon* ~ *luonto*, never
  *koulu* ~ *koulutus*) and bounded compound splitting (*ilmastonmuutos* → *ilmasto* +
  *muutos*);
* :func:`analyze_query` – the query as concepts with alternatives; money and "project"
  words (:data:`GENERIC_WORDS`) weigh little;
* :class:`TextIndex` – BM25F over three weighted fields (title high, keywords medium,
  the rest low) plus side-by-side word pairs, built once with :func:`build_index`,
  queried with :meth:`TextIndex.search`, which ranks by how much of the query a record
  matches and returns document positions, scores and which query part matched what.

>>> from types import SimpleNamespace as T
>>> lex = Lexicon([T(fi="nuoret", en="youth", fi_synonyms=["nuoriso"], en_synonyms=[])])
>>> index = TextIndex.from_documents(
...     [{"title": "European Youth Together"}, {"title": "Nature and Biodiversity"}], lex)
>>> hits = index.search("nuorille")
>>> hits.ids.tolist(), hits.why[0]
([0], ['nuorille→youth'])
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import pairwise
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    import pandas as pd

_WORD = re.compile(r"[^\W_]+", re.UNICODE)
#: Finnish letters that are letters of their own and must never be folded.
_KEEP = frozenset("åäöÅÄÖ")
#: The longest word a query may hold; longer "words" are pasted text, not words.
MAX_WORD_LEN = 60


def _fold_table() -> dict[int, str]:
    """Latin letters with accents -> plain letters (Sámi á, č, đ, ŋ, š, ŧ, ž; é, ü …).

    Finnish å, ä and ö stay: *sää* and *saa* are different words.
    """
    import unicodedata

    table: dict[int, str] = {}
    for code in range(0xC0, 0x250):
        char = chr(code)
        if char in _KEEP:
            continue
        base = "".join(c for c in unicodedata.normalize("NFKD", char) if c.isascii())
        if base and base.isalpha() and base != char:
            table[code] = base
    table.update({ord("đ"): "d", ord("Đ"): "D", ord("ŋ"): "n", ord("Ŋ"): "N", ord("ŧ"): "t",
                  ord("Ŧ"): "T", ord("ø"): "ö", ord("Ø"): "Ö", ord("æ"): "ä", ord("Æ"): "Ä",
                  ord("ß"): "ss"})  # fmt: skip
    return table


_FOLD = _fold_table()

#: Field name -> BM25F weight. ``text`` collects summary, call title, programme,
#: type of action, identifiers and (catalogue) ``search_text``.
FIELD_WEIGHTS: dict[str, float] = {"title": 3.0, "keywords": 2.0, "text": 1.0}


def _wordset(text: str) -> frozenset[str]:
    return frozenset(text.split())


STOPWORDS: dict[str, frozenset[str]] = {
    "en": _wordset(
        """
        a about above after again all also an and any are as at be because been before being
        between both but by can could did do does doing down during each few for from
        further had has have having he her here hers him his how i if in into is it its
        itself just me more most my no nor not of off on once only or other our ours out
        over own same she should so some such than that the their theirs them then there
        these they this those through to too under until up very was we were what when where
        which while who whom why will with would you your yours via per e g etc
        """
    ),
    "fi": _wordset(
        """
        ja tai sekä eli ei en et emme ette eivät on ovat oli olivat olla ole olen olet
        olemme olette ollut olleet se ne sen niiden sitä niitä siitä niistä siihen niihin
        että kun jos mutta myös kanssa joka jotka jonka joiden jota joita mikä mitkä mitä
        missä mistä mihin miten miksi tämä nämä tämän näiden tätä näitä tässä täällä tuo
        nuo hän he me te minä sinä minun sinun hänen heidän meidän teidän kuin niin vain
        jo vielä nyt sitten siis koska vaikka kuten mm jne yms ym esim noin kaikki kaikkia
        muu muut muita jokin joku mikään kukaan
        """
    ),
}

_STEMMERS: dict[str, Any] = {}


def tokenize(text: object) -> list[str]:
    """Split text into lowercase words and numbers; å/ä/ö stay, other accents fold.

    >>> tokenize("Nuorisovaihto Äkäslompolossa, 2027! ERASMUS-YOUTH")
    ['nuorisovaihto', 'äkäslompolossa', '2027', 'erasmus', 'youth']
    >>> tokenize("Sámi Čiekčá Åland"), tokenize(None)
    (['sami', 'ciekca', 'åland'], [])
    """
    if text is None or (isinstance(text, float) and text != text):
        return []
    return _WORD.findall(str(text).lower().translate(_FOLD))


@lru_cache(maxsize=200_000)
def stem(word: str, lang: str) -> str:
    """Return the Snowball stem of a lowercase ``word`` in ``"fi"`` or ``"en"``.

    >>> stem("ilmaston", "fi"), stem("exchanges", "en")
    ('ilmasto', 'exchang')
    """
    stemmer = _STEMMERS.get(lang)
    if stemmer is None:
        import snowballstemmer

        stemmer = snowballstemmer.stemmer("finnish" if lang == "fi" else "english")
        _STEMMERS[lang] = stemmer
    return stemmer.stemWord(word)


def is_stopword(word: str, lang: str | None = None) -> bool:
    """True if ``word`` is a stopword in ``lang`` (or in either language if ``None``).

    >>> is_stopword("ja"), is_stopword("the", "en"), is_stopword("youth")
    (True, True, False)
    """
    if lang is None:
        return word in STOPWORDS["en"] or word in STOPWORDS["fi"]
    return word in STOPWORDS.get(lang, frozenset())


def analyze(text: object, lang: str = "en") -> list[str]:
    """Tokenize, drop stopwords and stem; the terms a document contributes to the index.

    >>> analyze("Strengthening the capacity of youth organisations", "en")
    ['strengthen', 'capac', 'youth', 'organis']
    """
    return [stem(w, lang) for w in tokenize(text) if not is_stopword(w, lang)]


#: Finnish consonant gradation: the strong and weak grade of a stem's last consonant.
_GRADATION = frozenset({("t", "d"), ("p", "v"), ("k", "g"), ("k", "j"), ("k", "v"),
                        ("t", "l"), ("t", "n"), ("t", "r"), ("p", "m")})  # fmt: skip
_VOWELS = frozenset("aeiouyäö")


def fuzzy_stem_match(a: str, b: str) -> bool:
    """Loose equality of two Finnish stems: consonant gradation and a vowel ending only.

    Two stems match if, after a shared prefix of at least 4 letters, what is left of
    each is at most 2 letters and differs only by gradation (*maaseudu* ~ *maaseutu*,
    *luono* ~ *luonto*) or a final vowel (*nuor* ~ *nuore* ~ *nuori*). Derivations and
    other words that merely share a beginning do not match: *koulu* (school) is not
    *koulutus* (training), *ulkom* (of *ulkomailla*, abroad) is not *ulkoil* (of
    *ulkoilu*, outdoor recreation).

    >>> fuzzy_stem_match("luono", "luonto"), fuzzy_stem_match("nuor", "nuore")
    (True, True)
    >>> fuzzy_stem_match("maaseudu", "maaseutu"), fuzzy_stem_match("kala", "kalastus")
    (True, False)
    >>> fuzzy_stem_match("koulu", "koulutus"), fuzzy_stem_match("ulkom", "ulkoil")
    (False, False)
    >>> fuzzy_stem_match("nuore", "nuori"), fuzzy_stem_match("maksu", "maksuto")
    (True, False)
    """
    if a == b:
        return True
    n = common_prefix(a, b)
    if n < 4:
        return False
    ra, rb = a[n:], b[n:]
    if len(ra) > 2 or len(rb) > 2:
        return False
    if not ra or not rb:  # a vowel ending, or a strong-grade consonant cut off
        rest = ra or rb
        return len(rest) == 1 and (rest in _VOWELS or rest in "tkpj")  # j: plural
    if len(ra) == len(rb) == 1 and ra in _VOWELS and rb in _VOWELS:  # nuore ~ nuori
        return True
    x, y = ra[0], rb[0]
    if ((x, y) in _GRADATION or (y, x) in _GRADATION) and ra[1:] == rb[1:]:
        return True
    # a strong-grade double or cluster letter lost: luonto ~ luono, tekko ~ teko
    return (x in "tkp" and ra[1:] == rb) or (y in "tkp" and rb[1:] == ra)


# --------------------------------------------------------------------------- lexicon


@dataclass(frozen=True)
class Alt:
    """One way a query concept can match: index terms (a phrase if several) and a label."""

    terms: tuple[str, ...]
    label: str
    weight: float = 1.0


@dataclass
class Concept:
    """A query word (or glossary phrase) with every alternative that counts as a match."""

    surface: str
    alts: list[Alt] = field(default_factory=list)
    weight: float = 1.0

    def add(self, terms: Sequence[str], label: str, weight: float = 1.0) -> None:
        """Add an alternative unless the same terms are already there."""
        key = tuple(terms)
        if key and all(a.terms != key for a in self.alts):
            self.alts.append(Alt(key, label, weight))


def _words(value: object) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [value] if value.strip() else []
    return [str(v) for v in value if v is not None and str(v).strip()]


class Lexicon:
    """The glossary as stem lookups in both directions plus a Finnish compound dictionary.

    ``terms`` are glossary entries with ``fi``, ``en``, ``fi_synonyms`` and
    ``en_synonyms`` attributes (or mapping keys). ``extra_words`` adds Finnish words
    to the compound dictionary.

    >>> from types import SimpleNamespace as T
    >>> lex = Lexicon([T(fi="ilmasto", en="climate"), T(fi="muutos", en="change")])
    >>> lex.split_compound("ilmastonmuutos")
    ['ilmasto', 'muutos']
    """

    def __init__(self, terms: Iterable[Any] = (), extra_words: Iterable[str] = ()) -> None:
        # stems tuple -> list of (surface forms in the other language)
        self.fi_to_en: dict[tuple[str, ...], list[str]] = {}
        self.en_to_fi: dict[tuple[str, ...], list[str]] = {}
        #: a Finnish phrase -> the other Finnish forms of its glossary entry
        self.fi_phrase_forms: dict[tuple[str, ...], list[str]] = {}
        self.fi_buckets: dict[str, set[str]] = {}
        self.compound_stems: set[str] = set()
        self.fi_surface: dict[str, str] = {}
        self._buckets: dict[str, list[str]] = {}
        self.max_phrase = 1
        for term in terms:
            fi = _words(_get(term, "fi")) + _words(_get(term, "fi_synonyms"))
            en = _words(_get(term, "en")) + _words(_get(term, "en_synonyms"))
            for surface in fi:
                key = tuple(analyze(surface, "fi"))
                if key:
                    self.fi_to_en.setdefault(key, [])
                    self.fi_to_en[key].extend(e for e in en if e not in self.fi_to_en[key])
                    self.max_phrase = max(self.max_phrase, len(key))
                    if len(key) == 1:
                        self.fi_buckets.setdefault(key[0][:4], set()).add(key[0])
                    else:
                        forms = self.fi_phrase_forms.setdefault(key, [])
                        forms.extend(f for f in fi if f != surface and f not in forms)
                for word in tokenize(surface):
                    if len(word) >= 3:
                        self.compound_stems.add(word)
                        self.compound_stems.add(stem(word, "fi"))
                        known = self.fi_surface.get(stem(word, "fi"))
                        if known is None or len(word) < len(known):
                            self.fi_surface[stem(word, "fi")] = word
            for surface in en:
                key = tuple(analyze(surface, "en"))
                if key:
                    self.en_to_fi.setdefault(key, [])
                    self.en_to_fi[key].extend(f for f in fi if f not in self.en_to_fi[key])
                    self.max_phrase = max(self.max_phrase, len(key))
        for word in extra_words:
            for w in tokenize(word):
                self.compound_stems.add(w)
                self.compound_stems.add(stem(w, "fi"))

    def fi_lookup(self, stems: tuple[str, ...]) -> list[str]:
        """English translations of a Finnish stem sequence; fuzzy for single words.

        >>> from types import SimpleNamespace as T
        >>> Lexicon([T(fi="luonto", en="nature")]).fi_lookup((stem("luonnon", "fi"),))
        ['nature']
        """
        found = self.fi_to_en.get(stems)
        if found is not None:
            return list(found)
        if len(stems) > 1:
            return self._fuzzy_phrase(stems)
        candidates = [
            s for s in self.fi_buckets.get(stems[0][:4], ()) if fuzzy_stem_match(s, stems[0])
        ]
        if not candidates:
            return []
        best = max(candidates, key=lambda s: (common_prefix(s, stems[0]), -len(s)))
        return list(self.fi_to_en[(best,)])

    def _fuzzy_phrase(self, stems: tuple[str, ...]) -> list[str]:
        for key, values in self.fi_to_en.items():
            if len(key) == len(stems) and all(map(fuzzy_stem_match, key, stems)):
                return list(values)
        return []

    def en_lookup(self, stems: tuple[str, ...]) -> list[str]:
        """Finnish translations of an English stem sequence.

        >>> from types import SimpleNamespace as T
        >>> Lexicon([T(fi="nuoret", en="young people")]).en_lookup(("young", "peopl"))
        ['nuoret']
        """
        return list(self.en_to_fi.get(stems, []))

    def _dictionary_stem(self, part: str, fuzzy: bool = False) -> str | None:
        """The dictionary stem ``part`` stands for (``fuzzy`` allows gradated endings)."""
        if part in self.compound_stems:
            return stem(part, "fi")
        stemmed = stem(part, "fi")
        if stemmed in self.compound_stems:
            return stemmed
        if fuzzy and len(stemmed) >= 4:
            if len(self._buckets) == 0:
                for c in self.compound_stems:
                    self._buckets.setdefault(c[:4], []).append(c)
            bucket = self._buckets.get(stemmed[:4], [])
            candidates = [c for c in bucket if fuzzy_stem_match(c, stemmed)]
            if candidates:
                return stem(max(candidates, key=lambda c: common_prefix(c, stemmed)), "fi")
        return None

    @lru_cache(maxsize=50_000)  # noqa: B019 - a Lexicon lives as long as its glossary
    def split_compound(self, word: str) -> list[str]:
        """Split a Finnish compound into dictionary stems, or ``[]`` if it is not one.

        The first part may carry a genitive *-n* (*ilmaston*-muutos); the last part may
        be inflected or gradated (*nuoriso*-*vaihtoon*, *nuoriso*-*vaihdot*). The split
        is a bounded loop (at most :data:`MAX_PARTS` parts, words up to
        :data:`MAX_WORD_LEN` letters), never a recursion.

        >>> from types import SimpleNamespace as T
        >>> Lexicon([T(fi="kylä", en="village"), T(fi="yhdistys", en="association")]
        ...         ).split_compound("kyläyhdistyksen")
        ['kylä', 'yhdistys']
        """
        return [stem_ for _, stem_ in self.split_parts(word)]

    @lru_cache(maxsize=50_000)  # noqa: B019 - a Lexicon lives as long as its glossary
    def split_parts(self, word: str) -> tuple[tuple[str, str], ...]:
        """Like :meth:`split_compound`, with each part's dictionary word: (word, stem).

        >>> from types import SimpleNamespace as T
        >>> Lexicon([T(fi="ympäristö", en="environment"), T(fi="hanke", en="project")]
        ...         ).split_parts("ympäristöhankkeelle")
        (('ympäristö', 'ympäristö'), ('hanke', 'hank'))
        """
        if len(word) < 6 or len(word) > MAX_WORD_LEN:
            return ()
        # states: (position, parts so far); depth-first with an explicit stack
        stack: list[tuple[int, tuple[tuple[str, str], ...]]] = [(0, ())]
        while stack:
            pos, parts = stack.pop()
            rest = word[pos:]
            options: list[tuple[int, tuple[tuple[str, str], ...]]] = []
            for i in range(len(rest) - 3, 2, -1):  # the longest head first
                head = self._dictionary_word(rest[:i])
                if head is None and rest[:i].endswith("n"):
                    head = self._dictionary_word(rest[: i - 1])
                if head is None:
                    continue
                tail = self._dictionary_word(rest[i:], fuzzy=True)
                if tail is not None:
                    return (*parts, head, tail)
                if len(parts) + 2 < MAX_PARTS and len(rest) - i >= 6:
                    options.append((pos + i, (*parts, head)))
            stack.extend(reversed(options))  # the longest head is popped first
        return ()

    def _dictionary_word(self, part: str, fuzzy: bool = False) -> tuple[str, str] | None:
        """(dictionary word, stem) that ``part`` stands for, or ``None``."""
        found = self._dictionary_stem(part, fuzzy)
        if found is None:
            return None
        return self.fi_surface.get(found, part), found

    def surface(self, fi_stem: str) -> str:
        """A readable Finnish word for a stem (the glossary's word if it has one).

        >>> from types import SimpleNamespace as T
        >>> Lexicon([T(fi="hanke", en="project")]).surface("hank")
        'hanke'
        """
        return self.fi_surface.get(fi_stem, fi_stem)


#: Most parts a compound is split into.
MAX_PARTS = 4


def _get(term: Any, name: str) -> Any:
    if isinstance(term, Mapping):
        return term.get(name)
    return getattr(term, name, None)


def common_prefix(a: str, b: str) -> int:
    """How many leading letters ``a`` and ``b`` share.

    >>> common_prefix("nuorisovaihdoissa", "nuorisovaihto")
    11
    """
    n = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        n += 1
    return n


#: Words that say nothing about a call's topic in a funding tool (money, "project",
#: "programme", "apply" …): they count little in a query. Inflected forms are found
#: through their stems.
GENERIC_WORDS: dict[str, frozenset[str]] = {
    "fi": _wordset(
        """
        raha rahat rahaa rahoitus rahoitusta rahoittaa rahoittaja tuki tukea tukia tukiraha
        avustus avustukset avustusta apuraha apurahat hanke hankkeet hanketta projekti
        ohjelma ohjelmat haku haut hakea hakemus toiminta toimenpide yhteistyö mahdollisuus
        kansainvälinen eurooppalainen
        """
    ),
    "en": _wordset(
        """
        money funding fund funds finance financing grant grants support subsidy subsidies
        project projects programme programmes program call calls application applications
        apply activity activities action actions cooperation international european
        opportunity opportunities scheme
        """
    ),
}
#: A phrase whose words are all in a record, but not side by side, counts this much.
SCATTERED_PHRASE = 0.3
#: How much a generic query word counts next to a topic word (1.0).
GENERIC_WEIGHT = 0.2
#: Weight of one word of a query phrase matched alone (the phrase matches with 1.0).
PHRASE_WORD_WEIGHT = 0.5


@lru_cache(maxsize=1)
def _generic_stems() -> tuple[frozenset[str], frozenset[str]]:
    words = GENERIC_WORDS["fi"] | GENERIC_WORDS["en"]
    return (
        frozenset(stem(w, "fi") for w in words) | words,
        frozenset(stem(w, "en") for w in words) | words,
    )


def is_generic(word: str) -> bool:
    """True if ``word`` (any inflection) is a money or "project" word of either language.

    >>> is_generic("rahoitusta"), is_generic("grants"), is_generic("nuoret")
    (True, True, False)
    """
    fi, en = _generic_stems()
    return word in fi or stem(word, "fi") in fi or stem(word, "en") in en


def _generic_terms(terms: Sequence[str]) -> bool:
    fi, en = _generic_stems()
    return all((t[3:] in fi) if t.startswith("fi:") else (t in en) for t in terms)


def check_query(query: str) -> None:
    """Raise :class:`~polarguide.errors.InputError` for a query no one could mean.

    >>> check_query("nuorisovaihto")
    >>> check_query("ab" * 40)
    Traceback (most recent call last):
    ...
    polarguide.errors.InputError: a query word of 80 letters is too long (at most 60); \
separate the words with spaces
    """
    for word in _WORD.findall(str(query or "")):
        if len(word) > MAX_WORD_LEN:
            from .errors import InputError

            raise InputError(
                f"a query word of {len(word)} letters is too long (at most {MAX_WORD_LEN}); "
                "separate the words with spaces"
            )


def analyze_query(query: str, lexicon: Lexicon) -> list[Concept]:
    """Turn a Finnish or English query into concepts with cross-language alternatives.

    Index terms of Finnish documents are prefixed ``fi:`` so the two stem spaces do not
    collide; English terms are bare stems. Each alternative's label says which part of
    the query matched which word (*hanke→project*, not the whole compound), and money
    or "project" words get the small :data:`GENERIC_WEIGHT`.

    >>> from types import SimpleNamespace as T
    >>> lex = Lexicon([T(fi="luonnon monimuotoisuus", en="biodiversity")])
    >>> [concept] = analyze_query("luonnon monimuotoisuus", lex)
    >>> concept.surface, [a.label for a in concept.alts if "→" in a.label]
    ('luonnon monimuotoisuus', ['luonnon monimuotoisuus→biodiversity'])
    >>> lex = Lexicon([T(fi="ympäristö", en="environment"), T(fi="hanke", en="project")])
    >>> [c.weight for c in analyze_query("rahoitus ympäristöhankkeelle", lex)]
    [0.2, 1.0]
    >>> sorted({a.label for a in analyze_query("ympäristöhankkeelle", lex)[0].alts})[-3:]
    ['ympäristö + hanke→environment + project', 'ympäristöhankkeelle', 'ympäristö→environment']
    """
    check_query(query)
    words = [w for w in tokenize(query) if not is_stopword(w)]
    fi_stems = [stem(w, "fi") for w in words]
    en_stems = [stem(w, "en") for w in words]
    concepts: list[Concept] = []
    i = 0
    while i < len(words):
        matched = False
        for n in range(min(lexicon.max_phrase, len(words) - i), 1, -1):
            surface = " ".join(words[i : i + n])
            en = lexicon.fi_lookup(tuple(fi_stems[i : i + n]))
            fi = lexicon.en_lookup(tuple(en_stems[i : i + n]))
            if en or fi:
                concept = Concept(surface)
                concept.add(tuple(en_stems[i : i + n]), surface)
                concept.add(tuple("fi:" + s for s in fi_stems[i : i + n]), surface)
                _add_translations(concept, surface, en, fi)
                # the entry's other Finnish forms say the same (luonnon ennallistaminen
                # = ennallistaminen)
                for form in lexicon.fi_phrase_forms.get(tuple(fi_stems[i : i + n]), ()):
                    terms = tuple("fi:" + t for t in analyze(form, "fi"))
                    concept.add(terms, f"{surface}→{form}")
                for k in range(i, i + n):  # one word of the phrase alone counts less
                    if not is_generic(words[k]):
                        concept.add((en_stems[k],), words[k], PHRASE_WORD_WEIGHT)
                        concept.add(("fi:" + fi_stems[k],), words[k], PHRASE_WORD_WEIGHT)
                if all(is_generic(w) for w in words[i : i + n]):
                    concept.weight = GENERIC_WEIGHT
                concepts.append(concept)
                i += n
                matched = True
                break
        if matched:
            continue
        word = words[i]
        concept = Concept(word)
        concept.add((en_stems[i],), word)
        concept.add(("fi:" + fi_stems[i],), word)
        en = lexicon.fi_lookup((fi_stems[i],))
        fi = lexicon.en_lookup((en_stems[i],))
        _add_translations(concept, word, en, fi)
        if is_generic(word):
            concept.weight = GENERIC_WEIGHT
        else:  # a compound's parts also count (less), glossary word or not
            _add_compound(concept, word, lexicon)
        concepts.append(concept)
        i += 1
    return concepts


def _add_compound(concept: Concept, word: str, lexicon: Lexicon) -> None:
    """Alternatives from the parts of a compound; generic parts count very little."""
    parts = lexicon.split_parts(word)
    if not parts:
        return
    concept.add(tuple("fi:" + p for _, p in parts), " + ".join(s for s, _ in parts), 0.9)
    for surface, part in parts:
        concept.add(("fi:" + part,), surface, 0.1 if is_generic(surface) else 0.8)
    translated = [lexicon.fi_lookup((part,)) for _, part in parts]
    if all(translated):
        phrase = tuple(t for tr in translated for t in analyze(tr[0], "en"))
        label = " + ".join(s for s, _ in parts) + "→" + " + ".join(tr[0] for tr in translated)
        concept.add(phrase, label, 0.9)
    for (surface, _), tr in zip(parts, translated, strict=True):
        weight = 0.1 if is_generic(surface) else 0.6
        for e in tr:
            concept.add(tuple(analyze(e, "en")), f"{surface}→{e}", weight)


def _add_translations(concept: Concept, surface: str, en: list[str], fi: list[str]) -> None:
    """Glossary translations. A bare word that is only part of another translation
    (*rural* next to *rural village*) or a money/"project" word counts little.

    >>> c = Concept("kylä")
    >>> _add_translations(c, "kylä", ["village", "rural village", "rural"], [])
    >>> [(a.label, a.weight) for a in c.alts]
    [('kylä→village', 1.0), ('kylä→rural village', 1.0), ('kylä→rural', 0.3)]
    """
    specific = not all(is_generic(w) for w in surface.split())
    forms = [(tuple(analyze(e, "en")), e) for e in en]
    forms += [(tuple("fi:" + s for s in analyze(f, "fi")), f) for f in fi]
    phrases = [terms for terms, _ in forms if len(terms) > 1]
    for k, (terms, word) in enumerate(forms):
        weight = 1.0
        if specific and _generic_terms(terms):
            weight = GENERIC_WEIGHT
        elif k not in (0, len(en)) and len(terms) == 1 and any(terms[0] in p for p in phrases):
            weight = 0.3  # not a headword, and only a part of a longer translation
        concept.add(terms, f"{surface}→{word}", weight)


# --------------------------------------------------------------------------- index


@dataclass
class Hits:
    """Search result: document positions (best first), scores and matched labels."""

    ids: np.ndarray
    scores: np.ndarray
    why: list[list[str]]


class Postings(Mapping):
    """Term -> (document ids, scores), stored as three flat arrays and one dict.

    Tens of thousands of small arrays would make the index slow to load from the warm
    cache (each array is an object to unpickle); slices of three arrays are not.

    >>> p = Postings({"a": 0, "b": 1}, np.array([0, 2, 3]), np.array([0, 4, 1]),
    ...              np.array([1.0, 2.0, 3.0]))
    >>> p["a"][0].tolist(), p["b"][1].tolist(), sorted(p), "c" in p
    ([0, 4], [3.0], ['a', 'b'], False)
    """

    def __init__(
        self, slots: dict[str, int], bounds: np.ndarray, ids: np.ndarray, scores: np.ndarray
    ) -> None:
        self.slots, self.bounds, self.ids, self.scores = slots, bounds, ids, scores

    def __getitem__(self, term: str) -> tuple[np.ndarray, np.ndarray]:
        k = self.slots[term]
        lo, hi = self.bounds[k], self.bounds[k + 1]
        return self.ids[lo:hi], self.scores[lo:hi]

    def __contains__(self, term: object) -> bool:
        return term in self.slots

    def __iter__(self) -> Iterator[str]:
        return iter(self.slots)

    def __len__(self) -> int:
        return len(self.slots)


class TextIndex:
    """A BM25F inverted index; postings hold precomputed per-document term scores.

    Build with :meth:`from_documents` or :func:`build_index`; query with :meth:`search`.
    """

    k1 = 1.2
    b = 0.75

    def __init__(
        self, postings: Mapping[str, tuple[np.ndarray, np.ndarray]], n_docs: int, lexicon: Lexicon
    ) -> None:
        self.postings = postings
        self.n_docs = n_docs
        self.lexicon = lexicon
        self._fi_buckets: dict[str, list[str]] = {}
        for term in postings:
            if term.startswith("fi:") and " " not in term:
                self._fi_buckets.setdefault(term[3:7], []).append(term)
        self.memo: dict[Any, Any] = {}

    @classmethod
    def from_documents(
        cls, docs: Sequence[Mapping[str, Any]], lexicon: Lexicon | None = None
    ) -> TextIndex:
        """Index documents: mappings of field name -> text, plus optional ``lang``.

        >>> ix = TextIndex.from_documents([{"title": "Climate", "lang": "en"}])
        >>> sorted(ix.postings)
        ['climat']
        """
        lexicon = lexicon or Lexicon()
        vocabulary: dict[str, int] = {}
        n = len(docs)
        # per field: each document's term ids (compact arrays, not Counters: 10k records
        # with word pairs would otherwise take hundreds of megabytes while building)
        per_field: dict[str, list[np.ndarray]] = {f: [] for f in FIELD_WEIGHTS}
        for doc in docs:
            lang = "fi" if str(doc.get("lang") or "en").lower().startswith("fi") else "en"
            for name in FIELD_WEIGHTS:
                terms = _doc_terms(doc.get(name), lang, lexicon)
                ids = [vocabulary.setdefault(t, len(vocabulary)) for t in terms]
                per_field[name].append(np.array(ids, dtype=np.int32))
        keys: list[np.ndarray] = []
        values: list[np.ndarray] = []
        for name, weight in FIELD_WEIGHTS.items():
            lengths = np.array([len(a) for a in per_field[name]], float)
            # the average over the documents that have the field: most portal calls have
            # no keywords, and an average near zero would make every catalogue entry's
            # keywords look many times too long (and its keywords count for nothing)
            filled = lengths[lengths > 0]
            avg = max(float(filled.mean()) if len(filled) else 0.0, 1.0)
            norms = 1 - cls.b + cls.b * lengths / avg
            for doc_id, ids in enumerate(per_field[name]):
                if len(ids):
                    terms, tf = np.unique(ids, return_counts=True)
                    keys.append(terms.astype(np.int64) * max(n, 1) + doc_id)
                    values.append((weight * tf / norms[doc_id]).astype(np.float64))
            per_field[name] = []  # free as we go
        postings = Postings(
            {}, np.zeros(1, np.int64), np.zeros(0, np.int32), np.zeros(0, np.float32)
        )
        if keys:
            key = np.concatenate(keys)
            value = np.concatenate(values)
            del keys, values
            order = np.argsort(key, kind="stable")
            key, value = key[order], value[order]
            starts = np.flatnonzero(np.r_[True, key[1:] != key[:-1]])
            key, tf = key[starts], np.add.reduceat(value, starts)  # summed over the fields
            term_of, doc_of = key // max(n, 1), (key % max(n, 1)).astype(np.int32)
            bounds = np.flatnonzero(np.r_[True, term_of[1:] != term_of[:-1], True])
            counts = np.diff(bounds)
            idf = np.log(1 + (n - counts + 0.5) / (counts + 0.5))
            scores = (np.repeat(idf, counts) * tf * (cls.k1 + 1) / (cls.k1 + tf)).astype(np.float32)
            names = np.empty(len(vocabulary), dtype=object)
            for term, i in vocabulary.items():
                names[i] = term
            slots = {names[t]: k for k, t in enumerate(term_of[bounds[:-1]].tolist())}
            postings = Postings(slots, bounds.astype(np.int64), doc_of, scores)
        return cls(postings, n, lexicon)

    def _expand(self, term: str) -> list[tuple[str, float]]:
        """Index terms for one query term: exact (weight 1.0) and, for a Finnish stem, its
        other grades and vowel endings (weight 0.8) even when the exact stem is indexed too
        (*nuorisovaihto* also finds *nuorisovaihdot*, whose stem is *nuorisovaihdo*).

        >>> ix = TextIndex.from_documents([{"title": "nuorisovaihto", "lang": "fi"},
        ...                                {"title": "nuorisovaihdot", "lang": "fi"}])
        >>> ix._expand("fi:nuorisovaihto")
        [('fi:nuorisovaihto', 1.0), ('fi:nuorisovaihdo', 0.8)]
        """
        exact = [(term, 1.0)] if term in self.postings else []
        if not term.startswith("fi:"):
            return exact
        stem_ = term[3:]
        return exact + [
            (t, 0.8)
            for t in self._fi_buckets.get(stem_[:4], [])
            if t != term and fuzzy_stem_match(t[3:], stem_)
        ]

    def term_scores(self, terms: Sequence[str]) -> np.ndarray:
        """Dense score array for a phrase: the mean term score where every term is found,
        times :data:`SCATTERED_PHRASE` where the words are not side by side.

        >>> ix = TextIndex.from_documents([{"title": "climate change"}, {"title": "climate"},
        ...                                {"title": "change the climate"}])
        >>> [round(float(x), 2) for x in ix.term_scores(["climat", "chang"])]
        [0.45, 0.0, 0.13]
        """
        return self.phrase_scores(terms)[0]

    def phrase_scores(self, terms: Sequence[str]) -> tuple[np.ndarray, np.ndarray | None]:
        """:meth:`term_scores` and, for a phrase, where its words stand side by side
        (``None`` for one word).

        >>> ix = TextIndex.from_documents([{"title": "climate change"},
        ...                                {"title": "change the climate"}])
        >>> ix.phrase_scores(["climat", "chang"])[1].tolist(), ix.phrase_scores(["climat"])[1]
        ([True, False], None)
        """
        together = None
        total = np.zeros(self.n_docs, np.float32)
        present = np.zeros(self.n_docs, np.float32)
        for term in terms:
            best = np.zeros(self.n_docs, np.float32)
            for t, w in self._expand(term):
                ids, scores = self.postings[t]
                best[ids] = np.maximum(best[ids], scores * w)
            total += best
            present += best > 0
        if len(terms) > 1:  # a phrase is one concept: every word present, mean score
            total *= (present == len(terms)) / len(terms)
            together = np.ones(self.n_docs, bool)  # ... and best side by side
            for a, b in pairwise(terms):
                pair = np.zeros(self.n_docs, bool)
                ids = self.postings.get(f"{a} {b.removeprefix('fi:')}", (np.zeros(0, int),))[0]
                pair[ids] = True
                together &= pair
            total *= np.where(together, 1.0, SCATTERED_PHRASE).astype(np.float32)
        return total, together

    def search(self, query: str, limit: int | None = None) -> Hits:
        """Rank documents for ``query``; ``why`` lists the matched label per concept.

        A document's score is the weighted sum of its concept scores times the squared
        share of the query's topic concepts it matches, so matching all of the query
        ranks above matching one word of it; money and "project" words weigh
        :data:`GENERIC_WEIGHT`, count in that share only when the query has nothing
        else (every record of a funding tool is about money), and a document that
        matches only such words is no hit when the query has a topic word. A concept
        matched only through a weak alternative (a compound's generic part, one word of
        a phrase, a phrase's words scattered rather than side by side) covers less. A
        word that matches nothing is looked up as a misspelling (one letter added,
        missing, changed or swapped).

        >>> ix = TextIndex.from_documents([{"title": "Nature"}, {"text": "nature"}, {}])
        >>> ix.search("nature").ids.tolist()
        [0, 1]
        >>> ix.search("natrue").why
        [['natrue≈natur'], ['natrue≈natur']]
        """
        concepts = [self._corrected(c) for c in analyze_query(query, self.lexicon)]
        total = np.zeros(self.n_docs, np.float32)
        covered = np.zeros(self.n_docs, np.float32)
        specific = np.zeros(self.n_docs, bool)
        choices: list[tuple[Concept, np.ndarray, np.ndarray]] = []
        topical = any(c.weight >= 1.0 for c in concepts)
        for concept in concepts:
            best = np.zeros(self.n_docs, np.float32)
            which = np.full(self.n_docs, -1, np.int16)
            strength = np.zeros(self.n_docs, np.float32)  # how fully the concept matched
            for k, alt in enumerate(concept.alts):
                scores, together = self.phrase_scores(alt.terms)
                scores = scores * alt.weight
                better = scores > best
                if better.any():
                    best = np.where(better, scores, best)
                    which[better] = k
                    full = min(alt.weight, 1.0)
                    if together is None:
                        strength[better] = full
                    else:  # scattered words of a phrase cover it like one word of it
                        strength[better] = np.where(
                            together[better], full, full * PHRASE_WORD_WEIGHT
                        )
            total += concept.weight * best
            if concept.weight >= 1.0 or not topical:  # money words: no share of coverage
                covered += concept.weight * strength
            if concept.weight >= 1.0:
                specific |= best > 0
            choices.append((concept, best, which))
        weight = sum(c.weight for c in concepts if c.weight >= 1.0 or not topical)
        if weight:
            total *= (covered / weight) ** 2
        if topical:
            total[~specific] = 0
        ids = np.flatnonzero(total > 0)
        ids = ids[np.lexsort((ids, -total[ids]))]
        if limit is not None:
            ids = ids[:limit]
        why = [[c.alts[w[i]].label for c, b, w in choices if b[i] > 0 and w[i] >= 0] for i in ids]
        return Hits(ids=ids, scores=total[ids].astype(float), why=why)

    def _known(self, terms: Sequence[str]) -> bool:
        return all(self._expand(t) for t in terms)

    def _corrected(self, concept: Concept) -> Concept:
        """``concept``, or its spelling correction when no alternative is in the index."""
        word = concept.surface
        if " " in word or len(word) < 5 or any(self._known(a.terms) for a in concept.alts):
            return concept
        fixed = self._spelling(word)
        if fixed is None:
            return concept
        surface, terms, translations = fixed
        out = Concept(word, weight=concept.weight)
        out.add(terms, f"{word}≈{surface}")
        for e in translations:
            out.add(tuple(analyze(e, "en")), f"{word}≈{surface}→{e}")
        return out

    def _spelling(self, word: str) -> tuple[str, tuple[str, ...], list[str]] | None:
        """(corrected word, its index terms, its translations) at one edit, or ``None``."""
        if "spelling" not in self.memo:
            table: dict[str, set[str]] = {}
            vocabulary = [
                t for t in self.postings if len(t) >= 5 + 3 * t.startswith("fi:") and " " not in t
            ]
            vocabulary += ["fi:" + k[0] for k in self.lexicon.fi_to_en if len(k) == 1]
            for term in vocabulary:
                for key in (term, *_deletes(term)):
                    table.setdefault(key, set()).add(term)
            self.memo["spelling"] = table
        table = self.memo["spelling"]
        found: set[str] = set()
        for probe in ("fi:" + stem(word, "fi"), stem(word, "en")):
            for key in (probe, *_deletes(probe)):
                found |= table.get(key, set())
        found = {t for t in found if self._expand(t)}
        if not found:
            return None

        def size(term: str) -> int:
            return len(self.postings[term][0]) if term in self.postings else 0

        best = max(sorted(found), key=size)
        if best.startswith("fi:"):
            surface = self.lexicon.surface(best[3:])
            return surface, (best,), self.lexicon.fi_lookup((best[3:],))
        return best, (best,), []

    def matching(self, words: Iterable[str]) -> np.ndarray:
        """Boolean mask of documents containing any of ``words`` (English or Finnish).

        >>> TextIndex.from_documents([{"title": "Rural"}, {}]).matching(["rural"]).tolist()
        [True, False]
        """
        mask = np.zeros(self.n_docs, bool)
        for word in words:
            for terms in (analyze(word, "en"), ["fi:" + t for t in analyze(word, "fi")]):
                if terms:
                    mask |= self.term_scores(terms) > 0
        return mask


def _deletes(term: str) -> set[str]:
    """``term`` with one letter removed, every way (``fi:`` prefix kept).

    >>> sorted(_deletes("fi:abc"))
    ['fi:ab', 'fi:ac', 'fi:bc']
    """
    head, body = ("fi:", term[3:]) if term.startswith("fi:") else ("", term)
    return {head + body[:i] + body[i + 1 :] for i in range(len(body))}


#: Where a phrase ends: word pairs are not made across these (a comma, a full stop
#: followed by a space, a colon, a bracket, a line break, a dash between spaces).
_CLAUSE_END = re.compile(r"[,;:!?()\[\]\n]|\.\s|\s[-–—]\s")


def _doc_terms(text: object, lang: str, lexicon: Lexicon) -> list[str]:
    """Index terms of one field: stems, compound parts and side-by-side pairs.

    Pairs stay within a clause, and a list (keywords) is one clause per item, so
    *wastes, reduction of …* is not the phrase *waste reduction*.

    >>> _doc_terms("extractive wastes, reduction of land use", "en", Lexicon())
    ['extract', 'wast', 'reduct', 'land', 'use', 'extract wast', 'reduct land', 'land use']
    >>> [t for t in _doc_terms(["rural development", "village"], "en", Lexicon()) if " " in t]
    ['rural develop']
    """
    if text is None:
        return []
    if not isinstance(text, str):
        if isinstance(text, float) and text != text:
            return []
        if isinstance(text, (list, tuple)) or hasattr(text, "tolist"):
            text = "\n".join(str(t) for t in text)
    clauses = _CLAUSE_END.split(text)
    if lang == "en":
        stems: list[str] = []
        pairs: list[str] = []
        for clause in clauses:
            found = analyze(clause, "en")
            stems += found
            pairs += _pairs(found)
        return stems + pairs
    out: list[str] = []
    chains: list[str] = []
    pairs = []
    for clause in clauses:
        chain: list[str] = []
        en_chain: list[str] = []  # English names and keywords inside Finnish records
        for word in tokenize(clause):
            if is_stopword(word, "fi"):
                continue
            chain.append("fi:" + stem(word, "fi"))
            out.extend("fi:" + p for p in lexicon.split_compound(word))
            if not is_stopword(word, "en"):
                en_chain.append(stem(word, "en"))
        chains += en_chain + chain
        pairs += _pairs(en_chain) + _pairs(chain)
    return out + chains + pairs


def _pairs(stems: Sequence[str]) -> list[str]:
    """Adjacent word pairs as index terms, so a phrase can be told from scattered words.

    >>> _pairs(["youth", "exchang", "group"]), _pairs(["fi:nuore", "fi:vaihto"])
    (['youth exchang', 'exchang group'], ['fi:nuore vaihto'])
    """
    return [f"{a} {b.removeprefix('fi:')}" for a, b in pairwise(stems)]


def record_documents(df: pd.DataFrame) -> list[dict[str, Any]]:
    """Turn record rows into index documents with the ``title``/``keywords``/``text`` fields.

    >>> import pandas as pd
    >>> from polarguide.records import conform
    >>> docs = record_documents(conform(pd.DataFrame({"title": ["A"], "programme": ["LIFE"]})))
    >>> docs[0]["title"], docs[0]["text"].strip()
    ('A', 'LIFE')
    """
    columns = ["call_title", "programme", "programme_name", "type_of_action", "summary"]
    columns += ["identifier", "call_identifier"]
    if "search_text" in df.columns:
        columns.append("search_text")
    texts = [df[c].fillna("").astype(str) for c in columns if c in df.columns]
    joined = texts[0].str.cat(texts[1:], sep=" ") if texts else [""] * len(df)
    langs = df["language"].fillna("en").astype(str) if "language" in df else ["en"] * len(df)
    return [
        {"title": t, "keywords": k, "text": x, "lang": lang}
        for t, k, x, lang in zip(
            df["title"].fillna("").astype(str), df["keywords"], joined, langs, strict=True
        )
    ]


def build_index(df: pd.DataFrame, glossary: Iterable[Any] | None = None) -> TextIndex:
    """Build a :class:`TextIndex` over record rows (positions follow ``df``'s row order).

    ``glossary`` defaults to :func:`polarguide.glossary.load_glossary`.

    >>> import pandas as pd
    >>> from polarguide.records import conform
    >>> frame = conform(pd.DataFrame({"title": ["Youth exchanges", "Soil health"]}))
    >>> build_index(frame, glossary=[]).search("youth").ids.tolist()
    [0]
    """
    return TextIndex.from_documents(record_documents(df), lexicon_for(glossary))


def lexicon_for(glossary: Iterable[Any] | None = None) -> Lexicon:
    """Return the :class:`Lexicon` of ``glossary`` (default: the bundled glossary).

    >>> lexicon_for([]).max_phrase
    1
    """
    if glossary is None:
        from .glossary import load_glossary

        glossary = load_glossary()
    return Lexicon(glossary)
