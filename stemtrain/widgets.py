"""The course's page furniture as widgets (not quiz views: those live in ``stemtrain.quiz.views``).

``PageBar`` is the bar at the top and the foot of every module page, and the course map of the start page. Its
links are worked out in the browser, where the page is known: a relative page in course mode, a document opened
inside JupyterLab otherwise, so the same notebook links correctly in both.
"""

from __future__ import annotations

import os
from typing import Any

import anywidget
import ipywidgets
import traitlets

from .frontend.controls import asset

__all__ = ["PageBar", "PageTop", "lab_dir"]


def lab_dir() -> str:
    """The notebook's folder relative to the JupyterLab server's root (Jupyter tells the kernel its notebook's path)."""
    session = os.environ.get("JPY_SESSION_NAME", "")
    return os.path.dirname(session).strip("/") if session and not os.path.isabs(session) else "notebooks"


class PageBar(anywidget.AnyWidget):
    """Who is signed in, the page's score and the links around it (``kind="bar"``), or the course map (``"map"``)."""

    _esm = traitlets.Unicode(asset("pages.js")).tag(sync=True)
    _css = traitlets.Unicode(asset("course.css")).tag(sync=True)
    kind = traitlets.Unicode("bar").tag(sync=True)
    label = traitlets.Unicode("Course navigation").tag(sync=True)
    who = traitlets.Unicode("").tag(sync=True)
    score = traitlets.Unicode("").tag(sync=True)
    links: traitlets.List[Any] = traitlets.List(help="{kind, label, file, hash} for each link").tag(sync=True)
    rows: traitlets.List[Any] = traitlets.List(help="course map rows: {label, file, hash, answered, total, score}").tag(sync=True)
    lab_dir = traitlets.Unicode("notebooks", help="the notebooks' folder below JupyterLab's root").tag(sync=True)

    def __init__(self, text: str = "", **kwargs: Any) -> None:
        super().__init__(lab_dir=lab_dir(), **kwargs)
        self._text = text

    def __repr__(self) -> str:
        # What a notebook shows where widgets cannot run, and what nbval compares.
        return self._text


class PageTop(ipywidgets.VBox):
    """The top of a module page: its bar, under it the page's status line (saving trouble, a lost kernel), and in
    a class the live-question panel."""

    def __init__(self, bar: PageBar, status: Any, *more: Any) -> None:
        super().__init__(children=(bar, status, *more))
        self.bar = bar

    def __repr__(self) -> str:
        return repr(self.bar)
