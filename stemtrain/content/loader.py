"""Load and validate course data: banks, bibliography, glossary. One loader for every caller.

Loading is all-or-nothing: a file either becomes immutable model objects or raises ContentError
listing every problem in it as ``file:line: item: field: what is wrong``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from ..quiz.model import Question, question_from_dict
from . import paths
from .problems import ContentError, Problem
from .references import Reference, Term
from .schema import SCHEMA_VERSION, bank_schema, glossary_schema, references_schema
from .yamlsource import Located, read_yaml

__all__ = [
    "Bank",
    "Course",
    "load_bank",
    "load_references",
    "load_glossary",
    "load_course",
    "validate_files",
]


@dataclass(frozen=True)
class Bank:
    """One module's questions, in file order, with the module's review dates."""

    module: str
    title: str
    reviewed: dt.date
    evidence_cutoff: dt.date | None
    questions: tuple[Question, ...]
    path: str = ""
    by_id: dict[str, Question] = field(default_factory=dict, compare=False, repr=False)

    def __getitem__(self, question_id: str) -> Question:
        try:
            return self.by_id[question_id]
        except KeyError:
            raise KeyError(f"no question {question_id!r} in bank {self.module!r} ({self.path})") from None

    def cited(self) -> list[str]:
        """Reference ids cited by the bank's questions, first use first."""
        out: list[str] = []
        for q in self.questions:
            for sub in (q, *q.linked()):
                out.extend(r for r in sub.references if r not in out)
        return out


@dataclass(frozen=True)
class Course:
    """Everything the course's data files hold, validated together."""

    banks: dict[str, Bank]
    references: dict[str, Reference]
    glossary: tuple[Term, ...]

    def question(self, question_id: str) -> Question:
        """Find a question by its course-wide id."""
        for bank in self.banks.values():
            if question_id in bank.by_id:
                return bank.by_id[question_id]
        raise KeyError(f"no question {question_id!r} in any course bank")


@lru_cache(maxsize=None)
def _validator(kind: str) -> Any:
    from jsonschema import Draft202012Validator

    schema = {"bank": bank_schema, "references": references_schema, "glossary": glossary_schema}[kind]()
    return Draft202012Validator(schema)


def _item_and_field(data: Any, path: tuple[Any, ...]) -> tuple[str, str]:
    """Name the question (the innermost one on the path) and the field below it."""
    item, rest, node, i = "-", list(path), data, 0
    for i, key in enumerate(path):
        if isinstance(node, dict) and key in ("questions", "references", "terms") and i + 1 < len(path):
            entry = node[key][path[i + 1]] if isinstance(node.get(key), list) and isinstance(path[i + 1], int) else None
            if isinstance(entry, dict):
                label = entry.get("id") or entry.get("term")
                item = str(label) if isinstance(label, (str, int)) and label != "" else f"{key}[{path[i + 1]}]"
                rest = list(path[i + 2 :])
        try:
            node = node[key]
        except (KeyError, IndexError, TypeError):
            break
    text = ""
    for key in rest:
        text += f"[{key}]" if isinstance(key, int) else (f".{key}" if text else str(key))
    return item, text or "-"


def _schema_problems(located: Located, kind: str) -> list[Problem]:
    """Every schema violation, one line each; unknown and missing fields named one by one."""
    data = located.data
    if not isinstance(data, dict):
        return [Problem(located.file, located.line(()), "-", "-", "the file must be a mapping with schema_version at the top")]
    version = data.get("schema_version")
    if version != SCHEMA_VERSION:
        return [
            Problem(
                located.file,
                located.line(("schema_version",)),
                "-",
                "schema_version",
                f"is {version!r}; this stemtrain reads schema_version {SCHEMA_VERSION}",
            )
        ]
    problems: list[Problem] = []
    for error in _validator(kind).iter_errors(data):
        path = tuple(error.absolute_path)
        if error.validator == "additionalProperties" and isinstance(error.instance, dict):
            allowed = set(error.schema.get("properties", {}))
            for extra in sorted(set(error.instance) - allowed):
                item, fld = _item_and_field(data, path + (extra,))
                problems.append(Problem(located.file, located.line(path + (extra,)), item, fld, "unknown field"))
            continue
        if error.validator == "required" and isinstance(error.instance, dict):
            missing = [r for r in error.validator_value if r not in error.instance]
            for name in missing:
                item, fld = _item_and_field(data, path + (name,))
                problems.append(Problem(located.file, located.line(path), item, fld, "missing required field"))
            continue
        if error.validator in ("if", "allOf", "anyOf") and not error.context:
            continue
        item, fld = _item_and_field(data, path)
        problems.append(Problem(located.file, located.line(path), item, fld, _plain(error)))
    # The same fact can arrive by two schema routes; say it once.
    return list(dict.fromkeys(problems))


