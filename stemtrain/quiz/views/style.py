"""Layout and style models shared by every quiz widget, and the small widget factories that use them.

Each ipywidgets widget otherwise opens its own layout and style models; sharing them roughly halves the
messages a quiz sends to the browser. A shared layout is frozen once made, so a view that wants to hide or
resize one widget must give it its own ``Layout`` instead of changing every question on the page.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import ipywidgets as w
from ipywidgets.widgets.widget_bool import CheckboxStyle
from ipywidgets.widgets.widget_description import DescriptionStyle
from ipywidgets.widgets.widget_string import HTMLStyle

__all__ = ["FrozenLayout", "auto_width", "button", "html", "shared"]


class FrozenLayout(w.Layout):
    """A layout that refuses changes after it is made: it is shown by many widgets at once."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._frozen = True

    def __setattr__(self, name: str, value: Any) -> None:
        if getattr(self, "_frozen", False) and name in self.keys:
            raise AttributeError(f"this layout is shared by many quiz widgets; give the widget its own Layout to change {name!r}")
        super().__setattr__(name, value)


_MAKERS: dict[str, Callable[[], w.Widget]] = {
    "auto": lambda: FrozenLayout(width="auto"),
    "plain": FrozenLayout,
    "wide": lambda: DescriptionStyle(description_width="initial"),
    "html": HTMLStyle,
    "button": w.ButtonStyle,
    "checkbox": CheckboxStyle,
}
_SHARED: dict[str, w.Widget] = {}


def shared(name: str) -> Any:
    """The one shared model of that name (made again if its comm was closed)."""
    model = _SHARED.get(name)
    if model is None or model.comm is None:
        model = _SHARED[name] = _MAKERS[name]()
    return model


def auto_width() -> w.Layout:
    return shared("auto")


def html(value: str = "", *classes: str) -> w.HTML:
    widget = w.HTML(value, layout=shared("plain"), style=shared("html"))
    for name in classes:
        widget.add_class(name)
    return widget


def button(**kwargs: Any) -> w.Button:
    return w.Button(layout=shared("plain"), style=shared("button"), **kwargs)
