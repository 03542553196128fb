"""The instructor reading a whole class from the class service, a page at a time (standard library only).

``GET /api/class/attempts`` answers the instructor's token only; a learner's token, a wrong address or a
service that is down each give a ``StoreError`` whose sentence says which, never a traceback.
"""

from __future__ import annotations

from urllib.parse import urlencode

from .client import _attempt
from .errors import StoreError
from .model import Attempt
from .servicehttp import base_url as _base
from .servicehttp import detail as _detail
from .servicehttp import request as _request

__all__ = ["PAGE", "read_class"]

PAGE = 10_000
"""Answers per request: the service's default page, so a class of 2 million answers takes 200 requests."""


def read_class(url: str, token: str, *, module: str | None = None, page: int = PAGE, timeout: float = 30.0) -> list[Attempt]:
    """Every answer the class service keeps (optionally one module's), in the order they were kept."""
    if not url.startswith(("http://", "https://")):
        raise StoreError(f"{url}: a class service address starts with http:// or https://", kind="invalid", where=url)
    base = _base(url)
    out: list[Attempt] = []
    while True:
        query = {"offset": len(out), "limit": page, **({"module": module} if module else {})}
        status, data = _request("GET", f"{base}api/class/attempts?{urlencode(query)}", token, None, timeout)
        if status in (401, 403):
            raise StoreError(
                f"{base}: the class service refused to show the class ({status}: {_detail(data)}). Use the instructor's token "
                "(--token, STEMTRAIN_INSTRUCTOR_TOKEN, or instructor.json in the service's data folder).",
                kind="denied",
                where=base,
            )
        if status != 200 or not isinstance(data, list):
            raise StoreError(f"{base}: reading the class failed ({status}: {_detail(data)})", kind="unavailable", where=base)
        out.extend(_attempt(d) for d in data)
        if len(data) < page:
            return out
