"""Executing each course notebook against an empty notebook on the same kernel, with warm caches.

Target: a course notebook within 1.5x an empty notebook (kernel start included). The empty notebook is run
right before each course notebook (interleaved pairs), so a busy moment slows both; medians are reported.
Run: python benchmarks/bench_notebook.py [RUNS] [NOTEBOOK ...]
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from ratio import paired

ROOT = Path(__file__).resolve().parents[1]


def execute(nb: nbformat.NotebookNode, cwd: Path) -> None:
    NotebookClient(nbformat.from_dict(nb), kernel_name="python3", resources={"metadata": {"path": str(cwd)}}).execute()


def main(argv: list[str]) -> int:
    runs = int(argv[0]) if argv and argv[0].isdigit() else 5
    paths = [Path(a) for a in argv if not a.isdigit()] or sorted((ROOT / "notebooks").glob("[0-9][0-9]-*.ipynb"))
    os.environ["STEMTRAIN_PROGRESS"] = os.path.join(tempfile.mkdtemp(prefix="stemtrain-bench-"), "progress.sqlite3")
    empty = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("pass")])
    worst = 0.0
    for path in paths:
        nb = nbformat.read(path, as_version=4)
        execute(nb, path.parent)  # warm: the course and figure caches are filled, as for every open after the first
        median, low, ours, base = paired(
            lambda nb=nb, path=path: execute(nb, path.parent), lambda path=path: execute(empty, path.parent), runs
        )
        worst = max(worst, median)
        print(f"{path.name}: {ours:.2f} s against {base:.2f} s empty; ratio {median:.2f} (min {low:.2f})")
    print(f"worst median ratio {worst:.2f}; target <= 1.5")
    return 0 if worst <= 1.5 else 1


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
