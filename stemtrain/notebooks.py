"""Running and inspecting course notebooks: for maintainers (``stemtrain execute``) and the structure test.

Notebooks are committed executed, with widget state saved, so they read well before anyone runs
them and nbval can compare their outputs.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

__all__ = ["execute_notebook", "load_cells"]


def load_cells(path: str | Path) -> list[dict[str, Any]]:
    """The cells of a notebook file, as plain JSON."""
    cells: list[dict[str, Any]] = json.loads(Path(path).read_text(encoding="utf-8"))["cells"]
    return cells


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
