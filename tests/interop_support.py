"""Shared test data for the interop tests: the one-of-each bank, the whole course, and the figure pictures."""

from __future__ import annotations

import html
import re
import struct
import zlib
from functools import lru_cache
from pathlib import Path
from typing import Any

from stemtrain.content.loader import load_bank, load_course, load_references
from stemtrain.interop.model import Image

DATA = Path(__file__).resolve().parent / "data"
TYPES = ("single_choice", "multiple_select", "true_false", "ordering", "matching", "numeric", "image_label", "case")


@lru_cache(maxsize=1)
def all_types() -> tuple[Any, dict[str, Any]]:
    """The bank with one question of each type, and its bibliography."""
    refs = load_references(DATA / "references.yaml")
    return load_bank(DATA / "all-types.yaml", refs), refs


def course() -> Any:
    """The whole course's banks and bibliography (a ``CourseContent``)."""
    return load_course()


def fake_images(banks: Any) -> dict[str, Image]:
    """A tiny valid PNG for every figure an image-label item names (drawing the real ones is the command's job)."""
    png = _one_pixel_png()
    names = {getattr(q, "figure", None) for b in banks for q in b.questions} - {None}
    return {name: Image(png, f"Description of {name}") for name in names}


def _one_pixel_png() -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\x00\xff\xff\xff")) + chunk(b"IEND", b"")


def plain(markup: str) -> str:
    """Visible text of an HTML fragment (tags dropped, entities decoded, spaces squeezed)."""
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", "", markup))).strip()
