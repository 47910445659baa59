"""parse.py on the real captures in tests/fixtures (see PROVENANCE.md there)."""

from __future__ import annotations

import codecs
import copy
import datetime as dt
import gzip
import importlib.util
import json
import math
from pathlib import Path

import pandas as pd
import pytest

from polarguide.errors import DataError
from polarguide.parse import (
    FEED_SOURCE,
    SEARCH_SOURCE,
    parse_feed_snapshot,
    parse_search_response,
    read_payload,
)
from polarguide.records import COLUMNS
from polarguide.snapshot import load_snapshot

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures"
FILE1 = FIXTURES / "sedia-search_text-AI_pageSize5_noFilter_apiv2.143.3_2025-12_NMMonteiro.json"
FILE2 = (
    FIXTURES
    / "sedia-search_text-AI_pageSize10_noFilter_apiv2.143.3_2025-12_NMMonteiro_UTF16LE.json"
)
FILE3 = (
    FIXTURES / "sedia-search_text-HORIZON-CL4-2025-04-DATA-03_pageSize10_apiv2.143.3_2025-12_"
    "NMMonteiro_pretty.json"
)
FILE5 = FIXTURES / "sedia-search_text-all_noQuery_pageSize10_apiv2.96_2023-01_Psychless.json"
FEED7 = FIXTURES / "eu-grants-feed_2026-08-22_trimmed.json"
SHARED7 = (
    ROOT.parent
    / "shared/data/ftp-samples/eu-grants-feed_derived-calls+raw-facets_2026-08-22_MichelNivard.json"
)
BUNDLED = ROOT / "polarguide" / "data" / "snapshot.json.gz"
TODAY = "2026-11-28T00:00:00Z"


def load_file1() -> dict:
    return json.loads(FILE1.read_text("utf-8"))


def topic(payload: dict, language: str = "en") -> dict:
    """The type-1 result in ``language`` from a raw payload."""
    return next(
        r
        for r in payload["results"]
        if r["metadata"]["type"] == ["1"] and r["language"] == language
    )


# --------------------------------------------------------------------------- read_payload


def test_read_payload_decodes_the_utf16le_capture():
    assert FILE2.read_bytes()[:2] == codecs.BOM_UTF16_LE  # the fixture really is UTF-16LE
    payload = read_payload(FILE2)
    assert len(payload["results"]) == 10
    assert payload["totalResults"] == 21020


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-16-le", "utf-16-be", "utf-16"])
def test_read_payload_gives_the_same_dict_in_every_encoding(tmp_path, encoding):
    text = FILE1.read_text("utf-8")
    data = text.encode(encoding)
    if encoding in ("utf-16-le", "utf-16-be"):
        bom = codecs.BOM_UTF16_LE if encoding.endswith("le") else codecs.BOM_UTF16_BE
        data = bom + data
    target = tmp_path / "capture.json"
    target.write_bytes(data)
    assert read_payload(target) == json.loads(text)


def test_read_payload_without_bom_detects_utf16(tmp_path):
    target = tmp_path / "nobom.json"
    target.write_bytes('{"a": "ä"}'.encode("utf-16-le"))
    assert read_payload(target) == {"a": "ä"}


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b'{"results": [', "not valid JSON"),
        (b"[1, 2]", "expected an object"),
        (b"\xff\xfe{\x00\x00\xd8", "not valid"),
        (b"\xc3\x28", "not valid utf-8"),
    ],
)
def test_read_payload_raises_one_line_data_error(tmp_path, content, message):
    target = tmp_path / "bad.json"
    target.write_bytes(content)
    with pytest.raises(DataError) as info:
        read_payload(target)
    assert message in str(info.value)
    assert "\n" not in str(info.value)
    assert str(target) in str(info.value)


def test_read_payload_missing_file(tmp_path):
    with pytest.raises(DataError, match="cannot read"):
        read_payload(tmp_path / "nothing.json")


# --------------------------------------------------------------------------- search API


def test_one_record_per_topic_prefers_english():
    payload = load_file1()
    languages = [r["language"] for r in payload["results"] if r["metadata"]["type"] == ["1"]]
    assert sorted(languages) == ["cs", "en", "sv"]  # three copies of one topic
    frame = parse_search_response(payload, retrieved_at=TODAY)
    assert list(frame.columns) == list(COLUMNS)
    assert len(frame) == 1
    row = frame.iloc[0]
    assert row["language"] == "en"
    assert row["title"] == topic(payload)["metadata"]["title"][0]
    assert row["source"] == SEARCH_SOURCE and row["kind"] == "call"


