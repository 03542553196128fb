"""Open Badges 3.0 export: a VC-JWT that verifies with the public key and carries every required field."""

from __future__ import annotations

import base64
import json
import random
from datetime import datetime, timedelta, timezone

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from stemtrain.certificate.claims import Claims
from stemtrain.certificate.code import new_code
from stemtrain.certificate.envelope import b64url
from stemtrain.certificate.openbadge import (
    OB_CONTEXT,
    VC_CONTEXT,
    OpenBadgeError,
    did_key,
    to_openbadge,
    verify_openbadge,
)
from stemtrain.certificate.signing import key_id

KEY = Ed25519PrivateKey.generate()
ISSUER = "https://clinic.example.org"
ACHIEVEMENT = "https://clinic.example.org/achievements/msc-back-pain"


def claims_for(**changes: object) -> Claims:
    values = {
        "learner": "Zoë Ñúñez-Łukasiewicz",
        "course_title": "MSC therapy for chronic low back pain",
        "content_version": "2025.03",
        "issued_at": datetime(2025, 3, 12, 9, 30, tzinfo=timezone.utc),
        "score": 0.875,
        "passed": True,
        "modules": ("01-discs", "02-cells"),
        "code": new_code(random.Random(5)),
        "mode": "self-study",
        "issuer": "Example Spine Clinic",
        "key_id": key_id(KEY),
    }
    return Claims(**{**values, **changes})


def decode(part: str) -> dict:
    return json.loads(base64.urlsafe_b64decode(part + "=" * (-len(part) % 4)))


def resign(header: dict, payload: dict, key: Ed25519PrivateKey = KEY) -> str:
    signing_input = f"{b64url(json.dumps(header).encode())}.{b64url(json.dumps(payload).encode())}"
    return f"{signing_input}.{b64url(key.sign(signing_input.encode()))}"


@pytest.fixture(scope="module")
def jwt() -> str:
    return to_openbadge(claims_for(), KEY, issuer_url=ISSUER, achievement_id=ACHIEVEMENT)


def test_the_credential_verifies_with_the_public_key_and_has_the_required_fields(jwt):
    vc = verify_openbadge(jwt, KEY.public_key())
    assert vc["@context"] == [VC_CONTEXT, OB_CONTEXT]
    assert vc["type"] == ["VerifiableCredential", "OpenBadgeCredential"]
    assert vc["issuer"] == {"id": ISSUER, "type": ["Profile"], "name": "Example Spine Clinic"}
    assert vc["validFrom"] == "2025-03-12T09:30:00Z"
    subject = vc["credentialSubject"]
    assert subject["type"] == ["AchievementSubject"]
    assert subject["identifier"][0] == {
        "type": "IdentityObject",
        "identityHash": "Zoë Ñúñez-Łukasiewicz",
        "identityType": "name",
        "hashed": False,
    }
    assert subject["result"][0]["value"] == "87.5"
    achievement = subject["achievement"]
    assert achievement["id"] == ACHIEVEMENT and achievement["type"] == ["Achievement"]
    assert achievement["name"] and achievement["description"] and achievement["criteria"]["narrative"]
    assert (vc["iss"], vc["jti"], vc["sub"]) == (ISSUER, vc["id"], subject["id"])
    assert vc["nbf"] == int(datetime(2025, 3, 12, 9, 30, tzinfo=timezone.utc).timestamp())
    assert vc["id"].startswith("urn:uuid:") and "self-study, not proctored" in vc["description"]


def test_the_jose_header_is_eddsa_jwt_with_a_did_key_kid(jwt):
    header = decode(jwt.split(".")[0])
    did = did_key(KEY.public_key())
    assert header == {"alg": "EdDSA", "kid": f"{did}#{did[8:]}", "typ": "JWT"}
    assert did.startswith("did:key:z6Mk")  # every Ed25519 did:key starts so (multicodec 0xed01)


def test_the_same_claims_give_the_same_ids(jwt):
    again = to_openbadge(claims_for(), KEY, issuer_url=ISSUER, achievement_id=ACHIEVEMENT)
    assert decode(again.split(".")[1])["id"] == decode(jwt.split(".")[1])["id"]


