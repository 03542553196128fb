"""What the item analysis returns: per-item and whole-test statistics, and the rows of the report's CSV files."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from .distractors import OptionStats
from .flags import MIN_LEARNERS, Flag

__all__ = ["ItemAnalysis", "ItemStats", "OverallStats"]


@dataclass(frozen=True)
class ItemStats:
    """One item's statistics. Shares are 0..1 (Moodle shows them as %); None where a value is undefined."""

    question_id: str
    module: str
    parent_id: str | None
    type: str
    prompt: str
    n: int
    max_score: float
    facility: float | None
    sd: float | None
    discrimination: float | None
    efficiency: float | None
    effective_weight: float | None
    flags: tuple[Flag, ...] = ()
    options: tuple[OptionStats, ...] = ()
    unmatched: int = 0


@dataclass(frozen=True)
class OverallStats:
    """Whole-test statistics over the learners who answered every analysed item (``complete``); scores in points."""

    learners: int
    complete: int
    items: int
    max_score: float
    mean: float | None
    median: float | None
    sd: float | None
    skewness: float | None
    kurtosis: float | None
    alpha: float | None
    error_ratio: float | None
    standard_error: float | None


@dataclass(frozen=True)
class ItemAnalysis:
    """Per-item and test-level results; ``cases`` maps each case to its parts, in display order.

    ``test`` treats every analysed item as one test (the rest score then draws on the whole course);
    ``modules`` holds the same statistics for each module's quiz on its own, as Moodle reports one quiz.
    """

    items: tuple[ItemStats, ...]
    test: OverallStats
    cases: Mapping[str, tuple[str, ...]]
    warnings: tuple[str, ...]
    min_learners: int = MIN_LEARNERS
    modules: Mapping[str, OverallStats] = field(default_factory=dict)

    def item(self, question_id: str) -> ItemStats:
        return next(s for s in self.items if s.question_id == question_id)

    def flagged(self) -> tuple[ItemStats, ...]:
        return tuple(s for s in self.items if any(f.code != "few_learners" for f in s.flags))

    def as_rows(self) -> list[dict[str, Any]]:
        """One row per item for ``items.csv`` (columns documented in ``csvfiles.CSV_COLUMNS``)."""
        return [
            {
                "question_id": s.question_id,
                "case_id": s.parent_id or "",
                "module": s.module,
                "type": s.type,
                "prompt": s.prompt,
                "learners": s.n,
                "max_score": s.max_score,
                "facility": s.facility,
                "sd": s.sd,
                "discrimination": s.discrimination,
                "efficiency": s.efficiency,
                "effective_weight": s.effective_weight,
                "flags": ";".join(f.code for f in s.flags),
                "notes": " | ".join(f.note for f in s.flags),
            }
            for s in self.items
        ]

    def distractor_rows(self) -> list[dict[str, Any]]:
        """One row per option of every choice item, for ``distractors.csv``."""
        return [
            {
                "question_id": s.question_id,
                "case_id": s.parent_id or "",
                "module": s.module,
                "option_id": o.option_id,
                "option_text": o.text,
                "correct": o.correct,
                "learners": s.n,
                "count": o.count,
                "share": o.share,
                "note": o.note,
            }
            for s in self.items
            for o in s.options
        ]
