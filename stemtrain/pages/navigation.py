"""Previous, next and the course map: links between module pages that work in course mode and in JupyterLab."""

from __future__ import annotations

from typing import Any

from ..content.paths import module_notebooks
from ..markup import escape
from .rich import Rich

__all__ = ["navigation"]


def navigation(course: Any, module: str) -> Rich:
    """The links around ``module``, in course order; a relative ``NN-slug.ipynb`` href each."""
    modules = [p.stem for p in module_notebooks()]
    here = modules.index(module) if module in modules else -1

    def name(m: str) -> str:
        bank = course.banks.get(m)
        return f"{m[:2]} · {bank.title}" if bank else m

    links: list[tuple[str, str, str]] = []
    if here > 0:
        links.append(("prev", modules[here - 1], f"← Previous: {name(modules[here - 1])}"))
    if modules and module != modules[0]:
        links.append(("start", modules[0], "Course map"))
    if 0 <= here < len(modules) - 1:
        links.append(("next", modules[here + 1], f"Next: {name(modules[here + 1])} →"))
    html = " · ".join(f'<a class="stemtrain-nav-{kind}" href="{escape(m)}.ipynb">{escape(label)}</a>' for kind, m, label in links)
    return Rich(
        f'<nav class="stemtrain-nav" aria-label="Course navigation"><p>{html}</p></nav>', " | ".join(label for _, _, label in links)
    )
