"""A learner's progress through the course, from their records: pure, for the course map and ``course.progress()``.

A module counts each question a learner can check on its page (the parts of a case one by one); a question is
answered once it has any checked answer, and scores its latest one. Where to continue is the first question not
yet answered, in the order the notebooks ask them.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from ..content.notebooktext import quiz_order
from ..content.paths import module_notebooks, notebook_path
from ..quiz.render import points
from ..records.model import Attempt
from ..records.store import latest_by_question

__all__ = ["ModuleProgress", "continue_at", "course_modules", "module_progress", "page_questions"]


@dataclass(frozen=True)
class ModuleProgress:
    """One module for one learner: how much is answered and scored, and the next question to answer."""

    module: str
    title: str
    answered: int
    total: int
    points: float
    next_question: str | None

    @property
    def label(self) -> str:
        return f"{self.module[:2]} · {self.title}"

    @property
    def score_text(self) -> str:
        return f"{points(self.points)} of {self.total}" if self.answered else "—"

    @property
    def done(self) -> bool:
        return self.total > 0 and self.answered >= self.total


def course_modules(content: Any) -> list[str]:
    """The modules in course order: the module notebooks that have a bank."""
    return [p.stem for p in module_notebooks() if p.stem in content.banks]


def page_questions(content: Any, module: str) -> list[str]:
    """The ids a learner checks on a module's page, case parts one by one, in the notebook's order."""
    bank = content.banks[module]
    path = notebook_path(module)
    asked = quiz_order(path) if path.exists() else []
    order = [qid for qid in asked if qid in bank.by_id] + [q.id for q in bank.questions if q.id not in asked]
    leaves: list[str] = []
    for qid in order:
        question = bank[qid]
        leaves.extend(part.id for part in question.linked()) if question.linked() else leaves.append(qid)
    return leaves


def module_progress(content: Any, records: Iterable[Attempt], modules: Sequence[str] | None = None) -> list[ModuleProgress]:
    """Progress in each module (default: every module of the course), from one learner's records."""
    by_module: dict[str, list[Attempt]] = {}
    for record in records:
        by_module.setdefault(record.module, []).append(record)
    out = []
    for module in modules if modules is not None else course_modules(content):
        latest = latest_by_question(by_module.get(module, []))
        leaves = page_questions(content, module)
        answered = [qid for qid in leaves if qid in latest]
        missing = next((qid for qid in leaves if qid not in latest), None)
        score = sum(latest[qid].score for qid in answered)
        out.append(ModuleProgress(module, content.banks[module].title, len(answered), len(leaves), score, missing))
    return out


def continue_at(progress: Sequence[ModuleProgress]) -> ModuleProgress | None:
    """The first module not finished (where "continue where you left off" goes), or None when all are."""
    return next((p for p in progress if not p.done), None)
