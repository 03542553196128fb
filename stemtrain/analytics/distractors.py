"""Distractor analysis: how many learners picked each option of a choice item on their first attempt.

Responses are taken from the score matrix's first-attempt records, one block of columns per question type, so
well-formed input (an id string, a list of ids, a true/false) is counted at C speed; only malformed responses are
looked at one by one. A multiple-select answer counts every option it picked.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from itertools import chain, repeat
from typing import Any

import numpy as np

from .matrix import ItemInfo, ScoreMatrix

__all__ = ["OptionStats", "count_options", "option_stats"]


@dataclass(frozen=True)
class OptionStats:
    """How many learners picked one option on their first attempt (multiple select: each option picked counts)."""

    question_id: str
    option_id: str
    text: str
    correct: bool
    count: int
    share: float | None
    note: str = ""


def _option_ids(response: Any) -> tuple[Any, ...]:
    """The option ids inside one response: a string, a list of strings, or a true/false answer."""
    if isinstance(response, bool):
        return ("true" if response else "false",)
    if isinstance(response, str):
        return (response,)
    if isinstance(response, (list, tuple)):
        return tuple(r for r in response if isinstance(r, str))
    return ()


def _picks(responses: list[Any], kind: str) -> tuple[list[Any], np.ndarray]:
    """Option ids picked, flattened, and how many each response holds. Well-formed input stays at C speed."""
    types = set(map(type, responses))
    if kind == "multiple_select" and types <= {list, tuple}:
        return list(chain.from_iterable(responses)), np.fromiter(map(len, responses), dtype=np.int64, count=len(responses))
    if kind != "multiple_select" and types <= {str}:
        return responses, np.ones(len(responses), dtype=np.int64)
    if types <= {bool}:
        return list(map({True: "true", False: "false"}.__getitem__, responses)), np.ones(len(responses), dtype=np.int64)
    ids = [_option_ids(r) for r in responses]  # malformed or mixed responses: one by one
    return list(chain.from_iterable(ids)), np.fromiter(map(len, ids), dtype=np.int64, count=len(ids))


def count_options(mx: ScoreMatrix, items: Mapping[str, ItemInfo]) -> dict[str, tuple[np.ndarray, int]]:
    """For each choice item: how many of the matrix's answers picked each option, and picks matching no option."""
    cols = [i for i, qid in enumerate(mx.item_ids) if items[qid].options]
    if not cols:
        return {}
    by_kind: dict[str, list[int]] = {}
    for j, c in enumerate(cols):
        by_kind.setdefault(items[mx.item_ids[c]].type, []).append(j)
    flat: list[Any] = []
    flat_cols = []
    for kind, js in by_kind.items():  # one block of columns per question type: its responses have one shape
        block = mx.record[:, [cols[j] for j in js]]
        picked = block >= 0
        ids, lengths = _picks(mx.answers.responses[block[picked]].tolist(), kind)
        flat.extend(ids)
        flat_cols.append(np.repeat(np.broadcast_to(np.array(js), block.shape)[picked], lengths))
    # Codes from the bank's own option ids; a pick that is no option id of the bank gets the spare last code.
    vocabulary = {oid: i for i, oid in enumerate(dict.fromkeys(o[0] for c in cols for o in items[mx.item_ids[c]].options))}
    spare = len(vocabulary)
    try:
        codes = np.fromiter(map(vocabulary.get, flat, repeat(spare)), dtype=np.int64, count=len(flat))
    except TypeError:  # an unhashable value where an option id belongs
        codes = np.array([vocabulary.get(x, spare) if isinstance(x, str) else spare for x in flat], dtype=np.int64)
    flat_col = np.concatenate(flat_cols)
    width = spare + 1
    table = np.full(len(cols) * width, -1, dtype=np.int64)
    offsets = np.cumsum([0] + [len(items[mx.item_ids[c]].options) for c in cols])
    for j, c in enumerate(cols):
        for o, (oid, _, _) in enumerate(items[mx.item_ids[c]].options):
            table[j * width + vocabulary[oid]] = offsets[j] + o
    slots = table[flat_col * width + codes]
    counts = np.bincount(slots[slots >= 0], minlength=offsets[-1])
    unmatched = np.bincount(flat_col[slots < 0], minlength=len(cols))
    return {mx.item_ids[c]: (counts[offsets[j] : offsets[j + 1]], int(unmatched[j])) for j, c in enumerate(cols)}


def option_stats(info: ItemInfo, counts: np.ndarray, n: int, min_learners: int) -> tuple[OptionStats, ...]:
    """Counts and shares per option, with a note where a distractor is not doing its job."""
    best_correct = max((int(c) for c, (_, _, ok) in zip(counts, info.options, strict=False) if ok), default=0)
    out = []
    for (oid, text, correct), count in zip(info.options, counts, strict=False):
        note = ""
        if not correct and n and count > best_correct:
            note = "More learners chose this wrong option than the right answer: check the key, then the wording and the teaching."
        elif not correct and n >= min_learners and count == 0:
            note = "Nobody chose this wrong option, so it adds nothing: replace it with a mistake staff really make."
        out.append(OptionStats(info.question_id, oid, text, correct, int(count), float(count) / n if n else None, note))
    return tuple(out)
