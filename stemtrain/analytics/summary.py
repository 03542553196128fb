"""Class results: who has completed and passed which module, how scores spread, and which modules are hard.

Completion and passing read every attempt: a learner passes a module when they have answered all its items
and their best attempts reach the pass mark (Moodle's default grading method, "highest grade"). First-attempt
scores are shown beside them, because they say what learners knew before feedback. A module's scores are
shares of the points of the items the learner answered, so an unanswered item is "not yet", never "wrong".
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Any

import numpy as np

from .matrix import AnswerRecord, Answers, ItemInfo, score_matrix

__all__ = ["ClassSummary", "ModuleDifficulty", "ModuleResult", "summarise"]


@dataclass(frozen=True)
class ModuleResult:
    """One learner in one module. Scores are 0..1 shares; None when nothing was answered."""

    learner: str
    module: str
    items: int
    answered: int
    complete: bool
    first_score: float | None
    best_score: float | None
    passed: bool


@dataclass(frozen=True)
class ModuleDifficulty:
    """How a module went for the class; ``facility`` is the share of points won on first attempts."""

    module: str
    items: int
    learners_started: int
    learners_complete: int
    learners_passed: int
    facility: float | None
    mean_best_score: float | None

    @property
    def pass_rate(self) -> float | None:
        """Passed among those who started (not the whole class: some may not have reached the module yet)."""
        return self.learners_passed / self.learners_started if self.learners_started else None


@dataclass(frozen=True)
class ClassSummary:
    """Completion and pass table (learner-major, modules in course order), score distribution, module difficulty."""

    learners: tuple[str, ...]
    modules: tuple[str, ...]
    pass_mark: float
    results: tuple[ModuleResult, ...]
    scores: tuple[float | None, ...]
    difficulty: tuple[ModuleDifficulty, ...]
    warnings: tuple[str, ...] = ()

    @cached_property
    def _row(self) -> dict[str, int]:
        return {name: i for i, name in enumerate(self.learners)}

    def result(self, learner: str, module: str) -> ModuleResult:
        return self.results[self._row[learner] * len(self.modules) + self.modules.index(module)]

    def modules_passed(self, learner: str) -> int:
        i = self._row[learner] * len(self.modules)
        return sum(r.passed for r in self.results[i : i + len(self.modules)])

    def distribution(self, bins: int = 10) -> tuple[np.ndarray, np.ndarray]:
        """Learners per band of overall first-attempt score (0..1), for the histogram."""
        values = np.array([s for s in self.scores if s is not None], dtype=float)
        return np.histogram(values, bins=bins, range=(0.0, 1.0))

    def learner_rows(self) -> list[dict[str, Any]]:
        """Rows of ``learners.csv``: one per learner and module."""
        return [
            {
                "learner": r.learner,
                "module": r.module,
                "items": r.items,
                "answered": r.answered,
                "complete": r.complete,
                "first_attempt_score": r.first_score,
                "best_score": r.best_score,
                "passed": r.passed,
            }
            for r in self.results
        ]

    def module_rows(self) -> list[dict[str, Any]]:
        """Rows of ``modules.csv``: one per module."""
        return [
            {
                "module": d.module,
                "items": d.items,
                "learners_started": d.learners_started,
                "learners_complete": d.learners_complete,
                "learners_passed": d.learners_passed,
                "pass_rate": d.pass_rate,
                "first_attempt_facility": d.facility,
                "mean_best_score": d.mean_best_score,
            }
            for d in self.difficulty
        ]


def _share(points: np.ndarray, possible: np.ndarray) -> np.ndarray:
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(possible > 0, points / possible, np.nan)


def _opt(v: float) -> float | None:
    return None if np.isnan(v) else float(v)


def _as_list(a: np.ndarray) -> list[Any]:
    """Nested lists of Python floats, None where NaN (element access on numpy arrays is slow)."""
    out: list[Any] = np.where(np.isnan(a), None, a).tolist()  # type: ignore[call-overload]  # numpy's stubs lack object where
    return out


def summarise(
    records: Iterable[AnswerRecord] | Answers,
    modules: Sequence[str],
    items: Mapping[str, ItemInfo],
    pass_mark: float = 0.8,
) -> ClassSummary:
    """Completion, pass and scores per learner and module, with whole arrays (no per-learner loops)."""
    if not 0 <= pass_mark <= 1:
        raise ValueError(f"pass_mark is a share between 0 and 1, not {pass_mark!r}")
    answers = Answers.from_records(records)
    first = score_matrix(answers, items, which="first", modules=modules)
    best = score_matrix(answers, items, which="best", modules=modules)
    warnings = list(first.warnings)
    extra = [m for m in dict.fromkeys(items[q].module for q in first.item_ids) if m not in modules]
    if extra:
        warnings.append(f"Modules not in the course list were added at the end: {', '.join(extra)}.")
    mods = tuple(modules) + tuple(extra)
    rank = {m: j for j, m in enumerate(mods)}
    onehot = np.zeros((len(first.item_ids), len(mods)))
    onehot[np.arange(len(first.item_ids)), [rank[items[q].module] for q in first.item_ids]] = 1.0

    answered_cells = (~np.isnan(best.scores)).astype(float)
    possible = (answered_cells * best.max_scores) @ onehot  # learners x modules
    first_points = np.nan_to_num(first.scores) @ onehot
    best_points = np.nan_to_num(best.scores) @ onehot
    answered = (answered_cells @ onehot).astype(int)
    n_items = onehot.sum(0).astype(int)
    complete = (answered == n_items) & (n_items > 0)
    first_share, best_share = _share(first_points, possible), _share(best_points, possible)
    passed = complete & (np.nan_to_num(best_share) >= pass_mark - 1e-12)
    overall = _share(first_points.sum(1), possible.sum(1))

    learners, results = answers.learners, list[ModuleResult]()
    cols = (answered.tolist(), complete.tolist(), _as_list(first_share), _as_list(best_share), passed.tolist())
    sizes = n_items.tolist()
    for learner, *row in zip(learners, *cols, strict=False):  # building the result objects (plain Python values), not computing
        results.extend(ModuleResult(learner, m, k, *cell) for m, k, *cell in zip(mods, sizes, *row, strict=False))
    started = answered > 0
    difficulty = tuple(
        ModuleDifficulty(
            module=module,
            items=int(n_items[j]),
            learners_started=int(started[:, j].sum()),
            learners_complete=int(complete[:, j].sum()),
            learners_passed=int(passed[:, j].sum()),
            facility=_opt(float(_share(first_points[:, j].sum(), possible[:, j].sum()))),
            mean_best_score=_opt(np.nanmean(best_share[:, j])) if started[:, j].any() else None,
        )
        for j, module in enumerate(mods)
    )
    return ClassSummary(
        learners=learners,
        modules=mods,
        pass_mark=pass_mark,
        results=tuple(results),
        scores=tuple(_as_list(overall)),
        difficulty=difficulty,
        warnings=tuple(warnings),
    )
