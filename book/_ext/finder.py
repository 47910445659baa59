"""The book's funding finder: a client-side search page generated from the library's data.

One job: at build time, turn the data in use (:func:`polarguide.store.load_current` plus
:func:`polarguide.catalogue.catalogue_records`) into one compact JSON file per edition,
``_static/finder-data-<lang>.json``, and put the finder widget on the page that says
```` ```{funding-finder} ```` . The browser part is ``book/_static/finder.js`` and
``finder.css`` (plain JavaScript, loaded only on that page, nothing from other hosts).

How the search works without a Finnish stemmer in the browser
    Python does the language work once, at build time, with :mod:`polarguide.textindex`:

    * ``post`` – an inverted index (BM25F scores from :class:`~polarguide.textindex.TextIndex`)
      over each record's title, keywords, programme, call title, identifier, one-line
      summary and (catalogue) Finnish and English search text;
    * ``vocab`` – a table *query word → alternatives*: every word of the indexed text and
      of the glossary (both languages, with synonyms and multi-word terms), each analysed
      exactly like :func:`polarguide.textindex.analyze_query` does (stemming, glossary
      translation both ways, compound splitting: *ilmastonmuutos* → *ilmasto* + *muutos*
      → *climate change*). Each alternative lists the index terms it hits, already
      expanded with the fuzzy Finnish stem matches, so the browser only looks up.

    The browser lowercases and splits the query, matches glossary phrases first, looks
    each word up in ``vocab``, and for a word it has never seen (an inflected form such as
    *nuorisovaihtoon*) falls back to the known word with the longest common prefix (at
    least 4 letters, at most 3 letters of the known word and 6 of the typed word left
    over), or to known words that start with what was typed. Inflected glossary phrases
    are found by their words' stems (``phrases`` and ``stems``). Scores combine per
    concept as in :meth:`TextIndex.search` (money words weigh little, the share of the
    query's concepts matched counts squared, a phrase counts fully only with its words
    side by side). tests/test_finder.py runs ``finder.js`` itself in Node on the data
    this module writes and compares it with the library; :func:`query` is the same
    algorithm in Python.

Record fields in the JSON (short keys keep it small): ``id``, ``t`` title, ``p``
programme, ``k`` kind (``c`` call / ``p`` programme), ``s`` status on the build day,
``d`` deadlines (``YYYY-MM-DD`` when the portal gives no time, else ``…THH:MMZ`` UTC),
``b`` budget (EUR), ``a`` amounts (catalogue text), ``o`` one-line summary, ``u`` URL,
``w`` who can apply, ``r`` route, ``f`` index into ``stamps`` (when the record was
retrieved or checked; the calendar's DTSTAMP), ``x`` the window of an expected round
(``[from, to, around]`` days, status ``expected``: never a confirmed deadline).

>>> one_line("Expected Outcome:\\n\\nProjects will restore peatlands. They also monitor.")
'Projects will restore peatlands.'
>>> deadline_text(parse_date("2027-03-05T16:00:00Z")), deadline_text(parse_date("2027-12-01"))
('2027-03-05T16:00Z', '2027-12-01')
"""

from __future__ import annotations

import datetime as dt
import json
import re
import zlib
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from polarguide.dates import UTC, is_date_only, parse_date, parse_day, reference_day
from polarguide.textindex import common_prefix

if TYPE_CHECKING:
    import pandas as pd
    from sphinx.application import Sphinx

    from polarguide.textindex import Lexicon, TextIndex

#: The longest one-line summary, in characters.
ONE_LINE_MAX = 180
#: Statuses the finder shows by default ("still available").
AVAILABLE = ("open", "forthcoming", "recurring", "expected")
DATA_NAME = "finder-data-{lang}.json"
#: A portal call's official page is this plus its identifier (then ``u`` is left out).
PORTAL_TOPIC_URL = (
    "https://ec.europa.eu/info/funding-tenders/opportunities/portal/screen/opportunities/"
    "topic-details/"
)
_HEADING = re.compile(r"^[^\n.!?]{1,60}:\s*$")
_SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-ZÅÄÖ0-9\"“(])")


# --------------------------------------------------------------------------- data


def build_today(configured: str = "") -> dt.date:
    """The build's "today": ``configured`` (a config value), else ``$POLARGUIDE_TODAY``,
    else today in Helsinki.

    >>> build_today("2026-11-28")
    datetime.date(2026, 11, 28)
    """
    return reference_day(configured or None)


