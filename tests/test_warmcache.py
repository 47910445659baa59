"""The warm cache saves time only: it never serves stale data and never breaks a run."""

from __future__ import annotations

import pandas as pd

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
    first = IndexCache()
    first.get(frame("Youth exchanges"), None)
    assert first.builds == 1
    second = IndexCache()  # a new process, in effect
    index = second.get(frame("Youth exchanges"), None)
    assert second.builds == 0, "the stored index was used"
    assert index.search("youth").ids.tolist() == [0]
    third = IndexCache()
    changed = third.get(frame("Nature restoration"), None)
    assert third.builds == 1, "changed text: rebuilt, not the stale index"
    assert changed.search("youth").ids.tolist() == []


def test_a_corrupt_cache_file_is_ignored(tmp_path, monkeypatch):
    monkeypatch.setenv("POLARGUIDE_CACHE_DIR", str(tmp_path))
    records = frame("Youth exchanges")
    key = warmcache.fingerprint(records)
    folder = tmp_path / "search-index"
    folder.mkdir()
    (folder / f"{key}.pickle").write_bytes(b"not a pickle")
    cache = IndexCache()
    assert cache.get(records, None).search("youth").ids.tolist() == [0]
    assert cache.builds == 1


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
