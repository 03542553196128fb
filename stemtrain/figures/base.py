"""The pieces every teaching figure shares: the result type, the course style and a few drawing helpers.

Figures are plain ``matplotlib.figure.Figure`` objects made without pyplot, so no global figure
state is created and nothing needs closing. ipywidgets is not imported here (see ``interactive.py``).
"""

from __future__ import annotations

import contextlib
import functools
import io
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Literal, ParamSpec, TypeVar

import matplotlib.style
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle

__all__ = [
    "OKABE_ITO",
    "PNG_DPI",
    "SCHEMATIC_NOTE",
    "TeachingFigure",
    "as_diagram",
    "course_style",
    "label_part",
    "new_figure",
    "schematic_note",
    "styled",
    "text_panel",
]

PNG_DPI = 100
"""Fixed resolution for PNG output, so bytes and pixel sizes are the same on every run."""

OKABE_ITO: dict[str, str] = {
    "black": "#000000",
    "orange": "#E69F00",
    "sky_blue": "#56B4E9",
    "green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "purple": "#CC79A7",
}
"""The Okabe–Ito colour-blind-safe palette, by name, for figures that need a specific colour."""

SCHEMATIC_NOTE = "Schematic, not to scale, for teaching"
"""The words every anatomy or procedure drawing carries on the figure itself."""

P = ParamSpec("P")
R = TypeVar("R")


def _asset(name: str) -> Path:
    """Path of a file in the course's ``assets/`` folder (figures ship with the course)."""
    from ..content.paths import asset_path

    return asset_path(name)


@contextlib.contextmanager
def course_style() -> Iterator[None]:
    """Apply the course ``.mplstyle`` temporarily, so figures look the same without touching global state."""
    with matplotlib.style.context(str(_asset("stemtrain.mplstyle"))):
        yield


def styled(func: Callable[P, R]) -> Callable[P, R]:
    """Decorator: run a drawing function inside the course style (text and axes take rcParams when created)."""

    @functools.wraps(func)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        with course_style():
            return func(*args, **kwargs)

    return wrapper


@dataclass(frozen=True)
class TeachingFigure:
    """A figure together with the words a screen-reader user needs to learn the same thing from it."""

    figure: Figure
    title: str
    description: str

    def to_png(self) -> bytes:
        """PNG bytes at a fixed dpi and without a version stamp, so the same figure gives the same bytes."""
        buffer = io.BytesIO()
        with course_style():
            self.figure.savefig(buffer, format="png", dpi=PNG_DPI, metadata={"Software": None})
        return buffer.getvalue()


def new_figure(width: float, height: float, *, layout: Literal["constrained", "compressed", "tight"] | None = "constrained") -> Figure:
    """A pyplot-free Figure in the course style (call inside ``course_style()`` or a ``@styled`` function)."""
    with course_style():
        return Figure(figsize=(width, height), dpi=PNG_DPI, layout=layout)


def label_part(
    ax: Axes,
    text: str,
    xy: tuple[float, float],
    xytext: tuple[float, float],
    *,
    ha: str = "left",
    fontsize: float = 10.5,
) -> None:
    """Name one part of a diagram with a leader line, the way anatomy atlases do."""
    ax.annotate(
        text,
        xy=xy,
        xytext=xytext,
        ha=ha,
        va="center",
        fontsize=fontsize,
        arrowprops={"arrowstyle": "-", "color": "#333333", "lw": 0.9, "shrinkA": 2, "shrinkB": 0},
    )
    ax.plot([xy[0]], [xy[1]], marker="o", markersize=3, color="#333333")


def schematic_note(fig: Figure, text: str = SCHEMATIC_NOTE) -> None:
    """Put the 'schematic, not to scale' warning on the figure itself, bottom right."""
    fig.text(0.99, 0.01, text, ha="right", va="bottom", fontsize=9.5, style="italic", color="#444444")


def text_panel(
    ax: Axes,
    rows: list[list[str]],
    *,
    col_widths: list[float],
    header: bool = True,
    row_height: float | None = None,
    fontsize: float = 10,
    row_shading: bool = True,
) -> None:
    """Draw a simple table of wrapped text in an axis-less Axes (0..1 coordinates), readable at notebook width."""
    ax.set_axis_off()
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1)
    n = len(rows)
    height = row_height if row_height is not None else 1.0 / n
    total = sum(col_widths)
    edges = [0.0]
    for w in col_widths:
        edges.append(edges[-1] + w / total)
    for i, row in enumerate(rows):
        top = 1.0 - i * height
        if row_shading and (header and i == 0):
            ax.add_patch(_rect(0, top - height, 1, height, "#E8E8E8"))
        elif row_shading and i % 2 == 0:
            ax.add_patch(_rect(0, top - height, 1, height, "#F6F6F6"))
        for j, cell in enumerate(row):
            ax.text(
                edges[j] + 0.008,
                top - height / 2,
                cell,
                ha="left",
                va="center",
                fontsize=fontsize,
                fontweight="bold" if (header and i == 0) or j == 0 else "normal",
                linespacing=1.25,
            )
        ax.plot([0, 1], [top - height, top - height], color="#BBBBBB", lw=0.8)


def _rect(x: float, y: float, w: float, h: float, color: str) -> Rectangle:
    """A borderless background rectangle for table rows."""
    return Rectangle((x, y), w, h, facecolor=color, edgecolor="none", zorder=0)


def as_diagram(ax: Axes, xlim: tuple[float, float], ylim: tuple[float, float]) -> Axes:
    """Turn an Axes into a drawing surface: no axes, equal scale, fixed limits (every schematic starts so)."""
    ax.set_axis_off()
    ax.set_aspect("equal")
    ax.set_xlim(*xlim)
    ax.set_ylim(*ylim)
    return ax
