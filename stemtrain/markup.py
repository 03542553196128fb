"""Safe text: the small Markdown subset banks may use, rendered with all raw HTML escaped.

Bank and learner text reaches the browser only through these functions. markdown-it-py with HTML
disabled turns ``<script>`` into visible text and refuses ``javascript:`` links; only emphasis, lists,
links and inline code are switched on.
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Mapping
from functools import lru_cache
from typing import Any

__all__ = ["Rendered", "escape", "preload", "prerender", "render", "render_inline", "to_plain"]

Rendered = dict[str, tuple[str, str, str]]
"""Text -> (block HTML, inline HTML, plain text): the course's texts rendered once, when the course is built."""

_KNOWN: Rendered = {}


def escape(text: str) -> str:
    """Escape text (a learner's name, a label) for HTML, quotes included."""
    return html.escape(str(text), quote=True)


def _safe_link(url: str) -> bool:
    """Only web, mail and in-page links: never ``javascript:``, ``data:`` or ``vbscript:``."""
    return url.lower().startswith(("https://", "http://", "mailto:", "#"))


@lru_cache(maxsize=1)
def _md() -> Any:
    """The Markdown renderer (markdown_it is imported lazily: only pages that show text need it)."""
    from markdown_it import MarkdownIt

    md = MarkdownIt("zero", {"html": False, "linkify": False, "typographer": False})
    md.enable(["emphasis", "link", "list", "newline", "backticks", "escape"])

    def _link_open(renderer: Any, tokens: Any, idx: int, options: Any, env: Any) -> Any:
        tokens[idx].attrSet("target", "_blank")
        tokens[idx].attrSet("rel", "noopener noreferrer")
        return renderer.renderToken(tokens, idx, options, env)

    md.add_render_rule("link_open", _link_open)
    md.validateLink = _safe_link  # type: ignore[method-assign]
    return md


@lru_cache(maxsize=4096)
def render(text: str) -> str:
    """Block Markdown (paragraphs, lists) to safe HTML."""
    known = _KNOWN.get(text)
    return known[0] if known is not None else str(_md().render(str(text))).strip()


@lru_cache(maxsize=4096)
def render_inline(text: str) -> str:
    """Inline Markdown (bold, italics, links) to safe HTML without a wrapping paragraph."""
    known = _KNOWN.get(text)
    return known[1] if known is not None else str(_md().renderInline(str(text))).strip()


@lru_cache(maxsize=4096)
def to_plain(text: str) -> str:
    """The text a reader sees, without Markdown marks: for widget labels that show plain text."""
    known = _KNOWN.get(text)
    if known is not None:
        return known[2]
    out: list[str] = []
    for token in _md().parseInline(str(text)):
        for child in token.children or []:
            if child.type in ("text", "code_inline"):
                out.append(child.content)
            elif child.type in ("softbreak", "hardbreak"):
                out.append(" ")
    return "".join(out).strip()


def prerender(texts: Iterable[str]) -> Rendered:
    """Render every text in all three forms, once (the course cache keeps the result)."""
    return {t: (render(t), render_inline(t), to_plain(t)) for t in set(texts)}


def preload(rendered: Mapping[str, tuple[str, str, str]]) -> None:
    """Serve these texts without markdown_it: a warm module page never imports it."""
    _KNOWN.update(rendered)
