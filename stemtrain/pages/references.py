"""A module's reference list: every source its text and its quizzes cite, from the course bibliography."""

from __future__ import annotations

import re
from typing import Any

from ..content.notebooktext import markdown_cells
from ..content.paths import notebook_path
from ..markup import escape
from .rich import Rich

__all__ = ["CITATION", "cited", "find_citations", "references"]

CITATION = re.compile(r"\[([^\[\]\n]{2,200})\](?!\()")
"""``[Label]`` or ``[Label; Label]`` in Markdown, not a link; the one citation grammar of the course."""


def find_citations(markdown: str, cites: set[str]) -> list[str]:
    """The bibliography labels cited in Markdown, in order of first use."""
    found: list[str] = []
    for group in CITATION.findall(markdown):
        for label in (part.strip() for part in group.split(";")):
            if label in cites and label not in found:
                found.append(label)
    return found


def cited(course: Any, module: str) -> list[str]:
    """Reference ids a module cites: in its notebook's Markdown first, then in its bank."""
    by_cite = {r.cite: r.id for r in course.references.values()}
    ids: list[str] = []
    path = notebook_path(module)
    if path.exists():
        text = "\n".join(source for _, source in markdown_cells(path))
        ids = [by_cite[c] for c in find_citations(text, set(by_cite))]
    bank = course.banks.get(module)  # the final assessment's page has no bank: its text alone cites
    ids.extend(r for r in (bank.cited() if bank is not None else []) if r not in ids)
    return ids


def references(course: Any, module: str) -> Rich:
    """The module's reference list, sorted by label, each with a plain confidence note where a source is weak."""
    refs = sorted((course.references[r] for r in cited(course, module)), key=lambda r: r.cite.lower())
    items = []
    for r in refs:
        note = r.learner_note or ("Checked only through a secondary source." if r.confidence == "secondary" else "")
        note_html = f' <em class="stemtrain-confidence">{escape(note)}</em>' if note else ""
        link = r.link
        linked = (
            f'<a href="{escape(link)}" target="_blank" rel="noopener noreferrer">{escape(link)}</a>'
            if link.startswith(("https://", "http://"))
            else escape(link)
        )
        body = escape(r.format().rsplit(". ", 1)[0])
        items.append(f'<li id="ref-{escape(r.id)}"><strong>[{escape(r.cite)}]</strong> {body}. {linked}{note_html}</li>')
    html = f'<ul class="stemtrain-references">{"".join(items)}</ul>'
    text = "\n".join(f"[{r.cite}] {r.format()}" for r in refs)
    return Rich(html, text)
