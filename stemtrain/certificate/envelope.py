"""How signed claims travel: a JSON file attached to the PDF, and a compact token in its QR code.

The attachment (``stemtrain-certificate.json``, a PDF embedded file, which pypdf and every PDF reader list)
keeps the claims as the exact signed text, readable by a person who opens it, next to the signature and the
field seals. An optional page seal signs a fingerprint of the drawn page (see `textlayer.page_digest`). The QR token is
``base64url(claims) "." base64url(signature)``: the same signed bytes, short
enough to scan, and checkable with `signing.verify` alone.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import re
from dataclasses import dataclass

from .claims import CertificateError
from .signing import Seals

__all__ = ["ATTACHMENT_NAME", "ENVELOPE_FORMAT", "Envelope", "b64url", "from_b64url"]

ATTACHMENT_NAME = "stemtrain-certificate.json"
ENVELOPE_FORMAT = "stemtrain-certificate/1"
_B64URL = re.compile(r"[A-Za-z0-9_-]*")


def b64url(data: bytes) -> str:
    """Base64url without padding (RFC 7515 style)."""
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def from_b64url(text: str, what: str) -> bytes:
    """Decode unpadded base64url strictly; *what* names the part in the error."""
    if not isinstance(text, str) or not _B64URL.fullmatch(text) or len(text) % 4 == 1:
        raise CertificateError(f"the {what} is not base64url text")
    try:
        return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except (binascii.Error, ValueError) as exc:
        raise CertificateError(f"the {what} is not base64url text") from exc


@dataclass(frozen=True)
class Envelope:
    """The signed claims bytes, their signature, and (optionally) the field seals and the page seal."""

    claims: bytes
    signature: bytes
    seals: Seals | None = None
    page_signature: bytes | None = None  # over `page_seal_bytes`: the page is the one the issuer drew

    def token(self) -> str:
        """The QR code's text: claims and signature, each base64url, joined by a dot."""
        return f"{b64url(self.claims)}.{b64url(self.signature)}"

    @classmethod
    def from_token(cls, token: str) -> Envelope:
        """Parse a QR token (no seals travel in it)."""
        parts = token.strip().split(".")
        if len(parts) != 2:
            raise CertificateError("a certificate token has two parts separated by a dot")
        return cls(from_b64url(parts[0], "token's claims"), from_b64url(parts[1], "token's signature"))

    def to_json(self) -> bytes:
        """The attachment's bytes: ASCII JSON, so no PDF tool can re-encode the signed text on the way."""
        data: dict[str, object] = {
            "format": ENVELOPE_FORMAT,
            "claims": self.claims.decode("utf-8"),
            "signature": b64url(self.signature),
        }
        if self.seals is not None:
            fields = {name: b64url(sig) for name, sig in sorted(self.seals.fields.items())}
            data["seals"] = {"code": self.seals.code, "fields": fields}
        if self.page_signature is not None:
            data["page_signature"] = b64url(self.page_signature)
        return json.dumps(data, indent=1, ensure_ascii=True).encode("ascii")

    @classmethod
    def from_json(cls, data: bytes) -> Envelope:
        """Parse an attachment; raises `CertificateError` if it is not one this version writes."""
        try:
            obj = json.loads(data)
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise CertificateError("the attached certificate data is not JSON") from exc
        if not isinstance(obj, dict) or obj.get("format") != ENVELOPE_FORMAT:
            raise CertificateError(f"the attached data is not in the {ENVELOPE_FORMAT} format")
        claims, signature = obj.get("claims"), obj.get("signature")
        if not isinstance(claims, str) or not isinstance(signature, str):
            raise CertificateError("the attached certificate data lacks its claims or signature")
        try:
            claims_bytes = claims.encode("utf-8")
        except UnicodeEncodeError as exc:
            raise CertificateError("the attached claims are not valid Unicode text") from exc
        page = obj.get("page_signature")
        page_signature = from_b64url(page, "page signature") if page is not None else None
        return cls(claims_bytes, from_b64url(signature, "signature"), _seals(obj.get("seals")), page_signature)

    def page_seal_bytes(self, page_digest: bytes) -> bytes:
        """What the page seal signs: the page's fingerprint bound to these claims."""
        return b"stemtrain-page-seal/1\0" + hashlib.sha256(self.claims).digest() + page_digest


def _seals(raw: object) -> Seals | None:
    """Seals are diagnostic: missing or malformed ones are dropped, never an error by themselves."""
    if not isinstance(raw, dict) or not isinstance(raw.get("code"), str) or not isinstance(raw.get("fields"), dict):
        return None
    fields: dict[str, bytes] = {}
    for name, text in raw["fields"].items():
        try:
            fields[str(name)] = from_b64url(text, "seal")
        except CertificateError:
            continue
    return Seals(raw["code"], fields)