def one_line(text: object, limit: int = ONE_LINE_MAX) -> str:
    """The first sentence of a summary, without section headings, at most ``limit`` chars.

    >>> one_line("Objective:\\n\\n- Strengthen youth work in rural areas; build networks")
    'Strengthen youth work in rural areas; build networks'
    >>> one_line("word " * 60)[-11:]
    'word word …'
    >>> one_line(None)
    ''
    """
    if text is None or (isinstance(text, float) and text != text):
        return ""
    lines = [ln.strip(" -•*\t") for ln in str(text).splitlines()]
    body = " ".join(ln for ln in lines if ln and not _HEADING.match(ln))
    first = _SENTENCE.split(body, maxsplit=1)[0].strip()
    if len(first) > limit:
        first = first[: limit - 1].rsplit(" ", 1)[0] + " …"
    return first


def deadline_text(moment: dt.datetime) -> str:
    """A deadline for the JSON: the UTC day alone when it has no time of day.

    >>> deadline_text(parse_date("2026-12-10T16:00:00.000+0000"))
    '2026-12-10T16:00Z'
    """
    utc = moment.astimezone(UTC)
    return f"{utc:%Y-%m-%d}" if is_date_only(utc) else f"{utc:%Y-%m-%dT%H:%MZ}"


def finder_records(
    lang: str = "fi", today: dt.date | str | None = None, snapshot: Any = None
) -> tuple[pd.DataFrame, Any]:
    """The records the finder shows: the data in use (portal calls) plus the catalogue.

    Returns ``(frame, snapshot)``; ``snapshot`` defaults to :func:`store.load_current`.
    Portal calls already closed on ``today`` (default: :func:`build_today`) are left out:
    a finder is for calls one can still apply to, and they would double the page's data
    (``polarguide search --status closed`` lists them). Portal calls get the ``route`` of
    the catalogue's programme when the catalogue gives that programme a single route
    (LIFE → environment), otherwise none.

    >>> frame, snap = finder_records("en", today="2026-11-28")
    >>> sorted(set(frame["kind"])), snap.meta["origin"] in ("bundled", "cache")
    (['call', 'programme'], True)
    >>> from polarguide.search import status_on
    >>> "closed" in set(status_on(frame[frame["kind"] == "call"], "2026-11-28"))
    False
    """
    import pandas as pd

    from polarguide.catalogue import catalogue_records
    from polarguide.search import status_on
    from polarguide.store import load_current

    day = build_today() if today is None else parse_day(str(today))

    snap = snapshot if snapshot is not None else load_current()
    programmes = catalogue_records(lang)
    routes: dict[str, set[str]] = {}
    for programme, route in zip(programmes["programme"], programmes["route"], strict=True):
        if programme and route:
            routes.setdefault(str(programme), set()).add(str(route))
    calls = snap.records
    calls = calls[status_on(calls, day) != "closed"].copy()
    calls["route"] = [
        next(iter(routes[p])) if len(routes.get(p, ())) == 1 else ""
        for p in calls["programme"].fillna("").astype(str)
    ]
    calls["who_can_apply"] = ""
    frame = pd.concat([calls, programmes], ignore_index=True)
    frame["route"] = frame["route"].fillna("")
    frame["who_can_apply"] = frame["who_can_apply"].fillna("")
    return frame.reset_index(drop=True), snap


def _documents(frame: pd.DataFrame, onliners: list[str]) -> list[dict[str, Any]]:
    """Index documents over the fields the finder shows (not the full summaries)."""
    docs = []
    for i, row in enumerate(frame.itertuples(index=False)):
        text = " ".join(
            str(v)
            for v in (
                row.programme,
                row.programme_name,
                row.call_title,
                row.identifier,
                onliners[i],
                getattr(row, "search_text", ""),
            )
            if isinstance(v, str) and v
        )
        docs.append(
            {
                "title": row.title,
                "keywords": row.keywords,
                "text": text,
                "lang": row.language or "en",
            }
        )
    return docs


def _vocabulary(docs: list[dict[str, Any]], glossary: Iterable[Any]) -> set[str]:
    """Every word of the indexed text, plus glossary words and multi-word terms."""
    from polarguide.textindex import tokenize

    words: set[str] = set()
    for doc in docs:
        for name in ("title", "text"):
            words.update(tokenize(doc.get(name)))
        words.update(tokenize(" ".join(str(k) for k in doc.get("keywords") or [])))
    for term in glossary:
        for lang in ("fi", "en"):
            for surface in term.words(lang):
                tokens = tokenize(surface)
                words.update(tokens)
                if len(tokens) > 1:
                    words.add(" ".join(tokens))
    return {w for w in words if not w.isdigit() or len(w) == 4}


