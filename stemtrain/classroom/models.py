"""The bodies the API reads and writes (pydantic), with limits a database can keep.

Names and ids are plain text: 1-200 characters, no control characters, nothing that cannot be written as
UTF-8 (PostgreSQL refuses NUL and lone surrogates, and a 500 would be the result). A response is any JSON up
to 64 KB. A body that breaks a rule gets a 422 whose message names the field.
"""

from __future__ import annotations

import datetime as dt
import json
import unicodedata
from typing import Annotated, Literal

from pydantic import AfterValidator, AwareDatetime, BaseModel, ConfigDict, Field, JsonValue, ValidationInfo, field_validator

from ..records.model import MODES

__all__ = [
    "AttemptIn",
    "AttemptOut",
    "ErrorBody",
    "FieldProblem",
    "Health",
    "JoinIn",
    "JoinOut",
    "Me",
    "Name",
    "ProfileIn",
    "ProfileOut",
    "RosterEntry",
    "TokenOut",
]

MAX_RESPONSE = 65_536


def _plain(value: str) -> str:
    if any(unicodedata.category(ch) in ("Cc", "Cs") for ch in value):
        raise ValueError("must not contain control characters")
    if not value.strip():
        raise ValueError("must not be blank")
    return value


def _plain_or_empty(value: str) -> str:
    return _plain(value) if value else value


def _utc(value: dt.datetime) -> dt.datetime:
    try:
        return value.astimezone(dt.timezone.utc)
    except OverflowError:
        raise ValueError("is outside the years 1-9999 once converted to UTC") from None


def _small_json(value: JsonValue) -> JsonValue:
    try:
        text = json.dumps(value, allow_nan=False)
    except (ValueError, RecursionError):
        raise ValueError("must be plain JSON (no NaN or infinity, not nested too deeply)") from None
    if len(text) > MAX_RESPONSE:
        raise ValueError(f"is {len(text)} characters of JSON; at most {MAX_RESPONSE} are kept")
    return value


Name = Annotated[str, Field(min_length=1, max_length=200), AfterValidator(_plain)]
Text = Annotated[str, Field(max_length=200), AfterValidator(_plain_or_empty)]
EventId = Annotated[str, Field(min_length=1, max_length=200, pattern=r"^[A-Za-z0-9._:-]+$")]
Score = Annotated[float, Field(ge=0, allow_inf_nan=False)]
When = Annotated[AwareDatetime, AfterValidator(_utc)]
Mode = Literal[MODES]  # type: ignore[valid-type]


class _Body(BaseModel):
    model_config = ConfigDict(extra="forbid")


class AttemptIn(_Body):
    """One checked answer as a learner's kernel sends it; the service numbers it."""

    learner: Name
    module: Name
    question_id: Name
    response: Annotated[JsonValue, AfterValidator(_small_json)]
    correct: bool
    max_score: Score = 1.0
    score: Score
    parent_id: Name | None = None
    content_hash: Text = ""
    mode: Mode = ""
    answered_at: When
    event_id: EventId

    @field_validator("score")
    @classmethod
    def _score_within_max(cls, score: float, info: ValidationInfo) -> float:
        top = info.data.get("max_score")
        if top is not None and score > top:
            raise ValueError(f"{score} is above max_score {top}")
        return score


class AttemptOut(BaseModel):
    """A kept answer with the number and time the service gave it."""

    learner: str
    module: str
    question_id: str
    response: JsonValue
    correct: bool
    score: float
    max_score: float
    parent_id: str | None
    content_hash: str
    mode: str
    answered_at: dt.datetime
    saved_at: dt.datetime
    event_id: str
    attempt: int


class ProfileIn(_Body):
    display_name: Name
    staff_id: Text = ""
    role: Text = ""


class ProfileOut(BaseModel):
    display_name: str
    staff_id: str
    role: str
    updated_at: str


class JoinIn(_Body):
    """What a learner types to join a room: the code the instructor shows, and their name."""

    code: Annotated[str, Field(min_length=1, max_length=40)]
    name: Name


class JoinOut(BaseModel):
    token: str
    learner: str
    identity_source: Literal["room"]
    verified: bool


class TokenOut(BaseModel):
    token: str
    learner: str


class Me(BaseModel):
    role: Literal["learner", "instructor"]
    learner: str | None
    identity_source: str
    verified: bool
    mode: Literal["room", "hub"]


class RosterEntry(BaseModel):
    learner: str
    display_name: str
    identity_source: str
    verified: bool
    joined_at: dt.datetime
    answers: int


class Health(BaseModel):
    status: Literal["ok"]
    mode: Literal["room", "hub"]
    schema_revision: str


class FieldProblem(BaseModel):
    field: str
    message: str


class ErrorBody(BaseModel):
    """Every error: ``detail`` says what went wrong in a sentence; ``errors`` names each field of a bad request."""

    detail: str
    errors: list[FieldProblem] = []
