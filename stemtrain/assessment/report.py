"""The assessment as a learner reads it: a submitted attempt's verdict and its rows per objective (escaped HTML),
and the assessment's row on the course map. The page (``stemtrain.assessmentview``) and the map show these.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from ..markup import escape
from . import ASSESSMENT_MODULE, ASSESSMENT_TITLE, SELF_STUDY_LABEL
from .result import AssessmentResult

__all__ = ["map_row", "percent", "result_html", "verdict"]


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


def map_row(store: Any, learner: str) -> dict[str, Any] | None:
    """The course map's last row: the final assessment, its latest attempt and outcome (None: the course has none)."""
    from ..content.paths import notebook_path
    from .status import assessment_status

    if not notebook_path(ASSESSMENT_MODULE).exists():
        return None
    status = assessment_status(store, learner)
    label = f"{ASSESSMENT_MODULE[:2]} · {ASSESSMENT_TITLE}"
    return {
        "label": label,
        "file": f"{ASSESSMENT_MODULE}.ipynb",
        "hash": "",
        "answered": status.answered,
        "total": status.total,
        "score": status.text,
    }
