"""What an instructor notebook cell shows: HTML with a plain-text twin, or a figure with its description.

Both give the same output on every run (the figure's PNG is not compared by nbval; its text is), and neither
needs a widget, so a committed notebook reads well before anyone runs it.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass
from typing import Any

__all__ = ["FigureBlock", "HtmlBlock"]


@dataclass(frozen=True)
class HtmlBlock:
    """HTML whose every learner or bank text was escaped where it was built; ``text`` is what ``print`` shows."""

    html: str
    text: str

    def _repr_html_(self) -> str:
        return self.html

    def __repr__(self) -> str:
        return self.text


@dataclass(frozen=True)
class FigureBlock:
    """A teaching figure as PNG, with its text description (what a screen-reader user should learn from it)."""

    png: bytes
    title: str
    description: str

    @classmethod
    def of(cls, figure: Any) -> FigureBlock:
        """From a ``stemtrain.figures.base.TeachingFigure`` (the figure is closed after drawing)."""
        png = figure.to_png()
        figure.figure.clear()
        return cls(png, figure.title, figure.description)

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> dict[str, Any]:
        return {"image/png": base64.b64encode(self.png).decode("ascii"), "text/plain": f"{self.title}. {self.description}"}

    def __repr__(self) -> str:
        return f"{self.title}. {self.description}"
