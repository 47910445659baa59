"""The data store: freshest data wins, atomic locked writes, sanity checks, staleness."""

from __future__ import annotations

import datetime as dt
import gzip
import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from polarguide import store
from polarguide.errors import DataError, SuspiciousFetchError
from polarguide.snapshot import load_snapshot

NOW = "2026-11-28T06:00:00Z"


def test_bundled_snapshot_lives_in_the_package_data_folder():
    import polarguide

    expected = Path(polarguide.__file__).parent / "data" / "snapshot.json.gz"
    assert store.bundled_snapshot_path() == expected


def test_cache_dir_follows_the_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("POLARGUIDE_CACHE_DIR", str(tmp_path / "x"))
    assert store.cache_dir() == tmp_path / "x"
    assert store.cache_path() == tmp_path / "x" / "calls.json.gz"
    monkeypatch.delenv("POLARGUIDE_CACHE_DIR")
    assert store.cache_dir().name == "polarguide"


def test_without_cache_the_bundled_snapshot_is_used(store_env):
    messages: list[str] = []
    snap = store.load_current(warn=messages.append)
    assert snap.meta["origin"] == "bundled" and len(snap.records) == 300
    assert messages == []


def test_a_fresher_cache_wins_and_an_older_one_loses(store_env, make_records):
    store.save_snapshot(make_records(400), {"s": "new"}, retrieved_at=NOW)
    snap = store.load_current(warn=[].append)
    assert snap.meta["origin"] == "cache" and len(snap.records) == 400

    store.save_snapshot(make_records(400), {"s": "old"}, retrieved_at="2026-01-01", force=True)
    snap = store.load_current(warn=[].append)
    assert snap.meta["origin"] == "bundled"


