"""One directory an instructor can open, mail or project: ``report.html`` plus four CSV files.

The HTML is self-contained: figures are base64 PNGs, the style sheet is inline, there is no script, and a
Content-Security-Policy forbids loading anything, so it opens the same offline, from a USB stick or a mail.
Every text that came from a learner or a bank is HTML-escaped and isolated with ``<bdi>`` (right-to-left
names keep tables in order). CSVs are UTF-8 with a byte-order mark (so Excel shows accents and scripts), and
text cells that a spreadsheet would run as a formula (starting with = + - @) are prefixed with an apostrophe.
The page's pieces are in ``htmlparts`` and ``htmlsections``; the CSV columns and writer in ``csvfiles``.
"""

from __future__ import annotations

import hashlib
import hmac
import html
from collections.abc import Iterable, Mapping, Sequence
from operator import attrgetter
from pathlib import Path

from .csvfiles import CSV_COLUMNS, write_csv
from .htmlparts import CSS, escaped, figure_html
from .htmlsections import MAX_DISTRACTOR_FIGURES, class_section, items_section, options_section, test_section
from .items import analyse
from .matrix import AnswerRecord, Answers, ItemInfo, score_matrix
from .plots import plot_facility_discrimination, plot_module_difficulty, plot_score_histogram
from .summary import summarise

__all__ = ["CSV_COLUMNS", "MAX_DISTRACTOR_FIGURES", "pseudonyms", "write_report"]


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
        f"<h1>{escaped(title)}</h1>",
        f"<p>{len(answers)} answers by {len(summary.learners)} learners to {len(analysis.items)} items in "
        f"{len(summary.modules)} modules{latest}.</p>",
        "<p>Learner names are replaced by pseudonyms for showing in a room.</p>" if pseudonymise else "",
        "".join(f'<p class="warn">{html.escape(w)}</p>' for w in notes),
        "<h2>Class results</h2>",
        figure_html(plot_score_histogram(summary)),
        figure_html(plot_module_difficulty(summary)),
        class_section(summary, name),
        "<h2>Test statistics</h2>",
        test_section(analysis),
        "<h2>Items</h2>",
        figure_html(plot_facility_discrimination(analysis)),
        items_section(analysis, items),
        "<h2>Options picked</h2>",
        options_section(analysis),
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
        f"<style>{CSS}</style></head><body>{''.join(body)}</body></html>\n"
    )
    path = out / "report.html"
    path.write_text(page, encoding="utf-8")
    learner_rows = [{**row, "learner": name[row["learner"]]} for row in summary.learner_rows()]
    write_csv(out / "learners.csv", CSV_COLUMNS["learners.csv"], learner_rows)
    write_csv(out / "items.csv", CSV_COLUMNS["items.csv"], analysis.as_rows())
    write_csv(out / "distractors.csv", CSV_COLUMNS["distractors.csv"], analysis.distractor_rows())
    write_csv(out / "modules.csv", CSV_COLUMNS["modules.csv"], summary.module_rows())
    return path
