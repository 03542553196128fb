"""The fairness check: quiz items must test knowledge of the module, not test-wiseness.

A test-wise learner who knows nothing about MSCs can still score well when the correct option is
always the longest, when most true/false statements are false, when an ordering item is shown
already in order, or when "all of the above" is on offer. This module finds those cues.

``fairness_problems`` checks one bank, ``course_fairness_problems`` the whole course's true/false balance;
both are pure. Every number is in ``Thresholds`` (in ``fairnesslimits``; ``docs/authoring.md``, "Fair items",
repeats them); ``fairness_stats`` (in ``fairnessstats``) gives the figures a reviewer wants (key-longest share,
length ratio, true/false split). Both, and ``visible_length``, are importable from here.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Callable, Iterable

from ..quiz.order import shown_order
from .fairnessitems import bank_questions, question_id, single_choice_items, text_options, true_false_items, visible_length
from .fairnesslimits import THRESHOLDS, Thresholds
from .fairnessstats import fairness_stats
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
    singles = single_choice_items(located)
    longest = 0
    for path, q, (j, key_len, others) in singles:
        top = max(others)
        if key_len > top:
            longest += 1
        if top > 0 and key_len >= t.key_ratio * top and key_len - top >= t.key_gap:
            message = f"the correct option is {key_len / top:.1f}x as long as the longest distractor; make the options similar in length"
            problems.append(
                Problem(located.file, located.line((*path, "options", j, "text")), question_id(q), f"options[{j}].text", message)
            )
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
    tfs = true_false_items(located)
    if len(tfs) < t.tf_bank_min_items:
        return []
    message = _tf_message([q["answer"] for _, q in tfs], t.tf_bank_share, "in this bank")
    return [Problem(located.file, located.line(("questions",)), "-", "questions", message)] if message else []


def _orderings_shown(located: Located, t: Thresholds, show: Callable[[list[int], str], list[int]]) -> list[Problem]:
    """Ordering: what the learner sees first must not already be (nearly) the answer."""
    problems: list[Problem] = []
    fix = "the course's display order should never allow this: report it with the question id"
    for path, q in bank_questions(located.data):
        if q.get("type") != "ordering" or not isinstance(q.get("items"), list) or len(q["items"]) < 2:
            continue
        order = list(range(len(q["items"])))
        shown = show(order, question_id(q))
        in_place = sum(1 for pos, item in enumerate(shown) if pos == item)
        if shown == order:
            message = f"learners see the items already in the correct order; {fix}"
        elif shown == order[::-1]:
            message = f"learners see the items in exactly the reverse of the correct order; {fix}"
        elif in_place / len(order) > t.order_in_place_share:
            message = f"{in_place} of {len(order)} items are shown in their correct place; {fix}"
        else:
            continue
        problems.append(Problem(located.file, located.line((*path, "items")), question_id(q), "items", message))
    return problems


def _catch_alls(located: Located) -> list[Problem]:
    """Catch-all options ("all of the above", "none of these") in single and multiple choice."""
    problems: list[Problem] = []
    for path, q in bank_questions(located.data):
        if q.get("type") not in ("single_choice", "multiple_select"):
            continue
        for j, option in text_options(q):
            if _CATCH_ALL.search(option["text"]):
                message = f"{option['text']!r} is an 'all/none of the above' option; replace it with a specific statement"
                problems.append(
                    Problem(located.file, located.line((*path, "options", j, "text")), question_id(q), f"options[{j}].text", message)
                )
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
    answers = [q["answer"] for located in banks for _, q in true_false_items(located)]
    if len(answers) < t.tf_course_min_items:
        return []
    message = _tf_message(answers, t.tf_course_share, "across the course")
    if not message:
        return []
    where = posixpath.dirname(banks[0].file.replace("\\", "/")) or "."
    return [Problem(where, 1, "-", "true_false", message)]
