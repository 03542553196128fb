"""Item analysis with Moodle's quiz statistics definitions, on first attempts, as whole-array numpy work.

Definitions (Moodle ``question/classes/statistics/questions/calculator.php`` and
``mod/quiz/report/statistics/classes/calculator.php``; docs.moodle.org/dev/Quiz_statistics_calculations):

- facility index F = mean item score / item maximum
- standard deviation: sample SD (n - 1) of the item score, reported as a share of the item maximum
- discrimination index D = correlation of the item score with the rest of the test (total minus this item)
- discriminative efficiency E = cov(item, rest) / cov(sorted item, sorted rest), the largest covariance the two
  score distributions allow
- effective weight W = sqrt(cov(item, total)) / sum of sqrt(cov(j, total)) over items with cov >= 0
  (undefined, like Moodle's "negative covariance", when cov < 0)
- coefficient of internal consistency (Cronbach's alpha; KR-20 for 0/1 items) = k/(k-1) (1 - sum var_i / var_total)
- error ratio = sqrt(1 - alpha); standard error = error ratio x SD of the total

Missing answers. A learner who has not answered an item has not got it wrong, so it is never scored 0:
an item's facility, SD and distractor counts use the learners who answered it (Moodle counts the attempts
in which the question appeared). For the rest score, each learner's share of the points on the other items
they answered is used; with complete data this is (total - item) / constant, exactly Moodle's rest of the
test, and otherwise it fills unanswered items with the learner's own rate. Alpha needs every item from every
learner, so the test statistics use the learners who answered all analysed items (the count is reported).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from .distractors import OptionStats, count_options, option_stats
from .matrix import AnswerRecord, Answers, ItemInfo, ScoreMatrix, score_matrix

__all__ = [
    "MIN_LEARNERS",
    "Flag",
    "ItemAnalysis",
    "ItemStats",
    "OverallStats",
    "analyse",
    "item_statistics",
    "overall_statistics",
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


@dataclass(frozen=True)
class ItemStats:
    """One item's statistics. Shares are 0..1 (Moodle shows them as %); None where a value is undefined."""

    question_id: str
    module: str
    parent_id: str | None
    type: str
    prompt: str
    n: int
    max_score: float
    facility: float | None
    sd: float | None
    discrimination: float | None
    efficiency: float | None
    effective_weight: float | None
    flags: tuple[Flag, ...] = ()
    options: tuple[OptionStats, ...] = ()
    unmatched: int = 0


@dataclass(frozen=True)
class OverallStats:
    """Whole-test statistics over the learners who answered every analysed item (``complete``); scores in points."""

    learners: int
    complete: int
    items: int
    max_score: float
    mean: float | None
    median: float | None
    sd: float | None
    skewness: float | None
    kurtosis: float | None
    alpha: float | None
    error_ratio: float | None
    standard_error: float | None


@dataclass(frozen=True)
class ItemAnalysis:
    """Per-item and test-level results; ``cases`` maps each case to its parts, in display order.

    ``test`` treats every analysed item as one test (the rest score then draws on the whole course);
    ``modules`` holds the same statistics for each module's quiz on its own, as Moodle reports one quiz.
    """

    items: tuple[ItemStats, ...]
    test: OverallStats
    cases: Mapping[str, tuple[str, ...]]
    warnings: tuple[str, ...]
    min_learners: int = MIN_LEARNERS
    modules: Mapping[str, OverallStats] = field(default_factory=dict)

    def item(self, question_id: str) -> ItemStats:
        return next(s for s in self.items if s.question_id == question_id)

    def flagged(self) -> tuple[ItemStats, ...]:
        return tuple(s for s in self.items if any(f.code != "few_learners" for f in s.flags))

    def as_rows(self) -> list[dict[str, Any]]:
        """One row per item for ``items.csv`` (columns documented in ``report.CSV_COLUMNS``)."""
        return [
            {
                "question_id": s.question_id,
                "case_id": s.parent_id or "",
                "module": s.module,
                "type": s.type,
                "prompt": s.prompt,
                "learners": s.n,
                "max_score": s.max_score,
                "facility": s.facility,
                "sd": s.sd,
                "discrimination": s.discrimination,
                "efficiency": s.efficiency,
                "effective_weight": s.effective_weight,
                "flags": ";".join(f.code for f in s.flags),
                "notes": " | ".join(f.note for f in s.flags),
            }
            for s in self.items
        ]

    def distractor_rows(self) -> list[dict[str, Any]]:
        """One row per option of every choice item, for ``distractors.csv``."""
        return [
            {
                "question_id": s.question_id,
                "case_id": s.parent_id or "",
                "module": s.module,
                "option_id": o.option_id,
                "option_text": o.text,
                "correct": o.correct,
                "learners": s.n,
                "count": o.count,
                "share": o.share,
                "note": o.note,
            }
            for s in self.items
            for o in s.options
        ]