def _alternatives(
    word: str, index: TextIndex, lexicon: Lexicon, term_ids: dict[str, int]
) -> list[Any]:
    """``[concept weight, alt, alt, …]`` for one vocabulary word or phrase (``[]`` if none).

    An alt is ``[weight, term, …]``, a phrase's ending with ``{"p": pairs}``: the
    postings of its side-by-side word pairs (``-1`` where the index has none); a term is
    ``[post, w, post, w, …]`` (the term with its fuzzy Finnish matches). As in
    :meth:`polarguide.textindex.TextIndex.search`, the concept weight is
    :data:`~polarguide.textindex.GENERIC_WEIGHT` for money and "project" words.
    """
    from polarguide.textindex import analyze_query

    concepts = analyze_query(word, lexicon)
    if len(concepts) != 1:
        return []
    out: list[Any] = []
    for alt in concepts[0].alts:
        terms = []
        for term in alt.terms:
            flat: list[Any] = []
            for found, weight in index._expand(term):
                flat += [term_ids[found], weight]
            terms.append(flat)
        if all(terms):
            pairs = [
                term_ids.get(f"{a} {b.removeprefix('fi:')}", -1)
                for a, b in zip(alt.terms, alt.terms[1:], strict=False)
            ]
            entry = [alt.weight, *terms, {"p": pairs}] if pairs else [alt.weight, *terms]
            if entry not in out:
                out.append(entry)
    return [concepts[0].weight, *out] if out else []


