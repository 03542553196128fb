"""The case view: a vignette with its linked questions, each checked and reported on its own."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import ipywidgets as w

from ...markup import escape, render, render_inline
from ..grading import Checker, Result, case_result
from ..model import Case
from ..render import Citable
from .base import Answered, QuestionView
from .style import html, shared

__all__ = ["CaseView"]


class CaseView(w.VBox):
    """A vignette and its parts; the case's result is the mean of its parts once all are checked."""

    def __init__(
        self,
        question: Case,
        *,
        checker: Checker,
        references: Mapping[str, Citable] | None = None,
        seed: int = 0,
        label: str = "Case",
        status: w.HTML | None = None,
        picture: Callable[[str], Any] | None = None,
        make_part: Callable[..., QuestionView] | None = None,
    ) -> None:
        from . import view_for

        self.question = question
        make = make_part or view_for
        # A prompt that already names the case ("Case 1: …") is not labelled twice.
        heading = "" if question.prompt.lstrip().lower().startswith("case") else f"<strong>{escape(label)}.</strong> "
        self.vignette = html(
            f'<div class="stemtrain-vignette"><p>{heading}{render_inline(question.prompt)}</p>'
            f"<blockquote>{render(question.vignette)}</blockquote></div>"
        )
        n = len(question.questions)
        self.parts: tuple[QuestionView, ...] = tuple(
            make(
                sub,
                checker=checker,
                references=references,
                seed=seed,
                label=f"Part {i} of {n}",
                parent_id=question.id,
                status=status,
                picture=picture,
            )
            for i, sub in enumerate(question.questions, start=1)
        )
        super().__init__(children=(self.vignette, *self.parts), layout=shared("plain"))
        self.add_class("stemtrain-question")
        self.add_class("stemtrain-case")

    def __repr__(self) -> str:
        return f"Case {self.question.id}: choose Run > Run All Cells to answer it."

    @property
    def result(self) -> Result | None:
        """The case's combined result once every part has been checked."""
        done = [p.result for p in self.parts]
        if any(r is None for r in done):
            return None
        return case_result(self.question, [r for r in done if r is not None])

    def on_answer(self, callback: Callable[[Answered], object], *, remove: bool = False) -> None:
        for part in self.parts:
            part.on_answer(callback, remove=remove)

    def submit(self, response: Mapping[str, Any] | None = None) -> Result | None:
        """Answer every part (``{linked question id: response}``), or check what each part's widgets hold."""
        for part in self.parts:
            part.submit(None if response is None else response[part.question.id])
        return self.result

    def reset(self) -> None:
        for part in self.parts:
            part.reset()
