"""The command line as a user meets it: output formats, bad input, exit codes, no tracebacks."""

from __future__ import annotations

import datetime as dt
import gzip
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from polarguide.cli import JSON_FIELDS, main

TODAY = "2026-11-28"


@pytest.fixture(autouse=True)
def empty_cache(tmp_path, monkeypatch):
    """Each test sees an empty user cache, so the bundled snapshot is the data in use."""
    monkeypatch.setenv("POLARGUIDE_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("POLARGUIDE_LANG", raising=False)


def run(capsys, *args: str) -> tuple[int, str, str]:
    code = main(["--today", TODAY, *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_search_json_has_documented_fields_and_ranked_scores(capsys):
    code, out, err = run(capsys, "search", "nuorisovaihto", "--format", "json", "--limit", "5")
    assert code == 0, err
    rows = json.loads(out)
    assert 1 <= len(rows) <= 5
    for row in rows:
        assert set(JSON_FIELDS) - {"days_left", "budget_eur"} <= set(row)
    scores = [row["score"] for row in rows]
    assert scores == sorted(scores, reverse=True)
    assert any("ERASMUS" in (row["programme"] or "") for row in rows)


def test_finnish_query_finds_english_portal_calls(capsys):
    code, out, _ = run(
        capsys, "search", "luonnon monimuotoisuus", "--kind", "calls", "--format", "json"
    )
    assert code == 0
    rows = json.loads(out)
    assert rows, "a Finnish query must find English calls"
    assert all(row["kind"] == "call" for row in rows)
    text = " ".join((row["title"] or "") + " " + (row["why"] or "") for row in rows[:5]).lower()
    assert "biodiversity" in text


def test_stale_data_is_announced_on_stderr(capsys):
    code, _, err = run(capsys, "summary")
    assert code == 0
    assert "polarguide update" in err
    assert "98" in err  # the bundled data is from 2026-08-22: 98 days before TODAY


def test_filters_status_programme_within(capsys):
    args = ["search", "--programme", "LIFE", "--status", "open", "--format", "json"]
    code = main(["--today", "2026-08-25", *args, "--limit", "100"])
    rows = json.loads(capsys.readouterr().out)
    assert code == 0
    assert rows and all(r["programme"] == "LIFE" and r["status"] == "open" for r in rows)
    # by 2026-11-28 every LIFE deadline in the bundled data has passed: closed, not open
    code, out, _ = run(capsys, *args)
    assert json.loads(out) == []
    code, out, _ = run(
        capsys,
        "search",
        "--programme",
        "LIFE",
        "--status",
        "closed",
        "--format",
        "json",
        "--limit",
        "100",
    )
    assert {r["identifier"] for r in json.loads(out)} == {r["identifier"] for r in rows}
    # by default closed calls are left out
    code, out, _ = run(capsys, "search", "--format", "json", "--limit", "1000")
    available = {"open", "forthcoming", "recurring", "expected"}
    assert {r["status"] for r in json.loads(out)} <= available
    code, out, _ = run(capsys, "search", "--within", "10", "--format", "json", "--limit", "100")
    rows = json.loads(out)
    assert rows and all(0 <= r["days_left"] <= 10 for r in rows)


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["search", "--programme", "ERASMSU"], "ERASMUS"),
        (["search", "--status", "opened"], "open"),
        (["search", "--within", "soon"], "whole number"),
        (["search", "--kind", "everything"], "invalid choice"),
        (["show", "ERASMUS-YOUTH-2099-XX"], "unknown ID"),
        (["--today", "28.11.2026", "summary"], "YYYY-MM-DD"),
        (["export", "csv", "--output", "/nonexistent-folder/x.csv"], "does not exist"),
        (["export", "csv", "--output", "x.csv", "--sep", "|"], "separator"),
        (["frobnicate"], "invalid choice"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(capsys, args, needle):
    code = main(args if args[0] == "--today" else ["--today", TODAY, *args])
    _, err = capsys.readouterr()
    assert code == 2
    lines = [line for line in err.splitlines() if not line.startswith("Rahoitustiedot")]
    assert len(lines) == 1, err
    assert needle in lines[0]
    assert "Traceback" not in err


def test_show_prints_a_plain_language_summary(capsys):
    code, out, _ = run(capsys, "search", "--kind", "calls", "--format", "json", "--limit", "1")
    identifier = json.loads(out)[0]["identifier"]
    code, out, _ = run(capsys, "--lang", "en", "show", identifier.lower())
    assert code == 0
    assert identifier in out and "Programme:" in out and "https://" in out


def test_programmes_lists_the_catalogue(capsys):
    code, out, _ = run(capsys, "programmes", "--format", "json")
    assert code == 0
    rows = json.loads(out)
    assert {r["kind"] for r in rows} == {"programme"}
    assert any(r["identifier"] == "erasmus-youth-exchanges-ka152" for r in rows)


def test_export_ics_and_csv_write_complete_files(capsys, tmp_path):
    ics = tmp_path / "deadlines.ics"
    code, _, err = run(capsys, "export", "ics", "--output", str(ics), "--programme", "LIFE")
    assert code == 0, err
    text = ics.read_text(encoding="utf-8")
    assert text.startswith("BEGIN:VCALENDAR") and text.rstrip().endswith("END:VCALENDAR")
    assert text.count("BEGIN:VEVENT") >= 1
    csv_path = tmp_path / "calls.csv"
    code, _, _ = run(capsys, "export", "csv", "--output", str(csv_path), "--sep", ";")
    assert code == 0
    assert csv_path.read_bytes().startswith(b"\xef\xbb\xbf")
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")], "temp files left"


def test_failed_export_keeps_the_old_file(capsys, tmp_path, monkeypatch):
    target = tmp_path / "calls.json"
    target.write_text("old good data", encoding="utf-8")

    def explode(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", explode)
    code, _, err = run(capsys, "export", "json", "--output", str(target))
    assert code == 1
    assert "No space left" in err and "Traceback" not in err
    assert target.read_text(encoding="utf-8") == "old good data"
    assert [p.name for p in tmp_path.iterdir() if p.name != "cache"] == ["calls.json"]


def test_update_with_network_down_exits_1_and_keeps_data(capsys, tmp_path, monkeypatch):
    waits: list[float] = []
    monkeypatch.setattr("polarguide.portal.time.sleep", waits.append)  # the back-off, not slept
    cache = Path(os.environ["POLARGUIDE_CACHE_DIR"])
    code, _, err = run(capsys, "update", "--base-url", "http://127.0.0.1:9/rest", "--quiet")
    assert code == 1
    assert len(err.strip().splitlines()) >= 1 and "Traceback" not in err
    assert not (cache / "calls.json.gz").exists()
    assert len(waits) >= 5  # it retried with back-off before giving up


def test_corrupt_cache_is_ignored_with_one_warning(capsys):
    cache = Path(os.environ["POLARGUIDE_CACHE_DIR"])
    cache.mkdir(parents=True)
    (cache / "calls.json.gz").write_bytes(gzip.compress(b'{"format": "nope"'))
    code, out, err = run(capsys, "summary")
    assert code == 0
    assert "calls.json.gz" in err and "Traceback" not in err
    assert "683" in out  # the bundled snapshot was used instead


def test_python_dash_m_and_english_labels():
    env = {**os.environ, "POLARGUIDE_LANG": "en"}
    done = subprocess.run(
        [sys.executable, "-m", "polarguide", "--today", TODAY, "summary", "--days", "30"],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "Deadlines within 30 days" in done.stdout
    assert "days old" in done.stderr


def test_table_shows_when_an_expected_round_is_due(capsys):
    """`make guide` ends with this table: an expected round has no deadline, so the window
    must survive the table's cut of the "why" column (it comes before the match notes)."""
    query = ["search", "--profile", "polar", "--kind", "programmes", "--limit", "8", "--lang", "en"]
    code, out, err = run(capsys, *query)
    assert code == 0, err
    rows = json.loads(run(capsys, *query, "--format", "json")[1])
    expected = [r for r in rows if r["status"] == "expected"]
    assert expected, "the polar profile should list programmes with an expected round"
    for row in expected:
        cut = row["identifier"][:29]  # (the table cuts identifiers at 30 characters)
        line = next(line for line in out.splitlines() if line.startswith(cut))
        assert "expected round (not confirmed):" in line, line
        month = dt.date.fromisoformat(row["expected_around"]).strftime("%B")
        assert month in line, line
