"""Load and validate course data: banks, bibliography, glossary. One loader for notebooks, CLI, exports and tests.

Loading is all-or-nothing: a file either becomes immutable model objects or raises ContentError listing
every problem in it as ``file:line: item: field: what is wrong``. Validating alone (``validate_files``)
runs the same checks without building any model, so the command line stays light.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from . import paths
from .problems import ContentError, Problem
from .references import Reference, Term
from .rules import bank_rules
from .schema import SCHEMA_VERSION
from .validation import schema_problems
from .yamlsource import Located, read_yaml

__all__ = ["load_bank", "load_course", "load_glossary", "load_references", "shown_as", "validate_files"]


def shown_as(path: Path) -> str:
    """How a file is named in messages: relative to the course root when it is inside it."""
    root = paths.course_root()
    try:
        return str(path.relative_to(root) if path.is_absolute() else path.resolve().relative_to(root))
    except ValueError:
        return str(path)


def _checked_bank(
    path: Path, references: dict[str, Reference] | None, seen_ids: dict[str, Any], modules: dict[str, str], name: str | None
) -> Located:
    located = read_yaml(path, name)
    problems = schema_problems(located, "bank")
    data = located.data
    if isinstance(data, dict) and data.get("schema_version") == SCHEMA_VERSION and isinstance(data.get("questions", []), list):
        problems += bank_rules(located, modules, seen_ids, references, path.stem)
    if problems:
        raise ContentError(problems)
    return located


def _bank_from(located: Located, path: Path) -> Any:
    """Build the bank's models (imported here so validating alone never loads them)."""
    from .build import build_question
    from .course import Bank, FrozenMap

    data = located.data
    questions = []
    keys: dict[str, Any] = {}
    for entry in data["questions"]:
        question, question_keys = build_question(entry)
        questions.append(question)
        keys.update(question_keys)
    cutoff = data.get("evidence_cutoff")
    return Bank(
        module=data["module"],
        title=data["title"],
        reviewed=dt.date.fromisoformat(data["reviewed"]),
        evidence_cutoff=dt.date.fromisoformat(cutoff) if cutoff else None,
        questions=tuple(questions),
        keys=FrozenMap(keys),
        path=located.file,
        content_hash=hashlib.sha256(located.text.encode("utf-8")).hexdigest()[:16],
    )


def load_bank(
    path: str | Path,
    references: dict[str, Reference] | None = None,
    seen_ids: dict[str, Any] | None = None,
    shown: str | None = None,
    modules: dict[str, str] | None = None,
) -> Any:
    """Load one bank (a ``Bank``); with ``references`` given, every cited id must exist in them."""
    path = Path(path)
    located = _checked_bank(path, references, {} if seen_ids is None else seen_ids, {} if modules is None else modules, shown)
    return _bank_from(located, path)


def load_references(path: str | Path | None = None, shown: str | None = None) -> dict[str, Reference]:
    """Load the bibliography: ids and in-text labels must be unique."""
    located = read_yaml(path or paths.asset_path("references.yaml"), shown)
    problems = schema_problems(located, "references")
    if problems:
        raise ContentError(problems)
    refs: dict[str, Reference] = {}
    cites: dict[str, str] = {}
    for i, r in enumerate(located.data["references"]):
        if r["id"] in refs:
            problems.append(located.problem(("references", i), r["id"], "id", "duplicate reference id"))
        if r["cite"] in cites:
            problems.append(
                located.problem(("references", i), r["id"], "cite", f"label {r['cite']!r} is already used by {cites[r['cite']]!r}")
            )
        cites[r["cite"]] = r["id"]
        url = r.get("url", "")
        if ("/?term=" in url or "search?" in url) and not r.get("unresolved"):
            message = "is a search, not one specific work: give a DOI, PMID or the primary document's URL (or say why in `unresolved`)"
            problems.append(located.problem(("references", i, "url"), r["id"], "url", message))
        fields = {k: v for k, v in r.items() if k in Reference.__dataclass_fields__ and k != "facts"}
        refs[r["id"]] = Reference(**{**fields, "authors": tuple(r["authors"]), "facts": tuple(r.get("facts", ()))})
    if problems:
        raise ContentError(problems)
    return refs


def load_glossary(
    path: str | Path | None = None, references: dict[str, Reference] | None = None, shown: str | None = None
) -> tuple[Term, ...]:
    """Load the glossary; with ``references`` given, every definition's source must exist."""
    located = read_yaml(path or paths.asset_path("glossary.yaml"), shown)
    problems = schema_problems(located, "glossary")
    if problems:
        raise ContentError(problems)
    terms: list[Term] = []
    names: set[str] = set()
    for i, t in enumerate(located.data["terms"]):
        if t["term"].lower() in names:
            problems.append(located.problem(("terms", i), t["term"], "term", "duplicate term"))
        names.add(t["term"].lower())
        for j, ref in enumerate(t["references"]):
            if references is not None and ref not in references:
                problems.append(
                    located.problem(
                        ("terms", i, "references", j), t["term"], f"references[{j}]", f"{ref!r} is not in the course bibliography"
                    )
                )
        terms.append(Term(t["term"], t["definition"], tuple(t["references"]), tuple(t["modules"])))
    if problems:
        raise ContentError(problems)
    return tuple(sorted(terms, key=lambda t: t.term.lower()))


def collect(files: Iterable[str | Path] | None = None, *, build: bool = True) -> tuple[Any, list[Problem]]:
    """Check (and, with ``build``, load) the bibliography, banks and glossary together: the one loop every caller uses.

    Returns the ``CourseContent`` (None when something failed or ``build`` is off) and every problem found.
    """
    problems: list[Problem] = []
    ref_file = paths.asset_path("references.yaml")
    references: dict[str, Reference] | None = None
    try:
        references = load_references(ref_file, shown_as(ref_file))
    except ContentError as exc:
        problems.extend(exc.problems)
    targets = [Path(f) for f in files] if files else paths.bank_paths()
    seen: dict[str, Any] = {}
    modules: dict[str, str] = {}
    banks: dict[str, Any] = {}
    for target in targets:
        if target.resolve() == ref_file.resolve():
            continue
        try:
            located = _checked_bank(target, references, seen, modules, shown_as(target))
            if build:
                bank = _bank_from(located, target)
                banks[bank.module] = bank
        except ContentError as exc:
            problems.extend(exc.problems)
    glossary: tuple[Term, ...] = ()
    gpath = paths.asset_path("glossary.yaml")
    if not files and gpath.exists():
        try:
            glossary = load_glossary(gpath, references, shown_as(gpath))
        except ContentError as exc:
            problems.extend(exc.problems)
    if problems or not build or references is None:
        return None, problems
    from .course import CourseContent, FrozenMap

    return CourseContent(banks=FrozenMap(banks), references=FrozenMap(references), glossary=glossary, version=content_version()), problems


def validate_files(files: Iterable[str | Path] | None = None) -> list[Problem]:
    """Check bank files (default: the whole course, bibliography and glossary too); return every problem."""
    return collect(files, build=False)[1]


def content_version() -> str:
    """A short hash of every course data file: records say which version of the content an answer was given to."""
    digest = hashlib.sha256()
    for f in paths.data_files():
        digest.update(f.name.encode())
        digest.update(f.read_bytes())
    return digest.hexdigest()[:16]


def load_course() -> Any:
    """The whole course's data (a ``CourseContent``), validated together, cached until a file changes."""
    from .coursecache import cached_course

    return cached_course()
