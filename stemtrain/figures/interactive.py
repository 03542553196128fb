"""Interactive figures: a control redraws a teaching figure into an Image widget with a text caption.

This module and ``explorers`` (the controls of each explorer) are the only figures modules that import ipywidgets.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

import ipywidgets

from .figureview import FigureImage

if TYPE_CHECKING:
    from .base import TeachingFigure

__all__ = ["InteractiveFigure", "caption_html"]


def caption_html(description: str) -> str:
    """Escape a figure description for the HTML caption, keeping its line breaks as paragraphs."""
    paragraphs = [html.escape(p) for p in description.split("\n") if p.strip()]
    return "".join(f"<p>{p}</p>" for p in paragraphs)


class InteractiveFigure(ipywidgets.VBox):
    """A teaching figure that redraws when a learner moves a control.

    ``control`` is one widget (``draw`` is called with its value) or a mapping of keyword name to
    widget (``draw`` is called with one keyword argument per widget). Each control must carry a
    ``description`` so that screen readers announce it.

    ``draw`` may be a function, or a reference ``"module:function"`` inside ``stemtrain.figures``: then
    drawings come from the figure cache and the drawing module (and matplotlib) is imported only when a
    view has never been drawn before.
    """

    def __init__(
        self,
        draw: Callable[..., TeachingFigure] | str,
        control: ipywidgets.ValueWidget | Mapping[str, ipywidgets.ValueWidget],
        name: str,
        **kwargs: Any,
    ) -> None:
        """Draw the default view once, then watch the control(s) for changes."""
        if isinstance(control, Mapping):
            self._controls: dict[str, ipywidgets.ValueWidget] = dict(control)
            self._single = False
        else:
            self._controls = {"value": control}
            self._single = True
        for widget in self._controls.values():
            if not getattr(widget, "description", ""):
                raise ValueError("every control needs a description for screen readers")
        self._draw = draw
        self._figure_name = name
        first = self._render()
        self.image = FigureImage(value=first.to_png(), alt=first.title, caption=caption_html(first.description))
        control_box = ipywidgets.VBox(children=tuple(self._controls.values()))
        control_box.add_class("stemtrain-explorer-controls")
        super().__init__(children=(control_box, self.image), **kwargs)
        self.add_class("stemtrain-explorer")
        for widget in self._controls.values():
            widget.observe(self._on_value_change, names="value")

    @property
    def control(self) -> ipywidgets.ValueWidget:
        """The first (for single-control figures, the only) control widget."""
        return next(iter(self._controls.values()))

    @property
    def controls(self) -> dict[str, ipywidgets.ValueWidget]:
        """All control widgets, by the keyword they feed to the draw function."""
        return dict(self._controls)

    def __repr__(self) -> str:
        """A short, stable text so notebook text/plain outputs do not change between runs."""
        return f"Interactive figure: {self._figure_name}. Choose Run > Run All Cells to use its controls."

    def redraw(self) -> None:
        """Draw the figure for the controls' current values and update image and caption if they changed."""
        drawn = self._render()
        png = drawn.to_png()
        if self.image.value != png:
            self.image.value = png
        text = caption_html(drawn.description)
        if self.image.caption != text:
            self.image.caption = text
        if self.image.alt != drawn.title:
            self.image.alt = drawn.title

    def _render(self) -> Any:
        """Call the pure draw function with the current control values (through the cache for a reference)."""
        values = {key: widget.value for key, widget in self._controls.items()}
        if not isinstance(self._draw, str):
            return self._draw(values["value"]) if self._single else self._draw(**values)
        import importlib

        from .cache import cached

        module, _, func = self._draw.partition(":")

        def draw() -> TeachingFigure:
            function = getattr(importlib.import_module(f"stemtrain.figures.{module}"), func)
            drawn: TeachingFigure = function(values["value"]) if self._single else function(**values)
            return drawn

        return cached(self._draw, values, draw)

    def _on_value_change(self, change: dict[str, Any]) -> None:
        """Observer: redraw only when the value really changed."""
        if change.get("new") == change.get("old"):
            return
        self.redraw()
