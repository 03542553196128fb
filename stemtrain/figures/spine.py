"""Spine anatomy figures for module 01: the motion segment and the herniation types.

The Pfirrmann grade figure is in ``pfirrmann`` (re-exported here); colours and the vertebral body are in ``spineparts``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
from matplotlib.patches import Ellipse, FancyBboxPatch, Polygon, Rectangle

from .base import TeachingFigure, as_diagram, label_part, new_figure, schematic_note, styled
from .pfirrmann import PFIRRMANN_ROWS, draw_pfirrmann
from .spineparts import ANNULUS, BONE, BONE_EDGE, NERVE, NUCLEUS, vertebral_body

if TYPE_CHECKING:
    pass

__all__ = ["PFIRRMANN_ROWS", "draw_pfirrmann", "herniation_types", "motion_segment"]


@styled
def motion_segment() -> TeachingFigure:
    """Name the parts of one lumbar 'motion segment' so later modules can refer to them."""
    title = "One lumbar motion segment, seen from the side"
    fig = new_figure(7.5, 4.4)
    ax = fig.add_subplot()
    as_diagram(ax, (-6.2, 13.2), (-1.3, 8.0))
    ax.set_title(title)

    # Spinal canal: runs behind the bodies, partly hidden by the pedicles (dashed outline).
    ax.add_patch(Rectangle((4.0, -0.6), 1.4, 8.2, facecolor="#EEF6FB", edgecolor="#5A7D95", lw=1.0, ls="--", zorder=0))
    # Vertebral bodies.
    vertebral_body(ax, 0.0, 4.2, 4.0, 7.2)
    vertebral_body(ax, 0.0, -0.2, 4.0, 3.0)
    # Endplates: thin plates on the body surfaces next to the disc.
    ax.add_patch(Rectangle((0.05, 4.2), 3.9, 0.16, facecolor="#8C7A57", edgecolor="none", zorder=3))
    ax.add_patch(Rectangle((0.05, 2.84), 3.9, 0.16, facecolor="#8C7A57", edgecolor="none", zorder=3))
    # Disc: annulus (outer rings) and nucleus (centre).
    ax.add_patch(
        FancyBboxPatch(
            (-0.05, 3.0), 4.1, 1.2, boxstyle="round,pad=0.02,rounding_size=0.5", facecolor=ANNULUS, edgecolor=BONE_EDGE, lw=1.0, zorder=2
        )
    )
    for inset in (0.18, 0.36):
        ax.add_patch(
            FancyBboxPatch(
                (-0.05 + inset, 3.0 + inset * 0.45),
                4.1 - 2 * inset,
                1.2 - inset * 0.9,
                boxstyle="round,pad=0.02,rounding_size=0.4",
                facecolor="none",
                edgecolor="#C8964A",
                lw=0.8,
                zorder=2,
            )
        )
    ax.add_patch(Ellipse((2.1, 3.6), 1.9, 0.62, facecolor=NUCLEUS, edgecolor="#2F6F99", lw=1.0, zorder=3))
    # Pedicles join each body to the arch behind it.
    for y0 in (5.9, 1.6):
        ax.add_patch(Rectangle((3.8, y0), 1.7, 1.0, facecolor=BONE, edgecolor=BONE_EDGE, lw=1.2, zorder=2))
    # Posterior arches with the articular processes forming the facet joint.
    upper_arch = [(5.4, 7.2), (6.7, 7.2), (6.7, 5.0), (6.5, 3.3), (5.7, 3.3), (5.6, 4.9), (5.4, 5.6)]
    lower_arch = [(5.4, 0.0), (6.7, 0.0), (6.7, 2.5), (5.55, 2.7), (5.5, 4.6), (5.0, 4.6), (4.95, 2.9), (5.4, 2.6)]
    for pts in (upper_arch, lower_arch):
        ax.add_patch(Polygon(pts, closed=True, facecolor=BONE, edgecolor=BONE_EDGE, lw=1.2, zorder=2))
    ax.plot([5.57, 5.62], [2.8, 4.6], color="#4A3B22", lw=2.2, zorder=4)  # facet joint line
    # Spinous processes.
    ax.add_patch(Polygon([(6.7, 5.3), (6.7, 7.0), (8.8, 6.3), (8.8, 5.5)], facecolor=BONE, edgecolor=BONE_EDGE, lw=1.2, zorder=2))
    ax.add_patch(Polygon([(6.7, 0.5), (6.7, 2.3), (8.8, 1.7), (8.8, 0.9)], facecolor=BONE, edgecolor=BONE_EDGE, lw=1.2, zorder=2))
    # Nerve root leaving through the foramen (the gap between the two pedicles).
    ax.add_patch(Ellipse((4.5, 5.05), 0.75, 1.05, facecolor=NERVE, edgecolor="#8A7A00", lw=1.0, zorder=3))

    left = -0.6
    label_part(ax, "Vertebral body", (1.0, 6.2), (left, 6.9), ha="right")
    label_part(ax, "Endplate", (0.8, 4.28), (left, 5.05), ha="right")
    label_part(ax, "Nucleus pulposus\n(gel-like centre)", (1.5, 3.6), (left, 3.85), ha="right")
    label_part(ax, "Annulus fibrosus\n(tough outer rings)", (0.12, 3.25), (left, 2.45), ha="right")
    label_part(ax, "Vertebral body", (1.0, 1.0), (left, 0.6), ha="right")
    right = 9.3
    label_part(ax, "Spinal canal (behind\nthe pedicles; nerves)", (4.7, 7.4), (right, 7.35))
    label_part(ax, "Pedicle", (4.7, 6.4), (right, 6.55))
    label_part(ax, "Nerve root leaving\nthrough the foramen", (4.55, 5.05), (right, 4.9))
    label_part(ax, "Facet joint", (5.6, 3.7), (right, 3.55))
    label_part(ax, "Spinous process", (8.2, 1.5), (right, 1.6))
    label_part(ax, "Intervertebral disc", (3.7, 3.35), (right, 2.55))
    ax.annotate("", xy=(-1.8, -0.9), xytext=(1.8, -0.9), arrowprops={"arrowstyle": "->", "color": "#555555"})
    ax.text(-1.9, -0.9, "front (belly side)", ha="right", va="center", fontsize=9.5, color="#555555")
    ax.annotate("", xy=(9.0, -0.9), xytext=(6.6, -0.9), arrowprops={"arrowstyle": "->", "color": "#555555"})
    ax.text(9.1, -0.9, "back", ha="left", va="center", fontsize=9.5, color="#555555")
    schematic_note(fig)

    description = (
        "Side view of one lumbar motion segment: two vertebral bodies stacked on top of each other with an "
        "intervertebral disc between them. The disc has a gel-like centre, the nucleus pulposus, wrapped in tough "
        "outer rings, the annulus fibrosus. Thin endplates cover the bone surfaces above and below the disc. "
        "Behind each body a short bony bridge, the pedicle, joins it to the arch at the back; where the arches of "
        "the two vertebrae meet they form the facet joint. The spinal canal runs behind the bodies and carries "
        "the nerves; a nerve root leaves through the gap between the two pedicles (the foramen), just behind the "
        "disc. The spinous process is the bony point you can feel in the middle of the back. "
        "Schematic, not to scale, for teaching."
    )
    return TeachingFigure(fig, title, description)


def _disc_outline(n: int = 240) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Angles and points of a kidney-shaped disc seen from above (front at the top)."""
    theta = np.linspace(0, 2 * np.pi, n, endpoint=False)
    x = 2.2 * np.cos(theta)
    y = 1.5 * np.sin(theta)
    y = y + 0.45 * np.exp(-((x / 0.9) ** 2)) * (np.sin(theta) < 0)  # concave back edge facing the canal
    return theta, x, y


