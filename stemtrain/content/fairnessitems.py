"""What the fairness check reads from a bank: its questions (case parts included), options and visible lengths.

Shared by the fairness rules and the review figures, which must count the same items the same way.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from .yamlsource import Located

__all__ = [
    "bank_questions",
    "key_lengths",
    "question_id",
    "single_choice_items",
    "text_options",
    "true_false_items",
    "visible_length",
]

_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")
_MARKS = re.compile(r"[*_`]")


def visible_length(text: Any) -> int:
    """Length of the text a learner sees: Markdown marks (``*``, ``_``, backticks) and link targets removed,
    runs of white space counted once."""
    if not isinstance(text, str):
        return 0
    return len(" ".join(_MARKS.sub("", _LINK.sub(r"\1", text)).split()))


def bank_questions(data: Any) -> Iterator[tuple[tuple[Any, ...], dict[str, Any]]]:
    """Every question of a bank with its path, case questions' linked questions included."""
    questions = data.get("questions") if isinstance(data, dict) else None
    if not isinstance(questions, list):
        return
    for i, q in enumerate(questions):
        if not isinstance(q, dict):
            continue
        yield ("questions", i), q
        if q.get("type") == "case" and isinstance(q.get("questions"), list):
            for k, sub in enumerate(q["questions"]):
                if isinstance(sub, dict):
                    yield ("questions", i, "questions", k), sub


def question_id(q: dict[str, Any]) -> str:
    """The id a problem names, or "-" for a question without one (the schema check reports that)."""
    qid = q.get("id")
    return qid if isinstance(qid, str) and qid else "-"


def text_options(q: dict[str, Any]) -> list[tuple[int, dict[str, Any]]]:
    """The options that have a text, with their index: malformed ones are the schema check's business."""
    opts = q.get("options")
    if not isinstance(opts, list):
        return []
    return [(j, o) for j, o in enumerate(opts) if isinstance(o, dict) and isinstance(o.get("text"), str)]


def key_lengths(q: dict[str, Any]) -> tuple[int, int, list[int]] | None:
    """(index of the key option, its visible length, the distractors' lengths), or None when unusable."""
    opts = text_options(q)
    keyed = [(j, o) for j, o in opts if o.get("id") == q.get("answer")]
    others = [visible_length(o["text"]) for j, o in opts if o.get("id") != q.get("answer")]
    if len(keyed) != 1 or not others:
        return None
    j, key = keyed[0]
    return j, visible_length(key["text"]), others


def single_choice_items(located: Located) -> list[tuple[tuple[Any, ...], dict[str, Any], tuple[int, int, list[int]]]]:
    """Single-choice questions with one key and at least one distractor, with their path and ``key_lengths``."""
    out = []
    for path, q in bank_questions(located.data):
        if q.get("type") == "single_choice":
            lengths = key_lengths(q)
            if lengths is not None:
                out.append((path, q, lengths))
    return out


def true_false_items(located: Located) -> list[tuple[tuple[Any, ...], dict[str, Any]]]:
    """True/false questions whose answer is a boolean, with their path."""
    return [(p, q) for p, q in bank_questions(located.data) if q.get("type") == "true_false" and isinstance(q.get("answer"), bool)]
