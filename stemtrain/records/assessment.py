"""One attempt at the final assessment as it is kept: the form drawn, every response with its time, the scores.

The class service keeps these in its database and a self-study learner in their own progress file; both hand
back the same record. The record knows nothing of questions or keys: item ids, responses and scores are plain
JSON, so the records layer stays below content and quizzes. ``SQLiteAttempts`` is the progress file's side.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

from .errors import StoreError, from_sqlite
from .sqlitefile import rollback

if TYPE_CHECKING:
    from .sqlite import SQLiteStore

__all__ = ["ATTEMPT_MODES", "AssessmentRecord", "AttemptTaken", "SQLiteAttempts", "pack_responses", "unpack_responses"]

ATTEMPT_MODES = ("class", "self-study")


class AttemptTaken(ValueError):
    """Another attempt with this number was kept first (two starts at once): read it and resume it instead."""


def _iso(value: dt.datetime | None) -> str | None:
    return None if value is None else value.astimezone(dt.timezone.utc).isoformat()


def _time(text: str | None) -> dt.datetime | None:
    if not text:
        return None
    value = dt.datetime.fromisoformat(text)
    return value if value.tzinfo else value.replace(tzinfo=dt.timezone.utc)


def pack_responses(responses: Mapping[str, Any], saved: Mapping[str, str]) -> str:
    """The responses column: ``{question id: [response, saved at]}``, so every answer keeps its time."""
    return json.dumps({qid: [responses[qid], saved.get(qid, "")] for qid in responses}, allow_nan=False)


def unpack_responses(text: str | None) -> tuple[dict[str, Any], dict[str, str]]:
    raw = json.loads(text or "{}")
    return {qid: pair[0] for qid, pair in raw.items()}, {qid: str(pair[1]) for qid, pair in raw.items()}


@dataclass(frozen=True, kw_only=True)
class AssessmentRecord:
    """One learner's attempt ``number`` at blueprint ``blueprint_id``; ``id`` is given by the store that keeps it."""

    learner: str
    blueprint_id: str
    number: int
    seed: str
    form: tuple[str, ...]
    started_at: dt.datetime
    deadline: dt.datetime | None
    mode: str
    id: int = 0
    responses: Mapping[str, Any] = field(default_factory=dict)
    saved: Mapping[str, str] = field(default_factory=dict)
    submitted_at: dt.datetime | None = None
    auto_submitted: bool = False
    item_scores: Mapping[str, float] | None = None
    total: float | None = None
    passed: bool | None = None
    certificate_code: str | None = None

    def __post_init__(self) -> None:
        if self.mode not in ATTEMPT_MODES:
            raise ValueError(f"AssessmentRecord.mode must be one of {ATTEMPT_MODES}, got {self.mode!r}")
        for name in ("started_at", "deadline", "submitted_at"):
            value = getattr(self, name)
            if value is not None and value.tzinfo is None:
                raise ValueError(f"AssessmentRecord.{name} must be timezone-aware")

    @property
    def submitted(self) -> bool:
        return self.submitted_at is not None

    def answered(self) -> int:
        """How many items hold a response (a cleared answer counts as none)."""
        return sum(1 for qid in self.form if self.responses.get(qid) not in (None, []))

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON, for exports and the API."""
        return {
            "id": self.id,
            "learner": self.learner,
            "blueprint_id": self.blueprint_id,
            "number": self.number,
            "seed": self.seed,
            "form": list(self.form),
            "started_at": _iso(self.started_at),
            "deadline": _iso(self.deadline),
            "mode": self.mode,
            "responses": dict(self.responses),
            "saved": dict(self.saved),
            "submitted_at": _iso(self.submitted_at),
            "auto_submitted": self.auto_submitted,
            "item_scores": None if self.item_scores is None else dict(self.item_scores),
            "total": self.total,
            "passed": self.passed,
            "certificate_code": self.certificate_code,
        }


_COLUMNS = (
    "id, learner, blueprint_id, number, seed, form, started_at, deadline, mode, responses, submitted_at, auto_submitted, "
    "item_scores, total, passed"
)


def _record(row: Any) -> AssessmentRecord:
    responses, saved = unpack_responses(row[9])
    started = _time(row[6])
    assert started is not None
    return AssessmentRecord(
        id=int(row[0]),
        learner=row[1],
        blueprint_id=row[2],
        number=int(row[3]),
        seed=row[4],
        form=tuple(json.loads(row[5])),
        started_at=started,
        deadline=_time(row[7]),
        mode=row[8],
        responses=responses,
        saved=saved,
        submitted_at=_time(row[10]),
        auto_submitted=bool(row[11]),
        item_scores=None if row[12] is None else json.loads(row[12]),
        total=row[13],
        passed=None if row[14] is None else bool(row[14]),
    )


class SQLiteAttempts:
    """Assessment attempts in a learner's own progress file (self-study), on the store's connection and lock."""

    def __init__(self, store: SQLiteStore) -> None:
        self.store = store

    def _run(self, doing: str, work: Any, *, write: bool = False) -> Any:
        store = self.store
        with store._lock:
            db = store._connection()
            try:
                if write:
                    db.execute("BEGIN IMMEDIATE")
                result = work(db)
                if write:
                    db.execute("COMMIT")
                return result
            except sqlite3.IntegrityError:
                rollback(db)
                raise AttemptTaken(doing) from None
            except sqlite3.Error as exc:
                rollback(db)
                raise from_sqlite(exc, str(store.path), doing) from None
            except BaseException:
                rollback(db)
                raise

    def assessment_attempts(self, learner: str, blueprint_id: str | None = None) -> list[AssessmentRecord]:
        """The learner's attempts (at one blueprint, or any), in the order they were started."""
        query = f"SELECT {_COLUMNS} FROM assessment_attempts WHERE learner = ?" + (" AND blueprint_id = ?" if blueprint_id else "")
        args = (learner, blueprint_id) if blueprint_id else (learner,)
        rows = self._run("reading your final assessment", lambda db: db.execute(query + " ORDER BY number, id", args).fetchall())
        return [_record(r) for r in rows]

    def assessment_attempt(self, attempt_id: int) -> AssessmentRecord | None:
        rows = self._run(
            "reading your final assessment",
            lambda db: db.execute(f"SELECT {_COLUMNS} FROM assessment_attempts WHERE id = ?", (attempt_id,)).fetchall(),
        )
        return _record(rows[0]) if rows else None

    def add_assessment_attempt(self, record: AssessmentRecord) -> AssessmentRecord:
        """Keep a new attempt; ``AttemptTaken`` when its number is already kept for this learner and blueprint."""

        def insert(db: sqlite3.Connection) -> int:
            cursor = db.execute(
                "INSERT INTO assessment_attempts (learner, blueprint_id, number, seed, form, started_at, deadline, mode, responses) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, '{}')",
                (
                    record.learner,
                    record.blueprint_id,
                    record.number,
                    record.seed,
                    json.dumps(list(record.form)),
                    _iso(record.started_at),
                    _iso(record.deadline),
                    record.mode,
                ),
            )
            return int(cursor.lastrowid or 0)

        return replace(record, id=self._run("starting your final assessment", insert, write=True))

    def save_assessment_response(self, attempt_id: int, question_id: str, response: Any, saved_at: dt.datetime) -> bool:
        """Keep one response (replacing the earlier one); False when the attempt is submitted, unknown, or out of time at ``saved_at``."""

        def save(db: sqlite3.Connection) -> bool:
            row = db.execute(
                "SELECT responses, deadline FROM assessment_attempts WHERE id = ? AND submitted_at IS NULL", (attempt_id,)
            ).fetchone()
            deadline = _time(row[1]) if row is not None else None
            if row is None or (deadline is not None and deadline <= saved_at):
                return False
            responses, saved = unpack_responses(row[0])
            responses[question_id], saved[question_id] = response, _iso(saved_at) or ""
            db.execute("UPDATE assessment_attempts SET responses = ? WHERE id = ?", (pack_responses(responses, saved), attempt_id))
            return True

        try:
            return bool(self._run(f"saving your answer to {question_id!r}", save, write=True))
        except (TypeError, ValueError) as exc:
            if isinstance(exc, AttemptTaken):
                raise
            raise StoreError(f"{self.store.path}: the answer to {question_id!r} cannot be stored ({exc})", kind="invalid") from None

    def finish_assessment_attempt(self, record: AssessmentRecord) -> bool:
        """Keep the submission and scores of ``record``; False when that attempt was submitted already, or its responses
        are no longer those of ``record`` (one was saved since it was read: score it again)."""

        def finish(db: sqlite3.Connection) -> bool:
            row = db.execute("SELECT responses FROM assessment_attempts WHERE id = ? AND submitted_at IS NULL", (record.id,)).fetchone()
            if row is None or unpack_responses(row[0])[0] != dict(record.responses):
                return False
            cursor = db.execute(
                "UPDATE assessment_attempts SET submitted_at = ?, auto_submitted = ?, item_scores = ?, total = ?, passed = ? "
                "WHERE id = ? AND submitted_at IS NULL",
                (
                    _iso(record.submitted_at),
                    int(record.auto_submitted),
                    json.dumps(dict(record.item_scores or {})),
                    record.total,
                    None if record.passed is None else int(record.passed),
                    record.id,
                ),
            )
            return cursor.rowcount == 1

        return bool(self._run("submitting your final assessment", finish, write=True))
