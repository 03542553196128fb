"""The final assessment: start or resume an attempt (the public form only), save each response as it is given,
submit once, read the result, download the certificate of a pass. The service's clock alone decides the
deadline; a learner's token reaches only that learner's attempts; the instructor lists everyone's.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, HTTPException, Path, Query, Response

from ...assessment.proctor import AttemptRefused
from ..assessmentmodels import AttemptFormOut, AttemptRecordOut, OverviewOut, ResponseIn, ResultOut, SavedOut
from ..assessments import AssessmentService
from ..auth import Principal
from ..models import Name
from .deps import ERRORS, Caller, ServiceDep, problem

router = APIRouter(prefix="/assessment", tags=["assessment"], responses=ERRORS)
AttemptId = Annotated[int, Path(ge=1, le=2**31 - 1)]
ItemId = Annotated[str, Path(min_length=1, max_length=200, pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$")]


def _learner(caller: Principal) -> str:
    if caller.learner is None:
        raise HTTPException(403, "learner: the instructor's token does not take the assessment; learners use their own token")
    return caller.learner


def _desk(service: ServiceDep) -> AssessmentService:
    desk: AssessmentService = service.assessment
    return desk


@router.get("", response_model=OverviewOut, responses=problem(409))
def overview(caller: Caller, service: ServiceDep) -> OverviewOut:
    """The rules (questions, pass mark, attempts, time limit), how many attempts you have used, any attempt under way."""
    learner = _learner(caller)
    return OverviewOut(**_desk(service).proctor().overview(learner))


@router.get("/attempts", response_model=list[AttemptRecordOut])
def list_attempts(caller: Caller, service: ServiceDep, learner: Annotated[Name | None, Query()] = None) -> list[AttemptRecordOut]:
    """Attempts as kept: a learner's own (without item scores), or, for the instructor, everyone's (or one learner's)."""
    desk = _desk(service)
    if caller.instructor:
        records = desk.attempts(learner)
    else:
        if learner is not None and learner != caller.learner:
            raise HTTPException(403, f"learner: this token belongs to {caller.learner!r} and cannot read {learner!r}'s attempts")
        records = desk.attempts(_learner(caller))
    out = []
    for record in records:
        data = record.to_dict()
        if not caller.instructor:
            data["item_scores"] = None  # per-item marks would tell a learner which of their answers were the key
        data.pop("seed")
        out.append(AttemptRecordOut(**data))
    return out


@router.post(
    "/attempts",
    response_model=AttemptFormOut,
    status_code=201,
    responses={200: {"model": AttemptFormOut, "description": "The attempt under way, resumed"}, **problem(409)},
)
def start(caller: Caller, service: ServiceDep, response: Response) -> AttemptFormOut:
    """Start an attempt (201), or resume the one under way (200) with its form and every response kept."""
    learner = _learner(caller)
    proctor = _desk(service).proctor()
    record, new = proctor.start(learner)
    response.status_code = 201 if new else 200
    return AttemptFormOut(**proctor.form(record))


@router.get("/attempts/{attempt_id}", response_model=AttemptFormOut, responses=problem(404, 409))
def read(attempt_id: AttemptId, caller: Caller, service: ServiceDep) -> AttemptFormOut:
    """One of your attempts: its form, your responses, and its result once submitted."""
    proctor = _desk(service).proctor()
    return AttemptFormOut(**proctor.form(proctor.own(_learner(caller), attempt_id)))


@router.put("/attempts/{attempt_id}/responses/{question_id}", response_model=SavedOut, responses=problem(404, 409))
def save(attempt_id: AttemptId, question_id: ItemId, body: ResponseIn, caller: Caller, service: ServiceDep) -> SavedOut:
    """Keep one response now (autosave). Refused (409) once the attempt is submitted or its time is up."""
    proctor = _desk(service).proctor()
    record = proctor.save(_learner(caller), attempt_id, question_id, body.response)
    return SavedOut(attempt_id=attempt_id, question_id=question_id, saved_at=record.saved.get(question_id, ""))


@router.post("/attempts/{attempt_id}/submit", response_model=AttemptFormOut, responses=problem(404, 409))
def submit(attempt_id: AttemptId, caller: Caller, service: ServiceDep) -> AttemptFormOut:
    """Hand the form in, once; the answer carries the result. A form whose time ran out was handed in at its deadline."""
    proctor = _desk(service).proctor()
    return AttemptFormOut(**proctor.form(proctor.submit(_learner(caller), attempt_id)))


@router.get("/attempts/{attempt_id}/result", response_model=ResultOut, responses=problem(404, 409))
def result(attempt_id: AttemptId, caller: Caller, service: ServiceDep) -> ResultOut:
    """The result of a submitted attempt: the score, pass or not, per objective, and the modules to revisit."""
    proctor = _desk(service).proctor()
    record = proctor.own(_learner(caller), attempt_id)
    if not record.submitted:
        raise AttemptRefused(409, "attempt", "this attempt has not been submitted: there is no result yet")
    return ResultOut(**proctor.result(record).to_dict())


@router.get(
    "/attempts/{attempt_id}/certificate",
    response_class=Response,
    responses={200: {"content": {"application/pdf": {}}, "description": "The certificate (one A4 page)"}, **problem(404, 409)},
)
def certificate(attempt_id: AttemptId, caller: Caller, service: ServiceDep) -> Response:
    """The certificate PDF of your passed attempt (signed by this service's key)."""
    desk = _desk(service)
    record = desk.proctor().own(_learner(caller), attempt_id)
    if not record.passed:
        raise AttemptRefused(409, "attempt", "a certificate is issued only for a passed attempt")
    row = desk.certificate_for(record)
    if row is None:
        raise HTTPException(404, "certificate: none was issued for this attempt")
    if row.revoked_at is not None:
        raise AttemptRefused(409, "certificate", f"certificate {row.code} was revoked: {row.reason}")
    pdf = desk.certificate_pdf(row)
    return Response(
        pdf, media_type="application/pdf", headers={"Content-Disposition": f'attachment; filename="certificate-{row.code}.pdf"'}
    )
