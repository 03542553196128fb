"""The final assessment as the class service runs it: the pool and its keys in this process only, the rules
(``assessment.proctor``) over the class database by the service's clock, and a certificate on every pass.

The blueprint and the pool are read on first use (``assessment.files`` says where: ``STEMTRAIN_ASSESSMENT_POOL``,
``DATA/assessment/``, the course folder) and checked; until they are, and while they have problems, the
assessment routes answer 503 saying so, and everything else in the service works.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
from collections.abc import Callable
from typing import Any

from ..assessment import COURSE_TITLE
from ..assessment.files import AssessmentFiles, find_assessment
from ..assessment.proctor import Proctor
from ..assessment.result import permille
from ..assessment.status import completed_modules, content_label, printable_name
from ..records.assessment import AssessmentRecord
from ..records.model import utc_now
from .assessmentstore import CertificateRow, ClassAttempts
from .config import ClassConfig
from .issuer import Issuer
from .ledger import Ledger

__all__ = ["AssessmentService", "NotSetUp"]

log = logging.getLogger("stemtrain.classroom")


class NotSetUp(RuntimeError):
    """The class service has no usable blueprint and pool; the message says what to put where."""


class AssessmentService:
    """One class's final assessment: rules, records and certificates."""

    def __init__(self, config: ClassConfig, ledger: Ledger, *, course: Any = None, clock: Callable[[], dt.datetime] = utc_now) -> None:
        self.config = config
        self.ledger = ledger
        self.store = ClassAttempts(ledger)
        self.clock = clock
        self.issuer = Issuer(config.data_dir, config.issuer, config.verify_url)
        self._course = course
        self._proctor: Proctor | None = None
        self._problem = ""
        self._lock = threading.Lock()
        self.files: AssessmentFiles | None = find_assessment(config.data_dir)
        self.xapi: Any = None
        """The relay to the clinic's LRS (set by the app when one is configured): every scored attempt goes there."""

    # --- set-up -------------------------------------------------------------------------------------
    def proctor(self) -> Proctor:
        """The rules over the loaded pool; ``NotSetUp`` when there is none (or it has problems)."""
        with self._lock:
            if self._proctor is None:
                self._proctor = self._load()
            return self._proctor

    def _load(self) -> Proctor:
        from ..assessment.blueprint import load_blueprint
        from ..assessment.pool import load_pool
        from ..content.problems import ContentError

        if self.files is None:
            raise NotSetUp(
                f"the final assessment is not set up on this class service: put blueprint.yaml and pool/ in "
                f"{self.config.data_dir / 'assessment'} (or set STEMTRAIN_ASSESSMENT_POOL) and restart it"
            )
        try:
            pool = load_pool(self.files.pool)
            blueprint = load_blueprint(self.files.blueprint, pool)
        except ContentError as exc:
            log.error("final assessment: %s", exc)
            first = exc.problems[0] if exc.problems else exc
            raise NotSetUp(f"the final assessment is not set up on this class service: its files have problems ({first})") from None
        return Proctor(blueprint, pool, self.store, mode="class", clock=self.clock, on_pass=self._issue, on_finish=self._report)

    def attempts(self, learner: str | None) -> list[AssessmentRecord]:
        """Attempts as kept (``learner`` None: everyone's), any whose time is up submitted first, so no list shows an
        attempt as under way after its deadline. Without a usable pool they are listed as they are."""
        records = self.store.assessment_attempts(learner)
        try:
            proctor = self.proctor()
        except NotSetUp:
            return records
        return [proctor.settled(r) for r in records]

    def describe(self) -> str:
        """One line for the start-up banner: where the assessment comes from, or why there is none."""
        try:
            proctor = self.proctor()
        except NotSetUp as exc:
            return f"Final assessment: {exc}"
        assert self.files is not None
        b = proctor.blueprint
        limit = f"{b.time_limit_minutes} minutes" if b.time_limit_minutes else "no time limit"
        return (
            f"Final assessment: {b.title!r}, {b.questions} questions from {len(proctor.pool.ids)} pool items "
            f"({self.files.source}: {self.files.pool}), pass mark {permille(b.pass_mark) / 10:g} %, {b.max_attempts} attempts, {limit}"
        )

    def readable_by_others(self) -> list[str]:
        """Pool files that users other than the service's can read (``docs/deploy.md`` asks for 0600 or 0640)."""
        if self.files is None:
            return []
        return [str(p) for p in [self.files.blueprint, *self.files.pool.glob("*.yaml")] if p.exists() and p.stat().st_mode & 0o004]

    def _report(self, record: AssessmentRecord) -> None:
        """A scored attempt, "passed" or "failed", to the LRS (queued: the learner never waits for it)."""
        if self.xapi is None or record.submitted_at is None or record.total is None:
            return
        when = record.submitted_at.astimezone(dt.timezone.utc).isoformat()
        self.xapi.assessed(record.learner, record.blueprint_id, record.total, bool(record.passed), when)

    # --- certificates -------------------------------------------------------------------------------
    def _issue(self, record: AssessmentRecord) -> str | None:
        """On a pass: issue the certificate. The result is kept already and stands: when issuing fails now, that is
        logged and the certificate is issued when it is first asked for (``certificate_for``)."""
        try:
            return self.issue(record)
        except Exception:  # the learner's result must not be lost to a failed certificate
            log.exception("final assessment: the certificate of attempt %s could not be issued now; it is issued on download", record.id)
            return None

    def certificate_for(self, record: AssessmentRecord) -> CertificateRow | None:
        """The certificate of a passed attempt, issued now if that failed when the attempt was scored."""
        row = self.store.certificate_of(record.id)
        if row is None and record.passed:
            self.issue(record)
            row = self.store.certificate_of(record.id)
        return row

    def issue(self, record: AssessmentRecord) -> str:
        """Sign claims for the learner's name, score and completed modules, and keep them (once per attempt)."""
        from ..content import load_course

        assert record.submitted_at is not None and record.total is not None
        profile = self.ledger.profile(record.learner) or {}
        course = self._course or load_course()
        modules = tuple(completed_modules(course, self.ledger.attempts(record.learner)))
        name = printable_name(str(profile.get("display_name") or record.learner), record.learner)
        for _ in range(5):
            claims = self.issuer.claims(
                learner=name,
                score_permille=permille(record.total),
                issued_at=record.submitted_at,
                modules=modules,
                content=content_label(course),
                course=COURSE_TITLE,
            )
            if self.store.add_certificate(
                claims.code,
                record.id,
                learner=record.learner,
                claims=claims.canonical_bytes(),
                signature=self.issuer.sign(claims),
                issued_at=claims.issued_at,
            ):
                return claims.code
            existing = self.store.certificate_of(record.id)
            if existing is not None:
                return existing.code  # issued by a concurrent request for the same attempt
        raise RuntimeError("no free certificate code could be drawn")

    def certificate_pdf(self, row: CertificateRow) -> bytes:
        return self.issuer.pdf(row.claims)

    def revoke(self, code: str, reason: str) -> CertificateRow | None:
        return self.store.revoke(code, reason, self.clock())
