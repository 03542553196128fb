"""Choice views: single choice and true/false as a radio group, multiple select as a checkbox group.

Both are one ``ChoiceGroup``: full-width option rows that grow with their text, in a fieldset labelled by the
question's prompt; radio buttons share one name, so the group is one Tab stop and the arrow keys move the choice.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import ipywidgets as w

from ...frontend.controls import ChoiceGroup
from ...markup import escape, to_plain
from ..grading import PARTIAL_CREDIT_RULE
from ..model import MultipleSelect, Option, SingleChoice, shuffled
from .base import Incomplete, QuestionView
from .style import html

__all__ = ["MultipleSelectView", "SingleChoiceView", "TrueFalseView", "shown_options"]


def shown_options(options: Iterable[Option], question_id: str, seed: int) -> list[Option]:
    """Options in the order shown: the question's own order for the default seed, reshuffled for another."""
    listed = list(options)
    return listed if seed == 0 else shuffled(listed, question_id, seed)


class _RadioView(QuestionView):
    """One choice among several, as a radio group."""

    label = "Your answer:"
    missing = "Choose an answer first, then press Check."

    def _options(self) -> list[tuple[str, Any]]:
        raise NotImplementedError

    def _build_inputs(self) -> tuple[w.Widget, ...]:
        self.choice = ChoiceGroup(options=self._options(), legend=self.label, group=self.anchor, labelledby=self.anchor)
        return (self.choice,)

    def _response(self) -> Any:
        if self.choice.value is None:
            raise Incomplete(self.missing)
        return self.choice.value

    def _set_response(self, response: Any) -> None:
        self.choice.set(response)

    def _clear_inputs(self) -> None:
        self.choice.set(None)


class SingleChoiceView(_RadioView):
    """The options of a single-choice question, in their shown order."""

    question: SingleChoice

    def _options(self) -> list[tuple[str, Any]]:
        return [(to_plain(o.text), o.id) for o in shown_options(self.question.options, self.question.id, self.seed)]


class TrueFalseView(_RadioView):
    """Two radio buttons, True and False (the answer is a boolean)."""

    label = "True or false?"
    missing = "Choose True or False first, then press Check."

    def _options(self) -> list[tuple[str, Any]]:
        return [("True", "true"), ("False", "false")]

    def _response(self) -> Any:
        return super()._response() == "true"

    def _set_response(self, response: Any) -> None:
        self.choice.set("true" if response else "false")


class MultipleSelectView(QuestionView):
    """A checkbox per option, with the partial-credit rule stated."""

    question: MultipleSelect

    def _build_inputs(self) -> tuple[w.Widget, ...]:
        opts = shown_options(self.question.options, self.question.id, self.seed)
        self.choice = ChoiceGroup(
            options=[(to_plain(o.text), o.id) for o in opts],
            multiple=True,
            legend="Select all that apply:",
            group=self.anchor,
            labelledby=self.anchor,
        )
        rule = html(f'<p class="stemtrain-hint">{escape(PARTIAL_CREDIT_RULE)}</p>')
        return (rule, self.choice)

    def _response(self) -> list[str]:
        picked = [oid for _, oid in self.choice.options if oid in (self.choice.value or [])]
        if not picked:
            raise Incomplete("Select at least one answer, then press Check.")
        return picked

    def _set_response(self, response: Any) -> None:
        self.choice.set(list(response))

    def _clear_inputs(self) -> None:
        self.choice.set([])
