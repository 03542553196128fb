"""Verification: genuine certificates pass; real edits made with pypdf to a generated PDF fail with the right message."""

from __future__ import annotations

import io
import json
import os
import random
from collections.abc import Callable
from datetime import datetime, timezone

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle
from pypdf import PdfReader, PdfWriter
from pypdf.annotations import FreeText
from pypdf.generic import ArrayObject, ByteStringObject, ContentStream, FloatObject, NumberObject

from stemtrain.certificate.claims import CertificateError, Claims
from stemtrain.certificate.code import new_code
from stemtrain.certificate.envelope import ATTACHMENT_NAME, Envelope, b64url
from stemtrain.certificate.pdf import issue_certificate
from stemtrain.certificate.signing import key_id, seal_fields, sign
from stemtrain.certificate.verify import Verdict, verify_envelope, verify_pdf

KEY = Ed25519PrivateKey.generate()
PUBLIC = KEY.public_key()
OTHER = Ed25519PrivateKey.generate()


def claims_for(**changes: object) -> Claims:
    values = {
        "learner": "Ada Lovelace",
        "course_title": "MSC therapy for chronic low back pain",
        "content_version": "2025.03",
        "issued_at": datetime(2025, 3, 12, 9, 30, tzinfo=timezone.utc),
        "score": 0.875,
        "passed": True,
        "modules": ("01-discs", "02-cells"),
        "code": new_code(random.Random(11)),
        "mode": "self-study",
        "issuer": "Example Spine Clinic",
        "key_id": key_id(KEY),
    }
    return Claims(**{**values, **changes})


@pytest.fixture(scope="module")
def genuine() -> bytes:
    return issue_certificate(claims_for(), KEY)


def page_text(pdf: bytes) -> str:
    return PdfReader(io.BytesIO(pdf)).pages[0].extract_text()


def edit_text(pdf: bytes, old: str, new: str) -> bytes:
    """Change visible text the way a forger with pypdf would: rewrite the glyph codes of one text-showing run."""
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf)))
    page = writer.pages[0]
    content = ContentStream(page.get_contents(), writer)
    for operands, operator in content.operations:
        if operator != b"TJ":
            continue
        strings = [p for p in operands[0] if not isinstance(p, (FloatObject, NumberObject))]
        raw = [s.original_bytes if hasattr(s, "original_bytes") else bytes(s) for s in strings]
        text = b"".join(raw).decode("utf-16-be", "replace")
        if old in text:
            operands[0] = ArrayObject([ByteStringObject(text.replace(old, new).encode("utf-16-be"))])
            break
    else:
        raise AssertionError(f"{old!r} is not drawn in one run")
    page.replace_contents(content)
    out = io.BytesIO()
    writer.write(out)
    assert new in page_text(out.getvalue())  # the forgery really shows
    return out.getvalue()


def edit_claims(pdf: bytes, change: Callable[[dict], None], *, resign: Ed25519PrivateKey | None = None) -> bytes:
    """Change the attached signed claims (kept canonical, so only the signature can object); optionally re-sign."""
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf)))
    stream = writer.root_object["/Names"]["/EmbeddedFiles"]["/Names"][1].get_object()["/EF"]["/F"].get_object()
    envelope = json.loads(stream.get_data())
    data = json.loads(envelope["claims"])
    change(data)
    claims = Claims.from_dict(data)
    envelope["claims"] = claims.canonical_bytes().decode()
    if resign is not None:
        envelope["signature"] = b64url(sign(claims.canonical_bytes(), resign))
        envelope["seals"]["fields"] = {f: b64url(s) for f, s in seal_fields(claims, resign).fields.items()}
    stream.set_data(json.dumps(envelope).encode())
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_a_genuine_certificate_verifies_with_who_when_score_mode_and_code(genuine, tmp_path):
    verdict = verify_pdf(genuine, [PUBLIC])
    assert isinstance(verdict, Verdict)
    assert (verdict.learner, verdict.score, verdict.mode) == ("Ada Lovelace", 0.875, "self-study")
    assert verdict.issued_at == datetime(2025, 3, 12, 9, 30, tzinfo=timezone.utc)
    assert verdict.code == claims_for().code
    path = tmp_path / "certificate.pdf"
    path.write_bytes(genuine)
    assert verify_pdf(path, [OTHER.public_key(), PUBLIC]) == verdict  # from a file, among several published keys
    assert "Learner:  Ada Lovelace" in verdict.summary() and "self-study, not proctored" in verdict.summary()


