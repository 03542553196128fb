"""The fairness check: quiz items must test knowledge of the module, not test-wiseness.

A test-wise learner who knows nothing about MSCs can still score well when the correct option is
always the longest, when most true/false statements are false, when an ordering item is shown
already in order, or when "all of the above" is on offer. This module finds those cues.

``fairness_problems`` checks one bank, ``course_fairness_problems`` the whole course's true/false balance;
both are pure. Every number is in ``Thresholds`` (``docs/authoring.md``, "Fair items", repeats them);
``fairness_stats`` gives the figures a reviewer wants (key-longest share, length ratio, true/false split).
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from ..quiz.order import shown_order
from .problems import Problem
from .yamlsource import Located

__all__ = [
    "THRESHOLDS",
    "Thresholds",
    "course_fairness_problems",
    "fairness_problems",
    "fairness_stats",
    "visible_length",
]


@dataclass(frozen=True)
class Thresholds:
    """Every limit of the fairness check, in one place. ``docs/authoring.md`` repeats these numbers.

    key_ratio:
        A single-choice item is flagged when its correct option is at least this many times as long
        as its longest distractor. 1.5 is a difference a learner sees at a glance; below it, length
        is a weak cue, and the bank-wide share (below) catches a habit of slightly longer keys.
    key_gap:
        ...and at least this many characters longer. Short options ("Type 1" vs "Type 2", "Yes" vs "No")
        can differ by a large ratio without giving anything away.
    key_longest_share:
        A bank is flagged when the correct option is the longest one (strictly longer than every
        distractor) in more than this share of its single-choice items. With 3 or 4 options, chance
        alone makes the key the longest in a quarter to a third of items, so more than a third is a
        pattern a learner can exploit.
    key_longest_min_items:
        The share rule needs at least this many single-choice items in the bank: a share of one or
        two items says nothing about a habit.
    tf_bank_share:
        A bank is flagged when more than this share of its true/false answers is the same (all
        "false", say). 0.75 allows 3 of 4 or 2 of 3 but not 4 of 4 or 3 of 3: small banks cannot be
        exactly balanced, but they can avoid being one-sided.
    tf_bank_min_items:
        The bank rule needs at least this many true/false items (one item is always 100% one way).
    tf_course_share:
        The whole course is flagged when more than this share of all its true/false answers is the
        same. The course has enough items (about 20) for a tighter limit than a single bank:
        0.6 means that, out of 21, at most 12 may share an answer.
    tf_course_min_items:
        The course rule needs at least this many true/false items.
    order_in_place_share:
        An ordering item is flagged when more than this share of its items is shown in its correct
        position ("most items stay in place"). It is also always flagged when the shown order is
        exactly the correct order, or exactly its reverse (a learner only has to flip it).
    """

    key_ratio: float = 1.5
    key_gap: int = 15
    key_longest_share: float = 1 / 3
    key_longest_min_items: int = 3
    tf_bank_share: float = 0.75
    tf_bank_min_items: int = 2
    tf_course_share: float = 0.6
    tf_course_min_items: int = 6
    order_in_place_share: float = 0.5


THRESHOLDS = Thresholds()

# "All/none/both of the above", "none of these.", "all of the options", an option that is only "All" or
# "None of them"; not an ordinary statement that contains "all of them" ("Nearly all of them: …").
_CATCH_ALL = re.compile(
    r"\b(?:all|none|both|neither|any|each)\s+(?:of\s+)?the\s+(?:above|below)\b"
    r"|\b(?:above|below)\s+(?:options?|answers?|choices?|statements?)\b"
    r"|\b(?:all|none|both|neither)\s+of\s+(?:these|those)(?=\s*(?:[.,;:!?)]|$))"
    r"|\b(?:all|none|both|neither)\s+of\s+the\s+(?:other\s+)?(?:options|answers|choices|statements|others)\b"
    r"|^\s*(?:all|none|both|neither)(?:\s+of\s+(?:them|these|those))?\s*[.!]?\s*$",
    re.IGNORECASE,
)
_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")
_MARKS = re.compile(r"[*_`]")


def visible_length(text: Any) -> int:
    """Length of the text a learner sees: Markdown marks (``*``, ``_``, backticks) and link targets removed,
    runs of white space counted once."""
    if not isinstance(text, str):
        return 0
    return len(" ".join(_MARKS.sub("", _LINK.sub(r"\1", text)).split()))


def _questions(data: Any) -> Iterator[tuple[tuple[Any, ...], dict[str, Any]]]:
    """Every question of a bank with its path, case questions' linked questions included."""
    questions = data.get("questions") if isinstance(data, dict) else None
    if not isinstance(questions, list):
        return
    for i, q in enumerate(questions):
        if not isinstance(q, dict):
            continue
        yield ("questions", i), q
        if q.get("type") == "case" and isinstance(q.get("questions"), list):
            for k, sub in enumerate(q["questions"]):
                if isinstance(sub, dict):
                    yield ("questions", i, "questions", k), sub


