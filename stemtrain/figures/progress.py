"""The start page's picture of a learner's progress: how much of each module is answered and how much is right."""

from __future__ import annotations

from .base import OKABE_ITO, TeachingFigure, new_figure, styled

__all__ = ["progress_chart"]


@styled
def progress_chart(rows: list[list[object]] | None = None) -> TeachingFigure:
    """``rows`` holds (module label, questions answered, questions in the module, points) per module, in course order."""
    rows = rows or []
    title = "Your progress through the course"
    labels = [str(r[0]) for r in rows]
    answered = [100 * float(r[1]) / max(float(r[2]), 1) for r in rows]  # type: ignore[arg-type]
    scored = [100 * float(r[3]) / max(float(r[2]), 1) for r in rows]  # type: ignore[arg-type]
    fig = new_figure(7.5, 0.55 * len(rows) + 1.9)
    fig.suptitle(title)
    ax = fig.add_subplot()
    y = list(range(len(rows)))[::-1]
    ax.barh([v + 0.18 for v in y], answered, height=0.34, color=OKABE_ITO["sky_blue"], edgecolor="#222222", lw=0.8, label="answered")
    ax.barh([v - 0.18 for v in y], scored, height=0.34, color=OKABE_ITO["blue"], hatch="//", edgecolor="#222222", lw=0.8, label="correct")
    for pos, a, s in zip(y, answered, scored, strict=True):
        ax.text(min(a, 88) + 1.5, pos + 0.18, f"{a:.0f}%", va="center", fontsize=9)
        ax.text(min(s, 88) + 1.5, pos - 0.18, f"{s:.0f}%", va="center", fontsize=9)
    ax.set_yticks(y, labels)
    ax.set_xlim(0, 100)
    ax.set_xlabel("Share of the module's questions (%)")
    ax.legend(loc="lower right", fontsize=9)
    parts = [f"{label}: {a:.0f}% answered, {s:.0f}% correct" for label, a, s in zip(labels, answered, scored, strict=True)]
    description = (
        "Two bars per module: the upper, light bar is the share of its questions you have answered; the lower, hatched "
        "bar is the share you answered correctly (your latest answer to each). " + "; ".join(parts) + "."
    )
    return TeachingFigure(fig, title, description)
