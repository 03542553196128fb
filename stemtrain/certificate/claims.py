"""What a certificate says, as one canonical byte string that a signature can cover.

The bytes are sorted-key compact JSON in UTF-8 with no floats: the score is an integer per-mille and the
date is whole seconds in UTC, so the same claims always give the same bytes on every machine and a verifier
years from now can rebuild them exactly. Strings are NFC-normalised for the same reason. Parsing is strict
(no unknown, missing or duplicate fields) because whatever a parser forgives an attacker can use.
"""

from __future__ import annotations

import json
import math
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, fields
from datetime import datetime, timezone
from typing import Any

from .code import is_valid, normalise

__all__ = ["CLAIMS_VERSION", "FIELD_LABELS", "MAX_NAME_LENGTH", "MODES", "CertificateError", "Claims", "ClaimsError"]

CLAIMS_VERSION = 1
MODES = ("class", "self-study")
MAX_NAME_LENGTH = 512
_MAX_TEXT = 300
_KEY_ID = re.compile(r"[0-9a-f]{16}")
_INSTANT = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ")
# Characters that can reorder or hide what is printed (bidi embeddings, overrides and isolates; line breaks).
_FORBIDDEN = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u2028\u2029")

# The canonical JSON field for each part of a certificate, and the words a person reads in error messages.
FIELD_LABELS = {
    "learner": "name",
    "course_title": "course title",
    "content_version": "content version",
    "issued_at": "date",
    "score_permille": "score",
    "passed": "pass result",
    "modules": "modules",
    "code": "verification code",
    "mode": "mode",
    "issuer": "issuer",
    "key_id": "key id",
}


class CertificateError(ValueError):
    """A certificate, its claims or its key cannot be trusted or used; the message says why, in one line."""


class ClaimsError(CertificateError):
    """Claims that are malformed: a field is missing, unknown, of the wrong type or out of range."""


def _clean_text(name: str, value: object, *, limit: int = _MAX_TEXT) -> str:
    if not isinstance(value, str):
        raise ClaimsError(f"{name} must be text, not {type(value).__name__}")
    text = unicodedata.normalize("NFC", value).strip()
    if not text:
        raise ClaimsError(f"{name} is empty")
    if len(text) > limit:
        raise ClaimsError(f"{name} has {len(text)} characters; at most {limit} are allowed")
    for char in text:
        # Not "unassigned" (Cn): that depends on the Unicode version, and a newer Python must not refuse older claims.
        if unicodedata.category(char) in ("Cc", "Cs", "Co") or char in _FORBIDDEN:
            raise ClaimsError(f"{name} contains the control or private-use character U+{ord(char):04X}")
    return text


def _utc_seconds(name: str, value: object) -> datetime:
    if not isinstance(value, datetime) or value.tzinfo is None or value.utcoffset() is None:
        raise ClaimsError(f"{name} must be a timezone-aware datetime")
    return value.astimezone(timezone.utc).replace(microsecond=0)