def build_data(
    frame: pd.DataFrame,
    lang: str,
    *,
    today: dt.date | str,
    retrieved_at: dt.datetime | None,
    catalogue_checked: dt.date | None = None,
    glossary: Iterable[Any] | None = None,
) -> dict[str, Any]:
    """The finder's JSON (a dict) for ``frame`` (from :func:`finder_records`).

    >>> import pandas as pd
    >>> from types import SimpleNamespace as T
    >>> from polarguide.glossary import Term
    >>> from polarguide.records import conform
    >>> frame = conform(pd.DataFrame({"identifier": ["Y-1", "L-2"], "kind": ["call"] * 2,
    ...     "title": ["Youth exchanges in rural areas", "Climate adaptation of peatlands"],
    ...     "programme": ["ERASMUS", "LIFE"], "status": ["open", "open"],
    ...     "deadlines": [["2027-03-05T16:00:00Z"], ["2026-12-01"]],
    ...     "retrieved_at": ["2026-08-22T05:41:38Z"] * 2}))
    >>> gloss = [Term("ye", "nuorisovaihto", "youth exchange"), Term("c", "ilmasto", "climate")]
    >>> data = build_data(frame, "fi", today="2026-11-28",
    ...     retrieved_at=parse_date("2026-08-22T05:41:38Z"), glossary=gloss)
    >>> [r["id"] for r in data["records"]], data["records"][1]["d"]
    (['Y-1', 'L-2'], ['2026-12-01'])
    >>> [data["records"][i]["id"] for i in query(data, "nuorisovaihtoon")]
    ['Y-1']
    >>> [data["records"][i]["id"] for i in query(data, "ilmastossa")]
    ['L-2']
    """
    from polarguide.glossary import load_glossary
    from polarguide.rounds import expected_in
    from polarguide.search import status_on
    from polarguide.textindex import (
        _FOLD,
        PHRASE_WORD_WEIGHT,
        SCATTERED_PHRASE,
        STOPWORDS,
        Lexicon,
        TextIndex,
        stem,
        tokenize,
    )

    day = parse_day(today) if isinstance(today, str) else today
    terms = load_glossary() if glossary is None else list(glossary)
    lexicon = Lexicon(terms)
    onliners = [one_line(s) for s in frame["summary"]]
    docs = _documents(frame, onliners)
    index = TextIndex.from_documents(docs, lexicon)
    names = sorted(index.postings)
    term_ids = {name: i for i, name in enumerate(names)}
    vocab_sets: list[list[Any]] = []
    set_ids: dict[str, int] = {}
    vocab: dict[str, int] = {}
    for word in sorted(_vocabulary(docs, terms)):
        alts = _alternatives(word, index, lexicon, term_ids)
        if not alts:
            continue
        key = json.dumps(alts)
        if key not in set_ids:
            set_ids[key] = len(vocab_sets)
            vocab_sets.append(alts)
        vocab[word] = set_ids[key]
    # glossary phrases by their words' stems, as analyze_query finds them ("village
    # associations" is the phrase "village association"); stems only for the words needed
    phrases: dict[str, int] = {}
    for term in terms:
        for lang in ("fi", "en"):
            for surface in term.words(lang):
                words = tokenize(surface)
                set_id = vocab.get(" ".join(words))
                if len(words) > 1 and set_id is not None:
                    phrases[f"{lang}:" + " ".join(stem(w, lang) for w in words)] = set_id
    wanted = {lang: {w for k in phrases if k.startswith(lang) for w in k[3:].split()}
              for lang in ("fi", "en")}  # fmt: skip
    stems: dict[str, dict[str, str]] = {"fi": {}, "en": {}}
    for word in vocab:
        for lang in ("fi", "en"):
            if " " not in word and stem(word, lang) in wanted[lang]:
                stems[lang][word] = stem(word, lang)

    # only the postings some word can reach (word pairs are many): renumbered densely
    def parts(alt: list[Any]) -> tuple[list[list[Any]], list[int]]:
        pairs = alt[-1]["p"] if isinstance(alt[-1], dict) else []
        return (alt[1:-1] if pairs else alt[1:]), pairs

    used_ids: set[int] = set()
    for alts in vocab_sets:
        for alt in alts[1:]:
            alt_terms, pairs = parts(alt)
            used_ids |= {p for p in pairs if p >= 0}
            used_ids |= {t[j] for t in alt_terms for j in range(0, len(t), 2)}
    used = sorted(used_ids)
    renumber = {old: new for new, old in enumerate(used)}
    for alts in vocab_sets:
        for alt in alts[1:]:
            alt_terms, pairs = parts(alt)
            if pairs:
                alt[-1]["p"] = [renumber.get(p, -1) for p in pairs]
            for t in alt_terms:
                t[0::2] = [renumber[x] for x in t[0::2]]
    post = []
    for term_id in used:
        ids, scores = index.postings[names[term_id]]
        flat: list[float] = []
        previous = 0
        for doc_id, score in zip(ids.tolist(), scores.tolist(), strict=True):
            flat += [doc_id - previous, round(score, 1) or 0.1]  # ids as gaps: smaller JSON
            previous = doc_id
        post.append(flat)

    statuses = status_on(frame, day)
    expected = expected_in(frame, day)
    stamps: list[str] = []
    records = []
    for i, row in enumerate(frame.to_dict(orient="records")):
        stamp = parse_date(row.get("retrieved_at"))
        stamp_text = f"{stamp:%Y-%m-%dT%H:%M:%SZ}" if stamp else ""
        if stamp_text not in stamps:
            stamps.append(stamp_text)
        record: dict[str, Any] = {
            "id": row["identifier"],
            "t": row.get("title") or row["identifier"],
            "p": row.get("programme") or "",
            "k": "p" if row.get("kind") == "programme" else "c",
            "s": str(statuses[i]),
            "d": [deadline_text(parse_date(d)) for d in row.get("deadlines") or []],
            "o": onliners[i],
            "f": stamps.index(stamp_text),
        }
        url = row.get("url") or ""
        if url != PORTAL_TOPIC_URL + record["id"]:
            record["u"] = url
        budget = row.get("budget_eur")
        if budget is not None and budget == budget:
            record["b"] = round(float(budget))
        if row.get("route"):
            record["r"] = row["route"]
        if row.get("who_can_apply"):
            record["w"] = one_line(row["who_can_apply"], 140)
        if record["s"] == "expected":
            exp = expected[i]
            record["x"] = [exp.start.isoformat(), exp.end.isoformat(), exp.around.isoformat()]
        records.append(record)
    stop = sorted(STOPWORDS["fi"] | STOPWORDS["en"])
    return {
        "format": "polarguide-finder",
        "version": 2,
        "lang": lang,
        "built": day.isoformat(),
        "retrieved_at": f"{retrieved_at:%Y-%m-%dT%H:%M:%SZ}" if retrieved_at else None,
        "catalogue_checked": catalogue_checked.isoformat() if catalogue_checked else None,
        "stamps": stamps,
        "records": records,
        "post": post,
        "alts": vocab_sets,
        "vocab": vocab,
        "max_phrase": lexicon.max_phrase,
        "stop": stop,
        "fold": {chr(code): letters for code, letters in sorted(_FOLD.items())},
        "scattered": SCATTERED_PHRASE,
        "phrase_word": PHRASE_WORD_WEIGHT,
        "phrases": phrases,
        "stems": stems,
    }


def dumps(data: dict[str, Any]) -> str:
    """Minified JSON (no spaces, UTF-8 kept).

    >>> dumps({"a": [1, 2], "b": "ä"})
    '{"a":[1,2],"b":"ä"}'
    """
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


# --------------------------------------------------------------------------- the lookup


def _tokens(text: str, stop: set[str]) -> list[str]:
    from polarguide.textindex import tokenize

    return [w for w in tokenize(text) if w not in stop]


