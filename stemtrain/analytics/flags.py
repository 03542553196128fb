"""When an item is worth a look: the flag rules, their limits and what an instructor should do about each.

Kept apart from the statistics so the lines the flags draw (and the plots that draw them too) are in one place.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .itemresults import OverallStats

__all__ = [
    "DISCRIMINATION_LOW",
    "EFFICIENCY_LOW",
    "FACILITY_HIGH",
    "FACILITY_LOW",
    "MIN_LEARNERS",
    "NOTES",
    "Flag",
    "item_flags",
    "sample_warnings",
]

MIN_LEARNERS = 30
"""Below this many learners chance alone moves a facility index by up to +/-18 points (95 % range for a 50 %
item) and a discrimination index by about +/-0.38 (Fisher z), more than the 0.30 line the flags use."""
FACILITY_LOW, FACILITY_HIGH, DISCRIMINATION_LOW, EFFICIENCY_LOW = 0.05, 0.95, 0.30, 0.15

NOTES = {
    "very_hard": "Almost nobody got this right (facility 5 % or less). Check the answer key first, then whether "
    "the wording is clear and the module really teaches this.",
    "very_easy": "Almost everybody got this right (facility 95 % or more), so it cannot tell learners apart. Keep "
    "it only if it checks something everyone must know; otherwise make it harder or drop it.",
    "negative_discrimination": "Learners who did well on the rest of the quiz did worse on this item than those "
    "who did poorly. Check the answer key, then look for wording or an option that misleads those who know more.",
    "low_discrimination": "This item barely separates learners who know the material from those who do not "
    "(discrimination below 0.30). Look for ambiguous wording, a clue that gives the answer away, or a topic "
    "the rest of the quiz does not cover.",
    "low_efficiency": "This item uses less than 15 % of the discrimination its difficulty allows (Moodle marks "
    "such items as dubious). Review it together with its other numbers.",
    "few_learners": "Only {n} learners answered this on a first attempt (fewer than {min}): treat its numbers as a "
    "first impression, not a verdict.",
}


@dataclass(frozen=True)
class Flag:
    """A reason to look at an item, with what an instructor should do about it."""

    code: str
    note: str


def item_flags(n: int, f: float | None, d: float | None, e: float | None, min_learners: int) -> tuple[Flag, ...]:
    """Each flag rule, in the order an instructor should check them."""
    codes = []
    if f is not None and f <= FACILITY_LOW:
        codes.append("very_hard")
    if f is not None and f >= FACILITY_HIGH:
        codes.append("very_easy")
    if d is not None and d < 0:
        codes.append("negative_discrimination")
    elif d is not None and d < DISCRIMINATION_LOW:
        codes.append("low_discrimination")
    if e is not None and e < EFFICIENCY_LOW:
        codes.append("low_efficiency")
    if 0 < n < min_learners:
        codes.append("few_learners")
    return tuple(Flag(c, NOTES[c].format(n=n, min=min_learners)) for c in codes)


def sample_warnings(test: OverallStats, unanswered: int, min_learners: int) -> tuple[str, ...]:
    """Plain words on when the numbers are too thin to act on."""
    if test.learners == 0:
        return ("No learner has answered yet, so there is nothing to analyse.",)
    out = []
    if test.learners < min_learners:
        out.append(
            f"Only {test.learners} learners have answered. Item statistics need at least {min_learners} to mean much: "
            "with fewer, chance alone moves a facility index by up to ±18 percentage points and a discrimination "
            "index by about ±0.38, more than the 0.30 line the flags use. Read the flags as prompts to look, not verdicts."
        )
    if test.complete < min_learners:
        out.append(
            f"The test statistics (Cronbach's alpha, error ratio, standard error) use only the {test.complete} learners "
            f"who answered every item, fewer than {min_learners}: alpha from so few is unreliable."
        )
    if unanswered:
        out.append(f"{unanswered} items have no first-attempt answers yet (or no marks) and are left out of the statistics.")
    return tuple(out)
