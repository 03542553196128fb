"""Item analysis of first attempts: Moodle's statistics for every item, its flags and its options, per module too.

The formulas (and how missing answers are handled) are in ``moodlestats``, the flag rules in ``flags`` and the
result types in ``itemresults``; their public names are importable from here as before.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

import numpy as np

from .distractors import count_options, option_stats
from .flags import MIN_LEARNERS, Flag, item_flags, sample_warnings
from .itemresults import ItemAnalysis, ItemStats, OverallStats
from .matrix import AnswerRecord, Answers, ItemInfo, ScoreMatrix, score_matrix
from .moodlestats import item_statistics, overall_statistics

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


def _value(v: float) -> float | None:
    return None if np.isnan(v) else float(v)


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
                flags=item_flags(n, f, d, e, min_learners),
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
        warnings=mx.warnings + sample_warnings(test, int((~used).sum()), min_learners),
        min_learners=min_learners,
        modules=per_module,
    )
