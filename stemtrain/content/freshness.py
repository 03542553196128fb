"""Content freshness: MSC research and regulation move fast, so every bank is due for review a year after its last one.

``stemtrain validate`` prints a warning for a bank that is due (it does not fail: stale content is a job for
the authors, not a broken build), and the notebooks show each module's review date.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

__all__ = ["REVIEW_EVERY", "BankDate", "bank_dates", "reviews_due"]

REVIEW_EVERY = dt.timedelta(days=365)


@dataclass(frozen=True)
class BankDate:
    """A bank's file and review date, read without building its questions (for the command line)."""

    path: str
    reviewed: dt.date


def bank_dates() -> list[BankDate]:
    """Every course bank's review date, from the files (already parsed and cached by validation)."""
    from .loader import shown_as
    from .paths import bank_paths
    from .yamlsource import read_yaml

    out = []
    for path in bank_paths():
        data = read_yaml(path, shown_as(path)).data
        out.append(BankDate(shown_as(path), dt.date.fromisoformat(data["reviewed"])))
    return out


def reviews_due(banks: Iterable[Any], today: dt.date) -> list[str]:
    """One line per bank whose last review is more than ``REVIEW_EVERY`` before ``today`` (or in the future)."""
    due = []
    for bank in banks:
        age = today - bank.reviewed
        if age > REVIEW_EVERY:
            due.append(f"{bank.path}: review due: last reviewed {bank.reviewed.isoformat()}, {age.days} days ago")
        elif age.days < 0:
            due.append(f"{bank.path}: reviewed {bank.reviewed.isoformat()} is after today ({today.isoformat()})")
    return due
