"""Turn a validated bank entry into its two parts: the public question and the key.

The bank file keeps answers apart from options already; here they become separate objects, and
everything shown is put in its display order (ordering steps never in the correct order).
"""

from __future__ import annotations

from typing import Any

from ..quiz.model import (
    AssignmentKey,
    Case,
    CaseKey,
    ChoiceKey,
    ImageLabel,
    Key,
    Matching,
    MultipleKey,
    MultipleSelect,
    Numeric,
    NumericKey,
    Option,
    Ordering,
    OrderingKey,
    Question,
    SingleChoice,
    TrueFalse,
    TrueFalseKey,
    shown_order,
    shuffled,
)

__all__ = ["build_question"]


def _common(d: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": d["id"],
        "prompt": d["prompt"],
        "references": tuple(d["references"]),
        "objective": d.get("objective"),
        "difficulty": d.get("difficulty"),
        "tags": tuple(d.get("tags", ())),
        "section": d.get("section"),
    }


def _distractors(d: dict[str, Any]) -> list[Option]:
    return [Option(f"distractor-{i}", text) for i, text in enumerate(d.get("distractors", ()), start=1)]


def build_question(d: dict[str, Any]) -> tuple[Question, dict[str, Key]]:
    """The public question and the keys of it and of its linked questions, by question id."""
    qtype, qid = d["type"], d["id"]
    common = _common(d)
    base = {"question_id": qid, "explanation": d["explanation"]}
    question: Question
    key: Key
    keys: dict[str, Key] = {}
    if qtype in ("single_choice", "multiple_select"):
        options = tuple(shuffled([Option(o["id"], o["text"]) for o in d["options"]], qid))
        feedback = tuple((o["id"], o["feedback"]) for o in d["options"] if o.get("feedback"))
        if qtype == "single_choice":
            question, key = SingleChoice(**common, options=options), ChoiceKey(**base, feedback=feedback, answer=d["answer"])
        else:
            question = MultipleSelect(**common, options=options)
            key = MultipleKey(**base, feedback=feedback, answers=frozenset(d["answers"]))
    elif qtype == "true_false":
        feedback = tuple((k, v) for k, v in sorted(d.get("feedback", {}).items()))
        question, key = TrueFalse(**common), TrueFalseKey(**base, feedback=feedback, answer=d["answer"])
    elif qtype == "ordering":
        items = [Option(i["id"], i["text"]) for i in d["items"]]
        question = Ordering(**common, items=tuple(shown_order(items, qid)))
        key = OrderingKey(**base, order=tuple(i.id for i in items))
    elif qtype == "matching":
        pairs = d["pairs"]
        choices = shuffled([Option(p["id"], p["right"]) for p in pairs] + _distractors(d), qid)
        question = Matching(**common, lefts=tuple(Option(p["id"], p["left"]) for p in pairs), choices=tuple(choices))
        key = AssignmentKey(**base, matches=tuple((p["id"], p["id"]) for p in pairs))
    elif qtype == "numeric":
        question = Numeric(**common, unit=d["unit"])
        key = NumericKey(**base, answer=float(d["answer"]), tolerance=float(d["tolerance"]))
    elif qtype == "image_label":
        markers = [(str(int(m["number"])), m["label"]) for m in d["markers"]]
        choices = shuffled([Option(n, label) for n, label in markers] + _distractors(d), qid)
        question = ImageLabel(**common, figure=d["figure"], markers=tuple(int(n) for n, _ in markers), choices=tuple(choices))
        key = AssignmentKey(**base, matches=tuple((n, n) for n, _ in markers))
    elif qtype == "case":
        parts = [build_question(sub) for sub in d["questions"]]
        for _, part_keys in parts:
            keys.update(part_keys)
        question = Case(**common, vignette=d["vignette"], questions=tuple(q for q, _ in parts))
        key = CaseKey(**base, parts=tuple(part_keys[q.id] for q, part_keys in parts))
    else:
        raise ValueError(f"unknown question type {qtype!r}")
    keys[qid] = key
    return question, keys
