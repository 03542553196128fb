"""What a learner's page is given of an attempt, and the interface it takes the assessment through.

A page never holds a key: it gets the public items (prompt, options in their seeded order), the responses
kept so far, the deadline and the service's time when it answered (so a countdown needs no trust in the
learner's clock), and, once the form is submitted, the result. ``Examiner`` is the one interface: the class
service's client (``client.ServiceExaminer``) and the self-study runner (``local.LocalExaminer``) both provide it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

from .result import AssessmentResult

__all__ = ["AssessmentError", "AttemptForm", "Examiner", "Overview", "PublicItem"]


class AssessmentError(RuntimeError):
    """The assessment refused or could not do something; ``kind`` says what the page should do next.

    ``closed``: the attempt is over (submitted or out of time): show its result. ``refused``: not allowed
    (no attempts left, already passed). ``invalid``: a bad response. ``unavailable``: try again shortly.
    ``missing``: no assessment is set up here.
    """

    def __init__(self, message: str, *, kind: str, field: str = "") -> None:
        super().__init__(message)
        self.kind = kind
        self.field = field


def _time(text: Any) -> dt.datetime | None:
    if not text:
        return None
    value = dt.datetime.fromisoformat(str(text).replace("Z", "+00:00"))
    return value if value.tzinfo else value.replace(tzinfo=dt.timezone.utc)


@dataclass(frozen=True)
class PublicItem:
    """One item as shown: no answer, no feedback, no explanation."""

    id: str
    module: str
    objective: int
    type: str
    prompt: str
    options: tuple[tuple[str, str], ...] = ()

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> PublicItem:
        options = tuple((str(o["id"]), str(o["text"])) for o in data.get("options") or ())
        return cls(str(data["id"]), str(data["module"]), int(data.get("objective") or 0), str(data["type"]), str(data["prompt"]), options)


@dataclass(frozen=True)
class Overview:
    """What a learner may know before starting: the rules, how many attempts are used, any attempt under way."""

    blueprint_id: str
    title: str
    questions: int
    pass_mark: float
    max_attempts: int
    time_limit_minutes: int | None
    mode: str
    attempts_used: int
    passed: bool
    in_progress: int | None
    last_result: AssessmentResult | None = None
    last_attempt: int | None = None

    @property
    def attempts_left(self) -> int:
        return max(0, self.max_attempts - self.attempts_used)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Overview:
        blueprint = data["blueprint"]
        last = data.get("last_result")
        return cls(
            blueprint_id=str(blueprint["id"]),
            title=str(blueprint["title"]),
            questions=int(blueprint["questions"]),
            pass_mark=float(blueprint["pass_mark"]),
            max_attempts=int(blueprint["max_attempts"]),
            time_limit_minutes=blueprint.get("time_limit_minutes"),
            mode=str(data["mode"]),
            attempts_used=int(data["attempts_used"]),
            passed=bool(data["passed"]),
            in_progress=data.get("in_progress"),
            last_result=AssessmentResult.from_dict(last) if last else None,
            last_attempt=data.get("last_attempt"),
        )


@dataclass(frozen=True)
class AttemptForm:
    """One attempt as its page shows it."""

    id: int
    number: int
    max_attempts: int
    mode: str
    items: tuple[PublicItem, ...]
    responses: Mapping[str, Any] = field(default_factory=dict)
    started_at: dt.datetime | None = None
    deadline: dt.datetime | None = None
    now: dt.datetime | None = None
    result: AssessmentResult | None = None

    @property
    def submitted(self) -> bool:
        return self.result is not None

    def seconds_left(self) -> float | None:
        """Time left by the examiner's clock when it answered (None: no time limit)."""
        if self.deadline is None or self.now is None:
            return None
        return max(0.0, (self.deadline - self.now).total_seconds())

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> AttemptForm:
        result = data.get("result")
        return cls(
            id=int(data["id"]),
            number=int(data["number"]),
            max_attempts=int(data["max_attempts"]),
            mode=str(data["mode"]),
            items=tuple(PublicItem.from_dict(i) for i in data["items"]),
            responses=dict(data.get("responses") or {}),
            started_at=_time(data.get("started_at")),
            deadline=_time(data.get("deadline")),
            now=_time(data.get("now")),
            result=AssessmentResult.from_dict(result) if result else None,
        )


class Examiner(Protocol):
    """Takes one learner through the assessment; whoever implements it holds (or asks) the keys, never the page."""

    mode: str

    def overview(self) -> Overview: ...

    def start(self) -> AttemptForm:
        """The attempt under way, or a new one (raises ``AssessmentError(kind="refused")`` when none may start)."""
        ...

    def save(self, attempt_id: int, question_id: str, response: Any) -> None:
        """Keep one response at once (``None`` clears it)."""
        ...

    def submit(self, attempt_id: int) -> AttemptForm:
        """Hand the form in; the returned form carries the result."""
        ...

    def form(self, attempt_id: int) -> AttemptForm: ...

    def certificate(self, attempt_id: int) -> bytes:
        """The PDF for a passed attempt."""
        ...
