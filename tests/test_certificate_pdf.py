"""The certificate PDF: one A4 page of real text, hostile names drawn safely and read back, nothing overflowing."""

from __future__ import annotations

import io
import json
import logging
import random
import shutil
import subprocess
from datetime import datetime, timezone
from itertools import combinations

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from pypdf import PdfReader

from stemtrain.certificate import pdf as pdf_module
from stemtrain.certificate.claims import CertificateError, Claims
from stemtrain.certificate.code import new_code
from stemtrain.certificate.envelope import ATTACHMENT_NAME, Envelope
from stemtrain.certificate.fonts import FONT_FALLBACK, FONT_PACKAGES, font_families, missing_glyphs
from stemtrain.certificate.pdf import issue_certificate, render_certificate
from stemtrain.certificate.signing import key_id, sign_claims
from stemtrain.certificate.textlayer import NAME_AFTER, NAME_BEFORE, SELF_STUDY

KEY = Ed25519PrivateKey.generate()
LTR_NAMES = {
    "html": "<script>alert('x')</script> & <b>Bob</b>",
    "mathtext": r"$\alpha$ Dollar $5 \& 10% ^_^",
    "accents": "Zoë Ñúñez-Łukasiewicz",
    "vietnamese": "Nguyễn Thị Minh Khai",
    "long": " ".join(["Maximiliana-Josefina"] * 15) + " von Habsburg",  # 325 characters
    "unbroken": "W" * 310,
    "emoji": "Sam 😀🎉👍🏽 🇫🇷 👨‍👩‍👧 ❤️",
    "cjk": "王小明 さくら 김민준",
    "devanagari": "प्रिया क्षत्रिय",
}
RTL_NAMES = {"arabic": "محمد عبد الله", "hebrew": "דוד כהן", "arabic-vowels": "مُحَمَّد عَلِي"}


def claims_for(learner: str, **changes: object) -> Claims:
    values = {
        "learner": learner,
        "course_title": "MSC therapy for chronic low back pain",
        "content_version": "2025.03",
        "issued_at": datetime(2025, 3, 12, 9, 30, tzinfo=timezone.utc),
        "score": 0.875,
        "passed": True,
        "modules": ("01-discs", "02-cells", "03-evidence"),
        "code": new_code(random.Random(learner)),
        "mode": "class",
        "issuer": "Example Spine Clinic",
        "key_id": key_id(KEY),
    }
    return Claims(**{**values, **changes})


def page_text(pdf: bytes) -> str:
    return PdfReader(io.BytesIO(pdf)).pages[0].extract_text()


def name_region(pdf: bytes) -> str:
    text = page_text(pdf)
    return text.split(NAME_BEFORE + "\n", 1)[1].split("\n" + NAME_AFTER + "\n", 1)[0]


@pytest.mark.parametrize("kind", sorted(LTR_NAMES))
def test_left_to_right_names_read_back_exactly(kind):
    name = LTR_NAMES[kind]
    region = name_region(issue_certificate(claims_for(name), KEY))
    assert "".join(region.split()) == "".join(name.split())  # wrapping may only add line breaks


@pytest.mark.parametrize("kind", sorted(RTL_NAMES))
def test_right_to_left_names_read_back_word_for_word(kind):
    name = RTL_NAMES[kind]
    region = name_region(issue_certificate(claims_for(name), KEY))
    assert sorted(region.split()) == sorted(name.split())  # pypdf puts an RTL run's words in its own order


def test_a_glyph_no_font_has_still_reads_back_and_warns_nobody(recwarn, caplog):
    name = "Ana \U00013000 Lee"  # an Egyptian hieroglyph: none of the fallback fonts draws it
    assert missing_glyphs(name) == "\U00013000"
    with caplog.at_level(logging.WARNING):
        pdf = issue_certificate(claims_for(name), KEY)
    assert name_region(pdf) == name
    assert not recwarn.list and not caplog.records
    envelope = Envelope.from_json(PdfReader(io.BytesIO(pdf)).attachments[ATTACHMENT_NAME][0])
    assert json.loads(envelope.claims)["learner"] == name


def test_no_font_notes_leak_for_bold_text_in_regular_only_fonts(caplog):
    with caplog.at_level(logging.DEBUG, logger="matplotlib.font_manager"):
        issue_certificate(claims_for("王小明 😀"), KEY)
    assert not [r for r in caplog.records if r.levelno >= logging.WARNING]