def _plain(error: Any) -> str:
    """A schema error in an author's words."""
    v, value = error.validator, error.validator_value
    if v == "enum":
        return f"{error.instance!r} is not one of {value}"
    if v == "const":
        return f"must be {value!r}"
    if v == "type":
        return f"must be {'an' if value in ('integer', 'array', 'object') else 'a'} {value}, got {type(error.instance).__name__}"
    if v == "pattern":
        return f"{error.instance!r} does not have the required form ({value})"
    if v == "minimum":
        return f"must be at least {value}, got {error.instance!r}"
    if v == "maximum":
        return f"must be at most {value}, got {error.instance!r}"
    if v == "minItems":
        return f"needs at least {value} entries"
    if v == "maxItems":
        return f"allows at most {value} entries"
    if v == "minLength":
        return "must not be empty"
    if v == "maxLength":
        return f"is longer than {value} characters"
    if v == "anyOf" and error.schema.get("anyOf") and all("required" in s for s in error.schema["anyOf"]):
        return "needs " + " or ".join(s["required"][0] for s in error.schema["anyOf"])
    return error.message


def _unique(problems: list[Problem], located: Located, path: tuple[Any, ...], item: str, field_: str, values: list[Any], what: str) -> None:
    seen: set[Any] = set()
    for i, value in enumerate(values):
        if value in seen:
            problems.append(Problem(located.file, located.line(path + (i,)), item, f"{field_}[{i}]", f"duplicate {what} {value!r}"))
        seen.add(value)


def _question_rules(
    located: Located,
    q: dict[str, Any],
    path: tuple[Any, ...],
    seen_ids: dict[str, str],
    references: dict[str, Reference] | None,
) -> list[Problem]:
    """The rules a schema cannot state: ids unique across the course, answers among options, references exist."""
    out: list[Problem] = []
    qid = str(q.get("id", "-"))
    where = f"{located.file}:{located.line(path + ('id',))}"
    if qid in seen_ids:
        out.append(Problem(located.file, located.line(path + ("id",)), qid, "id", f"duplicate question id (first used at {seen_ids[qid]})"))
    else:
        seen_ids[qid] = where
    if references is not None:
        for i, ref in enumerate(q.get("references", [])):
            if ref not in references:
                out.append(Problem(located.file, located.line(path + ("references", i)), qid, f"references[{i}]", f"{ref!r} is not in the course bibliography"))
    qtype = q.get("type")
    if qtype in ("single_choice", "multiple_select"):
        option_ids = [o.get("id") for o in q.get("options", [])]
        _unique(out, located, path + ("options",), qid, "options", option_ids, "option id")
        _unique(out, located, path + ("options",), qid, "options", [o.get("text") for o in q.get("options", [])], "option text")
        if qtype == "single_choice" and "answer" in q and q["answer"] not in option_ids:
            out.append(Problem(located.file, located.line(path + ("answer",)), qid, "answer", f"{q['answer']!r} is not among the option ids {option_ids}"))
        if qtype == "multiple_select":
            answers = q.get("answers", [])
            _unique(out, located, path + ("answers",), qid, "answers", answers, "answer")
            for i, a in enumerate(answers):
                if a not in option_ids:
                    out.append(Problem(located.file, located.line(path + ("answers", i)), qid, f"answers[{i}]", f"{a!r} is not among the option ids {option_ids}"))
    elif qtype == "ordering":
        _unique(out, located, path + ("items",), qid, "items", [i.get("id") for i in q.get("items", [])], "item id")
    elif qtype == "matching":
        pairs = q.get("pairs", [])
        _unique(out, located, path + ("pairs",), qid, "pairs", [p.get("id") for p in pairs], "pair id")
        _unique(out, located, path + ("pairs",), qid, "pairs", [p.get("left") for p in pairs], "left text")
        rights = [p.get("right") for p in pairs]
        _unique(out, located, path + ("pairs",), qid, "pairs", rights, "right text")
        for i, d in enumerate(q.get("distractors", [])):
            if d in rights:
                out.append(Problem(located.file, located.line(path + ("distractors", i)), qid, f"distractors[{i}]", "repeats a right-hand text of a pair"))
    elif qtype == "image_label":
        markers = q.get("markers", [])
        _unique(out, located, path + ("markers",), qid, "markers", [m.get("number") for m in markers], "marker number")
        _unique(out, located, path + ("markers",), qid, "markers", [m.get("label") for m in markers], "label")
        figure = q.get("figure")
        if isinstance(figure, str) and "." in figure and not _figure_exists(figure):
            out.append(Problem(located.file, located.line(path + ("figure",)), qid, "figure", f"no figure function {figure!r} in stemtrain/figures/"))
    elif qtype == "case":
        for i, sub in enumerate(q.get("questions", [])):
            if isinstance(sub, dict):
                out.extend(_question_rules(located, sub, path + ("questions", i), seen_ids, references))
    return out


