"""One directory an instructor can open, mail or project: ``report.html`` plus four CSV files.

The HTML is self-contained: figures are base64 PNGs, the style sheet is inline, there is no script, and a
Content-Security-Policy forbids loading anything, so it opens the same offline, from a USB stick or a mail.
Every text that came from a learner or a bank is HTML-escaped and isolated with ``<bdi>`` (right-to-left
names keep tables in order). CSVs are UTF-8 with a byte-order mark (so Excel shows accents and scripts), and
text cells that a spreadsheet would run as a formula (starting with = + - @) are prefixed with an apostrophe.
"""

from __future__ import annotations

import base64
import csv
import hashlib
import hmac
import html
import warnings
from collections.abc import Iterable, Mapping, Sequence
from operator import attrgetter
from pathlib import Path
from typing import Any

from stemtrain.figures.base import TeachingFigure

from .items import ItemAnalysis, ItemStats, OverallStats, analyse
from .matrix import AnswerRecord, Answers, ItemInfo, score_matrix
from .plots import plot_distractors, plot_facility_discrimination, plot_module_difficulty, plot_score_histogram
from .summary import ClassSummary, summarise

__all__ = ["CSV_COLUMNS", "MAX_DISTRACTOR_FIGURES", "pseudonyms", "write_report"]

MAX_DISTRACTOR_FIGURES = 12
"""Flagged choice items that get a bar chart of their options; every item's options are in the tables and CSV."""
OPEN_CLASS_TABLE = 60
"""Up to this many learners the per-learner table starts open; a larger class gets it folded, to scroll past."""

CSV_COLUMNS: dict[str, dict[str, str]] = {
    "learners.csv": {
        "learner": "learner name, or pseudonym when the report was pseudonymised",
        "module": "module id",
        "items": "answerable items in the module",
        "answered": "items answered (any attempt)",
        "complete": "true when every item of the module is answered",
        "first_attempt_score": "share 0-1 of the points on the items answered, first attempts",
        "best_score": "share 0-1 of the points on the items answered, best attempt per item",
        "passed": "true when complete and best_score reaches the pass mark",
    },
    "items.csv": {
        "question_id": "item id (a case part has its own id)",
        "case_id": "the case a part belongs to, else empty",
        "module": "module id",
        "type": "question type",
        "prompt": "question text from the bank",
        "learners": "learners with a first attempt",
        "max_score": "points available",
        "facility": "facility index, 0-1",
        "sd": "standard deviation as a share of max_score",
        "discrimination": "discrimination index, -1..1 (correlation with the rest of the test)",
        "efficiency": "discriminative efficiency, share of the largest possible",
        "effective_weight": "share 0-1 of the total's spread",
        "flags": "flag codes, separated by ;",
        "notes": "what to do about each flag, separated by |",
    },
    "distractors.csv": {
        "question_id": "choice item id",
        "case_id": "its case, else empty",
        "module": "module id",
        "option_id": "option id",
        "option_text": "option text from the bank",
        "correct": "true for a correct option",
        "learners": "learners with a first attempt at the item",
        "count": "learners who picked the option",
        "share": "count / learners (multiple select: shares can add up to more than 1)",
        "note": "a distractor worth a look",
    },
    "modules.csv": {
        "module": "module id",
        "items": "answerable items",
        "learners_started": "learners with an answer in the module",
        "learners_complete": "learners who answered every item",
        "learners_passed": "learners who passed",
        "pass_rate": "learners_passed / learners_started",
        "first_attempt_facility": "share 0-1 of points won on first attempts",
        "mean_best_score": "mean of the learners' best_score",
    },
}

_CSS = """body{font-family:system-ui,'DejaVu Sans',Arial,sans-serif;margin:2rem auto;max-width:72rem;padding:0 1rem;
color:#1a1a1a;line-height:1.45}h1{font-size:1.7rem}h2{margin-top:2.2rem;border-bottom:2px solid #0072B2}
caption{text-align:left;padding:.3rem 0;font-size:.9rem}table{border-collapse:collapse;margin:.6rem 0 1.2rem;font-size:.93rem}
th,td{border:1px solid #bbb;padding:.3rem .5rem;
text-align:left;vertical-align:top}th{background:#e8e8e8}td.n{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
td.pass{background:#dff2e9}td.below{background:#fde7da}table.class td,table.class th{white-space:nowrap}div.wide{overflow-x:auto}
tr.module th{background:#cfe3f2}tr.case td{background:#f3f3f3;font-style:italic}tr.part td:first-child{padding-left:1.6rem}
.warn{background:#fff4d6;border-left:5px solid #E69F00;padding:.5rem 1rem}.flag{color:#8a3b00}
figure{margin:1rem 0}figure img{max-width:100%;height:auto}figcaption{font-size:.9rem;color:#333}
details{margin:.4rem 0}summary{cursor:pointer;font-weight:600}code{font-size:.9em}"""


