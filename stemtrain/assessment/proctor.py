"""The rules of an attempt, kept in one place for the class service and for self-study alike.

An attempt starts (or resumes: the one under way comes back, with its form and responses), takes responses
until it is submitted or its deadline passes, and is scored once. The clock is the proctor's own: the class
service's for a class, so a learner's computer can neither stop the time nor start a form again. An attempt
whose time is up is submitted as it stands, at its deadline, the next time anyone looks at it. A learner who
has passed, or has used every attempt, cannot start another.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import replace
from typing import Any, Protocol

from ..records.assessment import AssessmentRecord, AttemptTaken
from ..records.model import utc_now
from .blueprint import Blueprint
from .forms import assemble, public_item
from .pool import Pool
from .result import AssessmentResult, summarise
from .scoring import ItemScore, response_problem, score_items

__all__ = ["AttemptRefused", "AttemptStore", "Proctor"]


class AttemptRefused(ValueError):
    """A request the rules refuse: ``status`` as HTTP would say it, ``field`` the part of the request at fault."""

    def __init__(self, status: int, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.status = status
        self.field = field


class AttemptStore(Protocol):
    """Where attempts are kept: the class database, or a learner's own progress file."""

    def assessment_attempts(self, learner: str, blueprint_id: str | None = None) -> list[AssessmentRecord]: ...
    def assessment_attempt(self, attempt_id: int) -> AssessmentRecord | None: ...
    def add_assessment_attempt(self, record: AssessmentRecord) -> AssessmentRecord: ...
    def save_assessment_response(self, attempt_id: int, question_id: str, response: Any, saved_at: dt.datetime) -> bool: ...
    def finish_assessment_attempt(self, record: AssessmentRecord) -> bool:
        """Keep ``record``'s submission and scores, in one transaction; False (and nothing kept) when the attempt is
        submitted already or its responses are no longer ``record.responses``."""
        ...


def _clock_text(when: dt.datetime) -> str:
    return when.astimezone(dt.timezone.utc).strftime("%H:%M:%S UTC on %d %B %Y")


