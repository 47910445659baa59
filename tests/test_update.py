"""`update()`: fetch from a local replay of the portal, check, and save to the cache."""

from __future__ import annotations

import pytest

from polarguide import store
from polarguide.errors import DataError, NetworkError, SuspiciousFetchError
from polarguide.portal import PortalClient
from polarguide.snapshot import load_snapshot
from polarguide.update import update


def quick_client(base_url: str, **options) -> PortalClient:
    return PortalClient(base_url, sleep=lambda _s: None, **options)


def test_update_fetches_parses_and_saves_the_calls(portal, store_env):
    result = update(portal.base_url)
    assert result.path == store_env["cache_file"]
    assert (result.old_count, result.new_count) == (300, 683)  # bundled had 300
    snap = load_snapshot(result.path)
    identifiers = {r["metadata"]["identifier"][0] for r in portal.results}
    assert set(snap.records["identifier"]) == identifiers
    assert snap.retrieved_at == result.retrieved_at
    provenance = snap.meta["provenance"]
    assert provenance["reported_total_results"] == 723
    assert provenance["api_version"] == "2.151"
    assert provenance["pages"] == 8 and provenance["stored_records"] == 683
    assert provenance["search_url"].startswith(portal.base_url)
    assert store.load_current(warn=[].append).meta["origin"] == "cache"
    assert "683 calls (was 300)" in result.message()


def test_a_much_smaller_fetch_keeps_the_old_cache_byte_for_byte(portal, store_env):
    first = update(client=quick_client(portal.base_url))
    before = first.path.read_bytes()
    portal.results = portal.results[:150]
    with pytest.raises(SuspiciousFetchError, match=r"only \d+ calls .* has 683") as caught:
        update(client=quick_client(portal.base_url))
    assert "\n" not in str(caught.value) and "--force" in str(caught.value)
    assert first.path.read_bytes() == before

    forced = update(client=quick_client(portal.base_url), force=True)
    assert forced.old_count == 683 and forced.new_count == 150
    assert len(load_snapshot(forced.path).records) == forced.new_count


def test_an_empty_portal_answer_is_refused(portal, store_env):
    portal.results = []
    with pytest.raises(SuspiciousFetchError, match="no calls"):
        update(client=quick_client(portal.base_url))
    assert not store_env["cache_file"].exists()


def test_portal_down_raises_one_line_network_error_and_writes_nothing(server, store_env):
    server.expect_request("/rest/search").respond_with_data("maintenance", status=503)
    with pytest.raises(NetworkError, match="HTTP 503") as caught:
        update(client=quick_client(server.url_for("/rest"), max_retries=2))
    assert "\n" not in str(caught.value)
    assert not store_env["cache_file"].exists()


def test_portal_sending_garbage_raises_data_error_and_writes_nothing(server, store_env):
    server.expect_request("/rest/search").respond_with_data(
        b'{"totalResults": 723, "results": [', content_type="application/json"
    )
    with pytest.raises(DataError, match="unreadable JSON"):
        update(client=quick_client(server.url_for("/rest"), max_retries=1))
    assert not store_env["cache_file"].exists()


def test_a_corrupt_cache_does_not_block_an_update(portal, store_env):
    store_env["cache"].mkdir()
    store_env["cache_file"].write_bytes(b"\x1f\x8bnot really")
    messages: list[str] = []
    result = update(client=quick_client(portal.base_url), warn=messages.append)
    assert result.old_count == 300  # the bundled data was in use
    assert messages and all("ignoring the cache data" in m for m in messages)
    assert len(load_snapshot(store_env["cache_file"]).records) == 683
