"""Class results and Moodle-style item analysis over answer records: pure numpy functions, plots and a report.

Analytics reads records and never reaches back into views. Names are resolved lazily, so
``import stemtrain.analytics`` stays light and matplotlib is imported only for plots and the report::

    from stemtrain.analytics import ItemInfo, analyse, summarise, write_report

    analysis = analyse(records, items)            # first attempts, Moodle's definitions
    summary = summarise(records, modules, items)  # completion and pass per learner and module
    write_report(records, items, modules, "class-report", pseudonymise=True)
"""

from __future__ import annotations

import importlib
from typing import Any

__all__ = [
    # report
    "CSV_COLUMNS",
    # items
    "MIN_LEARNERS",
    # matrix
    "AnswerRecord",
    "Answers",
    "ClassSummary",
    "Flag",
    "ItemAnalysis",
    "ItemInfo",
    "ItemStats",
    "ModuleDifficulty",
    # summary
    "ModuleResult",
    # distractors
    "OptionStats",
    "OverallStats",
    "ScoreMatrix",
    "analyse",
    "count_options",
    "plot_distractors",
    "plot_facility_discrimination",
    "plot_module_difficulty",
    # plots
    "plot_score_histogram",
    "pseudonyms",
    "score_matrix",
    "summarise",
    "write_report",
]

_HOME = {
    **dict.fromkeys(("AnswerRecord", "ItemInfo", "Answers", "ScoreMatrix", "score_matrix"), "matrix"),
    **dict.fromkeys(("MIN_LEARNERS", "Flag"), "flags"),
    **dict.fromkeys(("ItemStats", "OverallStats", "ItemAnalysis"), "itemresults"),
    "analyse": "items",
    **dict.fromkeys(("OptionStats", "count_options"), "distractors"),
    **dict.fromkeys(("ModuleResult", "ModuleDifficulty", "ClassSummary", "summarise"), "summary"),
    **dict.fromkeys(("plot_score_histogram", "plot_facility_discrimination", "plot_module_difficulty", "plot_distractors"), "plots"),
    "CSV_COLUMNS": "csvfiles",
    **dict.fromkeys(("pseudonyms", "write_report"), "report"),
}


def __getattr__(name: str) -> Any:
    if name in _HOME:
        return getattr(importlib.import_module(f"{__name__}.{_HOME[name]}"), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(__all__)
