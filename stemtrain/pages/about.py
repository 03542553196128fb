"""The review note at the top of a module: when its content was checked, and how recent its evidence is."""

from __future__ import annotations

import datetime as dt
from typing import Any

from ..markup import escape
from .rich import Rich

__all__ = ["about"]


def _day(day: dt.date) -> str:
    return f"{day.day} {day:%B %Y}"


def about(course: Any, module: str, *, learner: str = "") -> Rich:
    """When the module's content was last reviewed and how recent the evidence it considers is."""
    bank = course.banks[module]
    text = f"Content last reviewed: {_day(bank.reviewed)}."
    if bank.evidence_cutoff:
        text += f" Evidence considered up to: {_day(bank.evidence_cutoff)}."
    text += " Research on MSC therapy moves fast: check for newer trial results and regulator statements before relying on this."
    if learner:
        text = f"Learner: {learner}. " + text
    return Rich(f'<p class="stemtrain-review"><em>{escape(text)}</em></p>', text)
