"""The course's data as immutable objects: one bank per module, the bibliography, the glossary.

The same objects are served to every session in a process, so nothing in them can be changed: mappings
are read-only, and a bank's keys can be stripped (``public()``) before it goes anywhere a learner reads.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field, fields, is_dataclass, replace
from typing import Any, Generic, TypeVar

from ..quiz.grading import Checker, local_checker
from ..quiz.model import Key, Question
from .references import Reference, Term

__all__ = ["Bank", "CourseContent", "FrozenMap"]

K = TypeVar("K")
V = TypeVar("V")


class FrozenMap(Mapping[K, V], Generic[K, V]):
    """A read-only mapping that pickles (``MappingProxyType`` does not), for data shared by every session."""

    __slots__ = ("_data",)

    def __init__(self, items: Mapping[K, V] | Iterable[tuple[K, V]] = ()) -> None:
        self._data: dict[K, V] = dict(items)

    def __getitem__(self, key: K) -> V:
        return self._data[key]

    def __iter__(self) -> Iterator[K]:
        return iter(self._data)

    def __len__(self) -> int:
        return len(self._data)

    def __repr__(self) -> str:
        return f"FrozenMap({self._data!r})"

    def __reduce__(self) -> tuple[Any, ...]:
        return (FrozenMap, (list(self._data.items()),))


def _texts(value: Any) -> Iterator[str]:
    """The strings inside a question or key (fields, options, feedback pairs, parts), depth first."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, (tuple, list, frozenset)):
        for v in value:
            yield from _texts(v)
    elif is_dataclass(value):
        for f in fields(value):
            if f.name not in ("id", "question_id", "type", "references", "tags", "section", "difficulty", "figure"):
                yield from _texts(getattr(value, f.name))


@dataclass(frozen=True)
class Bank:
    """One module's questions (public parts, in file order), their keys, and the module's review dates."""

    module: str
    title: str
    reviewed: dt.date
    evidence_cutoff: dt.date | None
    questions: tuple[Question, ...]
    keys: FrozenMap[str, Key] = field(default_factory=FrozenMap, compare=False, repr=False)
    path: str = ""
    content_hash: str = ""
    by_id: FrozenMap[str, Question] = field(default_factory=FrozenMap, compare=False, repr=False)

    def __post_init__(self) -> None:
        if not self.by_id:
            index = {sub.id: sub for q in self.questions for sub in (q, *q.linked())}
            object.__setattr__(self, "by_id", FrozenMap(index))

    def __getitem__(self, question_id: str) -> Question:
        try:
            return self.by_id[question_id]
        except KeyError:
            raise KeyError(f"no question {question_id!r} in bank {self.module!r} ({self.path})") from None

    def key(self, question_id: str) -> Key:
        """The key of one question (or linked question); a public bank has none."""
        try:
            return self.keys[question_id]
        except KeyError:
            raise KeyError(f"no key for {question_id!r} in bank {self.module!r}") from None

    def checker(self) -> Checker:
        """Grades this bank's questions here, with its keys (practice quizzes)."""
        return local_checker(self.keys)

    def public(self) -> Bank:
        """The same bank without its keys: what may be sent to a learner's kernel for an assessment."""
        return replace(self, keys=FrozenMap())

    def cited(self) -> list[str]:
        """Reference ids cited by the bank's questions, first use first."""
        out: list[str] = []
        for q in self.questions:
            for sub in (q, *q.linked()):
                out.extend(r for r in sub.references if r not in out)
        return out


@dataclass(frozen=True)
class CourseContent:
    """Everything the course's data files hold, validated together; ``version`` changes with any file."""

    banks: FrozenMap[str, Bank]
    references: FrozenMap[str, Reference]
    glossary: tuple[Term, ...]
    version: str = ""
    rendered: FrozenMap[str, tuple[str, str, str]] = field(default_factory=FrozenMap, compare=False, repr=False)
    """Every text of the course already rendered (``markup.prerender``), so a module page need not import markdown_it."""

    def texts(self) -> Iterator[str]:
        """Every text a learner may read: prompts, options, feedback, explanations, vignettes, definitions."""
        for bank in self.banks.values():
            for item in (*bank.by_id.values(), *bank.keys.values()):
                yield from _texts(item)
        for term in self.glossary:
            yield term.definition

    @property
    def modules(self) -> tuple[str, ...]:
        """Module ids in course order."""
        return tuple(sorted(self.banks))
