"""Real examples from the region (polarguide/data/examples.yaml), the budget sum that
finishes, and the book's directives for them (book/_ext/pgexamples.py) in both editions."""

from __future__ import annotations

import datetime as dt
import re
from io import StringIO
from pathlib import Path

import pytest

from polarguide import budget
from polarguide.catalogue import load_catalogue
from polarguide.datafile import DataFileError
from polarguide.errors import InputError
from polarguide.examples import REGIONS, load_examples

GOOD = """\
meta:
  checked: 2026-12-05
examples:
  - id: one
    name: {fi: Yksi, en: One}
    years: [2024, 2025]
    programme: {fi: Leader, en: Leader}
    catalogue_id: nuoriso-leader
    region: koillismaa
    places: {fi: Posio, en: Posio}
    what: {fi: Tehtiin., en: Done.}
    source_url: https://example.org/one
    checked: 2026-12-01
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "examples.yaml"
    path.write_text(text, encoding="utf-8")
    return path


# ------------------------------------------------------------------ the bundled file


def test_at_least_eight_real_projects_five_from_lapland_or_koillismaa() -> None:
    ex = load_examples()
    assert len(ex.projects) >= 8
    assert sum(p.in_core_area for p in ex.projects) >= 5
    assert {p.region for p in ex.projects} <= set(REGIONS)
    assert any(p.region == "nordic-north" for p in ex.projects)


def test_every_project_has_a_source_a_check_date_and_both_languages() -> None:
    ex = load_examples()
    catalogue_ids = {e.id for e in load_catalogue().all_entries}
    for p in ex.projects:
        assert p.source_url.startswith("https://"), p.id
        assert isinstance(p.checked, dt.date) and p.checked <= ex.checked, p.id
        for field in ("name", "programme", "places", "what"):
            assert p.text(field, "fi") and p.text(field, "en"), (p.id, field)
        if p.cost:
            assert p.text("cost", "fi") and p.text("cost", "en"), p.id
            # the same number in both languages (spaces and decimal signs aside)
            digits = [re.sub(r"\D", "", p.text("cost", lang)) for lang in ("fi", "en")]
            assert digits[0] == digits[1], p.id
        assert not p.catalogue_id or p.catalogue_id in catalogue_ids, p.id
        assert p.start is None or p.start <= p.end, p.id


def test_select_by_region_programme_and_ids() -> None:
    ex = load_examples()
    core = ex.select(region="core")
    assert core and all(p.in_core_area for p in core)
    aurora = ex.select(programme="interreg-aurora")
    assert aurora and all(p.catalogue_id == "interreg-aurora" for p in aurora)
    picked = ex.select(ids=["talli-henkiin-taivalkoski", "polar-magnets"])
    assert [p.id for p in picked] == ["talli-henkiin-taivalkoski", "polar-magnets"]
    with pytest.raises(InputError, match="unknown example project"):
        ex.select(ids=["no-such-project"])
    with pytest.raises(InputError, match="unknown region"):
        ex.select(region="lappi")


# ------------------------------------------------------------------ mistakes: file and line


def test_a_good_file_loads(tmp_path: Path) -> None:
    ex = load_examples(write(tmp_path, GOOD))
    assert ex.get("one").years_text == "2024–2025"
    assert ex.get("one").cost is None


@pytest.mark.parametrize(
    ("change", "line", "message"),
    [
        (("region: koillismaa", "region: lappi"), 9, "region"),
        (("years: [2024, 2025]", "years: [2025, 2024]"), 6, "years"),
        (("years: [2024, 2025]", "years: 2024"), 6, "years"),
        (("catalogue_id: nuoriso-leader", "catalogue_id: nuoriso-leadr"), 8, "catalogue"),
        (
            ("source_url: https://example.org/one", "source_url: https://e.org/?utm_source=x"),
            12,
            "tracking",
        ),
        (("checked: 2026-12-01", "checked: 2027-01-01"), 13, "future"),
        (("    what:", "    wat:"), 11, "did you mean 'what'"),
        (("what: {fi: Tehtiin., en: Done.}", "what: {fi: Tehtiin.}"), 11, "what.en"),
    ],
)
def test_mistakes_name_the_file_and_line(
    tmp_path: Path, change: tuple[str, str], line: int, message: str
) -> None:
    assert change[0] in GOOD
    path = write(tmp_path, GOOD.replace(change[0], change[1]))
    with pytest.raises(DataFileError) as err:
        load_examples(path)
    assert f"examples.yaml:{line}:" in str(err.value)
    assert message in str(err.value)


def test_the_same_id_twice_is_reported(tmp_path: Path) -> None:
    body = GOOD.split("examples:\n", 1)[1]
    path = write(tmp_path, GOOD + body)
    with pytest.raises(DataFileError, match="appears twice"):
        load_examples(path)


# ------------------------------------------------------------------ the budget sum


def test_budget_numbers_come_from_the_catalogue_facts() -> None:
    cat = load_catalogue()
    rate = budget.number_in(
        cat.fact("leader-clld-finland-cap-2023-2027.aid_rate_80_short").value("fi")
    )
    hour = budget.number_in(cat.fact("funding-basics.talkootyo_hour").value("fi"))
    share = budget.number_in(cat.fact("funding-basics.talkootyo_share_max").value("en"))
    assert (rate, hour, share) == (80.0, 20.0, 100.0)
    split = budget.real_costs_grant(10_000, rate / 100)
    assert (split.grant, split.own) == (8_000.0, 2_000.0)
    assert budget.volunteer_hours(split.own * share / 100, hour) == 100


def test_number_in_refuses_text_with_no_or_many_numbers() -> None:
    with pytest.raises(InputError):
        budget.number_in("ei numeroa")
    with pytest.raises(InputError):
        budget.number_in("80–100 %")


# ------------------------------------------------------------------ the directives in a tiny book

INDEX = """
Test
====