@pytest.mark.parametrize(
    "damage",
    [
        pytest.param(lambda raw: raw[: len(raw) // 2], id="truncated-gzip"),
        pytest.param(lambda raw: b"not gzip at all", id="garbage"),
        pytest.param(lambda raw: gzip.compress(b'{"format": "other"}'), id="wrong-format"),
    ],
)
def test_corrupt_cache_is_ignored_with_one_warning_and_bundled_used(
    store_env, make_records, damage
):
    path = store.save_snapshot(make_records(400), {}, retrieved_at=NOW)
    path.write_bytes(damage(path.read_bytes()))
    messages: list[str] = []
    snap = store.load_current(warn=messages.append)
    assert snap.meta["origin"] == "bundled"
    assert len(messages) == 1 and "ignoring the cache data" in messages[0]
    assert "\n" not in messages[0]


def test_corrupt_cache_warns_through_warnings_by_default(store_env):
    store_env["cache"].mkdir()
    store_env["cache_file"].write_bytes(b"\x1f\x8b broken")
    with pytest.warns(UserWarning, match="ignoring the cache data"):
        store.load_current()


def test_no_readable_data_at_all_is_a_data_error(store_env):
    store_env["bundled"].unlink()
    with pytest.raises(DataError, match="polarguide update"):
        store.load_current(warn=[].append)


def test_far_fewer_records_are_refused_and_the_old_cache_kept(store_env, make_records):
    path = store.save_snapshot(make_records(600), {}, retrieved_at="2026-11-01")
    before = path.read_bytes()
    with pytest.raises(SuspiciousFetchError, match=r"only 299 calls .* has 600"):
        store.save_snapshot(make_records(299), {}, retrieved_at=NOW)
    assert path.read_bytes() == before
    store.save_snapshot(make_records(300), {}, retrieved_at=NOW)  # exactly half is fine
    assert len(load_snapshot(path).records) == 300


def test_an_empty_fetch_is_refused_even_without_old_data(store_env, make_records):
    store_env["bundled"].unlink()
    with pytest.raises(SuspiciousFetchError, match="no calls"):
        store.save_snapshot(make_records(0), {}, retrieved_at=NOW)
    assert not store_env["cache_file"].exists()


def test_force_replaces_good_data_with_a_small_fetch(store_env, make_records):
    path = store.save_snapshot(make_records(600), {}, retrieved_at="2026-11-01")
    store.save_snapshot(make_records(10), {"why": "forced"}, retrieved_at=NOW, force=True)
    snap = load_snapshot(path)
    assert len(snap.records) == 10 and snap.meta["provenance"] == {"why": "forced"}


def test_refusal_compares_with_the_bundled_data_when_there_is_no_cache(store_env, make_records):
    with pytest.raises(SuspiciousFetchError, match="has 300"):
        store.save_snapshot(make_records(149), {}, retrieved_at=NOW)
    assert not store_env["cache_file"].exists()


def test_atomic_write_leaves_only_the_snapshot_and_its_lock(store_env, make_records):
    store.save_snapshot(make_records(500), {}, retrieved_at=NOW)
    store.save_snapshot(make_records(450), {}, retrieved_at=NOW)
    names = sorted(p.name for p in store_env["cache"].iterdir())
    assert names == ["calls.json.gz", "calls.json.gz.lock"]


def test_a_failed_write_keeps_the_old_file_and_no_temp_file(store_env, make_records, monkeypatch):
    path = store.save_snapshot(make_records(500), {}, retrieved_at="2026-11-01")
    before = path.read_bytes()

    def broken_dump(records, provenance, target, *, retrieved_at):
        target.write(b"\x1f\x8b half a snapshot")
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(store, "dump_snapshot", broken_dump)
    with pytest.raises(DataError, match="No space left on device"):
        store.save_snapshot(make_records(500), {}, retrieved_at=NOW)
    assert path.read_bytes() == before
    assert sorted(p.name for p in store_env["cache"].iterdir()) == [
        "calls.json.gz",
        "calls.json.gz.lock",
    ]


def test_concurrent_saves_from_threads_leave_one_complete_snapshot(store_env, make_records):
    errors: list[BaseException] = []
    sizes = [400 + 10 * i for i in range(8)]

    def save(count: int) -> None:
        try:
            store.save_snapshot(make_records(count), {"n": count}, retrieved_at=NOW)
        except BaseException as err:
            errors.append(err)

    threads = [threading.Thread(target=save, args=(n,)) for n in sizes]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    snap = load_snapshot(store_env["cache_file"])
    assert len(snap.records) in sizes
    assert snap.meta["provenance"] == {"n": len(snap.records)}


SAVER = """
import os, sys
from pathlib import Path
sys.path.insert(0, {tests!r})
from conftest import read_fixture, records_from
from polarguide import store
store.bundled_snapshot_path = lambda: Path({bundled!r})
records = records_from(read_fixture("universe_2026-08-22.json.gz"), {count})
for _ in range(3):
    store.save_snapshot(records, {{"n": {count}}}, retrieved_at="2026-11-28T06:00:00Z")
"""


def test_concurrent_saves_from_processes_do_not_corrupt(store_env):
    sizes = [500, 520, 540]
    tests, bundled = str(Path(__file__).parent), str(store_env["bundled"])
    workers = [
        subprocess.Popen(
            [
                sys.executable,
                "-c",
                SAVER.format(tests=tests, bundled=bundled, count=n),
            ],
            env={**os.environ, "POLARGUIDE_CACHE_DIR": str(store_env["cache"])},
            stderr=subprocess.PIPE,
        )
        for n in sizes
    ]
    outcomes = [(w.wait(timeout=120), w.stderr.read().decode()) for w in workers]
    assert outcomes == [(0, "")] * 3
    snap = load_snapshot(store_env["cache_file"])
    assert len(snap.records) in sizes
    assert snap.meta["provenance"] == {"n": len(snap.records)}
    assert sorted(p.name for p in store_env["cache"].iterdir()) == [
        "calls.json.gz",
        "calls.json.gz.lock",
    ]


def test_a_held_lock_times_out_with_a_clear_message(store_env, make_records, monkeypatch):
    from filelock import FileLock

    store_env["cache"].mkdir()
    monkeypatch.setattr(store, "LOCK_TIMEOUT", 0.2)
    with (
        FileLock(str(store_env["cache_file"]) + ".lock"),
        pytest.raises(DataError, match="another polarguide process"),
    ):
        store.save_snapshot(make_records(500), {}, retrieved_at=NOW)


# -- staleness ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("today", "lang", "expected"),
    [
        ("2026-09-05", "en", None),  # 14 days: still fresh
        (
            "2026-09-06",
            "en",
            "The funding data is 15 days old (retrieved 2026-08-22); run `polarguide update`.",
        ),
        (
            "2026-11-28",
            "fi",
            "Rahoitustiedot ovat 98 päivää vanhoja (haettu 22.8.2026); aja `polarguide update`.",
        ),
    ],
)
def test_staleness_message(store_env, today, lang, expected):
    snap = store.load_current(warn=[].append)
    assert store.staleness_message(snap, dt.date.fromisoformat(today), lang=lang) == expected


def test_staleness_uses_the_helsinki_day(make_records):
    from polarguide.snapshot import Snapshot

    # 22:30 UTC on 13 Nov is already 14 Nov in Helsinki
    snap = Snapshot(make_records(1), {"retrieved_at": "2026-11-13T22:30:00+00:00"})
    assert store.staleness_message(snap, dt.date(2026, 11, 28)) is None
    assert "15 days" in store.staleness_message(snap, dt.date(2026, 11, 29))