@pytest.mark.parametrize(
    ("field", "value", "printed_old", "printed_new", "message"),
    [
        ("learner", "Ana Lovelace", "Ada Lovelace", "Ana Lovelace", "^name altered"),
        ("score_permille", 975, "87.5 %", "97.5 %", "^score altered"),
        ("issued_at", "2025-03-13T09:30:00Z", "12 March 2025", "13 March 2025", "^date altered"),
    ],
)
def test_editing_a_field_in_the_signed_claims_and_on_the_page_is_caught(genuine, field, value, printed_old, printed_new, message):
    forged = edit_text(edit_claims(genuine, lambda c: c.update({field: value})), printed_old, printed_new)
    with pytest.raises(CertificateError, match=message + ": the signed claims were changed after signing"):
        verify_pdf(forged, [PUBLIC])


@pytest.mark.parametrize(
    ("printed_old", "printed_new", "message"),
    [
        ("Ada Lovelace", "Ana Lovelace", "^name altered: the printed name is not the signed name"),
        ("87.5 %", "97.5 %", "^score altered: the printed score"),
        ("12 March 2025", "13 March 2025", "^date altered: the printed date"),
        ("Self-study, not proctored", "Self-study, not supervised", "^mode altered"),
    ],
)
def test_editing_only_the_visible_text_is_caught(genuine, printed_old, printed_new, message):
    with pytest.raises(CertificateError, match=message):
        verify_pdf(edit_text(genuine, printed_old, printed_new), [PUBLIC])


def test_an_altered_signature_is_named(genuine):
    def flip(envelope: dict) -> None:
        raw = bytearray(Envelope.from_json(json.dumps(envelope).encode()).signature)
        raw[0] ^= 1
        envelope["signature"] = b64url(bytes(raw))

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(genuine)))
    stream = writer.root_object["/Names"]["/EmbeddedFiles"]["/Names"][1].get_object()["/EF"]["/F"].get_object()
    envelope = json.loads(stream.get_data())
    flip(envelope)
    stream.set_data(json.dumps(envelope).encode())
    out = io.BytesIO()
    writer.write(out)
    with pytest.raises(CertificateError, match="^signature altered"):
        verify_pdf(out.getvalue(), [PUBLIC])


def test_claims_re_signed_with_a_different_key_are_caught(genuine):
    renamed = edit_claims(genuine, lambda c: c.update(learner="Ana Lovelace"), resign=OTHER)  # key id kept
    with pytest.raises(CertificateError, match="^signed by another key: the signature and seals do not match"):
        verify_pdf(edit_text(renamed, "Ada Lovelace", "Ana Lovelace"), [PUBLIC])
    own_id = edit_claims(genuine, lambda c: c.update(key_id=key_id(OTHER)), resign=OTHER)
    with pytest.raises(CertificateError, match=f"^signed by another key: key id {key_id(OTHER)} is not one of"):
        verify_pdf(own_id, [PUBLIC])


def test_a_certificate_from_an_unpublished_key_is_refused():
    other = issue_certificate(claims_for(key_id=key_id(OTHER)), OTHER)
    assert verify_pdf(other, [OTHER.public_key()]).learner == "Ada Lovelace"
    with pytest.raises(CertificateError, match="^signed by another key"):
        verify_pdf(other, [PUBLIC])


