"""The one-page A4 certificate, drawn with matplotlib's PDF backend (no pyplot, no new drawing library).

Every string is drawn as real text (``pdf.fonttype = 42``: embedded TrueType with a ToUnicode map) with
mathtext off, so a name like ``$x^2$`` or ``<script>`` prints as typed and can be read back. Text that
comes from people (name, course title, issuer, modules) is wrapped and shrunk until it fits its box.
matplotlib 3.11 shapes text with libraqm, so Arabic joins and right-to-left lines run the right way;
the fonts listed in `fonts` fall back glyph by glyph. A glyph no font has prints as a box; the name is still exact in
the text layer and in the signed claims. The signed claims ride in the PDF as an attached file and in the
QR code (see `envelope`).
"""

from __future__ import annotations

import dataclasses
import functools
import io
import unicodedata
from collections.abc import Callable, Sequence
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from .claims import CertificateError, Claims
from .envelope import ATTACHMENT_NAME, Envelope
from .fonts import font_families, quiet_fonts
from .qr import draw_qr
from .signing import Seals, key_id, seal_fields, sign_claims, verify
from .textlayer import (
    CODE_LABEL,
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

_A4 = (8.27, 11.69)  # inches
_W, _H = _A4[0] * 72, _A4[1] * 72  # points; the figure is drawn at 72 dpi, so a pixel is a point
_TEXT_WIDTH = _W - 2 * 66
_SIZES = (24, 20, 17, 14.5, 12.5, 11, 10, 9, 8, 7, 6)  # a fixed ladder, so matplotlib's font lookups are cached
_BLUE, _GREY, _VERMILLION = "#0072B2", "#555555", "#D55E00"  # Okabe-Ito


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
        fig = Figure(figsize=_A4, dpi=72)
        page = _Page(fig, RendererAgg(int(_W), int(_H), 72))
        for inset, width in ((26, 2.5), (33, 0.8)):
            fig.add_artist(
                Rectangle(
                    (inset / _W, inset / _H),
                    1 - 2 * inset / _W,
                    1 - 2 * inset / _H,
                    transform=fig.transFigure,
                    fill=False,
                    edgecolor=_BLUE,
                    linewidth=width,
                )
            )
        page.block("Certificate of completion", 28, budget=40, weight="bold", color=_BLUE, gap=8)
        page.block(f"Issued by {claims.issuer}", 12, budget=32, color=_GREY, gap=34, shrink_to=7)
        page.block(NAME_BEFORE, 13, budget=20, gap=10)
        page.block(claims.learner, 28, budget=132, weight="bold", gap=10, shrink_to=6)
        page.block(NAME_AFTER, 13, budget=20, gap=8)
        page.block(claims.course_title, 17, budget=60, weight="bold", gap=4, shrink_to=8)
        page.block(f"Content version {claims.content_version}", 10, budget=26, color=_GREY, gap=22, shrink_to=6)
        page.block(f"{SCORE_LABEL} {format_score(claims.score_permille)}", 14, budget=20, gap=4)
        page.block(f"{DATE_LABEL} {format_date(claims.issued_at)}", 14, budget=20, gap=14)
        if claims.mode == "self-study":
            page.block(SELF_STUDY, 15, budget=22, weight="bold", color=_VERMILLION, gap=16, boxed=True)
        else:
            page.block("Assessed in a supervised class session", 11, budget=16, color=_GREY, gap=16)
        if claims.modules:
            page.block("Modules completed", 11, budget=16, weight="bold", gap=3)
            page.modules(claims.modules, budget=_H - 232 - page.y)
        page.footer(claims, qr_text)
    return fig, page.renderer


class _Page:
    """A cursor down the page that places centred text blocks, each shrunk and wrapped to fit its budget."""

    def __init__(self, fig: Any, renderer: Any) -> None:
        self.fig, self.renderer, self.y = fig, renderer, 86.0  # y: points from the top
        self._widths: dict[tuple[str, float, str], float] = {}

    def _props(self, size: float, weight: str = "normal", family: Sequence[str] | None = None) -> Any:
        from matplotlib.font_manager import FontProperties

        return FontProperties(family=list(family or font_families()), size=size, weight=weight)

    def fit(self, text: str, size: float, budget: float, weight: str, shrink_to: float) -> tuple[float, list[str]]:
        """The largest size from *size* down to *shrink_to* at which *text* wraps into *budget* points of height."""
        for step in [size] + [s for s in _SIZES if shrink_to <= s < size]:
            lines = _wrap(text, functools.partial(self.width, size=step, weight=weight))
            if len(lines) * step * 1.25 <= budget:
                break
        return step, lines

    def width(self, line: str, *, size: float, weight: str) -> float:
        """The width of one line in points, remembered: wrapping asks about the same prefixes many times."""
        key = (line, size, weight)
        if key not in self._widths:
            props = self._props(size, weight)
            self._widths[key] = self.renderer.get_text_width_height_descent(line, props, ismath=False)[0]
        return self._widths[key]

    def block(
        self,
        text: str,
        size: float,
        *,
        budget: float,
        gap: float,
        weight: str = "normal",
        color: str = "black",
        shrink_to: float | None = None,
        boxed: bool = False,
    ) -> None:
        size, lines = self.fit(text, size, budget, weight, shrink_to or size)
        box = {"boxstyle": "round,pad=0.5", "facecolor": "white", "edgecolor": color, "linewidth": 1.5} if boxed else None
        artist = self.fig.text(
            0.5,
            1 - (self.y + (8 if boxed else 0)) / _H,
            "\n".join(lines),
            ha="center",
            va="top",
            fontproperties=self._props(size, weight),
            color=color,
            linespacing=1.2,
            parse_math=False,
            bbox=box,
        )
        extent = artist.get_window_extent(self.renderer)
        self.y = _H - extent.y0 + (14 if boxed else 0) + gap

    def modules(self, modules: Sequence[str], budget: float) -> None:
        """The module list, shortened with "and N more" (the most that fit, by bisection) if small type cannot hold it."""

        def text(shown: int) -> str:
            return ", ".join(modules[:shown]) + (f", and {len(modules) - shown} more" if shown < len(modules) else "")

        def fits(shown: int) -> bool:
            size, lines = self.fit(text(shown), 10.5, budget, "normal", 7)
            return len(lines) * size * 1.25 <= budget

        shown = len(modules)
        if not fits(shown):
            low, high = 1, shown - 1
            while low < high:
                middle = (low + high + 1) // 2
                low, high = (middle, high) if fits(middle) else (low, middle - 1)
            shown = low
        size, _ = self.fit(text(shown), 10.5, budget, "normal", 7)
        self.block(text(shown), size, budget=budget, gap=0, color=_GREY)

    def footer(self, claims: Claims, qr_text: str) -> None:
        size, left, bottom = 150.0, 66.0, 62.0
        draw_qr(self.fig, qr_text, left, bottom, size)
        x = (left + size + 22) / _W
        mono = self._props(19, "bold", ["DejaVu Sans Mono"])
        self.fig.text(x, (bottom + 118) / _H, CODE_LABEL, fontproperties=self._props(11), parse_math=False)
        self.fig.text(x, (bottom + 92) / _H, claims.code, fontproperties=mono, parse_math=False)
        lines = [
            f"Signing key id: {claims.key_id}",
            "To check this certificate, run",
            "stemtrain certificate verify FILE.pdf --key ISSUER.pem",
            "with the issuer's published public key. The QR code",
            "and the file attached to this PDF hold the signed data.",
        ]
        self.fig.text(
            x,
            (bottom + 74) / _H,
            "\n".join(lines),
            va="top",
            fontproperties=self._props(8.5),
            color=_GREY,
            linespacing=1.35,
            parse_math=False,
        )


def _graphemes(word: str) -> list[str]:
    """Approximate user-perceived characters, so wrapping never splits a mark, a flag or an emoji sequence."""
    clusters: list[str] = []
    for char in word:
        joins = unicodedata.category(char) in ("Mn", "Mc", "Me") or char in "\u200d\ufe0e\ufe0f"
        joins = joins or "\U0001f3fb" <= char <= "\U0001f3ff" or (bool(clusters) and clusters[-1].endswith("\u200d"))
        flag = "\U0001f1e6" <= char <= "\U0001f1ff" and clusters and len(clusters[-1]) == 1
        if clusters and (joins or (flag and "\U0001f1e6" <= clusters[-1] <= "\U0001f1ff")):
            clusters[-1] += char
        else:
            clusters.append(char)
    return clusters


def _wrap(text: str, width: Callable[[str], float], limit: float = _TEXT_WIDTH) -> list[str]:
    """Greedy wrapping at spaces; a word wider than the line is broken between graphemes (found by bisection)."""
    lines: list[str] = []
    current = ""
    for word in text.split():
        candidate = f"{current} {word}" if current else word
        if width(candidate) <= limit:
            current = candidate
            continue
        if current:
            lines.append(current)
        pieces = _graphemes(word)
        while True:
            low, high = 1, len(pieces)  # the longest prefix that fits (at least one grapheme, come what may)
            while low < high:
                middle = (low + high + 1) // 2
                low, high = (middle, high) if width("".join(pieces[:middle])) <= limit else (low, middle - 1)
            current, pieces = "".join(pieces[:low]), pieces[low:]
            if not pieces:
                break
            lines.append(current)
    if current:
        lines.append(current)
    return lines or [""]


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
