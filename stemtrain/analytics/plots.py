"""Figures for instructors, in the course style: pyplot-free, each with the words a screen-reader user needs.

Only question ids, option ids and module ids are drawn; prompts and option texts (which may hold any script,
emoji or markup) stay in the report's HTML tables, where the browser lays them out and escapes them.
"""

from __future__ import annotations

import numpy as np
from matplotlib.patches import Patch
from matplotlib.ticker import MaxNLocator

from stemtrain.figures.base import OKABE_ITO, TeachingFigure, new_figure, styled

from .flags import DISCRIMINATION_LOW, FACILITY_HIGH, FACILITY_LOW
from .itemresults import ItemAnalysis
from .summary import ClassSummary

__all__ = ["plot_distractors", "plot_facility_discrimination", "plot_module_difficulty", "plot_score_histogram"]

MAX_LABELS = 8
"""Flagged points labelled with their id in the scatter, worst discrimination first; more would hide each other."""


def _plain(text: str) -> str:
    """Keep matplotlib from reading ``$...$`` in an id as mathematics."""
    return text.replace("$", r"\$")


def _pct(share: float) -> str:
    return f"{100 * share:.0f} %"


@styled
def plot_score_histogram(summary: ClassSummary, bins: int = 10) -> TeachingFigure:
    """How learners' overall first-attempt scores spread, against the pass mark."""
    counts, edges = summary.distribution(bins)
    values = np.array([s for s in summary.scores if s is not None], dtype=float)
    fig = new_figure(7.5, 4.2)
    ax = fig.add_subplot()
    ax.bar(100 * edges[:-1], counts, width=100 / bins, align="edge", color=OKABE_ITO["blue"], edgecolor="white")
    ax.axvline(100 * summary.pass_mark, color=OKABE_ITO["black"], linestyle="--", linewidth=1.5)
    ax.text(100 * summary.pass_mark, ax.get_ylim()[1], f" pass mark {_pct(summary.pass_mark)}", va="top", ha="left", fontsize=10)
    ax.set_xlim(0, 100)
    ax.set_xlabel("First-attempt score (% of the points on the items answered)")
    ax.set_ylabel("Learners")
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_title("How first-attempt scores spread")
    if len(values):
        above = int((values >= summary.pass_mark - 1e-12).sum())
        description = (
            f"Histogram of {len(values)} learners' first-attempt scores in bands of {100 // bins} percentage points. "
            f"Median {_pct(float(np.median(values)))}; {above} learners ({_pct(above / len(values))}) reached the pass "
            f"mark of {_pct(summary.pass_mark)} on first attempts."
        )
    else:
        description = "No learner has answered yet, so the histogram is empty."
    return TeachingFigure(fig, "How first-attempt scores spread", description)


@styled
def plot_facility_discrimination(analysis: ItemAnalysis) -> TeachingFigure:
    """Each item's facility against its discrimination, with the zones where the flags apply shaded."""
    fig = new_figure(7.5, 5.0)
    ax = fig.add_subplot()
    zone = {"alpha": 0.18, "linewidth": 0}
    ax.axvspan(0, 100 * FACILITY_LOW, color=OKABE_ITO["vermillion"], **zone)
    ax.axvspan(100 * FACILITY_HIGH, 100, color=OKABE_ITO["vermillion"], **zone)
    ax.axhspan(-1, 0, color=OKABE_ITO["vermillion"], **zone)
    ax.axhspan(0, DISCRIMINATION_LOW, color=OKABE_ITO["yellow"], alpha=0.3, linewidth=0)
    ax.text(2.5, 0.97, "very hard", rotation=90, ha="center", va="top", fontsize=9)
    ax.text(97.5, 0.97, "very easy", rotation=90, ha="center", va="top", fontsize=9)
    ax.text(50, -0.5, "negative: check the key", ha="center", va="center", fontsize=9)
    ax.text(6, 0.02, f"weak (below {DISCRIMINATION_LOW:.2f})", ha="left", va="bottom", fontsize=9)

    shown = [s for s in analysis.items if s.facility is not None and s.discrimination is not None]
    flagged = {s.question_id for s in analysis.flagged()}
    for group, marker, colour, label in ((False, "o", OKABE_ITO["blue"], "no flag"), (True, "X", OKABE_ITO["vermillion"], "flagged")):
        pts = [s for s in shown if (s.question_id in flagged) == group]
        if pts:
            ax.scatter(
                [100 * (s.facility or 0.0) for s in pts],
                [s.discrimination or 0.0 for s in pts],
                marker=marker,
                s=46,
                color=colour,
                edgecolor="black",
                linewidth=0.5,
                label=f"{label} ({len(pts)})",
                zorder=3,
            )
    worst = sorted((s for s in shown if s.question_id in flagged), key=lambda s: s.discrimination or 0.0)
    for s in worst[:MAX_LABELS]:
        point = (100 * (s.facility or 0.0), s.discrimination or 0.0)
        ax.annotate(_plain(s.question_id), point, xytext=(4, 4), textcoords="offset points", fontsize=8.5)
    ax.set_xlim(0, 100)
    ax.set_ylim(-1, 1)
    ax.set_xlabel("Facility index (% of points won on first attempts)")
    ax.set_ylabel("Discrimination index\n(correlation with the rest of the test)")
    ax.set_title("Which items need a look")
    if shown:
        ax.legend(loc="lower center")
    missing = len(analysis.items) - len(shown)
    description = (
        f"Scatter of {len(shown)} items: facility index across, discrimination index up. Shaded zones mark the flag "
        f"rules: facility at most {_pct(FACILITY_LOW)} or at least {_pct(FACILITY_HIGH)}, discrimination below zero, "
        f"or below {DISCRIMINATION_LOW:.2f}. {len(flagged & {s.question_id for s in shown})} plotted items are flagged"
        + (f": {', '.join(sorted(flagged & {s.question_id for s in shown}))}." if flagged else ".")
        + (
            f" {missing} items are not plotted because a value is undefined (too few answers, or everyone scored the same)."
            if missing
            else ""
        )
    )
    return TeachingFigure(fig, "Which items need a look", description)


