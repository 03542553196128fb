"""xAPI 1.0.3 statements from answer records, for a clinic's Learning Record Store (LRS).

* ``answered`` per ``Attempt``: the question as a ``cmi.interaction`` activity with its interaction type and, with
  the bank at hand, its choices and ``correctResponsesPattern``; the result's response, success and scaled score.
* ``completed`` per learner and module once every question of the module is answered, and for the course once
  every module is; ``passed``/``failed`` with ``score.scaled`` for an assessment (``mode == "assessment"``).
* Completed/passed/failed carry the cmi5 category (and moveOn) context activities and the registration when an
  LMS launched the course through cmi5 and gave one.

Statement ids are derived from the record (UUID 5), so sending the same records twice stores them once.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

from ..quiz.model import (
    AssignmentKey,
    ChoiceKey,
    ImageLabel,
    Matching,
    MultipleKey,
    MultipleSelect,
    Numeric,
    NumericKey,
    Ordering,
    OrderingKey,
    Question,
    SingleChoice,
    TrueFalse,
    TrueFalseKey,
)
from .lrs import XapiSender

__all__ = ["CMI5_CATEGORY", "VERBS", "XapiOptions", "XapiSender", "assessment_statement", "statements", "write_xapi"]

VERSION = "1.0.3"
VERBS = {name: f"http://adlnet.gov/expapi/verbs/{name}" for name in ("answered", "completed", "passed", "failed")}
INTERACTION = "http://adlnet.gov/expapi/activities/cmi.interaction"
CMI5_CATEGORY = "https://w3id.org/xapi/cmi5/context/categories/cmi5"
CMI5_MOVEON = "https://w3id.org/xapi/cmi5/context/categories/moveon"
_NAMESPACE = uuid.UUID("5b0c7e2e-7d4a-4c55-9d0e-6a1f3f0b9a31")


@dataclass(frozen=True)
class XapiOptions:
    """Where activity ids and learner accounts live; set both to addresses the clinic controls."""

    activity_base: str = "https://stemtrain.invalid/xapi/"
    home_page: str = "https://stemtrain.invalid"
    pass_mark: float = 0.8
    registration: str | None = None
    language: str = "en-US"


def _lang(text: str, o: XapiOptions) -> dict[str, str]:
    return {o.language: text}


def _actor(learner: str, o: XapiOptions) -> dict[str, Any]:
    return {"objectType": "Agent", "account": {"homePage": o.home_page, "name": learner}}


def _definition(question: Question | None, key: Any) -> dict[str, Any]:
    """The cmi.interaction definition: type, components and the correct response pattern where the type has one."""
    out: dict[str, Any] = {"type": INTERACTION, "interactionType": "other"}
    if question is None:
        return out
    out["name"] = {"en-US": question.id}
    out["description"] = {"en-US": question.prompt}
    if isinstance(question, (SingleChoice, MultipleSelect)):
        out["interactionType"] = "choice"
        out["choices"] = [{"id": o.id, "description": {"en-US": o.text}} for o in question.options]
        if isinstance(key, ChoiceKey):
            out["correctResponsesPattern"] = [key.answer]
        elif isinstance(key, MultipleKey):
            out["correctResponsesPattern"] = ["[,]".join(o.id for o in question.options if o.id in key.answers)]
    elif isinstance(question, TrueFalse):
        out["interactionType"] = "true-false"
        if isinstance(key, TrueFalseKey):
            out["correctResponsesPattern"] = ["true" if key.answer else "false"]
    elif isinstance(question, Ordering):
        out["interactionType"] = "sequencing"
        out["choices"] = [{"id": o.id, "description": {"en-US": o.text}} for o in question.items]
        if isinstance(key, OrderingKey):
            out["correctResponsesPattern"] = ["[,]".join(key.order)]
    elif isinstance(question, (Matching, ImageLabel)):
        out["interactionType"] = "matching"
        lefts = (
            question.lefts
            if isinstance(question, Matching)
            else [type(question.choices[0])(str(m), f"Structure {m}") for m in question.markers]
        )
        out["source"] = [{"id": o.id, "description": {"en-US": o.text}} for o in lefts]
        out["target"] = [{"id": o.id, "description": {"en-US": o.text}} for o in question.choices]
        if isinstance(key, AssignmentKey):
            out["correctResponsesPattern"] = ["[,]".join(f"{a}[.]{b}" for a, b in key.matches)]
    elif isinstance(question, Numeric):
        out["interactionType"] = "numeric"
        if isinstance(key, NumericKey):
            out["correctResponsesPattern"] = [f"{key.answer - key.tolerance:g}[:]{key.answer + key.tolerance:g}"]
    return out


def _response(value: Any) -> str:
    """A response in the cmi.interaction string form of its type."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Mapping):
        return "[,]".join(f"{k}[.]{v}" for k, v in value.items())
    if isinstance(value, (list, tuple, set, frozenset)):
        return "[,]".join(str(v) for v in value)
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def _id(*parts: str) -> str:
    return str(uuid.uuid5(_NAMESPACE, "/".join(parts)))


