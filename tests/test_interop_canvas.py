"""Canvas QTI 1.2: structure checked against what Canvas's importer reads (no XSD for Canvas's dialect is published);
the manifest, moved into IMS CP 1.1's namespace, against the IMS CP 1.1.4 XSD fetched at test time (see interop_support)."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest
from interop_support import all_types, as_cp11, course, fake_images, ims_cp_schema, plain

from stemtrain.interop import canvas

N = {"q": canvas.NS}


@pytest.fixture(scope="module")
def exported():
    bank, refs = all_types()
    files, limits = canvas.export([bank], refs, images=fake_images([bank]))
    root = ET.fromstring(files["99-all-types/99-all-types.xml"])
    items = {i.get("ident"): i for i in root.iter(f"{{{canvas.NS}}}item")}
    return bank, files, limits, items


def _qtype(item) -> str:
    for field in item.iterfind("q:itemmetadata/q:qtimetadata/q:qtimetadatafield", N):
        if field.findtext("q:fieldlabel", namespaces=N) == "question_type":
            return field.findtext("q:fieldentry", namespaces=N)
    raise AssertionError("no question_type")


def test_manifest_points_at_the_quiz_and_the_figure(exported):
    _, files, _, _ = exported
    manifest = ET.fromstring(files["imsmanifest.xml"])
    hrefs = {f.get("href") for f in manifest.iter(f"{{{canvas.CP}}}file")}
    assert hrefs == set(files) - {"imsmanifest.xml"}
    types = {r.get("type") for r in manifest.iter(f"{{{canvas.CP}}}resource")}
    assert types == {"imsqti_xmlv1p2", "webcontent"}


def test_manifest_has_the_structure_of_ims_cp(exported):
    _, files, _, _ = exported
    try:
        schema = ims_cp_schema()
    except RuntimeError as exc:
        pytest.fail(str(exc))
    manifest = as_cp11(files["imsmanifest.xml"], canvas.CP)
    assert schema.validate(manifest), str(schema.error_log)
    del manifest[-1][0].attrib["identifier"]
    assert not schema.validate(manifest)


def test_every_item_has_a_canvas_type_and_the_order_canvas_expects(exported):
    _, _, _, items = exported
    expected = {
        "t-single": "multiple_choice_question",
        "t-multi": "multiple_answers_question",
        "t-tf": "true_false_question",
        "t-order": "matching_question",
        "t-match": "matching_question",
        "t-number": "numerical_question",
        "t-label": "matching_question",
        "t-case-a": "true_false_question",
        "t-case-b": "multiple_choice_question",
    }
    assert {k: _qtype(v) for k, v in items.items()} == expected
    for item in items.values():
        tags = [child.tag.split("}")[1] for child in item]
        assert tags[:3] == ["itemmetadata", "presentation", "resprocessing"] and set(tags[3:]) == {"itemfeedback"}


def test_choice_answers_feedback_and_scoring(exported):
    bank, _, _, items = exported
    key = bank.key("t-single")
    item = items["t-single"]
    labels = [lab.get("ident") for lab in item.iter(f"{{{canvas.NS}}}response_label")]
    assert sorted(labels) == ["a", "b", "c"]
    scored = [c for c in item.iter(f"{{{canvas.NS}}}respcondition") if c.findtext("q:setvar", namespaces=N) == "100"]
    assert [c.findtext("q:conditionvar/q:varequal", namespaces=N) for c in scored] == [key.answer]
    feedback = {
        f.get("ident"): plain(f.findtext("q:flow_mat/q:material/q:mattext", namespaces=N)) for f in item.iterfind("q:itemfeedback", N)
    }
    assert feedback["a_fb"] == key.feedback_for("a") and feedback["general_fb"].startswith(key.explanation)


def test_numeric_range_and_ordering_as_matching(exported):
    bank, _, limits, items = exported
    key = bank.key("t-number")
    var = next(v for v in items["t-number"].iter(f"{{{canvas.NS}}}conditionvar") if v.find("q:vargte", N) is not None)
    assert float(var.findtext("q:vargte", namespaces=N)) == key.answer - key.tolerance
    assert float(var.findtext("q:varlte", namespaces=N)) == key.answer + key.tolerance
    order = bank.key("t-order").order
    rights = [c.findtext("q:conditionvar/q:varequal", namespaces=N) for c in items["t-order"].iter(f"{{{canvas.NS}}}respcondition")][1:]
    assert rights == list(order)
    assert any(lim.question_id == "t-order" and "matching" in lim.what for lim in limits)


def test_whole_course_exports_every_question_once():
    content = course()
    banks = [content.banks[m] for m in content.modules]
    files, _ = canvas.export(banks, content.references, images=fake_images(banks))
    idents = [
        i.get("ident")
        for name, data in files.items()
        if name.endswith(".xml") and name != "imsmanifest.xml"
        for i in ET.fromstring(data).iter(f"{{{canvas.NS}}}item")
    ]
    expected = [sub.id for b in banks for q in b.questions for sub in (q.linked() or (q,))]
    assert sorted(idents) == sorted(expected)
