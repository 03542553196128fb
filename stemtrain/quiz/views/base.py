"""The question view every type shares: prompt, answer inputs, Check and Try again, feedback, status.

A view holds the public part of a question and a checker; it never sees the key. Every checked answer
goes to its listeners as one ``Answered`` event; a listener that fails is reported in the view itself.
Tests drive views with ``.value`` and ``.click()``, or with ``submit(response)``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import ipywidgets as w

from ...events import Failure, Listeners
from ...frontend.controls import FeedbackPanel
from ...markup import escape
from ..grading import Checker, ResponseError, Result
from ..model import Question
from ..render import Citable, feedback_html, prompt_html, status_html
from .style import button, html, shared

__all__ = ["Answered", "Incomplete", "QuestionView"]


@dataclass(frozen=True)
class Answered:
    """One checked answer as a view reports it: the question (public part), its result, and the case it belongs to."""

    question: Question
    result: Result
    parent_id: str | None = None


class Incomplete(Exception):
    """The learner pressed Check before answering everything; says what is missing."""


class QuestionView(w.VBox):
    """One question: prompt, answer input, Check and Try again buttons, feedback with explanation and sources."""

    missing = "Answer the question first, then press Check."

    def __init__(
        self,
        question: Question,
        *,
        checker: Checker,
        references: Mapping[str, Citable] | None = None,
        seed: int = 0,
        label: str = "Question",
        parent_id: str | None = None,
        status: w.HTML | None = None,
        picture: Callable[[str], Any] | None = None,
    ) -> None:
        self.question = question
        self.seed = seed
        self.parent_id = parent_id
        self.result: Result | None = None
        self._checker = checker
        self._references = dict(references or {})
        self._picture = picture
        self._answered: Listeners[Answered] = Listeners(self._report_failure)
        self._changed: Listeners[QuestionView] = Listeners(self._report_failure)
        self.prompt = html(prompt_html(label, question.prompt, element_id=self.anchor))
        self.inputs: tuple[w.Widget, ...] = self._build_inputs()
        self.check_button = button(description="Check", tooltip="Check your answer", button_style="primary")
        self.retry_button = button(description="Try again", tooltip="Clear your answer and try again", disabled=True)
        self.check_button.on_click(lambda _b: self.submit())
        self.retry_button.on_click(lambda _b: self.reset())
        self.feedback = FeedbackPanel()
        self.feedback.add_class("stemtrain-feedback")
        self.notice = html("", "stemtrain-notice")
        rows: list[w.Widget] = [
            self.prompt,
            *self.inputs,
            w.HBox((self.check_button, self.retry_button), layout=shared("plain")),
            self.feedback,
            self.notice,
        ]
        if status is not None:
            rows.append(status)
        super().__init__(children=tuple(rows), layout=shared("plain"))
        self.add_class("stemtrain-question")
        self.add_class(f"stemtrain-{question.type.replace('_', '-')}")

    def __repr__(self) -> str:
        # Shown in place of the quiz wherever widgets cannot run (a notebook opened before Run All).
        return f"Quiz question {self.question.id}: choose Run > Run All Cells to answer it."

    @property
    def anchor(self) -> str:
        """The page id of this question's prompt: links ("continue where you left off") and its option group use it."""
        return f"q-{self.question.id}"

    # --- public ---------------------------------------------------------------------------------
    def on_answer(self, callback: Callable[[Answered], object], *, remove: bool = False) -> None:
        """Call ``callback(Answered)`` after every checked answer (``remove=True`` stops it)."""
        self._answered.add(callback, remove=remove)

    def on_change(self, callback: Callable[[QuestionView], object], *, remove: bool = False) -> None:
        """Call ``callback(view)`` whenever ``result`` changes: checked, reset or restored."""
        self._changed.add(callback, remove=remove)

    def submit(self, response: Any = None) -> Result | None:
        """Check ``response`` (default: what the widgets hold), show feedback, tell listeners."""
        if response is None:
            try:
                response = self._response()
            except Incomplete as exc:
                self.feedback.value = (
                    f'<div class="stemtrain-feedback-body stemtrain-incomplete" role="status"><p>{escape(str(exc))}</p></div>'
                )
                return None
        try:
            result = self._checker(self.question, response)
        except ResponseError:
            raise
        except Exception as exc:  # noqa: BLE001 - a checker elsewhere (the class service) may be unreachable
            self.notice.value = status_html(f"Your answer could not be checked just now ({exc}). Please press Check again in a moment.")
            return None
        self.notice.value = ""
        self._show(result)
        self.feedback.focus()
        self._answered.emit(Answered(self.question, result, self.parent_id))
        return result

    def restore(self, result: Result) -> None:
        """Show an earlier result (for resume) without reporting it again."""
        if result.question_id != self.question.id:
            raise ValueError(f"result for {result.question_id!r} given to the view of {self.question.id!r}")
        self._set_response(result.response)
        self._show(result)

    def reset(self) -> None:
        """Clear the answer and feedback so the learner can try again."""
        self.result = None
        self._clear_inputs()
        self._set_inputs_disabled(False)
        self.feedback.value = ""
        self.check_button.disabled = False
        self.retry_button.disabled = True
        self._changed.emit(self)

    # --- for subclasses ---------------------------------------------------------------------------
    def _build_inputs(self) -> tuple[w.Widget, ...]:
        raise NotImplementedError

    def _response(self) -> Any:
        raise NotImplementedError

    def _set_response(self, response: Any) -> None:
        raise NotImplementedError

    def _clear_inputs(self) -> None:
        raise NotImplementedError

    def _controls(self) -> list[w.Widget]:
        return [c for c in self.inputs if hasattr(c, "disabled")]

    def _set_inputs_disabled(self, disabled: bool) -> None:
        for control in self._controls():
            control.disabled = disabled

    # --- private ----------------------------------------------------------------------------------
    def _show(self, result: Result) -> None:
        self.result = result
        self._set_inputs_disabled(True)
        self.check_button.disabled = True
        self.retry_button.disabled = False
        self.feedback.value = feedback_html(result, self._references)
        self._changed.emit(self)

    def _report_failure(self, failure: Failure) -> None:
        self.notice.value = status_html(f"Your answer was checked, but something went wrong afterwards ({failure}).")
