"""The numeric view: a text box that takes a number the way clinic staff type one."""

from __future__ import annotations

import math
import re
from typing import Any

import ipywidgets as w

from ..model import Numeric
from .base import Incomplete, QuestionView

__all__ = ["NumericView", "parse_number"]

_PERCENT = {"%", "percent", "per cent"}
_PLAIN = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")
_THOUSANDS = re.compile(r"[+-]?\d{1,3}(,\d{3})+(\.\d+)?")
_EURO_THOUSANDS = re.compile(r"[+-]?\d{1,3}(\.\d{3})+(,\d+)?")


def parse_number(text: str, unit: str = "") -> float:
    """Read a typed number: "0.69", "0,69" (decimal comma), "1,234.5", "1.234,5", "69%" where the unit is percent.

    Input that could mean two numbers ("1,000": one thousand, or one with a decimal comma?) is refused with a
    message that says how to type it, never guessed.
    """
    raw = " ".join(text.split())
    if len(raw) > 40:
        raise Incomplete("Type an ordinary number (for example 2.5), then press Check.")
    suffix = unit.strip().lower()
    lowered = raw.lower()
    for end in ({suffix} | (_PERCENT if suffix in _PERCENT else set())) - {""}:
        if lowered.endswith(end):
            raw = raw[: -len(end)].strip()
            break
    raw = raw.replace(" ", "").replace("\u2212", "-")
    if _PLAIN.fullmatch(raw):
        value = float(raw)
    elif "," in raw and "." not in raw and raw.count(",") == 1:
        whole, _, frac = raw.partition(",")
        if len(frac) == 3 and whole.lstrip("+-") not in ("", "0"):
            raise Incomplete(
                f"“{text.strip()}” could be read two ways. Type it without a comma, for example {whole}{frac} or {whole}.{frac}."
            )
        if not _PLAIN.fullmatch(f"{whole}.{frac}"):
            raise Incomplete("Type a number (for example 2.5), then press Check.")
        value = float(f"{whole}.{frac}")
    elif _THOUSANDS.fullmatch(raw):
        value = float(raw.replace(",", ""))
    elif _EURO_THOUSANDS.fullmatch(raw):
        value = float(raw.replace(".", "").replace(",", "."))
    else:
        raise Incomplete("Type a number (for example 2.5), then press Check.")
    if not math.isfinite(value):
        raise Incomplete("Type an ordinary number, then press Check.")
    return value


class NumericView(QuestionView):
    """A text box that takes a number; the unit is part of its label."""

    question: Numeric

    def _build_inputs(self) -> tuple[w.Widget, ...]:
        unit = f" ({self.question.unit})" if self.question.unit else ""
        self.number = w.Text(value="", description=f"Your answer{unit}:", placeholder="a number", style={"description_width": "initial"})
        return (self.number,)

    def _response(self) -> float:
        return parse_number(self.number.value, self.question.unit)

    def _set_response(self, response: Any) -> None:
        self.number.value = f"{float(response):g}"

    def _clear_inputs(self) -> None:
        self.number.value = ""
