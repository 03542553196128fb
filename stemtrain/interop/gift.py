"""Moodle GIFT: one text file, a ``$CATEGORY`` per module (and per case), HTML text in ``[html]`` mode.

GIFT has no images (image-label items are left out) and no per-option feedback outside choice and true/false
questions. Ordering uses the syntax of Moodle's Ordering question type (``{>N ALL VERTICAL ...}``), which
plain GIFT readers do not know; ``ordering_plugin=False`` leaves ordering items out instead.
Every special character (``~ = # { } :`` and the backslash) in bank text is escaped.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

from ..markup import render, render_inline
from ..quiz.model import (
    AssignmentKey,
    ChoiceKey,
    ImageLabel,
    Matching,
    MultipleKey,
    MultipleSelect,
    Numeric,
    NumericKey,
    Ordering,
    OrderingKey,
    SingleChoice,
    TrueFalse,
    TrueFalseKey,
)
from .items import Item, case_limitations, items
from .model import Image, Limitation, Payload

__all__ = ["FILE_NAME", "escape", "export"]

FORMAT = "gift"
FILE_NAME = "stemtrain.gift.txt"
_SPECIAL = "~=#{}:"


def escape(text: str) -> str:
    """Escape GIFT's special characters with a backslash, the backslash first; line breaks become spaces."""
    out = text.replace("\\", "\\\\")
    for char in _SPECIAL:
        out = out.replace(char, "\\" + char)
    return " ".join(out.splitlines())


def _block(markdown: str) -> str:
    return escape(render(markdown))


def _inline(markdown: str) -> str:
    return escape(render_inline(markdown))


def _fraction(value: float) -> str:
    """A Moodle grade percentage to five decimals, cut toward zero so that n shares of 100/n never pass 100."""
    cut = math.trunc(value * 100_000) / 100_000
    return f"{cut:.5f}".rstrip("0").rstrip(".")


def _choices(item: Item) -> list[str]:
    q, k = item.question, item.key
    assert isinstance(q, (SingleChoice, MultipleSelect))
    lines = []
    if isinstance(k, ChoiceKey):
        for o in q.options:
            note = k.feedback_for(o.id)
            lines.append(f"{'=' if o.id == k.answer else '~'}{_inline(o.text)}{'#' + _inline(note) if note else ''}")
        return lines
    assert isinstance(k, MultipleKey)
    share = 100.0 / len(k.answers)
    for o in q.options:
        weight = share if o.id in k.answers else -share
        note = k.feedback_for(o.id)
        lines.append(f"~%{_fraction(weight)}%{_inline(o.text)}{'#' + _inline(note) if note else ''}")
    return lines


def _true_false(k: TrueFalseKey) -> list[str]:
    """GIFT's true/false feedback is ``#when wrong#when right``; ours is keyed by the answer given."""
    right, wrong = ("true", "false") if k.answer else ("false", "true")
    line = "TRUE" if k.answer else "FALSE"
    wrong_note, right_note = k.feedback_for(wrong), k.feedback_for(right)
    if wrong_note or right_note:
        line += f"#{_inline(wrong_note)}#{_inline(right_note)}"
    return [line]


def _pairs(item: Item) -> list[str]:
    q, k = item.question, item.key
    assert isinstance(q, Matching) and isinstance(k, AssignmentKey)
    lefts = {o.id: o.text for o in q.lefts}
    choices = {o.id: o.text for o in q.choices}
    used = {c for _, c in k.matches}
    lines = [f"={_inline(lefts[left])} -> {_inline(choices[choice])}" for left, choice in k.matches]
    # Moodle's matching type takes an extra answer with an empty question as a distractor.
    lines += [f"= -> {_inline(text)}" for cid, text in choices.items() if cid not in used]
    return lines


def _ordering(item: Item) -> list[str]:
    q, k = item.question, item.key
    assert isinstance(q, Ordering) and isinstance(k, OrderingKey)
    texts = {o.id: o.text for o in q.items}
    return [f">{len(k.order)} ALL VERTICAL ABSOLUTE_POSITION", *(_inline(texts[i]) for i in k.order)]


def _question(item: Item, references: Mapping[str, Any], ordering_plugin: bool) -> tuple[str | None, list[Limitation]]:
    q, k = item.question, item.key
    limits: list[Limitation] = []
    general = f"####{_block(item.general(references))}"
    if isinstance(q, (SingleChoice, MultipleSelect)):
        body = _choices(item)
    elif isinstance(q, TrueFalse) and isinstance(k, TrueFalseKey):
        body = _true_false(k)
    elif isinstance(q, Matching):
        body = _pairs(item)
        if len(q.choices) < 3:
            limits.append(Limitation(q.id, FORMAT, "Moodle's matching type needs at least 3 answers; this item has fewer"))
    elif isinstance(q, Numeric) and isinstance(k, NumericKey):
        body = [f"#{k.answer:g}:{k.tolerance:g}"]
    elif isinstance(q, Ordering):
        if not ordering_plugin:
            return None, [Limitation(q.id, FORMAT, "plain GIFT has no ordering questions; not exported")]
        body = _ordering(item)
        limits.append(Limitation(q.id, FORMAT, "ordering uses the syntax of Moodle's Ordering question type; other GIFT readers reject it"))
        head = f"::{escape(item.title)}::[html]{_block(item.stem)}{{"
        # The Ordering type reads one item per line and takes no general feedback in GIFT.
        limits.append(Limitation(q.id, FORMAT, "the explanation is not carried: the Ordering type's GIFT syntax has no general feedback"))
        return head + "\n" + "\n".join(body) + "\n}", limits
    elif isinstance(q, ImageLabel):
        return None, [Limitation(q.id, FORMAT, "GIFT cannot carry the figure an image-label item needs; not exported")]
    else:
        return None, [Limitation(q.id, FORMAT, f"no GIFT form for question type {q.type!r}; not exported")]
    text = f"::{escape(item.title)}::[html]{_block(item.stem)}{{\n" + "\n".join(body) + f"\n{general}\n}}"
    return text, limits


def export(
    banks: Sequence[Any], references: Mapping[str, Any], *, images: Mapping[str, Image] | None = None, ordering_plugin: bool = True
) -> tuple[Payload, list[Limitation]]:
    """The banks as one GIFT file; ``images`` is accepted for a common signature and unused (GIFT has none)."""
    limitations = case_limitations(banks, FORMAT)
    chunks = ["// stemtrain question banks in Moodle GIFT format (generated: edit the YAML banks instead)"]
    category = None
    for item in items(banks):
        wanted = f"$course$/top/stemtrain/{item.bank_title}" + (f"/{item.case.id}" if item.case else "")
        if wanted != category:
            chunks.append(f"$CATEGORY: {' '.join(wanted.splitlines())}")
            category = wanted
        text, limits = _question(item, references, ordering_plugin)
        limitations.extend(limits)
        if text is not None:
            chunks.append(f"// {item.question.id} ({item.question.type}, module {item.module})\n{text}")
    return {FILE_NAME: ("\n\n".join(chunks) + "\n").encode("utf-8")}, limitations
