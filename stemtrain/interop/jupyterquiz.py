"""jupyterquiz JSON banks -> stemtrain bank data (``convert``), and that data as YAML (``dump_bank``).

jupyterquiz (2.9) knows ``multiple_choice`` (one right answer), ``many_choice`` (select all), ``numeric`` and
``string``; it has no matching type, so ``match`` and ``string`` (we have no free-text type) are listed as not
imported. Ids are made from the question text (kebab-case, stable for the same text). jupyterquiz has no
sources: every item gets ``references: []`` for the author to fill, so ``stemtrain validate`` fails on each
``references`` field until they do. ``precision`` means significant digits since jupyterquiz 2.7.0a3/2.8.0 and
decimal places before; pass ``precision="decimal"`` for banks written for older versions.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from typing import Any

__all__ = ["convert", "dump_bank", "slug"]

_LETTERS = "abcdefghijklmnopqrstuvwxyz"


def slug(text: str, words: int = 8) -> str:
    """A kebab-case id from question text: lower case, letters and digits, at most ``words`` words."""
    plain = re.sub(r"\$[^$]*\$|`[^`]*`|<[^>]+>", " ", text.lower())
    parts = re.findall(r"[a-z0-9]+", plain)[:words]
    return "-".join(parts) or "question"


def _text(answer: dict[str, Any]) -> str:
    if "answer" in answer and answer["answer"] != "":
        return str(answer["answer"])
    return f"`{answer.get('code', '')}`"


def _prompt(q: dict[str, Any]) -> str:
    prompt = str(q.get("question", "")).strip()
    if q.get("code"):
        prompt += "\n\n" + "  \n".join(f"`{line}`" for line in str(q["code"]).splitlines())
    return prompt


def _choice(q: dict[str, Any], base: dict[str, Any], lost: list[str]) -> dict[str, Any] | None:
    answers = q.get("answers", [])
    options = []
    for letter, a in zip(_LETTERS, answers, strict=False):
        option = {"id": letter, "text": _text(a)}
        if a.get("feedback"):
            option["feedback"] = str(a["feedback"])
        options.append(option)
    right = [o["id"] for o, a in zip(options, answers, strict=False) if a.get("correct")]
    if q["type"] == "multiple_choice":
        if len(right) != 1:
            lost.append(f"{base['id']}: multiple_choice with {len(right)} right answers has no single-choice form")
            return None
        explanation = next((o.get("feedback", "") for o in options if o["id"] == right[0]), "")
        return {**base, "type": "single_choice", "options": options, "answer": right[0], "explanation": explanation}
    if not right:
        lost.append(f"{base['id']}: many_choice with no right answer")
        return None
    return {**base, "type": "multiple_select", "options": options, "answers": right, "explanation": ""}


def _tolerance(value: float, precision: int | None, meaning: str) -> float:
    """Half a unit of the last digit jupyterquiz compares (0 without ``precision``)."""
    if not precision:
        return 0.0
    if meaning == "decimal":
        return 0.5 * 10.0 ** (-precision)
    magnitude = math.floor(math.log10(abs(value))) if value else 0
    return 0.5 * 10.0 ** (magnitude - precision + 1)


def _numeric(q: dict[str, Any], base: dict[str, Any], lost: list[str], meaning: str) -> dict[str, Any] | None:
    right = [a for a in q.get("answers", []) if a.get("correct")]
    if not right:
        lost.append(f"{base['id']}: numeric question with no right answer")
        return None
    first = right[0]
    if "value" in first:
        answer, tolerance = float(first["value"]), _tolerance(float(first["value"]), q.get("precision"), meaning)
    else:
        low, high = (float(x) for x in first["range"])
        answer, tolerance = (low + high) / 2, (high - low) / 2
        lost.append(f"{base['id']}: the range [{low:g}, {high:g}) became {answer:g} ± {tolerance:g} (the upper end is now included)")
    for other in [a for a in q.get("answers", []) if a is not first and a.get("type") != "default"]:
        what = other.get("value", other.get("range"))
        lost.append(f"{base['id']}: the {'right' if other.get('correct') else 'wrong'} answer {what} and its feedback were not kept")
    explanation = str(first.get("feedback", ""))
    return {**base, "type": "numeric", "answer": answer, "tolerance": round(tolerance, 12), "unit": "", "explanation": explanation}


def convert(data: list[dict[str, Any]], *, module: str, title: str, precision: str = "significant") -> tuple[dict[str, Any], list[str]]:
    """A jupyterquiz question list as bank data, and one line for everything that could not be carried over."""
    questions: list[dict[str, Any]] = []
    lost: list[str] = []
    seen: dict[str, int] = {}
    for n, q in enumerate(data, start=1):
        qid = slug(str(q.get("question", "")) or f"question {n}")
        seen[qid] = seen.get(qid, 0) + 1
        if seen[qid] > 1:
            qid = f"{qid}-{seen[qid]}"
        base = {"id": qid, "prompt": _prompt(q), "references": []}
        kind = q.get("type")
        if kind in ("multiple_choice", "many_choice"):
            entry = _choice(q, base, lost)
        elif kind == "numeric":
            entry = _numeric(q, base, lost, precision)
        else:
            why = "we have no free-text question type" if kind == "string" else "no such question type in stemtrain banks"
            lost.append(f"{qid}: jupyterquiz type {kind!r} not imported ({why})")
            entry = None
        if entry is not None:
            questions.append(entry)
    today = dt.datetime.now(dt.timezone.utc).date().isoformat()
    bank = {"schema_version": 1, "module": module, "title": title, "reviewed": today, "questions": questions}
    return bank, lost


def dump_bank(bank: dict[str, Any]) -> str:
    """Bank data as YAML in the order authors read it, with a note on what still needs doing."""
    import yaml

    head = (
        "# Converted from jupyterquiz by `stemtrain import jupyterquiz`. Before use: add each item's references\n"
        "# (ids from assets/references.yaml) and an explanation, then run `stemtrain validate` on this file.\n"
    )
    body: str = yaml.safe_dump(bank, sort_keys=False, allow_unicode=True, width=120)
    return head + body