def fallback_words(word: str, vocab: Iterable[str]) -> list[str]:
    """Known words standing in for an unknown ``word`` (what finder.js does).

    The known word with the longest common prefix (≥ 4 letters, ≤ 3 letters of the known
    word and ≤ 6 of ``word`` left over); else up to 5 known words starting with ``word``.

    >>> fallback_words("nuorisovaihtoon", ["nuorisovaihto", "nuoriso", "nuoret"])
    ['nuorisovaihto']
    >>> fallback_words("ilmas", ["ilmasto", "ilmastonmuutos", "ilma"])
    ['ilmasto']
    >>> fallback_words("ilm", ["ilmastonmuutos", "ilmasto", "ilma", "kylä"])
    ['ilma', 'ilmasto', 'ilmastonmuutos']
    """
    best: list[str] = []
    best_n = 3
    starts = []
    for known in vocab:
        if " " in known:
            continue
        n = common_prefix(word, known)
        close = n >= 4 and len(known) - n <= 3 and len(word) - n <= 6
        if close and (n > best_n or (n == best_n and best and len(known) < len(best[0]))):
            best, best_n = [known], n
        if len(word) >= 3 and known.startswith(word):
            starts.append(known)
    if best:
        return best
    return sorted(starts, key=lambda w: (len(w), w))[:5]


def _term_scores(data: dict[str, Any], alt: list[Any], n: int) -> list[float]:
    """Scores of one alternative ``[weight, term, …, {"p": pairs}]`` (without its weight)."""
    return _phrase_scores(data, alt, n)[0]


def _phrase_scores(
    data: dict[str, Any], alt: list[Any], n: int
) -> tuple[list[float], list[bool] | None]:
    """:func:`_term_scores` and, for a phrase, where its words stand side by side."""
    pairs = alt[-1]["p"] if isinstance(alt[-1], dict) else []
    terms = alt[1:-1] if pairs else alt[1:]
    total = [0.0] * n
    present = [0] * n
    together: list[bool] | None = None
    for flat in terms:
        best = [0.0] * n
        for j in range(0, len(flat), 2):
            post, weight = data["post"][flat[j]], flat[j + 1]
            doc = 0
            for k in range(0, len(post), 2):
                doc += post[k]
                best[doc] = max(best[doc], post[k + 1] * weight)
        for doc in range(n):
            total[doc] += best[doc]
            present[doc] += best[doc] > 0
    if len(terms) > 1:
        together = [True] * n
        for pair in pairs:
            members = set()
            if pair >= 0:
                doc = 0
                post = data["post"][pair]
                for k in range(0, len(post), 2):
                    doc += post[k]
                    members.add(doc)
            together = [t and d in members for d, t in enumerate(together)]
        total = [
            t * (present[d] == len(terms)) / len(terms) * (1 if together[d] else data["scattered"])
            for d, t in enumerate(total)
        ]
    return total, together


def _phrase(data: dict[str, Any], words: list[str]) -> int | None:
    """The alternatives of a glossary phrase: by its words, or by their stems."""
    phrase = " ".join(words)
    if phrase in data["vocab"]:
        return data["vocab"][phrase]
    for lang in ("fi", "en"):
        stems = data.get("stems", {}).get(lang, {})
        if all(w in stems for w in words):
            found = data["phrases"].get(f"{lang}:" + " ".join(stems[w] for w in words))
            if found is not None:
                return found
    return None


def query(data: dict[str, Any], text: str) -> list[int]:
    """Record positions matching ``text``, best first: the finder's lookup in Python.

    The same rules as :meth:`polarguide.textindex.TextIndex.search` on the finder's
    data: concept scores weighted (money words little), times the squared share of the
    query's topic concepts matched (money words count in the share only when the query
    has nothing else); only money words matched is no hit.
    ``book/_static/finder.js`` does the same in the browser (tested in Node).

    >>> data = {"records": [{}, {}], "post": [[0, 1.0], [1, 2.0]],
    ...     "alts": [[1, [1, [0, 1]]], [1, [1, [1, 1]]]],
    ...     "vocab": {"youth": 0, "nature": 1}, "max_phrase": 1, "stop": [], "fold": {},
    ...     "scattered": 0.3}
    >>> query(data, "nature youth"), query(data, "youthful"), query(data, "xyz")
    ([1, 0], [0], [])
    """
    n = len(data["records"])
    vocab = data["vocab"]
    fold = data.get("fold", {})
    words = _tokens("".join(fold.get(c, c) for c in text.lower()), set(data["stop"]))
    total = [0.0] * n
    covered = [0.0] * n  # share of every concept, and of the topic concepts only
    covered_topic = [0.0] * n
    specific = [False] * n
    weights: list[float] = []
    i = 0
    while i < len(words):
        alt_sets = None
        for size in range(min(data["max_phrase"], len(words) - i), 1, -1):
            found = _phrase(data, words[i : i + size])
            if found is not None:
                alt_sets, i = [found], i + size
                break
        if alt_sets is None:
            word = words[i]
            known = [word] if word in vocab else fallback_words(word, vocab)
            alt_sets, i = [vocab[k] for k in known], i + 1
        if not alt_sets:
            weights.append(1.0)
            continue
        weight = min(data["alts"][set_id][0] for set_id in alt_sets)
        best = [0.0] * n
        strength = [0.0] * n
        for set_id in alt_sets:
            for alt in data["alts"][set_id][1:]:
                scores, together = _phrase_scores(data, alt, n)
                for d in range(n):
                    if scores[d] * alt[0] > best[d]:
                        best[d], strength[d] = scores[d] * alt[0], min(alt[0], 1.0)
                        if together is not None and not together[d]:  # scattered words
                            strength[d] *= data.get("phrase_word", 1.0)
        weights.append(weight)
        for d in range(n):
            total[d] += weight * best[d]
            covered[d] += weight * strength[d]
            if weight >= 1.0:
                covered_topic[d] += weight * strength[d]
                specific[d] = specific[d] or best[d] > 0
    if weights:
        topical = any(w >= 1.0 for w in weights)
        share = sum(w for w in weights if w >= 1.0 or not topical)
        if topical:
            covered = covered_topic
        total = [t * (covered[d] / share) ** 2 for d, t in enumerate(total)]
        if topical:
            total = [t if specific[d] else 0.0 for d, t in enumerate(total)]
    hits = [d for d in range(n) if total[d] > 0]
    return sorted(hits, key=lambda d: (-round(total[d], 6), d))


