"""Running and inspecting course notebooks: for maintainers (``stemtrain execute``) and the structure test.

Notebooks are committed executed, with widget state saved, so they read well before anyone runs
them and nbval can compare their outputs.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

__all__ = ["DEMO_LEARNER", "execute_notebook", "load_cells"]

DEMO_LEARNER = "Demo Learner"
"""The learner committed notebooks are run as (and nbval compares them as), with an empty, throwaway records file."""


def load_cells(path: str | Path) -> list[dict[str, Any]]:
    """The cells of a notebook file, as plain JSON."""
    cells: list[dict[str, Any]] = json.loads(Path(path).read_text(encoding="utf-8"))["cells"]
    return cells


def execute_notebook(path: str | Path, timeout: int = 300) -> None:
    """Run a notebook top to bottom in place, storing outputs and widget state (nbclient)."""
    import os
    import tempfile

    import nbformat
    from jupyter_client.manager import KernelManager
    from nbclient import NotebookClient

    path = Path(path)
    nb = nbformat.read(path, as_version=4)
    with tempfile.TemporaryDirectory(prefix="stemtrain-kernel-") as sockets:
        # IPC sockets in a private folder where the system has them: no ports to race for, nothing on the network.
        km = KernelManager(kernel_name="python3")
        if os.name == "posix":
            km.transport, km.ip = "ipc", os.path.join(sockets, "kernel")
        client = NotebookClient(
            nb, km=km, timeout=timeout, kernel_name="python3", resources={"metadata": {"path": str(path.parent)}}, store_widget_state=True
        )
        try:
            client.execute()
        finally:
            # We own km, nbclient does not: close its client's sockets too, or they linger until garbage collection.
            if client.kc is not None:
                client.kc.stop_channels()
            if km.has_kernel:
                km.shutdown_kernel()
    nbformat.write(nb, path)