Contact :org:`koillismaan-leader`.

.. real-examples::
   :ids: talli-henkiin-taivalkoski clap-arctic-protected-areas

.. budget-example::
   :total: 10000
   :rate: leader-clld-finland-cap-2023-2027.aid_rate_80_short
   :share: funding-basics.talkootyo_share_max
   :hour: funding-basics.talkootyo_hour
"""


def build(tmp_path: Path, lang: str, builder: str = "html", index: str = INDEX) -> tuple[Path, str]:
    from sphinx.application import Sphinx
    from sphinx.util.docutils import docutils_namespace

    src = tmp_path / "src"
    src.mkdir(exist_ok=True)
    (src / "conf.py").write_text(
        "extensions = ['pgfacts', 'pgexamples']\nroot_doc = 'index'\n", encoding="utf-8"
    )
    (src / "index.rst").write_text(index, encoding="utf-8")
    out = tmp_path / f"out-{lang}-{builder}"
    warnings = StringIO()
    with docutils_namespace():
        app = Sphinx(
            str(src), str(src), str(out), str(tmp_path / f"dt-{lang}-{builder}"), builder,
            confoverrides={"language": lang}, status=None, warning=warnings, freshenv=True,
        )  # fmt: skip
        app.build()
    return out, warnings.getvalue()


@pytest.mark.book
@pytest.mark.parametrize("lang", ["fi", "en"])
def test_directives_render_examples_budget_and_contact_in_the_edition_language(
    tmp_path: Path, lang: str
) -> None:
    out, warnings = build(tmp_path, lang)
    assert warnings == ""
    page = (out / "index.html").read_text(encoding="utf-8")
    ex = load_examples()
    for pid in ("talli-henkiin-taivalkoski", "clap-arctic-protected-areas"):
        project = ex.get(pid)
        assert project.text("name", lang).split(" ")[0] in page
        assert project.source_url.replace("&", "&amp;") in page
    other = "en" if lang == "fi" else "fi"
    assert ex.get("clap-arctic-protected-areas").text("what", other)[:40] not in page
    # 10 000 € at 80 %: grant 8 000, own 2 000 = 100 hours at 20 €
    if lang == "fi":
        assert "8\xa0000\xa0€" in page and "2\xa0000\xa0€" in page and "100 tuntia" in page
        assert "10 henkilöä × 10 tuntia" in page
    else:
        assert "EUR 8,000" in page and "EUR 2,000" in page and "100 hours" in page
        assert "10 people × 10 hours" in page
    assert "https://koillismaanleader.fi/polar-magnets/" in page  # the org role's link


@pytest.mark.book
def test_generated_text_is_not_extracted_for_translation(tmp_path: Path) -> None:
    out, warnings = build(tmp_path, "fi", builder="gettext")
    assert warnings == ""
    pot = "".join(p.read_text(encoding="utf-8") for p in out.glob("*.pot"))
    assert "Talli henkiin" not in pot and "Omarahoitus" not in pot
    assert "Contact" in pot


@pytest.mark.book
def test_an_unknown_project_or_fact_fails_the_build(tmp_path: Path) -> None:
    _, warnings = build(tmp_path, "fi", index="T\n=\n\n.. real-examples::\n   :ids: nope\n")
    assert "unknown example project" in warnings
