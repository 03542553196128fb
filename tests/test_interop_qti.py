"""QTI 2.1 and 3.0 packages: checked against the official 1EdTech XML Schemas when they are at hand, and structurally always.

The 1EdTech XSDs are not stored in this repository: QTI 3.0's say "All Rights Reserved" and grant no redistribution,
QTI 2.1's allow it only under conditions, and no package on PyPI, npm or Debian ships them. Point
``STEMTRAIN_QTI_XSD_DIR`` at an unpacked copy of the official schema sets (QTI 2.1 with ``imscp_v1p1.xsd``; QTI 3.0
with its CP schema and the W3C schemas they import, schemaLocations pointing at local files) to validate.
"""

from __future__ import annotations

import os
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from interop_support import TYPES, all_types, course, fake_images

from stemtrain.interop import qti3, qti21

etree = pytest.importorskip("lxml.etree")

SCHEMAS = {
    "qti21": (("imsqti_v2p1p2.xsd", "imsqti_v2p1.xsd"), ("imscp_v1p1.xsd",)),
    "qti3": (
        ("imsqti_asiv3p0p1_v1p0.xsd", "imsqti_asiv3p0_v1p0.xsd"),
        ("imsqtiv3p0p1_imscpv1p2_v1p0.xsd", "imsqtiv3p0_imscpv1p2_v1p0.xsd"),
    ),
}
MODULES = {"qti21": qti21, "qti3": qti3}


def _schema(names: tuple[str, ...]):
    root = os.environ.get("STEMTRAIN_QTI_XSD_DIR")
    if not root:
        pytest.skip("set STEMTRAIN_QTI_XSD_DIR to the official 1EdTech QTI schema sets to validate against them")
    for name in names:
        for path in sorted(Path(root).rglob(name)):
            return etree.XMLSchema(etree.parse(str(path)))
    pytest.skip(f"none of {names} under STEMTRAIN_QTI_XSD_DIR")


def _packages():
    bank, refs = all_types()
    content = course()
    banks = [content.banks[m] for m in content.modules]
    return {"all-types": ([bank], refs), "course": (banks, content.references)}


@pytest.mark.parametrize("fmt", ["qti21", "qti3"])
@pytest.mark.parametrize("which", ["all-types", "course"])
def test_package_validates_against_the_official_schemas(fmt, which):
    banks, refs = _packages()[which]
    item_names, manifest_names = SCHEMAS[fmt]
    items, manifest = _schema(item_names), _schema(manifest_names)
    files, _ = MODULES[fmt].export(banks, refs, images=fake_images(banks))
    for name, data in files.items():
        if name.endswith(".xml"):
            schema = manifest if name == "imsmanifest.xml" else items
            assert schema.validate(etree.fromstring(data)), f"{name}: {schema.error_log}"


@pytest.mark.parametrize("fmt", ["qti21", "qti3"])
def test_manifest_lists_every_file_and_items_resolve(fmt):
    bank, refs = all_types()
    files, limits = MODULES[fmt].export([bank], refs, images=fake_images([bank]))
    version = MODULES[fmt].VERSION
    manifest = ET.fromstring(files["imsmanifest.xml"])
    ns = {"cp": version.manifest_ns}
    resources = manifest.findall("cp:resources/cp:resource", ns)
    hrefs = {r.get("href") for r in resources}
    assert hrefs == set(files) - {"imsmanifest.xml"}
    ids = [r.get("identifier") for r in resources]
    assert len(ids) == len(set(ids))
    for r in resources:
        for dep in r.findall("cp:dependency", ns):
            assert dep.get("identifierref") in ids
    kinds = {r.get("type") for r in resources}
    assert kinds == {version.item_type, version.test_type, "webcontent"}
    items = {n for n in files if n.startswith("items/")}
    assert {n.split("/")[1][:-4] for n in items} == {sub.id for sub in bank.by_id.values() if sub.type != "case"}
    test = next(v for k, v in files.items() if k.startswith("test-"))
    assert b"Case: t-case" in test and b"t-case-a.xml" in test
    assert any(lim.question_id == "t-case" for lim in limits)


def _item(fmt: str, qid: str) -> ET.Element:
    bank, refs = all_types()
    files, _ = MODULES[fmt].export([bank], refs, images=fake_images([bank]))
    return ET.fromstring(files[f"items/{qid}.xml"])


def _name(fmt: str, name: str) -> str:
    version = MODULES[fmt].VERSION
    return f"{{{version.ns}}}{version.element(name)}"


@pytest.mark.parametrize("fmt", ["qti21", "qti3"])
def test_correct_responses_match_the_keys(fmt):
    bank, _ = all_types()
    interactions = {}
    for q in bank.by_id.values():
        if q.type == "case":
            continue
        root = _item(fmt, q.id)
        values = [v.text for v in root.iter(_name(fmt, "value")) if v.text and v.text != "0"]
        key = bank.key(q.id)
        expected = {
            "single_choice": lambda k: [k.answer],
            "multiple_select": lambda k: sorted(k.answers),
            "true_false": lambda k: ["true" if k.answer else "false"],
            "ordering": lambda k: list(k.order),
            "matching": lambda k: [f"L-{a} R-{b}" for a, b in k.matches],
            "numeric": lambda k: [f"{k.answer:g}"],
            "image_label": lambda k: [f"S-{a} R-{b}" for a, b in k.matches],
        }[q.type](key)
        assert (sorted(values) if q.type == "multiple_select" else values) == expected, q.id
        interactions[q.type] = {el.tag.split("}")[1] for el in root.iter() if "nteraction" in el.tag}
    assert set(interactions) == set(TYPES) - {"case"}


@pytest.mark.parametrize("fmt", ["qti21", "qti3"])
def test_option_feedback_and_explanation_are_modal_feedback(fmt):
    bank, _ = all_types()
    root = _item(fmt, "t-single")
    boxes = {box.get("identifier"): "".join(box.itertext()).strip() for box in root.iter(_name(fmt, "modalFeedback"))}
    key = bank.key("t-single")
    assert boxes["a"] == key.feedback_for("a") and boxes["b"] == key.feedback_for("b")
    assert boxes["EXPLANATION"].startswith(key.explanation) and "Test 2020" in boxes["EXPLANATION"]


@pytest.mark.parametrize("fmt", ["qti21", "qti3"])
def test_image_label_shows_the_figure_with_its_description(fmt):
    root = _item(fmt, "t-label")
    (img,) = root.iter(f"{{{MODULES[fmt].VERSION.ns}}}img")
    assert img.get("src") == "../images/spine-motion_segment.png" and img.get("alt") == "Description of spine.motion_segment"


def test_bank_text_is_escaped_not_injected():
    from stemtrain.content.loader import load_references
    from stemtrain.interop.items import Item
    from stemtrain.interop.qtibuild import build_item
    from stemtrain.quiz.model import ChoiceKey, Option, SingleChoice

    q = SingleChoice(
        id="x-1", prompt='<script>alert(1)</script> & "quotes"', references=(), options=(Option("a", "A <b>"), Option("b", "B"))
    )
    root = build_item(
        Item("m", "M", q, ChoiceKey(question_id="x-1", explanation="E", answer="a")),
        load_references(Path(__file__).parent / "data" / "references.yaml"),
    )
    text = ET.tostring(root, encoding="unicode")
    assert "<script>" not in text and "&lt;script&gt;" in text