# --------------------------------------------------------------------------- Sphinx

#: UI strings inside finder.js, per edition.
UI: dict[str, dict[str, str]] = {
    "fi": {
        "search": "Hakusanat",
        "search_hint": "Esimerkiksi nuorisovaihto, ilmastonmuutos, kylä tai LIFE. "
        "Suomeksi tai englanniksi.",
        "kind": "Tyyppi",
        "kind_all": "Kaikki",
        "kind_c": "EU-portaalin haut",
        "kind_p": "Ohjelmat (oppaan luettelo)",
        "programme": "Ohjelma",
        "programme_all": "Kaikki ohjelmat",
        "status": "Tila",
        "status_available": "Haettavissa",
        "status_all": "Kaikki, myös suljetut",
        "within": "Määräaika",
        "within_any": "Milloin tahansa",
        "within_n": "{n} päivän sisällä",
        "route": "Kenelle",
        "route_all": "Kaikki reitit",
        "route_youth": "Nuoret",
        "route_community": "Yhteisöt",
        "route_regional": "Alueellinen yhteistyö",
        "route_environment": "Ympäristö ja tutkimus",
        "st_open": "avoinna",
        "st_forthcoming": "tulossa",
        "st_closed": "suljettu",
        "st_recurring": "toistuva",
        "st_paused": "tauolla",
        "st_expected": "odotettu kierros",
        "next_round": "Seuraava kierros",
        "expected": "Odotettu kierros, ei vahvistettu: {d}. Arvio aiemmista kierroksista; "
        "tarkista päivä ohjelman sivulta.",
        "k_c": "haku",
        "k_p": "ohjelma",
        "count": "{n} osumaa",
        "count_one": "1 osuma",
        "count_none": "Ei osumia. Kokeile toista sanaa tai väljempiä rajauksia.",
        "deadline": "Määräaika",
        "no_deadline": "ei määräaikaa tiedossa",
        "days_left": "{n} päivää jäljellä",
        "today": "tänään",
        "passed": "mennyt",
        "check_time": "tarkista kellonaika haun sivulta",
        "time": "klo {t} Suomen aikaa",
        "budget": "Budjetti",
        "amounts": "Rahoitus",
        "who": "Kuka voi hakea",
        "link": "Virallinen sivu",
        "add_one": "Lisää kalenteriin",
        "add_all": "Lisää kaikki ({n}) kalenteriin",
        "more": "Näytä lisää ({n} jäljellä)",
        "data_date": "Tiedot haettu {d}",
        "catalogue_date": "Ohjelmaluettelo tarkistettu {d}",
        "stale": "Tiedot ovat {n} päivää vanhoja. Tarkista määräajat virallisilta sivuilta, "
        "ja päivitä tiedot komennolla polarguide update ennen kuin opas rakennetaan uudelleen.",
        "cal_name": "polarguide: Määräajat",
        "cal_prefix": "Määräaika",
        "cal_alarm": "Määräaika 7 pv",
        "sorted_relevance": "Järjestys: osuvin ensin",
        "sorted_deadline": "Järjestys: lähin määräaika ensin",
        "no_data": "Hakukoneen tietoja ei voitu ladata.",
    },
    "en": {
        "search": "Search words",
        "search_hint": "For example youth exchange, climate change, village or LIFE. "
        "In English or Finnish.",
        "kind": "Kind",
        "kind_all": "All",
        "kind_c": "EU portal calls",
        "kind_p": "Programmes (the guide's list)",
        "programme": "Programme",
        "programme_all": "All programmes",
        "status": "Status",
        "status_available": "Still available",
        "status_all": "All, closed too",
        "within": "Deadline",
        "within_any": "Any time",
        "within_n": "Within {n} days",
        "route": "For whom",
        "route_all": "All routes",
        "route_youth": "Young people",
        "route_community": "Communities",
        "route_regional": "Regional cooperation",
        "route_environment": "Environment and research",
        "st_open": "open",
        "st_forthcoming": "forthcoming",
        "st_closed": "closed",
        "st_recurring": "recurring",
        "st_paused": "paused",
        "st_expected": "expected round",
        "next_round": "Next round",
        "expected": "Expected round, not confirmed: {d}. Estimated from past rounds; "
        "check the date on the programme's page.",
        "k_c": "call",
        "k_p": "programme",
        "count": "{n} results",
        "count_one": "1 result",
        "count_none": "No results. Try another word or wider filters.",
        "deadline": "Deadline",
        "no_deadline": "no deadline known",
        "days_left": "{n} days left",
        "today": "today",
        "passed": "passed",
        "check_time": "check the time on the call page",
        "time": "{t} Finnish time",
        "budget": "Budget",
        "amounts": "Funding",
        "who": "Who can apply",
        "link": "Official page",
        "add_one": "Add to calendar",
        "add_all": "Add all ({n}) to calendar",
        "more": "Show more ({n} left)",
        "data_date": "Data retrieved {d}",
        "catalogue_date": "Programme list checked {d}",
        "stale": "The data is {n} days old. Check deadlines on the official pages, and "
        "refresh the data with polarguide update before the guide is rebuilt.",
        "cal_name": "polarguide: Deadlines",
        "cal_prefix": "Deadline",
        "cal_alarm": "Deadline in 7 days",
        "sorted_relevance": "Sorted: best match first",
        "sorted_deadline": "Sorted: nearest deadline first",
        "no_data": "The finder's data could not be loaded.",
    },
}
WITHIN_CHOICES = (7, 30, 60, 90, 180)
ROUTES = ("youth", "community", "regional", "environment")