def _cmi5(statement: dict[str, Any], o: XapiOptions, move_on: bool) -> dict[str, Any]:
    context = statement.setdefault("context", {})
    if o.registration:
        context["registration"] = o.registration
        categories = [{"id": CMI5_CATEGORY}] + ([{"id": CMI5_MOVEON}] if move_on else [])
        context.setdefault("contextActivities", {})["category"] = categories
    return statement


def _answered(a: Any, question: Question | None, key: Any, o: XapiOptions) -> dict[str, Any]:
    scaled = a.score / a.max_score if a.max_score else 0.0
    parent = a.parent_id or a.module
    statement = {
        "id": _id("answered", a.event_id),
        "actor": _actor(a.learner, o),
        "verb": {"id": VERBS["answered"], "display": _lang("answered", o)},
        "object": {"objectType": "Activity", "id": f"{o.activity_base}questions/{a.question_id}", "definition": _definition(question, key)},
        "result": {
            "response": _response(a.response),
            "success": bool(a.correct),
            "score": {"scaled": round(scaled, 4), "raw": a.score, "min": 0, "max": a.max_score},
        },
        "context": {"contextActivities": {"parent": [{"id": f"{o.activity_base}{'questions' if a.parent_id else 'modules'}/{parent}"}]}},
        "timestamp": a.answered_at.isoformat(),
    }
    if o.registration:
        statement["context"]["registration"] = o.registration
    return statement


def _module_statement(verb: str, learner: str, module: str, when: str, o: XapiOptions, *, score: float | None = None) -> dict[str, Any]:
    result: dict[str, Any] = {"completion": True} if verb == "completed" else {"success": verb == "passed", "completion": True}
    if score is not None:
        result["score"] = {"scaled": round(score, 4)}
    statement = {
        "id": _id(verb, learner, module, o.registration or ""),
        "actor": _actor(learner, o),
        "verb": {"id": VERBS[verb], "display": _lang(verb, o)},
        "object": {
            "objectType": "Activity",
            "id": f"{o.activity_base}{module}",
            "definition": {"type": "http://adlnet.gov/expapi/activities/module"},
        },
        "result": result,
        "timestamp": when,
    }
    return _cmi5(statement, o, move_on=verb != "failed")


def assessment_statement(
    learner: str, assessment: str, scaled: float, passed: bool, when: str, *, options: XapiOptions | None = None
) -> dict[str, Any]:
    """ "passed" or "failed" for one assessment result (``scaled`` 0–1, ``when`` ISO 8601), as the class service sends it."""
    verb = "passed" if passed else "failed"
    return _module_statement(verb, learner, f"assessments/{assessment}", when, options or XapiOptions(), score=scaled)


def statements(attempts: Iterable[Any], banks: Mapping[str, Any] | None = None, options: XapiOptions | None = None) -> list[dict[str, Any]]:
    """Every statement the records support, in time order; ``banks`` (module -> Bank) adds definitions and completion."""
    o = options or XapiOptions()
    records = sorted(attempts, key=lambda a: a.answered_at)
    out = []
    latest: dict[tuple[str, str], dict[str, Any]] = {}
    for a in records:
        bank = (banks or {}).get(a.module)
        question = bank.by_id.get(a.question_id) if bank is not None else None
        key = bank.keys.get(a.question_id) if bank is not None else None
        out.append(_answered(a, question, key, o))
        latest.setdefault((a.learner, a.module), {})[a.question_id] = a
    done_modules: dict[str, set[str]] = {}
    for (learner, module), answers in latest.items():
        bank = (banks or {}).get(module)
        if bank is None:
            continue
        needed = {sub.id for sub in bank.by_id.values() if sub.type != "case"}
        if not needed <= set(answers):
            continue
        when = max(a.answered_at for a in answers.values()).isoformat()
        out.append(_module_statement("completed", learner, f"modules/{module}", when, o))
        done_modules.setdefault(learner, set()).add(module)
        assessed = [a for a in answers.values() if a.mode == "assessment"]
        if assessed:
            scaled = sum(a.score for a in assessed) / sum(a.max_score for a in assessed)
            out.append(
                _module_statement("passed" if scaled >= o.pass_mark else "failed", learner, f"assessments/{module}", when, o, score=scaled)
            )
    for learner, modules in done_modules.items():
        if banks and set(banks) <= modules:
            when = max(s["timestamp"] for s in out if s["actor"]["account"]["name"] == learner)
            out.append(_module_statement("completed", learner, "course", when, o))
    return out


def write_xapi(
    attempts: Iterable[Any], out: str | Path | TextIO, banks: Mapping[str, Any] | None = None, options: XapiOptions | None = None
) -> int:
    """Write the statements as one JSON array (what ``POST /statements`` takes); returns how many."""
    found = statements(attempts, banks, options)
    text = json.dumps(found, indent=2, ensure_ascii=False) + "\n"
    if isinstance(out, (str, Path)):
        Path(out).write_text(text, encoding="utf-8")
    else:
        out.write(text)
    return len(found)
