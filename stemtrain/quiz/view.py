"""Thin ipywidgets views over the quiz models: show a question, take an answer, show feedback.

Each view grades through ``grading.grade`` and reports every checked answer to its listeners
(``on_answer``); it keeps no score of its own. Tests drive views with ``.value`` and ``.click()``
or with ``submit(response)``.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from typing import Any

import ipywidgets as w
from ipywidgets.widgets.widget_bool import CheckboxStyle
from ipywidgets.widgets.widget_description import DescriptionStyle
from ipywidgets.widgets.widget_string import HTMLStyle

from ..content.markup import escape, render, render_inline, to_plain
from ..content.references import Reference
from .grading import PARTIAL_CREDIT_RULE, Result, grade
from .model import Case, ImageLabel, Matching, MultipleSelect, Numeric, Ordering, Question, SingleChoice, TrueFalse, shuffled

__all__ = ["QuestionView", "QuizSetView", "view_for", "AnswerListener"]

AnswerListener = Callable[[Question, Result], None]

_SYMBOL = {"Correct": "✔", "Partly correct": "◐", "Not correct": "✘"}


_MAKERS = {
    "auto": lambda: w.Layout(width="auto"),
    "plain": w.Layout,
    "wide": lambda: DescriptionStyle(description_width="initial"),
    "html": HTMLStyle,
    "button": w.ButtonStyle,
    "checkbox": CheckboxStyle,
}
_SHARED: dict[str, w.Widget] = {}


def _shared(name: str) -> Any:
    """One layout or style model shared by every quiz widget that needs it.

    Each widget otherwise opens its own layout and style models; sharing them roughly halves the
    messages a quiz sends to the browser. None of these shared models is ever changed after creation.
    """
    model = _SHARED.get(name)
    if model is None or model.comm is None:
        model = _SHARED[name] = _MAKERS[name]()
    return model


def _auto_width() -> w.Layout:
    return _shared("auto")


def _html(value: str = "") -> w.HTML:
    return w.HTML(value, layout=_shared("plain"), style=_shared("html"))


def _button(**kwargs: Any) -> w.Button:
    return w.Button(layout=_shared("plain"), style=_shared("button"), **kwargs)


class Incomplete(Exception):
    """The learner pressed Check before answering everything; says what is missing."""


class QuestionView(w.VBox):
    """One question: prompt, answer input, Check and Try again buttons, feedback with explanation and sources."""

    def __init__(
        self,
        question: Question,
        *,
        references: Mapping[str, Reference] | None = None,
        seed: int = 0,
        number: int | None = None,
        on_answer: AnswerListener | None = None,
    ) -> None:
        self.question = question
        self.seed = seed
        self.result: Result | None = None
        self._references = dict(references or {})
        self._listeners: list[AnswerListener] = [on_answer] if on_answer else []
        label = f"Question {number}" if number is not None else "Question"
        self.prompt = _html(
            f'<div class="stemtrain-prompt"><p><strong>{label}.</strong></p>{render(question.prompt)}</div>'
        )
        self.inputs: tuple[w.Widget, ...] = self._build_inputs()
        self.check_button = _button(description="Check", tooltip="Check your answer", button_style="primary", icon="")
        self.retry_button = _button(description="Try again", tooltip="Clear your answer and try again", disabled=True, icon="")
        self.check_button.on_click(lambda _b: self.submit())
        self.retry_button.on_click(lambda _b: self.reset())
        self.feedback = _html("")
        self.feedback.add_class("stemtrain-feedback")
        super().__init__(
            children=(self.prompt, *self.inputs, w.HBox((self.check_button, self.retry_button), layout=_shared("plain")), self.feedback),
            layout=_shared("plain"),
        )
        self.add_class("stemtrain-question")
        self.add_class(f"stemtrain-{question.type.replace('_', '-')}")

    def __repr__(self) -> str:
        # Shown in place of the quiz wherever widgets cannot run (a notebook opened before Run All).
        return f"Quiz question {self.question.id}: choose Run > Run All Cells to answer it."

    # --- public ---------------------------------------------------------------------------------
    def on_answer(self, callback: AnswerListener) -> None:
        """Call ``callback(question, result)`` after every checked answer."""
        self._listeners.append(callback)

    def submit(self, response: Any = None) -> Result | None:
        """Grade ``response`` (default: what the widgets hold), show feedback, tell listeners."""
        if response is None:
            try:
                response = self._response()
            except Incomplete as exc:
                self.feedback.value = f'<div class="stemtrain-feedback-body" role="status"><p>{escape(str(exc))}</p></div>'
                return None
        result = grade(self.question, response)
        self._show(result)
        for listener in self._listeners:
            listener(self.question, result)
        return result

    def reset(self) -> None:
        """Clear the answer and feedback so the learner can try again."""
        self.result = None
        self._clear_inputs()
        self._set_inputs_disabled(False)
        self.feedback.value = ""
        self.check_button.disabled = False
        self.retry_button.disabled = True

    # --- for subclasses ---------------------------------------------------------------------------
    def _build_inputs(self) -> tuple[w.Widget, ...]:
        raise NotImplementedError

    def _response(self) -> Any:
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
        self.feedback.value = feedback_html(self.question, result, self._references)


def feedback_html(question: Question, result: Result, references: Mapping[str, Reference]) -> str:
    """Verdict in words and a symbol, per-answer feedback, the explanation and its sources, all escaped."""
    verdict = result.verdict
    parts = [
        f'<div class="stemtrain-feedback-body stemtrain-{verdict.lower().replace(" ", "-")}" role="status">',
        f'<p class="stemtrain-verdict"><strong><span aria-hidden="true">{_SYMBOL[verdict]}</span> {verdict}</strong>',
    ]
    if not result.correct and result.score > 0:
        parts.append(f" (score {result.score:.0%})")
    parts.append("</p>")
    if result.feedback:
        parts.append('<ul class="stemtrain-option-feedback">')
        parts.extend(f"<li><strong>{render_inline(label)}</strong>: {render_inline(text)}</li>" for label, text in result.feedback)
        parts.append("</ul>")
    parts.append(f'<div class="stemtrain-explanation"><strong>Why:</strong> {render(question.explanation)}</div>')
    parts.append(f'<p class="stemtrain-sources"><strong>Sources:</strong> {citations_html(question.references, references)}</p>')
    parts.append("</div>")
    return "".join(parts)


def citations_html(ids: tuple[str, ...] | list[str], references: Mapping[str, Reference]) -> str:
    """Short citations, each linked to its source and titled with the full reference."""
    out = []
    for rid in ids:
        ref = references.get(rid)
        if ref is None:
            out.append(escape(rid))
            continue
        text = escape(ref.cite)
        if ref.confidence == "secondary":
            text += " (secondary source)"
        link = ref.link
        if link.startswith(("https://", "http://")):
            out.append(f'<a href="{escape(link)}" target="_blank" rel="noopener noreferrer" title="{escape(ref.format())}">{text}</a>')
        else:
            out.append(f'<span title="{escape(ref.format())}">{text}</span>')
    return "; ".join(out)


class _RadioView(QuestionView):
    """One choice among several, as radio buttons (Tab moves between them, Space picks one)."""

    label = "Your answer:"
    missing = "Choose an answer first, then press Check."

    def _options(self) -> list[tuple[str, Any]]:
        raise NotImplementedError

    def _build_inputs(self) -> tuple[w.Widget, ...]:
        self.choice = w.RadioButtons(options=self._options(), value=None, description=self.label, style=_shared("wide"), layout=_auto_width())
        return (self.choice,)

    def _response(self) -> Any:
        if self.choice.value is None:
            raise Incomplete(self.missing)
        return self.choice.value

    def _clear_inputs(self) -> None:
        self.choice.value = None


class SingleChoiceView(_RadioView):
    """The options of a single-choice question, shuffled with the seed."""

    question: SingleChoice

    def _options(self) -> list[tuple[str, Any]]:
        return [(to_plain(o.text), o.id) for o in shuffled(self.question.options, self.question.id, self.seed)]


class MultipleSelectView(QuestionView):
    """A checkbox per option, with the partial-credit rule stated."""

    question: MultipleSelect

    def _build_inputs(self) -> tuple[w.Widget, ...]:
        opts = shuffled(self.question.options, self.question.id, self.seed)
        self.boxes = {o.id: w.Checkbox(value=False, description=to_plain(o.text), indent=False, layout=_auto_width(), style=_shared("checkbox")) for o in opts}
        rule = _html(f'<p class="stemtrain-hint"><em>Select all that apply.</em> {escape(PARTIAL_CREDIT_RULE)}</p>')
        return (rule, *self.boxes.values())

    def _response(self) -> list[str]:
        picked = [oid for oid, box in self.boxes.items() if box.value]
        if not picked:
            raise Incomplete("Select at least one answer, then press Check.")
        return picked

    def _clear_inputs(self) -> None:
        for box in self.boxes.values():
            box.value = False


class TrueFalseView(_RadioView):
    """Two radio buttons, True and False."""

    question: TrueFalse
    label = "True or false?"
    missing = "Choose True or False first, then press Check."

    def _options(self) -> list[tuple[str, Any]]:
        return [("True", True), ("False", False)]


class OrderingView(QuestionView):
    """A labelled drop-down per position: keyboard-friendly, unlike drag and drop."""

    question: Ordering

    def _build_inputs(self) -> tuple[w.Widget, ...]:
        items = shuffled(self.question.items, self.question.id, self.seed)
        choices = [("— choose —", None)] + [(to_plain(i.text), i.id) for i in items]
        self.slots = tuple(
            w.Dropdown(options=choices, value=None, description=f"Step {n}:", style=_shared("wide"), layout=_auto_width())
            for n in range(1, len(items) + 1)
        )
        listing = "".join(f"<li>{render_inline(i.text)}</li>" for i in items)
        hint = _html(f'<p class="stemtrain-hint"><em>Put these in order:</em></p><ul>{listing}</ul>')
        return (hint, *self.slots)

    def _response(self) -> list[str]:
        order = [s.value for s in self.slots]
        if None in order:
            raise Incomplete("Choose an item for every step, then press Check.")
        if len(set(order)) != len(order):
            raise Incomplete("Each item can be used once: one step has an item that another step already uses.")
        return order

    def _clear_inputs(self) -> None:
        for s in self.slots:
            s.value = None


class _AssignView(QuestionView):
    """A labelled drop-down of the same shuffled choices for each key (matching, image labels)."""

    missing = "Choose a match for every item, then press Check."

    def _dropdowns(self, keys: list[tuple[str, str]], choices: tuple[tuple[str, str], ...]) -> tuple[w.Dropdown, ...]:
        options = [("— choose —", None)] + [(to_plain(text), cid) for cid, text in shuffled(choices, self.question.id, self.seed)]
        self.selects = {
            key: w.Dropdown(options=options, value=None, description=label, style=_shared("wide"), layout=_auto_width()) for key, label in keys
        }
        return tuple(self.selects.values())

    def _response(self) -> dict[str, str]:
        answer = {key: s.value for key, s in self.selects.items()}
        if None in answer.values():
            raise Incomplete(self.missing)
        return answer

    def _clear_inputs(self) -> None:
        for s in self.selects.values():
            s.value = None


class MatchingView(_AssignView):
    """Each left item with a drop-down of right-hand choices."""

    question: Matching

    def _build_inputs(self) -> tuple[w.Widget, ...]:
        keys = [(p.id, f"{to_plain(p.left)}:") for p in self.question.pairs]
        hint = _html('<p class="stemtrain-hint"><em>Match each item on the left with one choice.</em></p>')
        return (hint, *self._dropdowns(keys, self.question.right_choices()))


class NumericView(QuestionView):
    """A text box that takes a number; the unit is part of its label."""

    question: Numeric

    def _build_inputs(self) -> tuple[w.Widget, ...]:
        unit = f" ({self.question.unit})" if self.question.unit else ""
        self.number = w.Text(value="", description=f"Your answer{unit}:", placeholder="a number", style={"description_width": "initial"})
        return (self.number,)

    def _response(self) -> float:
        raw = self.number.value.strip().replace(",", "")
        try:
            value = float(raw)
        except ValueError:
            raise Incomplete("Type a number (for example 2.5), then press Check.") from None
        if not math.isfinite(value):
            raise Incomplete("Type an ordinary number, then press Check.")
        return value

    def _clear_inputs(self) -> None:
        self.number.value = ""


class ImageLabelView(_AssignView):
    """The figure with numbered structures, and a labelled drop-down per number."""

    question: ImageLabel
    missing = "Choose a label for every numbered structure, then press Check."

    def _build_inputs(self) -> tuple[w.Widget, ...]:
        from ..figures import make

        made = make(self.question.figure)
        self.image = w.Image(value=made.to_png(), format="png", layout=w.Layout(max_width="100%"))
        caption = _html(f'<p class="stemtrain-figure-caption"><strong>Figure: {escape(made.title)}.</strong> {escape(made.description)}</p>')
        keys = [(m.id, f"Structure {m.number}:") for m in self.question.markers]
        return (self.image, caption, *self._dropdowns(keys, self.question.label_choices()))


class CaseView(w.VBox):
    """A vignette with its linked questions; each is checked on its own and reported on its own."""

    def __init__(
        self,
        question: Case,
        *,
        references: Mapping[str, Reference] | None = None,
        seed: int = 0,
        number: int | None = None,
        on_answer: AnswerListener | None = None,
    ) -> None:
        self.question = question
        label = f"Case {number}" if number is not None else "Case"
        self.vignette = _html(
            f'<div class="stemtrain-vignette"><p><strong>{label}.</strong> {render_inline(question.prompt)}</p>'
            f"<blockquote>{render(question.vignette)}</blockquote></div>"
        )
        self.parts = tuple(
            view_for(sub, references=references, seed=seed, number=None, on_answer=on_answer) for sub in question.questions
        )
        for i, part in enumerate(self.parts, start=1):
            part.prompt.value = part.prompt.value.replace("<strong>Question.</strong>", f"<strong>Part {i} of {len(self.parts)}.</strong>")
        super().__init__(children=(self.vignette, *self.parts), layout=_shared("plain"))
        self.add_class("stemtrain-question")
        self.add_class("stemtrain-case")

    def __repr__(self) -> str:
        return f"Case {self.question.id}: choose Run > Run All Cells to answer it."

    @property
    def result(self) -> Result | None:
        """The case's combined result once every part has been checked."""
        if any(p.result is None for p in self.parts):
            return None
        return grade(self.question, {p.question.id: p.result.response for p in self.parts})  # type: ignore[union-attr]

    def on_answer(self, callback: AnswerListener) -> None:
        for part in self.parts:
            part.on_answer(callback)

    def submit(self, response: Mapping[str, Any]) -> Result | None:
        """Answer every part: ``{linked question id: response}``."""
        for part in self.parts:
            part.submit(response[part.question.id])
        return self.result

    def reset(self) -> None:
        for part in self.parts:
            part.reset()