def _qid(q: dict[str, Any]) -> str:
    qid = q.get("id")
    return qid if isinstance(qid, str) and qid else "-"


def _options(q: dict[str, Any]) -> list[tuple[int, dict[str, Any]]]:
    opts = q.get("options")
    if not isinstance(opts, list):
        return []
    return [(j, o) for j, o in enumerate(opts) if isinstance(o, dict) and isinstance(o.get("text"), str)]


def _key_lengths(q: dict[str, Any]) -> tuple[int, int, list[int]] | None:
    """(index of the key option, its visible length, the distractors' lengths), or None when unusable."""
    opts = _options(q)
    keyed = [(j, o) for j, o in opts if o.get("id") == q.get("answer")]
    others = [visible_length(o["text"]) for j, o in opts if o.get("id") != q.get("answer")]
    if len(keyed) != 1 or not others:
        return None
    j, key = keyed[0]
    return j, visible_length(key["text"]), others


def _single_choice(located: Located) -> list[tuple[tuple[Any, ...], dict[str, Any], tuple[int, int, list[int]]]]:
    out = []
    for path, q in _questions(located.data):
        if q.get("type") == "single_choice":
            lengths = _key_lengths(q)
            if lengths is not None:
                out.append((path, q, lengths))
    return out


def _true_false(located: Located) -> list[tuple[tuple[Any, ...], dict[str, Any]]]:
    return [(p, q) for p, q in _questions(located.data) if q.get("type") == "true_false" and isinstance(q.get("answer"), bool)]


def _tf_message(answers: list[bool], share: float, where: str) -> str | None:
    n = len(answers)
    trues = sum(answers)
    for value, count in ((True, trues), (False, n - trues)):
        if count / n > share:
            other = "false" if value else "true"
            return (
                f"{count} of {n} true/false answers {where} are {str(value).lower()}; at most {share:.0%} may share one answer, "
                f"so rewrite some statements so that their answer is {other}"
            )
    return None


def _long_keys(located: Located, t: Thresholds) -> list[Problem]:
    """Single choice: the key must not stand out by length, item by item and as a habit of the bank."""
    problems: list[Problem] = []
    singles = _single_choice(located)
    longest = 0
    for path, q, (j, key_len, others) in singles:
        top = max(others)
        if key_len > top:
            longest += 1
        if top > 0 and key_len >= t.key_ratio * top and key_len - top >= t.key_gap:
            message = f"the correct option is {key_len / top:.1f}x as long as the longest distractor; make the options similar in length"
            problems.append(Problem(located.file, located.line((*path, "options", j, "text")), _qid(q), f"options[{j}].text", message))
    n = len(singles)
    if n >= t.key_longest_min_items and longest / n > t.key_longest_share:
        message = (
            f"the correct option is the longest in {longest} of {n} single-choice items; at most a third may be: "
            "shorten correct options or lengthen distractors so that length gives nothing away"
        )
        problems.append(Problem(located.file, located.line(("questions",)), "-", "questions", message))
    return problems


def _true_false_balance(located: Located, t: Thresholds) -> list[Problem]:
    """True/false: the bank's answers must not be one-sided."""
    tfs = _true_false(located)
    if len(tfs) < t.tf_bank_min_items:
        return []
    message = _tf_message([q["answer"] for _, q in tfs], t.tf_bank_share, "in this bank")
    return [Problem(located.file, located.line(("questions",)), "-", "questions", message)] if message else []


