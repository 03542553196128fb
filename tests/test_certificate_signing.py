"""Signing: Ed25519 round trips, seals, and key files that are private, atomic and never replaced."""

from __future__ import annotations

import os
import stat
import threading
from dataclasses import replace
from datetime import datetime, timezone

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from stemtrain.certificate.claims import CertificateError, Claims
from stemtrain.certificate.signing import (
    key_id,
    load_or_create_private_key,
    load_private_key,
    load_public_key,
    public_key_pem,
    seal_fields,
    sign,
    sign_claims,
    verify,
    verify_seals,
)


def make(**changes: object) -> Claims:
    values = {
        "learner": "Ada Lovelace",
        "course_title": "MSC therapy",
        "content_version": "1",
        "score": 0.9,
        "passed": True,
        "issued_at": datetime(2025, 3, 12, tzinfo=timezone.utc),
        "modules": ("01",),
        "code": "0000-0000-0000-0",
        "mode": "class",
        "issuer": "Clinic",
        "key_id": "0123456789abcdef",
    }
    return Claims(**{**values, **changes})


def test_sign_verify_round_trip_and_any_change_fails():
    key = Ed25519PrivateKey.generate()
    data = make().canonical_bytes()
    signature = sign(data, key)
    assert len(signature) == 64
    assert verify(data, signature, key.public_key())
    assert not verify(data + b" ", signature, key.public_key())
    assert not verify(data, signature[:-1] + bytes([signature[-1] ^ 1]), key.public_key())
    assert not verify(data, signature, Ed25519PrivateKey.generate().public_key())
    assert not verify(data, b"short", key.public_key())


def test_sign_claims_refuses_claims_that_name_another_key():
    key = Ed25519PrivateKey.generate()
    claims = make(key_id=key_id(key))
    assert verify(claims.canonical_bytes(), sign_claims(claims, key), key.public_key())
    with pytest.raises(CertificateError, match="name key 0123456789abcdef"):
        sign_claims(make(), key)


def test_key_id_is_a_short_stable_fingerprint_of_the_public_key():
    key = Ed25519PrivateKey.generate()
    assert len(key_id(key)) == 16 and int(key_id(key), 16) >= 0
    assert key_id(key) == key_id(key.public_key()) == key_id(load_public_key(public_key_pem(key)))
    assert key_id(key) != key_id(Ed25519PrivateKey.generate())


def test_seals_name_exactly_the_fields_that_changed():
    key = Ed25519PrivateKey.generate()
    claims = make(key_id=key_id(key))
    seals = seal_fields(claims, key)
    assert all(verify_seals(claims, seals, key.public_key()).values())
    altered = replace(claims, learner="Eve", score=0.99)
    result = verify_seals(altered, seals, key.public_key())
    assert {field for field, ok in result.items() if not ok} == {"learner", "score_permille"}


def test_new_private_key_file_is_mode_0600_and_kept_on_the_next_call(tmp_path):
    path = tmp_path / "keys" / "issuer.pem"
    key = load_or_create_private_key(path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert path.read_bytes().startswith(b"-----BEGIN PRIVATE KEY-----")
    assert key_id(load_or_create_private_key(path)) == key_id(key)
    assert [p.name for p in path.parent.iterdir()] == ["issuer.pem"]  # no temporary file left behind


def test_concurrent_creators_all_get_the_same_key(tmp_path):
    path = tmp_path / "issuer.pem"
    ids: list[str] = []
    barrier = threading.Barrier(6)

    def create() -> None:
        barrier.wait()
        ids.append(key_id(load_or_create_private_key(path)))

    threads = [threading.Thread(target=create) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(ids) == 6 and len(set(ids)) == 1
    assert key_id(load_private_key(path)) == ids[0]


@pytest.mark.skipif(os.name != "posix", reason="file modes are POSIX")
def test_a_private_key_others_can_read_is_refused(tmp_path):
    path = tmp_path / "issuer.pem"
    load_or_create_private_key(path)
    path.chmod(0o644)
    with pytest.raises(CertificateError, match="can be read by others .* chmod 600"):
        load_private_key(path)


def test_wrong_key_files_are_refused_with_clear_messages(tmp_path):
    ec_key = ec.generate_private_key(ec.SECP256R1())
    ec_private = tmp_path / "ec.pem"
    ec_private.write_bytes(
        ec_key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    ec_private.chmod(0o600)
    with pytest.raises(CertificateError, match="not an Ed25519 private key"):
        load_private_key(ec_private)
    ec_public = ec_key.public_key().public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    with pytest.raises(CertificateError, match="not an Ed25519 key"):
        load_public_key(ec_public)
    with pytest.raises(CertificateError, match="not a PEM"):
        load_public_key(b"hello")
    with pytest.raises(CertificateError, match="cannot read the public key file"):
        load_public_key(tmp_path / "missing.pem")
