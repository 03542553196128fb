"""The final assessment's notebook session (``st.start("07-final-assessment")``), and ``start`` for every page.

The assessment has no bank: its items come from the pool, through an examiner. In a class (the learner's
records go to a class service) the service holds the pool and its keys and marks the form; otherwise the
assessment runs on the learner's computer, from a pool folder, and every result says "Self-study, not
proctored". The page has the same bars as a module page: who is signed in, and the links around it.
"""

from __future__ import annotations

from typing import Any

from .assessment import ASSESSMENT_MODULE
from .identity import Identity, resolve_identity
from .records import RecordStore, StoreError, open_store
from .session import ModuleSession
from .session import start as start_module

__all__ = ["AssessmentSession", "start"]


class AssessmentSession:
    """The learner's session on the final assessment's page."""

    module = ASSESSMENT_MODULE

    def __init__(self, *, learner: str | None = None, content: Any = None, store: RecordStore | str | None = "") -> None:
        from .content.coursecache import cached_course

        self.content = content if content is not None else cached_course()
        self._store_spec = store
        self._store: RecordStore | None = None
        self._opened = False
        self._identity = Identity(learner, learner, "given", False) if learner else None
        self._problem = ""
        self._status: Any = None

    def __repr__(self) -> str:
        return f"<AssessmentSession {self.module}>"

    # --- who and where ------------------------------------------------------------------------------
    @property
    def store(self) -> RecordStore | None:
        """The learner's records (a class service, or their own file), or None when they cannot be opened."""
        if not self._opened:
            self._opened = True
            spec = self._store_spec
            try:
                self._store = spec if not isinstance(spec, str) else open_store(spec or None)
            except StoreError as exc:
                self._problem = f"Your records cannot be opened, so your attempt is kept on this page only: {exc}"
        return self._store

    @property
    def identity(self) -> Identity:
        if self._identity is None:
            signed_in = getattr(self.store, "signed_in", None)

            def profile() -> tuple[str, str] | None:
                try:
                    return signed_in() if signed_in is not None else None
                except StoreError:
                    return None

            self._identity = resolve_identity(store=self.store, profile=profile)
        return self._identity

    @property
    def learner(self) -> str:
        return self.identity.learner

    def examiner(self) -> Any:
        """Who sets and marks the form: the class service (in a class), or this computer (self-study)."""
        from .assessment.client import ServiceExaminer
        from .assessment.local import LocalExaminer

        store = self.store
        if store is not None and hasattr(store, "call"):
            return ServiceExaminer(store)
        return LocalExaminer(self.learner, display_name=self.identity.display_name, store=store, content=self.content)

    # --- what the notebook shows --------------------------------------------------------------------
    def _links(self) -> list[dict[str, str]]:
        from .pages.progress import course_modules

        modules = course_modules(self.content)
        out = []
        if modules:
            last = modules[-1]
            out.append(
                {"kind": "prev", "label": f"← Previous: {last[:2]} · {self.content.banks[last].title}", "file": f"{last}.ipynb", "hash": ""}
            )
            out.append({"kind": "start", "label": "Course map", "file": f"{modules[0]}.ipynb", "hash": ""})
        return out

    def _bar(self, *, top: bool) -> Any:
        from .widgets import PageBar

        links = self._links()
        who = self.identity
        bar = PageBar(
            text=" | ".join(link["label"] for link in links),
            links=links,
            label="Course navigation" if top else "Course navigation, end of page",
            who=f"Signed in as {who.display_name} ({who.how})" if top else "",
        )
        return bar

    def header(self) -> Any:
        """The bar at the top (who is signed in, previous, course map) and the page's status line."""
        from .frontend.controls import StatusLine
        from .quiz.render import status_html
        from .widgets import PageTop

        bar = self._bar(top=True)
        self._status = StatusLine()
        self._status.value = status_html(self._problem)
        return PageTop(bar, self._status)

    def assessment(self) -> Any:
        """The assessment itself: its rules, the form once started, the result once handed in."""
        from .assessmentview import AssessmentView
        from .content.notebooktext import objectives
        from .content.paths import notebook_path

        titles = {m: f"{m[:2]} · {bank.title}" for m, bank in self.content.banks.items()}
        cache: dict[str, dict[int, str]] = {}

        def objective_text(module: str, number: int) -> str:
            if module not in cache:
                path = notebook_path(module)
                cache[module] = objectives(path) if path.exists() else {}
            return cache[module].get(number, "")

        return AssessmentView(self.examiner(), module_titles=titles, objective_text=objective_text)

    def references(self) -> Any:
        """The sources the page's text cites."""
        from . import pages

        return pages.references(self.content, self.module)

    def navigation(self) -> Any:
        """The bar at the foot of the page."""
        return self._bar(top=False)


def start(module: str, *, seed: int = 0, learner: str | None = None) -> ModuleSession | AssessmentSession:
    """Begin a page: what a notebook's hidden setup cell calls (``st.start("03-msc-sources")``).

    Answers are saved to the learner's records (see ``stemtrain.records``); if they cannot be, the page says
    why, and it still works. The final assessment (``07-final-assessment``) is its own kind of page.
    """
    if module == ASSESSMENT_MODULE:
        return AssessmentSession(learner=learner)
    return start_module(module, seed=seed, learner=learner)
