"""What every route needs: the service's parts and the caller, and the error responses every router documents."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import Depends, HTTPException, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from ..assessments import AssessmentService
from ..auth import Principal, TokenCheck, parse_authorization
from ..config import ClassConfig
from ..ledger import Ledger
from ..livequestions import QuestionCatalogue
from ..livestore import LiveBoard
from ..models import ErrorBody
from ..room import JoinGuard

__all__ = ["ERRORS", "Caller", "Instructor", "Service", "get_service", "known_query", "problem"]


@dataclass
class Service:
    config: ClassConfig
    ledger: Ledger
    tokens: TokenCheck
    guard: JoinGuard
    revision: str
    live: LiveBoard
    questions: QuestionCatalogue
    assessment: AssessmentService
    xapi: Any = None
    """The relay to the clinic's LRS (``classroom.xapirelay.XapiRelay``), or None when no LRS is configured."""


def problem(*codes: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI entries for error responses, all with the same body."""
    text = {
        400: "The body cannot be read (not UTF-8 JSON)",
        401: "No token, or a token the service does not know",
        403: "The token may not do this",
        404: "Not found",
        409: "Conflicts with what is kept",
        422: "A field of the request is invalid (the message names it)",
        429: "Too many wrong join codes: wait a minute",
        503: "The class database or the hub is not answering: try again shortly",
    }
    return {code: {"model": ErrorBody, "description": text[code]} for code in codes}


ERRORS = problem(400, 401, 403, 422, 503)
_bearer = HTTPBearer(auto_error=False, description="A learner's or the instructor's token (JupyterHub users: their hub API token)")


def get_service(request: Request) -> Service:
    service: Service = request.app.state.service
    return service


async def _caller(
    request: Request,
    service: Annotated[Service, Depends(get_service)],
    _declared: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> Principal:
    token = parse_authorization(request.headers.get("authorization"))
    if token is None:
        raise HTTPException(
            401,
            "no token: send 'Authorization: Bearer TOKEN' (learners get one with 'stemtrain class join')",
            {"WWW-Authenticate": "Bearer"},
        )
    principal = await service.tokens.principal(token)
    if principal is None:
        raise HTTPException(
            401, "this token is not known to the class service (join again, or ask the instructor)", {"WWW-Authenticate": "Bearer"}
        )
    return principal


async def _instructor(caller: Annotated[Principal, Depends(_caller)]) -> Principal:
    if not caller.instructor:
        raise HTTPException(403, "only the instructor may see the class")
    return caller


def known_query(request: Request) -> None:
    """A query parameter the route does not take is an error (a misspelt filter would otherwise read everything), and so
    is one given twice (which of the two would count is not the caller's to guess)."""
    route = request.scope.get("route")
    dependant = getattr(route, "dependant", None)
    if dependant is None:
        return
    known: set[str] = set()
    todo = [dependant]
    while todo:
        step = todo.pop()
        known |= {p.alias for p in step.query_params}
        todo.extend(step.dependencies)
    unknown = sorted(set(request.query_params.keys()) - known)
    repeated = sorted({name for name in request.query_params if len(request.query_params.getlist(name)) > 1} & known)
    if repeated and not unknown:
        from fastapi.exceptions import RequestValidationError

        raise RequestValidationError(
            [{"loc": ("query", name), "msg": "given more than once; give it once", "type": "value_error"} for name in repeated]
        )
    if unknown:
        takes = ", ".join(sorted(known)) or "no query parameters"
        from fastapi.exceptions import RequestValidationError

        raise RequestValidationError(
            [
                {"loc": ("query", name), "msg": f"unknown query parameter (this route takes {takes})", "type": "extra_forbidden"}
                for name in unknown
            ]
        )


Caller = Annotated[Principal, Depends(_caller)]
Instructor = Annotated[Principal, Depends(_instructor)]
ServiceDep = Annotated[Service, Depends(get_service)]
