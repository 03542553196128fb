"""A static teaching figure on the page: the picture, named for screen readers, with its text description tied to it."""

from __future__ import annotations

import base64
from typing import Any

from ..markup import escape
from .rich import Rich

__all__ = ["figure"]


def figure(made: Any, name: str) -> Rich:
    """``<figure>`` with the PNG (alt text: the title) described by its caption (``aria-describedby``)."""
    element = "fig-" + "".join(c if c.isalnum() else "-" for c in name)
    png = base64.b64encode(made.to_png()).decode("ascii")
    paragraphs = "".join(f"<p>{escape(p)}</p>" for p in made.description.split("\n") if p.strip())
    html = (
        f'<figure class="stemtrain-figure" aria-labelledby="{element}-title">'
        f'<img src="data:image/png;base64,{png}" alt="{escape(made.title)}" aria-describedby="{element}-text">'
        f'<figcaption class="stemtrain-figure-caption"><p id="{element}-title"><strong>Figure: {escape(made.title)}.</strong></p>'
        f'<div id="{element}-text">{paragraphs}</div></figcaption></figure>'
    )
    return Rich(html, f"Figure: {made.title}. {made.description}")