def item_statistics(scores: np.ndarray, max_scores: np.ndarray) -> dict[str, np.ndarray]:
    """Per-item Moodle statistics for a learners x items matrix (points, NaN = not answered); NaN = undefined."""
    with np.errstate(divide="ignore", invalid="ignore"):
        a = ~np.isnan(scores)
        x = np.where(a, scores, 0.0)
        n = a.sum(0)
        mean = x.sum(0) / n
        dev = np.where(a, x - mean, 0.0)
        var = np.where(n > 1, (dev * dev).sum(0) / (n - 1), np.nan)
        facility = np.where((n > 0) & (max_scores > 0), mean / max_scores, np.nan)
        sd = np.sqrt(var) / np.where(max_scores > 0, max_scores, np.nan)

        total = x.sum(1)
        answered_max = a.astype(float) @ max_scores
        other_max = answered_max[:, None] - max_scores[None, :]
        other_max = np.where(other_max > 1e-9 * max_scores.sum(), other_max, np.nan)  # nothing else answered
        rest = (total[:, None] - x) / other_max  # the learner's share of the points on the other items answered
        b = a & np.isfinite(rest)
        nb = b.sum(0)
        xb = np.where(b, x - np.where(b, x, 0).sum(0) / nb, 0.0)
        rb = np.where(b, rest - np.where(b, rest, 0).sum(0) / nb, 0.0)
        sxy, sxx, syy = (xb * rb).sum(0), (xb * xb).sum(0), (rb * rb).sum(0)
        ok = (nb > 1) & (sxx > 0) & (syy > 0)
        discrimination = np.where(ok, sxy / np.sqrt(sxx * syy), np.nan)

        # Largest covariance the two distributions allow: pair them in sorted order (the valid rows sort first).
        valid = np.arange(len(scores))[:, None] < nb[None, :]
        xs = np.sort(np.where(b, xb, np.inf), axis=0)
        rs = np.sort(np.where(b, rb, np.inf), axis=0)
        smax = (np.where(valid, xs, 0.0) * np.where(valid, rs, 0.0)).sum(0)
        efficiency = np.where((nb > 1) & (smax > 0), sxy / smax, np.nan)

        share = total / answered_max  # the learner's overall rate, so unanswered items do not count as wrong
        s_dev = np.where(a, share[:, None] - np.where(a, share[:, None], 0).sum(0) / n, 0.0)
        cov_total = np.where(n > 1, (dev * s_dev).sum(0) / (n - 1), np.nan)
        root = np.sqrt(np.where(cov_total >= 0, cov_total, 0.0))
        weight = np.where(cov_total >= 0, root / root.sum(), np.nan) if root.sum() > 0 else np.full(len(n), np.nan)
    return {
        "n": n,
        "facility": facility,
        "sd": sd,
        "discrimination": discrimination,
        "efficiency": efficiency,
        "effective_weight": weight,
        "variance": var,
    }


