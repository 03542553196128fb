"""The certificate as an Open Badges 3.0 ``OpenBadgeCredential``, signed as a VC-JWT, for wallets and HR systems.

Shape from the 1EdTech Open Badges 3.0 specification (VC Data Model 2.0 context + OB 3.0.3 context); proof by
its "JSON Web Token Proof Format": a compact JWS whose payload is the credential itself plus the registered
claims ``iss`` (issuer.id), ``jti`` (id), ``sub`` (credentialSubject.id) and ``nbf`` (validFrom). The JOSE
header is ``alg: EdDSA``, ``typ: JWT`` and a ``kid``. The ``kid`` is a ``did:key`` URI, which holds the public
key itself, so the badge stays verifiable offline with no key server; the issuer's published PEM key is
the same key (`verify_openbadge` checks that they agree).

The learner has no account identifier we could publish, so ``credentialSubject.id`` is a UUID derived from
the verification code, and the name travels as an ``IdentityObject`` (``identityType: name``).
"""

from __future__ import annotations

import json
import uuid
from datetime import datetime, timedelta, timezone
from typing import Any

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from .claims import CertificateError, Claims
from .envelope import b64url, from_b64url
from .signing import verify
from .textlayer import format_score

__all__ = ["OB_CONTEXT", "VC_CONTEXT", "OpenBadgeError", "did_key", "to_openbadge", "verify_openbadge"]

VC_CONTEXT = "https://www.w3.org/ns/credentials/v2"
OB_CONTEXT = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
_OB_CONTEXT_PREFIX = "https://purl.imsglobal.org/spec/ob/v3p0/context"
_HEADERS = {"alg", "kid", "jwk", "typ"}  # the specification allows no others
_BASE58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
_ED25519_MULTICODEC = b"\xed\x01"
_SKEW = timedelta(minutes=5)


class OpenBadgeError(CertificateError):
    """A VC-JWT that is malformed, not signed by the given key, or lacks what Open Badges 3.0 requires."""


def did_key(public_key: Ed25519PublicKey) -> str:
    """The ``did:key`` of an Ed25519 public key (multicodec 0xed01, base58btc multibase)."""
    raw = public_key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    number, text = int.from_bytes(_ED25519_MULTICODEC + raw, "big"), ""
    while number:
        number, digit = divmod(number, 58)
        text = _BASE58[digit] + text
    return f"did:key:z{text}"


def to_openbadge(claims: Claims, private_key: Ed25519PrivateKey, *, issuer_url: str, achievement_id: str) -> str:
    """The signed VC-JWT (compact JWS) for *claims*; *issuer_url* is the issuer Profile's id."""
    did = did_key(private_key.public_key())
    credential_id = f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, f'{issuer_url}#certificate:{claims.code}')}"
    subject_id = f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, f'{issuer_url}#learner:{claims.code}')}"
    valid_from = claims.issued_at.strftime("%Y-%m-%dT%H:%M:%SZ")
    score = format_score(claims.score_permille).removesuffix(" %")
    mode = "self-study, not proctored" if claims.mode == "self-study" else "in a supervised class session"
    result_id = f"{achievement_id}#final-assessment-score"
    credential = {
        "@context": [VC_CONTEXT, OB_CONTEXT],
        "id": credential_id,
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "issuer": {"id": issuer_url, "type": ["Profile"], "name": claims.issuer},
        "validFrom": valid_from,
        "awardedDate": valid_from,
        "name": f"Certificate: {claims.course_title}",
        "description": f"Passed the final assessment ({mode}). Verification code {claims.code}.",
        "credentialSubject": {
            "id": subject_id,
            "type": ["AchievementSubject"],
            "identifier": [{"type": "IdentityObject", "identityHash": claims.learner, "identityType": "name", "hashed": False}],
            "narrative": f"Completed {', '.join(claims.modules)}; passed the final assessment {mode}.",
            "result": [{"type": ["Result"], "resultDescription": result_id, "value": score}],
            "achievement": {
                "id": achievement_id,
                "type": ["Achievement"],
                "achievementType": "Certificate",
                "name": claims.course_title,
                "description": f"{claims.course_title}: a course for clinic staff, with a scored final assessment.",
                "criteria": {"narrative": "Complete the course modules and pass the scored final assessment."},
                "version": claims.content_version,
                "resultDescription": [
                    {
                        "id": result_id,
                        "type": ["ResultDescription"],
                        "name": "Final assessment score",
                        "resultType": "Percent",
                        "valueMin": "0",
                        "valueMax": "100",
                    }
                ],
            },
        },
    }
    payload = {
        **credential,
        "iss": issuer_url,
        "jti": credential_id,
        "sub": subject_id,
        "nbf": int(claims.issued_at.timestamp()),
    }
    header = {"alg": "EdDSA", "kid": f"{did}#{did.removeprefix('did:key:')}", "typ": "JWT"}
    signing_input = f"{_part(header)}.{_part(payload)}"
    return f"{signing_input}.{b64url(private_key.sign(signing_input.encode('ascii')))}"