def _bump(theta: np.ndarray, centre_deg: float, width_deg: float, size: float) -> np.ndarray:
    """A smooth outward bulge of the disc edge around one angle."""
    d = np.angle(np.exp(1j * (theta - np.deg2rad(centre_deg))))
    bulge: np.ndarray = size * np.exp(-((d / np.deg2rad(width_deg)) ** 2))
    return bulge


@styled
def herniation_types() -> TeachingFigure:
    """Show the four agreed words for disc displacement, since MRI reports and clinic leaflets use them."""
    title = "Disc bulge and herniation types, seen from above"
    fig = new_figure(7.5, 6.0)
    fig.suptitle(title)
    axes = fig.subplots(2, 2)
    # Fact 75 (Lumbar disc nomenclature 2.0) definitions, one line each.
    captions = [
        ("Bulge", "beyond the edge over more than 90°\nof the disc's rim"),
        ("Protrusion", "focal (under 90°);\nbase wider than the tip"),
        ("Extrusion", "tip wider than its base;\nthrough a tear in the outer ring"),
        ("Sequestration", "a piece has broken off\nand lost contact with the disc"),
    ]
    theta, x0, y0 = _disc_outline()
    r = np.hypot(x0, y0)
    ux, uy = x0 / r, y0 / r
    for k, ax in enumerate(axes.flat):
        as_diagram(ax, (-3.2, 3.2), (-4.0, 2.2))
        name, text = captions[k]
        ax.set_title(f"{name}:\n{text}", fontsize=10.5, fontweight="normal", linespacing=1.2)
        ax.add_patch(Ellipse((0, -2.75), 1.9, 1.4, facecolor="#EEF6FB", edgecolor="#5A7D95", lw=1.0, zorder=1))
        if k == 0:
            d = _bump(theta, 270, 70, 0.38)  # broad: well over 90 degrees of the rim
        elif k == 1:
            d = _bump(theta, 270, 16, 0.55)
        else:
            d = np.zeros_like(theta)
        ax.fill(x0 + d * ux, y0 + d * uy, facecolor=ANNULUS, edgecolor=BONE_EDGE, lw=1.2, zorder=2)
        ax.add_patch(Ellipse((0, 0.15), 2.0, 1.2, facecolor=NUCLEUS, edgecolor="#2F6F99", lw=1.0, zorder=3))
        ax.plot(x0, y0, ls="--", color="#333333", lw=1.0, zorder=4)  # normal edge of the disc
        if k == 2:  # extrusion: narrow neck, wide dome
            ax.add_patch(Rectangle((-0.17, -1.45), 0.34, 0.75, facecolor=NUCLEUS, edgecolor="none", zorder=5))
            ax.add_patch(Ellipse((0, -1.75), 1.1, 0.6, facecolor=NUCLEUS, edgecolor="#2F6F99", lw=1.0, zorder=5))
        if k == 3:  # sequestration: free fragment, tear left behind
            ax.add_patch(Rectangle((-0.12, -1.2), 0.24, 0.5, facecolor=NUCLEUS, edgecolor="none", zorder=5))
            ax.add_patch(Ellipse((0.25, -2.35), 0.75, 0.5, angle=20, facecolor=NUCLEUS, edgecolor="#2F6F99", lw=1.0, zorder=5))
        if k == 0:
            ax.text(0, 1.85, "front", ha="center", va="center", fontsize=9, color="#555555")
            label_part(ax, "spinal\ncanal", (0.6, -3.1), (1.7, -3.4), fontsize=9)
            label_part(ax, "normal\ndisc edge", (-1.9, -0.8), (-3.1, -2.6), fontsize=9)
    schematic_note(fig)

    description = (
        "Four top-down views of a lumbar disc, with the spinal canal behind it and the disc's normal edge drawn as "
        "a dashed line. Bulge: disc tissue reaches beyond the normal edge over a wide part of the rim (more than "
        "90 degrees). Protrusion: a focal bump, covering less than 90 degrees, whose base is wider than its tip. "
        "Extrusion: disc material pushes through a tear in the outer ring, and its tip is wider than its base. "
        "Sequestration: a piece of disc has broken off and no longer connects to the disc. "
        "Schematic, not to scale, for teaching."
    )
    return TeachingFigure(fig, title, description)