@styled
def plot_module_difficulty(summary: ClassSummary) -> TeachingFigure:
    """Per module, the share of points won on first attempts and the learners' mean best score."""
    rows = [d for d in summary.difficulty if d.facility is not None]
    fig = new_figure(7.5, max(2.4, 0.5 * len(rows) + 1.6))
    ax = fig.add_subplot()
    y = np.arange(len(rows))[::-1]
    ax.barh(
        y, [100 * (d.facility or 0.0) for d in rows], color=OKABE_ITO["sky_blue"], edgecolor="black", linewidth=0.5, label="first attempts"
    )
    ax.scatter([100 * (d.mean_best_score or 0) for d in rows], y, marker="D", color=OKABE_ITO["black"], zorder=3, label="mean best score")
    ax.axvline(100 * summary.pass_mark, color=OKABE_ITO["black"], linestyle="--", linewidth=1.2)
    ax.set_yticks(y, [_plain(d.module) for d in rows])
    ax.set_xlim(0, 100)
    ax.set_xlabel(f"% of points (dashed line: pass mark {_pct(summary.pass_mark)})")
    ax.set_title("How hard each module was")
    if rows:
        ax.legend(loc="lower right")
    parts = [f"{d.module}: {_pct(d.facility or 0.0)} on first attempts, mean best {_pct(d.mean_best_score or 0)}" for d in rows]
    description = (
        "Horizontal bars, one per module: the share of points won on first attempts, and a diamond for the "
        "learners' mean best score. " + ("; ".join(parts) + "." if parts else "No module has answers yet.")
    )
    return TeachingFigure(fig, "How hard each module was", description)


@styled
def plot_distractors(analysis: ItemAnalysis, question_id: str) -> TeachingFigure:
    """Share of learners who picked each option of one choice item; correct options hatched and labelled."""
    item = analysis.item(question_id)
    options = item.options
    fig = new_figure(7.5, max(2.2, 0.45 * len(options) + 1.4))
    ax = fig.add_subplot()
    y = np.arange(len(options))[::-1]
    shares = [100 * (o.share or 0) for o in options]
    colours = [OKABE_ITO["green"] if o.correct else OKABE_ITO["orange"] for o in options]
    bars = ax.barh(y, shares, color=colours, edgecolor="black", linewidth=0.5)
    for bar, o in zip(bars, options, strict=False):
        if o.correct:
            bar.set_hatch("//")
        ax.text(
            bar.get_width() + 1,
            bar.get_y() + bar.get_height() / 2,
            f"{o.count} ({shares[options.index(o)]:.0f} %)",
            va="center",
            fontsize=9.5,
        )
    ax.set_yticks(y, [_plain(o.option_id) + (" (correct)" if o.correct else "") for o in options])
    ax.set_xlim(0, 110)
    ax.set_xlabel(f"% of the {item.n} learners who answered (first attempts)")
    ax.set_title(f"Options picked: {_plain(question_id)}")
    ax.legend(
        handles=[
            Patch(facecolor=OKABE_ITO["green"], hatch="//", edgecolor="black", label="correct"),
            Patch(facecolor=OKABE_ITO["orange"], edgecolor="black", label="wrong"),
        ],
        loc="lower right",
    )
    parts = [f"option {o.option_id}{' (correct)' if o.correct else ''}: {o.count} learners" for o in options]
    description = f"Bars for item {question_id}, one per option, {item.n} learners answered: " + "; ".join(parts) + "."
    return TeachingFigure(fig, f"Options picked: {question_id}", description)
