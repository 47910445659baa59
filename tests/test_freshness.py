"""Facts that say when they need a re-check: polarguide.freshness and ``polarguide facts``."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from polarguide.catalogue import load_catalogue
from polarguide.cli import main
from polarguide.errors import InputError
from polarguide.freshness import by_entry, stale_facts, to_table


@pytest.fixture(scope="module")
def cat():
    return load_catalogue()


def test_lists_exactly_the_facts_checked_before_the_limit(cat):
    today = dt.date(2027, 3, 1)
    for limit in (0, 90, 96, 97, 400):
        found = {f.ref for f in stale_facts(limit, today=today)}
        expected = {
            f"{e.id}.{key}"
            for e in cat.all_entries
            for key, fact in e.facts.items()
            if (today - fact.checked).days > limit
        }
        assert found == expected, limit
    # the 5.12.2026 checks are 86 days old on 1.3.2027, the 28.11.2026 ones 93 days
    assert "norden-0-30.rounds_2021" not in {f.ref for f in stale_facts(90, today=today)}
    assert "norden-0-30.max_grant" in {f.ref for f in stale_facts(90, today=today)}


def test_grouped_by_programme_oldest_first(cat):
    found = stale_facts(0, today="2030-01-01", lang="en")
    groups = by_entry(found)
    order = [e.id for e in cat.all_entries if e.id in groups]
    assert list(groups) == order
    for items in groups.values():
        ages = [f.age_days for f in items]
        assert ages == sorted(ages, reverse=True)
        assert all(f.age_days == (dt.date(2030, 1, 1) - f.checked).days for f in items)


def test_nothing_stale_says_so_in_both_languages():
    assert stale_facts(10_000, today="2026-12-05") == []
    assert "Yhtäkään faktaa" in to_table([], 30, "2026-12-05", "fi")
    assert "No fact" in to_table([], 30, "2026-12-05", "en")


@pytest.mark.parametrize("bad", [-1, 1.5, "30", True])
def test_bad_limit_is_input_error(bad):
    with pytest.raises(InputError, match="older_than"):
        stale_facts(bad)


def test_cli_table_lists_facts_by_programme_with_sources(capsys):
    code = main(["--today", "2027-03-01", "--lang", "en", "facts", "--older-than", "90"])
    out, err = capsys.readouterr()
    assert code == 0, err
    assert out.startswith(f"{len(stale_facts(90, today='2027-03-01'))} facts in ")
    assert "\nnorden-0-30 – " in out
    assert "  max_grant  2026-11-28 (93 d)  https://" in out


def test_cli_json_is_machine_readable(capsys):
    code = main(["--today", "2027-03-01", "facts", "--older-than", "90", "--format", "json"])
    out, _ = capsys.readouterr()
    doc = json.loads(out)
    assert code == 0 and doc["older_than"] == 90 and doc["today"] == "2027-03-01"
    assert doc["count"] == sum(len(e["facts"]) for e in doc["entries"]) > 0
    fact = doc["entries"][0]["facts"][0]
    assert set(fact) == {"key", "ref", "age_days", "checked", "source_url", "value"}
    assert fact["age_days"] > 90


@pytest.mark.parametrize("bad", ["-5", "soon"])
def test_cli_bad_limit_is_one_line_and_exit_2(capsys, bad):
    code = main(["facts", "--older-than", bad])
    _, err = capsys.readouterr()
    assert code == 2
    assert len(err.strip().splitlines()) == 1 and "--older-than" in err
