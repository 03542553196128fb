"""Cell-source figures for module 03: how rare MSCs are in each tissue, and where the tissue is taken."""

from __future__ import annotations

import numpy as np
from matplotlib.axes import Axes
from matplotlib.patches import Circle, Ellipse, FancyBboxPatch
from matplotlib.ticker import FixedLocator, FuncFormatter

from .base import OKABE_ITO, TeachingFigure, as_diagram, label_part, new_figure, schematic_note, styled, text_panel

__all__ = ["harvest_sites", "source_comparison"]


def _percent(value: float, _pos: int | None = None) -> str:
    """Tick label for a log-scale percentage axis, without trailing zeros."""
    return f"{value:g}%"


@styled
def source_comparison() -> TeachingFigure:
    """Compare how many MSCs each source holds and what collecting it involves (facts 7, 10-13, 16)."""
    title = "Where MSCs come from: how many, and how they are collected"
    fig = new_figure(7.5, 6.6)
    fig.suptitle(title)
    ax, tab = fig.subplots(2, 1, height_ratios=[1.0, 1.15])

    rows = ["Bone marrow", "Fat (adipose)", "Umbilical cord"]
    y = np.arange(len(rows))[::-1]
    # Fact 7 [V-sec]: MSCs are about 0.001–0.01% of nucleated cells in adult bone marrow.
    ax.barh(y[0], 0.01 - 0.001, left=0.001, height=0.5, color=OKABE_ITO["blue"], edgecolor="#222222")
    ax.text(0.013, y[0], "0.001–0.01% of nucleated marrow cells", va="center", fontsize=10)
    # Fact 12 [V-sec], commercial source: 1–10% of SVF cells are stem/progenitor cells (order of magnitude only).
    ax.barh(y[1], 10 - 1, left=1, height=0.5, color=OKABE_ITO["orange"], edgecolor="#222222", hatch="//")
    ax.text(0.9, y[1], "rough estimate: 1–10% of cells in\nprocessed fat (SVF)  \u2192", va="center", ha="right", fontsize=10)
    # Umbilical cord: the evidence sheet gives no frequency, so nothing is plotted.
    ax.text(0.0012, y[2], "not given in our sources (no bar drawn)", va="center", fontsize=10, style="italic", color="#444444")
    ax.set_xscale("log")
    ax.set_xlim(0.0005, 30)
    ax.xaxis.set_major_locator(FixedLocator([0.001, 0.01, 0.1, 1, 10]))
    ax.xaxis.set_major_formatter(FuncFormatter(_percent))
    ax.xaxis.set_minor_locator(FixedLocator([]))
    ax.set_yticks(y, rows)
    ax.set_ylim(-0.6, len(rows) - 0.4)
    ax.set_xlabel("MSCs as a share of the cells collected (log scale: each step is 10 times more)")
    ax.set_title("(a) How rare are MSCs in the collected tissue?", fontsize=11, loc="left")

    table = [
        ["Source", "How it is collected", "How invasive", "Whose cells"],
        [
            "Bone marrow",
            "Needle into the back of\nthe hip bone (posterior\niliac crest)",
            "Needle procedure;\nserious problems rare\n(under 0.05%)",
            "Patient's own\n(autologous) or a\ndonor's (allogeneic)",
        ],
        [
            "Fat\n(adipose)",
            "Liposuction of belly\nor flank fat, then\nprocessing",
            "Minor surgery\n(liposuction)",
            "Patient's own\n(autologous)",
        ],
        ["Umbilical\ncord", "Donated after\na birth", "Nothing for the patient;\ndonor must be screened", "Another person's\n(allogeneic)"],
    ]  # facts 10 (iliac crest, <0.05%), 11 (lipoaspirate), 13-14 (cord, donor screening), 16 (auto/allo)
    text_panel(tab, table, col_widths=[0.75, 1.25, 1.35, 1.15], fontsize=9.5)
    tab.set_title("(b) How each source is collected", fontsize=11, loc="left")

    description = (
        "Two panels. (a) How rare MSCs are in the collected tissue, on a log scale. Bone marrow: about 0.001 to "
        "0.01% of nucleated marrow cells are MSCs. Processed fat (stromal vascular fraction): a rough estimate from "
        "a commercial source is 1 to 10% stem or progenitor cells, so fat holds far more per sample, but the two "
        "numbers count different things and are order-of-magnitude only. Umbilical cord: our sources give no "
        "number, so none is drawn. (b) How each source is collected. Bone marrow: a needle into the back of the "
        "hip bone (posterior iliac crest); serious problems are rare (under 0.05%); the cells can be the "
        "patient's own or a donor's. Fat: liposuction of belly or flank fat, then processing; the patient's own "
        "cells. Umbilical cord: donated after a birth, so nothing is taken from the patient, but the cells are "
        "another person's and the donor must be screened."
    )
    return TeachingFigure(fig, title, description)


