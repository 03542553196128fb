"""Module 05 figures: why needle direction matters for intradiscal injection, and how guidance methods differ.

The needle geometry is a teaching toy on a schematic cross-section. It is not a procedure guide.
"""

from __future__ import annotations

import math
import textwrap
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
from matplotlib.patches import Arc, Ellipse, Polygon

from .base import OKABE_ITO, TeachingFigure, as_diagram, label_part, new_figure, schematic_note, styled, text_panel

if TYPE_CHECKING:
    pass

__all__ = [
    "NOT_A_GUIDE",
    "TARGET_RADIUS_CM",
    "draw_needle_path",
    "guidance_comparison",
    "needle_path_result",
    "numbered_anatomy",
]

NOT_A_GUIDE = "Schematic, for teaching \u2014 not a procedure guide"
TARGET_RADIUS_CM = 0.5
"""How close (in schematic cm) the needle line must pass to the disc centre to count as reaching it."""


@dataclass(frozen=True)
class _Part:
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
_MIDLINE_PARTS = [
    _Part("spinous process and lamina (bone)", 0.0, -5.0, 0.45, 1.3, True, "#E9DFC9"),
    _Part("spinal canal (nerves)", 0.0, -2.75, 1.05, 0.85, True, "#EEF6FB"),
]
_SIDE_PARTS = [  # drawn on both sides
    _Part("back muscles", 2.9, -5.7, 2.0, 1.6, False, "#F6D5CF"),
    _Part("psoas muscle (too far to the side)", 4.0, 0.4, 1.2, 1.9, True, "#F6D5CF"),
    _Part("superior articular process (facet joint bone)", 2.0, -3.5, 0.7, 0.6, True, "#E9DFC9"),
    _Part("lamina (bone)", 1.05, -3.95, 0.85, 0.35, True, "#E9DFC9"),
    _Part("nerve root", 2.9, -1.75, 0.38, 0.32, True, OKABE_ITO["yellow"]),
]
_DISC = _Part("outer ring of the disc (annulus)", 0.0, 0.0, 2.4, 1.7, False, "#F3C98B")
_NUCLEUS = _Part("disc centre (nucleus)", 0.0, 0.05, 1.2, 0.8, False, OKABE_ITO["sky_blue"])
_SKIN_A, _SKIN_B, _SKIN_CY, _SKIN_P = 14.0, 8.5, -0.5, 6.0


def _skin_y(x: float) -> float:
    """Height of the back's skin at a distance x from the midline (a flat-backed superellipse)."""
    u = min(abs(x) / _SKIN_A, 0.999)
    return float(_SKIN_CY - _SKIN_B * (1.0 - u**_SKIN_P) ** (1.0 / _SKIN_P))


def _parts_for_side(side: float) -> list[_Part]:
    """Midline parts plus one side's parts, mirrored to the needle's side."""
    s = 1.0 if side >= 0 else -1.0
    mirrored = [_Part(p.name, s * p.cx, p.cy, p.a, p.b, p.blocks, p.face) for p in _SIDE_PARTS]
    return _MIDLINE_PARTS + mirrored


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
    x0, y0 = float(offset_cm), _skin_y(offset_cm)
    theta = math.radians(angle_deg)
    dx, dy = -side * math.sin(theta), math.cos(theta)
    # Closest approach of the infinite line to the disc centre; the needle stops there.
    t_star = max(0.0, (_NUCLEUS.cx - x0) * dx + (_NUCLEUS.cy - y0) * dy)
    miss = math.hypot(x0 + t_star * dx - _NUCLEUS.cx, y0 + t_star * dy - _NUCLEUS.cy)
    t = np.linspace(0.0, t_star, 2000)
    xs, ys = x0 + t * dx, y0 + t * dy
    hits: list[tuple[float, _Part]] = []
    for part in [*_parts_for_side(side), _DISC]:
        inside = part.contains(xs, ys)
        if inside.any():
            hits.append((float(t[np.argmax(inside)]), part))
    hits.sort(key=lambda h: h[0])
    passes = [p.name for _, p in hits]
    blocked_by = [p.name for _, p in hits if p.blocks]
    enters_disc = any(p is _DISC for _, p in hits)
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

    xs = np.linspace(-_SKIN_A * 0.999, _SKIN_A * 0.999, 400)
    lower = [_skin_y(x) for x in xs]
    upper = [2 * _SKIN_CY - y for y in lower]
    outline = list(zip(xs, lower, strict=False)) + list(zip(xs[::-1], upper[::-1], strict=False))
    ax.add_patch(Polygon(outline, closed=True, facecolor="#FBF4EE", edgecolor="#6B5B4B", lw=1.4, zorder=0))
    for part in [_DISC, _NUCLEUS, *_MIDLINE_PARTS, *_parts_for_side(1.0), *_parts_for_side(-1.0)]:
        ax.add_patch(Ellipse((part.cx, part.cy), 2 * part.a, 2 * part.b, facecolor=part.face, edgecolor="#555555", lw=0.9, zorder=1))
    ax.plot([0, 0], [-9.3, 5.5], ls=":", color="#777777", lw=1.0, zorder=2)
    ax.plot([_NUCLEUS.cx], [_NUCLEUS.cy], marker="+", color="#222222", markersize=10, zorder=5)

    side = 1.0 if offset_cm >= 0 else -1.0
    x0, y0 = float(offset_cm), _skin_y(offset_cm)
    theta = math.radians(angle_deg)
    dx, dy = -side * math.sin(theta), math.cos(theta)
    t_star = max(0.0, (_NUCLEUS.cx - x0) * dx + (_NUCLEUS.cy - y0) * dy)
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


