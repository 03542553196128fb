"""A seeded, made-up class over the real course banks: for the dashboard notebook, the tests and rehearsals.

Every learner and answer is invented. Learners have an ability and reach a number of modules (fewer reach
the last ones, as in a real course); each item has a difficulty; a first attempt is right with a logistic
chance of (ability - difficulty), a wrong one is usually tried again after feedback. Responses are real
responses to each question type and are graded with the course's own grader, so scores, options and case
parts look exactly as a class's records do. The same seed gives the same class on every machine.
"""

from __future__ import annotations

import datetime as dt
import math
import random
from collections.abc import Iterable
from typing import Any

from ..records.model import Attempt

__all__ = ["NAMES", "SYNTHETIC_START", "synthetic_class"]

SYNTHETIC_START = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.timezone.utc)
"""The fixed "now" of a synthetic class: answers start here, so reports and notebooks never show today's date."""

NAMES = (
    "Amara Okafor", "Ben Carter", "Chloé Martin", "Dev Patel", "Elena Rossi", "Farah Haddad", "Gabriel Silva",
    "Hana Suzuki", "Ibrahim Diallo", "Julia Nowak", "Kwame Mensah", "Lena Fischer", "Mariam Al-Hassan", "Nguyễn Thị Lan",
    "Omar Farouk", "Priya Nair", "Quinn O'Brien", "Rosa Jiménez", "Sanjay Rao", "Tomás Herrera", "Uma Iyer",
    "Viktor Petrov", "Wen Li", "Yusuf Demir", "Zoe Clarke", "Aino Virtanen", "Bilal Khan", "Carmen Ortega",
    "Daniel Cohen", "Efua Asante",
)  # fmt: skip


def _response(question: Any, key: Any, right: bool, rng: random.Random) -> Any:
    """A response of the question's own shape: the key's answer, or a plausible wrong one."""
    kind = question.type
    if kind == "single_choice":
        wrong = [o.id for o in question.options if o.id != key.answer]
        return key.answer if right or not wrong else rng.choices(wrong, weights=[3, *[1] * (len(wrong) - 1)])[0]
    if kind == "multiple_select":
        ids = [o.id for o in question.options]
        chosen = set(key.answers)
        if not right:
            if len(chosen) > 1:
                chosen.discard(rng.choice(sorted(chosen)))
            others = [i for i in ids if i not in key.answers]
            if others and rng.random() < 0.6:
                chosen.add(rng.choice(others))
        return sorted(chosen, key=ids.index)
    if kind == "true_false":
        return key.answer if right else not key.answer
    if kind == "ordering":
        order = list(key.order)
        if not right and len(order) > 1:
            i = rng.randrange(len(order) - 1)
            order[i], order[i + 1] = order[i + 1], order[i]
        return order
    if kind in ("matching", "image_label"):
        answer = {str(left): choice for left, choice in key.matches}
        lefts = list(answer)
        if not right and len(lefts) > 1:
            a, b = rng.sample(lefts, 2)
            answer[a], answer[b] = answer[b], answer[a]
        return answer
    if kind == "numeric":
        return float(key.answer) if right else float(key.answer) * 1.5 + 2 * float(key.tolerance) + 1
    raise TypeError(f"no synthetic response for {kind}")


def _answerable(banks: Iterable[Any]) -> list[tuple[str, Any, Any, str | None]]:
    """(module, question, key, case id) for every item a learner answers: questions, and case parts as parts."""
    out = []
    for bank in banks:
        for q in bank.questions:
            for part in q.questions if q.type == "case" else (q,):
                out.append((bank.module, part, bank.keys[part.id], q.id if part is not q else None))
    return out


def synthetic_class(seed: int = 2026, learners: int = 24, *, course: Any = None, start: dt.datetime = SYNTHETIC_START) -> list[Attempt]:
    """A made-up class of ``learners`` over the course banks: first attempts and retries, in answer order."""
    from ..quiz.grading import grade

    if learners < 1:
        raise ValueError(f"a synthetic class needs at least 1 learner, not {learners}")
    if course is None:
        from ..content import load_course

        course = load_course()
    rng = random.Random(seed)
    modules = list(course.modules)
    items = _answerable(course.banks[m] for m in modules)
    difficulty = {q.id: rng.gauss(-0.6, 1.0) for _, q, _, _ in items}
    names = [NAMES[i] if i < len(NAMES) else f"Learner {i + 1:03d}" for i in range(learners)]
    out: list[Attempt] = []
    for n, name in enumerate(names):
        ability = rng.gauss(0.0, 1.0)
        skips = 0.06 if rng.random() < 0.3 else 0.0  # some learners leave an item out now and then
        reached = min(len(modules), max(1, round(len(modules) * min(1.0, rng.betavariate(3.0, 1.2) + 0.12))))
        clock = start + dt.timedelta(minutes=3 * n)
        for module, q, key, case in items:
            if modules.index(module) >= reached or rng.random() < skips:
                continue  # not reached yet, or skipped
            chance = 1 / (1 + math.exp(-1.8 * (ability - difficulty[q.id])))
            tries = [rng.random() < chance]
            if not tries[0] and rng.random() < 0.8:
                tries.append(rng.random() < 0.85)  # tried again after the feedback
            for number, right in enumerate(tries, start=1):
                clock += dt.timedelta(seconds=rng.randint(25, 90))
                result = grade(q, key, _response(q, key, right, rng))
                out.append(
                    Attempt(
                        learner=name,
                        module=module,
                        question_id=q.id,
                        parent_id=case,
                        response=result.response,
                        correct=result.correct,
                        score=float(result.score),
                        attempt=number,
                        mode="class",
                        answered_at=clock,
                        saved_at=clock,
                        event_id=f"synthetic-{seed}-{len(out) + 1}",
                    )
                )
    return out
