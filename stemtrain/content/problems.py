"""Problems found in course content, reported as ``file:line: item: field: what is wrong``.

Every loader collects all problems of a file before failing, so an author fixes a bank in one pass.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

__all__ = ["ContentError", "Problem", "item_and_field"]


@dataclass(frozen=True)
class Problem:
    """One thing wrong in one file, located as precisely as the file allows."""

    file: str
    line: int
    item: str
    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.item}: {self.field}: {self.message}"


class ContentError(ValueError):
    """Raised instead of returning half-loaded content; carries every problem found."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


def item_and_field(data: Any, path: tuple[Any, ...]) -> tuple[str, str]:
    """Name the question (the innermost one on the path) and the field below it."""
    item, rest, node = "-", list(path), data
    for i, key in enumerate(path):
        if isinstance(node, dict) and key in ("questions", "references", "terms") and i + 1 < len(path):
            entry = node[key][path[i + 1]] if isinstance(node.get(key), list) and isinstance(path[i + 1], int) else None
            if isinstance(entry, dict):
                label = entry.get("id") or entry.get("term")
                item = str(label)[:80] if isinstance(label, (str, int)) and label != "" else f"{key}[{path[i + 1]}]"
                rest = list(path[i + 2 :])
        try:
            node = node[key]
        except (KeyError, IndexError, TypeError):
            break
    text = ""
    for key in rest:
        text += f"[{key}]" if isinstance(key, int) else (f".{key}" if text else str(key))
    return item, text or "-"