def test_fallback_fonts_cover_the_scripts_we_promise():
    """Fails (never skips) without the font packages: without them names print as boxes, and CI must say so."""
    needed = {family for family, _, package in FONT_FALLBACK if package != "bundled with matplotlib"}
    missing = sorted(needed - set(font_families()))
    assert not missing, f"fonts not installed: {missing}; apt-get install {' '.join(sorted(FONT_PACKAGES))}"
    for name in [*LTR_NAMES.values(), *RTL_NAMES.values()]:
        assert missing_glyphs(name) == "", name


def test_one_a4_page_with_real_text_and_the_signed_claims_attached():
    claims = claims_for("Ada Lovelace")
    pdf = issue_certificate(claims, KEY)
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) == 1
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (595, 842)
    text = page_text(pdf)
    for expected in (
        "Ada Lovelace",
        "MSC therapy for chronic low back pain",
        "Score: 87.5 %",
        "Issued: 12 March 2025, 09:30 UTC",
        claims.code,
        "01-discs, 02-cells, 03-evidence",
    ):
        assert expected in text
    envelope = Envelope.from_json(reader.attachments[ATTACHMENT_NAME][0])
    assert envelope.claims == claims.canonical_bytes()
    assert envelope.seals is not None and envelope.seals.code == claims.code
    assert reader.metadata["/Subject"] == f"Verification code {claims.code}"


def test_self_study_is_printed_and_class_mode_is_not():
    assert SELF_STUDY in page_text(issue_certificate(claims_for("Ada", mode="self-study"), KEY))
    assert SELF_STUDY not in page_text(issue_certificate(claims_for("Ada"), KEY))


def test_render_refuses_unpassed_claims_and_a_signature_that_does_not_match():
    failed = claims_for("Ada", passed=False)
    with pytest.raises(CertificateError, match="only for a passed assessment"):
        render_certificate(failed, sign_claims(failed, KEY), public_key=KEY.public_key())
    claims = claims_for("Ada")
    with pytest.raises(CertificateError, match="signature does not match"):
        render_certificate(claims, b"\0" * 64, public_key=KEY.public_key())
    with pytest.raises(CertificateError, match="signature does not match"):
        render_certificate(claims, sign_claims(claims, KEY), public_key=Ed25519PrivateKey.generate().public_key())


def test_extreme_content_stays_inside_the_border_and_never_overlaps():
    claims = claims_for(
        "W" * 512,
        course_title="Very long course title " * 13,
        issuer="Issuer " * 42,
        content_version="v" * 300,
        modules=tuple(f"module-{i:03d}-with-a-long-name" for i in range(80)),
        mode="self-study",
    )
    fig, renderer = pdf_module._figure(claims, "x" * 900)
    boxes = [t.get_window_extent(renderer) for t in fig.texts]
    inner = (33, 33, 595.44 - 33, 841.68 - 33)
    for box in boxes:
        assert inner[0] <= box.x0 and box.x1 <= inner[2] and inner[1] <= box.y0 and box.y1 <= inner[3], box
    for a, b in combinations(boxes, 2):
        assert not a.overlaps(b), (a, b)
    shown = "".join(t.get_text() for t in fig.texts)
    assert "W" * 512 in shown.replace("\n", "") and "and " in shown  # the whole name; modules shortened


def test_the_qr_code_scans_to_the_signed_token(tmp_path):
    missing = [tool for tool in ("zbarimg", "pdftoppm") if shutil.which(tool) is None]
    assert not missing, f"{missing}: apt-get install zbar-tools poppler-utils (.ci/run installs them)"
    pdf = issue_certificate(claims_for("Zoë Ñúñez-Łukasiewicz"), KEY)
    (tmp_path / "c.pdf").write_bytes(pdf)
    subprocess.run(["pdftoppm", "-r", "200", "-png", str(tmp_path / "c.pdf"), str(tmp_path / "page")], check=True)
    png = next(tmp_path.glob("page*.png"))
    scanned = subprocess.run(["zbarimg", "-q", "--raw", str(png)], capture_output=True, check=False, text=True).stdout.strip()
    envelope = Envelope.from_json(PdfReader(io.BytesIO(pdf)).attachments[ATTACHMENT_NAME][0])
    assert scanned == envelope.token()
