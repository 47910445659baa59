"""Text analysis and a BM25F inverted index for Finnish and English records.

The pieces, from the bottom up:

* :func:`tokenize` – lowercase Unicode words and numbers (keeps å, ä, ö);
* :func:`stem` – Snowball stemming for ``"fi"`` and ``"en"``, with stopwords;
* :class:`Lexicon` – the bilingual glossary turned into stem lookups, fuzzy Finnish
  matching (consonant gradation: *luonnon* ~ *luonto*) and compound splitting
  (*ilmastonmuutos* → *ilmasto* + *muutos*);
* :class:`TextIndex` – BM25F over three weighted fields (title high, keywords medium,
  the rest low), built once with :func:`build_index`, queried with
  :meth:`TextIndex.search`, which returns document positions, scores and which query
  words matched what.

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
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    import pandas as pd

_WORD = re.compile(r"[^\W_]+", re.UNICODE)

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
    """Split text into lowercase words and numbers; å/ä/ö stay, punctuation goes.

    >>> tokenize("Nuorisovaihto Äkäslompolossa, 2027! ERASMUS-YOUTH")
    ['nuorisovaihto', 'äkäslompolossa', '2027', 'erasmus', 'youth']
    >>> tokenize(None)
    []
    """
    if text is None or (isinstance(text, float) and text != text):
        return []
    return _WORD.findall(str(text).lower())


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


def fuzzy_stem_match(a: str, b: str) -> bool:
    """Loose equality of two Finnish stems that tolerates consonant gradation and endings.

    True if they share a prefix of at least 4 letters that leaves at most 2 letters of the
    shorter stem and at most 3 of the longer one.

    >>> fuzzy_stem_match("luono", "luonto"), fuzzy_stem_match("nuor", "nuore")
    (True, True)
    >>> fuzzy_stem_match("maaseudu", "maaseutu"), fuzzy_stem_match("kala", "kalastus")
    (True, False)
    """
    if a == b:
        return True
    n = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        n += 1
    short, long_ = sorted((len(a), len(b)))
    return n >= 4 and short - n <= 2 and long_ - n <= 3


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
        self.fi_buckets: dict[str, set[str]] = {}
        self.compound_stems: set[str] = set()
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
                for word in tokenize(surface):
                    if len(word) >= 3:
                        self.compound_stems.add(word)
                        self.compound_stems.add(stem(word, "fi"))
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
        be inflected or gradated (*nuoriso*-*vaihtoon*, *nuoriso*-*vaihdot*).
        """
        if len(word) < 6:
            return []
        for i in range(len(word) - 3, 2, -1):
            left, right = word[:i], word[i:]
            head = self._dictionary_stem(left)
            if head is None and left.endswith("n"):
                head = self._dictionary_stem(left[:-1])
            if head is None:
                continue
            tail = self._dictionary_stem(right, fuzzy=True)
            if tail is not None:
                return [head, tail]
            rest = self.split_compound(right)
            if rest:
                return [head, *rest]
        return []
        for i in range(len(word) - 3, 2, -1):
            left, right = word[:i], word[i:]
            if not self._known(left):
                if left.endswith("n") and self._known(left[:-1]):
                    left = left[:-1]
                else:
                    continue
            if self._known(right):
                return [stem(left, "fi"), stem(right, "fi")]
            rest = self.split_compound(right)
            if rest:
                return [stem(left, "fi"), *rest]
        return []


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


def analyze_query(query: str, lexicon: Lexicon) -> list[Concept]:
    """Turn a Finnish or English query into concepts with cross-language alternatives.

    Index terms of Finnish documents are prefixed ``fi:`` so the two stem spaces do not
    collide; English terms are bare stems.

    >>> from types import SimpleNamespace as T
    >>> lex = Lexicon([T(fi="luonnon monimuotoisuus", en="biodiversity")])
    >>> [concept] = analyze_query("luonnon monimuotoisuus", lex)
    >>> concept.surface, [a.label for a in concept.alts if "→" in a.label]
    ('luonnon monimuotoisuus', ['luonnon monimuotoisuus→biodiversity'])
    """
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
        if not en and not fi:
            parts = lexicon.split_compound(word)
            for part in parts:
                concept.add(("fi:" + part,), word, 0.8)
            if parts:
                translated = [lexicon.fi_lookup((p,)) for p in parts]
                if all(translated):
                    phrase = tuple(t for tr in translated for t in analyze(tr[0], "en"))
                    label = " + ".join(tr[0] for tr in translated)
                    concept.add(phrase, f"{word}→{label}", 0.9)
                for tr in translated:
                    for e in tr:
                        concept.add(tuple(analyze(e, "en")), f"{word}→{e}", 0.6)
        concepts.append(concept)
        i += 1
    return concepts


def _add_translations(concept: Concept, surface: str, en: list[str], fi: list[str]) -> None:
    for e in en:
        concept.add(tuple(analyze(e, "en")), f"{surface}→{e}")
    for f in fi:
        concept.add(tuple("fi:" + s for s in analyze(f, "fi")), f"{surface}→{f}")


# --------------------------------------------------------------------------- index


@dataclass
class Hits:
    """Search result: document positions (best first), scores and matched labels."""

    ids: np.ndarray
    scores: np.ndarray
    why: list[list[str]]


