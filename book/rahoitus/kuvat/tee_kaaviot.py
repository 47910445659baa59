"""Render the Rahoitus part's diagrams: every ``*.dot`` here -> ``*.svg`` with Graphviz.

Finnish source ``kassavirta.dot`` -> ``kassavirta.svg``; English ``kassavirta.en.dot`` ->
``kassavirta.en.svg``, which Sphinx picks for the English edition
(``figure_language_filename``).  Run after editing a ``.dot`` file:

    python book/rahoitus/kuvat/tee_kaaviot.py
"""

import subprocess
from pathlib import Path

HERE = Path(__file__).parent

for dot in sorted(HERE.glob("*.dot")):
    svg = dot.with_suffix(".svg")
    subprocess.run(["dot", "-Tsvg", str(dot), "-o", str(svg)], check=True)
    print(svg.name)