def pseudonyms(names: Iterable[str], key: bytes | str = b"") -> dict[str, str]:
    """Stable pseudonyms ("Learner 07"): learners numbered in the order of a keyed SHA-256 of their name.

    The same class and key give the same numbers on every run; the order reveals nothing alphabetical. Without a
    private ``key``, someone holding the class list and this code could rebuild the mapping, so pass one when
    that matters. A learner joining can shift the numbers of others.
    """
    secret = key.encode("utf-8") if isinstance(key, str) else key
    distinct = sorted(set(names), key=lambda n: (hmac.new(secret, n.encode("utf-8"), hashlib.sha256).digest(), n))
    width = max(2, len(str(len(distinct))))
    return {name: f"Learner {i:0{width}d}" for i, name in enumerate(distinct, 1)}


def _e(text: object) -> str:
    """Escaped text from a learner or the bank, isolated so right-to-left text cannot reorder its neighbours."""
    return f"<bdi>{html.escape(str(text), quote=True)}</bdi>"


def _pct(v: float | None) -> str:
    return "–" if v is None else f"{round(100 * v) + 0:.0f} %"


def _num(v: float | None, digits: int = 2) -> str:
    return "–" if v is None else f"{round(v, digits) + 0.0:.{digits}f}"  # + 0.0: no "-0.00"


def _figure(tf: TeachingFigure) -> str:
    with warnings.catch_warnings():  # an id in an unusual script may miss a glyph; the HTML carries the text
        warnings.filterwarnings("ignore", message="Glyph .* missing from")
        png = base64.b64encode(tf.to_png()).decode("ascii")
    return (
        f'<figure><img src="data:image/png;base64,{png}" alt="{html.escape(tf.title, quote=True)}">'
        f"<figcaption>{html.escape(tf.description)}</figcaption></figure>"
    )


def _table(head: Sequence[str], rows: Iterable[str], caption: str = "", cls: str = "") -> str:
    cap = f"<caption>{caption}</caption>" if caption else ""
    ths = "".join(f'<th scope="col">{h}</th>' for h in head)
    attr = f' class="{cls}"' if cls else ""
    table = f"<table{attr}>{cap}<thead><tr>{ths}</tr></thead><tbody>{''.join(rows)}</tbody></table>"
    return f'<div class="wide">{table}</div>'  # a wide table scrolls sideways instead of spilling off the page


def _item_row(s: ItemStats, part: bool) -> str:
    flags = "<br>".join(f'<span class="flag">{html.escape(f.note)}</span>' for f in s.flags) or "–"
    cells = [
        f"<code>{_e(s.question_id)}</code> {_e(s.prompt)}",
        str(s.n),
        _pct(s.facility),
        _pct(s.sd),
        _num(s.discrimination),
        _pct(s.efficiency),
        _pct(s.effective_weight),
        flags,
    ]
    tds = "".join(f'<td class="n">{c}</td>' if 0 < i < 7 else f"<td>{c}</td>" for i, c in enumerate(cells))
    return f'<tr class="{"part" if part else "item"}">{tds}</tr>'


def _items_section(analysis: ItemAnalysis, items: Mapping[str, ItemInfo]) -> str:
    """Items by module, each case as a heading row with its parts listed under it."""
    rows, module, case = [], None, None
    for s in analysis.items:
        if s.module != module:
            module, case = s.module, None
            rows.append(f'<tr class="module"><th colspan="8" scope="rowgroup">Module {_e(module)}</th></tr>')
        if s.parent_id is not None and s.parent_id in analysis.cases and s.parent_id != case:
            case = s.parent_id
            prompt = items[case].prompt if case in items else ""
            rows.append(f'<tr class="case"><td colspan="8">Case <code>{_e(case)}</code>: {_e(prompt)}</td></tr>')
        rows.append(_item_row(s, part=s.parent_id in analysis.cases))
    head = ["Item", "Learners", "Facility", "SD", "Discrimination", "Efficiency", "Effective weight", "What to do"]
    return _table(head, rows, "First attempts. Facility, SD, efficiency and weight in %; discrimination from -1 to 1.")


