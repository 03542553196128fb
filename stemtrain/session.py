"""A learner's session in one module: the one object a notebook's setup cell creates.

It holds who the learner is (resolved on first use), where their answers are saved, and the one listener
list every checked answer passes through (``on_answer``), so records, assessment and instructor tools can
listen without the notebooks changing. Quizzes and figures are built on request and resume from the learner's
records; the rest of the page (bars, about, glossary, references, the course map) comes from ``page`` and ``pages``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from . import pages
from .events import Failure, Listeners
from .identity import Identity, course_mode, resolve_identity
from .page import Page
from .records import Attempt, RecordStore, SaveStatus, SavingQueue, StoreError, latest_by_question, open_store

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
        from .markup import preload

        self.module = module
        self.seed = seed
        self.content = content if content is not None else cached_course()
        if module not in self.content.banks:
            known = ", ".join(sorted(self.content.banks)) or "none"
            raise KeyError(f"no question bank for module {module!r} (banks: {known})")
        self.bank = self.content.banks[module]
        preload(getattr(self.content, "rendered", {}))
        self.mode = mode or ("course" if course_mode() else "notebook")
        self._identity = identity or (Identity(learner, learner, "given", False) if learner else None)
        self._answers: Listeners[Attempt] = Listeners(self._listener_failed)
        self._status_widget: Any = None
        self._extra_notice = ""
        self._latest: dict[str, Attempt] | None = None
        self._saving = SavingQueue(self._opener(store), retry_after=retry_after, on_status=self._show_status)
        self.page = Page(self.content, module, self._who)

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
            self._identity = resolve_identity(store=self._saving.store, profile=self._signed_in)
        return self._identity

    def _signed_in(self) -> tuple[str, str] | None:
        """Who signed in last on this computer account (kept in the learner's own records)."""
        signed_in = getattr(self._saving.store, "signed_in", None)
        try:
            return signed_in() if signed_in is not None else None
        except StoreError:
            return None

    def _who(self) -> str:
        who = self.identity
        return f"Signed in as {who.display_name} ({who.how})"

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

    def latest(self) -> dict[str, Attempt]:
        """The learner's last checked answer to each question of this module, from their records (for resume)."""
        if self._latest is None:
            store = self._saving.store
            try:
                records = store.attempts(self.learner, self.module) if store is not None else []
            except StoreError as exc:
                records = []
                self._notice(f"Your earlier answers could not be read, so this page starts empty: {exc}")
            self._latest = latest_by_question([*records, *(a for a in self.answers if a.attempt == 0)])
        return self._latest

    def sign_in(self) -> Any:
        """The sign-in form on the start page (or who is signed in, where a hub or a class says so)."""
        from .signin import SignInView

        return SignInView(self.identity, self._switch_learner)

    def _switch_learner(self, learner: str, name: str, staff_id: str, role: str) -> Identity:
        sign_in = getattr(self._saving.store, "sign_in", None)
        if sign_in is None:
            raise StoreError("answers are not being kept on this computer, so there is nothing to sign in to", kind="unavailable")
        sign_in(learner, name, staff_id, role)
        self._identity, self._latest = Identity(learner, name, "profile", False), None
        self.page.reload(self.latest(), self.bank.checker())
        return self._identity

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
        """A quiz view (one question, or a numbered set), showing the learner's last answers again."""
        from .figures import make
        from .quiz.views import QuizSetView, view_for

        if not question_ids:
            raise ValueError("quiz() needs at least one question id")
        questions = [self.bank[qid] for qid in question_ids]
        checker = self.bank.checker()
        common = {"checker": checker, "references": self.content.references, "seed": self.seed, "status": self._status(), "picture": make}
        single = len(questions) == 1 and not title
        view = view_for(questions[0], **common) if single else QuizSetView(questions, title=title, show_score=False, **common)
        self.page.add(view, self.latest(), checker)
        view.on_answer(self.record)
        return view

    def figure(self, name: str, **kwargs: Any) -> Any:
        """Show a teaching figure by name (``"spine.motion_segment"``): the picture with its text description tied to it.

        Interactive figures are widgets and are returned for display; static ones are shown here.
        """
        from .figures import make

        made = make(name, **kwargs)
        if not hasattr(made, "to_png"):
            return made
        return pages.figure(made, name)

    def header(self) -> Any:
        """The top bar (who, score, links), the status line (trouble shows before the first quiz), and in a class the live panel."""
        from .live import live_panel
        from .widgets import PageTop

        live = live_panel()  # only in a class: a learner on their own sees no empty live-question box
        return PageTop(self.page.bar(top=True), self._status(), *([live] if live.url else []))

    def navigation(self) -> Any:
        """The bar at the foot of the page: the page's score and the links to the previous and next module."""
        return self.page.bar(top=False)

    def progress(self) -> Any:
        """The course map: every module with its progress and score, where to continue, and a picture of it."""
        from IPython.display import display

        from .assessment.report import map_row
        from .figures import make
        from .pages.progress import continue_at, module_progress
        from .widgets import PageBar

        store = self._saving.store
        try:
            records = store.attempts(self.learner) if store is not None else []
        except StoreError as exc:
            records = []
            self._notice(f"Your earlier answers could not be read, so the course map shows only this page's: {exc}")
        rows = module_progress(self.content, [*records, *(a for a in self.answers if a.attempt == 0)])
        chart = make("progress.progress_chart", rows=[[r.label, r.answered, r.total, r.points] for r in rows])
        display(pages.figure(chart, "progress.progress_chart"))
        nxt = continue_at(rows)
        links = []
        if nxt is not None:
            label = "Continue where you left off" if nxt.answered or rows.index(nxt) else "Start the course"
            links.append(
                {"kind": "continue", "label": f"{label}: {nxt.label}", "file": f"{nxt.module}.ipynb", "hash": f"q-{nxt.next_question}"}
            )
        table = [
            {"label": r.label, "file": f"{r.module}.ipynb", "hash": "", "answered": r.answered, "total": r.total, "score": r.score_text}
            for r in rows
        ]
        text = "\n".join(f"{r.label}: {r.answered} of {r.total} answered, score {r.score_text}" for r in rows)
        final = map_row(self._saving.store, self.learner)
        if final is not None:
            table.append(final)
            text += f"\n{final['label']}: {final['score']}"
        return PageBar(text=text, kind="map", label="Your progress through the course", rows=table, links=links)

    def about(self) -> pages.Rich:
        given = self._identity.display_name if self._identity and self._identity.source == "given" else ""
        return pages.about(self.content, self.module, learner=given)

    def glossary(self) -> pages.Rich:
        return pages.glossary(self.content, self.module)

    def cited(self) -> list[str]:
        return pages.cited(self.content, self.module)

    def references(self) -> pages.Rich:
        return pages.references(self.content, self.module)

    # --- saving status on the page ---------------------------------------------------------------------
    def _status(self) -> Any:
        """The one status line every quiz on this page shows (a shared widget that also carries the course style)."""
        if self._status_widget is None:
            from .frontend.controls import StatusLine

            self._status_widget = StatusLine()
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
        self._notice(f"Your answer was kept, but something went wrong afterwards ({failure}).")

    def _notice(self, text: str) -> None:
        """A problem that is not about saving (the status line shows it while saving itself is fine)."""
        self._extra_notice = text
        self._show_status(self._saving.status)


CourseSession = ModuleSession
"""The name notebooks and older code know the session by."""


def start(module: str, *, seed: int = 0, learner: str | None = None) -> ModuleSession:
    """Begin a module: what a notebook's hidden setup cell calls.

    Answers are saved to the learner's records (see ``stemtrain.records``); if they cannot be, every quiz on
    the page says why, and the module still works.
    """
    return ModuleSession(module, seed=seed, learner=learner)
