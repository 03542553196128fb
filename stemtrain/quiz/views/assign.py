"""Drop-down views: ordering (a step per position), matching and image labels (a choice per item)."""

from __future__ import annotations

from typing import Any

import ipywidgets as w

from ...markup import render_inline, to_plain
from ..model import ImageLabel, Matching, Option, Ordering
from ..render import caption_html
from .base import Incomplete, QuestionView
from .choice import shown_options
from .style import auto_width, html, shared

__all__ = ["ImageLabelView", "MatchingView", "OrderingView"]

_CHOOSE = ("— choose —", None)


class OrderingView(QuestionView):
    """A labelled drop-down per position: keyboard-friendly, unlike drag and drop.

    Steps are listed in the question's own order, which is never the correct one.
    """

    question: Ordering

    def _build_inputs(self) -> tuple[w.Widget, ...]:
        items = self.question.items
        choices = [_CHOOSE] + [(to_plain(i.text), i.id) for i in items]
        self.slots = tuple(
            w.Dropdown(options=choices, value=None, description=f"Step {n}:", style=shared("wide"), layout=auto_width())
            for n in range(1, len(items) + 1)
        )
        listing = "".join(f"<li>{render_inline(i.text)}</li>" for i in items)
        hint = html(f'<p class="stemtrain-hint"><em>Put these in order:</em></p><ul>{listing}</ul>')
        return (hint, *self.slots)

    def _response(self) -> list[str]:
        order = [s.value for s in self.slots]
        if None in order:
            raise Incomplete("Choose an item for every step, then press Check.")
        if len(set(order)) != len(order):
            raise Incomplete("Each item can be used once: one step has an item that another step already uses.")
        return order

    def _set_response(self, response: Any) -> None:
        for slot, value in zip(self.slots, response, strict=False):
            slot.value = value

    def _clear_inputs(self) -> None:
        for s in self.slots:
            s.value = None


class _AssignView(QuestionView):
    """A labelled drop-down of the same choices for each key (matching, image labels)."""

    missing = "Choose a match for every item, then press Check."

    def _dropdowns(self, keys: list[tuple[str, str]], choices: tuple[Option, ...]) -> tuple[w.Dropdown, ...]:
        options = [_CHOOSE] + [(to_plain(c.text), c.id) for c in shown_options(choices, self.question.id, self.seed)]
        self.selects = {
            key: w.Dropdown(options=options, value=None, description=label, style=shared("wide"), layout=auto_width())
            for key, label in keys
        }
        return tuple(self.selects.values())

    def _response(self) -> dict[str, str]:
        answer = {key: s.value for key, s in self.selects.items()}
        if None in answer.values():
            raise Incomplete(self.missing)
        return answer

    def _set_response(self, response: Any) -> None:
        for key, select in self.selects.items():
            select.value = response.get(key)

    def _clear_inputs(self) -> None:
        for s in self.selects.values():
            s.value = None


class MatchingView(_AssignView):
    """Each left item with a drop-down of right-hand choices."""

    question: Matching

    def _build_inputs(self) -> tuple[w.Widget, ...]:
        keys = [(o.id, f"{to_plain(o.text)}:") for o in self.question.lefts]
        hint = html('<p class="stemtrain-hint"><em>Match each item on the left with one choice.</em></p>')
        return (hint, *self._dropdowns(keys, self.question.choices))


class ImageLabelView(_AssignView):
    """The figure with numbered structures, and a labelled drop-down per number.

    The picture comes from the ``picture`` function the view is given (the course's figure maker), so the
    quiz layer does not import the figures.
    """

    question: ImageLabel
    missing = "Choose a label for every numbered structure, then press Check."

    def _build_inputs(self) -> tuple[w.Widget, ...]:
        if self._picture is None:
            raise ValueError(f"image-label question {self.question.id!r} needs a picture function to draw {self.question.figure!r}")
        made = self._picture(self.question.figure)
        self.image = w.Image(value=made.to_png(), format="png", layout=w.Layout(max_width="100%"))
        caption = html(caption_html(made.title, made.description))
        keys = [(str(m), f"Structure {m}:") for m in self.question.markers]
        return (self.image, caption, *self._dropdowns(keys, self.question.choices))
