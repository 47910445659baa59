"""The Polar Magnets network directory: sourced organisations, the area and its gaps."""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from polarguide import network as nw
from polarguide.datafile import DataFileError
from polarguide.errors import InputError

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def net() -> nw.Network:
    return nw.load_network()


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run(
        [sys.executable, "-m", "polarguide", *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=120,
    )


def test_every_organisation_has_a_source_check_date_and_web_page(net: nw.Network) -> None:
    assert len(net.organisations) >= 15
    for org in net.organisations:
        assert org.source_url.startswith(("https://", "http://")), org.id
        assert org.web.startswith(("https://", "http://")), org.id
        assert isinstance(org.checked, dt.date) and org.checked <= net.checked, org.id
        assert org.text("does", "fi") and org.text("does", "en"), org.id


def test_organisations_only_no_personal_contacts(net: nw.Network) -> None:
    personal = re.compile(r"^[a-zåäö-]+\.[a-zåäö-]+(@|\(at\))", re.IGNORECASE)
    for org in net.organisations:
        assert not personal.match(org.email), f"{org.id}: a person's e-mail address"
        assert not re.search(r"\b(puh|tel)\b", org.text("does", "fi"), re.IGNORECASE), org.id


def test_the_area_is_the_five_leader_groups(net: nw.Network) -> None:
    groups = [o for o in net.organisations if o.kind == "leader-group" and o.country == "FI"]
    assert len(groups) == 5
    covered = [m for g in groups for m in g.municipalities]
    assert sorted(covered) == sorted(net.area)  # each municipality in exactly one group
    assert len(net.area) == 23
    assert {"Kuusamo", "Taivalkoski", "Posio", "Utsjoki", "Tornio"} <= set(net.area)


def test_gaps_are_municipalities_without_a_youth_organisation(net: nw.Network) -> None:
    missing = nw.gaps(network=net)
    for municipality in net.area:
        has_youth = any(
            o.kind in nw.YOUTH_KINDS and municipality in o.municipalities for o in net.organisations
        )
        assert (municipality in missing) is not has_youth, municipality
    assert "Taivalkoski" not in missing and "Posio" in missing
    cov = nw.coverage(net)
    assert set(cov) == set(net.area) and all(cov.values())


def test_filters(net: nw.Network) -> None:
    kuusamo = nw.select(net.organisations, municipality="kuusamo", network=net)
    assert {"koillismaan-leader", "oulanka-research-station"} <= {o.id for o in kuusamo}
    assert all("Kuusamo" in o.municipalities for o in kuusamo)
    research = nw.select(net.organisations, kind="research-station", network=net)
    assert {o.kind for o in research} == {"research-station"}
    with pytest.raises(InputError, match="did you mean Sodankylä"):
        net.municipality("Sodankyla")


GOOD = """\
meta: {checked: 2026-12-05}
area:
  source: a test
  municipalities: [Kuusamo, Posio]
organisations:
  - id: kyla
    kind: village
    name: {fi: Kyläyhdistys, en: Village association}
    municipalities: [Kuusamo]
    themes: [rural]
    does: {fi: Kylän asiat., en: Village matters.}
    contact: {web: https://example.org/kyla}
    source_url: https://example.org/kyla
    checked: 2026-12-05
"""

BROKEN = {
    "outside": ("municipalities: [Kuusamo]", "municipalities: [Oulu]", 9, "Oulu"),
    "kind": ("kind: village", "kind: club", 7, "kind"),
    "no-web": ("contact: {web: https://example.org/kyla}", "contact: {}", 12, "web"),
    "no-en": (
        "does: {fi: Kylän asiat., en: Village matters.}",
        "does: {fi: Kylän asiat.}",
        11,
        "does.en",
    ),
    "no-source": ("    source_url: https://example.org/kyla\n", "", 6, "source_url"),
    "bad-more": (
        "    checked: 2026-12-05\n",
        "    checked: 2026-12-05\n    more_sources: [kyla.fi]\n",
        6,
        "more_sources",
    ),
}


def test_the_good_sample_loads(tmp_path: Path) -> None:
    path = tmp_path / "network.yaml"
    path.write_text(GOOD, encoding="utf-8")
    loaded = nw.load_network(path)
    assert loaded.area == ("Kuusamo", "Posio") and loaded.get("kyla").local
    assert nw.gaps(network=loaded) == ["Kuusamo", "Posio"]


@pytest.mark.parametrize("case", sorted(BROKEN))
def test_a_broken_file_names_file_and_line(tmp_path: Path, case: str) -> None:
    old, new, line, word = BROKEN[case]
    assert old in GOOD
    path = tmp_path / "network.yaml"
    path.write_text(GOOD.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(DataFileError) as err:
        nw.load_network(path)
    assert f"network.yaml:{line}:" in str(err.value) and word in str(err.value)


def test_cli_network_json_and_bad_file(tmp_path: Path) -> None:
    result = run_cli("network", "--municipality", "Taivalkoski", "--format", "json")
    assert result.returncode == 0, result.stderr
    ids = [row["id"] for row in json.loads(result.stdout)]
    assert "taivalkoski-youth-council" in ids and "koillismaan-leader" in ids
    path = tmp_path / "network.yaml"
    path.write_text(GOOD.replace("kind: village", "kind: club"), encoding="utf-8")
    bad = run_cli("network", "--file", str(path))
    assert bad.returncode == 2
    assert len(bad.stderr.strip().splitlines()) == 1 and f"{path}:7:" in bad.stderr


def test_cli_table_says_where_nothing_was_found() -> None:
    result = run_cli("network", "--lang", "en")
    assert result.returncode == 0, result.stderr
    assert "No sourced youth organisation found yet in these municipalities: " in result.stdout
    assert "Posio" in result.stdout.splitlines()[-1]
