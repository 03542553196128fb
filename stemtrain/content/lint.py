"""The overclaiming check: learner-facing text must not promise what the evidence does not support.

A sentence may use a flagged phrase only to quote or refute a claim, and then only when it is listed
in ``assets/lint-allow.yaml`` with the reason it is fine (reviewed like any content change).
Two places in a bank are false on purpose and refuted on the spot, so they are not checked: a wrong
option that carries its own feedback, and the statement of a true/false question whose answer is false.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from . import paths
from .notebooktext import markdown_cells
from .problems import ContentError, Problem, item_and_field
from .yamlsource import read_yaml

__all__ = ["OVERCLAIMS", "lint_course", "lint_text", "load_allow_list"]

OVERCLAIMS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (label, re.compile(pattern, re.IGNORECASE))
    for label, pattern in (
        ("cure", r"\bcur(e|es|ed|ing|ative)\b"),
        ("miracle", r"\bmiracle\b"),
        ("guaranteed", r"\bguarantee(s|d)?\b"),
        ("permanent relief", r"\bpermanent(ly)?\s+(relief|relieve|fix)"),
        ("regenerates your disc", r"\bregenerates?\s+(your|the|a|damaged)\s+(spinal\s+)?discs?\b"),
        ("FDA-approved", r"\bFDA[-\s](approved|registered)(?!\s+(it|the|them|this|that|ryoncil)\b)"),
        ("proven", r"\b(clinically\s+)?proven\s+to\b"),
        ("risk-free", r"\b(risk[-\s]free|no\s+risks?)\b"),
    )
)

_STEMS = ("cur", "miracle", "guarantee", "permanent", "regenerat", "fda", "proven", "risk")
"""Every flagged phrase contains one of these (lower case): a plain substring test skips most text cheaply."""
_ANY = re.compile("|".join(f"(?:{p.pattern})" for _, p in OVERCLAIMS), re.IGNORECASE)
_SKIP_KEYS = {
    "id",
    "type",
    "references",
    "tags",
    "section",
    "difficulty",
    "objective",
    "module",
    "answer",
    "answers",
    "schema_version",
    "reviewed",
    "evidence_cutoff",
    "modules",
}
_SENTENCE = re.compile(r"(?<=[.!?])\s+")


def _norm(text: str) -> str:
    return " ".join(text.split())


def load_allow_list(path: Path | None = None) -> list[dict[str, str]]:
    """Reviewed sentences that may use a flagged phrase, each with its reason."""
    path = path or paths.asset_path("lint-allow.yaml")
    if not path.exists():
        return []
    located = read_yaml(path, "assets/lint-allow.yaml")
    data = located.data
    problems = []
    if not isinstance(data, dict) or not isinstance(data.get("allow"), list):
        raise ContentError([Problem(located.file, 1, "-", "allow", "must be a list of {text, reason}")])
    for i, entry in enumerate(data["allow"]):
        if (
            not isinstance(entry, dict)
            or set(entry) != {"text", "reason"}
            or not all(isinstance(v, str) and v.strip() for v in entry.values())
        ):
            problems.append(
                Problem(
                    located.file, located.line(("allow", i)), f"allow[{i}]", "-", "each entry needs exactly a non-empty text and reason"
                )
            )
    if problems:
        raise ContentError(problems)
    return [{"text": _norm(e["text"]), "reason": e["reason"]} for e in data["allow"]]


def lint_text(text: str, allow: list[dict[str, str]], used: set[str] | None = None) -> list[str]:
    """The flagged phrases in ``text`` that no allow-listed sentence covers."""
    low = text.lower()
    if not any(stem in low for stem in _STEMS) or not _ANY.search(text):
        return []
    found = []
    for sentence in _SENTENCE.split(_norm(text)):
        for label, pattern in OVERCLAIMS:
            if pattern.search(sentence):
                cover = next((a["text"] for a in allow if a["text"] in sentence), None)
                if cover is None:
                    found.append(f"{label!r} in: {sentence[:160]}")
                elif used is not None:
                    used.add(cover)
    return found


def _refuted(data: Any, path: tuple[Any, ...]) -> bool:
    """True for text that a question presents as false and corrects right there."""
    node, parents = data, []
    for key in path:
        parents.append(node)
        node = node[key]
    if len(path) >= 3 and path[-3] == "options" and path[-1] == "text":
        option, question = parents[-1], parents[-3]
        right = {question.get("answer")} | set(question.get("answers", []))
        return option.get("id") not in right and bool(option.get("feedback"))
    if path and path[-1] == "prompt" and isinstance(parents[-1], dict):
        question = parents[-1]
        return question.get("type") == "true_false" and question.get("answer") is False and bool(question.get("feedback"))
    return False


def _walk(data: Any, path: tuple[Any, ...]) -> list[tuple[tuple[Any, ...], str]]:
    if isinstance(data, dict):
        return [x for k, v in data.items() if k not in _SKIP_KEYS for x in _walk(v, (*path, k))]
    if isinstance(data, list):
        return [x for i, v in enumerate(data) for x in _walk(v, (*path, i))]
    return [(path, data)] if isinstance(data, str) else []


def _lint_yaml(allow: list[dict[str, str]], used: set[str]) -> list[Problem]:
    """Banks and the glossary, field by field (false-on-purpose text excepted, see the module docstring)."""
    problems: list[Problem] = []
    root = paths.course_root()
    for f in [*paths.bank_paths(), paths.asset_path("glossary.yaml")]:
        if not f.exists():
            continue
        shown = str(f.relative_to(root))
        try:
            located = read_yaml(f, shown)
        except ContentError:
            continue  # validation reports unreadable files
        for path, text in _walk(located.data, ()):
            if _refuted(located.data, path):
                continue
            for hit in lint_text(text, allow, used):
                item, fld = item_and_field(located.data, path)
                problems.append(Problem(shown, located.line(path), item, fld, f"overclaiming language {hit}"))
    return problems


def _lint_notebooks(allow: list[dict[str, str]], used: set[str]) -> list[Problem]:
    """Every notebook's Markdown cells, line by line."""
    problems: list[Problem] = []
    root = paths.course_root()
    for nb in paths.notebook_paths():
        shown = str(nb.relative_to(root))
        for n, source in markdown_cells(nb):
            for lineno, line in enumerate(source.splitlines(), start=1):
                for hit in lint_text(line, allow, used):
                    problems.append(Problem(shown, lineno, f"cell-{n}", "markdown", f"overclaiming language {hit}"))
    return problems


def lint_course(allow: list[dict[str, str]] | None = None, report_unused: bool = True) -> list[Problem]:
    """Check every bank, the glossary and the Markdown cells of every notebook; report allow-list entries no longer used."""
    try:
        allow = load_allow_list() if allow is None else allow
    except ContentError as exc:
        return exc.problems
    used: set[str] = set()
    problems = _lint_yaml(allow, used) + _lint_notebooks(allow, used)
    if report_unused:
        for entry in allow:
            if entry["text"] not in used:
                unused = f"entry no longer matches any text: {entry['text'][:80]!r}"
                problems.append(Problem("assets/lint-allow.yaml", 1, "-", "allow", unused))
    return problems