@styled
def guidance_comparison() -> TeachingFigure:
    """Compare how injections are guided, so staff can answer 'is it targeted?' honestly (facts 21, 49, 64, 68)."""
    title = "How injections are guided: fluoroscopy, ultrasound, or a vein"
    fig = new_figure(7.5, 5.6)
    fig.suptitle(title)
    ax = fig.add_subplot()
    rows = [
        ["", "Fluoroscopy\n(live X-ray)", "Ultrasound", "Intravenous\n(drip into a vein)"],
        [
            "What it shows",
            "Bones and the needle;\ncontrast dye shows\nwhere fluid goes",
            "Muscles, tendons and\njoint surfaces near\nthe skin",
            "Nothing: no imaging\nof a target",
        ],
        [
            "Typical targets",
            "Disc centre (needle\nchecked from front\nand side), facet joints",
            "Soft tissue and facet\njoints; not used for the\ndisc in the trials",
            "Whole body:\nnot targeted",
        ],
        ["X-ray radiation", "Yes", "No", "No"],
        [
            "Accuracy note",
            "Needle can reach the\ndisc centre; that does\nnot mean cells stay\nor work",
            "Facet procedures: about\n11 (nerve blocks) and 13\n(facet joints) more\nmisplaced needles per 100",
            "Lungs first; later signal\nin liver, spleen, kidneys\n(in mice, no live cells\nbeyond the lungs);\nno trial for back pain",
        ],
    ]  # fact 64 (fluoroscopic disc access), 66 (contrast), 68 (+11%/+13%, no ultrasound for disc), 21, 49 (IV)
    text_panel(ax, rows, col_widths=[0.8, 1.2, 1.2, 1.2], fontsize=9.5, row_height=None)
    ax.set_title("Where the needle (or the cells) go depends on the route", fontsize=11)
    description = (
        "A table comparing three ways of giving cells. Fluoroscopy (live X-ray) shows bones and the needle, and "
        "contrast dye shows where fluid goes; it is used to bring a needle to the centre of a disc, checked from "
        "the front and the side, and to facet joints; it uses X-ray radiation. An accurate needle does not mean "
        "the cells stay or work. Ultrasound shows muscles, tendons and joint surfaces near the skin, uses no "
        "radiation, and is used for soft tissue and facet joints but was not used for the disc in the trials; "
        "with ultrasound there were about 11 more wrongly placed needles per 100 medial-branch blocks (checked by "
        "fluoroscopy) and 13 more per 100 facet injections (checked by CT). Intravenous delivery (a drip into a "
        "vein) images nothing "
        "and is not targeted: the cells go to the lungs first; signal from them is later found in the liver, "
        "spleen and kidneys, but in mice no live cells got beyond the lungs; and no "
        "randomised trial for back pain was found."
    )
    return TeachingFigure(fig, title, description)


