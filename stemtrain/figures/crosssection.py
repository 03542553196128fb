"""The schematic cross-section of a lumbar level that the module 05 figures draw and the needle path is worked out on.

Each structure is an ellipse in schematic cm (x: to the side, y: towards the front; the back is at the bottom).
Sizes are illustrative, not measured: a teaching toy, not a procedure guide.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .base import OKABE_ITO

__all__ = [
    "DISC",
    "MIDLINE_PARTS",
    "NUCLEUS",
    "SIDE_PARTS",
    "SKIN_A",
    "SKIN_B",
    "SKIN_CY",
    "SKIN_P",
    "Part",
    "parts_for_side",
    "skin_y",
]


@dataclass(frozen=True)
class Part:
    """One structure of the schematic cross-section, as an ellipse in cm (x: to the side, y: towards the front)."""

    name: str
    cx: float
    cy: float
    a: float
    b: float
    blocks: bool  # True if a needle must not pass through it
    face: str

    def contains(self, x: np.ndarray, y: np.ndarray) -> np.ndarray:
        """Which points lie inside the ellipse."""
        return ((x - self.cx) / self.a) ** 2 + ((y - self.cy) / self.b) ** 2 <= 1.0


# Schematic axial slice at a lumbar disc, patient's back at the bottom. Sizes are illustrative, not measured.
MIDLINE_PARTS = [
    Part("spinous process and lamina (bone)", 0.0, -5.0, 0.45, 1.3, True, "#E9DFC9"),
    Part("spinal canal (nerves)", 0.0, -2.75, 1.05, 0.85, True, "#EEF6FB"),
]
SIDE_PARTS = [  # drawn on both sides
    Part("back muscles", 2.9, -5.7, 2.0, 1.6, False, "#F6D5CF"),
    Part("psoas muscle (too far to the side)", 4.0, 0.4, 1.2, 1.9, True, "#F6D5CF"),
    Part("superior articular process (facet joint bone)", 2.0, -3.5, 0.7, 0.6, True, "#E9DFC9"),
    Part("lamina (bone)", 1.05, -3.95, 0.85, 0.35, True, "#E9DFC9"),
    Part("nerve root", 2.9, -1.75, 0.38, 0.32, True, OKABE_ITO["yellow"]),
]
DISC = Part("outer ring of the disc (annulus)", 0.0, 0.0, 2.4, 1.7, False, "#F3C98B")
NUCLEUS = Part("disc centre (nucleus)", 0.0, 0.05, 1.2, 0.8, False, OKABE_ITO["sky_blue"])
SKIN_A, SKIN_B, SKIN_CY, SKIN_P = 14.0, 8.5, -0.5, 6.0


def skin_y(x: float) -> float:
    """Height of the back's skin at a distance x from the midline (a flat-backed superellipse)."""
    u = min(abs(x) / SKIN_A, 0.999)
    return float(SKIN_CY - SKIN_B * (1.0 - u**SKIN_P) ** (1.0 / SKIN_P))


def parts_for_side(side: float) -> list[Part]:
    """Midline parts plus one side's parts, mirrored to the needle's side."""
    s = 1.0 if side >= 0 else -1.0
    mirrored = [Part(p.name, s * p.cx, p.cy, p.a, p.b, p.blocks, p.face) for p in SIDE_PARTS]
    return MIDLINE_PARTS + mirrored
