"""The learner's live panel: one widget a module page shows, whose browser-side code does all the work.

Usage on a learner page (JupyterLab or course mode), as the last line of a cell::

    from stemtrain.live import live_panel
    live_panel()

Out of a class it shows one quiet line; in a class it shows each question the instructor pushes, takes one
answer, and shows the answer and explanation when the instructor reveals them.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import anywidget
import traitlets

from .credentials import learner_access

__all__ = ["IDLE_TEXT", "LivePanel", "live_panel"]

_HERE = Path(__file__).parent
IDLE_TEXT = "Live questions from your instructor appear here when you take the course in a class (stemtrain class join)."


def live_panel(*, url: str | None = None, token: str | None = None, interval: float = 1.0) -> LivePanel:
    """The panel for this learner's class (found as their records are: ``stemtrain.live.credentials``)."""
    access = learner_access(url, token)
    return LivePanel(access.page_url, access.token, interval=interval)


class LivePanel(anywidget.AnyWidget):
    """Polls the class service from the browser; the page clears the token from the widget state on first render."""

    _esm = (_HERE / "common.js").read_text(encoding="utf-8") + (_HERE / "panel.js").read_text(encoding="utf-8")
    _css = _HERE / "live.css"
    url = traitlets.Unicode("", help="the class service address the browser calls (empty: not in a class)").tag(sync=True)
    token = traitlets.Unicode("", help="the token, for the page's first render only: the page clears it at once").tag(sync=True)
    interval_ms = traitlets.Int(1000, help="how often the page asks the service, in milliseconds").tag(sync=True)
    idle_text = traitlets.Unicode(IDLE_TEXT, help="what the panel says outside a class").tag(sync=True)

    def __init__(self, url: str = "", token: str = "", *, interval: float = 1.0, **kwargs: Any) -> None:
        super().__init__(url=url, token=token, interval_ms=round(1000 * interval), **kwargs)
        self._token = token
        self.on_msg(self._handle_message)

    def __repr__(self) -> str:
        return "LivePanel(in a class)" if self.url else "LivePanel(not in a class)"

    def _handle_message(self, _: Any, content: Any, buffers: Any) -> None:
        if isinstance(content, dict) and content.get("type") == "token?" and self._token:
            self.send({"type": "token", "token": self._token})
