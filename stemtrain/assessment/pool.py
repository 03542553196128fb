"""The assessment pool: one file per module in the course's own bank format, loaded by the course's own loader.

Pool files hold keys, so they are never installed with the course: the class service reads them from its
data folder (or ``STEMTRAIN_ASSESSMENT_POOL``), and only a self-study learner's kernel ever loads them. On top of
the bank rules, every pool item has an id starting ``fa-``, is a single choice, multiple select or true/false
question (the types a form can show and grade without a figure), and names the objective it checks.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..content.course import Bank, FrozenMap
from ..content.loader import load_bank, load_references, shown_as
from ..content.paths import asset_path, bank_paths
from ..content.problems import ContentError, Problem
from ..content.yamlsource import read_yaml, short
from ..quiz.model import Key, Question

__all__ = ["ID_PREFIX", "POOL_TYPES", "Pool", "load_pool", "pool_files"]

ID_PREFIX = "fa-"
POOL_TYPES = ("single_choice", "multiple_select", "true_false")
_FILE = re.compile(r"^\d{2}-[a-z0-9-]+\.yaml$")


@dataclass(frozen=True)
class Pool:
    """Every pool item (public part and key) by id, and which module and objective each one checks."""

    banks: FrozenMap[str, Bank]
    folder: str
    version: str
    _index: dict[str, tuple[str, Question]] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        index = {q.id: (bank.module, q) for bank in self.banks.values() for q in bank.questions}
        object.__setattr__(self, "_index", index)

    @property
    def ids(self) -> list[str]:
        return list(self._index)

    def item(self, question_id: str) -> Question:
        return self._entry(question_id)[1]

    def module_of(self, question_id: str) -> str:
        return self._entry(question_id)[0]

    def key(self, question_id: str) -> Key:
        return self.banks[self.module_of(question_id)].key(question_id)

    def eligible(self, module: str, objective: int) -> list[str]:
        """The ids of the items that can fill a blueprint cell, in file order."""
        bank = self.banks.get(module)
        return [q.id for q in bank.questions if q.objective == objective] if bank is not None else []

    def _entry(self, question_id: str) -> tuple[str, Question]:
        try:
            return self._index[question_id]
        except KeyError:
            raise KeyError(f"no item {question_id!r} in the assessment pool ({self.folder})") from None


def pool_files(folder: Path) -> list[Path]:
    """The pool's files (``NN-slug.yaml``), in module order."""
    return sorted(p for p in folder.glob("*.yaml") if _FILE.match(p.name))


def _pool_rules(path: Path, shown: str, course_modules: set[str]) -> list[Problem]:
    located = read_yaml(path, shown)
    data = located.data
    out: list[Problem] = []
    module = data.get("module")
    if course_modules and module not in course_modules:
        out.append(located.problem(("module",), "-", "module", f"{short(module)} is not a module of the course (assets/banks)"))
    for i, q in enumerate(data.get("questions", [])):
        qid = str(q.get("id", "-"))
        if not qid.startswith(ID_PREFIX):
            out.append(located.problem(("questions", i, "id"), qid, "id", f"pool item ids start with {ID_PREFIX!r}"))
        if q.get("type") not in POOL_TYPES:
            message = f"{short(q.get('type'))} cannot be on a form; pool items are {', '.join(POOL_TYPES)}"
            out.append(located.problem(("questions", i, "type"), qid, "type", message))
        if "objective" not in q:
            out.append(located.problem(("questions", i), qid, "objective", "missing: every pool item names the objective it checks"))
    return out


def load_pool(folder: str | Path, references: dict[str, Any] | None = None) -> Pool:
    """Load and check every pool file in ``folder``; raises ``ContentError`` listing every problem (file:line: item: field)."""
    folder = Path(folder)
    shown_folder = shown_as(folder)
    if not folder.is_dir():
        raise ContentError([Problem(shown_folder, 1, "-", "-", "the assessment pool folder does not exist")])
    files = pool_files(folder)
    problems = [
        Problem(shown_as(p), 1, "-", "-", "not a pool file name: pool files are named NN-slug.yaml, like the module they draw on")
        for p in sorted(folder.glob("*.yaml"))
        if p not in files
    ]
    if not files:
        problems.append(Problem(shown_folder, 1, "-", "-", "the assessment pool holds no NN-slug.yaml file"))
        raise ContentError(problems)
    refs = references if references is not None else load_references(asset_path("references.yaml"))
    course_modules = {p.stem for p in bank_paths()}
    seen: dict[str, Any] = {}
    modules: dict[str, str] = {}
    banks: dict[str, Bank] = {}
    digest = hashlib.sha256()
    for path in files:
        shown = shown_as(path)
        try:
            bank = load_bank(path, refs, seen, shown, modules)
        except ContentError as exc:
            problems.extend(exc.problems)
            continue
        problems.extend(_pool_rules(path, shown, course_modules))
        banks[bank.module] = bank
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    if problems:
        raise ContentError(problems)
    return Pool(FrozenMap(banks), shown_folder, digest.hexdigest()[:16])
