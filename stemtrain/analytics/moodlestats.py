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

import numpy as np

from .itemresults import OverallStats

__all__ = ["item_statistics", "overall_statistics"]


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
