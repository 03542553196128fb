"""The bodies of the final-assessment and certificate API. Nothing a learner receives before submitting holds a key."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, JsonValue

from .models import _small_json

__all__ = [
    "AttemptFormOut",
    "AttemptRecordOut",
    "BlueprintOut",
    "CertificateOut",
    "ItemOut",
    "OverviewOut",
    "ResponseIn",
    "ResultOut",
    "RevokeIn",
    "SavedOut",
]


class _Body(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ResponseIn(_Body):
    """One response to one item: an option id (single choice), a list of option ids (multiple select), true or false;
    ``null`` clears it."""

    response: Annotated[JsonValue, AfterValidator(_small_json)]


class RevokeIn(_Body):
    """Why a certificate is revoked (shown on the verification page)."""

    reason: Annotated[str, Field(min_length=1, max_length=500)]


class BlueprintOut(BaseModel):
    id: str
    title: str
    questions: int
    pass_mark: float
    max_attempts: int
    time_limit_minutes: int | None


class ObjectiveOut(BaseModel):
    module: str
    objective: int
    score: float
    possible: int
    met: bool


class ResultOut(BaseModel):
    """A submitted attempt's result: per objective, never per item (the items may come back on a later form)."""

    score: float
    score_permille: int
    passed: bool
    pass_mark: float
    answered: int
    questions: int
    objectives: list[ObjectiveOut]
    revisit: list[str]
    mode: str
    submitted_at: dt.datetime | None
    auto_submitted: bool
    certificate_code: str | None


class OptionOut(BaseModel):
    id: str
    text: str


class ItemOut(BaseModel):
    """An item's public part: its prompt and options (in this form's order), and the objective it checks."""

    id: str
    module: str
    objective: int | None
    type: Literal["single_choice", "multiple_select", "true_false"]
    prompt: str
    options: list[OptionOut]


class AttemptFormOut(BaseModel):
    """An attempt as the learner's page shows it; ``now`` is the service's clock, which alone decides the deadline."""

    id: int
    number: int
    max_attempts: int
    mode: str
    items: list[ItemOut]
    responses: dict[str, JsonValue]
    started_at: dt.datetime
    deadline: dt.datetime | None
    now: dt.datetime
    result: ResultOut | None


class OverviewOut(BaseModel):
    blueprint: BlueprintOut
    mode: str
    attempts_used: int
    passed: bool
    in_progress: int | None
    last_result: ResultOut | None
    last_attempt: int | None = None
    """The id of the attempt ``last_result`` is of (for its certificate)."""


class SavedOut(BaseModel):
    attempt_id: int
    question_id: str
    saved_at: str


class AttemptRecordOut(BaseModel):
    """An attempt as kept. Item scores are for the instructor: a learner's own list leaves them out."""

    id: int
    learner: str
    blueprint_id: str
    number: int
    form: list[str]
    started_at: dt.datetime
    deadline: dt.datetime | None
    mode: str
    responses: dict[str, JsonValue]
    saved: dict[str, str]
    submitted_at: dt.datetime | None
    auto_submitted: bool
    item_scores: dict[str, float] | None
    total: float | None
    passed: bool | None
    certificate_code: str | None


class CertificateOut(BaseModel):
    """What a verification shows: whose, when, the result, and whether it still stands."""

    code: str
    learner: str
    issued_at: dt.datetime
    score_permille: int
    passed: bool
    mode: str
    course_title: str
    revoked: bool
    revoked_at: dt.datetime | None
    reason: str | None
