"""Final-assessment attempts and certificates in the class database (tables of migration 0003).

Every change is one transaction. Saving a response locks its attempt's row (``FOR UPDATE`` on PostgreSQL;
SQLite's IMMEDIATE transaction locks the file) and only changes an attempt not yet submitted, so a response
can never land after the submission that scored the form; a second submission changes nothing.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Boolean, Column, DateTime, Double, ForeignKey, Index, Integer, String, Table, Text, UniqueConstraint, select, update
from sqlalchemy.exc import IntegrityError

from ..records.assessment import AssessmentRecord, AttemptTaken, pack_responses, unpack_responses
from .db import NAME, aware, metadata
from .ledger import Ledger

__all__ = ["CertificateRow", "ClassAttempts", "assessment_attempts", "certificates"]

assessment_attempts = Table(
    "assessment_attempts",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("learner", String(NAME), ForeignKey("learners.name"), nullable=False),
    Column("blueprint_id", String(NAME), nullable=False),
    Column("attempt_no", Integer, nullable=False),
    Column("form_items", Text, nullable=False),
    Column("seed", String(64), nullable=False),
    Column("started_at", DateTime(timezone=True), nullable=False),
    Column("deadline", DateTime(timezone=True), nullable=True),
    Column("responses", Text, nullable=False),
    Column("submitted_at", DateTime(timezone=True), nullable=True),
    Column("auto_submitted", Boolean, nullable=False),
    Column("item_scores", Text, nullable=True),
    Column("total", Double, nullable=True),
    Column("passed", Boolean, nullable=True),
    Column("mode", String(16), nullable=False),
    UniqueConstraint("learner", "blueprint_id", "attempt_no", name="assessment_attempt_once"),
)
certificates = Table(
    "certificates",
    metadata,
    Column("code", String(20), primary_key=True),
    Column("attempt_id", Integer, ForeignKey("assessment_attempts.id"), nullable=False, unique=True),
    Column("learner", String(NAME), ForeignKey("learners.name"), nullable=False),
    Column("claims", Text, nullable=False),
    Column("signature", Text, nullable=False),
    Column("issued_at", DateTime(timezone=True), nullable=False),
    Column("revoked_at", DateTime(timezone=True), nullable=True),
    Column("reason", Text, nullable=True),
)
Index("certificates_by_learner", certificates.c.learner)


@dataclass(frozen=True)
class CertificateRow:
    """A certificate as kept: its signed claims (canonical JSON) and signature, and whether it was revoked."""

    code: str
    attempt_id: int
    learner: str
    claims: bytes
    signature: str
    issued_at: dt.datetime
    revoked_at: dt.datetime | None
    reason: str | None


def _certificate(row: Any) -> CertificateRow:
    revoked = aware(row.revoked_at) if row.revoked_at is not None else None
    return CertificateRow(
        row.code, int(row.attempt_id), row.learner, row.claims.encode("utf-8"), row.signature, aware(row.issued_at), revoked, row.reason
    )


def _utc(value: dt.datetime | None) -> dt.datetime | None:
    """A time as the database keeps it: in UTC (SQLite drops the offset, so a time written in +02:00 would read back two hours off)."""
    return None if value is None else value.astimezone(dt.timezone.utc)


def _record(row: Any, code: str | None) -> AssessmentRecord:
    responses, saved = unpack_responses(row.responses)
    return AssessmentRecord(
        id=int(row.id),
        learner=row.learner,
        blueprint_id=row.blueprint_id,
        number=int(row.attempt_no),
        seed=row.seed,
        form=tuple(json.loads(row.form_items)),
        started_at=aware(row.started_at),
        deadline=aware(row.deadline) if row.deadline is not None else None,
        mode=row.mode,
        responses=responses,
        saved=saved,
        submitted_at=aware(row.submitted_at) if row.submitted_at is not None else None,
        auto_submitted=bool(row.auto_submitted),
        item_scores=None if row.item_scores is None else json.loads(row.item_scores),
        total=None if row.total is None else float(row.total),
        passed=None if row.passed is None else bool(row.passed),
        certificate_code=code,
    )


class ClassAttempts:
    """The ``AttemptStore`` of a class, plus the certificates, over the ledger's engine."""

    def __init__(self, ledger: Ledger) -> None:
        self.ledger = ledger

    # --- attempts -----------------------------------------------------------------------------------
    def _codes(self, conn: Any, ids: list[int]) -> dict[int, str]:
        if not ids:
            return {}
        rows = conn.execute(select(certificates.c.attempt_id, certificates.c.code).where(certificates.c.attempt_id.in_(ids)))
        return {int(r.attempt_id): r.code for r in rows}

    def assessment_attempts(self, learner: str | None, blueprint_id: str | None = None) -> list[AssessmentRecord]:
        """Attempts in the order they were started (``learner`` None: everyone's)."""
        query = select(assessment_attempts).order_by(assessment_attempts.c.id)
        if learner is not None:
            query = query.where(assessment_attempts.c.learner == learner)
        if blueprint_id is not None:
            query = query.where(assessment_attempts.c.blueprint_id == blueprint_id)
        with self.ledger.reading() as conn:
            rows = conn.execute(query).all()
            codes = self._codes(conn, [int(r.id) for r in rows])
        return [_record(r, codes.get(int(r.id))) for r in rows]

    def assessment_attempt(self, attempt_id: int) -> AssessmentRecord | None:
        with self.ledger.reading() as conn:
            row = conn.execute(select(assessment_attempts).where(assessment_attempts.c.id == attempt_id)).first()
            codes = self._codes(conn, [attempt_id]) if row is not None else {}
        return None if row is None else _record(row, codes.get(attempt_id))

    def add_assessment_attempt(self, record: AssessmentRecord) -> AssessmentRecord:
        from dataclasses import replace

        values = {
            "learner": record.learner,
            "blueprint_id": record.blueprint_id,
            "attempt_no": record.number,
            "form_items": json.dumps(list(record.form)),
            "seed": record.seed,
            "started_at": _utc(record.started_at),
            "deadline": _utc(record.deadline),
            "responses": "{}",
            "auto_submitted": False,
            "mode": record.mode,
        }
        try:
            with self.ledger.writing() as conn:
                new_id = conn.execute(assessment_attempts.insert().values(**values)).inserted_primary_key[0]  # type: ignore[index]
        except IntegrityError:
            raise AttemptTaken(record.learner) from None
        return replace(record, id=int(new_id))

    def save_assessment_response(self, attempt_id: int, question_id: str, response: Any, saved_at: dt.datetime) -> bool:
        """Keep one response; False when the attempt is submitted, unknown, or its deadline is not after ``saved_at``."""
        table = assessment_attempts
        with self.ledger.writing() as conn:
            row = conn.execute(
                select(table.c.responses, table.c.deadline)
                .where((table.c.id == attempt_id) & table.c.submitted_at.is_(None))
                .with_for_update()
            ).first()
            if row is None or (row.deadline is not None and aware(row.deadline) <= saved_at):
                return False  # the proctor checked the deadline before; time may have run out since
            responses, saved = unpack_responses(row.responses)
            responses[question_id], saved[question_id] = response, saved_at.astimezone(dt.timezone.utc).isoformat()
            conn.execute(update(table).where(table.c.id == attempt_id).values(responses=pack_responses(responses, saved)))
        return True

    def finish_assessment_attempt(self, record: AssessmentRecord) -> bool:
        """Keep the submission and scores; False when the attempt was submitted already, or a response was saved since
        ``record`` was read (its row is locked meanwhile, so no response lands between this check and the submission)."""
        table = assessment_attempts
        with self.ledger.writing() as conn:
            row = conn.execute(
                select(table.c.responses).where((table.c.id == record.id) & table.c.submitted_at.is_(None)).with_for_update()
            ).first()
            if row is None or unpack_responses(row.responses)[0] != dict(record.responses):
                return False
            done = conn.execute(
                update(table)
                .where((table.c.id == record.id) & table.c.submitted_at.is_(None))
                .values(
                    submitted_at=_utc(record.submitted_at),
                    auto_submitted=record.auto_submitted,
                    item_scores=json.dumps(dict(record.item_scores or {})),
                    total=record.total,
                    passed=record.passed,
                )
            )
        return bool(done.rowcount == 1)

    # --- certificates -------------------------------------------------------------------------------
    def add_certificate(self, code: str, attempt_id: int, *, learner: str, claims: bytes, signature: str, issued_at: dt.datetime) -> bool:
        """Keep a certificate; False when its code is taken (the caller draws another)."""
        try:
            with self.ledger.writing() as conn:
                conn.execute(
                    certificates.insert().values(
                        code=code,
                        attempt_id=attempt_id,
                        learner=learner,
                        claims=claims.decode("utf-8"),
                        signature=signature,
                        issued_at=_utc(issued_at),
                    )
                )
        except IntegrityError:
            return False
        return True

    def certificate(self, code: str) -> CertificateRow | None:
        with self.ledger.reading() as conn:
            row = conn.execute(select(certificates).where(certificates.c.code == code)).first()
        return None if row is None else _certificate(row)

    def certificate_of(self, attempt_id: int) -> CertificateRow | None:
        with self.ledger.reading() as conn:
            row = conn.execute(select(certificates).where(certificates.c.attempt_id == attempt_id)).first()
        return None if row is None else _certificate(row)

    def certificates(self) -> list[CertificateRow]:
        with self.ledger.reading() as conn:
            return [_certificate(r) for r in conn.execute(select(certificates).order_by(certificates.c.issued_at, certificates.c.code))]

    def revoke(self, code: str, reason: str, when: dt.datetime) -> CertificateRow | None:
        """Revoke a certificate (once: revoking again keeps the first date and reason); None when there is no such code."""
        with self.ledger.writing() as conn:
            conn.execute(
                update(certificates)
                .where((certificates.c.code == code) & certificates.c.revoked_at.is_(None))
                .values(revoked_at=_utc(when), reason=reason)
            )
        return self.certificate(code)
