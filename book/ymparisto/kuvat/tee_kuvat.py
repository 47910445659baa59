"""Draw the figures of part 3 from the library's sourced facts (Finnish and English).

Run from the repository root after editing ``polarguide/data/facts/ymparisto.yaml``::

    python book/ymparisto/kuvat/tee_kuvat.py

It writes ``lapin-yopymiset.png`` (Finnish edition) and ``lapin-yopymiset.en.png``
(English edition; Sphinx picks the ``.en`` file for ``language = "en"``). Every number
comes from a fact ``nature-tourism-lapland.overnight_<year>``: the value must contain
the figure in the form ``3,1 milj.`` (fi) / ``3.1 million`` (en).
"""

from __future__ import annotations

import re
from pathlib import Path

from polarguide.catalogue import load_catalogue
from polarguide.charts import OKABE_ITO, _pyplot

HERE = Path(__file__).resolve().parent
ENTRY = "nature-tourism-lapland"
YEARS = (2019, 2020, 2021, 2023)

TEXT = {
    "fi": {
        "title": "Rekisteröidyt yöpymiset Lapissa",
        "ylabel": "miljoonaa yöpymistä",
        "note": "Vuotta 2022 ei ole lähteissä. Lähteet: ks. luvun lähdeluettelo.",
        "file": "lapin-yopymiset.png",
        "pattern": r"(\d+,\d+) milj\.",
    },
    "en": {
        "title": "Registered overnight stays in Lapland",
        "ylabel": "million overnight stays",
        "note": "2022 is not in the sources. Sources: see the chapter's source list.",
        "file": "lapin-yopymiset.en.png",
        "pattern": r"(\d+\.\d+) million",
    },
}


def overnight_stays(lang: str) -> list[float]:
    """The yearly figures (millions) read from the facts, in ``YEARS`` order."""
    cat = load_catalogue()
    values = []
    for year in YEARS:
        text = cat.fact(f"{ENTRY}.overnight_{year}").value(lang)
        match = re.search(TEXT[lang]["pattern"], text)
        if match is None:
            raise SystemExit(f"{ENTRY}.overnight_{year} ({lang}): no figure in {text!r}")
        values.append(float(match.group(1).replace(",", ".")))
    return values


def draw(lang: str) -> Path:
    """Draw the bar chart for one edition and return the file written."""
    t = TEXT[lang]
    values = overnight_stays(lang)
    plt = _pyplot()
    plt.rcParams.update({"font.size": 12})
    fig, ax = plt.subplots(figsize=(5, 3.4), dpi=160)
    labels = [str(y) for y in YEARS]
    bars = ax.bar(labels, values, color=[OKABE_ITO[4], OKABE_ITO[0], OKABE_ITO[0], OKABE_ITO[4]])
    for bar, value in zip(bars, values, strict=True):
        shown = f"{value:.2f}".rstrip("0").rstrip(".") if value % 0.1 else f"{value:.1f}"
        if lang == "fi":
            shown = shown.replace(".", ",")
        ax.annotate(
            shown,
            (bar.get_x() + bar.get_width() / 2, value),
            ha="center",
            va="bottom",
            xytext=(0, 3),
            textcoords="offset points",
            fontsize=10,
        )
    ax.set_title(t["title"])
    ax.set_ylabel(t["ylabel"])
    ax.set_ylim(0, max(values) * 1.18)
    ax.spines[["top", "right"]].set_visible(False)
    if lang == "fi":  # decimal comma on the axis too
        from matplotlib.ticker import FuncFormatter

        ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:.1f}".replace(".", ",")))
    fig.text(0.01, 0.01, t["note"], fontsize=8.5, color="#444444")
    fig.tight_layout(rect=(0, 0.05, 1, 1))
    out = HERE / t["file"]
    fig.savefig(out, bbox_inches="tight")
    plt.close(fig)
    return out


if __name__ == "__main__":
    for language in ("fi", "en"):
        print(draw(language))
