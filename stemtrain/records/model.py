"""The one record of a checked answer, shared by the store, resume, exports, analytics and the class service."""

from __future__ import annotations

import datetime as dt
import math
import uuid
from dataclasses import dataclass, field, replace
from typing import Any

__all__ = ["MODES", "Attempt", "utc_now"]

MODES = ("notebook", "course", "class", "assessment", "import", "")
"""Where an answer was given: JupyterLab, Voilà course mode, a class service session, the final assessment,
an import from another store; empty when unknown."""


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


def _new_event_id() -> str:
    return uuid.uuid4().hex


@dataclass(frozen=True, kw_only=True)
class Attempt:
    """One checked answer. ``attempt`` is 0 until a store numbers it (1, 2, … per learner, module and question).

    ``event_id`` makes saving idempotent: a store keeps an event once, however often it is sent.
    ``parent_id`` is the case a case part belongs to, so analytics can regroup the parts.
    """

    learner: str
    module: str
    question_id: str
    response: Any
    correct: bool
    score: float
    max_score: float = 1.0
    parent_id: str | None = None
    attempt: int = 0
    content_hash: str = ""
    mode: str = ""
    answered_at: dt.datetime = field(default_factory=utc_now)
    saved_at: dt.datetime | None = None
    event_id: str = field(default_factory=_new_event_id)

    def __post_init__(self) -> None:
        for name in ("learner", "module", "question_id"):
            value = getattr(self, name)
            if not isinstance(value, str) or not value:
                raise ValueError(f"Attempt.{name} must be a non-empty string, got {value!r}")
        for name in ("score", "max_score"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
                raise ValueError(f"Attempt.{name} must be a finite number, got {value!r}")
        if not 0 <= self.score <= self.max_score:
            raise ValueError(f"Attempt.score {self.score!r} is outside 0..{self.max_score!r}")
        if not isinstance(self.attempt, int) or self.attempt < 0:
            raise ValueError(f"Attempt.attempt must be a whole number ≥ 0, got {self.attempt!r}")
        for name in ("answered_at", "saved_at"):
            value = getattr(self, name)
            if value is not None and (not isinstance(value, dt.datetime) or value.tzinfo is None):
                raise ValueError(f"Attempt.{name} must be a timezone-aware datetime, got {value!r}")
        if self.mode not in MODES:
            raise ValueError(f"Attempt.mode must be one of {MODES}, got {self.mode!r}")

    def numbered(self, attempt: int, saved_at: dt.datetime | None = None) -> Attempt:
        """The same answer with the number and save time a store gave it."""
        return replace(self, attempt=attempt, saved_at=saved_at or utc_now())