_VIEWS: dict[type, type] = {
    SingleChoice: SingleChoiceView,
    MultipleSelect: MultipleSelectView,
    TrueFalse: TrueFalseView,
    Ordering: OrderingView,
    Matching: MatchingView,
    Numeric: NumericView,
    ImageLabel: ImageLabelView,
    Case: CaseView,
}


def view_for(question: Question, **kwargs: Any) -> QuestionView | CaseView:
    """The view class that fits a question's type."""
    return _VIEWS[type(question)](question, **kwargs)


def _points(score: float) -> str:
    """Whole points as they are, partial credit to one decimal place: "2", "2.5"."""
    return f"{score:.0f}" if abs(score - round(score)) < 1e-9 else f"{score:.1f}"


class QuizSetView(w.VBox):
    """Several questions with a running score: answered, and points out of the total."""

    def __init__(
        self,
        questions: list[Question] | tuple[Question, ...],
        *,
        title: str = "",
        references: Mapping[str, Reference] | None = None,
        seed: int = 0,
        on_answer: AnswerListener | None = None,
    ) -> None:
        self.views = tuple(
            view_for(q, references=references, seed=seed, number=n, on_answer=on_answer) for n, q in enumerate(questions, start=1)
        )
        self.leaves = tuple(p for v in self.views for p in (v.parts if isinstance(v, CaseView) else (v,)))
        for leaf in self.leaves:
            leaf.on_answer(lambda _q, _r: self._update())
            leaf.retry_button.on_click(lambda _b: self._update())
        header = _html(f'<h4 class="stemtrain-quiz-title">{escape(title)}</h4>') if title else None
        self.summary = _html("")
        self.summary.add_class("stemtrain-score")
        self._update()
        super().__init__(children=tuple(c for c in (header, *self.views, self.summary) if c is not None), layout=_shared("plain"))
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

    def _update(self) -> None:
        total = len(self.leaves)
        self.summary.value = (
            f'<p role="status"><strong>Your score: {_points(self.score)} of {total}</strong> '
            f"({self.answered} of {total} questions checked)</p>"
        )
