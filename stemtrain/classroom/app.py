"""The FastAPI application: the routers under ``PREFIX/api``, and errors that are always one JSON sentence.

Every failure answers ``{"detail": "..."}`` (a bad request also lists ``errors``, one per field), never a
traceback: 401/403 for tokens and rules, 409 for conflicts, 422 for bad fields, 503 when the database or
the hub does not answer, 500 (logged here, told there in one line) for anything else.
"""

from __future__ import annotations

import logging
import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import Depends, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import HTMLResponse, JSONResponse
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DBAPIError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from starlette.exceptions import HTTPException

from ..assessment.proctor import AttemptRefused
from .api import assessment, certificates, health, live, records, room, roster
from .api.certificates import add_verify_page
from .api.deps import Service, known_query
from .assessments import AssessmentService, NotSetUp
from .auth import HubUnavailable, TokenCheck
from .config import ClassConfig
from .db import open_engine, upgrade
from .ledger import Conflict, Ledger
from .livequestions import QuestionCatalogue
from .livestore import LiveBoard
from .room import JoinGuard
from .xapirelay import relay_from_environment

__all__ = ["create_app"]

log = logging.getLogger("stemtrain.classroom")
VERSION = "1"


def _field(loc: tuple[Any, ...]) -> str:
    parts = [str(p) for p in loc if p not in ("body", "query", "path", "header")]
    return ".".join(parts) or str(loc[0] if loc else "body")


