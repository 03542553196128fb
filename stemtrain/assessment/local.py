"""Self-study: the final assessment run on the learner's own computer, with the pool read from disk.

Nobody supervises it and the keys are on the same computer, so every result it gives says "Self-study, not
proctored", on the record (mode ``self-study``) and on the completion document. Attempts are kept in the
learner's progress file, so a closed tab loses nothing; when that file cannot be used they are kept for this
page only, and the page says so. The completion document is a certificate PDF signed with a key made on this
computer: it verifies against that key only, never against a class's published key.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

from ..records.assessment import AssessmentRecord, AttemptTaken, SQLiteAttempts
from ..records.errors import StoreError
from ..records.model import utc_now
from .attempt import AssessmentError, AttemptForm, Overview
from .files import AssessmentFiles, find_assessment
from .proctor import AttemptRefused, Proctor

__all__ = ["SELF_STUDY_KEY", "LocalExaminer", "MemoryAttempts", "refusal", "self_study_document", "self_study_key_path"]

SELF_STUDY_ISSUER = "stemtrain self-study (not issued by a class)"


class MemoryAttempts:
    """Attempts kept in this process only: for a page whose progress file cannot be used, and for tests."""

    def __init__(self) -> None:
        self._rows: dict[int, AssessmentRecord] = {}

    def assessment_attempts(self, learner: str, blueprint_id: str | None = None) -> list[AssessmentRecord]:
        rows = [r for r in self._rows.values() if r.learner == learner and blueprint_id in (None, r.blueprint_id)]
        return sorted(rows, key=lambda r: (r.number, r.id))

    def assessment_attempt(self, attempt_id: int) -> AssessmentRecord | None:
        return self._rows.get(attempt_id)

    def add_assessment_attempt(self, record: AssessmentRecord) -> AssessmentRecord:
        if any((r.learner, r.blueprint_id, r.number) == (record.learner, record.blueprint_id, record.number) for r in self._rows.values()):
            raise AttemptTaken(record.learner)
        kept = replace(record, id=len(self._rows) + 1)
        self._rows[kept.id] = kept
        return kept

    def save_assessment_response(self, attempt_id: int, question_id: str, response: Any, saved_at: dt.datetime) -> bool:
        row = self._rows.get(attempt_id)
        if row is None or row.submitted or (row.deadline is not None and row.deadline <= saved_at):
            return False
        responses, saved = dict(row.responses), dict(row.saved)
        responses[question_id], saved[question_id] = response, saved_at.isoformat()
        self._rows[attempt_id] = replace(row, responses=responses, saved=saved)
        return True

    def finish_assessment_attempt(self, record: AssessmentRecord) -> bool:
        row = self._rows.get(record.id)
        if row is None or row.submitted or dict(row.responses) != dict(record.responses):
            return False
        self._rows[record.id] = replace(record, responses=row.responses, saved=row.saved)
        return True


def refusal(exc: AttemptRefused) -> AssessmentError:
    """A rule's refusal in the words and kind a page acts on."""
    if exc.status == 409 and exc.field in ("deadline", "attempt"):
        kind = "closed"
    elif exc.status == 409:
        kind = "refused"
    else:
        kind = "invalid"
    return AssessmentError(str(exc), kind=kind, field=exc.field)


