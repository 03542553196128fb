"""The instructor's live console: one widget in the dashboard or session-guide notebook.

Usage::

    from stemtrain.live import live_console
    live_console("http://127.0.0.1:8765/", token, questions=["start-investigational", "talk-own-fat-facts"])

Its buttons call the class service from the browser (start, push, close, reveal, end), and its bar chart
refreshes about once a second with the room's counts (never names), also while the kernel is busy.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

import anywidget
import traitlets

__all__ = ["IDLE_TEXT", "LiveConsole", "live_console"]

_HERE = Path(__file__).parent
IDLE_TEXT = "No class service: start one (stemtrain class serve) and open this notebook where it runs, to push live questions."


class LiveConsole(anywidget.AnyWidget):
    """Start, push, close, reveal and end, with the room's counts as bars; the page clears the token from the widget state."""

    _esm = (_HERE / "common.js").read_text(encoding="utf-8") + (_HERE / "console.js").read_text(encoding="utf-8")
    _css = _HERE / "live.css"
    url = traitlets.Unicode("", help="the class service address the browser calls (empty: none running)").tag(sync=True)
    questions = traitlets.List(traitlets.Dict(), help="questions offered for pushing: {id, label}").tag(sync=True)
    token = traitlets.Unicode("", help="the token, for the page's first render only: the page clears it at once").tag(sync=True)
    interval_ms = traitlets.Int(1000, help="how often the console asks the service, in milliseconds").tag(sync=True)
    idle_text = traitlets.Unicode(IDLE_TEXT, help="what the console says without a service").tag(sync=True)

    def __init__(self, url: str = "", token: str = "", *, questions: Iterable[dict[str, str]] = (), **kwargs: Any) -> None:
        super().__init__(url=url, token=token, questions=list(questions), **kwargs)
        self._token = token
        self.on_msg(self._handle_message)

    def __repr__(self) -> str:
        return f"LiveConsole({len(self.questions)} questions{', connected' if self.url else ', no class service'})"

    def _handle_message(self, _: Any, content: Any, buffers: Any) -> None:
        if isinstance(content, dict) and content.get("type") == "token?" and self._token:
            self.send({"type": "token", "token": self._token})


def question_choices(question_ids: Iterable[str], course: Any = None) -> list[dict[str, str]]:
    """``{id, label}`` for the console's list: the id and the start of the prompt (public text only)."""
    from ..markup import to_plain

    if course is None:
        from ..content import load_course

        course = load_course()
    out = []
    for qid in question_ids:
        bank = next((b for b in course.banks.values() if qid in b.by_id), None)
        if bank is None:
            raise KeyError(f"no question {qid!r} in the course banks")
        prompt = to_plain(bank[qid].prompt)
        out.append({"id": qid, "label": f"{qid}: {prompt[:70]}{'…' if len(prompt) > 70 else ''}"})
    return out


def live_console(url: str = "", token: str = "", *, questions: Iterable[str] = (), course: Any = None) -> LiveConsole:
    """The console for the service at ``url``, offering ``questions`` (bank ids of choice questions) to push."""
    return LiveConsole(url, token, questions=question_choices(questions, course))