def _person(ax: Axes, cx: float) -> None:
    """A very simple standing person made of rounded shapes."""
    skin = "#F1E3D3"
    edge = "#6B5B4B"
    ax.add_patch(Circle((cx, 8.9), 0.75, facecolor=skin, edgecolor=edge, lw=1.2))
    ax.add_patch(
        FancyBboxPatch((cx - 1.5, 3.9), 3.0, 4.0, boxstyle="round,pad=0.1,rounding_size=0.6", facecolor=skin, edgecolor=edge, lw=1.2)
    )
    for side in (-1, 1):
        ax.add_patch(
            FancyBboxPatch((cx + side * 1.75 - 0.3, 4.3), 0.6, 3.4, boxstyle="round,pad=0.05", facecolor=skin, edgecolor=edge, lw=1.2)
        )
        ax.add_patch(
            FancyBboxPatch((cx + side * 0.75 - 0.55, 0.0), 1.1, 3.9, boxstyle="round,pad=0.05", facecolor=skin, edgecolor=edge, lw=1.2)
        )


@styled
def harvest_sites() -> TeachingFigure:
    """Show where each cell source is taken from, so staff can explain what a harvest involves (facts 10-13)."""
    title = "Where the cells are collected"
    fig = new_figure(7.5, 4.6)
    fig.suptitle(title)
    back, front, cord = fig.subplots(1, 3, width_ratios=[1.0, 1.0, 0.9])
    for ax in (back, front, cord):
        as_diagram(ax, (-3.6, 3.6), (-2.6, 10.0))

    back.set_title("Seen from behind", fontsize=11)
    _person(back, 0.0)
    back.plot([0, 0], [4.3, 7.6], color="#6B5B4B", lw=1.0, ls=":")  # spine line
    for side in (-1, 1):  # fact 10: posterior iliac crest, preferred marrow aspiration site
        back.plot(side * 0.75, 4.45, marker="X", markersize=11, color=OKABE_ITO["vermillion"], markeredgecolor="#222222")
    back.text(0.0, -0.7, "Back of the hip bone\n(posterior iliac crest):\nbone-marrow aspiration", ha="center", va="top", fontsize=9.5)
    label_part(back, "", (0.75, 4.45), (0.3, -0.75))

    front.set_title("Seen from the front", fontsize=11)
    _person(front, 0.0)
    # Fact 11: lipoaspirate (liposuction) is the starting material for SVF / adipose cells.
    for xy, w in (((0.0, 5.0), 1.6), ((-1.15, 5.6), 0.55), ((1.15, 5.6), 0.55)):
        front.add_patch(Ellipse(xy, w, 1.1, facecolor=OKABE_ITO["orange"], edgecolor="#222222", hatch="///", alpha=0.9, lw=1.0))
    front.text(0.0, -0.7, "Belly or flank fat:\nliposuction", ha="center", va="top", fontsize=9.5)
    label_part(front, "", (0.0, 4.6), (0.0, -0.75))

    cord.set_title("Separate donor", fontsize=11)
    # Placenta (disc) with a twisted umbilical cord: two interleaved strands.
    cord.add_patch(Ellipse((0.0, 7.6), 3.6, 1.8, facecolor="#E8B4C8", edgecolor="#7A3A55", lw=1.2))
    t = np.linspace(0, 1, 200)
    x_mid = 0.2 * np.sin(2 * np.pi * t)
    yy = 7.0 - 5.0 * t
    for phase in (0.0, np.pi):
        cord.plot(x_mid + 0.25 * np.sin(12 * np.pi * t + phase), yy, color=OKABE_ITO["blue"], lw=2.2)
    cord.text(0.0, 7.6, "placenta", ha="center", va="center", fontsize=9)
    cord.text(0.75, 3.6, "umbilical\ncord", ha="left", va="center", fontsize=9.5)
    cord.text(
        0.0, 1.2, "Umbilical cord, donated\nafter a birth: another\nperson's cells (allogeneic)", ha="center", va="top", fontsize=9.5
    )  # facts 13, 16
    schematic_note(fig)

    description = (
        "Three simple drawings. Seen from behind: two crosses mark the back of the hip bones (posterior iliac "
        "crest), where a needle draws bone marrow. Seen from the front: hatched patches on the belly and flanks "
        "mark where fat is taken by liposuction. A separate drawing shows a placenta with its umbilical cord: "
        "cord tissue is donated after a birth, so those cells come from another person (allogeneic). "
        "Schematic, not to scale, for teaching."
    )
    return TeachingFigure(fig, title, description)
