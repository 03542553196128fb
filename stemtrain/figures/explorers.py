"""The interactive figures' controls, kept apart from the drawing code.

Building an explorer imports only the widget libraries; its pictures come from the figure cache, so a module
opens without importing matplotlib unless a view has never been drawn.
"""

from __future__ import annotations

from collections.abc import Callable

import ipywidgets

from ..frontend.controls import RangeControl
from .interactive import InteractiveFigure

__all__ = ["EXPLORERS", "isct_check_explorer", "needle_path_explorer", "pfirrmann_explorer"]


def pfirrmann_explorer() -> InteractiveFigure:
    """Let learners step through grades 1–5 and see the disc darken and flatten."""
    slider = RangeControl(value=1, min=1, max=5, step=1, integer=True, description="Pfirrmann grade")
    return InteractiveFigure("pfirrmann:draw_pfirrmann", slider, "Pfirrmann grade explorer")


def isct_check_explorer() -> InteractiveFigure:
    """Let learners move marker results and see when a batch stops counting as MSCs (and why that is not potency)."""

    def slider(label: str, value: float) -> RangeControl:
        return RangeControl(value=value, min=0.0, max=100.0, step=0.5, unit="%", description=f"{label} (% of cells)")

    # An invented example batch that passes (learner input, not data from the evidence sheet).
    controls = {
        "cd105": slider("CD105", 98.0),
        "cd73": slider("CD73", 99.0),
        "cd90": slider("CD90", 97.0),
        "cd45": slider("CD45", 1.0),
        "cd34": slider("CD34", 0.5),
        "hla_dr": slider("HLA-DR", 0.5),
        "plastic_adherent": ipywidgets.Checkbox(value=True, description="Sticks to plastic in the dish", indent=False),
        "trilineage": ipywidgets.Checkbox(value=True, description="Turns into bone, fat and cartilage cells", indent=False),
    }
    return InteractiveFigure("cells:_draw_isct_figure", controls, "ISCT criteria check")


def needle_path_explorer() -> InteractiveFigure:
    """Let learners try entry points and angles and see which ones reach the disc centre on a schematic."""
    controls = {
        "angle_deg": RangeControl(value=40, min=0, max=60, step=1, integer=True, unit="°", description="Needle angle from straight ahead"),
        "offset_cm": RangeControl(value=8.0, min=0.0, max=12.0, step=0.5, unit=" cm", description="Entry point distance from the midline"),
    }
    return InteractiveFigure("needlepath:draw_needle_path", controls, "Needle path explorer")


EXPLORERS: dict[str, Callable[[], InteractiveFigure]] = {
    "spine.pfirrmann_explorer": pfirrmann_explorer,
    "cells.isct_check_explorer": isct_check_explorer,
    "delivery.needle_path_explorer": needle_path_explorer,
}
