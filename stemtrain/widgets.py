"""Small widgets shared by the course's pages (not quiz views: those live in ``stemtrain.quiz.view``)."""

from __future__ import annotations

import ipywidgets as w

__all__ = ["LinkBar"]


class LinkBar(w.HTML):
    """Links in a widget, so they open in the same tab in course mode (rendered HTML outputs get target=_blank).

    Its text form (shown where widgets cannot run) is the links' labels.
    """

    def __init__(self, html: str, text: str) -> None:
        super().__init__(value=html)
        self._text = text
        self.add_class("stemtrain-linkbar")

    def __repr__(self) -> str:
        return self._text
