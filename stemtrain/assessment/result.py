"""A submitted form's result: the total, pass or not, one line per objective, and the modules to revisit.

Scores are compared in whole per-mille (integers), so 80 % of 10 items is a pass at exactly 8 and floating
point never decides a pass. An objective is met when its items score at least the pass mark; a module is to
revisit when any of its objectives is not met. A result is plain data: the service sends it as JSON and the
learner's page reads it back with ``from_dict``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from .scoring import ItemScore

__all__ = ["AssessmentResult", "ObjectiveResult", "permille", "summarise"]


def permille(fraction: float) -> int:
    """0 to 1000, rounded half up (0.8 is exactly 800)."""
    return int(fraction * 1000 + 0.5 + 1e-9)


@dataclass(frozen=True)
class ObjectiveResult:
    """How one objective of one module went: points out of its items, and whether that meets the pass mark."""

    module: str
    objective: int
    score: float
    possible: int
    met: bool

    def to_dict(self) -> dict[str, Any]:
        return {"module": self.module, "objective": self.objective, "score": self.score, "possible": self.possible, "met": self.met}


@dataclass(frozen=True)
class AssessmentResult:
    """The result of one submitted attempt."""

    score: float
    passed: bool
    pass_mark: float
    answered: int
    questions: int
    objectives: tuple[ObjectiveResult, ...]
    revisit: tuple[str, ...]
    mode: str
    submitted_at: dt.datetime | None = None
    auto_submitted: bool = False
    certificate_code: str | None = None

    @property
    def score_permille(self) -> int:
        return permille(self.score)

    @property
    def percent(self) -> str:
        """``87.5 %``: as the certificate prints it."""
        value = self.score_permille
        return f"{value // 10}.{value % 10} %"

    def to_dict(self) -> dict[str, Any]:
        return {
            "score": self.score,
            "score_permille": self.score_permille,
            "passed": self.passed,
            "pass_mark": self.pass_mark,
            "answered": self.answered,
            "questions": self.questions,
            "objectives": [o.to_dict() for o in self.objectives],
            "revisit": list(self.revisit),
            "mode": self.mode,
            "submitted_at": self.submitted_at.isoformat() if self.submitted_at else None,
            "auto_submitted": self.auto_submitted,
            "certificate_code": self.certificate_code,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> AssessmentResult:
        when = data.get("submitted_at")
        return cls(
            score=float(data["score"]),
            passed=bool(data["passed"]),
            pass_mark=float(data["pass_mark"]),
            answered=int(data["answered"]),
            questions=int(data["questions"]),
            objectives=tuple(
                ObjectiveResult(str(o["module"]), int(o["objective"]), float(o["score"]), int(o["possible"]), bool(o["met"]))
                for o in data["objectives"]
            ),
            revisit=tuple(str(m) for m in data["revisit"]),
            mode=str(data["mode"]),
            submitted_at=dt.datetime.fromisoformat(str(when).replace("Z", "+00:00")) if when else None,
            auto_submitted=bool(data.get("auto_submitted", False)),
            certificate_code=data.get("certificate_code"),
        )


def summarise(
    scores: Iterable[ItemScore],
    pass_mark: float,
    mode: str,
    *,
    submitted_at: dt.datetime | None = None,
    auto_submitted: bool = False,
    certificate_code: str | None = None,
) -> AssessmentResult:
    """The result of a scored form."""
    items = list(scores)
    cells: dict[tuple[str, int], list[ItemScore]] = {}
    for item in items:
        cells.setdefault((item.module, item.objective), []).append(item)
    mark = permille(pass_mark)
    objectives = []
    for (module, objective), group in sorted(cells.items()):
        points = round(sum(i.score for i in group), 4)
        objectives.append(ObjectiveResult(module, objective, points, len(group), permille(points / len(group)) >= mark))
    total = round(sum(i.score for i in items) / len(items), 6) if items else 0.0
    revisit = tuple(dict.fromkeys(o.module for o in objectives if not o.met))
    return AssessmentResult(
        score=total,
        passed=bool(items) and permille(total) >= mark,
        pass_mark=pass_mark,
        answered=sum(1 for i in items if i.answered),
        questions=len(items),
        objectives=tuple(objectives),
        revisit=revisit,
        mode=mode,
        submitted_at=submitted_at,
        auto_submitted=auto_submitted,
        certificate_code=certificate_code,
    )