def overall_statistics(scores: np.ndarray, max_scores: np.ndarray) -> OverallStats:
    """Moodle's test statistics over the learners who answered every item (alpha needs a full matrix)."""
    a = ~np.isnan(scores)
    complete = a.all(1) & a.any(1)
    x = scores[complete]
    s, k = len(x), scores.shape[1]
    v: dict[str, float | None] = dict.fromkeys(("mean", "median", "sd", "skewness", "kurtosis", "alpha", "error_ratio", "standard_error"))
    if s and k:
        t = x.sum(1)
        d = t - t.mean()
        v["mean"], v["median"] = float(t.mean()), float(np.median(t))
        if s > 1:
            m2, m3, m4 = (d**2).mean(), (d**3).mean(), (d**4).mean()
            k2 = s * m2 / (s - 1)  # Moodle's k2: the sample variance of the totals
            sd = float(np.sqrt(k2))
            v["sd"] = sd
            if s > 2 and k2 > 0:
                v["skewness"] = float(s * s * m3 / ((s - 1) * (s - 2)) / k2**1.5)
                if s > 3:
                    k4 = s * s * ((s + 1) * m4 - 3 * (s - 1) * m2 * m2) / ((s - 1) * (s - 2) * (s - 3))
                    v["kurtosis"] = float(k4 / k2**2)
            if k > 1 and k2 > 0:
                alpha = float(k / (k - 1) * (1 - x.var(axis=0, ddof=1).sum() / k2))
                error_ratio = float(np.sqrt(1 - alpha))
                v.update(alpha=alpha, error_ratio=error_ratio, standard_error=error_ratio * sd)
    return OverallStats(learners=int(a.any(1).sum()), complete=s, items=k, max_score=float(max_scores.sum()), **v)


def _value(v: float) -> float | None:
    return None if np.isnan(v) else float(v)


def _flags(n: int, f: float | None, d: float | None, e: float | None, min_learners: int) -> tuple[Flag, ...]:
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


def analyse(
    records: Iterable[AnswerRecord] | Answers | ScoreMatrix,
    items: Mapping[str, ItemInfo],
    *,
    modules: Sequence[str] = (),
    min_learners: int = MIN_LEARNERS,
) -> ItemAnalysis:
    """Item analysis of first attempts for every answerable item in ``items`` (case parts as parts).

    For Moodle's numbers for one quiz alone (rest score within the quiz), pass only that module's items.
    """
    mx = records if isinstance(records, ScoreMatrix) else score_matrix(records, items, which="first", modules=modules)
    used = (~np.isnan(mx.scores)).any(0) & (mx.max_scores > 0)
    stats = item_statistics(mx.scores[:, used], mx.max_scores[used])
    per_col = {key: np.full(len(used), np.nan) for key in stats}
    for key, values in stats.items():
        per_col[key][used] = values
    options = count_options(mx, items)
    answered = (~np.isnan(mx.scores)).sum(0)
    out = []
    for i, qid in enumerate(mx.item_ids):
        info = items[qid]
        n = int(answered[i])
        f, d, e = (_value(per_col[k][i]) for k in ("facility", "discrimination", "efficiency"))
        counts, unmatched = options.get(qid, (np.zeros(len(info.options), np.int64), 0))
        out.append(
            ItemStats(
                question_id=qid,
                module=info.module,
                parent_id=info.parent_id,
                type=info.type,
                prompt=info.prompt,
                n=n,
                max_score=float(mx.max_scores[i]),
                facility=f,
                sd=_value(per_col["sd"][i]),
                discrimination=d,
                efficiency=e,
                effective_weight=_value(per_col["effective_weight"][i]),
                flags=_flags(n, f, d, e, min_learners),
                options=option_stats(info, counts, n, min_learners),
                unmatched=int(unmatched),
            )
        )
    test = overall_statistics(mx.scores[:, used], mx.max_scores[used])
    module_of = np.array([items[q].module for q in mx.item_ids], dtype=object)
    per_module = {
        m: overall_statistics(mx.scores[:, used & (module_of == m)], mx.max_scores[used & (module_of == m)])
        for m in dict.fromkeys(module_of.tolist())
    }
    return ItemAnalysis(
        items=tuple(out),
        test=test,
        cases=mx.layout.cases,
        warnings=mx.warnings + _sample_warnings(test, int((~used).sum()), min_learners),
        min_learners=min_learners,
        modules=per_module,
    )


def _sample_warnings(test: OverallStats, unanswered: int, min_learners: int) -> tuple[str, ...]:
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
