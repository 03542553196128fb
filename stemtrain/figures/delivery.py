"""Module 05 figures: how guidance methods differ, and one lumbar level to name from above.

The needle path and its explorer drawing are in ``needlepath`` (re-exported here); the cross-section both draw is
in ``crosssection``. The needle geometry is a teaching toy on a schematic cross-section. It is not a procedure guide.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from matplotlib.patches import Ellipse

from .base import TeachingFigure, as_diagram, new_figure, schematic_note, styled, text_panel
from .crosssection import DISC, MIDLINE_PARTS, NUCLEUS, Part, parts_for_side
from .needlepath import NOT_A_GUIDE, TARGET_RADIUS_CM, draw_needle_path, needle_path_result

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
_PEDICLE = Part("pedicle (bone)", 1.6, -2.45, 0.42, 0.85, True, "#E9DFC9")

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

    pedicles = [_PEDICLE, Part(_PEDICLE.name, -_PEDICLE.cx, _PEDICLE.cy, _PEDICLE.a, _PEDICLE.b, True, _PEDICLE.face)]
    left, right = parts_for_side(-1.0), parts_for_side(1.0)
    sides = [p for p in left + right if p not in MIDLINE_PARTS]
    muscles = [p for p in sides if "muscle" in p.name]
    others = [p for p in sides if "muscle" not in p.name]
    for part in [*muscles, DISC, NUCLEUS, *pedicles, *MIDLINE_PARTS, *others]:
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
