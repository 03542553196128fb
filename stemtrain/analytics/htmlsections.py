"""The sections of the class report's HTML: items by module and case, options picked, test statistics, the class."""

from __future__ import annotations

import html
from collections.abc import Mapping

from .htmlparts import decimal, escaped, figure_html, percent, table_html
from .itemresults import ItemAnalysis, ItemStats, OverallStats
from .matrix import ItemInfo
from .plots import plot_distractors
from .summary import ClassSummary

__all__ = ["MAX_DISTRACTOR_FIGURES", "OPEN_CLASS_TABLE", "class_section", "items_section", "options_section", "test_section"]

MAX_DISTRACTOR_FIGURES = 12
"""Flagged choice items that get a bar chart of their options; every item's options are in the tables and CSV."""
OPEN_CLASS_TABLE = 60
"""Up to this many learners the per-learner table starts open; a larger class gets it folded, to scroll past."""


def _item_row(s: ItemStats, part: bool) -> str:
    """One item's statistics and what to do about its flags, as a table row."""
    flags = "<br>".join(f'<span class="flag">{html.escape(f.note)}</span>' for f in s.flags) or "–"
    cells = [
        f"<code>{escaped(s.question_id)}</code> {escaped(s.prompt)}",
        str(s.n),
        percent(s.facility),
        percent(s.sd),
        decimal(s.discrimination),
        percent(s.efficiency),
        percent(s.effective_weight),
        flags,
    ]
    tds = "".join(f'<td class="n">{c}</td>' if 0 < i < 7 else f"<td>{c}</td>" for i, c in enumerate(cells))
    return f'<tr class="{"part" if part else "item"}">{tds}</tr>'


def items_section(analysis: ItemAnalysis, items: Mapping[str, ItemInfo]) -> str:
    """Items by module, each case as a heading row with its parts listed under it."""
    rows, module, case = [], None, None
    for s in analysis.items:
        if s.module != module:
            module, case = s.module, None
            rows.append(f'<tr class="module"><th colspan="8" scope="rowgroup">Module {escaped(module)}</th></tr>')
        if s.parent_id is not None and s.parent_id in analysis.cases and s.parent_id != case:
            case = s.parent_id
            prompt = items[case].prompt if case in items else ""
            rows.append(f'<tr class="case"><td colspan="8">Case <code>{escaped(case)}</code>: {escaped(prompt)}</td></tr>')
        rows.append(_item_row(s, part=s.parent_id in analysis.cases))
    head = ["Item", "Learners", "Facility", "SD", "Discrimination", "Efficiency", "Effective weight", "What to do"]
    return table_html(head, rows, "First attempts. Facility, SD, efficiency and weight in %; discrimination from -1 to 1.")


def options_section(analysis: ItemAnalysis, *, figures: bool = True) -> str:
    """Every choice item's option counts; flagged items open, with a bar chart (up to MAX_DISTRACTOR_FIGURES; none
    without ``figures``, for a notebook whose committed HTML must not carry PNG bytes)."""
    flagged = {s.question_id for s in analysis.flagged()}
    charted = {s.question_id for s in analysis.items if s.options and s.question_id in flagged and figures}
    charted = set([q for q in (s.question_id for s in analysis.items) if q in charted][:MAX_DISTRACTOR_FIGURES])
    out = []
    for s in (s for s in analysis.items if s.options):
        rows = [
            f"<tr><td><code>{escaped(o.option_id)}</code></td><td>{escaped(o.text)}</td><td>{'correct' if o.correct else ''}</td>"
            f'<td class="n">{o.count}</td><td class="n">{percent(o.share)}</td><td>{html.escape(o.note)}</td></tr>'
            for o in s.options
        ]
        other = f" {s.unmatched} picks matched no option." if s.unmatched else ""
        figure = figure_html(plot_distractors(analysis, s.question_id)) if s.question_id in charted else ""
        table = table_html(["Option", "Text", "Key", "Learners", "Share", "Note"], rows)
        mark = " · flagged" if s.question_id in flagged else ""
        opened = " open" if figure or (not figures and s.question_id in flagged) else ""
        out.append(
            f"<details{opened}><summary><code>{escaped(s.question_id)}</code> {escaped(s.prompt)} "
            f"({s.n} learners{mark}){other}</summary>{figure}{table}</details>"
        )
    return "".join(out) or "<p>No choice items.</p>"


