"""The Markdown a learner reads in a notebook, without decoding its outputs every time.

A course notebook is mostly outputs (figures, widget state): megabytes of JSON around a few kilobytes of
text. The lint and the reference lists need only the Markdown cells, so those are cached on disk per
notebook, keyed by its size and modification time.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from ..cache import atomic_write, cache_dir

__all__ = ["markdown_cells"]


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
