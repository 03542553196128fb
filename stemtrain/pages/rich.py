"""A block of HTML with a plain-text twin: what every page function returns."""

from __future__ import annotations

from typing import Any

__all__ = ["Rich"]


class Rich:
    """Displayed by Jupyter as HTML, and as its text wherever HTML is not shown (and in nbval comparisons)."""

    def __init__(self, html: str, text: str) -> None:
        self.html = html
        self.text = text

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> dict[str, str]:
        return {"text/html": self.html, "text/plain": self.text}

    def __repr__(self) -> str:
        return self.text
