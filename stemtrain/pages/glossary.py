"""A module's glossary: the terms it introduces, each defined in plain words with its source."""

from __future__ import annotations

from typing import Any

from ..markup import escape, render_inline, to_plain
from .rich import Rich

__all__ = ["glossary"]


def glossary(course: Any, module: str) -> Rich:
    """The glossary terms this module introduces, with their sources."""
    terms = [t for t in course.glossary if module in t.modules]
    refs = course.references
    rows = []
    for t in terms:
        cites = "; ".join(escape(refs[r].cite) for r in t.references if r in refs)
        rows.append(f"<dt><strong>{escape(t.term)}</strong></dt><dd>{render_inline(t.definition)} <small>[{cites}]</small></dd>")
    html = f'<dl class="stemtrain-glossary">{"".join(rows)}</dl>'
    text = "\n".join(f"{t.term}: {to_plain(t.definition)}" for t in terms)
    return Rich(html, text or "(no glossary terms for this module)")