def _figure_exists(name: str) -> bool:
    """Look for the figure function in the source, without importing matplotlib on the command line."""
    module, _, func = name.partition(".")
    source = Path(__file__).resolve().parents[1] / "figures" / f"{module}.py"
    return source.exists() and f"def {func}(" in source.read_text(encoding="utf-8")


def load_bank(
    path: str | Path,
    references: dict[str, Reference] | None = None,
    seen_ids: dict[str, str] | None = None,
    display: str | None = None,
) -> Bank:
    """Load one bank; with ``references`` given, every cited id must exist in them."""
    path = Path(path)
    located = read_yaml(path, display)
    problems = _schema_problems(located, "bank")
    data = located.data
    seen = {} if seen_ids is None else seen_ids
    if isinstance(data, dict) and isinstance(data.get("questions"), list) and data.get("schema_version") == SCHEMA_VERSION:
        for i, q in enumerate(data["questions"]):
            if isinstance(q, dict):
                problems.extend(_question_rules(located, q, ("questions", i), seen, references))
        module = data.get("module")
        if isinstance(module, str) and path.suffix == ".yaml" and path.stem != module and path.stem[:2].isdigit():
            problems.append(Problem(located.file, located.line(("module",)), "-", "module", f"is {module!r} but the file is named {path.name}"))
    if problems:
        raise ContentError(problems)
    questions = tuple(question_from_dict(q) for q in data["questions"])
    by_id: dict[str, Question] = {}
    for q in questions:
        for sub in (q, *q.linked()):
            by_id[sub.id] = sub
    cutoff = data.get("evidence_cutoff")
    return Bank(
        module=data["module"],
        title=data["title"],
        reviewed=dt.date.fromisoformat(data["reviewed"]),
        evidence_cutoff=dt.date.fromisoformat(cutoff) if cutoff else None,
        questions=questions,
        path=located.file,
        by_id=by_id,
    )


def load_references(path: str | Path | None = None, display: str | None = None) -> dict[str, Reference]:
    """Load the bibliography: ids and in-text labels must be unique."""
    located = read_yaml(path or paths.asset_path("references.yaml"), display)
    problems = _schema_problems(located, "references")
    if problems:
        raise ContentError(problems)
    refs: dict[str, Reference] = {}
    cites: dict[str, str] = {}
    for i, r in enumerate(located.data["references"]):
        line = located.line(("references", i))
        if r["id"] in refs:
            problems.append(Problem(located.file, line, r["id"], "id", "duplicate reference id"))
        if r["cite"] in cites:
            problems.append(Problem(located.file, line, r["id"], "cite", f"label {r['cite']!r} is already used by {cites[r['cite']]!r}"))
        cites[r["cite"]] = r["id"]
        refs[r["id"]] = Reference(
            id=r["id"],
            cite=r["cite"],
            authors=tuple(r["authors"]),
            year=r["year"],
            title=r["title"],
            source=r["source"],
            confidence=r["confidence"],
            doi=r.get("doi", ""),
            url=r.get("url", ""),
            caveat=r.get("caveat", ""),
            facts=tuple(r.get("facts", ())),
            note=r.get("note", ""),
        )
    if problems:
        raise ContentError(problems)
    return refs


