"""The needle path for module 05 and its explorer: whether a straight needle reaches the disc centre, and the drawing.

The needle geometry is a teaching toy on a schematic cross-section. It is not a procedure guide.
"""

from __future__ import annotations

import math
import textwrap
from typing import Any

import numpy as np
from matplotlib.patches import Arc, Ellipse, Polygon

from .base import OKABE_ITO, TeachingFigure, as_diagram, label_part, new_figure, styled
from .crosssection import DISC, MIDLINE_PARTS, NUCLEUS, SKIN_A, SKIN_CY, Part, parts_for_side, skin_y

__all__ = ["NOT_A_GUIDE", "TARGET_RADIUS_CM", "draw_needle_path", "needle_path_result"]

NOT_A_GUIDE = "Schematic, for teaching \u2014 not a procedure guide"
TARGET_RADIUS_CM = 0.5
"""How close (in schematic cm) the needle line must pass to the disc centre to count as reaching it."""


def needle_path_result(angle_deg: float, offset_cm: float) -> dict[str, Any]:
    """Work out whether a straight needle from this skin entry reaches the disc centre, and what it crosses first.

    The needle starts on the skin ``offset_cm`` from the midline and points towards the midline and the front at
    ``angle_deg`` from the front-to-back (sagittal) plane. Returns ``reaches_centre`` (bool), ``passes`` (the
    structures crossed on the way, in order), ``blocked_by`` (the ones a needle must not cross), ``miss_cm``
    (closest distance to the disc centre) and a plain-language ``verdict``.
    """
    if not 0.0 <= angle_deg < 90.0:
        raise ValueError("angle_deg must be between 0 and 90 degrees")
    side = 1.0 if offset_cm >= 0 else -1.0
    x0, y0 = float(offset_cm), skin_y(offset_cm)
    theta = math.radians(angle_deg)
    dx, dy = -side * math.sin(theta), math.cos(theta)
    # Closest approach of the infinite line to the disc centre; the needle stops there.
    t_star = max(0.0, (NUCLEUS.cx - x0) * dx + (NUCLEUS.cy - y0) * dy)
    miss = math.hypot(x0 + t_star * dx - NUCLEUS.cx, y0 + t_star * dy - NUCLEUS.cy)
    t = np.linspace(0.0, t_star, 2000)
    xs, ys = x0 + t * dx, y0 + t * dy
    hits: list[tuple[float, Part]] = []
    for part in [*parts_for_side(side), DISC]:
        inside = part.contains(xs, ys)
        if inside.any():
            hits.append((float(t[np.argmax(inside)]), part))
    hits.sort(key=lambda h: h[0])
    passes = [p.name for _, p in hits]
    blocked_by = [p.name for _, p in hits if p.blocks]
    enters_disc = any(p is DISC for _, p in hits)
    reaches = miss <= TARGET_RADIUS_CM and enters_disc and not blocked_by
    if reaches:
        verdict = "Reaches the disc centre without crossing the spinal canal, a nerve root or bone."
    elif blocked_by:
        crossed = " and the ".join(blocked_by)
        verdict = f"Does not reach the disc centre safely: on the way it crosses the {crossed}."
    elif not enters_disc:
        verdict = "Misses the disc: the line does not enter it."
    else:
        verdict = f"Enters the disc but misses its centre by about {miss:.1f} cm on this schematic."
    return {
        "reaches_centre": reaches,
        "passes": passes,
        "blocked_by": blocked_by,
        "enters_disc": enters_disc,
        "miss_cm": round(miss, 2),
        "verdict": verdict,
    }


