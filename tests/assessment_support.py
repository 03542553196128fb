"""Responses to pool items made from their keys, for tests that need a right or a wrong form (tests may read keys)."""

from __future__ import annotations

from typing import Any

from stemtrain.assessment.pool import Pool
from stemtrain.quiz.model import MultipleKey, TrueFalseKey

__all__ = ["right", "wrong"]


def right(pool: Pool, qid: str) -> Any:
    """The response the key marks right."""
    key = pool.key(qid)
    if isinstance(key, MultipleKey):
        return sorted(key.answers)
    return key.answer  # type: ignore[attr-defined]


def wrong(pool: Pool, qid: str) -> Any:
    """A response that scores 0."""
    key, item = pool.key(qid), pool.item(qid)
    if isinstance(key, TrueFalseKey):
        return not key.answer
    ids = [o.id for o in item.options]  # type: ignore[attr-defined]
    if isinstance(key, MultipleKey):
        return [i for i in ids if i not in key.answers]
    return next(i for i in ids if i != key.answer)  # type: ignore[attr-defined]
