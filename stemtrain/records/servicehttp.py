"""One request to the class service, standard library only: what the learner's store and the instructor's reader
send. A service that cannot be reached is a ``StoreError(kind="unavailable")`` whose sentence says answers wait."""

from __future__ import annotations

import json
from typing import Any

from .errors import StoreError

__all__ = ["base_url", "detail", "request"]


def base_url(url: str) -> str:
    return url.rstrip("/") + "/"


def request(method: str, url: str, token: str | None, body: Any = None, timeout: float = 5.0, *, raw: bool = False) -> tuple[int, Any]:
    """(status, decoded JSON body), or the body's bytes with ``raw`` (a file such as a certificate PDF)."""
    import http.client
    import urllib.error
    import urllib.request

    data = None if body is None else (body if isinstance(body, bytes) else json.dumps(body).encode("utf-8"))
    headers = {"Accept": "*/*" if raw else "application/json", **({"Content-Type": "application/json"} if data is not None else {})}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    req = urllib.request.Request(url, data=data, method=method, headers=headers)
    try:
        with urllib.request.urlopen(req, timeout=timeout) as reply:
            status, content = reply.status, reply.read()
    except urllib.error.HTTPError as exc:
        status, content = exc.code, exc.read()
    except (OSError, http.client.HTTPException) as exc:
        reason = getattr(exc, "reason", None) or exc
        raise StoreError(
            f"{url}: the class service is not answering ({reason}). Your answers are kept on this computer and sent when it is back.",
            kind="unavailable",
            where=url,
        ) from None
    if raw:
        return status, content
    try:
        return status, json.loads(content) if content else None
    except ValueError:
        return status, {"detail": content[:200].decode("utf-8", "replace")}


def detail(data: Any) -> str:
    """The service's sentence in an error body."""
    return str(data.get("detail", data)) if isinstance(data, dict) else str(data)
