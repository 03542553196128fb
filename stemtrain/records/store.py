"""The records interface every consumer uses: sessions, resume, exports, analytics, the class service.

A store is opened from a URL by ``open_store``: ``sqlite:///path`` for a learner's own file; the class
service adds a client store that talks to the service, which keeps its own database. Nothing else opens
a database.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Protocol, runtime_checkable

from .model import Attempt

__all__ = ["RecordStore", "latest_by_question"]


@runtime_checkable
class RecordStore(Protocol):
    """Append-only answer records, numbered per learner, module and question."""

    url: str

    def add(self, attempt: Attempt) -> Attempt:
        """Keep one answer and return it numbered; sending the same ``event_id`` again returns the kept record."""
        ...

    def attempts(self, learner: str | None = None, module: str | None = None, question_id: str | None = None) -> list[Attempt]:
        """Records in the order they were kept; ``None`` means any (all learners, modules or questions)."""
        ...

    def close(self) -> None:
        """Release the connection; using the store afterwards reopens it."""
        ...


def latest_by_question(records: Iterable[Attempt]) -> dict[str, Attempt]:
    """The last record of each question id (what a page shows again when the learner comes back)."""
    latest: dict[str, Attempt] = {}
    for record in records:
        known = latest.get(record.question_id)
        if known is None or (record.attempt, record.answered_at) >= (known.attempt, known.answered_at):
            latest[record.question_id] = record
    return latest