def _orderings_shown(located: Located, t: Thresholds, show: Callable[[list[int], str], list[int]]) -> list[Problem]:
    """Ordering: what the learner sees first must not already be (nearly) the answer."""
    problems: list[Problem] = []
    fix = "the course's display order should never allow this: report it with the question id"
    for path, q in _questions(located.data):
        if q.get("type") != "ordering" or not isinstance(q.get("items"), list) or len(q["items"]) < 2:
            continue
        order = list(range(len(q["items"])))
        shown = show(order, _qid(q))
        in_place = sum(1 for pos, item in enumerate(shown) if pos == item)
        if shown == order:
            message = f"learners see the items already in the correct order; {fix}"
        elif shown == order[::-1]:
            message = f"learners see the items in exactly the reverse of the correct order; {fix}"
        elif in_place / len(order) > t.order_in_place_share:
            message = f"{in_place} of {len(order)} items are shown in their correct place; {fix}"
        else:
            continue
        problems.append(Problem(located.file, located.line((*path, "items")), _qid(q), "items", message))
    return problems


def _catch_alls(located: Located) -> list[Problem]:
    """Catch-all options ("all of the above", "none of these") in single and multiple choice."""
    problems: list[Problem] = []
    for path, q in _questions(located.data):
        if q.get("type") not in ("single_choice", "multiple_select"):
            continue
        for j, option in _options(q):
            if _CATCH_ALL.search(option["text"]):
                message = f"{option['text']!r} is an 'all/none of the above' option; replace it with a specific statement"
                problems.append(Problem(located.file, located.line((*path, "options", j, "text")), _qid(q), f"options[{j}].text", message))
    return problems


def fairness_problems(
    located: Located, thresholds: Thresholds = THRESHOLDS, show: Callable[[list[int], str], list[int]] = shown_order
) -> list[Problem]:
    """Test-wiseness cues in one bank file (already read by ``read_yaml``), in file order within each rule.

    ``show`` gives the order a learner sees ordering steps in (the course's own display order by default).
    """
    return [
        *_long_keys(located, thresholds),
        *_true_false_balance(located, thresholds),
        *_orderings_shown(located, thresholds, show),
        *_catch_alls(located),
    ]


def course_fairness_problems(located_banks: Iterable[Located], thresholds: Thresholds = THRESHOLDS) -> list[Problem]:
    """Rules over the whole course: the true/false balance of every bank together.

    Per-bank problems come from ``fairness_problems``; they are not repeated here.
    """
    t = thresholds
    banks = list(located_banks)
    answers = [q["answer"] for located in banks for _, q in _true_false(located)]
    if len(answers) < t.tf_course_min_items:
        return []
    message = _tf_message(answers, t.tf_course_share, "across the course")
    if not message:
        return []
    where = posixpath.dirname(banks[0].file.replace("\\", "/")) or "."
    return [Problem(where, 1, "-", "true_false", message)]


def fairness_stats(located_banks: Iterable[Located]) -> dict[str, dict[str, Any]]:
    """Figures for review, per bank file and for the whole course (key ``"course"``); no thresholds applied.

    For each: ``single`` (single-choice items), ``key_longest`` (items whose key is strictly the longest
    option), ``median_ratio`` (median over items of key length / mean distractor length),
    ``median_ratio_top`` (median of key length / longest distractor), ``tf_true`` and ``tf_false``.
    """
    import statistics  # only a reviewer's report needs it; the validator never does

    out: dict[str, dict[str, Any]] = {}
    all_mean: list[float] = []
    all_top: list[float] = []
    total = {"single": 0, "key_longest": 0, "tf_true": 0, "tf_false": 0}
    for located in located_banks:
        ratios_mean, ratios_top, longest = [], [], 0
        singles = _single_choice(located)
        for _, _, (_, key_len, others) in singles:
            longest += key_len > max(others)
            if min(others) > 0:
                ratios_mean.append(key_len / statistics.mean(others))
                ratios_top.append(key_len / max(others))
        tf = [q["answer"] for _, q in _true_false(located)]
        row = {
            "single": len(singles),
            "key_longest": longest,
            "median_ratio": statistics.median(ratios_mean) if ratios_mean else None,
            "median_ratio_top": statistics.median(ratios_top) if ratios_top else None,
            "tf_true": sum(tf),
            "tf_false": len(tf) - sum(tf),
        }
        out[located.file] = row
        all_mean += ratios_mean
        all_top += ratios_top
        for k in total:
            total[k] += row[k]
    out["course"] = {
        **total,
        "median_ratio": statistics.median(all_mean) if all_mean else None,
        "median_ratio_top": statistics.median(all_top) if all_top else None,
    }
    return out
