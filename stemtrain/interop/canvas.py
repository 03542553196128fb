"""Canvas QTI 1.2 (what Canvas's "QTI .zip file" import reads): one quiz per bank, Canvas question types in metadata.

Canvas has no ordering question in QTI 1.2, so an ordering item becomes a matching question (position -> step),
said as a limitation. Image-label items become matching questions under the figure. Per-option feedback goes in
``itemfeedback`` (Canvas shows it for choice and true/false answers); the explanation is the general feedback.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Mapping, Sequence
from typing import Any

from ..markup import escape, render, render_inline
from ..quiz.model import (
    AssignmentKey,
    ChoiceKey,
    ImageLabel,
    Matching,
    MultipleKey,
    MultipleSelect,
    Numeric,
    NumericKey,
    Ordering,
    OrderingKey,
    SingleChoice,
    TrueFalse,
    TrueFalseKey,
)
from .items import Item, case_limitations, identifier, items
from .model import Image, Limitation, Payload
from .qtibuild import image_name

__all__ = ["NS", "export"]

FORMAT = "canvas-qti"
NS = "http://www.imsglobal.org/xsd/ims_qtiasiv1p2"
CP = "http://www.imsglobal.org/xsd/imsccv1p1/imscp_v1p1"


def _mattext(parent: ET.Element, html: str) -> None:
    ET.SubElement(ET.SubElement(parent, "material"), "mattext", texttype="text/html").text = html


def _meta(meta: ET.Element, qtype: str) -> None:
    fields = ET.SubElement(meta, "qtimetadata")
    for label, entry in (("question_type", qtype), ("points_possible", "1.0")):
        field = ET.SubElement(fields, "qtimetadatafield")
        ET.SubElement(field, "fieldlabel").text = label
        ET.SubElement(field, "fieldentry").text = entry


def _condition(processing: ET.Element, feedback: str | None, score: str | None, *tests: tuple[str, str, str]) -> None:
    cond = ET.SubElement(processing, "respcondition", {"continue": "Yes" if score is None else "No"})
    var = ET.SubElement(cond, "conditionvar")
    for tag, respident, value in tests:
        ET.SubElement(var, tag, respident=respident).text = value
    if score is not None:
        ET.SubElement(cond, "setvar", action="Set", varname="SCORE").text = score
    if feedback:
        ET.SubElement(cond, "displayfeedback", feedbacktype="Response", linkrefid=feedback)


def _choice(item: Item, pres: ET.Element, proc: ET.Element) -> tuple[str, list[tuple[str, str]]]:
    q, k = item.question, item.key
    if isinstance(q, TrueFalse):
        assert isinstance(k, TrueFalseKey)
        options, right, qtype = [("true", "True"), ("false", "False")], {"true" if k.answer else "false"}, "true_false_question"
    else:
        assert isinstance(q, (SingleChoice, MultipleSelect))
        options = [(identifier(o.id), render_inline(o.text)) for o in q.options]
        if isinstance(k, ChoiceKey):
            right, qtype = {identifier(k.answer)}, "multiple_choice_question"
        else:
            assert isinstance(k, MultipleKey)
            right, qtype = {identifier(a) for a in k.answers}, "multiple_answers_question"
    single = qtype != "multiple_answers_question"
    lid = ET.SubElement(pres, "response_lid", ident="response1", rcardinality="Single" if single else "Multiple")
    render_choice = ET.SubElement(lid, "render_choice")
    for ident, html in options:
        _mattext(ET.SubElement(render_choice, "response_label", ident=ident), html)
    notes = [(f"{ident}_fb", note) for ident, note in ((identifier(c), n) for c, n in k.feedback) if note]
    for ident, _ in notes:
        _condition(proc, ident, None, ("varequal", "response1", ident[:-3]))
    cond = ET.SubElement(proc, "respcondition", {"continue": "No"})
    var = ET.SubElement(cond, "conditionvar")
    if single:
        ET.SubElement(var, "varequal", respident="response1").text = next(iter(right))
    else:
        both = ET.SubElement(var, "and")
        for ident, _ in options:
            parent = both if ident in right else ET.SubElement(both, "not")
            ET.SubElement(parent, "varequal", respident="response1").text = ident
    ET.SubElement(cond, "setvar", action="Set", varname="SCORE").text = "100"
    return qtype, notes


def _matching(item: Item, pres: ET.Element, proc: ET.Element, image: Image | None) -> None:
    q, k = item.question, item.key
    if isinstance(q, Ordering):
        assert isinstance(k, OrderingKey)
        texts = {o.id: o.text for o in q.items}
        lefts = [(f"position-{n}", f"Step {n}") for n in range(1, len(k.order) + 1)]
        answers = [(f"position-{n}", i) for n, i in enumerate(k.order, start=1)]
        choices = [(identifier(o.id), texts[o.id]) for o in q.items]
    else:
        assert isinstance(q, (Matching, ImageLabel)) and isinstance(k, AssignmentKey)
        if isinstance(q, ImageLabel):
            lefts = [(f"structure-{m}", f"Structure {m}") for m in q.markers]
            answers = [(f"structure-{m}", c) for m, c in k.matches]
        else:
            lefts = [(f"left-{identifier(o.id)}", o.text) for o in q.lefts]
            answers = [(f"left-{identifier(a)}", c) for a, c in k.matches]
        choices = [(f"choice-{identifier(o.id)}", o.text) for o in q.choices]
    right = {o: (f"choice-{identifier(c)}" if not isinstance(q, Ordering) else identifier(c)) for o, c in answers}
    share = f"{100 / len(lefts):.4f}"
    for ident, text in lefts:
        lid = ET.SubElement(pres, "response_lid", ident=ident)
        _mattext(lid, render_inline(text))
        rc = ET.SubElement(lid, "render_choice")
        for cid, ctext in choices:
            label = ET.SubElement(rc, "response_label", ident=cid)
            ET.SubElement(ET.SubElement(label, "material"), "mattext").text = ctext
        cond = ET.SubElement(proc, "respcondition")
        ET.SubElement(ET.SubElement(cond, "conditionvar"), "varequal", respident=ident).text = right[ident]
        ET.SubElement(cond, "setvar", varname="SCORE", action="Add").text = share


def _numeric(item: Item, pres: ET.Element, proc: ET.Element) -> None:
    k = item.key
    assert isinstance(k, NumericKey)
    ET.SubElement(ET.SubElement(pres, "response_str", ident="response1", rcardinality="Single"), "render_fib", fibtype="Decimal")
    cond = ET.SubElement(proc, "respcondition", {"continue": "No"})
    var = ET.SubElement(cond, "conditionvar")
    ET.SubElement(var, "vargte", respident="response1").text = f"{k.answer - k.tolerance:g}"
    ET.SubElement(var, "varlte", respident="response1").text = f"{k.answer + k.tolerance:g}"
    ET.SubElement(cond, "setvar", action="Set", varname="SCORE").text = "100"


def _item(section: ET.Element, item: Item, references: Mapping[str, Any], image: Image | None) -> list[Limitation]:
    q = item.question
    el = ET.SubElement(section, "item", ident=identifier(q.id), title=item.title)
    meta = ET.SubElement(el, "itemmetadata")
    figure = ""
    if image is not None and isinstance(q, ImageLabel):
        src = f"$IMS-CC-FILEBASE$/{image_name(q.figure)}"
        figure = f'<p><img src="{src}" alt="{escape(image.description)}"></p>'
    pres = ET.SubElement(el, "presentation")
    _mattext(pres, render(item.stem) + figure)
    proc = ET.SubElement(el, "resprocessing")
    ET.SubElement(ET.SubElement(proc, "outcomes"), "decvar", maxvalue="100", minvalue="0", varname="SCORE", vartype="Decimal")
    always = ET.SubElement(proc, "respcondition", {"continue": "Yes"})
    ET.SubElement(ET.SubElement(always, "conditionvar"), "other")
    ET.SubElement(always, "displayfeedback", feedbacktype="Response", linkrefid="general_fb")
    limits: list[Limitation] = []
    notes: list[tuple[str, str]] = []
    if isinstance(q, (SingleChoice, MultipleSelect, TrueFalse)):
        qtype, notes = _choice(item, pres, proc)
    elif isinstance(q, (Matching, ImageLabel, Ordering)):
        qtype = "matching_question"
        _matching(item, pres, proc, image)
        if isinstance(q, Ordering):
            limits.append(Limitation(q.id, FORMAT, "Canvas QTI has no ordering question: exported as matching (step number -> item)"))
        elif isinstance(q, ImageLabel):
            what = "image-label exported as matching (structure -> label)" + (" under the figure" if image else "; no picture supplied")
            limits.append(Limitation(q.id, FORMAT, what))
    elif isinstance(q, Numeric):
        qtype = "numerical_question"
        _numeric(item, pres, proc)
    else:
        section.remove(el)
        return [Limitation(q.id, FORMAT, f"no Canvas form for question type {q.type!r}; not exported")]
    _meta(meta, qtype)
    for ident, note in [("general_fb", item.general(references)), *notes]:
        fb = ET.SubElement(el, "itemfeedback", ident=ident)
        _mattext(ET.SubElement(fb, "flow_mat"), render(note))
    return limits


def export(
    banks: Sequence[Any], references: Mapping[str, Any], *, images: Mapping[str, Image] | None = None
) -> tuple[Payload, list[Limitation]]:
    """The banks as a Canvas QTI 1.2 package: a quiz per bank, the figures, and a manifest."""
    limitations = case_limitations(banks, FORMAT)
    files: Payload = {}
    manifest = ET.Element(f"{{{CP}}}manifest", identifier="MANIFEST-stemtrain")
    ET.SubElement(ET.SubElement(manifest, f"{{{CP}}}metadata"), f"{{{CP}}}schema").text = "IMS Content"
    ET.SubElement(manifest, f"{{{CP}}}organizations")
    resources = ET.SubElement(manifest, f"{{{CP}}}resources")
    quizzes: dict[str, ET.Element] = {}
    for item in items(banks):
        if item.module not in quizzes:
            root = ET.Element(f"{{{NS}}}questestinterop")
            assessment = ET.SubElement(root, "assessment", ident=f"Q-{identifier(item.module)}", title=item.bank_title)
            ET.SubElement(assessment, "section", ident="root_section")
            quizzes[item.module] = root
        section = quizzes[item.module][0][0]
        q = item.question
        image = (images or {}).get(q.figure) if isinstance(q, ImageLabel) else None
        if image is not None and isinstance(q, ImageLabel):
            files[image_name(q.figure)] = image.png
        limitations += _item(section, item, references, image)
    for module, root in quizzes.items():
        for el in root.iter():
            if not el.tag.startswith("{"):
                el.tag = f"{{{NS}}}{el.tag}"
        href = f"{module}/{module}.xml"
        ET.indent(root)
        ET.register_namespace("", NS)
        files[href] = ET.tostring(root, encoding="utf-8", xml_declaration=True) + b"\n"
        res = ET.SubElement(resources, f"{{{CP}}}resource", identifier=f"R-{identifier(module)}", type="imsqti_xmlv1p2")
        ET.SubElement(res, f"{{{CP}}}file", href=href)
    for path in sorted(p for p in files if p.startswith("images/")):
        ident = f"R-{identifier(path.replace('/', '-'))}"
        res = ET.SubElement(resources, f"{{{CP}}}resource", identifier=ident, type="webcontent", href=path)
        ET.SubElement(res, f"{{{CP}}}file", href=path)
    ET.register_namespace("", CP)
    ET.indent(manifest)
    files["imsmanifest.xml"] = ET.tostring(manifest, encoding="utf-8", xml_declaration=True) + b"\n"
    return files, limitations
