"""A learner's session in one module: the one object a notebook's setup cell creates.

It holds who the learner is (resolved on first use), where their answers are saved, and the one listener
list every checked answer passes through (``on_answer``), so records, assessment and instructor tools can
listen without the notebooks changing. Quizzes and figures are built on request; the rest of the page
(about, glossary, references, navigation) comes from ``stemtrain.pages``.
"""

from __future__ import annotations

import base64
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from . import pages
from .events import Failure, Listeners
from .identity import Identity, course_mode, resolve_identity
from .records import Attempt, RecordStore, SaveStatus, SavingQueue, open_store

if TYPE_CHECKING:
    from .quiz.views import Answered

__all__ = ["CourseSession", "ModuleSession", "start"]

_DEFAULT: Any = object()


class ModuleSession:
    """The learner's session in one module."""

    def __init__(
        self,
        module: str,
        *,
        seed: int = 0,
        learner: str | None = None,
        content: Any = None,
        store: RecordStore | str | None = _DEFAULT,
        identity: Identity | None = None,
        mode: str | None = None,
        retry_after: float = 5.0,
    ) -> None:
        from .content.coursecache import cached_course

        self.module = module
        self.seed = seed
        self.content = content if content is not None else cached_course()
        if module not in self.content.banks:
            known = ", ".join(sorted(self.content.banks)) or "none"
            raise KeyError(f"no question bank for module {module!r} (banks: {known})")
        self.bank = self.content.banks[module]
        from .markup import preload

        preload(getattr(self.content, "rendered", {}))
        self.mode = mode or ("course" if course_mode() else "notebook")
        self._identity = identity or (Identity(learner, learner, "given", False) if learner else None)
        self._answers: Listeners[Attempt] = Listeners(self._listener_failed)
        self._status_widget: Any = None
        self._extra_notice = ""
        self._saving = SavingQueue(self._opener(store), retry_after=retry_after, on_status=self._show_status)

    def __repr__(self) -> str:
        return f"<ModuleSession {self.module}>"

    @staticmethod
    def _opener(store: Any) -> Callable[[], RecordStore] | None:
        if store is None:
            return None
        if store is _DEFAULT:
            return open_store
        if isinstance(store, str):
            return lambda: open_store(store)
        return lambda: store

    # --- who and where ------------------------------------------------------------------------------
    @property
    def identity(self) -> Identity:
        """Who the learner is and how we know, resolved the first time it is needed."""
        if self._identity is None:
            self._identity = self._class_identity() or resolve_identity()
        return self._identity

    def _class_identity(self) -> Identity | None:
        """In a class, the name the class service files this learner's answers under (their token's name)."""
        store = self._saving.store
        learner = getattr(store, "learner", None)
        if not isinstance(learner, str) or not learner:
            return None
        hub = getattr(store, "identity_source", "") == "hub"  # named by the hub (checked by the service when it answers)
        return Identity(learner, learner, "hub" if hub else "class", hub or bool(getattr(store, "verified", False)))

    @property
    def learner(self) -> str:
        return self.identity.learner

    @property
    def store(self) -> RecordStore | None:
        return self._saving.store

    @property
    def save_status(self) -> SaveStatus:
        return self._saving.status

    @property
    def answers(self) -> list[Attempt]:
        """This session's answers, in order, saved or not."""
        return self._saving.kept()

    # --- answers --------------------------------------------------------------------------------------
    def on_answer(self, callback: Callable[[Attempt], object], *, remove: bool = False) -> None:
        """Call ``callback(attempt)`` for every answer checked in this session (``remove=True`` stops it)."""
        self._answers.add(callback, remove=remove)

    def record(self, answered: Answered) -> Attempt:
        """Where every view reports: keep the answer (saving it, or queueing it) and tell the listeners."""
        r = answered.result
        attempt = Attempt(
            learner=self.learner,
            module=self.module,
            question_id=r.question_id,
            parent_id=answered.parent_id,
            response=r.response,
            correct=r.correct,
            score=r.score,
            max_score=r.max_score,
            content_hash=self.bank.content_hash,
            mode=self.mode,
        )
        kept = self._saving.add(attempt)
        self._answers.emit(kept)
        return kept

    def close(self) -> None:
        """Save what is waiting and close the store."""
        self._saving.close()

    # --- what a notebook shows -------------------------------------------------------------------------
    def quiz(self, *question_ids: str, title: str = "") -> Any:
        """A quiz view: one question, or a numbered set with a score line when several ids or a title are given."""
        from .figures import make
        from .quiz.views import QuizSetView, view_for

        if not question_ids:
            raise ValueError("quiz() needs at least one question id")
        questions = [self.bank[qid] for qid in question_ids]
        common = {
            "checker": self.bank.checker(),
            "references": self.content.references,
            "seed": self.seed,
            "status": self._status(),
            "picture": make,
        }
        view = view_for(questions[0], **common) if len(questions) == 1 and not title else QuizSetView(questions, title=title, **common)
        view.on_answer(self.record)
        return view

    def figure(self, name: str, **kwargs: Any) -> Any:
        """Show a teaching figure by name (``"spine.motion_segment"``): the image and its text description.

        Interactive figures are widgets and are returned for display; static ones are displayed here.
        """
        from IPython.display import display

        from .figures import make
        from .quiz.render import caption_html

        made = make(name, **kwargs)
        if not hasattr(made, "to_png"):
            return made
        png = base64.b64encode(made.to_png()).decode("ascii")
        display({"image/png": png, "text/plain": f"Figure: {made.title}"}, raw=True)
        display(pages.Rich(caption_html(made.title, made.description), f"Figure description: {made.description}"))
        return None

    def about(self) -> pages.Rich:
        return pages.about(
            self.content, self.module, learner=self._identity.display_name if self._identity and self._identity.source == "given" else ""
        )

    def glossary(self) -> pages.Rich:
        return pages.glossary(self.content, self.module)

    def cited(self) -> list[str]:
        return pages.cited(self.content, self.module)

    def references(self) -> pages.Rich:
        return pages.references(self.content, self.module)

    def navigation(self) -> Any:
        """Previous and next module and the course map, as links in a widget (so they open in the same tab)."""
        from .widgets import LinkBar

        rich = pages.navigation(self.content, self.module)
        return LinkBar(rich.html, rich.text)

    # --- saving status on the page ---------------------------------------------------------------------
    def _status(self) -> Any:
        """The one status line every quiz on this page shows (an HTML widget, shared)."""
        if self._status_widget is None:
            from .quiz.views.style import html

            self._status_widget = html("", "stemtrain-save-status")
            self._show_status(self._saving.status)
        return self._status_widget

    def _show_status(self, status: SaveStatus) -> None:
        if self._status_widget is None:
            return
        from .quiz.render import status_html

        if status.state == "saved":
            text = self._extra_notice or ("Your earlier answers are now saved." if status.recovered else "")
            kind = "warning" if self._extra_notice else "ok"
        else:
            text, kind = status.message, "warning"
        self._status_widget.value = status_html(text, kind=kind)

    def _listener_failed(self, failure: Failure) -> None:
        self._extra_notice = f"Your answer was kept, but something went wrong afterwards ({failure})."
        self._show_status(self._saving.status)


CourseSession = ModuleSession
"""The name notebooks and older code know the session by."""


def start(module: str, *, seed: int = 0, learner: str | None = None) -> ModuleSession:
    """Begin a module: what a notebook's hidden setup cell calls.

    Answers are saved to the learner's records (see ``stemtrain.records``); if they cannot be, every quiz on
    the page says why, and the module still works.
    """
    return ModuleSession(module, seed=seed, learner=learner)
