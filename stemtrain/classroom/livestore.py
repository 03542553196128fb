"""Live sessions kept in the class database: sessions, polls (one pushed question each) and one answer per learner.

A poll moves ``open`` → ``closed`` → ``revealed`` (or straight to ``revealed``). Opening a poll closes the
session's earlier open one, so learners see one question at a time. A learner's answer is kept once: the
``(poll, learner)`` pair is unique in the database, and sending it again returns the kept answer, so a retry
after a lost reply can never count twice. Answers are refused once the poll is no longer open.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Column, DateTime, ForeignKey, Integer, String, Table, Text, UniqueConstraint, func, select, update
from sqlalchemy.exc import IntegrityError

from ..records.model import utc_now
from .db import NAME, aware, metadata
from .ledger import Conflict, Ledger

__all__ = ["STATES", "LiveBoard", "Poll", "Session"]

STATES = ("open", "closed", "revealed")

live_sessions = Table(
    "live_sessions",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("started_at", DateTime(timezone=True), nullable=False),
    Column("ended_at", DateTime(timezone=True), nullable=True),
)
live_polls = Table(
    "live_polls",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("session_id", Integer, ForeignKey("live_sessions.id"), nullable=False),
    Column("module", String(NAME), nullable=False),
    Column("question_id", String(NAME), nullable=False),
    Column("state", String(16), nullable=False),
    Column("opened_at", DateTime(timezone=True), nullable=False),
    Column("closed_at", DateTime(timezone=True), nullable=True),
    Column("revealed_at", DateTime(timezone=True), nullable=True),
)
live_answers = Table(
    "live_answers",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("poll_id", Integer, ForeignKey("live_polls.id"), nullable=False),
    Column("learner", String(NAME), ForeignKey("learners.name"), nullable=False),
    Column("response", Text, nullable=False),
    Column("answered_at", DateTime(timezone=True), nullable=False),
    UniqueConstraint("poll_id", "learner", name="live_answers_once"),
)


@dataclass(frozen=True)
class Session:
    id: int
    started_at: dt.datetime
    ended_at: dt.datetime | None


@dataclass(frozen=True)
class Poll:
    id: int
    session_id: int
    module: str
    question_id: str
    state: str
    opened_at: dt.datetime


def _poll(row: Any) -> Poll:
    return Poll(row.id, row.session_id, row.module, row.question_id, row.state, aware(row.opened_at))


class LiveBoard:
    """The live-session operations over the ledger's engine (its write queue and read transactions)."""

    def __init__(self, ledger: Ledger) -> None:
        self.ledger = ledger

    def session(self) -> Session | None:
        """The session under way (started and not ended), if any."""
        with self.ledger.reading() as conn:
            row = conn.execute(select(live_sessions).where(live_sessions.c.ended_at.is_(None)).order_by(live_sessions.c.id.desc())).first()
        return None if row is None else Session(row.id, aware(row.started_at), None)

    def start(self) -> tuple[Session, bool]:
        """The session under way, or a new one; (session, True when new)."""
        with self.ledger.writing() as conn:
            row = conn.execute(select(live_sessions).where(live_sessions.c.ended_at.is_(None))).first()
            if row is not None:
                return Session(row.id, aware(row.started_at), None), False
            now = utc_now()
            new_id = conn.execute(live_sessions.insert().values(started_at=now)).inserted_primary_key[0]  # type: ignore[index]
        return Session(int(new_id), now, None), True

    def end(self) -> Session | None:
        """End the session under way: its open poll closes and learners' pages go quiet."""
        now = utc_now()
        with self.ledger.writing() as conn:
            row = conn.execute(select(live_sessions).where(live_sessions.c.ended_at.is_(None))).first()
            if row is None:
                return None
            conn.execute(
                update(live_polls)
                .where((live_polls.c.session_id == row.id) & (live_polls.c.state == "open"))
                .values(state="closed", closed_at=now)
            )
            conn.execute(update(live_sessions).where(live_sessions.c.id == row.id).values(ended_at=now))
        return Session(row.id, aware(row.started_at), now)

    def push(self, module: str, question_id: str) -> Poll:
        """Open a poll on ``question_id`` in the session under way (closing the one open before)."""
        now = utc_now()
        with self.ledger.writing() as conn:
            row = conn.execute(select(live_sessions.c.id).where(live_sessions.c.ended_at.is_(None))).first()
            if row is None:
                raise Conflict("no live session is under way: start one first (POST /api/live/sessions)")
            conn.execute(
                update(live_polls)
                .where((live_polls.c.session_id == row.id) & (live_polls.c.state == "open"))
                .values(state="closed", closed_at=now)
            )
            values = {"session_id": row.id, "module": module, "question_id": question_id, "state": "open", "opened_at": now}
            new_id = conn.execute(live_polls.insert().values(**values)).inserted_primary_key[0]  # type: ignore[index]
        return Poll(int(new_id), int(row.id), module, question_id, "open", now)

    def poll(self, poll_id: int) -> Poll | None:
        with self.ledger.reading() as conn:
            row = conn.execute(select(live_polls).where(live_polls.c.id == poll_id)).first()
        return None if row is None else _poll(row)

    def current(self) -> tuple[Session | None, Poll | None]:
        """The session under way and its latest poll: what every learner's page shows."""
        with self.ledger.reading() as conn:
            srow = conn.execute(select(live_sessions).where(live_sessions.c.ended_at.is_(None)).order_by(live_sessions.c.id.desc())).first()
            if srow is None:
                return None, None
            prow = conn.execute(select(live_polls).where(live_polls.c.session_id == srow.id).order_by(live_polls.c.id.desc())).first()
        return Session(srow.id, aware(srow.started_at), None), None if prow is None else _poll(prow)

    def move(self, poll_id: int, state: str) -> Poll:
        """Close answering (``closed``) or reveal the answer (``revealed``, which also closes it)."""
        if state not in ("closed", "revealed"):
            raise ValueError(f"a poll can be moved to closed or revealed, not {state!r}")
        now = utc_now()
        with self.ledger.writing() as conn:
            row = conn.execute(select(live_polls).where(live_polls.c.id == poll_id)).first()
            if row is None:
                raise KeyError(poll_id)
            if row.state != "revealed":
                stamps = {"closed_at": row.closed_at or now, **({"revealed_at": now} if state == "revealed" else {})}
                conn.execute(update(live_polls).where(live_polls.c.id == poll_id).values(state=state, **stamps))
        found = self.poll(poll_id)
        assert found is not None
        return found

    def answer(self, poll_id: int, learner: str, response: Any) -> tuple[Any, bool]:
        """Keep ``learner``'s answer once; (the kept response, True when it is new). ``Conflict`` once answering closed."""
        for _ in range(3):
            try:
                with self.ledger.writing() as conn:
                    state = conn.execute(select(live_polls.c.state).where(live_polls.c.id == poll_id)).scalar()
                    kept = conn.execute(
                        select(live_answers.c.response).where((live_answers.c.poll_id == poll_id) & (live_answers.c.learner == learner))
                    ).scalar()
                    if kept is not None:
                        return json.loads(kept), False
                    if state is None:
                        raise KeyError(poll_id)
                    if state != "open":
                        raise Conflict("answering is closed for this question")
                    conn.execute(
                        live_answers.insert().values(poll_id=poll_id, learner=learner, response=json.dumps(response), answered_at=utc_now())
                    )
                return response, True
            except IntegrityError:
                continue  # the same learner's other request won the race: read what it kept
        raise Conflict("the answer could not be kept; send it again")

    def answer_of(self, poll_id: int, learner: str) -> Any:
        """The learner's kept answer to the poll, or None."""
        with self.ledger.reading() as conn:
            kept = conn.execute(
                select(live_answers.c.response).where((live_answers.c.poll_id == poll_id) & (live_answers.c.learner == learner))
            ).scalar()
        return None if kept is None else json.loads(kept)

    def responses(self, poll_id: int) -> list[Any]:
        """Every kept response to the poll (no names: the counts are all anyone sees)."""
        with self.ledger.reading() as conn:
            return [json.loads(r) for r in conn.execute(select(live_answers.c.response).where(live_answers.c.poll_id == poll_id)).scalars()]

    def learners(self) -> int:
        """How many learners the class has (for "12 of 20 answered")."""
        from .db import learners

        with self.ledger.reading() as conn:
            return int(conn.execute(select(func.count()).select_from(learners)).scalar_one())