def _problem(status: int, detail: str, errors: list[dict[str, str]] | None = None, headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse({"detail": detail, "errors": errors or []}, status_code=status, headers=headers)


def _methods(app: FastAPI, request: Request) -> set[str]:
    """Every method the API document gives this request's path (whatever the router's internals)."""
    allowed: set[str] = set()
    for template, operations in app.openapi().get("paths", {}).items():
        if re.fullmatch(re.sub(r"\\\{[^}]*\\\}", "[^/]+", re.escape(template)), request.url.path):
            allowed |= {m.upper() for m in operations if m in ("get", "put", "post", "delete", "patch")}
    return allowed


def _handlers(app: FastAPI) -> None:
    @app.exception_handler(RequestValidationError)
    async def _invalid(_: Request, exc: RequestValidationError) -> JSONResponse:
        errors = []
        for e in exc.errors():
            where = _field(tuple(e.get("loc", ())))
            message = str(e.get("msg", "invalid")).removeprefix("Value error, ")
            errors.append({"field": where, "message": message})
        detail = "; ".join(f"{e['field']}: {e['message']}" for e in errors) or "the request is not valid"
        return _problem(422, detail[:2000], errors[:50])

    @app.exception_handler(HTTPException)
    async def _http(request: Request, exc: HTTPException) -> JSONResponse:
        headers = dict(getattr(exc, "headers", None) or {})
        if exc.status_code == 405:  # Starlette names only the first route's methods; a path may have several routes
            headers["Allow"] = ", ".join(sorted(_methods(app, request)))
        detail = str(exc.detail)
        if exc.status_code == 400 and detail == "There was an error parsing the body":
            detail = "body: cannot be read; send the body as UTF-8 JSON"
        return _problem(exc.status_code, detail, headers=headers or None)

    @app.exception_handler(Conflict)
    async def _conflict(_: Request, exc: Conflict) -> JSONResponse:
        return _problem(409, str(exc))

    @app.exception_handler(AttemptRefused)
    async def _refused(_: Request, exc: AttemptRefused) -> JSONResponse:
        return _problem(exc.status, str(exc), [{"field": exc.field, "message": str(exc).removeprefix(f"{exc.field}: ")}])

    @app.exception_handler(NotSetUp)
    async def _not_set_up(_: Request, exc: NotSetUp) -> JSONResponse:
        return _problem(503, str(exc), headers={"Retry-After": "60"})

    @app.exception_handler(HubUnavailable)
    async def _hub(_: Request, exc: HubUnavailable) -> JSONResponse:
        log.warning("hub: %s", exc)
        return _problem(503, f"{exc}; try again shortly", headers={"Retry-After": "5"})

    @app.exception_handler(DBAPIError)
    async def _database(_: Request, exc: DBAPIError) -> JSONResponse:
        log.error("database: %s", exc)
        return _problem(
            503, "the class database is not answering; your answer was not kept yet, try again shortly", headers={"Retry-After": "5"}
        )

    @app.exception_handler(PoolTimeout)
    async def _busy(_: Request, exc: PoolTimeout) -> JSONResponse:
        log.error("database pool: %s", exc)
        return _problem(503, "the class service is busy; try again shortly", headers={"Retry-After": "2"})

    @app.exception_handler(Exception)
    async def _crash(request: Request, exc: Exception) -> JSONResponse:
        log.exception("unexpected error in %s %s", request.method, request.url.path)
        return _problem(500, "the class service failed on this request (its log has the details)")


def _join_page(prefix: str) -> str:
    return f"""<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Join the class</title>
<meta name="viewport" content="width=device-width, initial-scale=1"></head>
<body style="font-family:sans-serif;max-width:40em;margin:2em auto">
<h1>Join the class</h1><p>On the computer where you take the course, open a terminal and run (with your name):</p>
<pre id="cmd">stemtrain class join URL --code CODE --name "Your name"</pre>
<p>or, in a notebook cell: <code>from stemtrain.records import join; join("URL", "CODE", "Your name")</code></p>
<script>const u=new URL(window.location.href);const c=u.searchParams.get('code')||'CODE';const base=u.origin+{prefix!r};
for(const el of document.querySelectorAll('pre,code')){{el.textContent=el.textContent.replace('URL',base).replace('CODE',c);}}</script>
</body></html>"""


def create_app(
    config: ClassConfig, *, engine: Engine | None = None, mounts: str | None = None, course: Any = None, clock: Any = None
) -> FastAPI:
    """The class service over ``config``'s database (created or upgraded first); ``course`` for live questions and certificates
    (default: the banks); ``clock`` the service's clock (default: the system's, in UTC)."""
    engine = engine or open_engine(config.url, mounts=mounts)
    revision = upgrade(engine)
    ledger = Ledger(engine)
    api = config.prefix + "api"

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        yield
        relay = app.state.service.xapi
        if relay is not None:
            relay.close()  # what is still queued for the LRS goes before the service stops

    app = FastAPI(
        lifespan=lifespan,
        title="stemtrain class service",
        version=VERSION,
        description="The one owner of a class's records. Learners' kernels write their own answers; the instructor reads the class.",
        openapi_url=f"{api}/openapi.json",
        docs_url=f"{api}/docs",
        redoc_url=None,
    )
    desk = AssessmentService(config, ledger, course=course, **({"clock": clock} if clock is not None else {}))
    desk.issuer.key  # noqa: B018 - the signing key is created (0600) when the service first starts, not on the first pass
    app.state.service = Service(
        config, ledger, TokenCheck(config, ledger), JoinGuard(), revision, LiveBoard(ledger), QuestionCatalogue(course), desk
    )
    app.state.service.xapi = desk.xapi = relay_from_environment(ledger, course)
    app.state.engine = engine
    for area in (health, room, records, roster, live, assessment, certificates):
        app.include_router(area.router, prefix=api, dependencies=[Depends(known_query)])
    _handlers(app)
    # Learners' live panels run in their JupyterLab or course pages, another origin than the service's. Every call
    # carries its bearer token in the Authorization header and the service sets no cookies, so any origin may call.
    app.add_middleware(
        CORSMiddleware, allow_origins=["*"], allow_methods=["GET", "POST", "PUT", "DELETE"], allow_headers=["Authorization", "Content-Type"]
    )

    @app.get(config.prefix + "join", response_class=HTMLResponse, include_in_schema=False)
    def join_page() -> str:
        return _join_page(config.prefix)

    add_verify_page(app, config.prefix)

    return app