def test_without_english_the_first_language_wins():
    payload = load_file1()
    payload["results"] = [r for r in payload["results"] if r["language"] in ("cs", "sv")]
    frame = parse_search_response(payload, retrieved_at=TODAY)
    first = next(r for r in payload["results"] if r["metadata"]["type"] == ["1"])
    assert frame["language"].tolist() == [first["language"]]


def test_utf16_capture_parses_to_the_same_topic_as_file1():
    from_utf16 = parse_search_response(read_payload(FILE2), retrieved_at=TODAY)
    from_utf8 = parse_search_response(read_payload(FILE1), retrieved_at=TODAY)
    assert from_utf16["identifier"].tolist() == from_utf8["identifier"].tolist()
    assert from_utf16.iloc[0]["budget_eur"] == from_utf8.iloc[0]["budget_eur"]


@pytest.mark.parametrize("path", [FILE3, FILE5])
def test_update_notices_and_tenders_are_skipped(path):
    payload = read_payload(path)
    types = {r["metadata"]["type"][0] for r in payload["results"]}
    assert types <= {"0", "6"} and "6" in types  # the capture really holds such items
    assert parse_search_response(payload, retrieved_at=TODAY).empty


def test_type6_items_never_become_records():
    payload = read_payload(FILE2)
    frame = parse_search_response(payload, retrieved_at=TODAY)
    type6_ids = {
        r["metadata"]["identifier"][0] for r in payload["results"] if r["metadata"]["type"] == ["6"]
    }
    assert "HORIZON-JU-EUROHPC-2025-INCO-01" in type6_ids
    assert "HORIZON-JU-EUROHPC-2025-INCO-01" not in set(frame["identifier"])


def test_budget_uses_only_the_topics_own_entries():
    payload = load_file1()
    meta = topic(payload)["metadata"]
    identifier = meta["identifier"][0]
    overview = json.loads(meta["budgetOverview"][0])
    entries = [
        e
        for group in overview["budgetTopicActionMap"].values()
        for e in group
        if e["action"].startswith(identifier + " - ")
    ]
    everything = [e for group in overview["budgetTopicActionMap"].values() for e in group]
    assert 0 < len(entries) < len(everything)  # the overview covers the whole call
    expected_budget = sum(float(v) for e in entries for v in e["budgetYearMap"].values())
    call_total = sum(float(v) for e in everything for v in e["budgetYearMap"].values())
    assert expected_budget != call_total

    row = parse_search_response(payload, retrieved_at=TODAY).iloc[0]
    assert row["budget_eur"] == expected_budget
    assert row["expected_grants"] == sum(e["expectedGrants"] for e in entries)
    assert row["min_grant_eur"] == min(e["minContribution"] for e in entries)
    assert row["max_grant_eur"] == max(e["maxContribution"] for e in entries)


def test_zero_contribution_means_unknown():
    payload = load_file1()
    meta = topic(payload)["metadata"]
    overview = json.loads(meta["budgetOverview"][0])
    for group in overview["budgetTopicActionMap"].values():
        for entry in group:
            entry["minContribution"] = 0
            entry["expectedGrants"] = 0
    meta["budgetOverview"] = [json.dumps(overview)]
    row = parse_search_response(payload, retrieved_at=TODAY).iloc[0]
    assert math.isnan(row["min_grant_eur"]) and math.isnan(row["expected_grants"])
    assert row["budget_eur"] > 0


@pytest.mark.parametrize("cut", [0.5, 0.9, 0.1])
def test_truncated_budget_overview_gives_nan_not_a_crash(cut):
    payload = load_file1()
    for result in payload["results"]:
        if "budgetOverview" in result["metadata"]:
            text = result["metadata"]["budgetOverview"][0]
            result["metadata"]["budgetOverview"] = [text[: int(len(text) * cut)]]
    row = parse_search_response(payload, retrieved_at=TODAY).iloc[0]
    assert math.isnan(row["budget_eur"]) and math.isnan(row["max_grant_eur"])
    assert row["identifier"] == "HORIZON-CL4-2025-04-DATA-03"


def test_programme_given_as_text_is_mapped_by_short_name():
    payload = load_file1()
    notice = next(
        r for r in payload["results"] if r["metadata"]["frameworkProgramme"] == ["HORIZON"]
    )
    notice["metadata"]["type"] = ["1"]  # treat the real text-valued item as a topic
    payload["results"] = [notice]
    row = parse_search_response(payload, retrieved_at=TODAY).iloc[0]
    assert (row["programme"], row["programme_code"]) == ("HORIZON", "43108390")