@styled
def draw_needle_path(angle_deg: float, offset_cm: float) -> TeachingFigure:
    """Let learners see why the needle's entry point and angle decide what it passes on its way to the disc."""
    result = needle_path_result(angle_deg, offset_cm)
    title = "Needle path to the disc centre, seen in cross-section"
    fig = new_figure(7.5, 5.8, layout=None)
    fig.suptitle(title, y=0.975)
    ax = fig.add_axes((0.02, 0.13, 0.96, 0.74))
    as_diagram(ax, (-14.5, 14.5), (-10.4, 8.4))

    xs = np.linspace(-SKIN_A * 0.999, SKIN_A * 0.999, 400)
    lower = [skin_y(x) for x in xs]
    upper = [2 * SKIN_CY - y for y in lower]
    outline = list(zip(xs, lower, strict=False)) + list(zip(xs[::-1], upper[::-1], strict=False))
    ax.add_patch(Polygon(outline, closed=True, facecolor="#FBF4EE", edgecolor="#6B5B4B", lw=1.4, zorder=0))
    for part in [DISC, NUCLEUS, *MIDLINE_PARTS, *parts_for_side(1.0), *parts_for_side(-1.0)]:
        ax.add_patch(Ellipse((part.cx, part.cy), 2 * part.a, 2 * part.b, facecolor=part.face, edgecolor="#555555", lw=0.9, zorder=1))
    ax.plot([0, 0], [-9.3, 5.5], ls=":", color="#777777", lw=1.0, zorder=2)
    ax.plot([NUCLEUS.cx], [NUCLEUS.cy], marker="+", color="#222222", markersize=10, zorder=5)

    side = 1.0 if offset_cm >= 0 else -1.0
    x0, y0 = float(offset_cm), skin_y(offset_cm)
    theta = math.radians(angle_deg)
    dx, dy = -side * math.sin(theta), math.cos(theta)
    t_star = max(0.0, (NUCLEUS.cx - x0) * dx + (NUCLEUS.cy - y0) * dy)
    colour = OKABE_ITO["green"] if result["reaches_centre"] else OKABE_ITO["vermillion"]
    style = "-" if result["reaches_centre"] else "--"
    ax.plot([x0, x0 + t_star * dx], [y0, y0 + t_star * dy], color=colour, lw=2.6, ls=style, zorder=6)
    ax.plot([x0], [y0], marker="v", color=colour, markersize=9, markeredgecolor="#222222", zorder=7)
    ax.plot([x0, x0], [y0, y0 + 3.0], color="#555555", lw=0.8, zorder=6)
    if angle_deg > 0:
        start, end = (90.0, 90.0 + angle_deg) if side > 0 else (90.0 - angle_deg, 90.0)
        ax.add_patch(Arc((x0, y0), 4.0, 4.0, theta1=start, theta2=end, color="#333333", lw=1.0, zorder=7))
    ax.text(
        x0 + side * 0.4,
        y0 - 0.5,
        f"entry {abs(offset_cm):g} cm from midline, {angle_deg:g}\u00b0",
        ha="center" if abs(offset_cm) < 10 else ("right" if side > 0 else "left"),
        va="top",
        fontsize=9.5,
        zorder=8,
    )

    # Labels point at the left-hand copies; the needle is drawn on the right by default.
    ax.text(0.0, 2.2, "disc (outer ring)", ha="center", va="center", fontsize=9, zorder=8)
    label_part(ax, "disc centre (nucleus)", (0.45, 0.35), (3.2, 3.9), fontsize=9)
    label_part(ax, "spinal canal", (-0.6, -2.9), (-6.6, -2.35), ha="right", fontsize=9)
    label_part(ax, "nerve root", (-3.1, -1.65), (-6.6, -1.15), ha="right", fontsize=9)
    label_part(ax, "facet joint bone", (-2.3, -3.75), (-6.6, -3.6), ha="right", fontsize=9)
    label_part(ax, "spinous process", (-0.25, -6.0), (-2.2, -7.9), ha="right", fontsize=9)
    ax.text(-4.0, 0.4, "psoas\nmuscle", ha="center", va="center", fontsize=9, zorder=8)
    ax.text(-2.9, -5.7, "back\nmuscles", ha="center", va="center", fontsize=9, zorder=8)
    ax.text(-11.2, -7.6, "skin", ha="center", va="center", fontsize=9, zorder=8)
    ax.text(0, 6.8, "front (belly)", ha="center", va="center", fontsize=9, color="#555555")
    ax.text(-6.0, -9.8, "back", ha="center", va="center", fontsize=9, color="#555555")

    mark = "\u2713 " if result["reaches_centre"] else "\u2717 "
    fig.text(
        0.5,
        0.065,
        "\n".join(textwrap.wrap(mark + result["verdict"], 85)),
        ha="center",
        va="center",
        fontsize=10.5,
        fontweight="bold",
        color="#222222",
        bbox={"facecolor": "white", "edgecolor": colour, "lw": 1.5, "pad": 4},
    )
    fig.text(0.5, 0.915, NOT_A_GUIDE, ha="center", va="center", fontsize=12, fontweight="bold", color=OKABE_ITO["vermillion"])

    crossed = ", ".join(result["passes"]) if result["passes"] else "nothing drawn"
    description = (
        f"Cross-section of the lower back at one disc, front at the top. A needle enters the skin {abs(offset_cm):g} "
        f"cm from the midline and points towards the midline at {angle_deg:g} degrees from straight ahead. "
        f"On its way it crosses: {crossed}. {result['verdict']} A path straight in from the midline meets the "
        "bony arch and the spinal canal; a path that is too far to the side meets the psoas muscle or a nerve "
        f"root. {NOT_A_GUIDE}."
    )
    return TeachingFigure(fig, title, description)