def load_glossary(
    path: str | Path | None = None, references: dict[str, Reference] | None = None, display: str | None = None
) -> tuple[Term, ...]:
    """Load the glossary; with ``references`` given, every definition's source must exist."""
    located = read_yaml(path or paths.asset_path("glossary.yaml"), display)
    problems = _schema_problems(located, "glossary")
    if problems:
        raise ContentError(problems)
    terms: list[Term] = []
    names: set[str] = set()
    for i, t in enumerate(located.data["terms"]):
        if t["term"].lower() in names:
            problems.append(Problem(located.file, located.line(("terms", i)), t["term"], "term", "duplicate term"))
        names.add(t["term"].lower())
        for j, ref in enumerate(t["references"]):
            if references is not None and ref not in references:
                problems.append(Problem(located.file, located.line(("terms", i, "references", j)), t["term"], f"references[{j}]", f"{ref!r} is not in the course bibliography"))
        terms.append(Term(t["term"], t["definition"], tuple(t["references"]), tuple(t["modules"]), tuple(t.get("aliases", ()))))
    if problems:
        raise ContentError(problems)
    return tuple(sorted(terms, key=lambda t: t.term.lower()))


def _display(path: Path) -> str:
    """Paths relative to the course root read better in messages."""
    try:
        return str(path.resolve().relative_to(paths.course_root()))
    except ValueError:
        return str(path)


def validate_files(files: Iterable[str | Path] | None = None) -> list[Problem]:
    """Check bank files (default: the whole course, bibliography and glossary too); return every problem."""
    problems: list[Problem] = []
    ref_file = paths.asset_path("references.yaml")
    references: dict[str, Reference] | None = None
    try:
        references = load_references(ref_file, _display(ref_file))
    except ContentError as exc:
        problems.extend(exc.problems)
    targets = [Path(f) for f in files] if files else paths.bank_paths()
    if not files:
        glossary = paths.asset_path("glossary.yaml")
        if glossary.exists():
            try:
                load_glossary(glossary, references, _display(glossary))
            except ContentError as exc:
                problems.extend(exc.problems)
    seen: dict[str, str] = {}
    for target in targets:
        if target.resolve() == ref_file.resolve():
            continue
        try:
            load_bank(target, references, seen, _display(target))
        except ContentError as exc:
            problems.extend(exc.problems)
    return problems


def _stamp() -> tuple[tuple[str, float], ...]:
    files = [paths.asset_path("references.yaml"), paths.asset_path("glossary.yaml"), *paths.bank_paths()]
    return tuple((str(f), f.stat().st_mtime) for f in files if f.exists())


def load_course() -> Course:
    """The whole course's data, validated together, cached until a file changes."""
    return _load_course(_stamp())


@lru_cache(maxsize=2)
def _load_course(stamp: tuple[tuple[str, float], ...]) -> Course:
    references = load_references(paths.asset_path("references.yaml"), "assets/references.yaml")
    seen: dict[str, str] = {}
    banks: dict[str, Bank] = {}
    problems: list[Problem] = []
    for p in paths.bank_paths():
        try:
            bank = load_bank(p, references, seen, _display(p))
            banks[bank.module] = bank
        except ContentError as exc:
            problems.extend(exc.problems)
    glossary: tuple[Term, ...] = ()
    gpath = paths.asset_path("glossary.yaml")
    if gpath.exists():
        try:
            glossary = load_glossary(gpath, references, "assets/glossary.yaml")
        except ContentError as exc:
            problems.extend(exc.problems)
    if problems:
        raise ContentError(problems)
    return Course(banks=banks, references=references, glossary=glossary)
