"""The class dashboard: the report's numbers, tables and plots, one notebook cell each.

Built once from any source of answers (a seeded synthetic class, a records database, the class service, or
answers files), with the same functions as ``stemtrain report``, so the notebook and the HTML page agree.
Names can be replaced by the report's stable pseudonyms for projecting in a room.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from functools import cached_property
from pathlib import Path
from typing import Any

from ..records import Attempt
from .display import FigureBlock, HtmlBlock

__all__ = ["ClassDashboard"]


class ClassDashboard:
    """One class's results and item analysis (first attempts, Moodle's definitions), shown piece by piece."""

    def __init__(self, attempts: Sequence[Attempt], *, pseudonymise: bool = False, pass_mark: float = 0.8, source: str = "") -> None:
        from ..analytics.bankitems import course_items

        self.attempts = list(attempts)
        self.items, self.modules = course_items()
        self.pseudonymise = pseudonymise
        self.pass_mark = pass_mark
        self.source = source

    # --- where the class comes from ------------------------------------------------------------------
    @classmethod
    def synthetic(cls, seed: int = 2026, learners: int = 24, **kw: Any) -> ClassDashboard:
        """A made-up class from ``seed`` (the same on every run): for rehearsing and for this notebook."""
        from ..analytics.synthetic import synthetic_class

        return cls(synthetic_class(seed, learners), source=f"a synthetic class (seed {seed}, {learners} learners)", **kw)

    @classmethod
    def from_environment(cls, *, seed: int = 2026, learners: int = 24, **kw: Any) -> ClassDashboard:
        """``STEMTRAIN_DASHBOARD_SOURCE`` if set (``service``, a database URL, or answers files separated by commas),
        else the synthetic class: the committed notebook shows the synthetic one, an instructor's run their own."""
        import os

        source = os.environ.get("STEMTRAIN_DASHBOARD_SOURCE", "").strip()
        if not source:
            return cls.synthetic(seed, learners, **kw)
        if source == "service":
            return cls.from_service(**kw)
        if "://" in source:
            return cls.from_db(source, **kw)
        return cls.from_files(*(p.strip() for p in source.split(",") if p.strip()), **kw)

    @classmethod
    def from_service(cls, url: str | None = None, token: str | None = None, **kw: Any) -> ClassDashboard:
        """The class kept by the class service at ``url`` (default ``STEMTRAIN_CLASS_URL``), with the instructor's token."""
        from .sources import load_class

        return cls(load_class(service=url or _env_url(), token=token), source="the class service", **kw)

    @classmethod
    def from_db(cls, url: str, **kw: Any) -> ClassDashboard:
        from .sources import load_class

        return cls(load_class(db=url), source=url, **kw)

    @classmethod
    def from_files(cls, *paths: str | Path, **kw: Any) -> ClassDashboard:
        """Answers files in the documented CSV columns (or JSON with the same fields)."""
        from .sources import load_class

        return cls(load_class(files=paths), source=", ".join(map(str, paths)), **kw)

    # --- what is computed once ------------------------------------------------------------------------
    @cached_property
    def _answers(self) -> Any:
        from ..analytics.matrix import Answers

        return Answers.from_records(self.attempts)

    @cached_property
    def analysis(self) -> Any:
        from ..analytics import analyse, score_matrix

        return analyse(score_matrix(self._answers, self.items, modules=self.modules), self.items)

    @cached_property
    def summary(self) -> Any:
        from ..analytics import summarise

        return summarise(self._answers, self.modules, self.items, self.pass_mark)

    @cached_property
    def names(self) -> dict[str, str]:
        from ..analytics import pseudonyms

        learners = self.summary.learners
        return pseudonyms(learners) if self.pseudonymise else {n: n for n in learners}

    # --- one cell each -------------------------------------------------------------------------------
    def overview(self) -> HtmlBlock:
        """How many answers, learners and items, and every warning about the sample."""
        a, s = self.analysis, self.summary
        counts = f"{len(self.attempts)} answers by {len(s.learners)} learners to {len(a.items)} items in {len(s.modules)} modules"
        line = f"{counts}, from {self.source}."
        notes = a.warnings + tuple(w for w in s.warnings if w not in a.warnings)
        shown = "".join(f'<p class="warn">⚠ {html.escape(w)}</p>' for w in notes)
        named = "<p>Names are replaced by pseudonyms for showing in a room.</p>" if self.pseudonymise else ""
        return HtmlBlock(f"<p>{html.escape(line)}</p>{named}{shown}", "\n".join([line, *notes]))

    def completion(self) -> HtmlBlock:
        """Completion and pass per module, then per learner and module."""
        from ..analytics.htmlsections import class_section

        s = self.summary
        return HtmlBlock(class_section(s, self.names), f"Completion and pass: {len(s.learners)} learners x {len(s.modules)} modules")

    def score_distribution(self) -> FigureBlock:
        from ..analytics import plot_score_histogram

        return FigureBlock.of(plot_score_histogram(self.summary))

    def module_difficulty(self) -> FigureBlock:
        from ..analytics import plot_module_difficulty

        return FigureBlock.of(plot_module_difficulty(self.summary))

    def test_statistics(self) -> HtmlBlock:
        """Mean, SD, Cronbach's alpha (KR-20 for right/wrong items), error ratio and standard error, per quiz."""
        from ..analytics.htmlsections import test_section

        t = self.analysis.test
        return HtmlBlock(test_section(self.analysis), f"Test statistics: {t.learners} learners, {t.complete} answered every item")

    def item_map(self) -> FigureBlock:
        from ..analytics import plot_facility_discrimination

        return FigureBlock.of(plot_facility_discrimination(self.analysis))

    def items_table(self) -> HtmlBlock:
        """Facility, SD, discrimination, efficiency and effective weight per item; case parts under their case."""
        from ..analytics.htmlsections import items_section

        return HtmlBlock(items_section(self.analysis, self.items), f"Item statistics for {len(self.analysis.items)} items")

    def flags(self) -> HtmlBlock:
        """The items worth a look, each with what to do about it in plain words (the small-sample flag is said once above)."""
        rows = []
        for s in self.analysis.items:
            worth = [f for f in s.flags if f.code != "few_learners"]
            if worth:
                notes = "".join(f"<li><strong>{html.escape(f.code.replace('_', ' '))}</strong>: {html.escape(f.note)}</li>" for f in worth)
                rows.append(f"<li><code>{html.escape(s.question_id)}</code> ({html.escape(s.module)})<ul>{notes}</ul></li>")
        text = f"{len(rows)} items flagged"
        return HtmlBlock(f"<p>{text} (besides the small-sample warning).</p><ul>{''.join(rows)}</ul>", text)

    def distractors(self) -> HtmlBlock:
        """How often every option of every choice item was picked on first attempts."""
        from ..analytics.htmlsections import options_section

        count = sum(1 for s in self.analysis.items if s.options)
        return HtmlBlock(options_section(self.analysis, figures=False), f"Options picked for {count} choice items (flagged ones open)")

    def distractor_chart(self, question_id: str) -> FigureBlock:
        """One choice item's options as a bar chart (the report draws one for each flagged item)."""
        from ..analytics import plot_distractors

        return FigureBlock.of(plot_distractors(self.analysis, question_id))

    def live_console(self, minutes: int = 60) -> Any:
        """The live console with the questions of the ``minutes`` session plan (idle without a class service)."""
        from .guide import session_console

        return session_console(minutes)

    def write_report(self, out_dir: str | Path) -> HtmlBlock:
        """The same as ``stemtrain report``: report.html and the CSV files in ``out_dir``."""
        from ..analytics import write_report

        page = write_report(self.attempts, self.items, self.modules, out_dir, pseudonymise=self.pseudonymise, pass_mark=self.pass_mark)
        text = f"Report written to {Path(out_dir) / page.name}, with learners.csv, items.csv, distractors.csv and modules.csv beside it."
        return HtmlBlock(f"<p>{html.escape(text)}</p>", text)


def _env_url() -> str:
    import os

    return os.environ.get("STEMTRAIN_CLASS_URL", "")
