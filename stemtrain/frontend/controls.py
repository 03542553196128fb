"""The quiz's own front-end controls (anywidget): option rows that grow with their text, a feedback panel that
takes the focus after Check, a labelled slider, and the course style sheet. Each is a small ES module in
``stemtrain/frontend/``; nothing is fetched from outside the page.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import anywidget
import traitlets

__all__ = ["ChoiceGroup", "FeedbackPanel", "RangeControl", "StatusLine", "asset", "course_css"]

_FRONTEND = Path(__file__).resolve().parent


@cache
def asset(name: str) -> str:
    return (_FRONTEND / name).read_text(encoding="utf-8")


def course_css() -> str:
    """The course style sheet (scoped to ``stemtrain-`` classes)."""
    return asset("course.css")


class ChoiceGroup(anywidget.AnyWidget):
    """Options as full-width rows: radio buttons (one choice) or checkboxes (several), in a labelled fieldset."""

    _esm = traitlets.Unicode(asset("choices.js")).tag(sync=True)
    options: traitlets.List[Any] = traitlets.List(help="(label text, option id) pairs, in the order shown").tag(sync=True)
    value = traitlets.Any(None, allow_none=True, help="the chosen option id, or a list of ids when multiple").tag(sync=True)
    multiple = traitlets.Bool(False, help="checkboxes instead of radio buttons").tag(sync=True)
    disabled = traitlets.Bool(False).tag(sync=True)
    group = traitlets.Unicode("", help="the name that joins the radio buttons into one group (one Tab stop)").tag(sync=True)
    legend = traitlets.Unicode("Your answer:").tag(sync=True)
    labelledby = traitlets.Unicode("", help="id of the element (the question's prompt) that names the group").tag(sync=True)
    revision = traitlets.Int(0, help="incremented when the library (not the learner) sets the value").tag(sync=True)

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        if self.value is None and self.multiple:
            self.value = []
        self.on_msg(self._on_pick)

    def _on_pick(self, _widget: Any, content: Any, _buffers: Any) -> None:
        """The learner ticked or unticked an option; anything that is not an option of this group is ignored."""
        if self.disabled or not isinstance(content, dict) or "value" not in content:
            return  # a checked question keeps its answer until Try again
        ids = [option_id for _label, option_id in self.options]
        value = content["value"]
        if self.multiple and isinstance(value, list) and all(v in ids for v in value):
            self.value = [v for v in ids if v in value]
        elif not self.multiple and (value is None or value in ids):
            self.value = value

    def set(self, value: Any) -> None:
        """Set the choice from the library (restore, Try again), and show it in the page."""
        self.value = value
        self.revision += 1

    def __repr__(self) -> str:
        return f"Choices: {', '.join(label for label, _ in self.options)}"


class FeedbackPanel(anywidget.AnyWidget):
    """The verdict, feedback and explanation after a check; ``focus()`` moves the keyboard focus to it."""

    _esm = traitlets.Unicode(asset("feedback.js")).tag(sync=True)
    value = traitlets.Unicode("", help="escaped HTML made by quiz.render").tag(sync=True)
    focus_count = traitlets.Int(0, help="incremented to ask the page to focus the panel").tag(sync=True)

    def focus(self) -> None:
        self.focus_count += 1

    def __repr__(self) -> str:
        return "Feedback appears here after Check."


class StatusLine(anywidget.AnyWidget):
    """One line that every quiz on a page shows (saving trouble, in words); it also carries the course style.

    The page pings it every few seconds; a kernel that has died cannot answer, and the page then says so.
    """

    _esm = traitlets.Unicode(asset("status.js")).tag(sync=True)
    _css = traitlets.Unicode(asset("course.css")).tag(sync=True)
    value = traitlets.Unicode("").tag(sync=True)

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.on_msg(self._on_ping)

    def _on_ping(self, _widget: Any, content: Any, _buffers: Any) -> None:
        if isinstance(content, dict) and isinstance(content.get("ping"), int):
            self.send({"pong": content["ping"]})

    def __repr__(self) -> str:
        return ""


class RangeControl(anywidget.AnyWidget):
    """A native, labelled slider with its value shown: arrow keys move it, screen readers name it.

    With ``integer`` set, its value is a whole number (as the drawing functions of grades expect).
    """

    _esm = traitlets.Unicode(asset("range.js")).tag(sync=True)
    value = traitlets.Any(0.0).tag(sync=True)
    integer = traitlets.Bool(False).tag(sync=True)
    min = traitlets.Float(0.0).tag(sync=True)
    max = traitlets.Float(100.0).tag(sync=True)
    step = traitlets.Float(1.0).tag(sync=True)
    unit = traitlets.Unicode("").tag(sync=True)
    description = traitlets.Unicode("").tag(sync=True)
    disabled = traitlets.Bool(False).tag(sync=True)

    @traitlets.validate("value")
    def _number(self, proposal: dict[str, Any]) -> Any:
        value = float(proposal["value"])
        return round(value) if self.integer else value

    def __repr__(self) -> str:
        return f"{self.description}: {self.value:g}{self.unit}"
