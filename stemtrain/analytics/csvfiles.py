"""The report's CSV files: their columns, documented for the instructor, and how a cell is written.

UTF-8 with a byte-order mark (so Excel shows accents and scripts); a text cell that a spreadsheet would run as a
formula (starting with = + - @) is prefixed with an apostrophe.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

__all__ = ["CSV_COLUMNS", "csv_value", "write_csv"]

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


def csv_value(v: Any) -> Any:
    """One cell as a spreadsheet should read it: empty for None, true/false, rounded floats, no formulas."""
    if v is None:
        return ""
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, float):
        return round(v, 6)
    if isinstance(v, str) and v[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + v  # a spreadsheet would run it as a formula
    return v


def write_csv(path: Path, columns: Mapping[str, str], rows: Iterable[Mapping[str, Any]]) -> None:
    """Write ``rows`` with the documented ``columns``, in UTF-8 with a byte-order mark so Excel reads it right."""
    with path.open("w", encoding="utf-8-sig", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(columns))
        writer.writeheader()
        writer.writerows({k: csv_value(row[k]) for k in columns} for row in rows)
