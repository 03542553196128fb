"""From answer records to learner x item score matrices (numpy), the one input every statistic reads.

Records are read once into columns (``Answers``), because a class of 10,000 learners x 200 items is two
million records and per-record Python work is the slow part. Statistics then work on whole arrays.

Columns are the items a learner answers: a standalone question, or a part of a case. A case itself is not a
column (it has no score of its own); its parts are listed right after it, so tables show them under their case.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from operator import attrgetter
from typing import Any, Protocol

import numpy as np

__all__ = ["AnswerRecord", "Answers", "ItemInfo", "ItemLayout", "ScoreMatrix", "layout_items", "score_matrix"]


class AnswerRecord(Protocol):
    """One checked answer, as the records layer hands it over (any object with these attributes)."""

    @property
    def learner(self) -> str: ...
    @property
    def module(self) -> str: ...
    @property
    def question_id(self) -> str: ...
    @property
    def parent_id(self) -> str | None: ...
    @property
    def attempt(self) -> int: ...
    @property
    def score(self) -> float: ...
    @property
    def max_score(self) -> float: ...
    @property
    def response(self) -> Any: ...
    @property
    def answered_at(self) -> datetime: ...


@dataclass(frozen=True)
class ItemInfo:
    """What the analysis needs to know about a question from the bank.

    ``options`` holds (option id, option text, is correct) for choice questions and is empty otherwise.
    A case question has ``type == "case"``; its parts name it in ``parent_id``.
    """

    question_id: str
    module: str
    parent_id: str | None
    type: str
    prompt: str
    options: tuple[tuple[str, str, bool], ...] = ()


def _encode(values: Sequence[str], order: Sequence[str] | None = None) -> tuple[np.ndarray, tuple[str, ...]]:
    """Integer codes for strings (C-speed dict lookups, no per-item Python code), and the distinct values."""
    distinct = tuple(order) if order is not None else tuple(sorted(dict.fromkeys(values)))
    index = {value: i for i, value in enumerate(distinct)}
    codes = np.fromiter(map(index.__getitem__, values), dtype=np.int64, count=len(values))
    return codes, distinct


@dataclass(frozen=True, eq=False)
class Answers:
    """Every record as columns: built once and shared by ``analyse``, ``summarise`` and the report."""

    records: Sequence[AnswerRecord]
    learners: tuple[str, ...]
    learner: np.ndarray
    question_ids: tuple[str, ...]
    question: np.ndarray
    attempt: np.ndarray
    score: np.ndarray
    max_score: np.ndarray
    responses: np.ndarray  # dtype object: fancy indexing picks responses at C speed

    @classmethod
    def from_records(cls, records: Iterable[AnswerRecord] | Answers) -> Answers:
        """Read the attributes we need, one attribute at a time (``map(attrgetter)`` is the fast path)."""
        if isinstance(records, Answers):
            return records
        recs = records if isinstance(records, Sequence) else list(records)
        n = len(recs)
        learner, learners = _encode(list(map(attrgetter("learner"), recs)))
        question, question_ids = _encode(list(map(attrgetter("question_id"), recs)))
        return cls(
            records=recs,
            learners=learners,
            learner=learner,
            question_ids=question_ids,
            question=question,
            attempt=np.fromiter(map(attrgetter("attempt"), recs), dtype=np.int64, count=n),
            score=np.fromiter(map(attrgetter("score"), recs), dtype=np.float64, count=n),
            max_score=np.fromiter(map(attrgetter("max_score"), recs), dtype=np.float64, count=n),
            responses=np.fromiter(map(attrgetter("response"), recs), dtype=object, count=n),
        )

    def __len__(self) -> int:
        return len(self.records)


@dataclass(frozen=True)
class ItemLayout:
    """The analysed items in display order, and which parts belong to which case."""

    columns: tuple[str, ...]
    cases: Mapping[str, tuple[str, ...]]

    def index(self) -> dict[str, int]:
        return {qid: i for i, qid in enumerate(self.columns)}


def layout_items(items: Mapping[str, ItemInfo], modules: Sequence[str] = ()) -> ItemLayout:
    """Answerable items in module order, then bank order, each case's parts straight after where the case is.

    A case (``type == "case"`` or named as some item's ``parent_id``) is a heading, not a column. Parts whose
    case is missing from ``items`` are still analysed, in their own bank position.
    """
    parents = {info.parent_id for info in items.values() if info.parent_id}
    parts: dict[str, list[str]] = {}
    for qid, info in items.items():
        if info.parent_id and info.parent_id in items:
            parts.setdefault(info.parent_id, []).append(qid)
    rank = {m: i for i, m in enumerate(modules)}
    ordered = sorted(items.values(), key=lambda info: rank.get(info.module, len(rank)))  # stable: bank order kept
    columns: list[str] = []
    for info in ordered:
        qid = info.question_id
        if info.type == "case" or qid in parents:
            columns.extend(parts.get(qid, []))
        elif not (info.parent_id and info.parent_id in items):
            columns.append(qid)
    return ItemLayout(columns=tuple(columns), cases={case: tuple(ids) for case, ids in parts.items()})


@dataclass(frozen=True, eq=False)
class ScoreMatrix:
    """Learners x items, in score points; NaN where a learner has not answered (never a silent zero).

    ``record[l, i]`` is the index in ``answers`` of the record used for that cell (-1 if none), so the
    responses behind a score can be counted without another pass over the records.
    """

    answers: Answers
    layout: ItemLayout
    learners: tuple[str, ...]
    scores: np.ndarray
    max_scores: np.ndarray
    record: np.ndarray
    warnings: tuple[str, ...] = field(default=())

    @property
    def item_ids(self) -> tuple[str, ...]:
        return self.layout.columns

    @property
    def answered(self) -> np.ndarray:
        answered: np.ndarray = ~np.isnan(self.scores)
        return answered


def _columns_of(answers: Answers, layout: ItemLayout) -> np.ndarray:
    """For each distinct question id in the records, its column (or -1 when the bank does not list it)."""
    index = layout.index()
    return np.array([index.get(q, -1) for q in answers.question_ids], dtype=np.int64)


def score_matrix(
    records: Iterable[AnswerRecord] | Answers,
    items: Mapping[str, ItemInfo],
    *,
    which: str = "first",
    modules: Sequence[str] = (),
) -> ScoreMatrix:
    """One cell per learner and item: the first attempt (``which="first"``) or the best one (``"best"``).

    First attempt = the lowest attempt number recorded (ties: the earliest ``answered_at``). Item analysis uses
    first attempts, as Moodle does by default, because later attempts come after feedback. Scores are rescaled
    to the item's largest ``max_score`` when records disagree (a re-marked item), and a warning says so.
    """
    if which not in ("first", "best"):
        raise ValueError(f"which must be 'first' or 'best', not {which!r}")
    answers = Answers.from_records(records)
    layout = layout_items(items, modules)
    n_learners, n_items = len(answers.learners), len(layout.columns)
    warnings: list[str] = []

    col = _columns_of(answers, layout)[answers.question] if len(answers) else np.zeros(0, np.int64)
    known = col >= 0
    if (~known).any():
        left_out = {answers.question_ids[q] for q in np.unique(answers.question[~known])}
        cases = sorted(left_out & set(items))
        unknown = sorted(left_out - set(items))
        if unknown:
            shown = ", ".join(unknown[:5]) + (" …" if len(unknown) > 5 else "")
            warnings.append(f"Answers to {len(unknown)} questions not among the analysed items were left out ({shown}).")
        if cases:
            warnings.append(f"Scores recorded for {len(cases)} cases as a whole were left out; their parts are analysed.")
    rows = np.flatnonzero(known)
    key = answers.learner[rows] * n_items + col[rows]

    max_scores = np.zeros(n_items)
    np.maximum.at(max_scores, col[rows], answers.max_score[rows])
    with np.errstate(divide="ignore", invalid="ignore"):
        fraction = np.where(answers.max_score[rows] > 0, answers.score[rows] / answers.max_score[rows], 0.0)
    if (answers.max_score[rows] != max_scores[col[rows]]).any():
        warnings.append("Some items were recorded with different maximum scores; every score was rescaled to the item's largest maximum.")

    cells = n_learners * n_items
    if which == "first":
        lowest = np.full(cells, np.iinfo(np.int64).max)
        np.minimum.at(lowest, key, answers.attempt[rows])
        chosen = rows[answers.attempt[rows] == lowest[key]]
        chosen = _earliest_per_cell(answers, chosen, answers.learner[chosen] * n_items + col[chosen], cells, warnings)
    else:
        best = np.full(cells, -np.inf)
        np.maximum.at(best, key, fraction)
        chosen = rows[fraction == best[key]]  # tied best attempts score the same; the scatter below keeps one

    chosen_key = answers.learner[chosen] * n_items + col[chosen]
    scores = np.full(cells, np.nan)
    record = np.full(cells, -1, dtype=np.int64)
    frac_of = np.zeros(len(answers))
    frac_of[rows] = fraction
    scores[chosen_key] = frac_of[chosen] * max_scores[col[chosen]]
    record[chosen_key] = chosen
    return ScoreMatrix(
        answers=answers,
        layout=layout,
        learners=answers.learners,
        scores=scores.reshape(n_learners, n_items),
        max_scores=max_scores,
        record=record.reshape(n_learners, n_items),
        warnings=tuple(warnings),
    )


def _earliest_per_cell(answers: Answers, chosen: np.ndarray, key: np.ndarray, cells: int, warnings: list[str]) -> np.ndarray:
    """Where two records claim the same first attempt, keep the earlier one (only the tied records are read)."""
    counts = np.bincount(key, minlength=cells)
    tied_mask = counts[key] > 1
    if not tied_mask.any():
        return chosen
    tied, tied_key = chosen[tied_mask], key[tied_mask]
    stamps = np.array([answers.records[int(i)].answered_at.timestamp() for i in tied])
    order = np.lexsort((stamps, tied_key))
    sorted_key = tied_key[order]
    first = order[np.r_[True, sorted_key[1:] != sorted_key[:-1]]]
    warnings.append(f"{int((counts > 1).sum())} learner-item pairs had more than one first attempt; the earliest was used.")
    return np.concatenate([chosen[~tied_mask], tied[first]])