# Pedicles for the top-down view: short bony columns joining the back of the vertebral body to the arch.
# At the disc itself a slice would not cut them; the top-down view is a composite of one level, for teaching.
_PEDICLE = _Part("pedicle (bone)", 1.6, -2.45, 0.42, 0.85, True, "#E9DFC9")

# Number, the structure it marks (kept off the figure: the learner names it), where the leader line ends,
# where the numbered circle sits, and a neutral description of what it points at for screen-reader users.
_NUMBERED_MARKERS: tuple[tuple[int, str, tuple[float, float], tuple[float, float], str], ...] = (
    (
        1,
        "pedicle",
        (-1.6, -2.3),
        (-5.9, -1.9),
        "a short column of bone on the left-hand side of the central space, joining the front of the vertebra to the bony arch behind it",
    ),
    (
        2,
        "superior articular process",
        (2.25, -3.65),
        (5.9, -4.4),
        "a rounded knob of bone towards the back on the right-hand side of the picture, beside the central space and behind number 4",
    ),
    (3, "intervertebral disc", (-1.35, 1.0), (-3.6, 3.1), "the large oval at the front, with a softer blue centre"),
    (
        4,
        "nerve root",
        (2.9, -1.75),
        (5.9, -1.6),
        "a small yellow oval on the right-hand side, just outside the central space and beside the back of the large front oval",
    ),
    (5, "spinal canal", (-0.35, -3.0), (-4.3, -5.3), "the rounded space in the middle, ringed by bone"),
)


@styled
def numbered_anatomy() -> TeachingFigure:
    """One lumbar level seen from above with five numbered structures, for the learner to name (image_label)."""
    title = "One lumbar level seen from above: name the numbered structures"
    fig = new_figure(7.5, 5.6, layout=None)
    fig.suptitle(title, y=0.975)
    ax = fig.add_axes((0.02, 0.06, 0.96, 0.86))
    as_diagram(ax, (-7.2, 7.2), (-7.6, 4.0))

    pedicles = [_PEDICLE, _Part(_PEDICLE.name, -_PEDICLE.cx, _PEDICLE.cy, _PEDICLE.a, _PEDICLE.b, True, _PEDICLE.face)]
    left, right = _parts_for_side(-1.0), _parts_for_side(1.0)
    sides = [p for p in left + right if p not in _MIDLINE_PARTS]
    muscles = [p for p in sides if "muscle" in p.name]
    others = [p for p in sides if "muscle" not in p.name]
    for part in [*muscles, _DISC, _NUCLEUS, *pedicles, *_MIDLINE_PARTS, *others]:
        ax.add_patch(Ellipse((part.cx, part.cy), 2 * part.a, 2 * part.b, facecolor=part.face, edgecolor="#555555", lw=0.9, zorder=1))
    ax.text(0, 3.6, "front (belly)", ha="center", va="center", fontsize=9.5, color="#555555")
    ax.text(0, -7.3, "back", ha="center", va="center", fontsize=9.5, color="#555555")

    for number, _name, target, at, _where in _NUMBERED_MARKERS:
        ax.plot([at[0], target[0]], [at[1], target[1]], color="#222222", lw=1.1, zorder=4)
        ax.plot([target[0]], [target[1]], marker="o", markersize=4.5, color="#222222", zorder=5)
        ax.text(
            at[0],
            at[1],
            str(number),
            ha="center",
            va="center",
            fontsize=12,
            fontweight="bold",
            zorder=6,
            bbox={"boxstyle": "circle,pad=0.3", "facecolor": "white", "edgecolor": "#222222", "lw": 1.6},
        )
    schematic_note(fig)

    pointers = " ".join(f"Number {n} points to {where}." for n, _name, _t, _a, where in _NUMBERED_MARKERS)
    description = (
        "A top-down schematic of one lumbar level with five numbered structures, front of the body at the top "
        "and the back at the bottom. It shows a large oval at the front, a ring of bone around a central space "
        "behind it, knobs of bone and a spike of bone at the back, two small yellow ovals at the sides and "
        "muscles on either side. Only numbers are written on it, no names. "
        f"{pointers} Most structures appear on both sides; each number points to one of them. "
        "Schematic, not to scale, for teaching."
    )
    return TeachingFigure(fig, title, description)
