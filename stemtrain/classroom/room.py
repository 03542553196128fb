"""Room mode: a short join code the instructor reads out (or shows as a QR code), and a guard against guessing.

Codes use an alphabet without look-alike characters (no 0/O, 1/I/L), in two groups of four
(``K7PX-3MWD``); learners may type them in any case, with or without the dash or spaces. Only the code's
hash is kept in the database; the instructor's copy is in their 0600 state file.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import threading
import time
from collections import deque

__all__ = ["ALPHABET", "JoinGuard", "code_hash", "new_code", "normalize_code"]

ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
GROUP = 4


def new_code(groups: int = 2) -> str:
    """A fresh join code, e.g. ``K7PX-3MWD`` (31**8, about 8.5e11 codes)."""
    return "-".join("".join(secrets.choice(ALPHABET) for _ in range(GROUP)) for _ in range(groups))


def normalize_code(code: str) -> str:
    """What a learner typed, as the code is kept: upper case, without dashes or spaces."""
    return "".join(ch for ch in code.upper() if ch not in "- \t")


def code_hash(code: str) -> str:
    return hashlib.sha256(normalize_code(code).encode("utf-8")).hexdigest()


def code_matches(code: str, kept_hash: str | None) -> bool:
    return bool(kept_hash) and hmac.compare_digest(code_hash(code), str(kept_hash))


class JoinGuard:
    """At most ``limit`` wrong codes per client address in ``window`` seconds; then joining waits."""

    def __init__(self, limit: int = 20, window: float = 60.0) -> None:
        self.limit = limit
        self.window = window
        self._failures: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def blocked(self, client: str) -> bool:
        with self._lock:
            recent = self._recent(client)
            return len(recent) >= self.limit

    def failed(self, client: str) -> None:
        with self._lock:
            self._recent(client).append(time.monotonic())

    def _recent(self, client: str) -> deque[float]:
        recent = self._failures.setdefault(client, deque())
        while recent and recent[0] < time.monotonic() - self.window:
            recent.popleft()
        return recent
