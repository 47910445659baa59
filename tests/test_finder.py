"""The funding finder: its data builder (polarguide.finder), the "open calls" page helpers
(polarguide.callspage) and, with the built guide, the finder page in headless Chromium."""

from __future__ import annotations

import datetime as dt
import gzip
import json
import re
from pathlib import Path

import pytest

from polarguide.catalogue import load_catalogue
from polarguide.dates import parse_date
from polarguide.export import event_uid
from polarguide.glossary import load_glossary
from polarguide.search import status_on
from polarguide.textindex import Lexicon, TextIndex

import callspage  # book/_ext (on the path through pyproject.toml)
import finder

TODAY = dt.date(2026, 11, 28)


@pytest.fixture(scope="module")
def built() -> tuple[dict, object]:
    frame, snap = finder.finder_records("fi", TODAY)
    data = finder.build_data(
        frame, "fi", today=TODAY, retrieved_at=snap.retrieved_at,
        catalogue_checked=load_catalogue().checked,
    )  # fmt: skip
    return data, frame


def test_data_leaves_out_calls_closed_on_the_build_day(built: tuple) -> None:
    data, frame = built
    calls = frame[frame["kind"] == "call"]
    assert len(calls) > 0
    assert "closed" not in set(status_on(calls, TODAY))
    assert {r["s"] for r in data["records"] if r["k"] == "c"} <= {"open", "forthcoming"}
    assert len(data["records"]) == len(frame)


def test_data_is_minified_and_small_enough_for_a_rural_connection(built: tuple) -> None:
    data, _ = built
    text = finder.dumps(data)
    assert text == json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    assert "\n" not in text
    raw, packed = len(text.encode()), len(gzip.compress(text.encode(), 6))
    # 120 KB until issue 11 added the word pairs and the glossary phrases by stem
    # (so "village associations" is the phrase "village association", as in the library)
    assert packed < 128 * 1024, (raw, packed)


def test_deadlines_keep_their_time_or_are_days(built: tuple) -> None:
    data, frame = built
    pattern = re.compile(r"^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}Z)?$")
    assert all(pattern.match(d) for r in data["records"] for d in r["d"])
    row = frame.iloc[0]
    assert data["records"][0]["d"] == [finder.deadline_text(d) for d in row["deadlines"]]


@pytest.mark.parametrize(
    "word", ["nuorisovaihto", "ilmastonmuutos", "kylä", "youth", "biodiversity", "luonto"]
)
def test_lookup_finds_what_the_library_index_finds(built: tuple, word: str) -> None:
    data, frame = built
    onliners = [finder.one_line(s) for s in frame["summary"]]
    index = TextIndex.from_documents(finder._documents(frame, onliners), Lexicon(load_glossary()))
    expected = set(index.search(word).ids.tolist())
    assert expected, word
    assert set(finder.query(data, word)) == expected


@pytest.mark.parametrize(
    "word", ["nuorisovaihtoon", "ilmastonmuutoksesta", "nuorisovaihdoissa", "kylissä"]
)
def test_unknown_inflected_words_fall_back_to_a_known_form(built: tuple, word: str) -> None:
    data, frame = built
    assert word not in data["vocab"]
    onliners = [finder.one_line(s) for s in frame["summary"]]
    index = TextIndex.from_documents(finder._documents(frame, onliners), Lexicon(load_glossary()))
    expected = set(index.search(word).ids.tolist())  # the library stems the word itself
    assert expected and set(finder.query(data, word)) == expected


NODE_QUERIES = [
    "nuorisovaihto", "ilmastonmuutos", "youth exchange", "luonnon monimuotoisuus",
    "rahoitus nuorisovaihtoon", "small grants for village associations", "Sámi youth",
    "climate change adaptation", "tukea kylän ympäristöä", "nuorisovaihtoon",
]  # fmt: skip


