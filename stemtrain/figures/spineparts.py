"""Colours and shapes shared by the spine figures, so the motion segment and the Pfirrmann grades draw bone alike."""

from __future__ import annotations

from matplotlib.axes import Axes
from matplotlib.patches import FancyBboxPatch

from .base import OKABE_ITO

__all__ = ["ANNULUS", "BONE", "BONE_EDGE", "NERVE", "NUCLEUS", "vertebral_body"]

BONE = "#E9DFC9"
BONE_EDGE = "#7A6A4F"
NERVE = OKABE_ITO["yellow"]
NUCLEUS = OKABE_ITO["sky_blue"]
ANNULUS = "#F3C98B"


def vertebral_body(
    ax: Axes,
    x0: float,
    y0: float,
    x1: float,
    y1: float,
    *,
    face: str = BONE,
    edge: str = BONE_EDGE,
    pad: float = 0.25,
    z: float = 2,
    lw: float = 1.2,
) -> None:
    """A rounded box, used for vertebral bodies."""
    ax.add_patch(
        FancyBboxPatch(
            (x0 + pad, y0 + pad),
            x1 - x0 - 2 * pad,
            y1 - y0 - 2 * pad,
            boxstyle=f"round,pad={pad}",
            facecolor=face,
            edgecolor=edge,
            lw=lw,
            zorder=z,
        )
    )
