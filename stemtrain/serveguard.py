"""Course mode's front door: only loopback host names, and (with ``--token``) only requests that carry the token.

Every request, websockets included, goes through ``GuardedApplication.find_handler`` before any handler runs: a
``Host`` other than ``127.0.0.1``, ``localhost`` or ``[::1]`` (with the served port, or none) gets 403, so a
DNS-rebinding page cannot reach the learner's kernels. With a token, the printed link's ``?token=`` is swapped for
an HttpOnly cookie and dropped from the address; a request with neither gets 403.
"""

from __future__ import annotations

import hmac
from typing import Any
from urllib.parse import parse_qsl, urlencode

import tornado.web
from tornado.httputil import HTTPServerRequest, split_host_and_port

__all__ = ["LOOPBACK_NAMES", "GuardedApplication", "host_allowed"]

LOOPBACK_NAMES = frozenset({"127.0.0.1", "localhost", "[::1]"})


def host_allowed(host: str, port: int) -> bool:
    """True for ``127.0.0.1``, ``localhost`` or ``[::1]``, bare or with ``port``: the names course mode answers to."""
    name, given = split_host_and_port(host.strip().lower())
    return name in LOOPBACK_NAMES and given in (None, port)


class RefusedHandler(tornado.web.RequestHandler):
    """403 for every method and for websocket upgrades, with one line saying why."""

    def initialize(self, reason: str) -> None:
        self.reason = reason

    def prepare(self) -> None:
        self.set_status(403)
        self.set_header("Content-Type", "text/plain; charset=utf-8")
        self.finish(self.reason + "\n")


class TokenLoginHandler(tornado.web.RequestHandler):
    """Swaps the token in the printed link for an HttpOnly cookie, then shows the same page without it."""

    def initialize(self, cookie: str, token: str) -> None:
        self.cookie, self.token = cookie, token

    def get(self) -> None:
        self.set_cookie(self.cookie, self.token, httponly=True, samesite="Strict", path="/")
        query = urlencode([(k, v) for k, v in parse_qsl(self.request.query, keep_blank_values=True) if k != "token"])
        self.redirect(self.request.path + (f"?{query}" if query else ""))

    head = get


class GuardedApplication(tornado.web.Application):
    """A tornado application that refuses other hosts, and requests without the token when one is set."""

    course: Any
    """The course server (``serve_app.CourseVoila``): its port, its token and the token's cookie name."""

    def find_handler(self, request: HTTPServerRequest, **kwargs: Any) -> Any:
        course = self.course
        if not host_allowed(request.host, course.port):
            reason = f"Course mode answers only at http://127.0.0.1:{course.port}/ (this request was for {request.host!r})."
            return self.get_handler_delegate(request, RefusedHandler, {"reason": reason})
        token = course.course_token
        if token:
            query_token = request.query_arguments.get("token", [b""])[0].decode("utf-8", "replace")
            if _same(query_token, token):
                if request.method in ("GET", "HEAD") and request.headers.get("Upgrade", "").lower() != "websocket":
                    return self.get_handler_delegate(request, TokenLoginHandler, {"cookie": course.token_cookie, "token": token})
            elif not _same(_presented_token(request, course.token_cookie), token):
                reason = "This course server needs its link: use the address `stemtrain serve --token` printed."
                return self.get_handler_delegate(request, RefusedHandler, {"reason": reason})
        return super().find_handler(request, **kwargs)


def _presented_token(request: HTTPServerRequest, cookie: str) -> str:
    auth = request.headers.get("Authorization", "")
    if auth.lower().startswith("token "):
        return auth[6:].strip()
    morsel = request.cookies.get(cookie) if "Cookie" in request.headers else None
    return morsel.value if morsel is not None else ""


def _same(given: str, token: str) -> bool:
    return bool(given) and hmac.compare_digest(given.encode(), token.encode())
