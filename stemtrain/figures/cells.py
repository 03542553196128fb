"""Cell biology figures for module 02: what an MSC can do in a dish, and the ISCT 2006 minimal criteria."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from matplotlib.axes import Axes
from matplotlib.patches import Circle, FancyArrowPatch, FancyBboxPatch

from .base import OKABE_ITO, TeachingFigure, as_diagram, new_figure, styled

if TYPE_CHECKING:
    pass

__all__ = [
    "NEGATIVE_MAX",
    "NOT_POTENCY",
    "POSITIVE_MIN",
    "draw_isct_check",
    "isct_verdict",
    "lineage_diagram",
]

POSITIVE_MIN = 95.0  # fact 1: at least 95% of cells express CD105, CD73 and CD90
NEGATIVE_MAX = 2.0  # fact 1: no more than 2% express CD45, CD34, CD14/CD11b, CD79a/CD19, HLA-DR
# fact 2: minimal criteria, not potency or efficacy criteria
NOT_POTENCY = "Meeting these criteria only shows what the cells are; it does not show that they work as a treatment."

PASS_COLOUR = OKABE_ITO["blue"]
FAIL_COLOUR = OKABE_ITO["vermillion"]


@styled
def lineage_diagram() -> TeachingFigure:
    """Separate what MSCs can become in a dish from what they are thought to do in the body (facts 1, 5, 19)."""
    title = "What MSCs can do: in a dish versus in the body"
    fig = new_figure(7.5, 4.4)
    fig.suptitle(title)
    left, right = fig.subplots(1, 2, width_ratios=[1.0, 1.0])

    as_diagram(left, (-3.3, 3.3), (-2.9, 3.1))
    left.set_title("In a dish (in vitro)", fontsize=11.5)
    left.add_patch(Circle((0, 0), 0.85, facecolor=OKABE_ITO["sky_blue"], edgecolor="#1E5A80", lw=1.5))
    left.text(0, 0, "MSC", ha="center", va="center", fontsize=12, fontweight="bold")
    # Fact 1(c): differentiates into osteoblasts, adipocytes and chondroblasts in vitro.
    targets = [
        ((0.0, 2.15), "Bone cell\n(osteoblast)", OKABE_ITO["orange"]),
        ((-2.15, -1.55), "Fat cell\n(adipocyte)", OKABE_ITO["yellow"]),
        ((2.15, -1.55), "Cartilage cell\n(chondroblast)", OKABE_ITO["green"]),
    ]
    for (x, y), text, colour in targets:
        left.add_patch(Circle((x, y), 0.55, facecolor=colour, edgecolor="#333333", lw=1.0, alpha=0.85))
        left.add_patch(
            FancyArrowPatch((0.0, 0.0), (x, y), arrowstyle="-|>", mutation_scale=14, lw=1.4, color="#333333", shrinkA=30, shrinkB=18)
        )
        if y > 0:
            left.text(x + 0.75, y, text, ha="left", va="center", fontsize=10)
        else:
            left.text(x, y - 0.85, text, ha="center", va="center", fontsize=10)

    right.set_axis_off()
    right.set_xlim(0, 1)
    right.set_ylim(0, 1)
    right.set_title("What they are thought to do in the body", fontsize=11.5)
    # Visually distinct: dashed, dotted-hatch frame around a white text area.
    right.add_patch(
        FancyBboxPatch(
            (0.01, 0.02),
            0.98,
            0.93,
            boxstyle="round,pad=0.0,rounding_size=0.04",
            facecolor="#F4F0F7",
            edgecolor=OKABE_ITO["purple"],
            lw=1.5,
            ls="--",
            hatch="..",
        )
    )
    right.add_patch(
        FancyBboxPatch((0.04, 0.05), 0.92, 0.87, boxstyle="round,pad=0.0,rounding_size=0.03", facecolor="white", edgecolor="none")
    )
    lines: list[tuple[float, str, dict[str, Any]]] = [  # facts 5 and 19: paracrine, trophic and immunomodulatory secretion
        (0.85, "\u2192 Signalling (paracrine)", {"fontweight": "bold", "fontsize": 10.5}),
        (0.77, "release signals that act on the\npatient's own nearby cells", {"fontsize": 10}),
        (0.57, "\u2192 Calming the immune response\n    (immunomodulation)", {"fontweight": "bold", "fontsize": 10.5}),
        (0.43, "release anti-inflammatory factors", {"fontsize": 10}),
        (0.27, "Most do not become\nnew disc tissue.", {"fontweight": "bold", "fontsize": 10.5, "color": "#7A2E00"}),
        (0.12, "How they work is still not proven.", {"fontsize": 10, "style": "italic"}),  # fact 20
    ]
    for y, text, kw in lines:
        right.text(0.08, y, text, va="top", linespacing=1.2, **kw)

    description = (
        "Left: in a laboratory dish, mesenchymal stromal cells (MSCs) can be made to turn into three cell types: "
        "bone cells (osteoblasts), fat cells (adipocytes) and cartilage cells (chondroblasts). This is one of the "
        "tests that define an MSC. Right, in a separate dashed box: in the body, MSCs are thought to act mainly by "
        "releasing signals that act on the patient's own cells (paracrine signalling) and by calming the immune "
        "response (immunomodulation). Most injected cells do not become new disc tissue, and how they work is "
        "still not proven."
    )
    return TeachingFigure(fig, title, description)


def _check_percent(name: str, value: float) -> None:
    """Reject impossible percentages early, with a message that names the marker."""
    if not 0.0 <= float(value) <= 100.0:
        raise ValueError(f"{name} must be a percentage between 0 and 100, not {value!r}")


def _marker_table(
    cd105: float, cd73: float, cd90: float, cd45: float, cd34: float, hla_dr: float
) -> tuple[list[tuple[str, float]], list[tuple[str, float]]]:
    """The positive and negative markers with their values, in display order."""
    positives = [("CD105", cd105), ("CD73", cd73), ("CD90", cd90)]
    negatives = [("CD45", cd45), ("CD34", cd34), ("HLA-DR", hla_dr)]
    for name, value in positives + negatives:
        _check_percent(name, value)
    return positives, negatives


def isct_verdict(
    cd105: float,
    cd73: float,
    cd90: float,
    cd45: float,
    cd34: float,
    hla_dr: float,
    plastic_adherent: bool = True,
    trilineage: bool = True,
) -> tuple[bool, list[str]]:
    """Apply the ISCT 2006 minimal criteria (fact 1); return whether they are met and a reason per failed check."""
    positives, negatives = _marker_table(cd105, cd73, cd90, cd45, cd34, hla_dr)
    reasons: list[str] = []
    if not plastic_adherent:
        reasons.append("The cells do not stick to plastic in the culture dish; the criteria require that they do.")
    for name, value in positives:
        if value < POSITIVE_MIN:
            reasons.append(f"{name}: {value:g}% of cells carry this marker; at least {POSITIVE_MIN:g}% is required.")
    for name, value in negatives:
        if value > NEGATIVE_MAX:
            reasons.append(f"{name}: {value:g}% of cells carry this marker; no more than {NEGATIVE_MAX:g}% is allowed.")
    if not trilineage:
        reasons.append("The cells were not shown to turn into bone, fat and cartilage cells in a dish; the criteria require all three.")
    return (not reasons, reasons)


def _verdict_line(ok: bool) -> str:
    """The one-sentence verdict shown under the figure."""
    return "Meets the ISCT 2006 minimal criteria." if ok else "Does not meet the ISCT 2006 minimal criteria."


@styled
def draw_isct_check(
    cd105: float,
    cd73: float,
    cd90: float,
    cd45: float,
    cd34: float,
    hla_dr: float,
    plastic_adherent: bool = True,
    trilineage: bool = True,
) -> tuple[TeachingFigure, list[str]]:
    """Chart a cell batch's marker results against the ISCT thresholds, so staff can read a lab certificate."""
    ok, reasons = isct_verdict(cd105, cd73, cd90, cd45, cd34, hla_dr, plastic_adherent, trilineage)
    positives, negatives = _marker_table(cd105, cd73, cd90, cd45, cd34, hla_dr)
    title = "Checking a cell batch against the ISCT 2006 minimal criteria"
    fig = new_figure(7.5, 5.4)
    fig.suptitle(title)
    grid = fig.add_gridspec(2, 2, height_ratios=[4.2, 1.2])
    ax_pos = fig.add_subplot(grid[0, 0])
    ax_neg = fig.add_subplot(grid[0, 1])
    ax_txt = fig.add_subplot(grid[1, :])

    def bars(ax: Axes, items: list[tuple[str, float]], passes: Callable[[float], bool], limit: float, top: float, label: str) -> None:
        names = [n for n, _ in items]
        for i, (_name, value) in enumerate(items):
            good = passes(value)
            ax.bar(
                i, value, width=0.6, color=PASS_COLOUR if good else FAIL_COLOUR, hatch=None if good else "///", edgecolor="#222222", lw=1.0
            )
            mark = "\u2713 pass" if good else "\u2717 fail"
            ax.text(
                i,
                top * 1.08,
                f"{value:g}%\n{mark}",
                ha="center",
                va="bottom",
                fontsize=9.5,
                color="#222222" if good else FAIL_COLOUR,
                fontweight="normal" if good else "bold",
            )
        ax.axhline(limit, color="#222222", ls="--", lw=1.4, label=label)
        ax.legend(loc="upper right", bbox_to_anchor=(1.0, 0.85), handlelength=1.8)
        ax.set_xticks(range(len(items)), names)
        ax.set_ylim(0, top * 1.3)
        ax.set_xlim(-0.6, len(items) - 0.4)
        ax.set_xlabel("Marker")

    bars(ax_pos, positives, lambda v: v >= POSITIVE_MIN, POSITIVE_MIN, 100.0, "threshold")
    ax_pos.set_ylabel("Cells carrying the marker (%)")
    ax_pos.set_title(f"Must be present (\u2265 {POSITIVE_MIN:g}%)", fontsize=11)
    neg_top = max(10.0, *(v for _, v in negatives))
    bars(ax_neg, negatives, lambda v: v <= NEGATIVE_MAX, NEGATIVE_MAX, neg_top, "threshold")
    ax_neg.set_ylabel("Cells carrying the marker (%)")
    ax_neg.set_title(f"Must be almost absent (\u2264 {NEGATIVE_MAX:g}%)", fontsize=11)

    ax_txt.set_axis_off()
    ax_txt.set_xlim(0, 1)
    ax_txt.set_ylim(0, 1)
    yes, no = "\u2713 yes", "\u2717 no"
    ax_txt.text(
        0.0,
        0.85,
        f"Sticks to plastic in the dish: {yes if plastic_adherent else no}",
        fontsize=10.5,
        va="center",
        color="#222222" if plastic_adherent else FAIL_COLOUR,
    )
    ax_txt.text(
        0.0,
        0.5,
        f"Turns into bone, fat and cartilage cells in a dish: {yes if trilineage else no}",
        fontsize=10.5,
        va="center",
        color="#222222" if trilineage else FAIL_COLOUR,
    )
    ax_txt.text(0.0, 0.12, _verdict_line(ok), fontsize=11.5, fontweight="bold", va="center", color="#222222" if ok else FAIL_COLOUR)
    ax_txt.text(
        1.0,
        0.85,
        "The full panel also tests CD14 or CD11b\nand CD79\u03b1 or CD19 (not shown).",
        fontsize=9,
        ha="right",
        va="top",
        color="#444444",
    )

    marker_text = "; ".join(f"{n} {v:g}%" for n, v in positives + negatives)
    description = "\n".join(
        [
            f"{_verdict_line(ok)}",
            *reasons,
            NOT_POTENCY,
            (
                "Bar chart of the percentage of cells carrying each marker: "
                f"{marker_text}. CD105, CD73 and CD90 must each be on at least {POSITIVE_MIN:g}% of cells; "
                f"CD45, CD34 and HLA-DR on no more than {NEGATIVE_MAX:g}%. Failing bars are red and hatched. "
                f"Sticks to plastic: {'yes' if plastic_adherent else 'no'}. Turns into bone, fat and cartilage "
                f"cells in a dish: {'yes' if trilineage else 'no'}."
            ),
        ]
    )
    return TeachingFigure(fig, title, description), reasons


def _draw_isct_figure(**values: float | bool) -> TeachingFigure:
    """Adapter for the explorer: only the figure, whose description carries verdict and reasons."""
    return draw_isct_check(**values)[0]  # type: ignore[arg-type]
