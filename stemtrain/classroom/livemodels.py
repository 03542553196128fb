"""The bodies of the live-session API: what the instructor sends and every page reads."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, JsonValue

from .models import Name

__all__ = ["AnswerIn", "AnswerOut", "Current", "OptionCount", "PollIn", "PollOut", "PublicQuestion", "Results", "Reveal", "SessionOut"]


class _Body(BaseModel):
    model_config = ConfigDict(extra="forbid")


class SessionOut(BaseModel):
    id: int
    started_at: dt.datetime
    ended_at: dt.datetime | None = None


class PollIn(_Body):
    """Push one bank question to every joined learner's page."""

    question_id: Name


class PublicOption(BaseModel):
    id: str
    text: str


class PublicQuestion(BaseModel):
    """The part of a question a learner's page may see before the reveal (no key)."""

    question_id: str
    module: str
    type: Literal["single_choice", "multiple_select", "true_false"]
    prompt: str
    context: str
    options: list[PublicOption]


class PollOut(BaseModel):
    id: int
    session_id: int
    state: Literal["open", "closed", "revealed"]
    opened_at: dt.datetime
    question: PublicQuestion


class OptionCount(BaseModel):
    id: str
    text: str
    count: int
    correct: bool | None = None


class Results(BaseModel):
    """How the room answered: counts per option, never names (multiple select: a learner counts once per option)."""

    answered: int
    learners: int
    options: list[OptionCount]


class Reveal(BaseModel):
    correct: list[str]
    explanation: str
    your_answer_correct: bool | None


class Current(BaseModel):
    """What a page shows now. ``results`` go to the instructor always, to learners after the reveal."""

    session: SessionOut | None
    poll: PollOut | None
    your_answer: JsonValue = None
    results: Results | None = None
    reveal: Reveal | None = None
    version: str


class AnswerIn(_Body):
    response: Annotated[JsonValue, Field(description="an option id; a list of option ids (multiple select); true or false")]


class AnswerOut(BaseModel):
    poll_id: int
    response: JsonValue
    new: bool
