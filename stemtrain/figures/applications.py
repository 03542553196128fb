"""Module 04 figure: what kind of evidence exists for each claimed use of MSCs in low back pain."""

from __future__ import annotations

from matplotlib.patches import Rectangle

from .base import TeachingFigure, new_figure, styled

__all__ = ["EVIDENCE_CELLS", "evidence_map"]

# Status of a cell: symbol, fill colour, hatch, legend text. Symbols and hatching carry the meaning, not colour alone.
_STATUS: dict[str, tuple[str, str, str, str]] = {
    "uncontrolled": ("\u2713", "#FCE8C8", "..", "improved, no comparison"),
    "negative": ("\u2717", "#DCEAF5", "//", "no advantage over sham"),
    "none": ("?", "#FFFFFF", "xx", "no results / no studies"),
}

ROWS = [
    "Disc regeneration\n(disc pain)",
    "Soft-tissue repair\n(muscle, ligament,\ntendon)",
    "Inflammation\nreduction\n(facet joints)",
    "Intravenous (drip)\ndelivery",
]
COLUMNS = [
    "Case series / uncontrolled studies\n(no comparison group)",
    "Randomised trials with a sham\nor placebo comparison",
]

EVIDENCE_CELLS: dict[tuple[int, int], tuple[str, str]] = {
    # Facts 27-29: Pettine (26 patients), Centeno (33), Kumar (10): improved, no control group.
    (0, 0): (
        "uncontrolled",
        "Pain and function improved after\ntreatment (Pettine, Centeno,\nKumar), but nobody was left\nuntreated for comparison.",
    ),
    # Facts 33, 35, 36: Mesoblast phase 3, RESPINE, DREAM.
    (0, 1): (
        "negative",
        "RESPINE: 74% vs 69% responders\n(p=0.77). Mesoblast phase 3: main\ngoal not met (company's own\n"
        "account). DREAM: no clinical\nadvantage over sham.",
    ),
    # Fact 47: search found no controlled trials; none found uncontrolled either.
    (1, 0): ("none", "No studies found in our sources."),
    (1, 1): ("none", "No controlled trials found."),
    # Fact 46: only an uncontrolled 3-month safety pilot of cell-derived vesicles (20 people).
    (2, 0): ("none", "Only a 3-month safety pilot\n(20 people) of cell-derived\nvesicles, not whole cells."),
    # Fact 46: NCT04410731 and NCT06001853 registered, no results.
    (2, 1): ("none", "Trials registered, no results yet\n(NCT04410731, NCT06001853)."),
    # Fact 49: no RCT; clinics market IV cells with self-reported success rates.
    (3, 0): ("none", 'No randomised trial found; a clinic\nsurvey (mostly heart conditions)\nfound self-reported "success rates".'),
    # Facts 21, 49: IV cells go to the lungs first; no RCT found.
    (3, 1): ("none", "No randomised trial found.\nIV cells go to the lungs first."),
}


@styled
def evidence_map() -> TeachingFigure:
    """Show at a glance that claimed benefits rest on uncontrolled studies, not on sham-controlled trials."""
    title = "What kind of evidence is there for each claimed use?"
    fig = new_figure(7.5, 6.0)
    fig.suptitle(title)
    ax = fig.add_subplot()
    ax.set_axis_off()
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1)
    x_edges = [0.0, 0.22, 0.61, 1.0]
    top = 0.9
    legend_h = 0.1
    row_h = (top - legend_h) / len(ROWS)
    for j, head in enumerate(COLUMNS):
        ax.text((x_edges[j + 1] + x_edges[j + 2]) / 2, top + 0.045, head, ha="center", va="center", fontsize=10, fontweight="bold")
    for i, row in enumerate(ROWS):
        y0 = top - (i + 1) * row_h
        ax.text(0.0, y0 + row_h / 2, row, ha="left", va="center", fontsize=10, fontweight="bold")
        for j in range(2):
            status, text = EVIDENCE_CELLS[(i, j)]
            symbol, fill, hatch, _ = _STATUS[status]
            x0, x1 = x_edges[j + 1], x_edges[j + 2]
            ax.add_patch(
                Rectangle(
                    (x0 + 0.004, y0 + 0.006),
                    x1 - x0 - 0.008,
                    row_h - 0.012,
                    facecolor=fill,
                    edgecolor="#D0D0D0",
                    hatch=hatch,
                    lw=0.0,
                    zorder=1,
                )
            )
            ax.add_patch(
                Rectangle((x0 + 0.004, y0 + 0.006), x1 - x0 - 0.008, row_h - 0.012, facecolor="none", edgecolor="#555555", lw=1.0, zorder=3)
            )
            ax.add_patch(
                Rectangle((x0 + 0.05, y0 + 0.02), x1 - x0 - 0.065, row_h - 0.04, facecolor="white", edgecolor="none", alpha=0.9, zorder=2)
            )
            ax.text(x0 + 0.026, y0 + row_h / 2, symbol, ha="center", va="center", fontsize=15, fontweight="bold", zorder=4)
            ax.text(x0 + 0.058, y0 + row_h / 2, text, ha="left", va="center", fontsize=9.2, zorder=4, linespacing=1.2)
    for k, (symbol, fill, hatch, meaning) in enumerate(_STATUS.values()):
        x = 0.0 + k * 0.34
        ax.add_patch(Rectangle((x, 0.015), 0.035, 0.05, facecolor=fill, edgecolor="#555555", hatch=hatch, lw=1.0))
        ax.text(x + 0.058, 0.04, symbol, ha="center", va="center", fontsize=13, fontweight="bold")
        ax.text(x + 0.085, 0.04, meaning, ha="left", va="center", fontsize=9.5)

    description = (
        "A grid of claimed uses (rows) against the kind of study (columns): uncontrolled case series on the left, "
        "randomised sham- or placebo-controlled trials on the right. Disc regeneration: uncontrolled series "
        "(Pettine, Centeno, Kumar) report improvement but had no comparison group; in the sham-controlled trials "
        "there was no clear advantage: RESPINE 74% versus 69% responders (p=0.77), the Mesoblast phase 3 trial "
        "did not meet its main goal (by the company's own account), and DREAM showed no clinical advantage over sham. "
        "Soft-tissue repair: no "
        "studies or controlled trials found. Inflammation reduction in facet joints: only a small 3-month safety "
        "pilot of cell-derived vesicles, and two registered trials with no results yet. Intravenous (drip) "
        "delivery: no randomised trial found; a survey of clinics (mostly about heart "
        "conditions) found self-reported success rates, and cells given into a vein go to the lungs first. "
        "No cell in the grid shows a proven benefit over sham."
    )
    return TeachingFigure(fig, title, description)
