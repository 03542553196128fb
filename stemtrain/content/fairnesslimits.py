"""The limits of the fairness check, in one place, each with the reason for its number.

``docs/authoring.md`` ("Fair items") repeats these numbers; ``fairness`` applies them.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["THRESHOLDS", "Thresholds"]


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
