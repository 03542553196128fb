"""Scoring a submitted form with the pool's keys, over the course's own pure grading (``quiz.grading.grade``).

A response is checked for shape when it is saved (no key is needed to see that an option id exists), so a
submitted form holds only gradeable responses; an item left unanswered scores 0. Multiple select keeps the
course's partial credit. Only the process holding the keys calls ``score_items``: the class service, or a
self-study learner's own kernel.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from ..quiz.grading import ResponseError, grade
from .pool import Pool

__all__ = ["ItemScore", "response_problem", "score_items"]


@dataclass(frozen=True)
class ItemScore:
    """One item's score (0 to 1) and what it checks."""

    question_id: str
    module: str
    objective: int
    score: float
    answered: bool


def response_problem(item: Mapping[str, Any], response: Any) -> str | None:
    """Why ``response`` cannot answer the public ``item`` (None: it can; a ``None`` response clears the answer)."""
    if response is None:
        return None
    ids = [o["id"] for o in item.get("options", [])]
    kind = item.get("type")
    if kind == "true_false":
        return None if isinstance(response, bool) else "must be true or false"
    if kind == "single_choice":
        return None if isinstance(response, str) and response in ids else f"must be one option id of {ids}"
    if kind == "multiple_select":
        ok = isinstance(response, list) and all(isinstance(r, str) and r in ids for r in response) and len(set(response)) == len(response)
        return None if ok else f"must be a list of distinct option ids from {ids}"
    return f"items of type {kind!r} cannot be answered here"


def _answered(response: Any) -> bool:
    return response is not None and response != []


def score_items(pool: Pool, items: Sequence[str], responses: Mapping[str, Any]) -> list[ItemScore]:
    """Every item of a form scored from the responses kept for it."""
    out = []
    for qid in items:
        question, module = pool.item(qid), pool.module_of(qid)
        response = responses.get(qid)
        score = 0.0
        if _answered(response):
            try:
                score = grade(question, pool.key(qid), response).score
            except ResponseError:
                score = 0.0  # shape is checked on saving; a pool edited since then cannot make a form fail
        out.append(ItemScore(qid, module, int(question.objective or 0), float(score), _answered(response)))
    return out
