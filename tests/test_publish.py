"""Publishing: the GitHub Actions workflows, the addresses from the GitHub context, and the
nightly steps (``make nightly``) run locally against a replay of the portal on 127.0.0.1.

The nightly test builds the Finnish HTML edition twice in a temporary build folder (a few
minutes): once with the GitHub context after a good fetch, once without it.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
WORKFLOWS = ROOT / ".github" / "workflows"
sys.path.insert(0, str(ROOT / "scripts"))

from build_site import site_context, sphinx_overrides  # noqa: E402
from check_site import Head, check_site  # noqa: E402

REPOSITORY = "Koillismaa/polarguide"
SITE_URL = "https://koillismaa.github.io/polarguide/"
GITHUB_VARIABLES = ("GITHUB_REPOSITORY", "GITHUB_SERVER_URL", "POLARBOOK_SITE_URL",
                    "POLARBOOK_REPOSITORY_BRANCH", "POLARBOOK_ADDRESSES")  # fmt: skip


# --- workflows --------------------------------------------------------------------------------


def lint(*command: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    assert shutil.which(command[0]), f"{command[0]} missing: pip install -e '.[test]'"
    return subprocess.run(command, cwd=cwd, capture_output=True, text=True, timeout=300)


def test_workflows_pass_actionlint_and_zizmor() -> None:
    assert sorted(p.name for p in WORKFLOWS.glob("*.yml")) == ["pages.yml", "tests.yml"]
    proc = lint("actionlint")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    proc = lint("zizmor", "--offline", "--min-severity", "low", str(WORKFLOWS))
    assert proc.returncode == 0, proc.stdout + proc.stderr


BAD_WORKFLOW = """name: bad
on: pull_request_target
jobs:
  x:
    runs-on: ubuntu-24.04
    steps:
      - uses: actions/checkout@v4
      - run: echo "${{ github.event.pull_request.title }}"
      - run: echo ${{ matrix.nothing }}
"""


def test_the_linters_catch_what_they_should(tmp_path: Path) -> None:
    """Not blind: an unpinned action, script injection from a PR title and an unknown
    context are reported."""
    folder = tmp_path / ".github" / "workflows"
    folder.mkdir(parents=True)
    (folder / "bad.yml").write_text(BAD_WORKFLOW)
    subprocess.run(["git", "init", "-q"], cwd=tmp_path, check=True)
    proc = lint("actionlint", cwd=tmp_path)
    assert proc.returncode == 1 and "matrix" in proc.stdout, proc.stdout + proc.stderr
    proc = lint("zizmor", "--offline", "--min-severity", "low", str(folder))
    assert proc.returncode != 0
    assert "unpinned-uses" in proc.stdout and "template-injection" in proc.stdout, proc.stdout


def steps(workflow: str, job: str) -> list[dict]:
    return yaml.safe_load((WORKFLOWS / workflow).read_text())["jobs"][job]["steps"]


def test_every_workflow_step_is_a_make_target_or_a_pinned_action() -> None:
    make_targets = subprocess.run(
        ["make", "-pRrq", "-f", "Makefile"], cwd=ROOT, capture_output=True, text=True
    ).stdout
    for workflow in WORKFLOWS.glob("*.yml"):
        for job, spec in yaml.safe_load(workflow.read_text())["jobs"].items():
            for step in spec["steps"]:
                if "run" in step:  # a make target, maybe with its output sent somewhere
                    calls = re.findall(r"^\s*make(?: -s)? ([\w-]+)\s*$", step["run"], re.M)
                    assert len(calls) == 1, (workflow.name, step)
                    assert f"\n{calls[0]}:" in make_targets, (workflow.name, calls)
                else:
                    ref = step["uses"].split("@")[1]
                    assert len(ref) == 40 and int(ref, 16) >= 0, (workflow.name, job, step)


def test_nightly_deploys_only_after_a_fetch_that_passed() -> None:
    """pages.yml: refresh, then keep the data, then build, check and upload; the deploy job
    needs the build job, so a failed refresh (a suspicious fetch exits non-zero) stops it
    all and the last good data (cache) and site (Pages) stay."""
    names = [s.get("run") or s["uses"].split("@")[0] for s in steps("pages.yml", "build")]
    order = ["make refresh", "actions/cache/save", "make site", "make publish-check",
             "actions/upload-pages-artifact"]  # fmt: skip
    assert [n for n in names if n in order] == order
    build = steps("pages.yml", "build")
    for step in build:  # nothing after the refresh runs when it failed
        assert "always()" not in str(step.get("if", "")) and not step.get("continue-on-error")
    refresh = next(s for s in build if s.get("run") == "make refresh")
    assert "schedule" in refresh["if"]
    spec = yaml.safe_load((WORKFLOWS / "pages.yml").read_text())
    assert spec["jobs"]["deploy"]["needs"] == "build"
    assert spec[True]["schedule"] and spec[True]["push"] == {"branches": ["main"]}  # "on"
    assert spec["permissions"] == {"contents": "read"}
    assert spec["jobs"]["deploy"]["permissions"] == {"pages": "write", "id-token": "write"}
    tests = yaml.safe_load((WORKFLOWS / "tests.yml").read_text())
    assert "pull_request" in tests[True]
    assert [s["run"] for s in tests["jobs"]["test"]["steps"] if "run" in s][-1] == "make test"


# --- addresses from the GitHub context -------------------------------------------------------


def test_addresses_come_from_the_github_context() -> None:
    context = site_context(
        {"GITHUB_REPOSITORY": REPOSITORY, "GITHUB_SERVER_URL": "https://github.com"}
    )
    assert context == {
        "repository_url": "https://github.com/Koillismaa/polarguide",
        "branch": "main",
        "site_url": SITE_URL,
    }
    overrides = sphinx_overrides(context, "en")
    assert overrides["polarbook_repository_url"] == "https://github.com/Koillismaa/polarguide"
    assert overrides["html_baseurl"] == SITE_URL + "en/"
    custom = site_context(
        {"GITHUB_REPOSITORY": REPOSITORY, "POLARBOOK_SITE_URL": "https://opas.fi"}
    )
    assert custom["site_url"] == "https://opas.fi/"
    assert site_context({}) == {} and sphinx_overrides({}, "fi") == {}
    with pytest.raises(ValueError, match="http"):
        site_context({"POLARBOOK_SITE_URL": "opas.fi"})


# --- the nightly steps against a replayed portal ---------------------------------------------


def make(*args: str, env: dict[str, str], timeout: int = 1800) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["make", "--no-print-directory", f"PYTHON={sys.executable}", *args],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout,
    )  # fmt: skip


def fingerprint(*folders: Path) -> dict[str, tuple[int, str]]:
    """Every file's modification time (ns) and content hash."""
    found = {}
    for folder in folders:
        for path in sorted(p for p in folder.rglob("*") if p.is_file()):
            found[str(path)] = (
                path.stat().st_mtime_ns,
                hashlib.sha256(path.read_bytes()).hexdigest(),
            )
    return found


