"""Line breaking for the certificate: greedy at spaces, and a word too wide for the line broken between graphemes.

Kept free of matplotlib: the caller measures a line (``width``), so the rules can be read and tested on their own.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable

__all__ = ["graphemes", "wrap"]


def graphemes(word: str) -> list[str]:
    """Approximate user-perceived characters, so wrapping never splits a mark, a flag or an emoji sequence."""
    clusters: list[str] = []
    for char in word:
        joins = unicodedata.category(char) in ("Mn", "Mc", "Me") or char in "\u200d\ufe0e\ufe0f"
        joins = joins or "\U0001f3fb" <= char <= "\U0001f3ff" or (bool(clusters) and clusters[-1].endswith("\u200d"))
        flag = "\U0001f1e6" <= char <= "\U0001f1ff" and clusters and len(clusters[-1]) == 1
        if clusters and (joins or (flag and "\U0001f1e6" <= clusters[-1] <= "\U0001f1ff")):
            clusters[-1] += char
        else:
            clusters.append(char)
    return clusters


def wrap(text: str, width: Callable[[str], float], limit: float) -> list[str]:
    """Greedy wrapping at spaces; a word wider than the line is broken between graphemes (found by bisection)."""
    lines: list[str] = []
    current = ""
    for word in text.split():
        candidate = f"{current} {word}" if current else word
        if width(candidate) <= limit:
            current = candidate
            continue
        if current:
            lines.append(current)
        pieces = graphemes(word)
        while True:
            low, high = 1, len(pieces)  # the longest prefix that fits (at least one grapheme, come what may)
            while low < high:
                middle = (low + high + 1) // 2
                low, high = (middle, high) if width("".join(pieces[:middle])) <= limit else (low, middle - 1)
            current, pieces = "".join(pieces[:low]), pieces[low:]
            if not pieces:
                break
            lines.append(current)
    if current:
        lines.append(current)
    return lines or [""]
