"""A teaching figure as a widget: its picture with alt text, described by a caption tied to it for screen readers.

Interactive figures redraw into it; the PNG travels as bytes, never as a URL to fetch.
"""

from __future__ import annotations

import anywidget
import traitlets

from ..frontend.controls import asset

__all__ = ["FigureImage"]


class FigureImage(anywidget.AnyWidget):
    """``value`` is the PNG; ``alt`` names the picture; ``caption`` (escaped HTML) describes it."""

    _esm = traitlets.Unicode(asset("figure.js")).tag(sync=True)
    value = traitlets.Bytes(b"").tag(sync=True)
    alt = traitlets.Unicode("").tag(sync=True)
    caption = traitlets.Unicode("").tag(sync=True)

    def __repr__(self) -> str:
        return f"Figure: {self.alt}"
