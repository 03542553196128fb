"""A set of questions with a running score: answered, and points out of the total."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

import ipywidgets as w

from ...markup import escape
from ..grading import Checker
from ..model import Case, Question
from ..render import Citable, points
from .base import Answered, QuestionView
from .case import CaseView
from .style import html, shared

__all__ = ["QuizSetView"]


class QuizSetView(w.VBox):
    """Several numbered questions and a score line that follows every check, reset and restore."""

    def __init__(
        self,
        questions: Sequence[Question],
        *,
        checker: Checker,
        title: str = "",
        references: Mapping[str, Citable] | None = None,
        seed: int = 0,
        status: w.HTML | None = None,
        picture: Callable[[str], Any] | None = None,
        show_score: bool = True,
    ) -> None:
        from . import view_for

        self.views = tuple(
            view_for(
                q,
                checker=checker,
                references=references,
                seed=seed,
                label=f"{'Case' if isinstance(q, Case) else 'Question'} {n}",
                status=status,
                picture=picture,
            )
            for n, q in enumerate(questions, start=1)
        )
        self.leaves: tuple[QuestionView, ...] = tuple(p for v in self.views for p in (v.parts if isinstance(v, CaseView) else (v,)))
        for leaf in self.leaves:
            leaf.on_change(lambda _view: self._update())
        header = html(f'<h4 class="stemtrain-quiz-title">{escape(title)}</h4>') if title else None
        self.summary = html("", "stemtrain-score")
        self._show_score = show_score
        self._update()
        children = (header, *self.views, self.summary if show_score else None)
        super().__init__(children=tuple(c for c in children if c is not None), layout=shared("plain"))
        self.add_class("stemtrain-quiz-set")

    def __repr__(self) -> str:
        return f"Quiz with {len(self.leaves)} questions: choose Run > Run All Cells to answer it."

    @property
    def score(self) -> float:
        """Points earned so far (partial credit counts)."""
        return sum(v.result.score for v in self.leaves if v.result is not None)

    @property
    def answered(self) -> int:
        return sum(1 for v in self.leaves if v.result is not None)

    def on_answer(self, callback: Callable[[Answered], object], *, remove: bool = False) -> None:
        for leaf in self.leaves:
            leaf.on_answer(callback, remove=remove)

    def _update(self) -> None:
        total = len(self.leaves)
        self.summary.value = (
            f'<p role="status"><strong>Your score: {points(self.score)} of {total}</strong> '
            f"({self.answered} of {total} questions checked)</p>"
        )
