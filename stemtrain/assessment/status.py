"""Small facts about a learner's assessment for other pages: the course map's row, the modules a certificate lists,
the content version it names, and a name that can be printed. Pure, apart from reading the learner's records.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from ..records.assessment import AssessmentRecord

__all__ = ["NAME_LIMIT", "AssessmentStatus", "assessment_status", "completed_modules", "content_label", "printable_name", "status_of"]

# Invisible characters that reorder or hide text (bidi embeddings, overrides, isolates) and line separators: a
# certificate never prints them (its claims refuse them), so a name is shown without them.
_INVISIBLE = dict.fromkeys(map(ord, "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u2028\u2029"))


@dataclass(frozen=True)
class AssessmentStatus:
    """The course map's row for the assessment: items answered of the latest attempt, and its outcome in words."""

    answered: int
    total: int
    points: float
    text: str
    done: bool


def status_of(records: Iterable[AssessmentRecord], now: dt.datetime | None = None) -> AssessmentStatus:
    """The row from the learner's attempts (oldest first): the attempt under way, else the best one submitted.

    An attempt whose deadline has passed (by ``now``, default this computer's clock) is not under way, though nobody has
    opened it since: its result is made when the assessment page next opens, so the row says that."""
    listed = list(records)
    if not listed:
        return AssessmentStatus(0, 0, 0.0, "not started", False)
    current = next((r for r in listed if not r.submitted), None)
    if current is not None:
        moment = now or dt.datetime.now(dt.timezone.utc)
        if current.deadline is not None and moment >= current.deadline:
            text = f"attempt {current.number}: time is up, open the assessment for the result"
            return AssessmentStatus(current.answered(), len(current.form), 0.0, text, False)
        return AssessmentStatus(current.answered(), len(current.form), 0.0, f"attempt {current.number} under way", False)
    best = max(listed, key=lambda r: (bool(r.passed), r.total or 0.0, r.number))
    total = best.total or 0.0
    percent = int(total * 1000 + 0.5 + 1e-9)
    verdict = "passed" if best.passed else "not passed yet"
    return AssessmentStatus(
        best.answered(), len(best.form), total * len(best.form), f"{percent // 10}.{percent % 10} %, {verdict}", bool(best.passed)
    )


def assessment_status(store: Any, learner: str) -> AssessmentStatus:
    """The row for ``learner`` from their store: the class service's list of their attempts, or their progress file."""
    from ..records.errors import StoreError

    try:
        if hasattr(store, "call"):  # a class: the service keeps the attempts
            status, data = store.call("GET", "api/assessment/attempts")
            if status != 200 or not isinstance(data, list):
                return AssessmentStatus(0, 0, 0.0, "—", False)
            return status_of(_from_json(d) for d in data)
        if hasattr(store, "_connection"):
            from ..records.assessment import SQLiteAttempts

            return status_of(SQLiteAttempts(store).assessment_attempts(learner))
    except StoreError:
        return AssessmentStatus(0, 0, 0.0, "—", False)
    return AssessmentStatus(0, 0, 0.0, "not started", False)


def _from_json(data: dict[str, Any]) -> AssessmentRecord:
    def when(text: Any) -> dt.datetime | None:
        return dt.datetime.fromisoformat(str(text).replace("Z", "+00:00")) if text else None

    started = when(data["started_at"])
    assert started is not None
    return AssessmentRecord(
        id=int(data["id"]),
        learner=str(data["learner"]),
        blueprint_id=str(data["blueprint_id"]),
        number=int(data["number"]),
        seed="",
        form=tuple(data["form"]),
        started_at=started,
        deadline=when(data.get("deadline")),
        mode=str(data["mode"]),
        responses=dict(data.get("responses") or {}),
        submitted_at=when(data.get("submitted_at")),
        total=data.get("total"),
        passed=data.get("passed"),
    )


def completed_modules(content: Any, answers: Iterable[Any]) -> list[str]:
    """``NN · Title`` of every module whose questions (case parts one by one) all have an answer in ``answers``."""
    if content is None:
        from ..content.coursecache import cached_course

        content = cached_course()
    answered: dict[str, set[str]] = {}
    for a in answers:
        answered.setdefault(a.module, set()).add(a.question_id)
    out = []
    for module in sorted(content.banks):
        bank = content.banks[module]
        leaves = [part.id for q in bank.questions for part in (q.linked() or (q,))]
        if leaves and set(leaves) <= answered.get(module, set()):
            out.append(f"{module[:2]} · {bank.title}")
    return out


def content_label(content: Any = None) -> str:
    """The version of the course a certificate names: the package's, and a hash of the course's data files."""
    from importlib.metadata import PackageNotFoundError
    from importlib.metadata import version as installed

    from ..content.loader import content_version

    try:
        package = installed("stemtrain")
    except PackageNotFoundError:  # run from a folder that was never installed
        package = "(not installed)"

    version = getattr(content, "version", "") or content_version()
    return f"stemtrain {package}, content {version[:12]}"


NAME_LIMIT = 300
"""The longest name a certificate's claims take (``certificate.claims``); a longer one (a sign-in name may have 500) is cut."""


def _printable(text: str) -> str:
    cleaned = " ".join(unicodedata.normalize("NFC", text).translate(_INVISIBLE).split())
    cleaned = "".join(c for c in cleaned if unicodedata.category(c) not in ("Cc", "Cs", "Co"))
    return cleaned[:NAME_LIMIT].rstrip()


def printable_name(name: str, fallback: str) -> str:
    """The learner's name as a certificate prints it: without invisible reordering characters, at most 300 characters
    (the claims' limit, counted after NFC as the claims count), never empty."""
    return _printable(name) or _printable(fallback) or "Learner"
