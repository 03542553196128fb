"""The instructor's view of the class: who is in it, everyone's answers, a new token for a learner."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, HTTPException, Query

from ..auth import new_token, token_hash
from ..models import AttemptOut, Name, RosterEntry, TokenOut
from .deps import ERRORS, Instructor, ServiceDep, problem
from .records import out

router = APIRouter(prefix="/class", tags=["class"], responses=ERRORS)


@router.get("/roster", response_model=list[RosterEntry])
def roster(_: Instructor, service: ServiceDep) -> list[RosterEntry]:
    """Every learner, how they are known (hub: verified; room: their own say-so) and how many answers they gave."""
    return [
        RosterEntry(
            learner=who.name,
            display_name=who.display_name,
            identity_source=who.identity_source,
            verified=who.verified,
            joined_at=who.joined_at,
            answers=count,
        )
        for who, count in service.ledger.roster()
    ]


@router.get("/attempts", response_model=list[AttemptOut])
def class_attempts(
    _: Instructor,
    service: ServiceDep,
    module: Annotated[Name | None, Query()] = None,
    question_id: Annotated[Name | None, Query()] = None,
    offset: Annotated[int, Query(ge=0, le=2**31)] = 0,
    limit: Annotated[int, Query(ge=1, le=100_000)] = 10_000,
) -> list[AttemptOut]:
    """Everyone's answers in the order they were kept, a page at a time."""
    return [out(a) for a in service.ledger.attempts(None, module, question_id, offset=offset, limit=limit)]


@router.post("/learners/{learner}/token", response_model=TokenOut, responses=problem(404, 409))
def reissue_token(learner: Name, _: Instructor, service: ServiceDep) -> TokenOut:
    """A new token for a room learner who lost theirs; their old token stops working."""
    if service.config.mode != "room":
        raise HTTPException(409, "under JupyterHub learners use their hub sign-in; there is no class token to reissue")
    if service.ledger.learner(learner) is None:
        raise HTTPException(404, f"learner: {learner!r} has not joined this class")
    token = new_token()
    service.ledger.add_token(token_hash(token), "learner", learner, replace=True)
    return TokenOut(token=token, learner=learner)
