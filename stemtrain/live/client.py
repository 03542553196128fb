"""The live-session API from Python (standard library only): the instructor's commands, and a learner answering.

Used by ``stemtrain live``, the tests' simulated learners, and anyone scripting a session. The token travels in
the ``Authorization`` header only. Every failure is a ``LiveError`` with one sentence; ``status`` is the HTTP
status (0 when the service could not be reached).
"""

from __future__ import annotations

import json
from typing import Any

__all__ = ["LiveClient", "LiveError"]


class LiveError(RuntimeError):
    """A live-session call failed: the service refused it (``status``) or could not be reached (``status == 0``)."""

    def __init__(self, message: str, status: int = 0) -> None:
        super().__init__(message)
        self.status = status


class LiveClient:
    """Calls to one class service with one token (the instructor's or a learner's)."""

    def __init__(self, url: str, token: str, *, timeout: float = 10.0) -> None:
        if not url.startswith(("http://", "https://")):
            raise LiveError(f"{url}: a class service address starts with http:// or https://")
        self.url = url.rstrip("/") + "/"
        self._token = token
        self.timeout = timeout

    def __repr__(self) -> str:
        return f"LiveClient({self.url!r})"

    # --- the instructor -----------------------------------------------------------------------------
    def start(self) -> dict[str, Any]:
        """Start a live session (or get the one under way)."""
        return self._call("POST", "api/live/sessions")

    def end(self) -> dict[str, Any]:
        return self._call("DELETE", "api/live/sessions/current")

    def push(self, question_id: str) -> dict[str, Any]:
        """Push a bank question to every joined page; returns the poll (its ``id`` and the public question)."""
        return self._call("POST", "api/live/polls", {"question_id": question_id})

    def close(self, poll_id: int) -> dict[str, Any]:
        return self._call("POST", f"api/live/polls/{int(poll_id)}/close")

    def reveal(self, poll_id: int) -> dict[str, Any]:
        return self._call("POST", f"api/live/polls/{int(poll_id)}/reveal")

    def results(self, poll_id: int) -> dict[str, Any]:
        return self._call("GET", f"api/live/polls/{int(poll_id)}/results")

    # --- everyone -----------------------------------------------------------------------------------
    def current(self) -> dict[str, Any]:
        """What a page shows now (the instructor's also carries the counts)."""
        return self._call("GET", "api/live/current")

    def answer(self, poll_id: int, response: Any) -> dict[str, Any]:
        """Answer the pushed question (kept once: sending again returns the kept answer)."""
        return self._call("POST", f"api/live/polls/{int(poll_id)}/answers", {"response": response})

    def _call(self, method: str, path: str, body: Any = None) -> dict[str, Any]:
        import http.client
        import urllib.error
        import urllib.request

        data = None if body is None else json.dumps(body).encode("utf-8")
        headers = {"Accept": "application/json", "Authorization": f"Bearer {self._token}"}
        if data is not None:
            headers["Content-Type"] = "application/json"
        request = urllib.request.Request(self.url + path, data=data, method=method, headers=headers)
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as reply:
                data = json.loads(reply.read() or b"{}")
                return data if isinstance(data, dict) else {"items": data}
        except urllib.error.HTTPError as exc:
            try:
                detail = json.loads(exc.read()).get("detail", "")
            except (ValueError, AttributeError):
                detail = exc.reason
            raise LiveError(f"{self.url}: {method} {path} was refused ({exc.code}: {detail})", exc.code) from None
        except (OSError, http.client.HTTPException) as exc:
            raise LiveError(f"{self.url}: the class service is not answering ({getattr(exc, 'reason', None) or exc})") from None
