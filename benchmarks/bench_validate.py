"""`stemtrain validate` on the whole course against a bare Python that only parses the same YAML files.

Target: validate within 2x the bare parse (both measured as whole processes, best of N).
Run: python benchmarks/bench_validate.py
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FILES = [
    str(p)
    for p in [ROOT / "assets" / "references.yaml", ROOT / "assets" / "glossary.yaml", *sorted((ROOT / "assets" / "banks").glob("*.yaml"))]
]
BARE = "import sys, yaml\nfor f in sys.argv[1:]:\n    yaml.load(open(f, encoding='utf-8'), Loader=yaml.CSafeLoader)\n"


def best(cmd: list[str], runs: int = 7) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(cmd, check=True, capture_output=True, cwd=ROOT)
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> int:
    bare = best([sys.executable, "-c", BARE, *FILES])
    validate = best([sys.executable, "-m", "stemtrain", "validate"])
    ratio = validate / bare
    print(f"bare YAML parse: {bare * 1000:.0f} ms; stemtrain validate: {validate * 1000:.0f} ms; ratio {ratio:.2f} (target <= 2.0)")
    return 0 if ratio <= 2.0 else 1


if __name__ == "__main__":
    raise SystemExit(main())