def test_unknown_programme_text_is_kept_without_code():
    payload = load_file1()
    topic(payload)["metadata"]["frameworkProgramme"] = ["INTERREG-AURORA"]
    payload["results"] = [topic(payload)]
    row = parse_search_response(payload, retrieved_at=TODAY).iloc[0]
    assert (row["programme"], row["programme_code"]) == ("INTERREG-AURORA", "")


def test_fields_are_normalised():
    payload = load_file1()
    meta = topic(payload)["metadata"]
    row = parse_search_response(payload, retrieved_at=TODAY).iloc[0]
    assert "  " in meta["typesOfAction"][0]
    assert row["type_of_action"] == " ".join(meta["typesOfAction"][0].split())
    assert row["status"] == "closed"  # 31094503
    assert row["programme"] == "HORIZON" and row["programme_name"] == "Horizon Europe"
    assert row["url"].endswith("/topic-details/HORIZON-CL4-2025-04-DATA-03")
    assert row["opening_date"] == pd.Timestamp("2025-06-10", tz="UTC")
    assert set(meta["tags"]) <= set(row["keywords"])
    assert row["call_identifier"] == "HORIZON-CL4-2025-04"


def test_summary_keeps_sections_and_description_is_sanitised():
    row = parse_search_response(load_file1(), retrieved_at=TODAY).iloc[0]
    summary = row["summary"]
    assert summary.startswith("Expected Outcome:")
    assert "\n\nScope:" in summary
    assert "\n- Improved methods" in summary
    assert "<" not in summary and "&amp;" not in summary and "  " not in summary
    assert len(summary) <= 1500 + 3
    assert "topicdescriptionkind" in row["description_html"]
    html = row["description_html"]
    assert "<span" in html and "<script" not in html and "target=" not in html
    assert html.count("<a ") == html.count('rel="noopener noreferrer"')


def test_deadlines_are_merged_tz_aware_and_next_deadline_follows_retrieved_at():
    payload = load_file1()
    second = copy.deepcopy(topic(payload))
    second["metadata"]["deadlineDate"] = ["2026-02-17T17:00:00.000+0100"]
    payload["results"].append(second)
    frame = parse_search_response(payload, retrieved_at="2025-11-01T00:00:00Z")
    assert len(frame) == 1
    deadlines = frame.iloc[0]["deadlines"]
    assert [d.isoformat() for d in deadlines] == [
        "2025-10-02T00:00:00+00:00",
        "2026-02-17T16:00:00+00:00",
    ]
    assert all(str(d.tz) == "UTC" for d in deadlines)
    assert frame.iloc[0]["next_deadline"] == deadlines[1]
    later = parse_search_response(payload, retrieved_at="2026-11-28T00:00:00Z")
    assert later.iloc[0]["next_deadline"] == deadlines[1]  # all passed: the last one
    earlier = parse_search_response(payload, retrieved_at="2025-01-01T00:00:00Z")
    assert earlier.iloc[0]["next_deadline"] == deadlines[0]


def test_retrieved_at_defaults_to_now_utc():
    before = pd.Timestamp.now(tz="UTC").floor("s")
    row = parse_search_response(load_file1()).iloc[0]
    after = pd.Timestamp.now(tz="UTC")
    assert before <= row["retrieved_at"] <= after


def test_status_labels_and_plain_string_values_are_accepted():
    payload = load_file1()
    meta = topic(payload)["metadata"]
    meta["status"] = "Open for submission"
    meta["identifier"] = "  HORIZON-CL4-2025-04-DATA-03 "
    meta["title"] = ["Software  Engineering"]
    payload["results"] = [topic(payload)]
    row = parse_search_response(payload, retrieved_at=TODAY).iloc[0]
    assert (row["status"], row["identifier"], row["title"]) == (
        "open",
        "HORIZON-CL4-2025-04-DATA-03",
        "Software Engineering",
    )


def test_not_a_search_response():
    with pytest.raises(DataError, match="no 'results' list"):
        parse_search_response(json.loads(FEED7.read_text("utf-8")))
    with pytest.raises(DataError, match="retrieved_at"):
        parse_search_response(load_file1(), retrieved_at="yesterday")


# --------------------------------------------------------------------------- feed snapshot