@dataclass(frozen=True)
class Claims:
    """The signed statement on one certificate. Values are normalised on creation (see the module docstring):
    text to NFC without surrounding spaces, ``issued_at`` to whole seconds in UTC, ``score`` to 0.001 steps."""

    learner: str
    course_title: str
    content_version: str
    issued_at: datetime
    score: float
    passed: bool
    modules: tuple[str, ...]
    code: str
    mode: str
    issuer: str
    key_id: str

    def __post_init__(self) -> None:
        put = object.__setattr__
        put(self, "learner", _clean_text("learner", self.learner, limit=MAX_NAME_LENGTH))
        for name in ("course_title", "content_version", "issuer"):
            put(self, name, _clean_text(name, getattr(self, name)))
        put(self, "issued_at", _utc_seconds("issued_at", self.issued_at))
        score = self.score
        if isinstance(score, bool) or not isinstance(score, (int, float)) or not math.isfinite(score):
            raise ClaimsError(f"score must be a number from 0 to 1, not {score!r}")
        if not 0 <= score <= 1:
            raise ClaimsError(f"score must be from 0 to 1, not {score}")
        put(self, "score", round(score * 1000) / 1000)
        if not isinstance(self.passed, bool):
            raise ClaimsError("passed must be true or false")
        if isinstance(self.modules, str) or not isinstance(self.modules, Sequence):
            raise ClaimsError("modules must be a list of module names")
        put(self, "modules", tuple(_clean_text("each module", m) for m in self.modules))
        if not isinstance(self.code, str) or not is_valid(self.code) or normalise(self.code) != self.code:
            raise ClaimsError(f"code {self.code!r} is not a valid verification code in XXXX-XXXX-XXXX-C form")
        if self.mode not in MODES:
            raise ClaimsError(f"mode must be one of {', '.join(MODES)}, not {self.mode!r}")
        if not isinstance(self.key_id, str) or not _KEY_ID.fullmatch(self.key_id):
            raise ClaimsError(f"key_id must be 16 lower-case hex digits, not {self.key_id!r}")

    @property
    def score_permille(self) -> int:
        """The score as an exact integer, 0 to 1000: what is signed and printed."""
        return round(self.score * 1000)

    def to_dict(self) -> dict[str, Any]:
        """The JSON object that is signed (field names as in `FIELD_LABELS`, plus the format version ``v``)."""
        return {
            "v": CLAIMS_VERSION,
            "learner": self.learner,
            "course_title": self.course_title,
            "content_version": self.content_version,
            "issued_at": self.issued_at.strftime("%Y-%m-%dT%H:%M:%SZ"),
            "score_permille": self.score_permille,
            "passed": self.passed,
            "modules": list(self.modules),
            "code": self.code,
            "mode": self.mode,
            "issuer": self.issuer,
            "key_id": self.key_id,
        }

    def canonical_bytes(self) -> bytes:
        """Sorted-key compact JSON, UTF-8: the exact bytes the issuer signs."""
        return _canonical(self.to_dict())

    def seal_bytes(self, field: str, code: str) -> bytes:
        """The bytes of one field's seal, bound to the certificate's code (see `signing.seal_fields`)."""
        return _canonical({"seal": CLAIMS_VERSION, "code": code, "field": field, "value": self.to_dict()[field]})

    @classmethod
    def from_json(cls, text: str | bytes) -> Claims:
        """Claims from any JSON spelling of the claims object (for files people write); strict about content."""
        try:
            text = text.decode("utf-8") if isinstance(text, bytes) else text  # json.loads would guess UTF-16/32
        except UnicodeDecodeError as exc:
            raise ClaimsError("claims are not UTF-8 text") from exc
        try:
            data = json.loads(text, object_pairs_hook=_no_duplicates)
        except json.JSONDecodeError as exc:
            raise ClaimsError(f"claims are not valid JSON ({exc.msg} at line {exc.lineno})") from exc
        return cls.from_dict(data)

    @classmethod
    def from_bytes(cls, data: bytes) -> Claims:
        """Claims from their canonical bytes; anything else (extra spaces, other key order) is refused."""
        claims = cls.from_json(data)
        if claims.canonical_bytes() != data:
            raise ClaimsError("claims are not in canonical form")
        return claims

    @classmethod
    def from_dict(cls, data: object) -> Claims:
        """Claims from the parsed JSON object, checking every field's presence and JSON type."""
        if not isinstance(data, dict):
            raise ClaimsError("claims must be a JSON object")
        if data.get("v") != CLAIMS_VERSION:
            raise ClaimsError(f"claims format version {data.get('v')!r} is not supported (expected {CLAIMS_VERSION})")
        expected = set(FIELD_LABELS) | {"v"}
        if missing := sorted(expected - data.keys()):
            raise ClaimsError(f"claims lack the field(s) {', '.join(missing)}")
        if unknown := sorted(data.keys() - expected):
            raise ClaimsError(f"claims have unknown field(s) {', '.join(unknown)}")
        permille = data["score_permille"]
        if isinstance(permille, bool) or not isinstance(permille, int) or not 0 <= permille <= 1000:
            raise ClaimsError("score_permille must be a whole number from 0 to 1000")
        when = data["issued_at"]
        if not isinstance(when, str) or not _INSTANT.fullmatch(when):
            raise ClaimsError("issued_at must look like 2025-03-12T09:30:00Z")
        try:
            issued_at = datetime.strptime(when, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=timezone.utc)
        except ValueError as exc:
            raise ClaimsError(f"issued_at {when!r} is not a real date and time") from exc
        modules = data["modules"]
        if not isinstance(modules, list):
            raise ClaimsError("modules must be a list")
        values = {f.name: data[f.name] for f in fields(cls) if f.name in data}
        return cls(**{**values, "issued_at": issued_at, "score": permille / 1000, "modules": tuple(modules)})


def _canonical(value: object) -> bytes:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False).encode()


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise ClaimsError(f"claims repeat the field {key!r}")
        result[key] = value
    return result