def _lang(config: Any) -> str:
    return "en" if str(config.language or "fi").startswith("en") else "fi"


def widget_html(lang: str, programmes: list[str], data_url: str, stale_days: int) -> str:
    """The finder's form and result area (static HTML; finder.js brings it to life).

    >>> html = widget_html("en", ["LIFE"], "_static/finder-data-en.json", 14)
    >>> 'for="pg-finder-q"' in html, 'aria-live="polite"' in html, "LIFE" in html
    (True, True, True)
    """
    from html import escape

    ui = UI[lang]

    def option(value: str, text: str, selected: bool = False) -> str:
        sel = " selected" if selected else ""
        return f'<option value="{escape(value)}"{sel}>{escape(text)}</option>'

    def select(name: str, options: list[str]) -> str:
        return (
            f'<div class="pg-finder__field"><label for="pg-finder-{name}">{escape(ui[name])}'
            f'</label><select id="pg-finder-{name}" name="{name}">{"".join(options)}</select></div>'
        )

    strings = escape(json.dumps(ui, ensure_ascii=False), quote=True)
    kinds = [option("", ui["kind_all"]), option("c", ui["kind_c"]), option("p", ui["kind_p"])]
    progs = [option("", ui["programme_all"])] + [option(p, p) for p in programmes]
    statuses = [option("available", ui["status_available"], True), option("", ui["status_all"])]
    statuses += [
        option(s, ui[f"st_{s}"]) for s in ("open", "forthcoming", "recurring", "expected", "closed")
    ]
    # "closed": calls that closed after the build day, and closed catalogue routes
    within = [option("", ui["within_any"])]
    within += [option(str(n), ui["within_n"].format(n=n)) for n in WITHIN_CHOICES]
    routes = [option("", ui["route_all"])] + [option(r, ui[f"route_{r}"]) for r in ROUTES]
    return f"""<div class="pg-finder" id="pg-finder" data-src="{escape(data_url)}" \
data-lang="{lang}" data-stale-days="{stale_days}" data-ui="{strings}">
<p class="pg-finder__date" id="pg-finder-date"></p>
<form class="pg-finder__form" role="search" aria-label="{escape(ui["search"])}">
<div class="pg-finder__field pg-finder__field--q"><label for="pg-finder-q">{escape(ui["search"])}\
</label><input type="search" id="pg-finder-q" name="q" autocomplete="off" \
aria-describedby="pg-finder-hint"><p class="pg-finder__hint" id="pg-finder-hint">\
{escape(ui["search_hint"])}</p></div>
<div class="pg-finder__filters">
{select("kind", kinds)}{select("programme", progs)}{select("status", statuses)}\
{select("within", within)}{select("route", routes)}
</div>
</form>
<div class="pg-finder__bar"><p class="pg-finder__count" id="pg-finder-count" role="status" \
aria-live="polite"></p><button type="button" class="pg-finder__all" id="pg-finder-all" hidden>\
</button></div>
<ol class="pg-finder__results" id="pg-finder-results"></ol>
<button type="button" class="pg-finder__more" id="pg-finder-more" hidden></button>
<noscript><p>{escape(ui["no_data"])}</p></noscript>
</div>"""


