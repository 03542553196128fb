"""Ed25519 keys, signatures over canonical claims, and per-field seals that say *what* was altered.

Ed25519 because its signatures are small (64 bytes, so they fit in a QR code with the claims), deterministic
and have no parameters to get wrong. The private key lives only where certificates are issued; its file is
written atomically with mode 0600 and never overwritten, and a key file others can read is refused.

Seals are extra signatures, one per claims field, over that field's value alone. They never make a
certificate genuine (only the signature over the whole claims does); they let a verifier whose signature
check failed say "the name was altered" instead of just "something was altered".
"""

from __future__ import annotations

import hashlib
import os
import stat
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from .claims import FIELD_LABELS, CertificateError, Claims

__all__ = [
    "Seals",
    "key_id",
    "load_or_create_private_key",
    "load_private_key",
    "load_public_key",
    "public_key_pem",
    "seal_fields",
    "sign",
    "sign_claims",
    "verify",
    "verify_seals",
]

Key = Ed25519PrivateKey | Ed25519PublicKey


def _public(key: Key) -> Ed25519PublicKey:
    return key.public_key() if isinstance(key, Ed25519PrivateKey) else key


def public_key_pem(key: Key) -> bytes:
    """The public half as a PEM ``PUBLIC KEY`` block: the file an issuer publishes for verifiers."""
    return _public(key).public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)


def key_id(key: Key) -> str:
    """A short fingerprint (16 hex digits of SHA-256 over the raw public key), printed on every certificate."""
    raw = _public(key).public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return hashlib.sha256(raw).hexdigest()[:16]


def sign(data: bytes, private_key: Ed25519PrivateKey) -> bytes:
    """The 64-byte Ed25519 signature of *data*."""
    return private_key.sign(data)


def verify(claims_bytes: bytes, signature: bytes, public_key: Ed25519PublicKey) -> bool:
    """True only if *signature* is *public_key*'s signature of exactly these bytes."""
    try:
        public_key.verify(signature, claims_bytes)
    except (InvalidSignature, ValueError, TypeError):
        return False
    return True


def sign_claims(claims: Claims, private_key: Ed25519PrivateKey) -> bytes:
    """Sign the canonical bytes of *claims*, refusing claims that name another key."""
    if claims.key_id != key_id(private_key):
        raise CertificateError(f"the claims name key {claims.key_id}, but this private key is {key_id(private_key)}")
    return sign(claims.canonical_bytes(), private_key)


@dataclass(frozen=True)
class Seals:
    """One signature per claims field, each over ``Claims.seal_bytes(field, code)``; diagnosis only."""

    code: str
    fields: Mapping[str, bytes]


def seal_fields(claims: Claims, private_key: Ed25519PrivateKey) -> Seals:
    """Seal every claims field, bound to this certificate's code so seals cannot be moved between certificates."""
    return Seals(claims.code, {f: sign(claims.seal_bytes(f, claims.code), private_key) for f in FIELD_LABELS})


def verify_seals(claims: Claims, seals: Seals, public_key: Ed25519PublicKey) -> dict[str, bool]:
    """For each sealed field, whether its value in *claims* is still the one the key sealed."""
    return {
        field: verify(claims.seal_bytes(field, seals.code), signature, public_key)
        for field, signature in seals.fields.items()
        if field in FIELD_LABELS
    }


def load_public_key(source: bytes | str | os.PathLike[str]) -> Ed25519PublicKey:
    """A public key from PEM bytes or a PEM file; raises `CertificateError` naming the problem."""
    data = source if isinstance(source, bytes) else _read(Path(source), "public key")
    try:
        key = serialization.load_pem_public_key(data)
    except ValueError as exc:
        raise CertificateError("the public key is not a PEM 'PUBLIC KEY' block") from exc
    if not isinstance(key, Ed25519PublicKey):
        raise CertificateError("the public key is not an Ed25519 key")
    return key


def load_private_key(path: str | os.PathLike[str]) -> Ed25519PrivateKey:
    """The private key in *path*; refused if group or others may read it."""
    path = Path(path)
    if os.name == "posix" and path.exists() and stat.S_IMODE(path.stat().st_mode) & 0o077:
        mode = stat.S_IMODE(path.stat().st_mode)
        raise CertificateError(f"private key {path} can be read by others (mode {mode:04o}); run: chmod 600 {path}")
    try:
        key = serialization.load_pem_private_key(_read(path, "private key"), password=None)
    except (ValueError, TypeError) as exc:
        raise CertificateError(f"{path} is not an unencrypted PEM private key") from exc
    if not isinstance(key, Ed25519PrivateKey):
        raise CertificateError(f"{path} is not an Ed25519 private key")
    return key


def load_or_create_private_key(path: str | os.PathLike[str]) -> Ed25519PrivateKey:
    """The private key in *path*, created first if there is none.

    The new key is written to a temporary file (mode 0600) in the same folder, flushed, and then linked into
    place, which fails if another process created the key meanwhile: then that key is used. So a key file is
    never half-written and never replaced.
    """
    path = Path(path)
    if path.exists():
        return load_private_key(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    pem = Ed25519PrivateKey.generate().private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(pem)
            handle.flush()
            os.fsync(handle.fileno())
        try:
            os.link(tmp, path)
        except FileExistsError:
            pass  # another process won the race: use its key
        except OSError:  # a file system without hard links: exclusive create instead
            _write_exclusive(path, pem)
    finally:
        os.unlink(tmp)
    return load_private_key(path)


def _write_exclusive(path: Path, data: bytes) -> None:
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())


def _read(path: Path, what: str) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise CertificateError(f"cannot read the {what} file {path}: {exc.strerror or exc}") from exc
