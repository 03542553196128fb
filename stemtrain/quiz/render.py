"""Quiz HTML, with no widgets: prompts, feedback panels, citations, points and figure captions.

Views, pages, certificates, exports and dashboards all show the same pieces, so they live here, pure.
Every text from a bank or a learner goes through ``markup`` (escaped, safe Markdown) on its way in.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Protocol

from ..markup import escape, render, render_inline
from .grading import Result

__all__ = ["SYMBOL", "Citable", "caption_html", "citations_html", "feedback_html", "points", "prompt_html", "status_html"]

SYMBOL = {"Correct": "✔", "Partly correct": "◐", "Not correct": "✘"}


class Citable(Protocol):
    """What a citation needs of a bibliography entry (``content.references.Reference`` has it)."""

    @property
    def cite(self) -> str: ...
    @property
    def link(self) -> str: ...
    @property
    def confidence(self) -> str: ...
    def format(self) -> str: ...


def points(score: float) -> str:
    """Whole points as they are, partial credit to one decimal place: "2", "2.5"."""
    return f"{score:.0f}" if abs(score - round(score)) < 1e-9 else f"{score:.1f}"


def prompt_html(label: str, prompt: str, *, element_id: str = "") -> str:
    """A question's label ("Question 2", "Part 1 of 3") and its prompt."""
    id_attr = f' id="{escape(element_id)}"' if element_id else ""
    return f'<div class="stemtrain-prompt"{id_attr}><p class="stemtrain-label"><strong>{escape(label)}</strong></p>{render(prompt)}</div>'


def _joined(label: str, text: str) -> str:
    """ "Label: text" without doubled punctuation when the label already ends a sentence."""
    label_html = render_inline(label)
    sep = " " if label.rstrip().endswith((".", "?", "!", ":", "…")) else ": "
    return f"<li><strong>{label_html}</strong>{sep}{render_inline(text)}</li>"


def feedback_html(result: Result, references: Mapping[str, Citable], *, saved_note: str = "") -> str:
    """A feedback panel: verdict in words and a symbol, per-answer feedback, the explanation and its sources."""
    verdict = result.verdict
    kind = verdict.lower().replace(" ", "-")
    parts = [
        f'<div class="stemtrain-feedback-body stemtrain-{kind}" role="status" tabindex="-1">',
        f'<p class="stemtrain-verdict"><span class="stemtrain-icon" aria-hidden="true">{SYMBOL[verdict]}</span> <strong>{verdict}</strong>',
    ]
    if not result.correct and result.score > 0:
        parts.append(f" (score {result.score:.0%})")
    parts.append("</p>")
    if result.feedback:
        parts.append('<ul class="stemtrain-option-feedback">')
        parts.extend(_joined(label, text) for label, text in result.feedback)
        parts.append("</ul>")
    if result.explanation:
        parts.append(f'<div class="stemtrain-explanation"><strong>Why:</strong> {render(result.explanation)}</div>')
    if result.references:
        parts.append(f'<p class="stemtrain-sources"><strong>Sources:</strong> {citations_html(result.references, references)}</p>')
    if saved_note:
        parts.append(f'<p class="stemtrain-saved-note">{escape(saved_note)}</p>')
    parts.append("</div>")
    return "".join(parts)


def citations_html(ids: Iterable[str], references: Mapping[str, Citable]) -> str:
    """Short citations, each linked to its source and titled with the full reference."""
    out = []
    for rid in ids:
        ref = references.get(rid)
        if ref is None:
            out.append(escape(rid))
            continue
        text = escape(ref.cite)
        if ref.confidence == "secondary":
            text += " (secondary source)"
        link = ref.link
        if link.startswith(("https://", "http://")):
            out.append(f'<a href="{escape(link)}" target="_blank" rel="noopener noreferrer" title="{escape(ref.format())}">{text}</a>')
        else:
            out.append(f'<span title="{escape(ref.format())}">{text}</span>')
    return "; ".join(out)


def caption_html(title: str, description: str, *, element_id: str = "") -> str:
    """A figure's caption: its title and the text description a screen-reader user needs."""
    paragraphs = "".join(f"<p>{escape(p)}</p>" for p in description.split("\n") if p.strip())
    id_attr = f' id="{escape(element_id)}"' if element_id else ""
    return f'<div class="stemtrain-figure-caption"{id_attr}><p><strong>Figure: {escape(title)}.</strong></p>{paragraphs}</div>'


def status_html(message: str, *, kind: str = "warning") -> str:
    """A status line in a quiz ("your answers are not being saved: …"), or nothing."""
    if not message:
        return ""
    symbol = {"warning": "⚠", "ok": "✔", "info": "ℹ"}.get(kind, "⚠")
    return (
        f'<p class="stemtrain-status stemtrain-status-{escape(kind)}" role="alert">'
        f'<span aria-hidden="true">{symbol}</span> {escape(message)}</p>'
    )
