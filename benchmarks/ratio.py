"""Interleaved A/B timing: each sample of ours is paired with a baseline sample taken right before it, so a
busy moment on the machine slows both and the ratio stays honest. Reports the median (and min) of the ratios."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable


def paired(ours: Callable[[], object], baseline: Callable[[], object], runs: int = 9) -> tuple[float, float, float, float]:
    """(median ratio, min ratio, median seconds of ours, median seconds of the baseline)."""
    ratios, mine, base = [], [], []
    for _ in range(runs):
        start = time.perf_counter()
        baseline()
        b = time.perf_counter() - start
        start = time.perf_counter()
        ours()
        o = time.perf_counter() - start
        ratios.append(o / b)
        mine.append(o)
        base.append(b)
    return statistics.median(ratios), min(ratios), statistics.median(mine), statistics.median(base)