def data_date(cache_file: Path) -> str:
    """The retrieval day of a snapshot as the Finnish edition writes it (5.12.2026)."""
    with gzip.open(cache_file, "rt", encoding="utf-8") as handle:
        day = json.load(handle)["retrieved_at"][:10]
    year, month, date = (int(x) for x in day.split("-"))
    return f"{date}.{month}.{year}"


@pytest.mark.book
def test_nightly_refreshes_data_and_site_and_a_bad_fetch_changes_nothing(
    portal, tmp_path: Path
) -> None:
    build, cache = tmp_path / "build", tmp_path / "cache"
    site = build / "site"
    env = {k: v for k, v in os.environ.items() if k not in GITHUB_VARIABLES}
    env.update(
        POLARBOOK_BUILD_DIR=str(build), POLARGUIDE_CACHE_DIR=str(cache), POLARGUIDE_LANG="en"
    )
    args = [f"PORTAL_URL={portal.base_url}", "SITE_FLAGS=--html --lang fi", "CHECK_FLAGS=--partial"]
    github = dict(env, GITHUB_REPOSITORY=REPOSITORY, GITHUB_SERVER_URL="https://github.com")

    # 1. A good fetch: new data, a site built on it, with the publishing addresses.
    proc = make("nightly", *args, env=github)
    assert proc.returncode == 0, proc.stdout[-4000:] + proc.stderr[-3000:]
    cache_file = cache / "calls.json.gz"
    assert cache_file.exists() and "Saved 683 calls" in proc.stdout + proc.stderr
    fresh = data_date(cache_file)
    calls_page = (site / "fi" / "book" / "rahoitus" / "avoimet-haut.html").read_text("utf-8")
    assert f"tiedot haettu {fresh}" in calls_page
    notebook = (site / "fi" / "notebooks" / "02-avoimet-haut.html").read_text(encoding="utf-8")
    assert re.search(rf"haettu\s+rahoitusportaalista\s+{re.escape(fresh)}", notebook)
    front = Head((site / "fi" / "book" / "index.html").read_text(encoding="utf-8"))
    assert front.canonical == [SITE_URL + "fi/book/index.html"]
    assert front.hreflang == {
        "fi": SITE_URL + "fi/book/index.html", "en": SITE_URL + "en/book/index.html",
        "x-default": SITE_URL,
    }  # fmt: skip
    assert front.meta["og:image"] == SITE_URL + "fi/_static/pg-share.png"
    assert front.meta["twitter:card"] == "summary_large_image"
    assert front.meta["description"].startswith("Tämä opas")
    assert "https://mybinder.org/v2/gh/Koillismaa/polarguide/main?labpath=" in notebook
    assert "https://colab.research.google.com/github/Koillismaa/polarguide/blob/main/" in notebook
    assert "Sitemap: " + SITE_URL + "sitemap.xml" in (site / "robots.txt").read_text()
    assert SITE_URL + "fi/book/rahoitus/hakukone.html" in (site / "fi" / "sitemap.xml").read_text()
    assert check_site(site, SITE_URL, partial=True) == []

    # 2. A suspicious fetch (far fewer calls) and an empty one: the run fails, nothing changes.
    before = fingerprint(cache, site)
    for results in (portal.results[:100], []):
        portal.results = results
        proc = make("nightly", *args, env=github)
        assert proc.returncode != 0
        assert "kept the old data" in proc.stderr, proc.stderr[-2000:]
        assert fingerprint(cache, site) == before

    # 3. The same data without the GitHub context: no addresses anywhere, no broken links.
    proc = make("site", "SITE_FLAGS=--html --lang fi", env=env)
    assert proc.returncode == 0, proc.stdout[-4000:] + proc.stderr[-3000:]
    for page in site.rglob("*.html"):
        if "_static" in page.parts:  # the theme's template files, not pages
            continue
        text = page.read_text(encoding="utf-8")
        head = Head(text)
        assert not head.canonical and not head.hreflang, page
        assert not any(k.startswith(("og:", "twitter:")) for k in head.meta), page
        assert "mybinder.org" not in text and "colab.research" not in text, page
        if page.name not in ("search.html", "genindex.html"):
            assert head.meta.get("description"), page
    assert not (site / "sitemap.xml").exists() and not (site / "robots.txt").exists()
    assert not (site / "fi" / "sitemap.xml").exists()
    assert check_site(site, "", partial=True) == []
