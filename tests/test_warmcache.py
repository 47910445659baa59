"""The warm cache saves time only: it never serves stale data and never breaks a run."""

from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd
import pytest

from polarguide import warmcache
from polarguide.cli import main
from polarguide.records import conform
from polarguide.search import IndexCache


def frame(title: str) -> pd.DataFrame:
    return conform(pd.DataFrame({"identifier": ["A", "B"], "title": [title, "Soil health"]}))


def test_fingerprint_follows_the_indexed_text():
    assert warmcache.fingerprint(frame("Youth")) == warmcache.fingerprint(frame("Youth"))
    assert warmcache.fingerprint(frame("Youth")) != warmcache.fingerprint(frame("Youths"))


def test_index_is_reused_from_disk_and_rebuilt_when_the_text_changes(tmp_path, monkeypatch):
    monkeypatch.setenv("POLARGUIDE_CACHE_DIR", str(tmp_path))
    built = []
    real = warmcache_build = __import__("polarguide.textindex", fromlist=["build_index"])
    original = real.build_index
    monkeypatch.setattr(real, "build_index", lambda *a, **k: built.append(1) or original(*a, **k))
    warmcache.prepared_index(frame("Youth exchanges"))
    assert len(built) == 1
    index = warmcache.prepared_index(frame("Youth exchanges"))  # a new process, in effect
    assert len(built) == 1, "the stored index was used"
    assert index.search("youth").ids.tolist() == [0]
    changed = warmcache.prepared_index(frame("Nature restoration"))
    assert len(built) == 2, "changed text: rebuilt, not the stale index"
    assert changed.search("youth").ids.tolist() == []
    assert warmcache_build is real


def test_a_corrupt_cache_file_is_ignored(tmp_path, monkeypatch):
    monkeypatch.setenv("POLARGUIDE_CACHE_DIR", str(tmp_path))
    records = frame("Youth exchanges")
    key = warmcache.fingerprint(records)
    folder = tmp_path / "search-index"
    folder.mkdir()
    (folder / f"{key}.pickle").write_bytes(b"not a pickle")
    assert warmcache.prepared_index(records).search("youth").ids.tolist() == [0]


def test_search_writes_no_files(tmp_path, monkeypatch):
    """search() is pure: the bundled-glossary index stays in memory, nothing on disk."""
    from polarguide.search import search

    for name in ("POLARGUIDE_CACHE_DIR", "XDG_CACHE_HOME", "HOME"):
        monkeypatch.setenv(name, str(tmp_path / name))
    monkeypatch.setattr(sys.modules["polarguide.search"], "_INDEXES", IndexCache())
    found = search(frame("Youth exchanges"), "nuoret", today="2026-11-28")
    assert found["identifier"].tolist() == ["A"]
    assert [p for p in tmp_path.rglob("*")] == []


def test_cli_repeats_warnings_and_notes_from_the_warm_cache(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("POLARGUIDE_CACHE_DIR", str(tmp_path))
    (tmp_path / "calls.json.gz").write_bytes(b"corrupt")
    outputs = []
    for _ in range(2):  # the second run is served from the warm cache
        assert main(["--today", "2026-11-28", "--lang", "en", "summary"]) == 0
        outputs.append(capsys.readouterr())
    assert outputs[0] == outputs[1]
    assert "calls.json.gz" in outputs[1].err and "polarguide update" in outputs[1].err
    assert len(list((tmp_path / "records").glob("*.pickle"))) == 1


def test_an_index_that_cannot_be_stored_leaves_no_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The warm cache is optional: a failed save says None and leaves nothing half-written."""
    from polarguide.warmcache import load_index, save_index

    monkeypatch.setenv("POLARGUIDE_CACHE_DIR", str(tmp_path))
    assert save_index("k1", lambda: None) is None  # a lambda cannot be pickled
    assert [p.name for p in tmp_path.rglob("*") if p.is_file()] == []
    assert save_index("k2", {"ok": 1}) is not None
    assert load_index("k2") == {"ok": 1}
