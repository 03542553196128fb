"""Who the learner is, decided in one place, and how we know.

Resolved lazily (a pre-heated Voilà kernel learns about its request only when a page claims it), in this
order: the JupyterHub user (verified by the hub), a user header passed by Voilà from a trusted proxy, the
name given in ``STEMTRAIN_LEARNER``, the name the learner signed in with on this computer, the operating
system account. Only the hub (and a proxy the server was told to trust) verifies anything; every other
source is the learner's own say-so, and records say which.
"""

from __future__ import annotations

import getpass
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass

__all__ = ["SOURCES", "USER_HEADER_ENV", "Identity", "course_mode", "resolve_identity"]

SOURCES = ("hub", "class", "proxy-header", "given", "environment", "profile", "os-account")

USER_HEADER_ENV = "HTTP_X_STEMTRAIN_USER"
"""Voilà passes the ``X-Stemtrain-User`` request header into the kernel under this name, when configured."""


@dataclass(frozen=True)
class Identity:
    """A learner's id (what records key on), the name shown on pages, and where both came from."""

    learner: str
    display_name: str
    source: str
    verified: bool

    @property
    def how(self) -> str:
        """How we know, in words a learner understands."""
        return {
            "hub": "signed in through JupyterHub",
            "class": "joined the class with the instructor's code",
            "proxy-header": "named by the course server",
            "environment": "named by STEMTRAIN_LEARNER",
            "profile": "signed in on this computer",
            "os-account": "the computer account",
            "given": "named by the notebook",
        }[self.source]


def _clean(value: str | None) -> str:
    return " ".join((value or "").split())[:500]


def course_mode(env: Mapping[str, str] | None = None) -> bool:
    """True inside a Voilà page (course mode), which sets SERVER_SOFTWARE for its kernels."""
    env = os.environ if env is None else env
    return env.get("SERVER_SOFTWARE", "").startswith("voila/")


def _wait_for_voila(env: Mapping[str, str]) -> None:
    """A pre-heated Voilà kernel gets its request's environment only when a page claims it."""
    if env.get("VOILA_PREHEAT") == "True":
        from voila.utils import wait_for_request

        wait_for_request()


def _class_member(store: object | None) -> Identity | None:
    """In a class, the name the class service files this learner's answers under (their token's name)."""
    learner = getattr(store, "learner", None)
    if not isinstance(learner, str) or not learner:
        return None
    hub = getattr(store, "identity_source", "") == "hub"  # named by the hub (checked by the service when it answers)
    return Identity(learner, learner, "hub" if hub else "class", hub or bool(getattr(store, "verified", False)))


def resolve_identity(
    env: Mapping[str, str] | None = None,
    profile: Callable[[], tuple[str, str] | None] | None = None,
    store: object | None = None,
) -> Identity:
    """Decide who the learner is. ``store`` is where answers go (a class service's store names its member);
    ``profile()`` returns (learner id, name) signed in with on this computer, if any."""
    member = _class_member(store)
    if member is not None:
        return member
    if env is None:
        _wait_for_voila(os.environ)
        env = os.environ
    hub = _clean(env.get("JUPYTERHUB_USER"))
    if hub:
        return Identity(hub, hub, "hub", True)
    header = _clean(env.get(USER_HEADER_ENV))
    if header and course_mode(env):
        trusted = env.get("STEMTRAIN_TRUST_USER_HEADER") == "1"
        return Identity(header, header, "proxy-header", trusted)
    named = _clean(env.get("STEMTRAIN_LEARNER"))
    if named:
        return Identity(named, named, "environment", False)
    signed_in = profile() if profile is not None else None
    if signed_in and _clean(signed_in[0]):
        return Identity(_clean(signed_in[0]), _clean(signed_in[1]) or _clean(signed_in[0]), "profile", False)
    try:
        account = _clean(getpass.getuser()) or "learner"
    except (KeyError, OSError):
        account = "learner"
    return Identity(account, account, "os-account", False)
