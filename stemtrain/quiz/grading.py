"""Grading: ``grade(question, response) -> Result``, one small pure function per question type.

A malformed response (wrong type, unknown option, incomplete ordering) raises ``ResponseError``
with a message naming the question and what was expected; it is never silently scored zero.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Callable

from .model import Case, ImageLabel, Matching, MultipleSelect, Numeric, Ordering, Question, SingleChoice, TrueFalse

__all__ = ["Result", "ResponseError", "grade", "PARTIAL_CREDIT_RULE"]

PARTIAL_CREDIT_RULE = (
    "Each right pick earns a share of the mark and each wrong pick takes one share away (never below zero). "
    "Full marks need exactly the right set."
)


class ResponseError(ValueError):
    """A response that does not fit its question: a bug in the caller, not a wrong answer."""


@dataclass(frozen=True)
class Result:
    """The outcome of one graded answer: what records, views and analytics need."""

    question_id: str
    question_type: str
    correct: bool
    score: float
    response: Any
    feedback: tuple[tuple[str, str], ...] = ()
    parts: tuple[Result, ...] = ()

    @property
    def verdict(self) -> str:
        """Right, partly right or not right, in words (never colour alone)."""
        if self.correct:
            return "Correct"
        if self.score > 0:
            return "Partly correct"
        return "Not correct"


def _fail(question: Question, expected: str, got: Any) -> ResponseError:
    return ResponseError(f"question {question.id!r} ({question.type}): expected {expected}, got {got!r}")


def _grade_single(q: SingleChoice, response: Any) -> Result:
    ids = [o.id for o in q.options]
    if not isinstance(response, str) or response not in ids:
        raise _fail(q, f"one option id of {ids}", response)
    option = next(o for o in q.options if o.id == response)
    ok = response == q.answer
    return Result(q.id, q.type, ok, 1.0 if ok else 0.0, response, ((option.text, option.feedback),) if option.feedback else ())


def _grade_multiple(q: MultipleSelect, response: Any) -> Result:
    ids = [o.id for o in q.options]
    if isinstance(response, (str, bytes)) or not isinstance(response, Iterable):
        raise _fail(q, f"a collection of option ids from {ids}", response)
    picked = list(response)
    if any(not isinstance(p, str) or p not in ids for p in picked) or len(set(picked)) != len(picked):
        raise _fail(q, f"distinct option ids from {ids}", response)
    chosen = set(picked)
    right = len(chosen & q.answers)
    wrong = len(chosen - q.answers)
    score = max(0.0, (right - wrong) / len(q.answers))
    feedback = []
    for o in q.options:
        if o.id in chosen and o.feedback:
            feedback.append((o.text, o.feedback))
        elif o.id in q.answers and o.id not in chosen:
            feedback.append((o.text, o.feedback or "This one also applies."))
    ok = chosen == q.answers
    return Result(q.id, q.type, ok, 1.0 if ok else round(score, 4), sorted(chosen, key=ids.index), tuple(feedback))


def _grade_true_false(q: TrueFalse, response: Any) -> Result:
    if not isinstance(response, bool):
        raise _fail(q, "True or False", response)
    ok = response == q.answer
    text = q.feedback_true if response else q.feedback_false
    label = "True" if response else "False"
    return Result(q.id, q.type, ok, 1.0 if ok else 0.0, response, ((label, text),) if text else ())


def _grade_ordering(q: Ordering, response: Any) -> Result:
    ids = [i.id for i in q.items]
    if isinstance(response, (str, bytes)) or not isinstance(response, Iterable):
        raise _fail(q, f"a sequence of all item ids {sorted(ids)}", response)
    order = list(response)
    if sorted(map(str, order)) != sorted(ids) or any(not isinstance(x, str) for x in order):
        raise _fail(q, f"each item id of {sorted(ids)} exactly once", response)
    in_place = sum(1 for a, b in zip(order, ids) if a == b)
    text = {i.id: i.text for i in q.items}
    feedback = tuple(
        (f"Step {n}: {text[got]}", "in the right place" if got == want else f"should be: {text[want]}")
        for n, (got, want) in enumerate(zip(order, ids), start=1)
    )
    ok = in_place == len(ids)
    return Result(q.id, q.type, ok, round(in_place / len(ids), 4), order, feedback)


def _grade_assignment(
    q: Question, response: Any, keys: list[tuple[str, str, str]], choices: dict[str, str], what: str, right: str, wrong: str
) -> Result:
    """Matching and image labelling alike: each key gets one choice; a key is right when its choice is its own id.

    ``keys`` holds (id, label shown in feedback, the right choice's text).
    """
    ids = [k for k, _, _ in keys]
    if not isinstance(response, Mapping) or set(map(str, response)) != set(ids):
        raise _fail(q, f"a mapping from every {what} {ids} to a choice id", response)
    answer = {str(k): v for k, v in response.items()}
    if any(v not in choices for v in answer.values()):
        raise _fail(q, f"choice ids from {sorted(choices)}", response)
    count = sum(1 for k in ids if answer[k] == k)
    feedback = tuple((label, right if answer[k] == k else wrong.format(text)) for k, label, text in keys)
    return Result(q.id, q.type, count == len(ids), round(count / len(ids), 4), {k: answer[k] for k in ids}, feedback)


def _grade_matching(q: Matching, response: Any) -> Result:
    keys = [(p.id, p.left, p.right) for p in q.pairs]
    return _grade_assignment(q, response, keys, dict(q.right_choices()), "left id", "matched correctly", "belongs with: {}")


def _grade_image_label(q: ImageLabel, response: Any) -> Result:
    keys = [(m.id, f"Structure {m.number}", m.label) for m in q.markers]
    return _grade_assignment(q, response, keys, dict(q.label_choices()), "marker number", "labelled correctly", "this is the {}")


def _grade_numeric(q: Numeric, response: Any) -> Result:
    if isinstance(response, bool) or not isinstance(response, (int, float)) or not math.isfinite(response):
        raise _fail(q, f"a finite number (in {q.unit or 'no unit'})", response)
    ok = abs(float(response) - q.answer) <= q.tolerance + 1e-12
    unit = f" {q.unit}" if q.unit else ""
    note = f"The accepted answer is {q.answer:g}{unit} (± {q.tolerance:g}{unit})."
    return Result(q.id, q.type, ok, 1.0 if ok else 0.0, float(response), ((f"{float(response):g}{unit}", note),))


def _grade_case(q: Case, response: Any) -> Result:
    ids = [s.id for s in q.questions]
    if not isinstance(response, Mapping) or set(response) != set(ids):
        raise _fail(q, f"a mapping from each linked question id {ids} to its response", response)
    parts = tuple(grade(s, response[s.id]) for s in q.questions)
    score = round(sum(p.score for p in parts) / len(parts), 4)
    ok = all(p.correct for p in parts)
    return Result(q.id, q.type, ok, score, {p.question_id: p.response for p in parts}, (), parts)


_GRADERS: dict[type, Callable[[Any, Any], Result]] = {
    SingleChoice: _grade_single,
    MultipleSelect: _grade_multiple,
    TrueFalse: _grade_true_false,
    Ordering: _grade_ordering,
    Matching: _grade_matching,
    Numeric: _grade_numeric,
    ImageLabel: _grade_image_label,
    Case: _grade_case,
}


def grade(question: Question, response: Any) -> Result:
    """Grade one response; raises ResponseError when the response does not fit the question."""
    try:
        grader = _GRADERS[type(question)]
    except KeyError:
        raise TypeError(f"no grader for {type(question).__name__}") from None
    return grader(question, response)
