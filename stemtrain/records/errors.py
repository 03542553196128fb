"""What can go wrong with a learner's records, said so the learner (or their IT staff) knows what to do.

Every database error is translated into ``StoreError`` with a ``kind``: the advice differs, and only real
corruption is told to "move the file aside". Transient kinds are retried; the others stop saving to that file.
"""

from __future__ import annotations

import sqlite3

__all__ = ["KINDS", "TRANSIENT", "StoreError", "from_sqlite"]

KINDS = ("damaged", "foreign", "future", "read-only", "full", "disk", "locked", "cannot-open", "unavailable", "denied", "invalid")
TRANSIENT = frozenset({"read-only", "full", "disk", "locked", "cannot-open", "unavailable", "denied"})
"""``unavailable``: the class service does not answer; ``denied``: it does not accept the learner's token (joining
again fixes it, so it is retried too). Answers kept in the outbox wait for either to pass."""


class StoreError(RuntimeError):
    """The records cannot be used (or this one answer cannot be saved); the message names the file and what to do."""

    def __init__(self, message: str, *, kind: str, where: str = "") -> None:
        if kind not in KINDS:
            raise ValueError(f"unknown store error kind {kind!r}")
        super().__init__(message)
        self.kind = kind
        self.where = where

    @property
    def transient(self) -> bool:
        """True when trying again later may work (a lock, a full disk, a permission being fixed)."""
        return self.kind in TRANSIENT


def from_sqlite(exc: sqlite3.Error, where: str, doing: str) -> StoreError:
    """Translate a SQLite error raised while ``doing`` something with the file ``where``."""
    name = getattr(exc, "sqlite_errorname", "") or ""
    text = str(exc)
    low = text.lower()
    if name.startswith(("SQLITE_BUSY", "SQLITE_LOCKED")) or "locked" in low:
        return StoreError(
            f"{where}: another program is holding the progress file, so {doing} had to wait too long.",
            kind="locked",
            where=where,
        )
    if name.startswith("SQLITE_READONLY") or "readonly" in low or "read-only" in low:
        return StoreError(
            f"{where}: the progress file (or its folder) is read-only, so {doing} failed. Ask your IT staff to make it writable.",
            kind="read-only",
            where=where,
        )
    if name.startswith("SQLITE_FULL") or "full" in low:
        return StoreError(
            f"{where}: the disk is full, so {doing} failed. Free some space on the disk.",
            kind="full",
            where=where,
        )
    if name.startswith("SQLITE_IOERR") or "disk i/o error" in low:
        return StoreError(
            f"{where}: the disk reported an error ({text}), so {doing} failed. The disk may be full or failing.",
            kind="disk",
            where=where,
        )
    if name.startswith("SQLITE_CANTOPEN") or "unable to open" in low:
        return StoreError(
            f"{where}: the progress file cannot be opened ({text}). Check that its folder exists and that you may write to it.",
            kind="cannot-open",
            where=where,
        )
    return StoreError(
        f"{where}: the progress file is damaged ({text}). It was left unchanged; move it aside (or set STEMTRAIN_PROGRESS) "
        "to start a new one, and keep the old file for your IT staff.",
        kind="damaged",
        where=where,
    )
