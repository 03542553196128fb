"""`stemtrain validate` against a bare Python that only parses the same YAML files.

Targets: within 2x the bare parse on the course, and near-linear in the number of questions (the ratio stays
flat from 100 to 10,000 questions). Both are whole processes, timed in interleaved pairs; medians are reported.
Run: python benchmarks/bench_validate.py [RUNS] [--scale]
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from ratio import paired

ROOT = Path(__file__).resolve().parents[1]
BARE = "import sys, yaml\nfor f in sys.argv[1:]:\n    yaml.load(open(f, encoding='utf-8'), Loader=yaml.CSafeLoader)\n"


def files(root: Path) -> list[str]:
    return [
        str(p)
        for p in [
            root / "assets" / "references.yaml",
            root / "assets" / "glossary.yaml",
            *sorted((root / "assets" / "banks").glob("*.yaml")),
        ]
    ]


def measure(root: Path, runs: int) -> tuple[float, float, float, float]:
    env = {**os.environ, "STEMTRAIN_ROOT": str(root)}
    bare = [sys.executable, "-c", BARE, *files(root)]
    validate = [sys.executable, "-m", "stemtrain", "validate"]
    subprocess.run(validate, check=True, capture_output=True, cwd=ROOT, env=env)  # warm the schema cache, as any second run is
    return paired(
        lambda: subprocess.run(validate, check=True, capture_output=True, cwd=ROOT, env=env),
        lambda: subprocess.run(bare, check=True, capture_output=True, cwd=ROOT, env=env),
        runs,
    )


def synthetic(root: Path, questions: int) -> None:
    """A copy of the course plus banks of simple, valid single-choice questions, 500 per file."""
    shutil.copytree(ROOT / "assets", root / "assets")
    shutil.copytree(ROOT / "notebooks", root / "notebooks")
    per_file = 500
    for f in range(0, questions, per_file):
        n = min(per_file, questions - f)
        lines = [
            "schema_version: 1",
            f"module: {90 + f // per_file % 10}-synthetic-{f // per_file}",
            "title: Synthetic",
            "reviewed: 2026-12-01",
            "evidence_cutoff: 2026-01-31",
            "questions:",
        ]
        for i in range(f, f + n):
            lines += [
                f"  - id: synthetic-{i}",
                "    type: single_choice",
                f"    prompt: Which statement about item {i} is right?",
                "    options:",
                *(f"      - {{id: {o}, text: Statement {o.upper()} about item {i}, feedback: Why {o} is so.}}" for o in "abc"),
                f"    answer: {'abc'[i % 3]}",
                f"    explanation: Item {i} is about statement {'abc'[i % 3]}.",
                "    references: [dominici-2006]",
            ]
        (root / "assets" / "banks" / f"{90 + f // per_file % 10}-synthetic-{f // per_file}.yaml").write_text("\n".join(lines) + "\n")


def main(argv: list[str]) -> int:
    runs = int(next((a for a in argv if a.isdigit()), "15"))
    median, low, ours, base = measure(ROOT, runs)
    print(f"course: bare YAML parse {base * 1000:.0f} ms; stemtrain validate {ours * 1000:.0f} ms; ratio {median:.2f} (min {low:.2f})")
    ok = median <= 2.0
    if "--scale" in argv:
        for n in (100, 1_000, 10_000):
            with tempfile.TemporaryDirectory() as tmp:
                synthetic(Path(tmp), n)
                median_n, low_n, ours_n, base_n = measure(Path(tmp), max(3, runs // 3))
            print(
                f"+{n:>6} questions: bare {base_n * 1000:.0f} ms; validate {ours_n * 1000:.0f} ms; ratio {median_n:.2f} (min {low_n:.2f})"
            )
    print("target: ratio <= 2.0, and flat as the course grows")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