@pytest.fixture(scope="module")
def node_results(built: tuple, tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[int]]:
    """book/_static/finder.js itself, run by Node on the data the builder writes."""
    import shutil
    import subprocess

    node = shutil.which("node")
    assert node, "Node.js is needed to test finder.js"
    folder = tmp_path_factory.mktemp("finder")
    (folder / "data.json").write_text(finder.dumps(built[0]), encoding="utf-8")
    (folder / "queries.json").write_text(json.dumps(NODE_QUERIES), encoding="utf-8")
    script = Path(__file__).resolve().parent.parent / "book" / "_static" / "finder.js"
    program = (
        "const fs = require('fs'); const make = require(process.argv[1]);"
        "const data = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));"
        "const engine = make(data); const out = {};"
        "const queries = JSON.parse(fs.readFileSync(process.argv[3], 'utf8'));"
        "for (const q of queries) out[q] = engine.query(q);"
        "process.stdout.write(JSON.stringify(out));"
    )
    done = subprocess.run(
        [node, "-e", program, str(script), str(folder / "data.json"), str(folder / "queries.json")],
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


@pytest.mark.parametrize("text", NODE_QUERIES)
def test_finder_js_in_node_finds_what_the_library_finds(
    built: tuple, node_results: dict, text: str
) -> None:
    """The browser's search (finder.js, not a port) against the library's rules."""
    data, frame = built
    onliners = [finder.one_line(s) for s in frame["summary"]]
    index = TextIndex.from_documents(finder._documents(frame, onliners), Lexicon(load_glossary()))
    library = index.search(text).ids.tolist()
    in_browser = node_results[text]
    assert library, text
    assert set(in_browser) == set(library), text
    # scores travel rounded to 0.1, so near ties may swap: the first result is one of
    # the library's first three
    assert in_browser[0] in library[:3], text
    assert in_browser == finder.query(data, text)  # and the Python port agrees exactly


def test_finder_js_folds_accents_like_the_library(node_results: dict) -> None:
    assert node_results["Sámi youth"]  # "Sámi" is tokenised as "sami", as in textindex


def test_words_nothing_matches_find_nothing(built: tuple) -> None:
    assert finder.query(built[0], "qzxv") == []


def test_glossary_phrases_are_matched_as_one_concept(built: tuple) -> None:
    data, frame = built
    assert "luonnon monimuotoisuus" in data["vocab"]
    hits = finder.query(data, "luonnon monimuotoisuus")
    titles = " ".join(str(frame.iloc[i]["title"]).lower() for i in hits[:10])
    assert "biodiversity" in titles


def test_portal_urls_are_rebuilt_from_the_identifier(built: tuple) -> None:
    data, frame = built
    for record, url in zip(data["records"], frame["url"], strict=True):
        assert record.get("u", finder.PORTAL_TOPIC_URL + record["id"]) == (url or "")


def test_widget_labels_every_control_in_both_languages() -> None:
    for lang in ("fi", "en"):
        html = finder.widget_html(lang, ["LIFE", "ERASMUS"], "_static/x.json", 14)
        ids = re.findall(r'<(?:input|select)[^>]* id="([^"]+)"', html)
        assert len(ids) == 6
        for control in ids:
            assert f'for="{control}"' in html
        assert 'role="status"' in html and 'aria-live="polite"' in html
        assert set(json.loads(re.search(r'data-ui="([^"]+)"', html).group(1).replace(
            "&quot;", '"').replace("&amp;", "&"))) == set(finder.UI["fi"])  # fmt: skip


def test_build_today_is_configurable(monkeypatch: pytest.MonkeyPatch) -> None:
    from polarguide.dates import TODAY_ENV  # the one "today" setting (POLARGUIDE_TODAY)

    monkeypatch.setenv(TODAY_ENV, "2027-01-02")
    assert finder.build_today() == dt.date(2027, 1, 2)
    assert finder.build_today("2026-05-05") == dt.date(2026, 5, 5)


def test_open_calls_page_ranks_the_next_60_days_for_the_region(built: tuple) -> None:
    _, frame = built
    soon = callspage.closing_soon(frame, TODAY, 60, "fi")
    assert len(soon) > 0
    assert soon["days_left"].between(0, 60).all()
    later = callspage.closing_soon(frame, dt.date(2031, 1, 1), 60, "fi")
    assert len(later) == 0  # old data: the page then says so (TEXT["none"])
    assert "{day}" in callspage.TEXT["fi"]["none"] and "polarguide update" in callspage.TEXT[
        "en"]["none"]  # fmt: skip


def test_expected_rounds_are_available_with_their_window_not_a_deadline(built: tuple) -> None:
    data, _ = built
    expected = [r for r in data["records"] if r["s"] == "expected"]
    assert len(expected) >= 6 and "expected" in finder.AVAILABLE
    for record in expected:
        start, end, around = (dt.date.fromisoformat(d) for d in record["x"])
        assert TODAY < start <= around <= end
        assert all(dt.date.fromisoformat(d[:10]) < TODAY for d in record["d"])  # none ahead
    assert not any("x" in r for r in data["records"] if r["s"] != "expected")
    for lang in ("fi", "en"):
        assert "{d}" in finder.UI[lang]["expected"] and finder.UI[lang]["st_expected"]
        assert finder.UI[lang]["next_round"] != finder.UI[lang]["deadline"]
        assert 'value="expected"' in finder.widget_html(lang, [], "x.json", 14)
    js = (Path(finder.__file__).parents[1] / "_static" / "finder.js").read_text(encoding="utf-8")
    assert "expected: 1" in js and "UI.expected" in js


# --------------------------------------------------------------------------- in the browser


@pytest.mark.book
@pytest.mark.browser
@pytest.mark.xdist_group("browser")
@pytest.mark.parametrize("word", ["nuorisovaihto", "ilmastonmuutos"])
def test_finder_page_searches_finnish_words_and_exports_calendars(
    word: str, tmp_path: Path
) -> None:
    import importlib.util

    spec = importlib.util.spec_from_file_location(
        "_pg_test_book_browser", Path(__file__).with_name("test_book_browser.py")
    )
    browser_tests = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(browser_tests)
    site, node = browser_tests._build_site_once(), browser_tests.node
    data = json.loads((site / "fi" / "_static" / "finder-data-fi.json").read_text("utf-8"))
    available = [
        i for i in finder.query(data, word)
        if data["records"][i]["s"] in finder.AVAILABLE
    ]  # fmt: skip
    assert available, word
    expected = [data["records"][i]["id"] for i in available[:3]]
    out = tmp_path / "finder.json"
    proc = node(
        "finder.mjs", "fi/book/rahoitus/hakukone.html", word, ",".join(expected),
        "--today", data["built"], "--json", str(out), timeout=180,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stdout + proc.stderr
    result = json.loads(out.read_text())
    assert result["after"]["count"].startswith(f"{len(available)} ")
    assert "Tiedot haettu" in result["date_line"]
    record = next(r for r in data["records"] if r["id"] == result["one"]["id"])
    uids = re.findall(r"^UID:([^\r\n]+)", result["one"]["ics"].replace("\r\n ", ""), re.M)
    assert uids and set(uids) <= {
        event_uid(record["id"], parse_date(d.replace("Z", ":00Z") if "T" in d else d))
        for d in record["d"]
    }
    assert result["vevents"] >= 1 and result["all"]["ics"].startswith("BEGIN:VCALENDAR\r\n")
    assert "DTSTART;VALUE=DATE:" in result["all"]["ics"] or "DTSTART:" in result["all"]["ics"]
