"""Problems found in course content, reported as ``file:line: item: field: what is wrong``.

Every loader collects all problems of a file before failing, so an author fixes a bank in one pass.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["Problem", "ContentError"]


@dataclass(frozen=True)
class Problem:
    """One thing wrong in one file, located as precisely as the file allows."""

    file: str
    line: int
    item: str
    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.item}: {self.field}: {self.message}"


class ContentError(ValueError):
    """Raised instead of returning half-loaded content; carries every problem found."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))
