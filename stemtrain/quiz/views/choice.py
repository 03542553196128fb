"""Choice views: single choice and true/false as radio buttons, multiple select as checkboxes."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import ipywidgets as w

from ...markup import escape, to_plain
from ..grading import PARTIAL_CREDIT_RULE
from ..model import MultipleSelect, Option, SingleChoice, shuffled
from .base import Incomplete, QuestionView
from .style import auto_width, html, shared

__all__ = ["MultipleSelectView", "SingleChoiceView", "TrueFalseView", "shown_options"]


def shown_options(options: Iterable[Option], question_id: str, seed: int) -> list[Option]:
    """Options in the order shown: the question's own order for the default seed, reshuffled for another."""
    listed = list(options)
    return listed if seed == 0 else shuffled(listed, question_id, seed)


class _RadioView(QuestionView):
    """One choice among several, as radio buttons (arrow keys move the choice, Space picks one)."""

    label = "Your answer:"
    missing = "Choose an answer first, then press Check."

    def _options(self) -> list[tuple[str, Any]]:
        raise NotImplementedError

    def _build_inputs(self) -> tuple[w.Widget, ...]:
        self.choice = w.RadioButtons(options=self._options(), value=None, description=self.label, style=shared("wide"), layout=auto_width())
        return (self.choice,)

    def _response(self) -> Any:
        if self.choice.value is None:
            raise Incomplete(self.missing)
        return self.choice.value

    def _set_response(self, response: Any) -> None:
        self.choice.value = response

    def _clear_inputs(self) -> None:
        self.choice.value = None


class SingleChoiceView(_RadioView):
    """The options of a single-choice question, in their shown order."""

    question: SingleChoice

    def _options(self) -> list[tuple[str, Any]]:
        return [(to_plain(o.text), o.id) for o in shown_options(self.question.options, self.question.id, self.seed)]


class TrueFalseView(_RadioView):
    """Two radio buttons, True and False."""

    label = "True or false?"
    missing = "Choose True or False first, then press Check."

    def _options(self) -> list[tuple[str, Any]]:
        return [("True", True), ("False", False)]


class MultipleSelectView(QuestionView):
    """A checkbox per option, with the partial-credit rule stated."""

    question: MultipleSelect

    def _build_inputs(self) -> tuple[w.Widget, ...]:
        opts = shown_options(self.question.options, self.question.id, self.seed)
        self.boxes = {
            o.id: w.Checkbox(value=False, description=to_plain(o.text), indent=False, layout=auto_width(), style=shared("checkbox"))
            for o in opts
        }
        rule = html(f'<p class="stemtrain-hint"><em>Select all that apply.</em> {escape(PARTIAL_CREDIT_RULE)}</p>')
        return (rule, *self.boxes.values())

    def _response(self) -> list[str]:
        picked = [oid for oid, box in self.boxes.items() if box.value]
        if not picked:
            raise Incomplete("Select at least one answer, then press Check.")
        return picked

    def _set_response(self, response: Any) -> None:
        chosen = set(response)
        for oid, box in self.boxes.items():
            box.value = oid in chosen

    def _clear_inputs(self) -> None:
        for box in self.boxes.values():
            box.value = False
