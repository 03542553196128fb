"""A learner's session in one module: the one object a notebook's setup cell creates.

It loads the module's bank once, builds quiz views and figures on request, and is the single place
every checked answer passes through (``on_answer``), so learner records, assessment and instructor
tools can listen without the notebooks changing.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from .content import markup
from .content.loader import Bank, Course, load_course
from .content.paths import notebook_path, notebook_paths

if TYPE_CHECKING:
    from .quiz.grading import Result
    from .quiz.model import Question

__all__ = ["AnswerEvent", "CourseSession", "start", "find_citations"]

_CITATION = re.compile(r"\[([^\[\]\n]{2,200})\](?!\()")


@dataclass(frozen=True)
class AnswerEvent:
    """One checked answer, with where and when it happened: what the progress store will keep."""

    module: str
    question_id: str
    result: Result
    attempt: int
    answered_at: dt.datetime = field(default_factory=lambda: dt.datetime.now(dt.timezone.utc))


class Rich:
    """A block of HTML with a plain-text twin, displayed by Jupyter as both."""

    def __init__(self, html: str, text: str) -> None:
        self.html = html
        self.text = text

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> dict[str, str]:
        return {"text/html": self.html, "text/plain": self.text}

    def __repr__(self) -> str:
        return self.text


def find_citations(markdown: str, cites: set[str]) -> list[str]:
    """The bibliography labels cited as ``[Label]`` or ``[Label; Label]`` in Markdown, in order."""
    found: list[str] = []
    for group in _CITATION.findall(markdown):
        for label in (part.strip() for part in group.split(";")):
            if label in cites and label not in found:
                found.append(label)
    return found


class CourseSession:
    """The learner's session in one module."""

    def __init__(
        self,
        module: str,
        *,
        seed: int = 0,
        learner: str | None = None,
        course: Course | None = None,
        store: Any = True,
    ) -> None:
        self.module = module
        self.seed = seed
        self.learner = learner  # a name given on purpose, shown on the page
        self.content = course or load_course()
        if module not in self.content.banks:
            known = ", ".join(sorted(self.content.banks)) or "none"
            raise KeyError(f"no question bank for module {module!r} (banks: {known})")
        self.bank: Bank = self.content.banks[module]
        self.answers: list[AnswerEvent] = []
        self._listeners: list[Callable[[AnswerEvent], None]] = []
        self.store, self.store_problem = self._open_store(store)
        from .progress import default_learner

        self.learner_id = learner or default_learner()

    @staticmethod
    def _open_store(store: Any) -> tuple[Any, str]:
        """The learner's progress file; if it cannot be used, the course still works and says why."""
        if store is False or store is None:
            return None, ""
        if store is not True:
            return store, ""
        from .progress import ProgressError, ProgressStore

        try:
            return ProgressStore(), ""
        except ProgressError as exc:
            return None, str(exc)

    def __repr__(self) -> str:
        return f"<CourseSession {self.module}>"

    # --- answers ------------------------------------------------------------------------------------
    def on_answer(self, callback: Callable[[AnswerEvent], None]) -> None:
        """Call ``callback(event)`` for every answer checked in this session."""
        self._listeners.append(callback)

    def record(self, question: Question, result: Result) -> AnswerEvent:
        """Where every view reports: keep the answer (in memory and in the progress file) and tell the listeners."""
        attempt = 1 + sum(1 for e in self.answers if e.question_id == question.id)
        if self.store is not None:
            attempt = 1 + self._stored_attempts(question.id)
        event = AnswerEvent(self.module, question.id, result, attempt)
        self.answers.append(event)
        self._save(event)
        for listener in self._listeners:
            listener(event)
        return event

    def _stored_attempts(self, question_id: str) -> int:
        from .progress import ProgressError

        try:
            return self.store.attempts(self.learner_id, self.module, question_id)
        except ProgressError as exc:
            self._lose_store(exc)
            return sum(1 for e in self.answers if e.question_id == question_id)

    def _save(self, event: AnswerEvent) -> None:
        if self.store is None:
            return
        from .progress import ProgressError

        r = event.result
        try:
            self.store.record(self.learner_id, event.module, event.question_id, event.attempt, r.correct, r.score, r.response, event.answered_at.isoformat())
        except ProgressError as exc:
            self._lose_store(exc)

    def _lose_store(self, exc: Exception) -> None:
        """Keep teaching when the file fails; answers stay in memory for this session."""
        self.store, self.store_problem = None, str(exc)

    # --- what a notebook shows ------------------------------------------------------------------------
    def quiz(self, *question_ids: str, title: str = "") -> Any:
        """A quiz view: one question, or a set with a score summary when several ids are given."""
        from .quiz.view import QuizSetView, view_for

        if not question_ids:
            raise ValueError("quiz() needs at least one question id")
        questions = [self.bank[qid] for qid in question_ids]
        refs = self.content.references
        if len(questions) == 1 and not title:
            return view_for(questions[0], references=refs, seed=self.seed, on_answer=self.record)
        return QuizSetView(questions, title=title, references=refs, seed=self.seed, on_answer=self.record)

    def figure(self, name: str, **kwargs: Any) -> Any:
        """Show a teaching figure by name (``"spine.motion_segment"``): the image and its text description.

        Interactive figures are widgets and are returned for display; static ones are displayed here.
        """
        from .figures import make

        made = make(name, **kwargs)
        if not hasattr(made, "to_png"):
            return made
        from IPython.display import display

        display(
            {"image/png": base64.b64encode(made.to_png()).decode("ascii"), "text/plain": f"Figure: {made.title}"},
            raw=True,
        )
        display(
            Rich(
                f'<p class="stemtrain-figure-caption"><strong>Figure: {markup.escape(made.title)}.</strong> '
                f"{markup.escape(made.description)}</p>",
                f"Figure description: {made.description}",
            )
        )
        return None

    def about(self) -> Rich:
        """When the module's content was last reviewed and how recent the evidence it considers is."""
        cutoff = self.bank.evidence_cutoff
        text = f"Content last reviewed: {self.bank.reviewed.isoformat()}."
        if cutoff:
            text += f" Evidence considered up to: {cutoff.isoformat()}."
        text += " Research on MSC therapy moves fast: check for newer trial results and regulator statements before relying on this."
        if self.learner:
            text = f"Learner: {self.learner}. " + text
        return Rich(f'<p class="stemtrain-review"><em>{markup.escape(text)}</em></p>', text)

    def navigation(self) -> Any:
        """Previous and next module and the course map: links that work in course mode and in JupyterLab."""
        modules = [p.stem for p in notebook_paths() if re.match(r"^\d{2}-", p.name)]
        here = modules.index(self.module) if self.module in modules else -1

        def name(module: str) -> str:
            bank = self.content.banks.get(module)
            return f"{module[:2]} · {bank.title}" if bank else module

        links: list[tuple[str, str, str]] = []
        if here > 0:
            links.append(("prev", modules[here - 1], f"← Previous: {name(modules[here - 1])}"))
        if modules and self.module != modules[0]:
            links.append(("start", modules[0], "Course map"))
        if 0 <= here < len(modules) - 1:
            links.append(("next", modules[here + 1], f"Next: {name(modules[here + 1])} →"))
        html = " · ".join(
            f'<a class="stemtrain-nav-{kind}" href="{markup.escape(m)}.ipynb">{markup.escape(label)}</a>' for kind, m, label in links
        )
        from .widgets import LinkBar

        return LinkBar(
            f'<nav class="stemtrain-nav" aria-label="Course navigation"><p>{html}</p></nav>',
            " | ".join(label for _, _, label in links),
        )

    def glossary(self) -> Rich:
        """The glossary terms this module introduces, with their sources."""
        terms = [t for t in self.content.glossary if self.module in t.modules]
        refs = self.content.references
        rows = []
        for t in terms:
            cites = "; ".join(markup.escape(refs[r].cite) for r in t.references if r in refs)
            rows.append(f"<dt><strong>{markup.escape(t.term)}</strong></dt><dd>{markup.render_inline(t.definition)} <small>[{cites}]</small></dd>")
        html = f'<dl class="stemtrain-glossary">{"".join(rows)}</dl>'
        text = "\n".join(f"{t.term}: {markup.to_plain(t.definition)}" for t in terms)
        return Rich(html, text or "(no glossary terms for this module)")

    def cited(self) -> list[str]:
        """Reference ids this module cites: in its notebook's Markdown first, then in its bank."""
        by_cite = {r.cite: r.id for r in self.content.references.values()}
        ids: list[str] = []
        path = notebook_path(self.module)
        if path.exists():
            cells = json.loads(path.read_text(encoding="utf-8")).get("cells", [])
            text = "\n".join("".join(c.get("source", "")) for c in cells if c.get("cell_type") == "markdown")
            ids = [by_cite[c] for c in find_citations(text, set(by_cite))]
        ids.extend(r for r in self.bank.cited() if r not in ids)
        return ids

    def references(self) -> Rich:
        """The module's reference list, rendered from the course bibliography, sorted by label."""
        refs = sorted((self.content.references[r] for r in self.cited()), key=lambda r: r.cite.lower())
        items = []
        for r in refs:
            note = r.learner_note or ("Checked only through a secondary source." if r.confidence == "secondary" else "")
            caveat = f' <em class="stemtrain-confidence">{markup.escape(note)}</em>' if note else ""
            link = r.link
            linked = (
                f'<a href="{markup.escape(link)}" target="_blank" rel="noopener noreferrer">{markup.escape(link)}</a>'
                if link.startswith(("https://", "http://"))
                else markup.escape(link)
            )
            body = markup.escape(r.format().rsplit(". ", 1)[0])
            items.append(f'<li id="ref-{markup.escape(r.id)}"><strong>[{markup.escape(r.cite)}]</strong> {body}. {linked}{caveat}</li>')
        html = f'<ul class="stemtrain-references">{"".join(items)}</ul>'
        text = "\n".join(f"[{r.cite}] {r.format()}" for r in refs)
        return Rich(html, text)


def start(module: str, *, seed: int = 0, learner: str | None = None) -> CourseSession:
    """Begin a module: what a notebook's hidden setup cell calls.

    Answers are saved to the learner's progress file (see ``stemtrain.progress``); if it cannot be
    opened, a warning says why and the module still works.
    """
    session = CourseSession(module, seed=seed, learner=learner)
    if session.store_problem:
        import warnings

        warnings.warn(f"Your answers will not be saved: {session.store_problem}", RuntimeWarning, stacklevel=2)
    return session
