"""Who is calling: a token sent as ``Authorization: Bearer TOKEN`` (or JupyterHub's ``token TOKEN``).

Tokens the service issued (room learners, the instructor) are kept as sha256 hashes, never in clear.
Under JupyterHub, any other token is checked with the hub (``jupyterhub.services.auth.HubAuth``), which
names its user; the user is an instructor when the hub puts them in one of the instructor groups (or
gives them one of the instructor roles), looked up with the service's own hub token.
"""

from __future__ import annotations

import hashlib
import re
import secrets
import time
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from starlette.concurrency import run_in_threadpool

from .config import ClassConfig
from .ledger import Ledger

__all__ = ["HubUnavailable", "Principal", "TokenCheck", "new_token", "parse_authorization", "token_hash"]

_HEADER = re.compile(r"^\s*(?:bearer|token)\s+(\S+)\s*$", re.IGNORECASE)


def new_token() -> str:
    """A fresh random token (256 bits, URL-safe), never starting with "-": instructors paste it after ``--token``,
    where a leading dash reads as another option."""
    while True:
        token = secrets.token_urlsafe(32)
        if not token.startswith("-"):
            return token


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "replace")).hexdigest()


def parse_authorization(header: str | None) -> str | None:
    match = _HEADER.match(header or "")
    return match.group(1) if match else None


class HubUnavailable(RuntimeError):
    """The hub could not be asked who a token belongs to."""


@dataclass(frozen=True)
class Principal:
    """A caller: an instructor or a learner; ``learner`` is the name they read and write as (None: no records)."""

    role: str
    learner: str | None
    source: str
    verified: bool

    @property
    def instructor(self) -> bool:
        return self.role == "instructor"


class TokenCheck:
    """Turns a token into a ``Principal`` (or None), remembering hub answers for a short while."""

    def __init__(self, config: ClassConfig, ledger: Ledger) -> None:
        self.config = config
        self.ledger = ledger
        self._hub_auth: Any = None
        self._cache: dict[str, tuple[float, Principal | None]] = {}

    async def principal(self, token: str) -> Principal | None:
        digest = token_hash(token)
        kept = await run_in_threadpool(self.ledger.token, digest)
        if kept is not None:
            role, learner = kept
            return Principal(role, learner, "room" if learner else "service", verified=False)
        if self.config.mode != "hub":
            return None
        cached = self._cache.get(digest)
        if cached is not None and cached[0] > time.monotonic():
            return cached[1]
        found = await self._from_hub(token)
        if len(self._cache) > 10_000:
            self._cache.clear()
        self._cache[digest] = (time.monotonic() + self.config.hub_cache_seconds, found)
        return found

    async def _from_hub(self, token: str) -> Principal | None:
        from tornado.web import HTTPError

        try:
            model = await self._auth().user_for_token(token, use_cache=False, sync=False)
        except HTTPError as exc:
            raise HubUnavailable(f"the hub could not check the token ({exc.log_message or exc})") from None
        if not model or model.get("kind", "user") != "user" or not model.get("name"):
            return None
        name = str(model["name"])
        groups, roles = await self._membership(name)
        instructor = bool(groups & set(self.config.instructor_groups)) or bool(roles & set(self.config.instructor_roles))
        await run_in_threadpool(self.ledger.ensure_learner, name, source="hub", verified=True)
        return Principal("instructor" if instructor else "learner", name, "hub", verified=True)

    async def _membership(self, name: str) -> tuple[set[str], set[str]]:
        """The user's hub groups and roles, asked with the service's own token (a server's token may not see them)."""
        import httpx

        url = f"{self.config.hub_api_url.rstrip('/')}/users/{quote(name, safe='')}"
        try:
            async with httpx.AsyncClient(timeout=10) as client:
                reply = await client.get(url, headers={"Authorization": f"token {self.config.hub_api_token}"})
        except httpx.HTTPError as exc:
            raise HubUnavailable(f"the hub did not answer ({exc})") from None
        if reply.status_code != 200:
            raise HubUnavailable(f"the hub refused to say which groups {name!r} is in ({reply.status_code}); give the service read:users")
        model = reply.json()
        return set(model.get("groups") or ()), set(model.get("roles") or ())

    def _auth(self) -> Any:
        if self._hub_auth is None:
            from jupyterhub.services.auth import HubAuth

            self._hub_auth = HubAuth(api_url=self.config.hub_api_url, api_token=self.config.hub_api_token, cache_max_age=0)
        return self._hub_auth
