"""Make the figures of the part "Ideasta hankkeeksi" (Finnish and English SVG).

    python book/ideasta-hankkeeksi/kuvat/tee_kuvat.py

Needs Graphviz (``dot``). Writes ``<name>.svg`` (Finnish, the source edition) and
``<name>.en.svg`` next to this file; Sphinx picks the ``.en`` file for the English
edition (``figure_language_filename``). The timeline reads the guide's advice from the
library (:data:`polarguide.plan.TIMELINE`), so the weeks are never typed twice.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

from polarguide.i18n import label
from polarguide.plan import TIMELINE, WORKING_WEEK

HERE = Path(__file__).parent
# Colour-blind-safe fills (Okabe–Ito, lightened) and dark text.
FILL = ("#cfe8f7", "#fde3b8", "#d4efe4", "#f6d3e4")
FONT = "DejaVu Sans"
NODE = f'shape=box, style="rounded,filled", fontname="{FONT}", fontsize=15, color="#555555"'
EDGE = '  edge [color="#555555", arrowsize=0.7];'

TEXT = {
    "weeks": ("valmis {n} viikkoa ennen", "done {n} weeks before"),
    "days": ("valmis {n} arkipäivää ennen", "done {n} working days before"),
    "deadline": ("Määräaika", "Deadline"),
    "lifecycle": (
        ("Idea", "Idea"),
        ("Kumppanit", "Partners"),
        ("Hakemus ja budjetti", "Application and budget"),
        ("Rahoituspäätös ja sopimus", "Funding decision and agreement"),
        ("Toteutus ja viestintä", "Implementation and communication"),
        ("Loppuraportti", "Final report"),
        ("Tulokset jäävät elämään", "Results live on"),
    ),
}


def _t(pair: tuple[str, str], lang: str) -> str:
    return pair[1] if lang == "en" else pair[0]


def timeline_dot(lang: str) -> str:
    """The backward timeline: each step and how many weeks before the deadline it is due."""
    lines = [
        "digraph aikataulu {",
        f'  graph [rankdir=TB, bgcolor="transparent", fontname="{FONT}", ranksep=0.25];',
        f"  node [{NODE}, width=3.0];",
        EDGE,
    ]
    names = []
    for i, (key, days) in enumerate(TIMELINE):
        title = label(f"plan.step.{key}", lang)
        if days % WORKING_WEEK == 0:
            weeks = _t(TEXT["weeks"], lang).format(n=days // WORKING_WEEK)
        else:
            weeks = _t(TEXT["days"], lang).format(n=days)
        name = f"s{i}"
        names.append(name)
        lines.append(f'  {name} [label="{i + 1}. {title}\\n{weeks}", fillcolor="{FILL[i % 2]}"];')
    deadline = _t(TEXT["deadline"], lang)
    lines.append(f'  end [label="{deadline}", shape=doubleoctagon, fillcolor="{FILL[3]}"];')
    lines.append("  " + " -> ".join([*names, "end"]) + ";")
    lines.append("}")
    return "\n".join(lines) + "\n"


def lifecycle_dot(lang: str) -> str:
    """A project's life from idea to lasting results (a loop back to a new idea)."""
    lines = [
        "digraph elinkaari {",
        f'  graph [rankdir=TB, bgcolor="transparent", fontname="{FONT}", ranksep=0.25];',
        f"  node [{NODE}, width=2.8];",
        EDGE,
    ]
    steps = TEXT["lifecycle"]
    for i, pair in enumerate(steps):
        lines.append(f'  n{i} [label="{_t(pair, lang)}", fillcolor="{FILL[i % 3]}"];')
    lines.append("  " + " -> ".join(f"n{i}" for i in range(len(steps))) + ";")
    back = "uusi idea" if lang == "fi" else "a new idea"
    loop = f'style=dashed, constraint=false, label=" {back}", fontname="{FONT}", fontsize=13'
    lines.append(f"  n{len(steps) - 1} -> n0 [{loop}];")
    lines.append("}")
    return "\n".join(lines) + "\n"


def main() -> None:
    for name, make in (("aikataulu", timeline_dot), ("elinkaari", lifecycle_dot)):
        for lang, suffix in (("fi", ".svg"), ("en", ".en.svg")):
            svg = subprocess.run(
                ["dot", "-Tsvg"], input=make(lang), capture_output=True, text=True, check=True
            ).stdout
            (HERE / f"{name}{suffix}").write_text(svg, encoding="utf-8")
            print(HERE / f"{name}{suffix}")


if __name__ == "__main__":
    main()
