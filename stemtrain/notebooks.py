"""Running and inspecting course notebooks: for maintainers (``stemtrain execute``) and the structure test.

Notebooks are committed executed, with widget state saved, so they read well before anyone runs
them and nbval can compare their outputs.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

__all__ = ["execute_notebook", "markdown_text", "load_cells"]


def load_cells(path: str | Path) -> list[dict[str, Any]]:
    """The cells of a notebook file, as plain JSON."""
    return json.loads(Path(path).read_text(encoding="utf-8"))["cells"]


def markdown_text(path: str | Path) -> str:
    """All Markdown of a notebook, joined: what a learner reads."""
    return "\n\n".join("".join(c["source"]) for c in load_cells(path) if c["cell_type"] == "markdown")


def execute_notebook(path: str | Path, timeout: int = 300) -> None:
    """Run a notebook top to bottom in place, storing outputs and widget state (nbclient)."""
    import nbformat
    from nbclient import NotebookClient

    path = Path(path)
    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(
        nb,
        timeout=timeout,
        kernel_name="python3",
        resources={"metadata": {"path": str(path.parent)}},
        store_widget_state=True,
    )
    client.execute()
    nbformat.write(nb, path)
