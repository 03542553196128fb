"""A learner's own answers and profile. A learner's token reaches only its own name; the instructor reads all."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, HTTPException, Query, Response

from ...records import Attempt
from ..auth import Principal
from ..models import AttemptIn, AttemptOut, Name, ProfileIn, ProfileOut
from .deps import ERRORS, Caller, ServiceDep, problem

router = APIRouter(prefix="/records", tags=["records"], responses=ERRORS)


def out(attempt: Attempt) -> AttemptOut:
    assert attempt.saved_at is not None
    return AttemptOut(
        learner=attempt.learner,
        module=attempt.module,
        question_id=attempt.question_id,
        response=attempt.response,
        correct=attempt.correct,
        score=attempt.score,
        max_score=attempt.max_score,
        parent_id=attempt.parent_id,
        content_hash=attempt.content_hash,
        mode=attempt.mode,
        answered_at=attempt.answered_at,
        saved_at=attempt.saved_at,
        event_id=attempt.event_id,
        attempt=attempt.attempt,
    )


def may_write(caller: Principal, learner: str) -> None:
    if caller.learner is None:
        raise HTTPException(403, "learner: the instructor's token does not answer questions; learners answer with their own token")
    if caller.learner != learner:
        raise HTTPException(403, f"learner: this token belongs to {caller.learner!r} and cannot write as {learner!r}")


def may_read(caller: Principal, learner: str | None) -> str | None:
    """The learner whose records the caller may read (their own, unless they are the instructor)."""
    if caller.instructor:
        return learner
    if learner is not None and learner != caller.learner:
        raise HTTPException(403, f"learner: this token belongs to {caller.learner!r} and cannot read {learner!r}'s records")
    return caller.learner


@router.post(
    "/attempts",
    response_model=AttemptOut,
    status_code=201,
    responses={200: {"model": AttemptOut, "description": "Already kept"}, **problem(409)},
)
def add_attempt(body: AttemptIn, caller: Caller, service: ServiceDep, response: Response) -> AttemptOut:
    """Keep one answer, numbered 1, 2, … per learner, module and question. Sending the same ``event_id`` again
    returns the kept record (200) instead of a new one (201)."""
    may_write(caller, body.learner)
    kept, new = service.ledger.add(Attempt(**body.model_dump()))
    response.status_code = 201 if new else 200
    if new and service.xapi is not None:
        service.xapi.answered(kept)  # queued for the LRS: the learner never waits for it
    return out(kept)


@router.get("/attempts", response_model=list[AttemptOut])
def list_attempts(
    caller: Caller,
    service: ServiceDep,
    learner: Annotated[Name | None, Query()] = None,
    module: Annotated[Name | None, Query()] = None,
    question_id: Annotated[Name | None, Query()] = None,
) -> list[AttemptOut]:
    """The caller's records (a learner's token: its own only), in the order they were kept."""
    who = may_read(caller, learner)
    return [out(a) for a in service.ledger.attempts(who, module, question_id)]


@router.get("/profiles/{learner}", response_model=ProfileOut, responses=problem(404))
def get_profile(learner: Name, caller: Caller, service: ServiceDep) -> ProfileOut:
    """The name, staff id and role a learner gave."""
    may_read(caller, learner)
    found = service.ledger.profile(learner)
    if found is None:
        raise HTTPException(404, f"learner: {learner!r} has no profile yet")
    return ProfileOut(**found)


@router.put("/profiles/{learner}", response_model=ProfileOut)
def put_profile(learner: Name, body: ProfileIn, caller: Caller, service: ServiceDep) -> ProfileOut:
    may_write(caller, learner)
    return ProfileOut(**service.ledger.set_profile(learner, body.display_name, body.staff_id, body.role))
