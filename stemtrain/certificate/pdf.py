"""The one-page A4 certificate, drawn with matplotlib's PDF backend (no pyplot, no new drawing library).

Every string is drawn as real text (``pdf.fonttype = 42``: embedded TrueType with a ToUnicode map) with
mathtext off, so a name like ``$x^2$`` or ``<script>`` prints as typed and can be read back. Text that
comes from people (name, course title, issuer, modules) is wrapped and shrunk until it fits its box.
matplotlib 3.11 shapes text with libraqm, so Arabic joins and right-to-left lines run the right way;
the fonts listed in `fonts` fall back glyph by glyph. A glyph no font has prints as a box; the name is still exact in
the text layer and in the signed claims. The signed claims ride in the PDF as an attached file and in the
QR code (see `envelope`). The page layout is in `pagelayout`, line breaking in `linebreaks`.
"""

from __future__ import annotations

import dataclasses
import io
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from .claims import CertificateError, Claims
from .envelope import ATTACHMENT_NAME, Envelope
from .fonts import quiet_fonts
from .pagelayout import A4, BLUE, GREY, HEIGHT, VERMILLION, WIDTH, Page
from .signing import Seals, key_id, seal_fields, sign_claims, verify
from .textlayer import (
    DATE_LABEL,
    NAME_AFTER,
    NAME_BEFORE,
    SCORE_LABEL,
    SELF_STUDY,
    fix_cluster_text,
    format_date,
    format_score,
    page_digest,
)

__all__ = ["issue_certificate", "render_certificate"]


def issue_certificate(claims: Claims, private_key: Ed25519PrivateKey, *, verify_url: str | None = None) -> bytes:
    """Sign and seal *claims* and render the certificate: the one call an issuing service needs."""
    signature = sign_claims(claims, private_key)
    return render_certificate(
        claims,
        signature,
        public_key=private_key.public_key(),
        seals=seal_fields(claims, private_key),
        verify_url=verify_url,
        page_key=private_key,
    )


def render_certificate(
    claims: Claims,
    signature: bytes,
    *,
    public_key: Ed25519PublicKey,
    seals: Seals | None = None,
    verify_url: str | None = None,
    page_key: Ed25519PrivateKey | None = None,
) -> bytes:
    """The certificate PDF for signed *claims*. Refuses claims that are not passed or not signed by *public_key*.

    *seals* (from `signing.seal_fields`) let a verifier name the altered field; *verify_url*, if given, makes
    the QR code a link ``URL#token`` instead of the bare token; *page_key* (the issuer's private key) seals
    the drawn page too, so text drawn over it or a redrawn font is caught.
    """
    if not claims.passed:
        raise CertificateError("a certificate is issued only for a passed assessment")
    if claims.key_id != key_id(public_key) or not verify(claims.canonical_bytes(), signature, public_key):
        raise CertificateError("the signature does not match these claims and this public key")
    envelope = Envelope(claims.canonical_bytes(), signature, seals)
    qr_text = f"{verify_url}#{envelope.token()}" if verify_url else envelope.token()
    return _attach(_draw(claims, qr_text), envelope, claims, page_key)


def _draw(claims: Claims, qr_text: str) -> bytes:
    import matplotlib

    with matplotlib.rc_context({"pdf.fonttype": 42, "text.usetex": False}), quiet_fonts():
        fig, _ = _figure(claims, qr_text)
        buffer = io.BytesIO()
        fig.savefig(buffer, format="pdf", metadata={"Creator": "stemtrain", "CreationDate": claims.issued_at})
    return buffer.getvalue()


def _figure(claims: Claims, qr_text: str) -> tuple[Any, Any]:
    """The laid-out page and the renderer that measured it (tests check that nothing overflows)."""
    from matplotlib.backends.backend_agg import RendererAgg
    from matplotlib.figure import Figure
    from matplotlib.patches import Rectangle

    with quiet_fonts():
        fig = Figure(figsize=A4, dpi=72)
        page = Page(fig, RendererAgg(int(WIDTH), int(HEIGHT), 72))
        for inset, width in ((26, 2.5), (33, 0.8)):
            fig.add_artist(
                Rectangle(
                    (inset / WIDTH, inset / HEIGHT),
                    1 - 2 * inset / WIDTH,
                    1 - 2 * inset / HEIGHT,
                    transform=fig.transFigure,
                    fill=False,
                    edgecolor=BLUE,
                    linewidth=width,
                )
            )
        page.block("Certificate of completion", 28, budget=40, weight="bold", color=BLUE, gap=8)
        page.block(f"Issued by {claims.issuer}", 12, budget=32, color=GREY, gap=34, shrink_to=7)
        page.block(NAME_BEFORE, 13, budget=20, gap=10)
        page.block(claims.learner, 28, budget=132, weight="bold", gap=10, shrink_to=6)
        page.block(NAME_AFTER, 13, budget=20, gap=8)
        page.block(claims.course_title, 17, budget=60, weight="bold", gap=4, shrink_to=8)
        page.block(f"Content version {claims.content_version}", 10, budget=26, color=GREY, gap=22, shrink_to=6)
        page.block(f"{SCORE_LABEL} {format_score(claims.score_permille)}", 14, budget=20, gap=4)
        page.block(f"{DATE_LABEL} {format_date(claims.issued_at)}", 14, budget=20, gap=14)
        if claims.mode == "self-study":
            page.block(SELF_STUDY, 15, budget=22, weight="bold", color=VERMILLION, gap=16, boxed=True)
        else:
            page.block("Assessed in a supervised class session", 11, budget=16, color=GREY, gap=16)
        if claims.modules:
            page.block("Modules completed", 11, budget=16, weight="bold", gap=3)
            page.modules(claims.modules, budget=HEIGHT - 232 - page.y)
        page.footer(claims, qr_text)
    return fig, page.renderer


def _attach(pdf: bytes, envelope: Envelope, claims: Claims, page_key: Ed25519PrivateKey | None) -> bytes:
    """Repair the text layer, seal the page, attach the signed claims, and set the document's metadata."""
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf)))
    fix_cluster_text(writer)
    if page_key is not None:
        seal = page_key.sign(envelope.page_seal_bytes(page_digest(writer.pages[0])))
        envelope = dataclasses.replace(envelope, page_signature=seal)
    writer.add_attachment(ATTACHMENT_NAME, envelope.to_json())
    writer.add_metadata(
        {
            "/Title": f"Certificate: {claims.course_title}",
            "/Author": claims.issuer,
            "/Subject": f"Verification code {claims.code}",
            "/Creator": "stemtrain",
        }
    )
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