def _options_section(analysis: ItemAnalysis) -> str:
    """Every choice item's option counts; flagged items open, with a bar chart (up to MAX_DISTRACTOR_FIGURES)."""
    flagged = {s.question_id for s in analysis.flagged()}
    charted = {s.question_id for s in analysis.items if s.options and s.question_id in flagged}
    charted = set([q for q in (s.question_id for s in analysis.items) if q in charted][:MAX_DISTRACTOR_FIGURES])
    out = []
    for s in (s for s in analysis.items if s.options):
        rows = [
            f"<tr><td><code>{_e(o.option_id)}</code></td><td>{_e(o.text)}</td><td>{'correct' if o.correct else ''}</td>"
            f'<td class="n">{o.count}</td><td class="n">{_pct(o.share)}</td><td>{html.escape(o.note)}</td></tr>'
            for o in s.options
        ]
        other = f" {s.unmatched} picks matched no option." if s.unmatched else ""
        figure = _figure(plot_distractors(analysis, s.question_id)) if s.question_id in charted else ""
        table = _table(["Option", "Text", "Key", "Learners", "Share", "Note"], rows)
        mark = " · flagged" if s.question_id in flagged else ""
        out.append(
            f"<details{' open' if figure else ''}><summary><code>{_e(s.question_id)}</code> {_e(s.prompt)} "
            f"({s.n} learners{mark}){other}</summary>{figure}{table}</details>"
        )
    return "".join(out) or "<p>No choice items.</p>"


def _test_section(analysis: ItemAnalysis) -> str:
    """Whole-course and per-module-quiz statistics side by side, with Moodle's reading of alpha."""
    columns = {"Whole course": analysis.test, **{f"Quiz {m}": t for m, t in analysis.modules.items()}}

    def share(t: OverallStats, v: float | None) -> float | None:
        return None if v is None or not t.max_score else v / t.max_score

    def alpha(t: OverallStats) -> str:
        if t.alpha is None:
            return "–"
        word = "satisfactory" if t.alpha >= 0.75 else "needs work" if t.alpha < 0.64 else "borderline"
        return f"{_pct(t.alpha)} ({word})"

    cells = {
        "Learners": lambda t: str(t.learners),
        "Answered all": lambda t: str(t.complete),
        "Items": lambda t: str(t.items),
        "Mean": lambda t: _pct(share(t, t.mean)),
        "Median": lambda t: _pct(share(t, t.median)),
        "SD": lambda t: _pct(share(t, t.sd)),
        "Skewness": lambda t: _num(t.skewness),
        "Kurtosis": lambda t: _num(t.kurtosis),
        "Cronbach's alpha": alpha,
        "Error ratio": lambda t: _pct(t.error_ratio),
        "Standard error": lambda t: _pct(share(t, t.standard_error)),
    }
    body = []
    for label, t in columns.items():
        tds = "".join(f'<td class="n">{cell(t)}</td>' for cell in cells.values())
        body.append(f'<tr><th scope="row">{_e(label)}</th>{tds}</tr>')
    caption = (
        "Scores as % of the maximum; alpha, error ratio and standard error over the learners who answered every "
        "item. Moodle reads alpha above 75 % as satisfactory and below 64 % as a test that needs work; alpha "
        "grows with the number of items, so a short module quiz scores lower than the whole course."
    )
    return _table(["Test", *cells], body, caption)


def _class_section(summary: ClassSummary, name: Mapping[str, str]) -> str:
    rows = []
    for learner in sorted(summary.learners, key=lambda n: name[n]):
        tds = []
        for module in summary.modules:
            r = summary.result(learner, module)
            if r.complete:
                tds.append(f'<td class="{"pass" if r.passed else "below"}">{"passed" if r.passed else "below"} · {_pct(r.best_score)}</td>')
            else:
                tds.append(f"<td>{f'{r.answered}/{r.items} answered' if r.answered else '–'}</td>")
        rows.append(f'<tr><th scope="row">{_e(name[learner])}</th>{"".join(tds)}<td class="n">{summary.modules_passed(learner)}</td></tr>')
    head = ["Learner", *(_e(m) for m in summary.modules), "Modules passed"]
    mod_rows = [
        f'<tr><th scope="row">{_e(d.module)}</th><td class="n">{d.items}</td><td class="n">{d.learners_started}</td>'
        f'<td class="n">{d.learners_complete}</td><td class="n">{d.learners_passed}</td><td class="n">{_pct(d.pass_rate)}</td>'
        f'<td class="n">{_pct(d.facility)}</td></tr>'
        for d in summary.difficulty
    ]
    modules = _table(["Module", "Items", "Started", "Complete", "Passed", "Pass rate", "First-attempt facility"], mod_rows)
    learners = _table(
        head,
        rows,
        f"“passed” or “below” the pass mark of {_pct(summary.pass_mark)} (best attempts, "
        "every item answered), with the best score; otherwise how many items are answered.",
        cls="class",
    )
    opened = " open" if len(summary.learners) <= OPEN_CLASS_TABLE else ""
    return modules + f"<details{opened}><summary>Every learner ({len(summary.learners)})</summary>{learners}</details>"