class Proctor:
    """One blueprint's attempts over one store, by one clock; ``on_pass(record)`` may issue a certificate code, and
    ``on_finish(record)`` hears of every scored attempt (pass or fail) once, after it is kept."""

    def __init__(
        self,
        blueprint: Blueprint,
        pool: Pool,
        store: AttemptStore,
        *,
        mode: str,
        clock: Callable[[], dt.datetime] = utc_now,
        on_pass: Callable[[AssessmentRecord], str | None] | None = None,
        on_finish: Callable[[AssessmentRecord], None] | None = None,
    ) -> None:
        self.blueprint = blueprint
        self.pool = pool
        self.store = store
        self.mode = mode
        self.clock = clock
        self.on_pass = on_pass
        self.on_finish = on_finish

    # --- reading ------------------------------------------------------------------------------------
    def attempts(self, learner: str) -> list[AssessmentRecord]:
        """The learner's attempts at this blueprint, any whose time is up submitted first."""
        return [self._settle(r)[0] for r in self.store.assessment_attempts(learner, self.blueprint.id)]

    def settled(self, record: AssessmentRecord) -> AssessmentRecord:
        """``record`` as it stands now: submitted at its deadline if its time is up (a record of another blueprint as it is)."""
        return self._settle(record)[0] if record.blueprint_id == self.blueprint.id else record

    def own(self, learner: str, attempt_id: int) -> AssessmentRecord:
        """The learner's attempt ``attempt_id`` (settled); another learner's is reported as not found."""
        record = self.store.assessment_attempt(attempt_id)
        if record is None or record.learner != learner or record.blueprint_id != self.blueprint.id:
            raise AttemptRefused(404, "attempt", f"there is no attempt {attempt_id} of yours")
        return self._settle(record)[0]

    def overview(self, learner: str) -> dict[str, Any]:
        records = self.attempts(learner)
        done = [r for r in records if r.submitted]
        current = next((r for r in records if not r.submitted), None)
        return {
            "blueprint": self.blueprint.summary(),
            "mode": self.mode,
            "attempts_used": len(records),
            "passed": any(r.passed for r in done),
            "in_progress": current.id if current else None,
            "last_result": self.result(done[-1]).to_dict() if done else None,
            "last_attempt": done[-1].id if done else None,
        }

    def result(self, record: AssessmentRecord) -> AssessmentResult:
        """The result of a submitted attempt, from the scores kept with it."""
        kept = record.item_scores or {}
        scores = []
        for qid in record.form:
            try:
                module, objective = self.pool.module_of(qid), int(self.pool.item(qid).objective or 0)
            except KeyError:
                module, objective = "(no longer in the pool)", 0
            scores.append(ItemScore(qid, module, objective, float(kept.get(qid, 0.0)), record.responses.get(qid) not in (None, [])))
        return summarise(
            scores,
            self.blueprint.pass_mark,
            record.mode,
            submitted_at=record.submitted_at,
            auto_submitted=record.auto_submitted,
            certificate_code=record.certificate_code,
        )

    def form(self, record: AssessmentRecord) -> dict[str, Any]:
        """The attempt as its page gets it: public items only, the responses kept, the times, the result once submitted."""
        items = []
        for qid in record.form:
            try:
                items.append(public_item(self.pool.item(qid), self.pool.module_of(qid), record.seed))
            except KeyError:
                continue  # an item taken out of the pool since: it cannot be shown or answered (it scores 0)
        return {
            "id": record.id,
            "number": record.number,
            "max_attempts": self.blueprint.max_attempts,
            "mode": record.mode,
            "items": items,
            "responses": {qid: r for qid, r in record.responses.items() if r is not None},
            "started_at": record.started_at.isoformat(),
            "deadline": record.deadline.isoformat() if record.deadline else None,
            "now": self._now().isoformat(),
            "result": self.result(record).to_dict() if record.submitted else None,
        }

    # --- changing -----------------------------------------------------------------------------------
    def start(self, learner: str) -> tuple[AssessmentRecord, bool]:
        """The attempt under way (False), or a new one (True)."""
        for _ in range(5):
            records = self.attempts(learner)
            current = next((r for r in records if not r.submitted), None)
            if current is not None:
                return current, False
            passed = next((r for r in records if r.passed), None)
            if passed is not None:
                raise AttemptRefused(409, "attempts", f"you passed on attempt {passed.number}; there is nothing more to take")
            if len(records) >= self.blueprint.max_attempts:
                raise AttemptRefused(409, "attempts", f"all {self.blueprint.max_attempts} attempts are used")
            number = max((r.number for r in records), default=0) + 1
            form = assemble(self.blueprint, self.pool, learner, number)
            now = self._now()
            limit = self.blueprint.time_limit_minutes
            record = AssessmentRecord(
                learner=learner,
                blueprint_id=self.blueprint.id,
                number=number,
                seed=form.seed,
                form=form.items,
                started_at=now,
                deadline=now + dt.timedelta(minutes=limit) if limit else None,
                mode=self.mode,
            )
            try:
                return self.store.add_assessment_attempt(record), True
            except AttemptTaken:
                continue  # the same learner's other page started it a moment ago: resume that one
        raise AttemptRefused(409, "attempt", "the attempt could not be started; try again")

    def save(self, learner: str, attempt_id: int, question_id: str, response: Any) -> AssessmentRecord:
        """Keep one response to an attempt under way."""
        record = self.own(learner, attempt_id)
        self._open(record)
        if question_id not in record.form:
            raise AttemptRefused(404, "question_id", f"{question_id!r} is not on this form")
        item = public_item(self.pool.item(question_id), self.pool.module_of(question_id), record.seed)
        why = response_problem(item, response)
        if why is not None:
            raise AttemptRefused(422, "response", why)
        if not self.store.save_assessment_response(attempt_id, question_id, response, self._now()):
            self._open(self.own(learner, attempt_id))  # submitted or timed out meanwhile: say which
            raise AttemptRefused(409, "attempt", "this attempt is no longer taking answers")
        return self.own(learner, attempt_id)

    def submit(self, learner: str, attempt_id: int) -> AssessmentRecord:
        """Hand the form in (once) and score it; an attempt whose time ran out is scored as it stood at its deadline."""
        record = self.store.assessment_attempt(attempt_id)
        if record is None or record.learner != learner or record.blueprint_id != self.blueprint.id:
            raise AttemptRefused(404, "attempt", f"there is no attempt {attempt_id} of yours")
        settled, now_finished = self._settle(record)
        if now_finished:
            return settled
        if not settled.submitted:
            done, won = self._finish(settled, self._now(), auto=False)
            if won:
                return done
            settled = done  # another request submitted it a moment before this one
        when = settled.submitted_at
        assert when is not None
        raise AttemptRefused(409, "attempt", f"this attempt was submitted at {_clock_text(when)}; a form is submitted once")

    # --- private ------------------------------------------------------------------------------------
    def _now(self) -> dt.datetime:
        """The proctor's clock, in UTC (a clock in another zone tells the same instant; records and messages use UTC)."""
        now = self.clock()
        if now.tzinfo is None:
            raise ValueError("the proctor's clock must give timezone-aware times")
        return now.astimezone(dt.timezone.utc)

    def _open(self, record: AssessmentRecord) -> None:
        if not record.submitted:
            return
        if record.auto_submitted and record.deadline is not None:
            message = f"the time limit ended at {_clock_text(record.deadline)}; the answers saved before then are scored"
            raise AttemptRefused(409, "deadline", message)
        when = record.submitted_at
        assert when is not None
        raise AttemptRefused(409, "attempt", f"this attempt was submitted at {_clock_text(when)}; its answers can no longer change")

    def _settle(self, record: AssessmentRecord) -> tuple[AssessmentRecord, bool]:
        """Submit an attempt whose deadline has passed; (the record, True when it was submitted just now)."""
        if record.submitted or record.deadline is None or self._now() < record.deadline:
            return record, False
        return self._finish(record, record.deadline, auto=True)

    def _finish(self, record: AssessmentRecord, when: dt.datetime, *, auto: bool) -> tuple[AssessmentRecord, bool]:
        """Score and keep the form as it stands; (the record kept, True when this call submitted it).

        The store keeps the scores only if the responses are still those scored (a response saved while scoring
        is scored too: the form is read and scored again), and only once (a concurrent submission's stands)."""
        for _ in range(10):
            scores = score_items(self.pool, record.form, record.responses)
            outcome = summarise(scores, self.blueprint.pass_mark, record.mode)
            done = replace(
                record,
                submitted_at=when,
                auto_submitted=auto,
                item_scores={s.question_id: s.score for s in scores},
                total=outcome.score,
                passed=outcome.passed,
            )
            if self.store.finish_assessment_attempt(done):
                break
            kept = self.store.assessment_attempt(record.id)
            assert kept is not None
            if kept.submitted:
                return kept, False  # another request finished it first: theirs stands
            record = kept  # a response arrived while this one was scored
        else:
            raise AttemptRefused(409, "attempt", "the answers kept changing while the form was submitted; submit it again")
        if done.passed and self.on_pass is not None:
            done = replace(done, certificate_code=self.on_pass(done))
        if self.on_finish is not None:
            self.on_finish(done)
        return done, True
