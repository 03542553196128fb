"""A learner's records kept by the class service: the ``RecordStore`` a kernel uses in a class.

Every answer goes into the local outbox first, then to the service; it leaves the outbox when the service
has kept it. While the service is unreachable, ``add`` keeps the answer in the outbox and raises
``StoreError(kind="unavailable")``, so the page says "not saved yet" and the session's ``SavingQueue``
tries again; every later call sends what is waiting, oldest first. The service numbers answers and keeps
each ``event_id`` once, so sending again is always safe.

The token is, in this order: ``STEMTRAIN_CLASS_TOKEN``; the join file ``~/.stemtrain/class.json`` written by
``join()`` for this service; the hub's ``JUPYTERHUB_API_TOKEN`` (a kernel under JupyterHub). Standard
library only: a kernel imports nothing heavy for this.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from .errors import StoreError
from .model import Attempt
from .outbox import Outbox
from .servicehttp import base_url as _base
from .servicehttp import detail as _detail
from .servicehttp import request as _request

__all__ = ["ServiceStore", "join", "join_file", "read_join_file"]

_FIELDS = ("learner", "module", "question_id", "response", "correct", "score", "max_score", "parent_id", "content_hash", "mode")


def join_file() -> Path:
    """``STEMTRAIN_CLASS_FILE``, else ``~/.stemtrain/class.json``."""
    env = os.environ.get("STEMTRAIN_CLASS_FILE", "").strip()
    return Path(env).expanduser() if env else Path.home() / ".stemtrain" / "class.json"


def read_join_file(path: Path | None = None) -> dict[str, str] | None:
    try:
        data = json.loads((path or join_file()).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    ok = isinstance(data, dict) and all(isinstance(data.get(k), str) for k in ("url", "token", "learner"))
    return data if ok else None


def join(url: str, code: str, name: str, *, path: Path | None = None, timeout: float = 10.0) -> dict[str, str]:
    """Join a room's class service with its code and your name; saves the token in the join file (0600)."""
    if not url.startswith(("http://", "https://")):
        raise StoreError(f"{url}: a class service address starts with http:// or https://", kind="invalid", where=url)
    base = _base(url)
    status, data = _request("POST", base + "api/room/join", None, {"code": code, "name": name}, timeout)
    if status != 201 or not isinstance(data, dict):
        raise StoreError(
            f"{base}: joining failed ({status}): {_detail(data)}", kind="denied" if status in (401, 403) else "invalid", where=base
        )
    saved = {"url": base, "token": str(data["token"]), "learner": str(data["learner"])}
    target = path or join_file()
    target.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        json.dump(saved, f)
    os.chmod(target, 0o600)
    return saved


def _time(text: str) -> dt.datetime:
    value = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    return value if value.tzinfo else value.replace(tzinfo=dt.timezone.utc)


def _attempt(data: dict[str, Any]) -> Attempt:
    return Attempt(
        **{k: data[k] for k in _FIELDS},
        attempt=int(data["attempt"]),
        answered_at=_time(data["answered_at"]),
        saved_at=_time(data["saved_at"]),
        event_id=data["event_id"],
    )


def _body(a: Attempt) -> str:
    return json.dumps({**{k: getattr(a, k) for k in _FIELDS}, "answered_at": a.answered_at.isoformat(), "event_id": a.event_id})


