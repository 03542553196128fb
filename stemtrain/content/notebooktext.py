"""The Markdown a learner reads in a notebook, without decoding its outputs every time.

A course notebook is mostly outputs (figures, widget state): megabytes of JSON around a few kilobytes of
text. The lint and the reference lists need only the Markdown cells, so those are cached on disk per
notebook, keyed by its size and modification time.
"""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

from ..cache import atomic_write, cache_dir

__all__ = ["markdown_cells", "objectives", "quiz_order"]

_QUIZ = re.compile(r"course\.quiz\(([^)]*)\)")
_ID = re.compile(r"""["']([a-z0-9][a-z0-9-]*)["']\s*(?=,|$)""")


def markdown_cells(path: Path) -> list[tuple[int, str]]:
    """(cell index, source) of every Markdown cell of the notebook at ``path``."""
    stat = path.stat()
    tag = hashlib.sha256(f"{path.resolve()}|{stat.st_size}|{stat.st_mtime_ns}".encode()).hexdigest()[:20]
    cached = cache_dir("notebook-text", f"{tag}.json")
    try:
        return [(int(i), str(s)) for i, s in json.loads(cached.read_text(encoding="utf-8"))]
    except (OSError, ValueError, TypeError):
        pass
    cells = json.loads(path.read_text(encoding="utf-8")).get("cells", [])
    found = [(n, "".join(c.get("source", ""))) for n, c in enumerate(cells) if c.get("cell_type") == "markdown"]
    atomic_write(cached, json.dumps(found).encode("utf-8"))
    return found


def quiz_order(path: Path) -> list[str]:
    """The question ids a notebook asks, in the order its quiz cells ask them (its code is read, never run)."""
    stat = path.stat()
    tag = hashlib.sha256(f"quiz|{path.resolve()}|{stat.st_size}|{stat.st_mtime_ns}".encode()).hexdigest()[:20]
    cached = cache_dir("notebook-text", f"{tag}.json")
    try:
        return [str(q) for q in json.loads(cached.read_text(encoding="utf-8"))]
    except (OSError, ValueError, TypeError):
        pass
    cells = json.loads(path.read_text(encoding="utf-8")).get("cells", [])
    found: list[str] = []
    for cell in cells:
        if cell.get("cell_type") == "code":
            for call in _QUIZ.findall("".join(cell.get("source", ""))):
                found.extend(_ID.findall(call.split("title=")[0]))
    atomic_write(cached, json.dumps(found).encode("utf-8"))
    return found


_OBJECTIVE = re.compile(r"^\s*(\d+)\.\s+(.+?)\s*$")


def objectives(path: Path) -> dict[int, str]:
    """The numbered learning objectives of a module notebook (``## Learning objectives``), by number."""
    for _, source in markdown_cells(path):
        if "## Learning objectives" not in source:
            continue
        section = source.split("## Learning objectives", 1)[1].split("\n#", 1)[0]
        return {int(m[1]): m[2] for m in map(_OBJECTIVE.match, section.splitlines()) if m}
    return {}