def _csv_value(v: Any) -> Any:
    if v is None:
        return ""
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, float):
        return round(v, 6)
    if isinstance(v, str) and v[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + v  # a spreadsheet would run it as a formula
    return v


def _write_csv(path: Path, columns: Mapping[str, str], rows: Iterable[Mapping[str, Any]]) -> None:
    with path.open("w", encoding="utf-8-sig", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(columns))
        writer.writeheader()
        writer.writerows({k: _csv_value(row[k]) for k in columns} for row in rows)


def write_report(
    records: Iterable[AnswerRecord],
    items: Mapping[str, ItemInfo],
    modules: Sequence[str],
    out_dir: str | Path,
    *,
    pseudonymise: bool = False,
    pass_mark: float = 0.8,
    title: str = "Class results and item analysis",
    pseudonym_key: bytes | str = b"",
) -> Path:
    """Write ``report.html`` and the CSVs of ``CSV_COLUMNS`` into ``out_dir``; return the HTML's path."""
    answers = Answers.from_records(records)
    analysis = analyse(score_matrix(answers, items, modules=modules), items)
    summary = summarise(answers, modules, items, pass_mark)
    name = pseudonyms(summary.learners, pseudonym_key) if pseudonymise else {n: n for n in summary.learners}
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)

    notes = analysis.warnings + tuple(w for w in summary.warnings if w not in analysis.warnings)
    try:
        latest = f"; answers up to {max(map(attrgetter('answered_at'), answers.records)):%Y-%m-%d %H:%M}" if len(answers) else ""
    except TypeError:  # naive and aware datetimes mixed: leave the date out rather than guess
        latest = ""
    csv_list = "".join(
        f'<li><a href="{f}">{f}</a>: ' + "; ".join(f"<code>{c}</code> {html.escape(d)}" for c, d in cols.items()) + "</li>"
        for f, cols in CSV_COLUMNS.items()
    )
    body = [
        f"<h1>{_e(title)}</h1>",
        f"<p>{len(answers)} answers by {len(summary.learners)} learners to {len(analysis.items)} items in "
        f"{len(summary.modules)} modules{latest}.</p>",
        "<p>Learner names are replaced by pseudonyms for showing in a room.</p>" if pseudonymise else "",
        "".join(f'<p class="warn">{html.escape(w)}</p>' for w in notes),
        "<h2>Class results</h2>",
        _figure(plot_score_histogram(summary)),
        _figure(plot_module_difficulty(summary)),
        _class_section(summary, name),
        "<h2>Test statistics</h2>",
        _test_section(analysis),
        "<h2>Items</h2>",
        _figure(plot_facility_discrimination(analysis)),
        _items_section(analysis, items),
        "<h2>Options picked</h2>",
        _options_section(analysis),
        "<h2>How the numbers are worked out</h2>",
        "<p>Moodle's quiz statistics definitions (docs.moodle.org/dev/Quiz_statistics_calculations), on first attempts. "
        "An unanswered item is left out for that learner, never counted as wrong; the rest score is the learner's share "
        "of points on the other items they answered. Alpha, error ratio and standard error use the learners who answered "
        f"every item. Flags: facility at most 5 % or at least 95 %, discrimination below 0 or below 0.30, efficiency below "
        f"15 %; fewer than {analysis.min_learners} learners makes every number uncertain.</p>",
        f"<h2>CSV files</h2><p>UTF-8 with a byte-order mark, next to this page.</p><ul>{csv_list}</ul>",
    ]
    page = (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; img-src data:; style-src 'unsafe-inline'\">"
        f'<meta name="viewport" content="width=device-width, initial-scale=1"><title>{html.escape(title)}</title>'
        f"<style>{_CSS}</style></head><body>{''.join(body)}</body></html>\n"
    )
    path = out / "report.html"
    path.write_text(page, encoding="utf-8")
    learner_rows = [{**row, "learner": name[row["learner"]]} for row in summary.learner_rows()]
    _write_csv(out / "learners.csv", CSV_COLUMNS["learners.csv"], learner_rows)
    _write_csv(out / "items.csv", CSV_COLUMNS["items.csv"], analysis.as_rows())
    _write_csv(out / "distractors.csv", CSV_COLUMNS["distractors.csv"], analysis.distractor_rows())
    _write_csv(out / "modules.csv", CSV_COLUMNS["modules.csv"], summary.module_rows())
    return path