def test_an_altered_payload_or_another_key_fails(jwt):
    header, payload, signature = jwt.split(".")
    forged = decode(payload)
    forged["credentialSubject"]["result"][0]["value"] = "99.0"
    with pytest.raises(OpenBadgeError, match="signature does not match"):
        verify_openbadge(f"{header}.{b64url(json.dumps(forged).encode())}.{signature}", KEY.public_key())
    other = Ed25519PrivateKey.generate()
    with pytest.raises(OpenBadgeError, match="signed by another key"):
        verify_openbadge(jwt, other.public_key())
    no_kid = resign({"alg": "EdDSA", "typ": "JWT"}, decode(payload), other)
    with pytest.raises(OpenBadgeError, match="signature does not match"):
        verify_openbadge(no_kid, KEY.public_key())


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda vc: vc.pop("@context"), "@context"),
        (lambda vc: vc.update({"@context": [OB_CONTEXT, VC_CONTEXT]}), "@context"),
        (lambda vc: vc.update({"type": ["VerifiableCredential"]}), "OpenBadgeCredential"),
        (lambda vc: vc["issuer"].update({"type": ["Organization"]}), "issuer must be a Profile"),
        (lambda vc: vc["credentialSubject"].update({"type": ["Person"]}), "AchievementSubject"),
        (lambda vc: vc["credentialSubject"]["achievement"].pop("criteria"), "criteria"),
        (lambda vc: vc["credentialSubject"]["achievement"].pop("name"), "lacks its name"),
        (lambda vc: vc["credentialSubject"]["achievement"].pop("description"), "lacks its description"),
        (lambda vc: vc.update({"validFrom": "yesterday"}), "validFrom is not a date"),
        (lambda vc: vc.update({"iss": "https://elsewhere.example"}), "claim iss"),
        (lambda vc: vc.update({"sub": "urn:uuid:0"}), "claim sub"),
        (lambda vc: vc.update({"nbf": 0}), "nbf"),
        (lambda vc: vc.update({"validUntil": "2025-04-01T00:00:00Z"}), "expired"),
    ],
)
def test_missing_or_inconsistent_required_fields_are_refused(jwt, change, message):
    header, payload, _ = jwt.split(".")
    vc = decode(payload)
    change(vc)
    with pytest.raises(OpenBadgeError, match=message):
        verify_openbadge(resign(decode(header), vc), KEY.public_key())


def test_headers_and_shapes_the_specification_forbids_are_refused(jwt):
    header, payload, _ = jwt.split(".")
    for bad_header, message in (
        ({"alg": "none"}, "expected 'EdDSA'"),
        ({"alg": "EdDSA", "typ": "vc+ld"}, "does not allow"),
        ({"alg": "EdDSA", "x5u": "https://x"}, "does not allow"),
    ):
        with pytest.raises(OpenBadgeError, match=message):
            verify_openbadge(resign(bad_header, decode(payload)), KEY.public_key())
    for broken in ("a.b", "!!.??.##", f"{header}.{payload}.!!"):
        with pytest.raises(OpenBadgeError):
            verify_openbadge(broken, KEY.public_key())


def test_a_credential_valid_only_in_the_future_is_refused():
    later = claims_for(issued_at=datetime.now(timezone.utc) + timedelta(days=2))
    jwt = to_openbadge(later, KEY, issuer_url=ISSUER, achievement_id=ACHIEVEMENT)
    with pytest.raises(OpenBadgeError, match="not valid until"):
        verify_openbadge(jwt, KEY.public_key())
    assert verify_openbadge(jwt, KEY.public_key(), now=later.issued_at)["validFrom"]


def test_did_key_matches_a_published_vector():
    alphabet = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
    number = 0
    for char in "8HH5gYEeNc3z7PYXmd54d4x6qAfCNrqQqEB3nS7Zfu7K":  # publicKeyBase58 of the vector below
        number = number * 58 + alphabet.index(char)
    public = Ed25519PublicKey.from_public_bytes(number.to_bytes(32, "big"))
    assert did_key(public) == "did:key:z6MkmjY8GnV5i9YTDtPETC2uUAW6ejw3nk5mXF5yci5ab7th"
