"""Which bank questions can be pushed live, the public part a learner's page gets, and what a reveal shows.

Keys stay here, in the service: until the instructor reveals the answer, a learner's page receives only the
prompt, the case's vignette for a case part, and the options' ids and texts (plain text, no Markdown marks).
Live polls take the choice types (single choice, multiple select, true/false), case parts included, because
their answers can be counted per option and shown as a bar chart to a room.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import Any

__all__ = ["LIVE_TYPES", "LiveQuestion", "QuestionCatalogue"]

LIVE_TYPES = ("single_choice", "multiple_select", "true_false")


@dataclass(frozen=True)
class LiveQuestion:
    """One pushable question: its public part, and (kept in the service) the correct option ids and explanation."""

    question_id: str
    module: str
    type: str
    prompt: str
    context: str
    options: tuple[tuple[str, str], ...]
    correct: frozenset[str]
    explanation: str

    def public(self) -> dict[str, Any]:
        """What a learner's page may see before the reveal."""
        return {
            "question_id": self.question_id,
            "module": self.module,
            "type": self.type,
            "prompt": self.prompt,
            "context": self.context,
            "options": [{"id": i, "text": t} for i, t in self.options],
        }

    def check(self, response: Any) -> str | None:
        """Why ``response`` does not fit the question, or None when it does."""
        ids = [i for i, _ in self.options]
        if self.type == "true_false":
            return None if isinstance(response, bool) else "must be true or false"
        if self.type == "single_choice":
            return None if isinstance(response, str) and response in ids else f"must be one option id of {ids}"
        ok = isinstance(response, list) and all(isinstance(r, str) and r in ids for r in response) and len(set(response)) == len(response)
        return None if ok and response else f"must be a list of distinct option ids from {ids}"

    def picked(self, response: Any) -> set[str]:
        if isinstance(response, bool):
            return {"true" if response else "false"}
        return {response} if isinstance(response, str) else set(response or ())

    def is_correct(self, response: Any) -> bool:
        return self.picked(response) == set(self.correct)


def _live(bank: Any, question: Any, context: str, plain: Any) -> LiveQuestion:
    key = bank.keys[question.id]
    if question.type == "true_false":
        options: tuple[tuple[str, str], ...] = (("true", "True"), ("false", "False"))
        correct = frozenset({"true" if key.answer else "false"})
    else:
        options = tuple((o.id, plain(o.text)) for o in question.options)
        correct = frozenset(key.answers) if question.type == "multiple_select" else frozenset({key.answer})
    return LiveQuestion(question.id, bank.module, question.type, plain(question.prompt), context, options, correct, plain(key.explanation))


class QuestionCatalogue:
    """The course's pushable questions, loaded on first use (the service starts without reading the banks)."""

    def __init__(self, course: Any = None) -> None:
        self._course = course
        self._questions: dict[str, LiveQuestion] | None = None
        self._others: dict[str, str] = {}
        self._lock = threading.Lock()

    def _load(self) -> dict[str, LiveQuestion]:
        with self._lock:
            if self._questions is None:
                from ..content import load_course
                from ..markup import to_plain

                course = self._course or load_course()
                found: dict[str, LiveQuestion] = {}
                for bank in course.banks.values():
                    for q in bank.questions:
                        context = to_plain(q.vignette) if q.type == "case" else ""
                        for part in q.questions if q.type == "case" else (q,):
                            if part.type in LIVE_TYPES:
                                found[part.id] = _live(bank, part, context, to_plain)
                            else:
                                self._others[part.id] = part.type
                self._questions = found
            return self._questions

    def get(self, question_id: str) -> LiveQuestion:
        """The question, or ``LookupError`` saying why it cannot be pushed."""
        found = self._load().get(question_id)
        if found is not None:
            return found
        if question_id in self._others:
            raise LookupError(
                f"question_id: {question_id!r} is a {self._others[question_id]} question; live polls take {', '.join(LIVE_TYPES)}"
            )
        raise LookupError(f"question_id: no question {question_id!r} in the course banks")

    def ids(self) -> list[str]:
        return list(self._load())
