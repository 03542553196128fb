"""Is this PDF a genuine certificate? Offline: the PDF and the issuer's published public key(s) are enough.

A certificate is genuine when the signed claims attached to it verify against a published key *and* the
page shows what they say (name, score, date, code, the self-study notice), carries no annotations drawn on
top, and (for certificates with a page seal) is exactly the page the issuer drew. Every other outcome is a
`CertificateError` whose message says, in one line, what is wrong: the field seals (see `signing`) turn
"the signature does not match" into "name altered" or "date altered".
"""

from __future__ import annotations

import contextlib
import io
import logging
import os
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from .claims import FIELD_LABELS, CertificateError, Claims
from .envelope import ATTACHMENT_NAME, Envelope
from .signing import key_id, verify, verify_seals
from .textlayer import (
    CODE_LABEL,
    DATE_LABEL,
    NAME_AFTER,
    NAME_BEFORE,
    SCORE_LABEL,
    SELF_STUDY,
    format_date,
    format_score,
    name_matches,
    page_digest,
)

__all__ = ["CertificateError", "Verdict", "verify_envelope", "verify_pdf"]

_MAX_BYTES = 20 * 1024 * 1024


@dataclass(frozen=True)
class Verdict:
    """A genuine certificate: who, when, what score, in which mode, under which code (and all the claims)."""

    learner: str
    issued_at: datetime
    score: float
    mode: str
    code: str
    claims: Claims

    def summary(self) -> str:
        """The lines a person reads: printed by ``stemtrain certificate verify``."""
        c = self.claims
        mode = "self-study, not proctored" if c.mode == "self-study" else "class (supervised)"
        return "\n".join(
            [
                f"Genuine certificate {c.code}, signed by key {c.key_id} ({c.issuer})",
                f"  Learner:  {c.learner}",
                f"  Course:   {c.course_title} (content version {c.content_version})",
                f"  Issued:   {format_date(c.issued_at)}",
                f"  Score:    {format_score(c.score_permille)} ({'passed' if c.passed else 'not passed'})",
                f"  Mode:     {mode}",
            ]
        )


def verify_pdf(source: bytes | str | os.PathLike[str], public_keys: Ed25519PublicKey | Iterable[Ed25519PublicKey]) -> Verdict:
    """The verdict on a certificate PDF (bytes or a path); raises `CertificateError` if it is not genuine."""
    keys = [public_keys] if isinstance(public_keys, Ed25519PublicKey) else list(public_keys)
    data = _read(source)
    if not data.startswith(b"%PDF-"):
        raise CertificateError("not a PDF file (it does not start with %PDF-)")
    with _quiet_pypdf():
        from pypdf import PdfReader

        try:
            reader = PdfReader(io.BytesIO(data))
            pages = len(reader.pages)
            attachments = reader.attachments
            attached = attachments.get(ATTACHMENT_NAME) if ATTACHMENT_NAME in attachments else None
            page = reader.pages[0] if pages == 1 else None
            text = page.extract_text() if page is not None else ""
            annots = page.get("/Annots") if page is not None else None
            annotations = len(annots.get_object()) if annots is not None else 0
            digest = page_digest(page) if page is not None else b""
        except Exception as exc:  # pypdf raises many types for damaged files
            raise CertificateError(f"the PDF cannot be read ({type(exc).__name__}: {exc})") from exc
    if not attached:
        raise CertificateError("this PDF is not a stemtrain certificate: it carries no signed certificate data")
    if pages != 1:
        raise CertificateError(f"a stemtrain certificate has one page; this PDF has {pages}")
    envelope = Envelope.from_json(attached[0])
    verdict = verify_envelope(envelope, keys)
    if annotations:
        raise CertificateError(f"page altered: {annotations} annotation(s) (notes, boxes or text) were added on top")
    _check_page(text, verdict.claims)
    key = {key_id(k): k for k in keys}[verdict.claims.key_id]
    if envelope.page_signature is not None and not verify(envelope.page_seal_bytes(digest), envelope.page_signature, key):
        raise CertificateError("page altered: something was drawn over the page, or its fonts or drawing changed")
    return verdict


