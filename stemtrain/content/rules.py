"""The rules a schema cannot state: ids unique across the course, answers among the options, references that
exist, real dates, one bank per module, figures that exist."""

from __future__ import annotations

import datetime as dt
from typing import Any

from ..figures.names import is_figure
from .problems import Problem
from .references import Reference
from .yamlsource import Located, short

__all__ = ["bank_rules", "question_rules"]


def _duplicates(located: Located, path: tuple[Any, ...], item: str, values: list[Any], what: str) -> list[Problem]:
    """A problem for every value that repeats an earlier one in the list at ``path``."""
    out, seen = [], set()
    for i, value in enumerate(values):
        if value in seen:
            out.append(located.problem((*path, i), item, f"{path[-1]}[{i}]", f"duplicate {what} {short(value)}"))
        seen.add(value)
    return out


def _choice_rules(out: list[Problem], located: Located, q: dict[str, Any], path: tuple[Any, ...], qid: str) -> None:
    options = q.get("options", [])
    option_ids = [o.get("id") for o in options]
    out += _duplicates(located, (*path, "options"), qid, option_ids, "option id")
    out += _duplicates(located, (*path, "options"), qid, [o.get("text") for o in options], "option text")
    if q.get("type") == "single_choice":
        if "answer" in q and q["answer"] not in option_ids:
            out.append(located.problem((*path, "answer"), qid, "answer", f"{short(q['answer'])} is not among the option ids {option_ids}"))
        return
    answers = q.get("answers", [])
    out += _duplicates(located, (*path, "answers"), qid, answers, "answer")
    for i, a in enumerate(answers):
        if a not in option_ids:
            out.append(located.problem((*path, "answers", i), qid, f"answers[{i}]", f"{short(a)} is not among the option ids {option_ids}"))


def _type_rules(out: list[Problem], located: Located, q: dict[str, Any], path: tuple[Any, ...], qid: str) -> None:
    qtype = q.get("type")
    if qtype in ("single_choice", "multiple_select"):
        _choice_rules(out, located, q, path, qid)
    elif qtype == "ordering":
        items = q.get("items", [])
        out += _duplicates(located, (*path, "items"), qid, [i.get("id") for i in items], "item id")
        out += _duplicates(located, (*path, "items"), qid, [i.get("text") for i in items], "item text")
    elif qtype == "matching":
        pairs = q.get("pairs", [])
        out += _duplicates(located, (*path, "pairs"), qid, [p.get("id") for p in pairs], "pair id")
        out += _duplicates(located, (*path, "pairs"), qid, [p.get("left") for p in pairs], "left text")
        rights = [p.get("right") for p in pairs]
        out += _duplicates(located, (*path, "pairs"), qid, rights, "right text")
        for i, d in enumerate(q.get("distractors", [])):
            if d in rights:
                out.append(located.problem((*path, "distractors", i), qid, f"distractors[{i}]", "repeats a right-hand text of a pair"))
    elif qtype == "image_label":
        markers = q.get("markers", [])
        out += _duplicates(located, (*path, "markers"), qid, [m.get("number") for m in markers], "marker number")
        out += _duplicates(located, (*path, "markers"), qid, [m.get("label") for m in markers], "label")
        figure = q.get("figure")
        if isinstance(figure, str) and not is_figure(figure):
            out.append(
                located.problem(
                    (*path, "figure"), qid, "figure", f"{short(figure)} is not a course figure (see stemtrain/figures/names.py)"
                )
            )


def question_rules(
    located: Located,
    q: dict[str, Any],
    path: tuple[Any, ...],
    seen_ids: dict[str, tuple[Located, tuple[Any, ...]]],
    references: dict[str, Reference] | None,
) -> list[Problem]:
    """Cross-field rules for one question (and the linked questions of a case)."""
    out: list[Problem] = []
    qid = str(q.get("id", "-"))
    if qid in seen_ids:
        first, first_path = seen_ids[qid]  # its line is looked up only now: a clean file never pays for line numbers
        where = f"{first.file}:{first.line((*first_path, 'id'))}"
        out.append(located.problem((*path, "id"), qid, "id", f"duplicate question id (first used at {where})"))
    else:
        seen_ids[qid] = (located, path)
    if references is not None:
        cited = q.get("references", [])
        for i, ref in enumerate(cited):
            if ref not in references:
                message = f"{short(ref)} is not in the course bibliography"
                out.append(located.problem((*path, "references", i), qid, f"references[{i}]", message))
        if cited and all(ref in references and references[ref].unresolved for ref in cited):
            message = "cites only sources that do not resolve to one specific work; add a source with a DOI, PMID or primary URL"
            out.append(located.problem((*path, "references"), qid, "references", message))
    _type_rules(out, located, q, path, qid)
    if q.get("type") == "case":
        for i, sub in enumerate(q.get("questions", [])):
            if isinstance(sub, dict):
                out.extend(question_rules(located, sub, (*path, "questions", i), seen_ids, references))
    return out


def _date_rules(out: list[Problem], located: Located, data: dict[str, Any]) -> None:
    dates: dict[str, dt.date] = {}
    for name in ("reviewed", "evidence_cutoff"):
        value = data.get(name)
        if isinstance(value, str):
            try:
                dates[name] = dt.date.fromisoformat(value)
            except ValueError:
                out.append(located.problem((name,), "-", name, f"{short(value)} is not a real date"))
    if "reviewed" in dates and "evidence_cutoff" in dates and dates["evidence_cutoff"] > dates["reviewed"]:
        out.append(
            located.problem(
                ("evidence_cutoff",), "-", "evidence_cutoff", "is after the review date: evidence cannot be newer than its review"
            )
        )


def bank_rules(
    located: Located,
    modules: dict[str, str],
    seen_ids: dict[str, tuple[Located, tuple[Any, ...]]],
    references: dict[str, Reference] | None,
    file_stem: str,
) -> list[Problem]:
    """Rules over a whole bank file that passed the schema: dates, its module (one bank each), its questions."""
    out: list[Problem] = []
    data = located.data
    _date_rules(out, located, data)
    module = data.get("module")
    if isinstance(module, str):
        if file_stem[:2].isdigit() and file_stem != module:
            out.append(located.problem(("module",), "-", "module", f"is {short(module)} but the file is named {file_stem}.yaml"))
        if module in modules:
            out.append(
                located.problem(
                    ("module",), "-", "module", f"{short(module)} already has a bank ({modules[module]}); a module has one bank"
                )
            )
        else:
            modules[module] = located.file
    for i, q in enumerate(data.get("questions", [])):
        if isinstance(q, dict):
            out.extend(question_rules(located, q, ("questions", i), seen_ids, references))
    return out
