"""Executing a course notebook against an empty notebook on the same kernel.

Target: a course notebook within 1.5x the time of an empty notebook (kernel start included, best of N).
Run: python benchmarks/bench_notebook.py [NOTEBOOK ...]
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parents[1]


def run(nb: nbformat.NotebookNode, cwd: Path, runs: int = 3) -> float:
    best = float("inf")
    for _ in range(runs):
        copy = nbformat.from_dict(nb)
        start = time.perf_counter()
        NotebookClient(copy, kernel_name="python3", resources={"metadata": {"path": str(cwd)}}).execute()
        best = min(best, time.perf_counter() - start)
    return best


def main(argv: list[str]) -> int:
    targets = [Path(a) for a in argv] or sorted((ROOT / "notebooks").glob("[0-9][0-9]-*.ipynb"))
    empty = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("pass")])
    base = run(empty, ROOT / "notebooks")
    worst = 0.0
    print(f"empty notebook: {base:.2f} s")
    for path in targets:
        took = run(nbformat.read(path, as_version=4), path.parent)
        worst = max(worst, took / base)
        print(f"{path.name}: {took:.2f} s, ratio {took / base:.2f} (target <= 1.5)")
    return 0 if worst <= 1.5 else 1


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