def test_section(analysis: ItemAnalysis) -> str:
    """Whole-course and per-module-quiz statistics side by side, with Moodle's reading of alpha."""
    columns = {"Whole course": analysis.test, **{f"Quiz {m}": t for m, t in analysis.modules.items()}}

    def share(t: OverallStats, v: float | None) -> float | None:
        return None if v is None or not t.max_score else v / t.max_score

    def alpha(t: OverallStats) -> str:
        if t.alpha is None:
            return "–"
        word = "satisfactory" if t.alpha >= 0.75 else "needs work" if t.alpha < 0.64 else "borderline"
        return f"{percent(t.alpha)} ({word})"

    cells = {
        "Learners": lambda t: str(t.learners),
        "Answered all": lambda t: str(t.complete),
        "Items": lambda t: str(t.items),
        "Mean": lambda t: percent(share(t, t.mean)),
        "Median": lambda t: percent(share(t, t.median)),
        "SD": lambda t: percent(share(t, t.sd)),
        "Skewness": lambda t: decimal(t.skewness),
        "Kurtosis": lambda t: decimal(t.kurtosis),
        "Cronbach's alpha": alpha,
        "Error ratio": lambda t: percent(t.error_ratio),
        "Standard error": lambda t: percent(share(t, t.standard_error)),
    }
    body = []
    for label, t in columns.items():
        tds = "".join(f'<td class="n">{cell(t)}</td>' for cell in cells.values())
        body.append(f'<tr><th scope="row">{escaped(label)}</th>{tds}</tr>')
    caption = (
        "Scores as % of the maximum; alpha, error ratio and standard error over the learners who answered every "
        "item. Moodle reads alpha above 75 % as satisfactory and below 64 % as a test that needs work; alpha "
        "grows with the number of items, so a short module quiz scores lower than the whole course."
    )
    return table_html(["Test", *cells], body, caption)


def class_section(summary: ClassSummary, name: Mapping[str, str]) -> str:
    """Each module's pass rate and difficulty, then each learner's result per module (folded for a large class)."""
    rows = []
    for learner in sorted(summary.learners, key=lambda n: name[n]):
        tds = []
        for module in summary.modules:
            r = summary.result(learner, module)
            if r.complete:
                tds.append(
                    f'<td class="{"pass" if r.passed else "below"}">{"passed" if r.passed else "below"} · {percent(r.best_score)}</td>'
                )
            else:
                tds.append(f"<td>{f'{r.answered}/{r.items} answered' if r.answered else '–'}</td>")
        rows.append(
            f'<tr><th scope="row">{escaped(name[learner])}</th>{"".join(tds)}<td class="n">{summary.modules_passed(learner)}</td></tr>'
        )
    head = ["Learner", *(escaped(m) for m in summary.modules), "Modules passed"]
    mod_rows = [
        f'<tr><th scope="row">{escaped(d.module)}</th><td class="n">{d.items}</td><td class="n">{d.learners_started}</td>'
        f'<td class="n">{d.learners_complete}</td><td class="n">{d.learners_passed}</td><td class="n">{percent(d.pass_rate)}</td>'
        f'<td class="n">{percent(d.facility)}</td></tr>'
        for d in summary.difficulty
    ]
    modules = table_html(["Module", "Items", "Started", "Complete", "Passed", "Pass rate", "First-attempt facility"], mod_rows)
    learners = table_html(
        head,
        rows,
        f"“passed” or “below” the pass mark of {percent(summary.pass_mark)} (best attempts, "
        "every item answered), with the best score; otherwise how many items are answered.",
        cls="class",
    )
    opened = " open" if len(summary.learners) <= OPEN_CLASS_TABLE else ""
    return modules + f"<details{opened}><summary>Every learner ({len(summary.learners)})</summary>{learners}</details>"
