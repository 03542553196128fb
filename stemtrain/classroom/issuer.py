"""The class service as a certificate issuer: its Ed25519 key, the claims it signs on a pass, and the PDF.

The private key is ``DATA/certificate-key.pem``, created (mode 0600) the first time the service starts, or made
beforehand with ``stemtrain certificate keygen``; it never leaves the service. Its public half is written beside it
(``certificate-public.pem``) and served at ``/api/certificates/public-key``, for anyone who verifies offline.
"""

from __future__ import annotations

import base64
import datetime as dt
import threading
from functools import cached_property
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from ..certificate.claims import Claims
from ..certificate.code import new_code
from ..certificate.signing import key_id, load_or_create_private_key, public_key_pem, sign_claims
from .config import private_folder

__all__ = ["KEY_FILE", "PUBLIC_FILE", "Issuer"]

KEY_FILE = "certificate-key.pem"
PUBLIC_FILE = "certificate-public.pem"


class Issuer:
    """Signs certificates with the service's key; ``verify_url`` (the service's verification page) goes in the QR code."""

    def __init__(self, data_dir: Path, name: str, verify_url: str = "") -> None:
        self.data_dir = data_dir
        self.name = name
        self.verify_url = verify_url
        self._lock = threading.Lock()

    @cached_property
    def key(self) -> Ed25519PrivateKey:
        with self._lock:
            folder = private_folder(self.data_dir)
            key = load_or_create_private_key(folder / KEY_FILE)
            public = folder / PUBLIC_FILE
            pem = public_key_pem(key)
            if not public.exists() or public.read_bytes() != pem:
                public.write_bytes(pem)
                public.chmod(0o644)
            return key

    @property
    def key_id(self) -> str:
        return key_id(self.key)

    def public_pem(self) -> bytes:
        return public_key_pem(self.key)

    def claims(
        self,
        *,
        learner: str,
        score_permille: int,
        issued_at: dt.datetime,
        modules: tuple[str, ...],
        content: str,
        course: str,
        code: str | None = None,
    ) -> Claims:
        """The claims of a passed class attempt (``code`` None: a fresh one)."""
        return Claims(
            learner=learner,
            course_title=course,
            content_version=content,
            issued_at=issued_at,
            score=score_permille / 1000,
            passed=True,
            modules=modules,
            code=code or new_code(),
            mode="class",
            issuer=self.name,
            key_id=self.key_id,
        )

    def sign(self, claims: Claims) -> str:
        """The base64url signature kept with the claims."""
        return base64.urlsafe_b64encode(sign_claims(claims, self.key)).rstrip(b"=").decode("ascii")

    def pdf(self, claims_bytes: bytes) -> bytes:
        """The one-page certificate for kept claims (Ed25519 is deterministic: the same claims give the same signature)."""
        from ..certificate.pdf import issue_certificate

        claims = Claims.from_bytes(claims_bytes)
        url = f"{self.verify_url}?code={claims.code}" if self.verify_url else None
        return issue_certificate(claims, self.key, verify_url=url)

    def describe(self) -> dict[str, Any]:
        return {"issuer": self.name, "key_id": self.key_id, "public_key": str(self.data_dir / PUBLIC_FILE)}
