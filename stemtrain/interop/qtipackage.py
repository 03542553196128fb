"""A QTI content package: one item file per question, one test per bank, the figures, and ``imsmanifest.xml``.

QTI 2.1 and 3.0 packages differ only in names and namespaces (a ``Version``); what goes in them is the same.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from ..quiz.model import ImageLabel
from .items import case_limitations, identifier, items
from .model import Image, Limitation, Payload
from .qtibuild import build_item, build_test, image_name

__all__ = ["Version", "package"]

XSI = "http://www.w3.org/2001/XMLSchema-instance"


@dataclass(frozen=True)
class Version:
    """What one QTI version calls things."""

    format: str
    ns: str
    schema: str
    manifest_ns: str
    manifest_schema: str
    item_type: str
    test_type: str
    schema_name: str
    schema_version: str
    element: Callable[[str], str]
    attribute: Callable[[str], str]
    html: frozenset[str]
    wrapped_feedback: bool


def _finish(root: ET.Element, version: Version, schema: str, ns: str) -> bytes:
    """Put every element in the version's namespace under its name, and serialise with a schema location."""
    for el in root.iter():
        if isinstance(el.tag, str) and not el.tag.startswith("{"):
            local = el.tag if el.tag in version.html else version.element(el.tag)
            el.tag = f"{{{ns}}}{local}"
            if local not in version.html:
                el.attrib = {k if k.startswith("{") else version.attribute(k): v for k, v in el.attrib.items()}
    root.set(f"{{{XSI}}}schemaLocation", f"{ns} {schema}")
    ET.register_namespace("", ns)
    ET.register_namespace("xsi", XSI)
    ET.indent(root)
    data: bytes = ET.tostring(root, encoding="utf-8", xml_declaration=True)
    return data + b"\n"


def _manifest(version: Version, resources: list[tuple[str, str, str, list[str]]]) -> ET.Element:
    root = ET.Element("manifest", identifier="MANIFEST-stemtrain")
    meta = ET.SubElement(root, "metadata")
    ET.SubElement(meta, "schema").text = version.schema_name
    ET.SubElement(meta, "schemaversion").text = version.schema_version
    ET.SubElement(root, "organizations")
    listed = ET.SubElement(root, "resources")
    for ident, kind, href, depends in resources:
        res = ET.SubElement(listed, "resource", identifier=ident, type=kind, href=href)
        ET.SubElement(res, "file", href=href)
        for dep in depends:
            ET.SubElement(res, "dependency", identifierref=dep)
    return root


def _keep(tag: str) -> str:
    return tag


def package(
    banks: Sequence[Any], references: Mapping[str, Any], images: Mapping[str, Image] | None, version: Version
) -> tuple[Payload, list[Limitation]]:
    """Every bank as a QTI package's files (the command zips them)."""
    limitations = case_limitations(banks, version.format)
    files: Payload = {}
    resources: list[tuple[str, str, str, list[str]]] = []
    figures: dict[str, str] = {}
    tests: dict[str, tuple[str, list[tuple[str, str, list[str]]]]] = {}
    plain_version = Version(**{**version.__dict__, "element": _keep, "attribute": _keep})
    for item in items(banks):
        q = item.question
        image = None
        depends: list[str] = []
        if isinstance(q, ImageLabel):
            image = (images or {}).get(q.figure)
            if image is None:
                limitations.append(Limitation(q.id, version.format, "no picture of the figure was supplied; the item has no figure"))
            else:
                path = image_name(q.figure)
                figures.setdefault(path, f"R-IMG-{identifier(re.sub(r'[^A-Za-z0-9]', '-', q.figure))}")
                files[path] = image.png
                depends.append(figures[path])
                limitations.append(
                    Limitation(q.id, version.format, "an image-label item is a match interaction (structure -> label) under the figure")
                )
        href = f"items/{q.id}.xml"
        files[href] = _finish(
            build_item(item, references, image, wrapped_feedback=version.wrapped_feedback), version, version.schema, version.ns
        )
        resources.append((f"R-{identifier(q.id)}", version.item_type, href, depends))
        _, groups = tests.setdefault(item.module, (item.bank_title, []))
        if not groups or groups[-1][0] != item.group:
            title = item.bank_title if item.case is None else f"Case: {item.case.id}"
            groups.append((item.group, title, []))
        groups[-1][2].append(q.id)
    for path, ident in figures.items():
        resources.append((ident, "webcontent", path, []))
    for module, (title, groups) in tests.items():
        href = f"test-{module}.xml"
        files[href] = _finish(build_test(module, title, groups), version, version.schema, version.ns)
        ids = [f"R-{identifier(qid)}" for _, _, qids in groups for qid in qids]
        resources.append((f"R-T-{identifier(module)}", version.test_type, href, ids))
    files["imsmanifest.xml"] = _finish(_manifest(version, resources), plain_version, version.manifest_schema, version.manifest_ns)
    return files, limitations
