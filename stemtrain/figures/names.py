"""The teaching figures by name, with no imports: what banks may name, checked without loading matplotlib."""

from __future__ import annotations

__all__ = ["COURSE_MODULE", "FIGURES", "HOME", "is_figure"]

HOME: dict[str, str] = {
    "TeachingFigure": "base",
    "new_figure": "base",
    "InteractiveFigure": "interactive",
    "motion_segment": "spine",
    "draw_pfirrmann": "pfirrmann",
    "pfirrmann_explorer": "spine",
    "herniation_types": "spine",
    "lineage_diagram": "cells",
    "isct_verdict": "cells",
    "draw_isct_check": "cells",
    "isct_check_explorer": "cells",
    "source_comparison": "sources",
    "harvest_sites": "sources",
    "evidence_map": "applications",
    "needle_path_result": "needlepath",
    "draw_needle_path": "needlepath",
    "needle_path_explorer": "delivery",
    "guidance_comparison": "delivery",
    "numbered_anatomy": "delivery",
    "responder_rates": "evidence",
    "progress_chart": "progress",
}
"""Each public name and the ``stemtrain.figures`` module it is imported from."""

COURSE_MODULE: dict[str, str] = {"pfirrmann": "spine", "needlepath": "delivery"}
"""Drawing modules split off a course module's figures, and the course module whose name banks use for them."""

FIGURES = frozenset(f"{COURSE_MODULE.get(module, module)}.{name}" for name, module in HOME.items() if module not in ("base", "interactive"))
"""Every figure a bank or notebook may name, as ``"module.function"``."""


def is_figure(name: str) -> bool:
    """True for a figure name like ``"spine.motion_segment"``."""
    return name in FIGURES