def test_random_bytes_and_damaged_pdfs_are_refused_cleanly(genuine):
    with pytest.raises(CertificateError, match="^not a PDF file"):
        verify_pdf(os.urandom(4096), [PUBLIC])
    with pytest.raises(CertificateError, match="^not a PDF file"):
        verify_pdf(b"", [PUBLIC])
    with pytest.raises(CertificateError, match="cannot be read|carries no signed"):
        verify_pdf(b"%PDF-1.7\n" + os.urandom(4096), [PUBLIC])
    with pytest.raises(CertificateError, match="cannot be read|carries no signed"):
        verify_pdf(genuine[: len(genuine) // 3], [PUBLIC])
    with pytest.raises(CertificateError, match="^cannot read"):
        verify_pdf("/nonexistent/certificate.pdf", [PUBLIC])


def test_a_pdf_that_is_not_a_certificate_is_named_as_such():
    fig = Figure(figsize=(8.27, 11.69))
    fig.add_subplot().plot([0, 1], [1, 0])
    fig.text(0.5, 0.9, "Certificate of completion: Ada Lovelace", ha="center")
    buffer = io.BytesIO()
    fig.savefig(buffer, format="pdf")
    with pytest.raises(CertificateError, match="^this PDF is not a stemtrain certificate"):
        verify_pdf(buffer.getvalue(), [PUBLIC])


def test_no_published_key_and_malformed_claims_say_so(genuine):
    with pytest.raises(CertificateError, match="no public key"):
        verify_pdf(genuine, [])
    with pytest.raises(CertificateError, match="^the signed claims are malformed: claims are not valid JSON"):
        verify_envelope(Envelope(b"{nope", b"\0" * 64), [PUBLIC])


def test_the_qr_token_alone_verifies(genuine):
    envelope = Envelope.from_json(PdfReader(io.BytesIO(genuine)).attachments[ATTACHMENT_NAME][0])
    assert verify_envelope(Envelope.from_token(envelope.token()), PUBLIC).code == claims_for().code
    with pytest.raises(CertificateError, match="altered after signing, or signed by another key"):
        verify_envelope(Envelope(envelope.claims.replace(b"Ada", b"Ana"), envelope.signature), PUBLIC)


@pytest.mark.parametrize("name", ["محمد عبد الله", "Sam 😀🎉👍🏽 🇫🇷", "W" * 300, "$x^2$ <script>", "नमस्ते क्षत्रिय"])
def test_hostile_and_unusual_names_verify_as_genuine(name):
    assert verify_pdf(issue_certificate(claims_for(learner=name), KEY), PUBLIC).learner == name


def test_text_drawn_over_the_page_is_caught_by_the_page_seal(genuine):
    cover = Figure(figsize=(8.27, 11.69))
    cover.patches.append(Rectangle((0.1, 0.62), 0.8, 0.07, transform=cover.transFigure, color="white"))
    cover.text(0.5, 0.64, "Eve Mallory", ha="center", fontsize=28, weight="bold")
    buffer = io.BytesIO()
    cover.savefig(buffer, format="pdf", transparent=True)
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(genuine)))
    writer.pages[0].merge_page(PdfReader(buffer).pages[0])
    out = io.BytesIO()
    writer.write(out)
    assert "Eve Mallory" in page_text(out.getvalue())
    with pytest.raises(CertificateError, match="^page altered: something was drawn over the page"):
        verify_pdf(out.getvalue(), [PUBLIC])


def test_an_annotation_laid_over_the_name_is_caught(genuine):
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(genuine)))
    writer.add_annotation(0, FreeText(text="Eve Mallory", rect=(100, 560, 500, 600), background_color="ffffff"))
    out = io.BytesIO()
    writer.write(out)
    with pytest.raises(CertificateError, match="^page altered: 1 annotation"):
        verify_pdf(out.getvalue(), [PUBLIC])


def test_re_saving_the_file_unchanged_keeps_it_genuine(genuine):
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(genuine)))
    writer.compress_identical_objects()
    for page in writer.pages:
        page.compress_content_streams()
    out = io.BytesIO()
    writer.write(out)
    assert out.getvalue() != genuine
    assert verify_pdf(out.getvalue(), [PUBLIC]).learner == "Ada Lovelace"