def _pdf_note(lang: str, data_url: str) -> str:
    if lang == "fi":
        return (
            "Rahoituksen hakukone toimii oppaan verkkoversiossa. Sama haku onnistuu "
            'komennolla: polarguide search "nuorisovaihto" --profile polar.'
        )
    return (
        "The funding finder works in the online edition of the guide. The same search "
        'works on the command line: polarguide search "youth exchange" --profile polar.'
    )


def _finder_docs(env: Any) -> set[str]:
    if not hasattr(env, "polarguide_finder_docs"):
        env.polarguide_finder_docs = set()
    return env.polarguide_finder_docs


def _make_directive() -> type:
    from docutils import nodes
    from sphinx import addnodes
    from sphinx.util.docutils import SphinxDirective

    from pgfacts import _untranslatable

    class FundingFinder(SphinxDirective):
        """```{funding-finder}```: the finder widget (HTML) or a note (other builders)."""

        has_content = False
        option_spec: ClassVar[dict[str, Any]] = {}

        def run(self) -> list[nodes.Node]:
            lang = _lang(self.config)
            _finder_docs(self.env).add(self.env.docname)
            for path in _data_dependencies():
                self.env.note_dependency(str(path))
            frame, _snap = finder_records(lang, build_today(self.config.polarguide_today))
            programmes = sorted({str(p) for p in frame["programme"] if p})
            depth = self.env.docname.count("/")
            url = "../" * depth + "_static/" + DATA_NAME.format(lang=lang)
            from polarguide.store import STALE_AFTER_DAYS

            html = widget_html(lang, programmes, url, STALE_AFTER_DAYS)
            only = addnodes.only(expr="not html")
            only += nodes.paragraph("", _pdf_note(lang, url))
            return [nodes.raw("", html, format="html"), _untranslatable(only)]

    return FundingFinder


def _data_dependencies() -> list[Path]:
    from polarguide.catalogue import DEFAULT_PATH
    from polarguide.glossary import DEFAULT_PATH as GLOSSARY
    from polarguide.store import bundled_snapshot_path, cache_path

    return [p for p in (bundled_snapshot_path(), cache_path(), DEFAULT_PATH, GLOSSARY)
            if p.exists()]  # fmt: skip


def write_data(app: Sphinx, exc: Exception | None) -> None:
    """After an HTML build: write ``_static/finder-data-<lang>.json`` if a page has the finder."""
    if exc is not None or app.builder.format != "html" or not _finder_docs(app.env):
        return
    from polarguide.catalogue import load_catalogue

    lang = _lang(app.config)
    today = build_today(app.config.polarguide_today)
    frame, snap = finder_records(lang, today)
    data = build_data(
        frame, lang, today=today,
        retrieved_at=snap.retrieved_at, catalogue_checked=load_catalogue().checked,
    )  # fmt: skip
    target = Path(app.outdir, "_static", DATA_NAME.format(lang=lang))
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(dumps(data), encoding="utf-8")


def page_assets(app: Sphinx, pagename: str, templatename: str, context: dict, doctree: Any) -> None:
    """finder.js and finder.css only on pages with the finder."""
    if pagename in _finder_docs(app.env):
        app.add_css_file("finder.css")
        app.add_js_file("finder.js", loading_method="defer")


def purge(app: Sphinx, env: Any, docname: str) -> None:
    _finder_docs(env).discard(docname)


def merge(app: Sphinx, env: Any, docnames: set[str], other: Any) -> None:
    _finder_docs(env).update(_finder_docs(other) & set(docnames))


def setup(app: Sphinx) -> dict[str, Any]:
    """Register ``funding-finder``, the page assets and the data file."""
    if "polarguide_today" not in app.config.values:
        app.add_config_value("polarguide_today", "", "env", str)
    app.add_directive("funding-finder", _make_directive())
    app.connect("html-page-context", page_assets)
    app.connect("build-finished", write_data)
    app.connect("env-purge-doc", purge)
    app.connect("env-merge-info", merge)
    return {
        "version": "0.1",
        "env_version": zlib.crc32(Path(__file__).read_bytes()),
        "parallel_read_safe": True,
        "parallel_write_safe": True,
    }