def verify_openbadge(jwt: str, public_key: Ed25519PublicKey, *, now: datetime | None = None) -> dict[str, Any]:
    """The credential inside *jwt* once its signature and the Open Badges 3.0 required fields check out."""
    parts = jwt.strip().split(".")
    if len(parts) != 3:
        raise OpenBadgeError("not a compact JWS: it must have three dot-separated parts")
    header, payload = _json(parts[0], "JOSE header"), _json(parts[1], "JWT payload")
    if header.get("alg") != "EdDSA":
        raise OpenBadgeError(f"the JOSE header's alg is {header.get('alg')!r}, expected 'EdDSA'")
    if header.get("typ", "JWT") != "JWT" or not header.keys() <= _HEADERS:
        raise OpenBadgeError(f"the JOSE header has fields Open Badges does not allow: {sorted(header)}")
    kid = header.get("kid")
    if isinstance(kid, str) and kid.startswith("did:key:") and kid.split("#")[0] != did_key(public_key):
        raise OpenBadgeError("signed by another key: the header's kid is not the given public key")
    try:
        signature = from_b64url(parts[2], "JWS signature")
    except CertificateError as exc:
        raise OpenBadgeError(str(exc)) from exc
    if not verify(f"{parts[0]}.{parts[1]}".encode("ascii"), signature, public_key):
        raise OpenBadgeError("the signature does not match: the credential was altered or signed by another key")
    _check_credential(payload, now or datetime.now(timezone.utc))
    return payload


def _check_credential(vc: dict[str, Any], now: datetime) -> None:
    context = vc.get("@context")
    if (
        not isinstance(context, list)
        or context[:1] != [VC_CONTEXT]
        or not any(isinstance(c, str) and c.startswith(_OB_CONTEXT_PREFIX) for c in context)
    ):
        raise OpenBadgeError("@context must start with the VC 2.0 context and include the Open Badges 3.0 context")
    types = vc.get("type")
    if (
        not isinstance(types, list)
        or "VerifiableCredential" not in types
        or not ({"OpenBadgeCredential", "AchievementCredential"} & set(types))
    ):
        raise OpenBadgeError("type must list VerifiableCredential and OpenBadgeCredential")
    issuer = _object(vc, "issuer")
    if not isinstance(issuer.get("id"), str) or "Profile" not in _types(issuer):
        raise OpenBadgeError("issuer must be a Profile with an id")
    subject = _object(vc, "credentialSubject")
    if "AchievementSubject" not in _types(subject):
        raise OpenBadgeError("credentialSubject must have type AchievementSubject")
    achievement = _object(subject, "achievement")
    if "Achievement" not in _types(achievement):
        raise OpenBadgeError("credentialSubject.achievement must have type Achievement")
    for field in ("id", "name", "description"):
        if not isinstance(achievement.get(field), str) or not achievement[field]:
            raise OpenBadgeError(f"credentialSubject.achievement lacks its {field}")
    criteria = _object(achievement, "criteria")
    if not (isinstance(criteria.get("id"), str) or isinstance(criteria.get("narrative"), str)):
        raise OpenBadgeError("credentialSubject.achievement.criteria needs an id or a narrative")
    valid_from = _instant(vc.get("validFrom"), "validFrom")
    for claim, expected in (("iss", issuer["id"]), ("jti", vc.get("id")), ("sub", subject.get("id"))):
        if vc.get(claim) != expected or not isinstance(expected, str):
            raise OpenBadgeError(f"the JWT claim {claim} does not match the credential")
    if vc.get("nbf") != int(valid_from.timestamp()):
        raise OpenBadgeError("the JWT claim nbf does not match validFrom")
    if valid_from > now + _SKEW:
        raise OpenBadgeError(f"the credential is not valid until {vc['validFrom']}")
    if "validUntil" in vc and _instant(vc["validUntil"], "validUntil") < now:
        raise OpenBadgeError(f"the credential expired at {vc['validUntil']}")


def _part(obj: dict[str, Any]) -> str:
    return b64url(json.dumps(obj, separators=(",", ":"), ensure_ascii=False).encode("utf-8"))


def _json(part: str, what: str) -> dict[str, Any]:
    try:
        value = json.loads(from_b64url(part, what))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise OpenBadgeError(f"the {what} is not JSON") from exc
    except CertificateError as exc:
        raise OpenBadgeError(str(exc)) from exc
    if not isinstance(value, dict):
        raise OpenBadgeError(f"the {what} is not a JSON object")
    return value


def _object(parent: dict[str, Any], field: str) -> dict[str, Any]:
    value = parent.get(field)
    if not isinstance(value, dict):
        raise OpenBadgeError(f"the credential lacks {field}")
    return value


def _types(obj: dict[str, Any]) -> list[Any]:
    value = obj.get("type")
    return value if isinstance(value, list) else [value]


def _instant(value: object, field: str) -> datetime:
    try:
        when = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError as exc:
        raise OpenBadgeError(f"{field} is not a date and time") from exc
    if when.tzinfo is None:
        raise OpenBadgeError(f"{field} has no time zone")
    return when
