"""A submitted attempt's result as the learner reads it: the verdict, one row per objective, in escaped HTML.

Pure: the page (``stemtrain.assessmentview``) shows it, and tests read it without widgets.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from ..markup import escape
from . import SELF_STUDY_LABEL
from .result import AssessmentResult

__all__ = ["percent", "result_html", "verdict"]


def percent(fraction: float) -> str:
    """``80 %``, ``87.5 %``: whole per-mille, as the certificate prints scores."""
    value = int(fraction * 1000 + 0.5 + 1e-9)
    return f"{value // 10}.{value % 10} %" if value % 10 else f"{value // 10} %"


def _points(score: float) -> str:
    return f"{score:.0f}" if abs(score - round(score)) < 1e-9 else f"{score:.1f}"


def verdict(result: AssessmentResult) -> str:
    """One plain sentence: passed or not, the score and the pass mark (and self-study, where it was)."""
    head = "You passed." if result.passed else "You did not pass this time."
    when = " The time limit ended, so the answers saved by then were marked." if result.auto_submitted else ""
    label = f" {SELF_STUDY_LABEL}." if result.mode == "self-study" else ""
    return f"{head} Your score: {percent(result.score)} (pass mark {percent(result.pass_mark)}).{when}{label}"


def result_html(result: AssessmentResult, titles: Mapping[str, str], objective_text: Callable[[str, int], str]) -> str:
    """The verdict and a table of objectives (module, objective, points, met or not yet)."""
    rows = []
    for o in result.objectives:
        text = objective_text(o.module, o.objective) or f"Objective {o.objective}"
        mark = "met" if o.met else "not met yet"
        rows.append(
            f"<tr><td>{escape(titles.get(o.module, o.module))}</td><td>{escape(text)}</td>"
            f"<td>{escape(_points(o.score))} of {o.possible}</td><td>{mark}</td></tr>"
        )
    table = (
        '<table class="stemtrain-result"><caption>Your result by learning objective</caption><thead><tr>'
        '<th scope="col">Module</th><th scope="col">Objective</th><th scope="col">Points</th><th scope="col">Result</th>'
        f"</tr></thead><tbody>{''.join(rows)}</tbody></table>"
    )
    return f'<div role="status"><p><strong>{escape(verdict(result))}</strong></p>{table}</div>'
