"""The site's two plots, drawn with matplotlib's SVG backend, byte-stable and greyscale-readable.

- the frequency plot of a disease: per phenotype, the GARD page's band (a hatched grey bar over
  its range) beside the HPO release's value (a black diamond, or a bar for a band term);
- the family matrix: subtypes x phenotypes, frequency as a grey level, NOT marked with a cross.

Determinism: a fixed ``svg.hashsalt``, no date metadata, text kept as text (``svg.fonttype``
``none``, so no glyph paths whose ids could vary). The SVG is returned without its XML prolog so
it can be inlined in a page, with ``role="img"`` and ``aria-labelledby`` naming its text
alternative.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

import matplotlib

matplotlib.use("svg")
from matplotlib.figure import Figure  # noqa: E402  (the backend is chosen first)

matplotlib.rcParams.update({"svg.hashsalt": "alskg-site", "svg.fonttype": "none", "font.family": "DejaVu Sans",
                            "font.size": 9, "axes.titlesize": 11})

#: HPO frequency terms → (label, low %, high %), from HPO's definitions of HP:0040280-HP:0040285.
BANDS = {"HP:0040280": ("Obligate", 100, 100), "HP:0040281": ("Very frequent", 80, 99),
         "HP:0040282": ("Frequent", 30, 79), "HP:0040283": ("Occasional", 5, 29),
         "HP:0040284": ("Very rare", 1, 4), "HP:0040285": ("Excluded", 0, 0)}


@dataclass(frozen=True)
class FrequencyPoint:
    """One phenotype on a disease's frequency plot: the page's band and the release's value (percent)."""

    label: str
    page_low: float | None
    page_high: float | None
    release_low: float | None
    release_high: float | None


def _svg(figure: Figure, label_id: str) -> str:
    buffer = io.StringIO()
    figure.savefig(buffer, format="svg", metadata={"Date": None}, bbox_inches="tight")
    text = buffer.getvalue()
    start = text.index("<svg")
    body = text[start:]
    return body.replace("<svg ", f'<svg role="img" aria-labelledby="{label_id}" ', 1)


def _span(low: float, high: float) -> tuple[float, float]:
    """A band drawn at least one point wide, inside 0-100 (so 100% and 0% stay visible)."""
    if high - low >= 1:
        return low, high
    return (min(low, 99.0), min(low, 99.0) + 1.0)


def frequency_plot(title: str, points: list[FrequencyPoint], label_id: str) -> str:
    """The page-band vs release-value plot of one disease, as inline SVG."""
    height = 1.2 + 0.28 * max(len(points), 1)
    figure = Figure(figsize=(7.5, height))
    axes = figure.add_subplot()
    ys = list(range(len(points)))[::-1]
    labelled: set[str] = set()

    def once(label: str) -> str | None:
        if label in labelled:
            return None
        labelled.add(label)
        return label

    for y, point in zip(ys, points, strict=True):
        if point.page_low is not None and point.page_high is not None:
            low, high = _span(point.page_low, point.page_high)
            axes.barh(y + 0.18, high - low, left=low, height=0.32, color="#bbbbbb", edgecolor="#333333",
                      hatch="///", linewidth=0.6, label=once("GARD page band (2020)"))
        if point.release_low is not None and point.release_high is not None:
            if point.release_high - point.release_low > 0.5:
                low, high = _span(point.release_low, point.release_high)
                axes.barh(y - 0.18, high - low, left=low, height=0.32, color="#222222",
                          label=once("HPO release band (2025)"))
            else:
                axes.plot([point.release_low], [y - 0.18], marker="D", color="black", markersize=5, linestyle="none",
                          label=once("HPO release n/m value (2025)"))
    axes.set_yticks(ys, [p.label for p in points])
    axes.set_xlim(0, 101)
    axes.set_xlabel("Frequency (% of patients)")
    axes.set_ylabel("Phenotype")
    axes.set_title(title)
    axes.grid(axis="x", color="#dddddd", linewidth=0.5)
    handles, labels = axes.get_legend_handles_labels()
    if handles:
        axes.legend(loc="upper center", bbox_to_anchor=(0.5, -0.08 - 1.2 / height / 2), ncols=3, fontsize=7, frameon=False)
    return _svg(figure, label_id)


def heatmap(title: str, rows: list[str], columns: list[str], values: list[list[float | None]],
            negated: list[list[bool]], label_id: str) -> str:
    """The subtype x phenotype matrix: grey level = frequency (%), '×' = NOT, blank = not annotated."""
    import numpy as np

    figure = Figure(figsize=(2.5 + 0.22 * max(len(columns), 1), 1.5 + 0.24 * max(len(rows), 1)))
    axes = figure.add_subplot()
    grid = np.ma.masked_invalid(np.array([[np.nan if v is None else v for v in row] for row in values], dtype=float))
    image = axes.imshow(grid, cmap="Greys", vmin=0, vmax=100, aspect="auto", interpolation="nearest")
    for i, row in enumerate(negated):
        for j, flag in enumerate(row):
            if flag:
                axes.text(j, i, "×", ha="center", va="center", fontsize=8, color="black")
    axes.set_xticks(range(len(columns)), columns, rotation=90, fontsize=7)
    axes.set_yticks(range(len(rows)), rows, fontsize=7)
    axes.set_xlabel("Phenotype (HPO)")
    axes.set_ylabel("Subtype (genes; inheritance)")
    axes.set_title(title)
    bar = figure.colorbar(image, ax=axes, fraction=0.03, pad=0.01)
    bar.set_label("Frequency (% of patients)")
    return _svg(figure, label_id)
