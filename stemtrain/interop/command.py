"""``stemtrain export`` and ``stemtrain import``: the only place interop writes files.

Usage::

    stemtrain export --format gift|moodle-xml|qti3|qti21|canvas-qti [--bank FILE ...] --out PATH
    stemtrain import jupyterquiz FILE.json --out BANK.yaml [--module ID] [--title TEXT]

``export`` writes every bank (or the ones given) and prints each limitation, one line per question and loss;
packaged formats are written as a zip with ``imsmanifest.xml`` at its root.
"""

from __future__ import annotations

import argparse
import io
import sys
import zipfile
from pathlib import Path
from typing import Any

__all__ = ["FORMATS", "register", "run_export", "run_import", "write_payload"]


def write_payload(payload: dict[str, bytes], out: Path, packaged: bool) -> None:
    """A single-file payload as that file; a package as a zip (stable order and dates, so a re-export is identical)."""
    out.parent.mkdir(parents=True, exist_ok=True)
    if not packaged:
        (content,) = payload.values()
        out.write_bytes(content)
        return
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name in sorted(payload, key=lambda n: (n != "imsmanifest.xml", n)):
            archive.writestr(zipfile.ZipInfo(name, date_time=(2020, 1, 1, 0, 0, 0)), payload[name], zipfile.ZIP_DEFLATED)
    out.write_bytes(buffer.getvalue())


def _images(banks: list[Any]) -> dict[str, Any]:
    """Draw the figure of every image-label item (matplotlib is loaded only when a bank has one)."""
    from .model import Image

    names = sorted({q.figure for b in banks for q in b.by_id.values() if q.type == "image_label"})
    if not names:
        return {}
    from ..figures import make

    out = {}
    for name in names:
        figure = make(name)
        out[name] = Image(figure.to_png(), figure.description)
    return out


def run_export(args: argparse.Namespace) -> int:
    from ..content.loader import load_bank, load_course, load_references
    from .formats import EXPORTERS

    fmt = EXPORTERS[args.format]
    if args.bank:
        references = load_references()
        seen: dict[str, str] = {}
        banks = [load_bank(path, references, seen) for path in args.bank]
    else:
        content = load_course()
        references = dict(content.references)
        banks = [content.banks[m] for m in content.modules]
    payload, limitations = fmt.run(banks, references, _images(banks) if not args.no_figures else None)
    out = Path(args.out)
    write_payload(payload, out, fmt.packaged)
    for limitation in limitations:
        print(f"limitation: {limitation}")
    count = sum(1 for b in banks for q in b.by_id.values() if q.type != "case")
    print(f"Wrote {out} ({fmt.title}): {count} questions from {len(banks)} bank(s), {len(limitations)} limitation(s).")
    return 0


def run_import(args: argparse.Namespace) -> int:
    import json

    from .jupyterquiz import convert, dump_bank

    data = json.loads(Path(args.file).read_text(encoding="utf-8"))
    from .jupyterquiz import slug

    module = args.module or f"99-{slug(Path(args.file).stem, 4)}"
    bank, unsupported = convert(data, module=module, title=args.title or module)
    Path(args.out).write_text(dump_bank(bank), encoding="utf-8")
    for line in unsupported:
        print(f"not imported: {line}", file=sys.stderr)
    print(f"Wrote {args.out}: {len(bank['questions'])} question(s). Add each item's references, then run `stemtrain validate {args.out}`.")
    return 0


FORMATS = ("gift", "moodle-xml", "qti3", "qti21", "canvas-qti")
"""The names ``--format`` takes (the keys of ``formats.EXPORTERS``; named here so the command line loads no exporter)."""


def register(sub: Any) -> None:
    """Add ``export`` and ``import`` to the ``stemtrain`` command."""
    p = sub.add_parser("export", help="write question banks for Moodle, Canvas or any QTI system")
    p.add_argument("--format", required=True, choices=FORMATS, help="the target format")
    p.add_argument("--bank", action="append", default=[], metavar="FILE", help="a bank file to export (repeat; default: every bank)")
    p.add_argument("--out", required=True, metavar="PATH", help="the file to write (a .zip for QTI and Canvas)")
    p.add_argument("--no-figures", action="store_true", help="do not draw figures for image-label items")
    p.set_defaults(run=run_export)

    p = sub.add_parser("import", help="convert another tool's question bank to a stemtrain bank")
    p.add_argument("source", choices=["jupyterquiz"], help="the format of FILE")
    p.add_argument("file", metavar="FILE.json", help="the bank to convert")
    p.add_argument("--out", required=True, metavar="BANK.yaml", help="the stemtrain bank to write")
    p.add_argument("--module", help="module id for the new bank, NN-slug (default: 99-<file name>)")
    p.add_argument("--title", help="bank title (default: the module id)")
    p.set_defaults(run=run_import)