def test_feed_records_map_programmes_by_code_and_merge_rounds():
    doc = json.loads(FEED7.read_text("utf-8"))
    frame = parse_feed_snapshot(doc)
    grants = doc["grants"]
    identifiers = list(dict.fromkeys(g["identifier"] for g in grants))
    assert frame["identifier"].tolist() == identifiers
    assert len(identifiers) < len(grants)  # the fixture holds cascade rounds
    by_id = frame.set_index("identifier")
    for identifier in identifiers:
        rounds = [g for g in grants if g["identifier"] == identifier]
        assert by_id.loc[identifier, "programme_code"] == rounds[0]["frameworkProgrammes"][0]["id"]
        dates = {g["deadlineDate"] for g in rounds if g["deadlineDate"]}
        assert len(by_id.loc[identifier, "deadlines"]) == len(dates)
    assert set(frame.loc[frame.identifier.str.startswith("LIFE-"), "programme"]) == {"LIFE"}
    assert set(frame.loc[frame.identifier.str.startswith("ERASMUS-"), "programme"]) == {"ERASMUS"}
    assert (frame["retrieved_at"] == pd.Timestamp(doc["generatedAt"])).all()
    assert (frame["source"] == FEED_SOURCE).all()
    assert set(frame["status"]) <= {"open", "forthcoming"}


def test_feed_budget_values_and_missing_budget():
    doc = json.loads(FEED7.read_text("utf-8"))
    frame = parse_feed_snapshot(doc).set_index("identifier")
    first = {}
    for grant in doc["grants"]:
        first.setdefault(grant["identifier"], grant)
    for identifier, grant in first.items():
        budget = grant["budget"] or {}
        expected = budget.get("totalBudgetEur") or math.nan
        got = frame.loc[identifier, "budget_eur"]
        assert got == expected or (math.isnan(got) and math.isnan(expected))
        grants = budget.get("expectedGrants") or math.nan
        got = frame.loc[identifier, "expected_grants"]
        assert got == grants or (math.isnan(got) and math.isnan(grants))
    assert frame["budget_eur"].isna().any() and frame["budget_eur"].notna().any()


def test_feed_rejects_other_documents():
    with pytest.raises(DataError, match="grants"):
        parse_feed_snapshot(load_file1())
    with pytest.raises(DataError, match="generatedAt"):
        parse_feed_snapshot({"grants": []})


# --------------------------------------------------------------------------- bundled snapshot


def _build_snapshot_module():
    spec = importlib.util.spec_from_file_location(
        "build_snapshot", ROOT / "scripts/build_snapshot.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_build_snapshot_is_idempotent_and_keeps_provenance(tmp_path):
    module = _build_snapshot_module()
    first, count = module.build_bytes(FEED7)
    second, _ = module.build_bytes(FEED7)
    assert first == second
    assert gzip.decompress(first)  # valid gzip
    assert first[4:8] == b"\x00\x00\x00\x00"  # gzip mtime 0
    out = tmp_path / "snap.json.gz"
    module.main(["--source", str(FEED7), "--output", str(out)])
    assert out.read_bytes() == first
    snap = load_snapshot(out)
    doc = json.loads(FEED7.read_text("utf-8"))
    assert count == snap.meta["record_count"] == len({g["identifier"] for g in doc["grants"]})
    provenance = snap.meta["provenance"]
    assert provenance["source_commit"] == "cc355a79622e07e0c9d43a53024091b9d7f0a9a5"
    assert provenance["source_repo"] == "MichelNivard/eu-grants-feed"
    assert provenance["generatedAt"] == doc["generatedAt"]
    assert provenance["reportedTotalResults"] == doc["source"]["reportedTotalResults"]
    assert "DERIVED" in provenance["derived"]


def test_bundled_snapshot_is_the_build_of_the_newest_capture():
    assert SHARED7.exists(), "shared/data/ftp-samples must sit beside the repository"
    data, _ = _build_snapshot_module().build_bytes(SHARED7)
    assert BUNDLED.read_bytes() == data, "rebuild with: python scripts/build_snapshot.py"


def test_bundled_snapshot_content():
    snap = load_snapshot(BUNDLED)
    frame = snap.records
    assert snap.retrieved_at == dt.datetime(2026, 8, 22, 5, 41, 38, tzinfo=dt.timezone.utc)
    assert BUNDLED.stat().st_size < 400_000
    assert {"LIFE", "CERV", "ERASMUS", "CREA", "HORIZON"} <= set(frame["programme"])
    assert set(frame["status"]) == {"open", "forthcoming"}
    assert frame["identifier"].is_unique
    assert all(str(d.tz) == "UTC" for ds in frame["deadlines"] for d in ds)
