"""Joining a room: code and name in, a token bound to that name out."""

from __future__ import annotations

from fastapi import APIRouter, HTTPException, Request

from ..auth import new_token, token_hash
from ..ledger import Conflict
from ..models import JoinIn, JoinOut
from ..room import code_matches
from .deps import ServiceDep, problem

router = APIRouter(prefix="/room", tags=["room"])
JOIN_CODE = "join_code_sha256"


@router.post("/join", response_model=JoinOut, status_code=201, responses=problem(400, 403, 404, 409, 422, 429, 503))
def join(body: JoinIn, request: Request, service: ServiceDep) -> JoinOut:
    """Join the class under ``name``; the token returned is the only way to write as that name from now on."""
    if service.config.mode != "room":
        raise HTTPException(404, "this class is run by JupyterHub: learners are known by their hub sign-in, there is nothing to join")
    client = request.client.host if request.client else "?"
    if service.guard.blocked(client):
        raise HTTPException(429, "too many wrong join codes from this computer: wait a minute and try again")
    if not code_matches(body.code, service.ledger.setting(JOIN_CODE)):
        service.guard.failed(client)
        raise HTTPException(403, "code: this is not the class's join code (ask the instructor to show it again)")
    token = new_token()
    name = " ".join(body.name.split())
    try:
        learner = service.ledger.join(name, token_hash(token))
    except Conflict:
        raise HTTPException(
            409, f"name: {name!r} has already joined this class. Choose another name, or ask the instructor for a new token for it"
        ) from None
    return JoinOut(token=token, learner=learner.name, identity_source="room", verified=False)
