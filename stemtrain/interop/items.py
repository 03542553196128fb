"""The questions of some banks as exporters walk them: cases become their parts, titled and grouped by the case.

LMS formats have no "case" (a vignette with linked questions graded as their mean), so every exporter writes a
case's parts as separate items whose title and text carry the case, and says so with a ``Limitation``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from ..quiz.model import Case, Key, Numeric, Question
from .model import Limitation

__all__ = ["Item", "case_limitations", "identifier", "items", "sources_markdown"]


@dataclass(frozen=True)
class Item:
    """One exportable question: a top-level question, or one part of a case (with the case it belongs to)."""

    module: str
    bank_title: str
    question: Question
    key: Key
    case: Case | None = None
    part: int = 0
    parts: int = 0

    @property
    def title(self) -> str:
        """The item's name in an LMS: the stable question id, prefixed by the case for a case part."""
        if self.case is None:
            return self.question.id
        return f"{self.case.id} (case, part {self.part} of {self.parts}): {self.question.id}"

    @property
    def stem(self) -> str:
        """The question text in Markdown; a case part starts with the case's vignette and prompt."""
        if self.case is None:
            return self.question.prompt + _unit(self.question)
        case = f"**Case {self.part}/{self.parts}:** {self.case.vignette}\n\n{self.case.prompt}"
        return f"{case}\n\n{self.question.prompt}{_unit(self.question)}"

    def general(self, references: Mapping[str, Any]) -> str:
        """General feedback in Markdown: the explanation, then the sources it rests on."""
        sources = sources_markdown(self.question, references)
        return f"{self.key.explanation}\n\n{sources}" if sources else self.key.explanation

    @property
    def group(self) -> str:
        """The group (section) an item goes in: its case when it is a part, else its module."""
        return self.case.id if self.case is not None else self.module


def _unit(question: Question) -> str:
    """Formats without a unit field get the unit said in the question text."""
    unit = getattr(question, "unit", "")
    return f" *(Answer in {unit}.)*" if isinstance(question, Numeric) and unit else ""


def items(banks: Sequence[Any]) -> Iterator[Item]:
    """Every question of the banks in file order, a case replaced by its parts."""
    for bank in banks:
        for question in bank.questions:
            if isinstance(question, Case):
                for n, part in enumerate(question.questions, start=1):
                    yield Item(bank.module, bank.title, part, bank.key(part.id), question, n, len(question.questions))
            else:
                yield Item(bank.module, bank.title, question, bank.key(question.id))


def case_limitations(banks: Sequence[Any], fmt: str) -> list[Limitation]:
    """One limitation per case: what an LMS gets instead of a case."""
    out = []
    for bank in banks:
        for q in bank.questions:
            if isinstance(q, Case):
                ids = ", ".join(p.id for p in q.questions)
                out.append(
                    Limitation(
                        q.id,
                        fmt,
                        f"a case is exported as its {len(q.questions)} parts ({ids}), separate items titled and grouped by the case, "
                        "each with the vignette; the LMS grades each part on its own, not the case as their mean",
                    )
                )
    return out


def sources_markdown(question: Question, references: Mapping[str, Any]) -> str:
    """The question's sources as one Markdown line (cite label linked to the DOI or URL), for general feedback."""
    cites = []
    for ref_id in question.references:
        ref = references.get(ref_id)
        if ref is None:
            cites.append(ref_id)
        elif ref.link:
            cites.append(f"[{ref.cite}]({ref.link})")
        else:
            cites.append(ref.cite)
    return f"Sources: {'; '.join(cites)}." if cites else ""


_NCNAME_START = re.compile(r"[A-Za-z_]")


def identifier(text: str) -> str:
    """An XML identifier (NCName) from a question or option id: kebab-case ids already are, unless they start with a digit."""
    cleaned = re.sub(r"[^A-Za-z0-9_.-]", "_", text)
    return cleaned if _NCNAME_START.match(cleaned) else f"_{cleaned}"
