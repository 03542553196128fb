"""The Pfirrmann grade figure for module 01: how a disc looks on a T2 MRI at each grade, for its explorer.

Kept apart from the anatomy figures in ``spine`` because the explorer redraws it for every grade a learner picks.
"""

from __future__ import annotations

import textwrap

import numpy as np
from matplotlib.patches import Ellipse, Rectangle

from .base import TeachingFigure, as_diagram, new_figure, schematic_note, styled
from .spineparts import vertebral_body

__all__ = ["PFIRRMANN_ROWS", "draw_pfirrmann"]


# Evidence fact 73 (Pfirrmann 2001 table), in plain words: (signal, nucleus–annulus distinction, disc height).
PFIRRMANN_ROWS: dict[int, tuple[str, str, str]] = {
    1: ("Even, bright white (as bright as spinal fluid)", "Clear", "Normal"),
    2: ("Uneven, may show dark horizontal bands; still bright", "Clear", "Normal"),
    3: ("Uneven, grey (medium signal)", "Unclear", "Normal to slightly reduced"),
    4: ("Uneven, grey to black (medium to dark signal)", "Lost", "Normal to moderately reduced"),
    5: ("Uneven, black (dark signal)", "Lost", "Collapsed"),
}
_ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV", 5: "V"}
# Drawing parameters per grade (relative disc height, disc grey level 0=black..1=white, nucleus edge sharpness).
# Heights are illustrative and follow the wording of fact 73 (normal / slightly / moderately reduced / collapsed).
_PF_DRAW: dict[int, tuple[float, float, str]] = {
    1: (1.00, 0.96, "clear"),
    2: (1.00, 0.84, "clear"),
    3: (0.82, 0.55, "unclear"),
    4: (0.62, 0.30, "lost"),
    5: (0.28, 0.08, "lost"),
}


