"""The code gates run with the tests: ruff (style and bugs), mypy (types) and import-linter (the layer order)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

GATES = {
    "ruff": [sys.executable, "-m", "ruff", "check", "--no-cache", "."],
    "mypy": [sys.executable, "-m", "mypy"],
    "import-linter": [shutil.which("lint-imports") or "lint-imports", "--no-cache"],
}


@pytest.mark.parametrize("gate", list(GATES))
def test_gate_passes(gate: str) -> None:
    done = subprocess.run(GATES[gate], cwd=ROOT, capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 0, f"{gate} failed:\n{done.stdout}\n{done.stderr}"
