"""Sending xAPI statements to an LRS without ever making the learner wait.

``XapiSender.send()`` only puts a statement on a bounded queue (dropping it, and counting, when the queue is full);
a background thread posts batches to ``<STEMTRAIN_LRS_URL>/statements`` with basic auth from
``STEMTRAIN_LRS_USER``/``STEMTRAIN_LRS_PASSWORD``, retrying network errors, 429 and 5xx with exponential backoff.
A batch the LRS refuses (4xx) is kept in ``rejected`` rather than retried forever. Statement ids are stable,
so a retry after a lost reply stores nothing twice. Standard library only.
"""

from __future__ import annotations

import base64
import json
import os
import queue
import threading
import time
import urllib.error
import urllib.request
from typing import Any

__all__ = ["XapiSender"]

_STOP = object()


class XapiSender:
    """A background sender: ``send()`` never blocks; ``flush()`` waits for the queue to drain; ``close()`` stops."""

    def __init__(
        self,
        url: str | None = None,
        user: str | None = None,
        password: str | None = None,
        *,
        batch_size: int = 50,
        max_queue: int = 10_000,
        retries: int = 5,
        backoff: float = 0.5,
        timeout: float = 10.0,
    ) -> None:
        base = url or os.environ.get("STEMTRAIN_LRS_URL", "")
        if not base:
            raise ValueError("no LRS address: pass url= or set STEMTRAIN_LRS_URL (e.g. https://lrs.example.org/xAPI/)")
        self.endpoint = base.rstrip("/") + "/statements"
        user = user if user is not None else os.environ.get("STEMTRAIN_LRS_USER", "")
        password = password if password is not None else os.environ.get("STEMTRAIN_LRS_PASSWORD", "")
        self._auth = "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode() if user else ""
        self.batch_size, self.retries, self.backoff, self.timeout = batch_size, retries, backoff, timeout
        self._queue: queue.Queue[Any] = queue.Queue(maxsize=max_queue)
        self.sent = 0
        """Statements the LRS accepted (a statement it already had counts: it answered that it has it)."""
        self.dropped = 0
        """Statements refused by ``send()`` because the queue was full."""
        self.retried = 0
        """POSTs that failed (no answer, 429 or 5xx) and were tried again after a pause."""
        self.rejected: list[tuple[int, str, list[dict[str, Any]]]] = []
        self.failed: list[dict[str, Any]] = []
        self._thread = threading.Thread(target=self._run, name="stemtrain-xapi", daemon=True)
        self._thread.start()

    def send(self, statement: dict[str, Any]) -> bool:
        """Queue one statement; False when the queue is full (the statement is dropped and counted)."""
        try:
            self._queue.put_nowait(statement)
        except queue.Full:
            self.dropped += 1
            return False
        return True

    def flush(self, timeout: float | None = None) -> bool:
        """Wait until every queued statement is sent or given up on; False on timeout."""
        deadline = None if timeout is None else time.monotonic() + timeout
        while self._queue.unfinished_tasks:
            if deadline is not None and time.monotonic() > deadline:
                return False
            time.sleep(0.02)
        return True

    def close(self, timeout: float | None = 30.0) -> bool:
        """Flush, then stop the thread; True when everything queued was dealt with in time."""
        done = self.flush(timeout)
        self._queue.put(_STOP)
        self._thread.join(timeout)
        return done

    def _run(self) -> None:
        while True:
            first = self._queue.get()
            if first is _STOP:
                self._queue.task_done()
                return
            batch = [first]
            while len(batch) < self.batch_size:
                try:
                    more = self._queue.get_nowait()
                except queue.Empty:
                    break
                if more is _STOP:
                    self._queue.put(_STOP)
                    self._queue.task_done()
                    break
                batch.append(more)
            try:
                self._deliver(batch)
            finally:
                for _ in batch:
                    self._queue.task_done()

    def _deliver(self, batch: list[dict[str, Any]]) -> None:
        body = json.dumps(batch).encode("utf-8")
        headers = {"Content-Type": "application/json", "X-Experience-API-Version": "1.0.3"}
        if self._auth:
            headers["Authorization"] = self._auth
        for attempt in range(self.retries + 1):
            request = urllib.request.Request(self.endpoint, data=body, headers=headers, method="POST")
            try:
                with urllib.request.urlopen(request, timeout=self.timeout) as reply:
                    reply.read()
                self.sent += len(batch)
                return
            except urllib.error.HTTPError as exc:
                if exc.code == 409 and len(batch) > 1:  # some ids already stored: send one by one, 409 alone means "have it"
                    for statement in batch:
                        self._deliver([statement])
                    return
                if exc.code == 409:
                    self.sent += 1
                    return
                if exc.code != 429 and exc.code < 500:
                    self.rejected.append((exc.code, exc.read().decode("utf-8", "replace")[:500], batch))
                    return
            except (urllib.error.URLError, OSError):
                pass
            if attempt < self.retries:
                self.retried += 1
                time.sleep(self.backoff * 2**attempt)
        self.failed.extend(batch)
