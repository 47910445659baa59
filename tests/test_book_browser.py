"""The built guide in headless Chromium: page weight, accessibility (axe-core), search.

Needs ``/usr/bin/chromium`` and ``npm install`` in ``tests/browser`` (scripts/install-deps.sh
does both); these tests fail, rather than skip, when either is missing. They use the site
built by the ``site`` fixture of ``tests/test_book.py``.
"""

from __future__ import annotations

import importlib.util
import json
import subprocess
from pathlib import Path

import pytest

pytestmark = [pytest.mark.book, pytest.mark.browser]

ROOT = Path(__file__).resolve().parent.parent


def _build_site_once() -> Path:
    spec = importlib.util.spec_from_file_location(
        "_pg_test_book", Path(__file__).with_name("test_book.py")
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.build_site_once()


@pytest.fixture(scope="session")
def site() -> Path:
    """The site built by tests/test_book.py's build (once per test process)."""
    return _build_site_once()


BROWSER = ROOT / "tests" / "browser"


def node(script: str, *args: str, timeout: int = 900) -> subprocess.CompletedProcess[str]:
    assert (BROWSER / "node_modules" / "playwright-core").is_dir(), (
        "run: (cd tests/browser && npm install)"
    )
    assert Path("/usr/bin/chromium").exists(), "apt-get install chromium"
    return subprocess.run(
        ["node", str(BROWSER / script), *args],
        cwd=ROOT, capture_output=True, text=True, timeout=timeout,
    )  # fmt: skip


def test_every_page_loads_within_200_kb_from_our_own_host(site: Path, tmp_path: Path) -> None:
    out = tmp_path / "weight.json"
    proc = node("page_weight.mjs", "--budget-kb", "200", "--json", str(out))
    assert proc.returncode == 0, proc.stdout[-4000:] + proc.stderr[-2000:]
    results = json.loads(out.read_text())["results"]
    assert len(results) >= 25  # landing page + both editions
    for page in results:
        assert page["third_party"] == [], page["page"]
        if not page["page"].endswith(("search.html", "genindex.html")):
            assert page["kb"] <= 200, page
    names = {f["url"].split("?")[0].rsplit("/", 1)[-1] for r in results for f in r["files"]}
    assert "fa-solid-900.woff2" not in names  # the subset icon font is used instead
    chapter = next(r for r in results if r["page"] == "fi/book/aloitus/index.html")
    assert not any("searchindex.js" in f["url"] for f in chapter["files"])


def test_no_serious_accessibility_violations_or_console_errors(site: Path, tmp_path: Path) -> None:
    out = tmp_path / "a11y.json"
    proc = node("a11y.mjs", "--json", str(out))
    assert proc.returncode == 0, proc.stdout[-6000:] + proc.stderr[-2000:]
    report = json.loads(out.read_text())
    assert {r["lang"] for r in report} == {"fi", "en"}
    assert len(report) >= 50  # every page, two set-ups


@pytest.mark.parametrize(
    ("search", "query", "expected"),
    [
        # the glossary page is generated from the library, so these stay true as text changes
        ("fi/search.html", "ympäristöstä", "book/liitteet/sanasto.html"),  # elative
        ("fi/search.html", "nuorisovaihtoon", "book/liitteet/sanasto.html"),  # illative
        ("en/search.html", "exchanges", "book/liitteet/sanasto.html"),
    ],
)
def test_search_finds_inflected_words(site: Path, search: str, query: str, expected: str) -> None:
    proc = node("search.mjs", search, query, expected, timeout=120)
    assert proc.returncode == 0, proc.stdout + proc.stderr
