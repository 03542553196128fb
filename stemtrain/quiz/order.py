"""The order options and steps are shown in: seeded, stable, and never giving an answer away. Stdlib only."""

from __future__ import annotations

import random
from collections.abc import Sequence
from typing import TypeVar

__all__ = ["shown_order", "shuffled"]

T = TypeVar("T")


def shuffled(items: Sequence[T], question_id: str, seed: int = 0) -> list[T]:
    """A stable shuffle keyed on the question id, so a notebook shows the same order on every run.

    A string seed is hashed with SHA-512 by ``random``, so the order does not depend on PYTHONHASHSEED.
    """
    out = list(items)
    random.Random(f"stemtrain:{seed}:{question_id}").shuffle(out)
    return out


def shown_order(items: Sequence[T], question_id: str, seed: int = 0) -> list[T]:
    """The order to show steps whose correct order is ``items``: shuffled, but never the correct order, never its
    exact reverse, and with at most a third of the steps in their right place (so the display gives nothing away)."""
    listed = list(items)
    backwards = listed[::-1]
    for attempt in range(50):
        candidate = shuffled(listed, question_id if attempt == 0 else f"{question_id}#{attempt}", seed)
        in_place = sum(a == b for a, b in zip(candidate, listed, strict=True))
        if candidate != backwards and in_place <= len(listed) // 3:
            return candidate
    return listed[1:] + listed[:1]  # every step one place off: reached only by lists of two
