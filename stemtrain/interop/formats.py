"""The export formats by name: the registry the command line reads (``EXPORTERS["gift"].run(banks, references)``)."""

from __future__ import annotations

from . import canvas, gift, moodle_xml, qti3, qti21
from .model import Format

__all__ = ["EXPORTERS"]

EXPORTERS: dict[str, Format] = {
    "gift": Format("gift", "Moodle GIFT text", gift.export, packaged=False, suffix=".gift.txt"),
    "moodle-xml": Format("moodle-xml", "Moodle XML", moodle_xml.export, packaged=False, suffix=".xml"),
    "qti3": Format("qti3", "1EdTech QTI 3.0 package", qti3.export, packaged=True, suffix=".zip"),
    "qti21": Format("qti21", "IMS QTI 2.1 package", qti21.export, packaged=True, suffix=".zip"),
    "canvas-qti": Format("canvas-qti", "Canvas QTI 1.2 package", canvas.export, packaged=True, suffix=".zip"),
}
