"""Grading: ``grade(question, key, response) -> Result``, one small pure function per question type.

A malformed response (wrong type, unknown option, incomplete ordering) raises ``ResponseError``
with a message naming the question and what was expected; it is never silently scored zero.
The result carries everything a view shows after a check (verdict, feedback, explanation), so a
view needs a checker, never the key.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, replace
from typing import Any

from .model import (
    AssignmentKey,
    Case,
    CaseKey,
    ChoiceKey,
    ImageLabel,
    Key,
    Matching,
    MultipleKey,
    MultipleSelect,
    Numeric,
    NumericKey,
    Ordering,
    OrderingKey,
    Question,
    SingleChoice,
    TrueFalse,
    TrueFalseKey,
)

__all__ = ["PARTIAL_CREDIT_RULE", "Checker", "ResponseError", "Result", "case_result", "grade", "local_checker"]

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
    explanation: str = ""
    references: tuple[str, ...] = ()
    max_score: float = 1.0

    @property
    def verdict(self) -> str:
        """Right, partly right or not right, in words (never colour alone)."""
        if self.correct:
            return "Correct"
        if self.score > 0:
            return "Partly correct"
        return "Not correct"


Checker = Callable[[Question, Any], Result]
"""Grades a response to a public question: what a view is given instead of the key."""


def _fail(question: Question, expected: str, got: Any) -> ResponseError:
    shown = repr(got)
    if len(shown) > 200:
        shown = shown[:200] + "…"
    return ResponseError(f"question {question.id!r} ({question.type}): expected {expected}, got {shown}")


def _result(q: Question, k: Key, correct: bool, score: float, response: Any, *, feedback: Iterable[tuple[str, str]] = ()) -> Result:
    return Result(q.id, q.type, correct, score, response, tuple(feedback), (), k.explanation, q.references)


def _grade_single(q: SingleChoice, k: ChoiceKey, response: Any) -> Result:
    ids = [o.id for o in q.options]
    if not isinstance(response, str) or response not in ids:
        raise _fail(q, f"one option id of {ids}", response)
    option = next(o for o in q.options if o.id == response)
    ok = response == k.answer
    note = k.feedback_for(response)
    return _result(q, k, ok, 1.0 if ok else 0.0, response, feedback=[(option.text, note)] if note else [])


def _grade_multiple(q: MultipleSelect, k: MultipleKey, response: Any) -> Result:
    ids = [o.id for o in q.options]
    if isinstance(response, (str, bytes, Mapping)) or not isinstance(response, Iterable):
        raise _fail(q, f"a collection of option ids from {ids}", response)
    picked = list(response)
    if any(not isinstance(p, str) or p not in ids for p in picked) or len(set(picked)) != len(picked):
        raise _fail(q, f"distinct option ids from {ids}", response)
    chosen = set(picked)
    right = len(chosen & k.answers)
    wrong = len(chosen - k.answers)
    score = max(0.0, (right - wrong) / len(k.answers))
    feedback = []
    for o in q.options:
        note = k.feedback_for(o.id)
        if o.id in chosen and note:
            feedback.append((o.text, note))
        elif o.id in k.answers and o.id not in chosen:
            feedback.append((o.text, note or "This one also applies."))
    ok = chosen == k.answers
    return _result(q, k, ok, 1.0 if ok else round(score, 4), sorted(chosen, key=ids.index), feedback=feedback)


def _grade_true_false(q: TrueFalse, k: TrueFalseKey, response: Any) -> Result:
    if not isinstance(response, bool):
        raise _fail(q, "True or False", response)
    ok = response == k.answer
    note = k.feedback_for("true" if response else "false")
    label = "True" if response else "False"
    return _result(q, k, ok, 1.0 if ok else 0.0, response, feedback=[(label, note)] if note else [])


def _grade_ordering(q: Ordering, k: OrderingKey, response: Any) -> Result:
    ids = list(k.order)
    if isinstance(response, (str, bytes, Mapping)) or not isinstance(response, Iterable):
        raise _fail(q, f"a sequence of all item ids {sorted(ids)}", response)
    order = list(response)
    if any(not isinstance(x, str) for x in order) or sorted(order) != sorted(ids):
        raise _fail(q, f"each item id of {sorted(ids)} exactly once", response)
    in_place = sum(1 for a, b in zip(order, ids, strict=False) if a == b)
    text = {i.id: i.text for i in q.items}
    feedback = (
        (f"Step {n}: {text[got]}", "in the right place" if got == want else f"should be: {text[want]}")
        for n, (got, want) in enumerate(zip(order, ids, strict=False), start=1)
    )
    ok = in_place == len(ids)
    return _result(q, k, ok, round(in_place / len(ids), 4), order, feedback=feedback)


def _grade_assignment(q: Matching | ImageLabel, k: AssignmentKey, response: Any) -> Result:
    """Matching and image labelling alike: each key (left id or marker number) takes one choice."""
    if isinstance(q, Matching):
        labels = {o.id: o.text for o in q.lefts}
        what, right, wrong = "left id", "matched correctly", "belongs with: {}"
    else:
        labels = {str(m): f"Structure {m}" for m in q.markers}
        what, right, wrong = "marker number", "labelled correctly", "this is the {}"
    choices = {o.id: o.text for o in q.choices}
    ids = [left for left, _ in k.matches]
    if not isinstance(response, Mapping) or set(map(str, response)) != set(ids):
        raise _fail(q, f"a mapping from every {what} {ids} to a choice id", response)
    answer = {str(key): value for key, value in response.items()}
    if any(not isinstance(v, str) or v not in choices for v in answer.values()):
        raise _fail(q, f"choice ids from {sorted(choices)}", response)
    count = sum(1 for left, want in k.matches if answer[left] == want)
    feedback = ((labels[left], right if answer[left] == want else wrong.format(choices[want])) for left, want in k.matches)
    return _result(q, k, count == len(ids), round(count / len(ids), 4), {left: answer[left] for left in ids}, feedback=feedback)


def _grade_numeric(q: Numeric, k: NumericKey, response: Any) -> Result:
    if isinstance(response, bool) or not isinstance(response, (int, float)) or not math.isfinite(response):
        raise _fail(q, f"a finite number (in {q.unit or 'no unit'})", response)
    ok = abs(float(response) - k.answer) <= k.tolerance + 1e-12
    unit = f" {q.unit}" if q.unit else ""
    note = f"The accepted answer is {k.answer:g}{unit} (± {k.tolerance:g}{unit})."
    return _result(q, k, ok, 1.0 if ok else 0.0, float(response), feedback=[(f"{float(response):g}{unit}", note)])


def _grade_case(q: Case, k: CaseKey, response: Any) -> Result:
    ids = [s.id for s in q.questions]
    if not isinstance(response, Mapping) or set(response) != set(ids):
        raise _fail(q, f"a mapping from each linked question id {ids} to its response", response)
    parts = tuple(grade(s, sk, response[s.id]) for s, sk in zip(q.questions, k.parts, strict=False))
    return replace(case_result(q, parts), explanation=k.explanation)


_GRADERS: dict[type, tuple[type, Callable[[Any, Any, Any], Result]]] = {
    SingleChoice: (ChoiceKey, _grade_single),
    MultipleSelect: (MultipleKey, _grade_multiple),
    TrueFalse: (TrueFalseKey, _grade_true_false),
    Ordering: (OrderingKey, _grade_ordering),
    Matching: (AssignmentKey, _grade_assignment),
    Numeric: (NumericKey, _grade_numeric),
    ImageLabel: (AssignmentKey, _grade_assignment),
    Case: (CaseKey, _grade_case),
}


def grade(question: Question, key: Key, response: Any) -> Result:
    """Grade one response; raises ResponseError when the response does not fit the question."""
    try:
        key_type, grader = _GRADERS[type(question)]
    except KeyError:
        raise TypeError(f"no grader for {type(question).__name__}") from None
    if not isinstance(key, key_type) or key.question_id != question.id:
        raise TypeError(f"the key given for {question.id!r} is {type(key).__name__} of {key.question_id!r}")
    return grader(question, key, response)


def local_checker(keys: Mapping[str, Key]) -> Checker:
    """A checker that grades in this process with the given keys (practice quizzes in the learner's kernel)."""

    def check(question: Question, response: Any) -> Result:
        try:
            key = keys[question.id]
        except KeyError:
            raise KeyError(f"no key for question {question.id!r}") from None
        return grade(question, key, response)

    return check


def case_result(question: Case, parts: Iterable[Result]) -> Result:
    """A case's combined result from its parts' results (each part was checked on its own)."""
    done = tuple(parts)
    if [p.question_id for p in done] != [s.id for s in question.questions]:
        raise ResponseError(f"case {question.id!r}: needs one result per part, in order")
    score = round(sum(p.score for p in done) / len(done), 4)
    responses = {p.question_id: p.response for p in done}
    return Result(question.id, question.type, all(p.correct for p in done), score, responses, (), done, "", question.references)