@styled
def draw_pfirrmann(grade: int) -> TeachingFigure:
    """Show how a disc looks on a T2 MRI at each Pfirrmann grade, so staff can read report wording."""
    if grade not in PFIRRMANN_ROWS:
        raise ValueError(f"Pfirrmann grade must be 1 to 5, not {grade!r}")
    signal, distinction, height = PFIRRMANN_ROWS[grade]
    rel_height, grey, edge = _PF_DRAW[grade]
    title = f"Disc degeneration on MRI: Pfirrmann grade {grade} (schematic)"
    fig = new_figure(7.5, 4.6)
    fig.suptitle(title)
    ax, tx = fig.subplots(1, 2, width_ratios=[1.0, 1.05])

    as_diagram(ax, (-0.6, 6.6), (-0.3, 7.6))
    ax.add_patch(Rectangle((-0.6, -0.3), 7.2, 7.9, facecolor="#050505", edgecolor="none", zorder=0))
    # Spinal fluid (CSF) behind the column is bright on T2: the reference for "bright".
    ax.add_patch(Rectangle((4.55, -0.3), 0.8, 7.9, facecolor="#F2F2F2", edgecolor="none", zorder=1))
    body_grey = "#8A8A8A"
    full_disc = 1.3
    disc_h = full_disc * rel_height
    lower_top = 3.0
    vertebral_body(ax, 0.2, 0.0, 4.2, lower_top, face=body_grey, edge="#6A6A6A", z=2)
    vertebral_body(ax, 0.2, lower_top + disc_h, 4.2, lower_top + disc_h + 3.0, face=body_grey, edge="#6A6A6A", z=2)
    disc_y = lower_top + disc_h / 2
    g = f"#{int(grey * 255):02X}{int(grey * 255):02X}{int(grey * 255):02X}"
    annulus_grey = max(0.05, min(grey, 0.22))
    a = f"#{int(annulus_grey * 255):02X}{int(annulus_grey * 255):02X}{int(annulus_grey * 255):02X}"
    ax.add_patch(Ellipse((2.2, disc_y), 4.3, disc_h, facecolor=a if edge != "lost" else g, edgecolor="none", zorder=3))
    if edge == "clear":
        ax.add_patch(Ellipse((2.2, disc_y), 2.9, disc_h * 0.72, facecolor=g, edgecolor="none", zorder=4))
    elif edge == "unclear":
        for k, (w, alpha) in enumerate([(3.6, 0.35), (3.2, 0.55), (2.7, 1.0)]):
            ax.add_patch(Ellipse((2.2, disc_y), w, disc_h * (0.85 - 0.07 * k), facecolor=g, alpha=alpha, edgecolor="none", zorder=4 + k))
    if grade == 2:  # dark horizontal band across the nucleus
        ax.add_patch(Rectangle((1.0, disc_y - 0.05), 2.4, 0.1, facecolor="#4A4A4A", edgecolor="none", zorder=8))
    if grade >= 3:  # uneven signal: a few darker and lighter spots from a fixed seed
        rng = np.random.default_rng(73 + grade)
        for _ in range(9):
            dx = rng.uniform(-1.5, 1.5)
            dy = rng.uniform(-0.25, 0.25) * disc_h
            shade = np.clip(grey + rng.uniform(-0.18, 0.12), 0.0, 1.0)
            c = f"#{int(shade * 255):02X}{int(shade * 255):02X}{int(shade * 255):02X}"
            ax.add_patch(Ellipse((2.2 + dx, disc_y + dy), 0.5, disc_h * 0.3, facecolor=c, edgecolor="none", alpha=0.8, zorder=9))
    # Labels on the dark background.
    style = {"color": "white", "fontsize": 9.5, "ha": "center", "va": "center"}
    ax.text(2.2, lower_top + disc_h + 1.5, "vertebra", **style, zorder=10)
    ax.text(2.2, 1.5, "vertebra", **style, zorder=10)
    ax.annotate(
        "disc",
        xy=(4.1, disc_y),
        xytext=(5.95, disc_y + 0.9),
        color="white",
        fontsize=9.5,
        ha="center",
        arrowprops={"arrowstyle": "-", "color": "white", "lw": 0.8},
        zorder=10,
    )
    ax.text(4.95, 0.45, "spinal\nfluid", color="#111111", fontsize=8.5, ha="center", va="center", zorder=10)

    tx.set_axis_off()
    tx.set_xlim(0, 1)
    tx.set_ylim(0, 1)
    rows = [
        (f"Grade {grade} ({_ROMAN[grade]}) on a T2 MRI", ""),
        ("Disc signal:", signal),
        ("Centre vs outer ring:", distinction),
        ("Disc height:", height),
    ]
    y = 0.93
    tx.text(0.0, y, rows[0][0], fontsize=12, fontweight="bold", va="top")
    y -= 0.13
    for head, body in rows[1:]:
        tx.text(0.0, y, head, fontsize=10.5, fontweight="bold", va="top")
        tx.text(0.0, y - 0.065, _wrap(body, 38), fontsize=10.5, va="top")
        y -= 0.2 if len(body) > 38 else 0.15
    tx.text(
        0.0,
        0.13,
        _wrap("Grade 1 looks healthy; grade 5 is the most worn. Many people have worn discs on MRI with no pain at all.", 46),
        fontsize=9.5,
        va="top",
        style="italic",
        color="#333333",
    )
    schematic_note(fig)

    description = (
        f"Schematic T2-weighted MRI of a lumbar disc between two vertebrae at Pfirrmann grade {grade} "
        f"({_ROMAN[grade]}) of 5. Disc signal: {signal.lower()}. The difference between the disc's centre and its "
        f"outer ring is {distinction.lower()}. Disc height: {height.lower()}. Grade 1 looks healthy (bright like "
        "the spinal fluid, full height); grade 5 is black and collapsed. Worn discs on MRI are common and often "
        "cause no symptoms. Schematic, not to scale, for teaching."
    )
    return TeachingFigure(fig, title, description)


def _wrap(text: str, width: int) -> str:
    """Wrap text into lines for matplotlib, which does not wrap by itself inside a fixed box."""
    return "\n".join(textwrap.wrap(text, width))