class LocalExaminer:
    """The ``Examiner`` of a self-study learner: the proctor's rules over their progress file and this computer's clock."""

    mode = "self-study"

    def __init__(
        self,
        learner: str,
        *,
        display_name: str = "",
        store: Any = None,
        files: AssessmentFiles | None = None,
        clock: Callable[[], dt.datetime] = utc_now,
        content: Any = None,
    ) -> None:
        self.learner = learner
        self.display_name = display_name or learner
        self.files = files if files is not None else find_assessment()
        self.clock = clock
        self._store = store
        self._content = content
        self._proctor: Proctor | None = None
        self.notice = ""

    def _rules(self) -> Proctor:
        if self._proctor is None:
            from ..content.problems import ContentError
            from .blueprint import load_blueprint
            from .pool import load_pool

            if self.files is None:
                raise AssessmentError(
                    "The final assessment is not on this computer: its question pool is not installed with the course. "
                    "Join a class (the class service holds it), or set STEMTRAIN_ASSESSMENT_POOL to a pool folder.",
                    kind="missing",
                )
            try:
                pool = load_pool(self.files.pool)
                blueprint = load_blueprint(self.files.blueprint, pool)
            except ContentError as exc:
                raise AssessmentError(f"The final assessment's files have problems:\n{exc}", kind="missing") from None
            attempts: Any = MemoryAttempts()
            if self._store is not None and hasattr(self._store, "_connection"):
                attempts = SQLiteAttempts(self._store)
                try:
                    attempts.assessment_attempts(self.learner)
                except StoreError as exc:
                    attempts = MemoryAttempts()
                    self.notice = f"Your answers are kept on this page only, because the progress file cannot be used: {exc}"
            elif self._store is None:
                self.notice = "Your answers are kept on this page only: no progress file is in use."
            self._proctor = Proctor(blueprint, pool, attempts, mode=self.mode, clock=self.clock)
        return self._proctor

    def _do(self, work: Callable[[Proctor], Any]) -> Any:
        try:
            return work(self._rules())
        except AttemptRefused as exc:
            raise refusal(exc) from None
        except StoreError as exc:
            raise AssessmentError(str(exc), kind="unavailable") from None

    # --- the Examiner interface ---------------------------------------------------------------------
    def overview(self) -> Overview:
        return Overview.from_dict(self._do(lambda p: p.overview(self.learner)))

    def start(self) -> AttemptForm:
        return AttemptForm.from_dict(self._do(lambda p: p.form(p.start(self.learner)[0])))

    def form(self, attempt_id: int) -> AttemptForm:
        return AttemptForm.from_dict(self._do(lambda p: p.form(p.own(self.learner, attempt_id))))

    def save(self, attempt_id: int, question_id: str, response: Any) -> None:
        self._do(lambda p: p.save(self.learner, attempt_id, question_id, response))

    def submit(self, attempt_id: int) -> AttemptForm:
        return AttemptForm.from_dict(self._do(lambda p: p.form(p.submit(self.learner, attempt_id))))

    def certificate(self, attempt_id: int) -> bytes:
        """The self-study completion document of a passed attempt (signed on this computer; says self-study)."""
        record = self._do(lambda p: p.own(self.learner, attempt_id))
        if not record.passed:
            raise AssessmentError("A completion document is made only for a passed attempt.", kind="refused")
        return self_study_document(record, self.display_name, self._records(), self._content, key_path=self.key_path)

    @property
    def key_path(self) -> Path:
        """The key that signs this learner's completion documents: beside their progress file (made on first use)."""
        return self_study_key_path(self._store)

    def public_key_pem(self) -> bytes:
        """The public half of that key: what a completion document verifies against (and nothing a class issued)."""
        from ..certificate.signing import load_or_create_private_key, public_key_pem

        return public_key_pem(load_or_create_private_key(self.key_path))

    def _records(self) -> list[Any]:
        try:
            return list(self._store.attempts(self.learner)) if self._store is not None else []
        except StoreError:
            return []


SELF_STUDY_KEY = "self-study-key.pem"


def self_study_key_path(store: Any = None) -> Path:
    """``self-study-key.pem`` in the folder of ``store``'s progress file (the default progress file's, without one)."""
    from ..records.sqlite import default_path

    path = getattr(store, "path", None)
    folder = Path(path).parent if isinstance(path, (str, Path)) else default_path().parent
    return folder / SELF_STUDY_KEY


def self_study_document(
    record: AssessmentRecord, name: str, answers: list[Any], content: Any = None, *, key_path: Path | None = None
) -> bytes:
    """A one-page PDF that says what was done, and that it was self-study, not proctored (signed with ``key_path``)."""
    from ..certificate.claims import Claims
    from ..certificate.code import new_code
    from ..certificate.pdf import issue_certificate
    from ..certificate.signing import key_id, load_or_create_private_key
    from . import COURSE_TITLE
    from .status import completed_modules, content_label, printable_name

    key = load_or_create_private_key(key_path or self_study_key_path())
    assert record.submitted_at is not None and record.total is not None
    claims = Claims(
        learner=printable_name(name, record.learner),
        course_title=COURSE_TITLE,
        content_version=content_label(content),
        issued_at=record.submitted_at,
        score=_permille(record.total) / 1000,
        passed=True,
        modules=tuple(completed_modules(content, answers)),
        code=new_code(random.Random(f"self-study:{record.seed}")),  # the same document every time it is made
        mode="self-study",
        issuer=SELF_STUDY_ISSUER,
        key_id=key_id(key),
    )
    return issue_certificate(claims, key)


def _permille(total: float) -> int:
    from .result import permille

    return permille(total)