class TextIndex:
    """A BM25F inverted index; postings hold precomputed per-document term scores.

    Build with :meth:`from_documents` or :func:`build_index`; query with :meth:`search`.
    """

    k1 = 1.2
    b = 0.75

    def __init__(
        self, postings: dict[str, tuple[np.ndarray, np.ndarray]], n_docs: int, lexicon: Lexicon
    ) -> None:
        self.postings = postings
        self.n_docs = n_docs
        self.lexicon = lexicon
        self._fi_buckets: dict[str, list[str]] = {}
        for term in postings:
            if term.startswith("fi:"):
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
        per_field: dict[str, list[Counter]] = {f: [] for f in FIELD_WEIGHTS}
        for doc in docs:
            lang = "fi" if str(doc.get("lang") or "en").lower().startswith("fi") else "en"
            for name in FIELD_WEIGHTS:
                per_field[name].append(Counter(_doc_terms(doc.get(name), lang, lexicon)))
        n = len(docs)
        lengths = {f: np.array([sum(c.values()) for c in cs], float) for f, cs in per_field.items()}
        avg = {f: max(float(v.mean()) if n else 0.0, 1.0) for f, v in lengths.items()}
        weighted: dict[str, dict[int, float]] = {}
        for name, weight in FIELD_WEIGHTS.items():
            norms = 1 - cls.b + cls.b * lengths[name] / avg[name]
            for doc_id, counts in enumerate(per_field[name]):
                norm = norms[doc_id]
                for term, tf in counts.items():
                    slot = weighted.setdefault(term, {})
                    slot[doc_id] = slot.get(doc_id, 0.0) + weight * tf / norm
        postings: dict[str, tuple[np.ndarray, np.ndarray]] = {}
        for term, slot in weighted.items():
            df = len(slot)
            idf = np.log(1 + (n - df + 0.5) / (df + 0.5))
            ids = np.fromiter(slot.keys(), dtype=np.int32, count=df)
            tf = np.fromiter(slot.values(), dtype=np.float64, count=df)
            scores = (idf * tf * (cls.k1 + 1) / (cls.k1 + tf)).astype(np.float32)
            order = np.argsort(ids)
            postings[term] = (ids[order], scores[order])
        return cls(postings, n, lexicon)

    def _expand(self, term: str) -> list[tuple[str, float]]:
        """Index terms for one query term: exact, or fuzzy Finnish matches (weight 0.8)."""
        if term in self.postings:
            return [(term, 1.0)]
        if not term.startswith("fi:"):
            return []
        stem_ = term[3:]
        return [
            (t, 0.8) for t in self._fi_buckets.get(stem_[:4], []) if fuzzy_stem_match(t[3:], stem_)
        ]

    def term_scores(self, terms: Sequence[str]) -> np.ndarray:
        """Dense score array for a phrase: mean term score times the share of terms found.

        >>> ix = TextIndex.from_documents([{"title": "climate change"}, {"title": "climate"}])
        >>> (ix.term_scores(["climat", "chang"]) > 0).tolist()
        [True, True]
        """
        total = np.zeros(self.n_docs, np.float32)
        present = np.zeros(self.n_docs, np.float32)
        for term in terms:
            best = np.zeros(self.n_docs, np.float32)
            for t, w in self._expand(term):
                ids, scores = self.postings[t]
                best[ids] = np.maximum(best[ids], scores * w)
            total += best
            present += best > 0
        if len(terms) > 1:  # a phrase is one concept: mean score, times the share found
            total *= present / len(terms) ** 2
        return total

    def search(self, query: str, limit: int | None = None) -> Hits:
        """Rank documents for ``query``; ``why`` lists the matched label per concept.

        >>> ix = TextIndex.from_documents([{"title": "Nature"}, {"text": "nature"}, {}])
        >>> ix.search("nature").ids.tolist()
        [0, 1]
        """
        concepts = analyze_query(query, self.lexicon)
        total = np.zeros(self.n_docs, np.float32)
        choices: list[tuple[Concept, np.ndarray, np.ndarray]] = []
        for concept in concepts:
            best = np.zeros(self.n_docs, np.float32)
            which = np.full(self.n_docs, -1, np.int16)
            for k, alt in enumerate(concept.alts):
                scores = self.term_scores(alt.terms) * alt.weight
                better = scores > best
                if better.any():
                    best = np.where(better, scores, best)
                    which[better] = k
            total += best
            choices.append((concept, best, which))
        ids = np.flatnonzero(total > 0)
        ids = ids[np.lexsort((ids, -total[ids]))]
        if limit is not None:
            ids = ids[:limit]
        why = [[c.alts[w[i]].label for c, b, w in choices if b[i] > 0 and w[i] >= 0] for i in ids]
        return Hits(ids=ids, scores=total[ids].astype(float), why=why)

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


def _doc_terms(text: object, lang: str, lexicon: Lexicon) -> list[str]:
    if text is None:
        return []
    if not isinstance(text, str):
        if isinstance(text, float) and text != text:
            return []
        if isinstance(text, (list, tuple)) or hasattr(text, "tolist"):
            text = " ".join(str(t) for t in text)
    if lang == "en":
        return analyze(text, "en")
    out: list[str] = []
    for word in tokenize(text):
        if is_stopword(word, "fi"):
            continue
        out.append("fi:" + stem(word, "fi"))
        out.extend("fi:" + p for p in lexicon.split_compound(word))
    return out


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
