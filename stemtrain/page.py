"""One module page as a whole: every quiz on it, one score for the page, and the bars at its top and foot.

The session hands each quiz view here; the page restores the learner's last answer to each question (resume),
keeps one running score for all of them, and keeps the bars' "signed in as" line and score up to date.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from .assessment import ASSESSMENT_MODULE, ASSESSMENT_TITLE
from .content.paths import notebook_path
from .pages.progress import course_modules
from .quiz.render import points
from .records.model import Attempt

__all__ = ["Page", "leaves_of"]


def leaves_of(view: Any) -> list[Any]:
    """The question views a view holds: itself, a case's parts, or every leaf of a quiz set."""
    if hasattr(view, "leaves"):
        return list(view.leaves)
    if hasattr(view, "parts"):
        return list(view.parts)
    return [view]


class Page:
    """The state shared by everything on one module page."""

    def __init__(self, content: Any, module: str, who: Callable[[], str]) -> None:
        self.content = content
        self.module = module
        self._who = who
        self.leaves: list[Any] = []
        self.bars: list[Any] = []

    # --- quizzes ------------------------------------------------------------------------------------
    def add(self, view: Any, latest: Mapping[str, Attempt], checker: Callable[[Any, Any], Any]) -> None:
        """Take a new quiz view: show each question's last checked answer again, and follow its score."""
        for leaf in leaves_of(view):
            self.leaves.append(leaf)
            self.restore(leaf, latest, checker)
            leaf.on_change(lambda _view: self.refresh())
        self.refresh()

    @staticmethod
    def restore(leaf: Any, latest: Mapping[str, Attempt], checker: Callable[[Any, Any], Any]) -> None:
        """Show the learner's last checked answer, graded again (a question changed since cannot be restored)."""
        record = latest.get(leaf.question.id)
        if record is None:
            return
        try:
            leaf.restore(checker(leaf.question, record.response))
        except (ValueError, TypeError, KeyError):
            pass  # the bank changed since that answer (ResponseError is a ValueError): start the question fresh

    def reload(self, latest: Mapping[str, Attempt], checker: Callable[[Any, Any], Any]) -> None:
        """Another learner signed in: clear every question and show theirs."""
        for leaf in self.leaves:
            leaf.reset()
            self.restore(leaf, latest, checker)
        self.refresh()

    def score_text(self) -> str:
        total = len(self.leaves)
        if not total:
            return ""
        done = [leaf.result for leaf in self.leaves if leaf.result is not None]
        return f"Your score on this page: {points(sum(r.score for r in done))} of {total} ({len(done)} of {total} checked)"

    # --- the bars -----------------------------------------------------------------------------------
    def links(self) -> list[dict[str, str]]:
        """Previous, course map and next, in course order."""
        modules = course_modules(self.content)
        here = modules.index(self.module) if self.module in modules else -1

        def link(kind: str, module: str, label: str) -> dict[str, str]:
            return {"kind": kind, "label": label, "file": f"{module}.ipynb", "hash": ""}

        def name(module: str) -> str:
            return f"{module[:2]} · {self.content.banks[module].title}"

        out = []
        if here > 0:
            out.append(link("prev", modules[here - 1], f"← Previous: {name(modules[here - 1])}"))
        if modules and self.module != modules[0]:
            out.append(link("start", modules[0], "Course map"))
        if 0 <= here < len(modules) - 1:
            out.append(link("next", modules[here + 1], f"Next: {name(modules[here + 1])} →"))
        elif modules and here == len(modules) - 1 and notebook_path(ASSESSMENT_MODULE).exists():
            out.append(link("next", ASSESSMENT_MODULE, f"Next: {ASSESSMENT_MODULE[:2]} · {ASSESSMENT_TITLE} →"))
        return out

    def bar(self, *, top: bool) -> Any:
        """A bar for the top (who is signed in, the score, the links) or the foot (the score and the links)."""
        from .widgets import PageBar

        links = self.links()
        text = " | ".join(link["label"] for link in links)
        bar = PageBar(text=text, links=links, label="Course navigation" if top else "Course navigation, end of page")
        bar.top = top
        self.bars.append(bar)
        self.refresh()
        return bar

    def refresh(self) -> None:
        """Bring every bar up to date with the learner's name and the page's score."""
        score, who = self.score_text(), self._who()
        for bar in self.bars:
            if bar.score != score:
                bar.score = score
            wanted = who if getattr(bar, "top", False) else ""
            if bar.who != wanted:
                bar.who = wanted
