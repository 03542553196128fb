"""The fairness figures a reviewer wants per bank and for the course: key-longest share, length ratios, true/false split."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from .fairnessitems import single_choice_items, true_false_items
from .yamlsource import Located

__all__ = ["fairness_stats"]


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
        singles = single_choice_items(located)
        for _, _, (_, key_len, others) in singles:
            longest += key_len > max(others)
            if min(others) > 0:
                ratios_mean.append(key_len / statistics.mean(others))
                ratios_top.append(key_len / max(others))
        tf = [q["answer"] for _, q in true_false_items(located)]
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