def verify_envelope(envelope: Envelope, public_keys: Ed25519PublicKey | Iterable[Ed25519PublicKey]) -> Verdict:
    """Check signed claims (from a PDF attachment or a QR token) against the published keys."""
    keys = {key_id(k): k for k in ([public_keys] if isinstance(public_keys, Ed25519PublicKey) else public_keys)}
    if not keys:
        raise CertificateError("no public key was given to check the signature against")
    try:
        claims = Claims.from_bytes(envelope.claims)
    except CertificateError as exc:
        raise CertificateError(f"the signed claims are malformed: {exc}") from exc
    key = keys.get(claims.key_id)
    if key is None:
        raise CertificateError(f"signed by another key: key id {claims.key_id} is not one of the published keys ({', '.join(keys)})")
    if not verify(envelope.claims, envelope.signature, key):
        raise CertificateError(_diagnose(claims, envelope, key))
    return Verdict(claims.learner, claims.issued_at, claims.score, claims.mode, claims.code, claims)


def _diagnose(claims: Claims, envelope: Envelope, key: Ed25519PublicKey) -> str:
    """Why a signature over the whole claims failed, from the per-field seals."""
    if envelope.seals is None or not envelope.seals.fields:
        return "the signature does not match the claims: altered after signing, or signed by another key"
    sealed = verify_seals(claims, envelope.seals, key)
    if not any(sealed.values()):
        return f"signed by another key: the signature and seals do not match published key {claims.key_id}"
    altered = [FIELD_LABELS[field] for field in FIELD_LABELS if sealed.get(field) is False]
    if not altered:
        return "signature altered: the claims are intact but their signature is not the issuer's"
    return f"{' and '.join(altered)} altered: the signed claims were changed after signing"


def _check_page(text: str, claims: Claims) -> None:
    """The visible text layer must show what the claims say."""
    start = text.find(NAME_BEFORE + "\n")
    if start < 0:
        raise CertificateError("name altered: the page no longer shows the 'This certifies that' line")
    rest = text[start + len(NAME_BEFORE) + 1 :]
    tail = None
    for marker in re.finditer(re.escape("\n" + NAME_AFTER + "\n"), rest):
        if name_matches(rest[: marker.start()], claims.learner):
            tail = rest[marker.end() :]
            break
    if tail is None:
        raise CertificateError("name altered: the printed name is not the signed name")
    score = re.search(re.escape(SCORE_LABEL) + r"\s*(\d{1,3}\.\d) %", tail)
    if score is None or f"{score[1]} %" != format_score(claims.score_permille):
        raise CertificateError("score altered: the printed score is not the signed score")
    date = re.search(re.escape(DATE_LABEL) + r"\s*([^\n]*UTC)", tail)
    if date is None or date[1] != format_date(claims.issued_at):
        raise CertificateError("date altered: the printed date is not the signed date")
    if claims.mode == "self-study" and SELF_STUDY not in tail:
        raise CertificateError("mode altered: the signed claims say self-study, but the page lacks that notice")
    code = re.search(re.escape(CODE_LABEL) + r"\s*(\S+)", tail)
    if code is None or code[1] != claims.code:
        raise CertificateError("verification code altered: the printed code is not the signed code")


def _read(source: bytes | str | os.PathLike[str]) -> bytes:
    if isinstance(source, (bytes, bytearray, memoryview)):
        return bytes(source)
    try:
        with open(source, "rb") as handle:
            data = handle.read(_MAX_BYTES + 1)
    except OSError as exc:
        raise CertificateError(f"cannot read {os.fspath(source)}: {exc.strerror or exc}") from exc
    if len(data) > _MAX_BYTES:
        raise CertificateError(f"{os.fspath(source)} is larger than a certificate can be")
    return data


@contextlib.contextmanager
def _quiet_pypdf() -> Iterator[None]:
    """pypdf logs what it repairs in damaged files; the verdict already says what matters."""
    logger = logging.getLogger("pypdf")
    level = logger.level
    logger.setLevel(logging.ERROR + 1)
    try:
        yield
    finally:
        logger.setLevel(level)
