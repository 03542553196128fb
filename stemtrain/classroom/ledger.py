"""The class's records: answers numbered and kept once, learners and how they are known, profiles, tokens.

Every write is one transaction. Adding an answer locks its learner's row first (``FOR UPDATE`` on
PostgreSQL; SQLite's IMMEDIATE transaction locks the file), then looks for its ``event_id`` and numbers it
``MAX(attempt) + 1`` for the learner, module and question, so two answers can never get one number and
an answer sent twice is kept once.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.engine import Connection, Engine, Row
from sqlalchemy.exc import IntegrityError

from ..records import Attempt
from ..records.model import utc_now
from .db import answers, aware, learners, profiles, settings, tokens

__all__ = ["Conflict", "Learner", "Ledger"]


class Conflict(ValueError):
    """The request contradicts what is kept (a name already joined, an event id used by someone else)."""


@dataclass(frozen=True)
class Learner:
    name: str
    display_name: str
    identity_source: str
    verified: bool
    joined_at: dt.datetime


class Ledger:
    """The records operations over one engine."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        # SQLite has one writer at a time anyway: queue this process's writers here instead of in SQLite's busy loop
        self._write_lock: Any = threading.Lock() if engine.dialect.name == "sqlite" else contextlib.nullcontext()

    @contextlib.contextmanager
    def _write(self) -> Iterator[Connection]:
        with self._write_lock, self.engine.begin() as conn:
            yield conn

    @contextlib.contextmanager
    def _read(self) -> Iterator[Connection]:
        with self.engine.connect().execution_options(readonly=True) as conn, conn.begin():
            yield conn

    def writing(self) -> contextlib.AbstractContextManager[Connection]:
        """One write transaction, queued behind this process's other writers (for other parts of the service)."""
        return self._write()

    def reading(self) -> contextlib.AbstractContextManager[Connection]:
        """One read-only transaction that waits for no writer."""
        return self._read()

    # --- learners -----------------------------------------------------------------------------------
    def learner(self, name: str) -> Learner | None:
        with self._read() as conn:
            row = conn.execute(select(learners).where(learners.c.name == name)).first()
        return None if row is None else Learner(row.name, row.display_name, row.identity_source, row.verified, aware(row.joined_at))

    def ensure_learner(self, name: str, *, source: str, verified: bool) -> Learner:
        """The learner ``name``, added on first sight (a hub user the first time they answer)."""
        known = self.learner(name)
        if known is not None:
            return known
        try:
            with self._write() as conn:
                conn.execute(
                    learners.insert().values(name=name, display_name=name, identity_source=source, verified=verified, joined_at=utc_now())
                )
        except IntegrityError:
            pass  # someone else added them meanwhile
        found = self.learner(name)
        assert found is not None
        return found

    def join(self, name: str, token_hash: str) -> Learner:
        """Add a room learner with their token; a name already in the class is refused."""
        try:
            with self._write() as conn:
                if conn.execute(select(learners.c.name).where(learners.c.name == name)).first() is not None:
                    raise Conflict(name)
                now = utc_now()
                conn.execute(learners.insert().values(name=name, display_name=name, identity_source="room", verified=False, joined_at=now))
                conn.execute(tokens.insert().values(token_hash=token_hash, role="learner", learner=name, created_at=now))
        except IntegrityError:
            raise Conflict(name) from None
        found = self.learner(name)
        assert found is not None
        return found

    def roster(self) -> list[tuple[Learner, int]]:
        """Every learner with their number of answers, by name."""
        counts = select(answers.c.learner, func.count().label("n")).group_by(answers.c.learner).subquery()
        query = (
            select(learners, func.coalesce(counts.c.n, 0)).outerjoin(counts, counts.c.learner == learners.c.name).order_by(learners.c.name)
        )
        with self._read() as conn:
            rows = conn.execute(query).all()
        return [(Learner(r.name, r.display_name, r.identity_source, r.verified, aware(r.joined_at)), int(r[-1])) for r in rows]

    # --- tokens -------------------------------------------------------------------------------------
    def add_token(self, token_hash: str, role: str, learner: str | None = None, *, replace: bool = False) -> None:
        """Keep a token's hash; ``replace`` first drops the learner's (or every instructor's) earlier tokens."""
        with self._write() as conn:
            if replace:
                old = tokens.c.learner == learner if learner is not None else tokens.c.role == role
                conn.execute(tokens.delete().where(old))
            conn.execute(tokens.insert().values(token_hash=token_hash, role=role, learner=learner, created_at=utc_now()))

    def token(self, token_hash: str) -> tuple[str, str | None] | None:
        """(role, learner) of a kept token, or None."""
        with self._read() as conn:
            row = conn.execute(select(tokens.c.role, tokens.c.learner).where(tokens.c.token_hash == token_hash)).first()
        return None if row is None else (row.role, row.learner)

    # --- settings -----------------------------------------------------------------------------------
    def setting(self, key: str) -> str | None:
        with self._read() as conn:
            return conn.execute(select(settings.c.value).where(settings.c.key == key)).scalar()

    def set_setting(self, key: str, value: str) -> None:
        with self._write() as conn:
            conn.execute(settings.delete().where(settings.c.key == key))
            conn.execute(settings.insert().values(key=key, value=value))

    # --- answers ------------------------------------------------------------------------------------
    def add(self, attempt: Attempt) -> tuple[Attempt, bool]:
        """Keep one answer, numbered by the service; (kept record, True when it is new)."""
        for _ in range(5):
            try:
                return self._add_once(attempt)
            except IntegrityError:
                continue  # a concurrent writer took the number or the event id: look again
        raise Conflict(f"event {attempt.event_id!r} could not be kept (it collides with another record)")

    def _add_once(self, a: Attempt) -> tuple[Attempt, bool]:
        with self._write() as conn:
            conn.execute(select(learners.c.name).where(learners.c.name == a.learner).with_for_update())
            row = conn.execute(select(answers).where(answers.c.event_id == a.event_id)).first()
            if row is not None:
                if row.learner != a.learner:
                    raise Conflict(f"event_id {a.event_id!r} is already used by another learner's record")
                return self._attempt(row), False
            same = (answers.c.learner == a.learner) & (answers.c.module == a.module) & (answers.c.question_id == a.question_id)
            number = int(conn.execute(select(func.coalesce(func.max(answers.c.attempt), 0)).where(same)).scalar_one()) + 1
            kept = a.numbered(number, utc_now())
            conn.execute(
                answers.insert().values(
                    learner=kept.learner,
                    module=kept.module,
                    question_id=kept.question_id,
                    parent_id=kept.parent_id,
                    attempt=kept.attempt,
                    correct=kept.correct,
                    score=float(kept.score),
                    max_score=float(kept.max_score),
                    response=json.dumps(kept.response, allow_nan=False),
                    content_hash=kept.content_hash,
                    mode=kept.mode,
                    answered_at=kept.answered_at,
                    saved_at=kept.saved_at,
                    event_id=kept.event_id,
                )
            )
        return kept, True

    def attempts(
        self,
        learner: str | None = None,
        module: str | None = None,
        question_id: str | None = None,
        *,
        offset: int = 0,
        limit: int | None = None,
    ) -> list[Attempt]:
        """Records in the order they were kept; ``None`` means any."""
        query = select(answers).order_by(answers.c.id).offset(offset).limit(limit)
        for column, value in ((answers.c.learner, learner), (answers.c.module, module), (answers.c.question_id, question_id)):
            if value is not None:
                query = query.where(column == value)
        with self._read() as conn:
            return [self._attempt(r) for r in conn.execute(query)]

    @staticmethod
    def _attempt(row: Row[Any]) -> Attempt:
        return Attempt(
            learner=row.learner,
            module=row.module,
            question_id=row.question_id,
            parent_id=row.parent_id,
            attempt=int(row.attempt),
            correct=bool(row.correct),
            score=float(row.score),
            max_score=float(row.max_score),
            response=json.loads(row.response),
            content_hash=row.content_hash,
            mode=row.mode,
            answered_at=aware(row.answered_at),
            saved_at=aware(row.saved_at),
            event_id=row.event_id,
        )

    # --- profiles -----------------------------------------------------------------------------------
    def profile(self, learner: str) -> dict[str, str] | None:
        with self._read() as conn:
            row = conn.execute(select(profiles).where(profiles.c.learner == learner)).first()
        if row is None:
            return None
        return {
            "display_name": row.display_name,
            "staff_id": row.staff_id,
            "role": row.role,
            "updated_at": aware(row.updated_at).isoformat(),
        }

    def set_profile(self, learner: str, display_name: str, staff_id: str = "", role: str = "") -> dict[str, str]:
        now = utc_now()
        with self._write() as conn:
            conn.execute(profiles.delete().where(profiles.c.learner == learner))
            conn.execute(profiles.insert().values(learner=learner, display_name=display_name, staff_id=staff_id, role=role, updated_at=now))
        return {"display_name": display_name, "staff_id": staff_id, "role": role, "updated_at": now.isoformat()}
