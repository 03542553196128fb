"""What every exporter returns: the files it made and what the format could not carry.

An exporter never drops something silently: each loss (a question type the format lacks, feedback it has no
place for, a case split into parts) is a ``Limitation`` the command prints and the tests count.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

__all__ = ["Exporter", "Format", "Image", "Limitation", "Payload"]

Payload = dict[str, bytes]
"""File name inside the export -> content. A single-file format has one entry; a package has its manifest too."""


@dataclass(frozen=True)
class Limitation:
    """One thing a format cannot express for one question, said in words an LMS admin understands."""

    question_id: str
    format: str
    what: str

    def __str__(self) -> str:
        return f"{self.question_id}: {self.format}: {self.what}"


@dataclass(frozen=True)
class Image:
    """A teaching figure as a picture file for formats that carry images (PNG bytes and its text description)."""

    png: bytes
    description: str


Exporter = Callable[..., tuple[Payload, list[Limitation]]]
"""``export(banks, references, *, images=None) -> (payload, limitations)``: pure, no files written."""


@dataclass(frozen=True)
class Format:
    """One export format as the command line sees it."""

    name: str
    title: str
    export: Exporter
    packaged: bool
    """True when the payload is written as a zip package (it then holds an ``imsmanifest.xml``)."""
    suffix: str

    def run(
        self, banks: Sequence[Any], references: Mapping[str, Any], images: Mapping[str, Image] | None = None
    ) -> tuple[Payload, list[Limitation]]:
        """Export ``banks``; ``images`` maps figure names to pictures for image-label questions."""
        return self.export(banks, references, images=images)
