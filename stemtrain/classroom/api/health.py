"""Is the service up, and who does it take the caller for."""

from __future__ import annotations

from fastapi import APIRouter

from ..models import Health, Me
from .deps import ERRORS, Caller, ServiceDep, problem

router = APIRouter(tags=["service"])


@router.get("/health", response_model=Health, responses=problem(503))
def health(service: ServiceDep) -> Health:
    """Up, in which mode, at which schema revision (no token needed)."""
    return Health(status="ok", mode=service.config.mode, schema_revision=service.revision)  # type: ignore[arg-type]


@router.get("/me", response_model=Me, responses=ERRORS)
def me(caller: Caller, service: ServiceDep) -> Me:
    """Who the token belongs to: the learner name the service files their answers under, and how it knows."""
    return Me(
        role=caller.role,  # type: ignore[arg-type]
        learner=caller.learner,
        identity_source=caller.source,
        verified=caller.verified,
        mode=service.config.mode,  # type: ignore[arg-type]
    )
