"""Immutable question models, one per quiz type. Pure Python: no widgets, no I/O.

Banks are turned into these once, by ``stemtrain.content.loader``; grading, views, records and
analytics all read the same objects.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from typing import Any, Union

__all__ = [
    "Option",
    "Item",
    "Pair",
    "Question",
    "SingleChoice",
    "MultipleSelect",
    "TrueFalse",
    "Ordering",
    "Matching",
    "Numeric",
    "ImageLabel",
    "Marker",
    "Case",
    "AnyQuestion",
    "shuffled",
    "question_from_dict",
]


@dataclass(frozen=True)
class Option:
    """A choice in a single-choice or multiple-select question."""

    id: str
    text: str
    feedback: str = ""


@dataclass(frozen=True)
class Item:
    """A step in an ordering question."""

    id: str
    text: str


@dataclass(frozen=True)
class Pair:
    """A left item and the right item it belongs with, in a matching question."""

    id: str
    left: str
    right: str


@dataclass(frozen=True)
class Marker:
    """A numbered spot on a figure and the structure it marks."""

    number: int
    label: str

    @property
    def id(self) -> str:
        return str(self.number)


@dataclass(frozen=True, kw_only=True)
class Question:
    """What every question has, whatever its type."""

    id: str
    prompt: str
    explanation: str
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
    answer: str
    type: str = field(init=False, default="single_choice")


@dataclass(frozen=True, kw_only=True)
class MultipleSelect(Question):
    """Select all that apply: right picks earn credit, wrong picks take it away."""

    options: tuple[Option, ...]
    answers: frozenset[str]
    type: str = field(init=False, default="multiple_select")


@dataclass(frozen=True, kw_only=True)
class TrueFalse(Question):
    """A statement to judge true or false."""

    answer: bool
    feedback_true: str = ""
    feedback_false: str = ""
    type: str = field(init=False, default="true_false")


@dataclass(frozen=True, kw_only=True)
class Ordering(Question):
    """Steps to put in sequence; ``items`` holds them in the correct order."""

    items: tuple[Item, ...]
    type: str = field(init=False, default="ordering")


@dataclass(frozen=True, kw_only=True)
class Matching(Question):
    """Pair each left item with its right item; distractors are right items that match nothing."""

    pairs: tuple[Pair, ...]
    distractors: tuple[str, ...] = ()
    type: str = field(init=False, default="matching")

    def right_choices(self) -> tuple[tuple[str, str], ...]:
        """(id, text) of every right-hand choice: one per pair, then the distractors."""
        return tuple((p.id, p.right) for p in self.pairs) + tuple(
            (f"distractor-{i}", text) for i, text in enumerate(self.distractors, start=1)
        )


@dataclass(frozen=True, kw_only=True)
class Numeric(Question):
    """A number, right within ± tolerance, in a stated unit."""

    answer: float
    tolerance: float
    unit: str
    type: str = field(init=False, default="numeric")


@dataclass(frozen=True, kw_only=True)
class ImageLabel(Question):
    """Name the numbered structures on a teaching figure (``figure`` is a name like ``delivery.numbered_anatomy``)."""

    figure: str
    markers: tuple[Marker, ...]
    distractors: tuple[str, ...] = ()
    type: str = field(init=False, default="image_label")

    def label_choices(self) -> tuple[tuple[str, str], ...]:
        """(id, text) of every label a learner may pick: one per marker, then the distractors."""
        return tuple((m.id, m.label) for m in self.markers) + tuple(
            (f"distractor-{i}", text) for i, text in enumerate(self.distractors, start=1)
        )


@dataclass(frozen=True, kw_only=True)
class Case(Question):
    """A short vignette carrying several linked questions, graded as their mean."""

    vignette: str
    questions: tuple[Question, ...]
    type: str = field(init=False, default="case")

    def linked(self) -> tuple[Question, ...]:
        return self.questions


AnyQuestion = Union[SingleChoice, MultipleSelect, TrueFalse, Ordering, Matching, Numeric, ImageLabel, Case]


def shuffled(items: tuple[Any, ...] | list[Any], question_id: str, seed: int = 0) -> list[Any]:
    """A stable shuffle keyed on the question id, so a notebook shows the same order on every run.

    A string seed is hashed with SHA-512 by ``random``, so the order does not depend on PYTHONHASHSEED.
    """
    out = list(items)
    random.Random(f"stemtrain:{seed}:{question_id}").shuffle(out)
    return out


def _common(d: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": d["id"],
        "prompt": d["prompt"],
        "explanation": d["explanation"],
        "references": tuple(d["references"]),
        "objective": d.get("objective"),
        "difficulty": d.get("difficulty"),
        "tags": tuple(d.get("tags", ())),
        "section": d.get("section"),
    }


def question_from_dict(d: dict[str, Any]) -> Question:
    """Build a model from a bank entry that has already passed validation."""
    qtype = d["type"]
    common = _common(d)
    if qtype in ("single_choice", "multiple_select"):
        options = tuple(Option(o["id"], o["text"], o.get("feedback", "")) for o in d["options"])
        if qtype == "single_choice":
            return SingleChoice(**common, options=options, answer=d["answer"])
        return MultipleSelect(**common, options=options, answers=frozenset(d["answers"]))
    if qtype == "true_false":
        fb = d.get("feedback", {})
        return TrueFalse(**common, answer=d["answer"], feedback_true=fb.get("true", ""), feedback_false=fb.get("false", ""))
    if qtype == "ordering":
        return Ordering(**common, items=tuple(Item(i["id"], i["text"]) for i in d["items"]))
    if qtype == "matching":
        pairs = tuple(Pair(p["id"], p["left"], p["right"]) for p in d["pairs"])
        return Matching(**common, pairs=pairs, distractors=tuple(d.get("distractors", ())))
    if qtype == "numeric":
        return Numeric(**common, answer=float(d["answer"]), tolerance=float(d["tolerance"]), unit=d["unit"])
    if qtype == "image_label":
        markers = tuple(Marker(int(m["number"]), m["label"]) for m in d["markers"])
        return ImageLabel(**common, figure=d["figure"], markers=markers, distractors=tuple(d.get("distractors", ())))
    if qtype == "case":
        return Case(**common, vignette=d["vignette"], questions=tuple(question_from_dict(q) for q in d["questions"]))
    raise ValueError(f"unknown question type {qtype!r}")