class ServiceStore:
    """Records kept by a class service at ``url``, through the learner's outbox."""

    def __init__(
        self,
        url: str,
        *,
        token: str | None = None,
        outbox: Outbox | str | Path | None = None,
        timeout: float = 5.0,
        env: Mapping[str, str] | None = None,
    ) -> None:
        if not url.startswith(("http://", "https://")):
            raise StoreError(f"{url}: a class service address starts with http:// or https://", kind="invalid", where=url)
        self.url = _base(url)
        self.timeout = timeout
        self._env = os.environ if env is None else env
        self._given_token = token
        self.outbox = outbox if isinstance(outbox, Outbox) else Outbox(outbox)
        self.verified = False
        self._token: str | None
        self.learner: str | None
        self._token, self.learner, self.identity_source = self._resolve()
        known = self.outbox.known(self.url)
        if known and not self.learner:
            self.learner, self.identity_source, self.verified = known
        try:
            self._whoami()
            self._flush()
        except StoreError:
            pass  # offline at start: answers wait in the outbox; the first add says so

    def __repr__(self) -> str:
        return f"<ServiceStore {self.url}>"

    # --- the interface --------------------------------------------------------------------------
    def keep(self, attempt: Attempt) -> None:
        """Put ``attempt`` in the outbox without sending it (``SavingQueue`` does this for every answer first)."""
        self.outbox.put(self.url, attempt.event_id, _body(attempt))

    def add(self, attempt: Attempt) -> Attempt:
        """Keep ``attempt`` in the outbox, then send everything waiting; returns it as the service numbered it."""
        self.keep(attempt)
        kept = self._flush(attempt.event_id)
        if kept is None:  # pragma: no cover - _flush raises when it could not send this one
            raise StoreError(f"{self.url}: the answer was not acknowledged", kind="unavailable", where=self.url)
        return kept

    def attempts(self, learner: str | None = None, module: str | None = None, question_id: str | None = None) -> list[Attempt]:
        """The learner's own records kept by the service (an instructor's token: anyone's)."""
        query = {k: v for k, v in (("learner", learner), ("module", module), ("question_id", question_id)) if v is not None}
        data = self._call("GET", "api/records/attempts" + ("?" + urlencode(query) if query else ""), doing="reading your earlier answers")
        return [_attempt(d) for d in data]

    def profile(self, learner: str) -> dict[str, str] | None:
        status, data = self._send("GET", f"api/records/profiles/{_quote(learner)}")
        if status == 404:
            return None
        return self._check(status, data, "reading your profile")  # type: ignore[no-any-return]

    def set_profile(self, learner: str, display_name: str, staff_id: str = "", role: str = "") -> None:
        self._call(
            "PUT",
            f"api/records/profiles/{_quote(learner)}",
            {"display_name": display_name, "staff_id": staff_id, "role": role},
            doing="saving your profile",
        )

    def flush(self) -> int:
        """Send what waits in the outbox now; returns how many answers still wait (the service may be down)."""
        try:
            self._flush()
        except StoreError:
            pass
        return self.pending()

    def call(self, method: str, path: str, body: Any = None) -> tuple[int, Any]:
        """One request to the service as this learner: (status, decoded JSON). For the learner's other calls (the final
        assessment); raises ``StoreError(kind="unavailable")`` when the service cannot be reached."""
        return self._send(method, path, body)

    def download(self, path: str, *, timeout: float = 60.0) -> tuple[int, bytes]:
        """(status, raw bytes) of a GET as this learner: a file the service makes, such as a certificate PDF."""
        status, data = self._send("GET", path, raw=True, timeout=timeout)
        return status, bytes(data or b"")

    def pending(self) -> int:
        """How many answers are waiting in the outbox for this service."""
        return len(self.outbox.pending(self.url))

    def close(self) -> None:
        """Try once more to send what is waiting, then close the outbox."""
        self.flush()
        self.outbox.close()

    # --- sending --------------------------------------------------------------------------------------
    def _flush(self, wanted: str | None = None) -> Attempt | None:
        """Send what waits in the outbox, oldest first; the record kept for ``wanted``, if that was sent."""
        found = None
        for event_id, body in self.outbox.pending(self.url):
            status, data = self._send("POST", "api/records/attempts", body.encode("utf-8"))
            if status in (200, 201) and isinstance(data, dict):
                self.outbox.done(self.url, event_id)
                if event_id == wanted:
                    found = _attempt(data)
            elif status in (400, 403, 409, 413, 422):
                reason = f"{status}: {_detail(data)}"
                self.outbox.refuse(self.url, event_id, reason)
                if event_id == wanted:
                    raise StoreError(f"{self.url}: the class service refused this answer ({reason}).", kind="invalid", where=self.url)
            else:
                waiting = len(self.outbox.pending(self.url))
                self._check(status, data, f"saving your answer ({waiting} waiting on this computer)")
        return found

    def _send(self, method: str, path: str, body: Any = None, *, raw: bool = False, timeout: float | None = None) -> tuple[int, Any]:
        wait = timeout or self.timeout
        status, data = _request(method, self.url + path, self._token, body, wait, raw=raw)
        if status == 401 and self._given_token is None:  # the learner may have joined again meanwhile
            token, learner, source = self._resolve()
            if token and token != self._token:
                self._token, self.learner, self.identity_source = token, learner or self.learner, source
                status, data = _request(method, self.url + path, self._token, body, wait, raw=raw)
        return status, data

    def _call(self, method: str, path: str, body: Any = None, *, doing: str) -> Any:
        status, data = self._send(method, path, body)
        return self._check(status, data, doing)

    def _check(self, status: int, data: Any, doing: str) -> Any:
        if 200 <= status < 300:
            return data
        where, detail = self.url, _detail(data)
        if status == 401:
            raise StoreError(
                f"{where}: the class service does not accept your token ({detail}), so {doing} failed. Join the class again "
                "(stemtrain class join); your answers are kept on this computer until then.",
                kind="denied",
                where=where,
            )
        if status >= 500 or status == 429:
            raise StoreError(
                f"{where}: the class service could not do it ({status}: {detail}), so {doing} failed; it is tried again.",
                kind="unavailable",
                where=where,
            )
        raise StoreError(f"{where}: {doing} was refused ({status}: {detail}).", kind="invalid", where=where)

    # --- who ------------------------------------------------------------------------------------------
    def _resolve(self) -> tuple[str | None, str | None, str]:
        """(token, learner name if known, how the learner is known) from the arguments and the environment."""
        env = self._env
        if self._given_token or env.get("STEMTRAIN_CLASS_TOKEN"):
            return self._given_token or env.get("STEMTRAIN_CLASS_TOKEN"), None, ""
        joined = read_join_file()
        if joined and _base(joined["url"]) == self.url:
            return joined["token"], joined["learner"], "room"
        if env.get("JUPYTERHUB_API_TOKEN"):
            return env["JUPYTERHUB_API_TOKEN"], env.get("JUPYTERHUB_USER") or None, "hub"
        return None, None, ""

    def _whoami(self) -> None:
        if not self._token:
            return
        me = self._call("GET", "api/me", doing="asking the class service who you are")
        if isinstance(me, dict) and me.get("learner"):
            self.learner, self.identity_source, self.verified = str(me["learner"]), str(me["identity_source"]), bool(me["verified"])
            self.outbox.remember(self.url, self.learner, self.identity_source, self.verified)


def _quote(text: str) -> str:
    from urllib.parse import quote

    return quote(text, safe="")
