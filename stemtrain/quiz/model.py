"""Question models, kept in two parts: what the learner sees, and the key. Pure Python: no widgets, no I/O.

The public part (prompt, options, items, choices, unit) is all a view ever holds; it lists options and items
in the order they are shown, which for ordering questions is never the correct order. The key (right answers,
tolerance, per-option feedback, explanation) stays with whoever grades: the learner's own kernel for practice
quizzes, the class service for the final assessment. Banks are turned into these once, by
``stemtrain.content``; grading, views, records, exports and analytics all read the same objects.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .order import shown_order, shuffled

__all__ = [
    "AnyQuestion",
    "AssignmentKey",
    "Case",
    "CaseKey",
    "ChoiceKey",
    "ImageLabel",
    "Key",
    "Matching",
    "MultipleKey",
    "MultipleSelect",
    "Numeric",
    "NumericKey",
    "Option",
    "Ordering",
    "OrderingKey",
    "Question",
    "SingleChoice",
    "TrueFalse",
    "TrueFalseKey",
    "shown_order",
    "shuffled",
]


@dataclass(frozen=True)
class Option:
    """Something a learner can pick or place: an option, an ordering step, a right-hand choice, a label."""

    id: str
    text: str


@dataclass(frozen=True, kw_only=True)
class Question:
    """What every question shows, whatever its type."""

    id: str
    prompt: str
    references: tuple[str, ...]
    objective: int | None = None
    difficulty: str | None = None
    tags: tuple[str, ...] = ()
    section: str | None = None
    type: str = field(init=False, default="")

    def linked(self) -> tuple[Question, ...]:
        """The questions graded separately inside this one (only cases have any)."""
        return ()


@dataclass(frozen=True, kw_only=True)
class SingleChoice(Question):
    """One right option among several."""

    options: tuple[Option, ...]
    type: str = field(init=False, default="single_choice")


@dataclass(frozen=True, kw_only=True)
class MultipleSelect(Question):
    """Select all that apply: right picks earn credit, wrong picks take it away."""

    options: tuple[Option, ...]
    type: str = field(init=False, default="multiple_select")


@dataclass(frozen=True, kw_only=True)
class TrueFalse(Question):
    """A statement to judge true or false."""

    type: str = field(init=False, default="true_false")


@dataclass(frozen=True, kw_only=True)
class Ordering(Question):
    """Steps to put in sequence; ``items`` are in the order shown, never the correct one."""

    items: tuple[Option, ...]
    type: str = field(init=False, default="ordering")


@dataclass(frozen=True, kw_only=True)
class Matching(Question):
    """Pair each left item with one right-hand choice; some choices may match nothing."""

    lefts: tuple[Option, ...]
    choices: tuple[Option, ...]
    type: str = field(init=False, default="matching")


@dataclass(frozen=True, kw_only=True)
class Numeric(Question):
    """A number in a stated unit."""

    unit: str
    type: str = field(init=False, default="numeric")


@dataclass(frozen=True, kw_only=True)
class ImageLabel(Question):
    """Name the numbered structures on a teaching figure (``figure`` is a name like ``delivery.numbered_anatomy``)."""

    figure: str
    markers: tuple[int, ...]
    choices: tuple[Option, ...]
    type: str = field(init=False, default="image_label")


@dataclass(frozen=True, kw_only=True)
class Case(Question):
    """A short vignette carrying several linked questions, graded as their mean."""

    vignette: str
    questions: tuple[Question, ...]
    type: str = field(init=False, default="case")

    def linked(self) -> tuple[Question, ...]:
        return self.questions


AnyQuestion = SingleChoice | MultipleSelect | TrueFalse | Ordering | Matching | Numeric | ImageLabel | Case


@dataclass(frozen=True, kw_only=True)
class Key:
    """What only the grader holds: the right answer and what to say about each choice once it is checked."""

    question_id: str
    explanation: str
    feedback: tuple[tuple[str, str], ...] = ()

    def feedback_for(self, choice_id: str) -> str:
        """The feedback written for one option (or for ``"true"``/``"false"``), if any."""
        return dict(self.feedback).get(choice_id, "")


@dataclass(frozen=True, kw_only=True)
class ChoiceKey(Key):
    """The one right option of a single-choice question."""

    answer: str


@dataclass(frozen=True, kw_only=True)
class MultipleKey(Key):
    """Every option that applies."""

    answers: frozenset[str]


@dataclass(frozen=True, kw_only=True)
class TrueFalseKey(Key):
    """Whether the statement is true; ``feedback`` is keyed ``"true"`` / ``"false"``."""

    answer: bool


@dataclass(frozen=True, kw_only=True)
class OrderingKey(Key):
    """The item ids in the correct order."""

    order: tuple[str, ...]


@dataclass(frozen=True, kw_only=True)
class AssignmentKey(Key):
    """For matching and image labels: each left id (or marker number) and the id of the choice it takes."""

    matches: tuple[tuple[str, str], ...]


@dataclass(frozen=True, kw_only=True)
class NumericKey(Key):
    """The accepted number, right within ± tolerance."""

    answer: float
    tolerance: float


@dataclass(frozen=True, kw_only=True)
class CaseKey(Key):
    """A case's parts are graded by their own keys, in the order of ``Case.questions``."""

    parts: tuple[Key, ...]
