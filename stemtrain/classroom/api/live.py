"""Live sessions: the instructor starts one and pushes bank questions; every joined learner's page shows the
question, answers once, and sees the answer and explanation when the instructor reveals them.

Pages poll ``GET /live/current`` (about once a second) with their own token in the ``Authorization`` header;
the service keeps the keys, so a page gets the key only in the reveal.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, HTTPException, Path, Response

from ..auth import Principal
from ..ledger import Conflict
from ..livemodels import AnswerIn, AnswerOut, Current, OptionCount, PollIn, PollOut, PublicQuestion, Results, Reveal, SessionOut
from ..livequestions import LiveQuestion
from ..livestore import Poll
from .deps import ERRORS, Caller, Instructor, Service, ServiceDep, problem

router = APIRouter(prefix="/live", tags=["live"], responses=ERRORS)
PollId = Annotated[int, Path(ge=1, le=2**31 - 1)]


def _question(service: Service, question_id: str) -> LiveQuestion:
    try:
        return service.questions.get(question_id)
    except LookupError as exc:
        raise HTTPException(422, str(exc)) from None


def _poll_out(service: Service, poll: Poll) -> PollOut:
    public = _question(service, poll.question_id).public()
    return PollOut(id=poll.id, session_id=poll.session_id, state=poll.state, opened_at=poll.opened_at, question=PublicQuestion(**public))  # type: ignore[arg-type]


def _results(service: Service, poll: Poll, reveal: bool) -> Results:
    question = _question(service, poll.question_id)
    responses = service.live.responses(poll.id)
    counts = {i: 0 for i, _ in question.options}
    for response in responses:
        for picked in question.picked(response) & set(counts):
            counts[picked] += 1
    options = [OptionCount(id=i, text=t, count=counts[i], correct=(i in question.correct) if reveal else None) for i, t in question.options]
    return Results(answered=len(responses), learners=service.live.learners(), options=options)


def _found(service: Service, poll_id: int) -> Poll:
    poll = service.live.poll(poll_id)
    if poll is None:
        raise HTTPException(404, f"poll: there is no live poll {poll_id}")
    return poll


@router.post(
    "/sessions", response_model=SessionOut, status_code=201, responses={200: {"model": SessionOut, "description": "Already under way"}}
)
def start_session(_: Instructor, service: ServiceDep, response: Response) -> SessionOut:
    """Start a live session (or return the one under way, 200)."""
    session, new = service.live.start()
    response.status_code = 201 if new else 200
    return SessionOut(id=session.id, started_at=session.started_at)


@router.delete("/sessions/current", response_model=SessionOut, responses=problem(404))
def end_session(_: Instructor, service: ServiceDep) -> SessionOut:
    """End the session under way; learners' pages go quiet."""
    ended = service.live.end()
    if ended is None:
        raise HTTPException(404, "no live session is under way")
    return SessionOut(id=ended.id, started_at=ended.started_at, ended_at=ended.ended_at)


@router.post("/polls", response_model=PollOut, status_code=201, responses=problem(409))
def push(body: PollIn, _: Instructor, service: ServiceDep) -> PollOut:
    """Push a bank question (single choice, multiple select or true/false; case parts too) to every page."""
    question = _question(service, body.question_id)
    try:
        poll = service.live.push(question.module, question.question_id)
    except Conflict as exc:
        raise HTTPException(409, str(exc)) from None
    return _poll_out(service, poll)


@router.post("/polls/{poll_id}/close", response_model=PollOut, responses=problem(404))
def close(poll_id: PollId, _: Instructor, service: ServiceDep) -> PollOut:
    """Stop taking answers; the question stays on the pages."""
    _found(service, poll_id)
    return _poll_out(service, service.live.move(poll_id, "closed"))


@router.post("/polls/{poll_id}/reveal", response_model=PollOut, responses=problem(404))
def reveal(poll_id: PollId, _: Instructor, service: ServiceDep) -> PollOut:
    """Stop taking answers and show everyone the answer, the explanation and the room's counts."""
    _found(service, poll_id)
    return _poll_out(service, service.live.move(poll_id, "revealed"))


@router.get("/polls/{poll_id}/results", response_model=Results, responses=problem(404))
def results(poll_id: PollId, caller: Caller, service: ServiceDep) -> Results:
    """Counts per option (no names): the instructor's at any time, a learner's after the reveal."""
    poll = _found(service, poll_id)
    if not caller.instructor and poll.state != "revealed":
        raise HTTPException(403, "the room's answers are shown after the instructor reveals the answer")
    return _results(service, poll, poll.state == "revealed")


@router.post("/polls/{poll_id}/answers", response_model=AnswerOut, status_code=201, responses=problem(404, 409))
def answer(poll_id: PollId, body: AnswerIn, caller: Caller, service: ServiceDep, response: Response) -> AnswerOut:
    """Answer the pushed question, once: sending again returns the kept answer (200), whatever it says."""
    learner = _learner(caller)
    poll = _found(service, poll_id)
    why = _question(service, poll.question_id).check(body.response)
    if why is not None:
        raise HTTPException(422, f"response: {why}")
    try:
        kept, new = service.live.answer(poll_id, learner, body.response)
    except Conflict as exc:
        raise HTTPException(409, str(exc)) from None
    response.status_code = 201 if new else 200
    return AnswerOut(poll_id=poll_id, response=kept, new=new)


@router.get("/current", response_model=Current)
def current(caller: Caller, service: ServiceDep) -> Current:
    """What every page shows now: the question pushed last, the caller's own answer, and after the reveal the key."""
    session, poll = service.live.current()
    if session is None:
        return Current(session=None, poll=None, version="none")
    if poll is None:
        return Current(session=SessionOut(id=session.id, started_at=session.started_at), poll=None, version=f"{session.id}")
    mine = service.live.answer_of(poll.id, caller.learner) if caller.learner else None
    revealed = poll.state == "revealed"
    question = _question(service, poll.question_id)
    shown = _results(service, poll, revealed) if caller.instructor or revealed else None
    told = (
        Reveal(
            correct=sorted(question.correct),
            explanation=question.explanation,
            your_answer_correct=None if mine is None else question.is_correct(mine),
        )
        if revealed
        else None
    )
    return Current(
        session=SessionOut(id=session.id, started_at=session.started_at),
        poll=_poll_out(service, poll),
        your_answer=mine,
        results=shown,
        reveal=told,
        version=f"{session.id}:{poll.id}:{poll.state}:{'answered' if mine is not None else 'waiting'}",
    )


def _learner(caller: Principal) -> str:
    if caller.learner is None:
        raise HTTPException(403, "learner: the instructor's token does not answer live questions; learners answer with their own token")
    return caller.learner
