"""Draw the trainer's guide diagrams (Finnish and English PNG) with Graphviz ``dot``.

    python book/tyopajat/kuvat/piirra_kaaviot.py

Writes ``<name>.png`` (Finnish, the source edition) and ``<name>.en.png`` next to this
file; Sphinx picks the ``.en.png`` file for the English edition
(``figure_language_filename``). Colours: the library's colour-blind-safe palette.
Edit the labels below in both languages, run the script, and commit the PNG files.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

from polarguide.charts import OKABE_ITO

HERE = Path(__file__).resolve().parent
ORANGE, SKY, GREEN, _YELLOW, BLUE, _VERMILION, PURPLE, GREY = OKABE_ITO

LABELS = {
    "tyopajapolku": {
        "fi": {
            "prep": (
                "Valmistelu\\nlataa työpajapaketti,\\ntulosta tarkistuslistat,\\n"
                "testaa ilman verkkoa"
            ),
            "w1": "Työpaja 1\\n90 minuutin johdanto\\n(reitit ja kumppanit)",
            "w2": "Työpaja 2\\nideasta hakemukseen\\n(puoli päivää,\\nmuistikirjat 03–04)",
            "w3": "Työpaja 3\\netätyöpaja\\n(kun kylätalolle\\nei päästä)",
            "app": "Ryhmän oma\\nhakemus ja hanke",
            "alt": "tai etänä",
        },
        "en": {
            "prep": (
                "Preparation\\ndownload the workshop bundle,\\nprint the checklists,\\ntest offline"
            ),
            "w1": "Workshop 1\\n90-minute introduction\\n(routes and partners)",
            "w2": "Workshop 2\\nfrom idea to application\\n(half a day,\\nnotebooks 03–04)",
            "w3": "Workshop 3\\nremote session\\n(when the hall is\\nout of reach)",
            "app": "The group's own\\napplication and project",
            "alt": "or remotely",
        },
    },
    "etatyopaja-rakenne": {
        "fi": {
            "start": "Yhteinen aloitus\\nkoko ryhmä",
            "a": "Pienryhmä A\\nsama tehtävä",
            "b": "Pienryhmä B\\nsama tehtävä",
            "c": "Pienryhmä C\\npuhelimella\\nmukana olevat",
            "back": "Yhteinen purku\\nyksi asia\\nryhmää kohti",
            "end": "Lopetus\\nseuraava askel\\nja palaute",
        },
        "en": {
            "start": "Opening together\\nwhole group",
            "a": "Breakout A\\nsame task",
            "b": "Breakout B\\nsame task",
            "c": "Breakout C\\nthose joining\\nby phone",
            "back": "Report-back\\none thing\\nper group",
            "end": "Closing\\nnext step\\nand feedback",
        },
    },
}

STYLE = (
    'graph [rankdir=TB, bgcolor="white", pad=0.2, nodesep=0.25, ranksep=0.35, dpi=110];\n'
    'node [shape=box, style="rounded,filled", fontname="DejaVu Sans", fontsize=14, '
    'color="#333333", penwidth=1.2, margin="0.15,0.08"];\n'
    'edge [color="#333333", penwidth=1.2, fontname="DejaVu Sans", fontsize=13];\n'
)


def tyopajapolku(t: dict[str, str]) -> str:
    return (
        "digraph G {\n"
        + STYLE
        + f'prep [label="{t["prep"]}", fillcolor="{GREY}40"];\n'
        + f'w1 [label="{t["w1"]}", fillcolor="{SKY}"];\n'
        + f'w2 [label="{t["w2"]}", fillcolor="{ORANGE}"];\n'
        + f'w3 [label="{t["w3"]}", fillcolor="{PURPLE}80", style="rounded,filled,dashed"];\n'
        + f'app [label="{t["app"]}", fillcolor="{GREEN}80"];\n'
        + "prep -> w1; w1 -> w2; w2 -> app;\n"
        + f'w1 -> w3 [style=dashed, label="{t["alt"]}"]; w3 -> w2 [style=dashed];\n'
        + "{rank=same; w2; w3;}\n"
        + "}\n"
    )


def etatyopaja(t: dict[str, str]) -> str:
    return (
        "digraph G {\n"
        + STYLE
        + f'start [label="{t["start"]}", fillcolor="{SKY}"];\n'
        + f'a [label="{t["a"]}", fillcolor="{ORANGE}80"];\n'
        + f'b [label="{t["b"]}", fillcolor="{ORANGE}80"];\n'
        + f'c [label="{t["c"]}", fillcolor="{YELLOW_SOFT}"];\n'
        + f'back [label="{t["back"]}", fillcolor="{SKY}"];\n'
        + f'end [label="{t["end"]}", fillcolor="{GREEN}80"];\n'
        + "start -> a; start -> b; start -> c; a -> back; b -> back; c -> back; back -> end;\n"
        + "}\n"
    )


YELLOW_SOFT = _YELLOW + "99"
DRAW = {"tyopajapolku": tyopajapolku, "etatyopaja-rakenne": etatyopaja}


def main() -> None:
    for name, langs in LABELS.items():
        for lang, labels in langs.items():
            suffix = ".png" if lang == "fi" else f".{lang}.png"
            out = HERE / f"{name}{suffix}"
            subprocess.run(
                ["dot", "-Tpng", "-o", str(out)], input=DRAW[name](labels), text=True, check=True
            )
            print(out.relative_to(HERE.parent.parent.parent))


if __name__ == "__main__":
    main()
