"""``stemtrain certificate ...``: verify a certificate PDF, export an Open Badge, make a signing key.

Usage::

    stemtrain certificate verify FILE.pdf [--key PUBLIC.pem ...]
    stemtrain certificate export --openbadge --claims FILE --key PRIVATE.pem --issuer-url URL
                                 [--achievement-id URL] --out FILE.jwt
    stemtrain certificate keygen PRIVATE.pem [--public PUBLIC.pem]

``verify`` prints who, when, score and mode and exits 0 for a genuine certificate; otherwise it prints one
line saying why and exits 1 (2 when no key was given). ``--key`` may repeat (an issuer that rotated its key
publishes both); without it the keys listed in ``$STEMTRAIN_CERTIFICATE_KEYS`` (os.pathsep-separated) are
used. ``export --claims`` takes a certificate PDF (checked against the private key's public half first) or a
claims JSON file. No command shows a traceback: the commands are for people, not for debugging.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import Any

__all__ = ["KEYS_VARIABLE", "register", "run_export", "run_keygen", "run_verify"]

KEYS_VARIABLE = "STEMTRAIN_CERTIFICATE_KEYS"


def register(subparsers: Any) -> argparse.ArgumentParser:
    """Add the ``certificate`` command group to an argparse sub-parsers object; each leaf sets ``run``."""
    group = subparsers.add_parser("certificate", help="verify certificates, export Open Badges, make a signing key")
    commands = group.add_subparsers(dest="certificate_command", required=True, metavar="{verify,export,keygen}")

    p = commands.add_parser("verify", help="check that a certificate PDF is genuine (offline)")
    p.add_argument("pdf", metavar="FILE.pdf", help="the certificate to check")
    p.add_argument(
        "--key",
        action="append",
        default=[],
        metavar="PUBLIC.pem",
        help=f"the issuer's published public key; repeat for several (default: ${KEYS_VARIABLE})",
    )
    p.set_defaults(run=run_verify)

    p = commands.add_parser("export", help="export a certificate as a signed Open Badges 3.0 credential (VC-JWT)")
    fmt = p.add_mutually_exclusive_group(required=True)
    fmt.add_argument("--openbadge", action="store_true", help="Open Badges 3.0 OpenBadgeCredential as a VC-JWT")
    p.add_argument("--claims", required=True, metavar="FILE", help="a certificate PDF or a claims JSON file")
    p.add_argument("--key", required=True, metavar="PRIVATE.pem", help="the issuer's private signing key")
    p.add_argument("--issuer-url", required=True, metavar="URL", help="the issuer's id (a URL it controls)")
    p.add_argument("--achievement-id", metavar="URL", help="the achievement's id (default: ISSUER-URL/achievements/certificate)")
    p.add_argument("--out", required=True, metavar="FILE.jwt", help="where to write the credential ('-': print it)")
    p.set_defaults(run=run_export)

    p = commands.add_parser("keygen", help="create the issuer's signing key (kept if it exists) and its public key")
    p.add_argument("private", metavar="PRIVATE.pem", help="the private key file (created with mode 0600)")
    p.add_argument("--public", metavar="PUBLIC.pem", help="write the public key here (default: print it)")
    p.set_defaults(run=run_keygen)
    parser: argparse.ArgumentParser = group
    return parser


def run_verify(args: argparse.Namespace) -> int:
    """0 genuine, 1 not genuine (one line on stderr), 2 no key to check against."""
    paths = args.key or [p for p in os.environ.get(KEYS_VARIABLE, "").split(os.pathsep) if p]
    if not paths:
        _say(f"certificate verify: no public key given; pass --key PUBLIC.pem (the issuer's published key) or set ${KEYS_VARIABLE}")
        return 2

    def verify() -> int:
        from .signing import load_public_key
        from .verify import verify_pdf

        verdict = verify_pdf(args.pdf, [load_public_key(path) for path in paths])
        print(verdict.summary())
        return 0

    return _guarded("certificate verify", verify, prefix="NOT GENUINE: ")


def run_export(args: argparse.Namespace) -> int:
    """Write the Open Badges VC-JWT; 0 on success, 1 with a one-line reason otherwise."""

    def export() -> int:
        from .claims import CertificateError, Claims
        from .openbadge import to_openbadge
        from .signing import key_id, load_private_key
        from .verify import verify_pdf

        key = load_private_key(args.key)
        source = Path(args.claims)
        try:
            data = source.read_bytes()
        except OSError as exc:
            raise CertificateError(f"cannot read {source}: {exc.strerror or exc}") from exc
        claims = verify_pdf(data, key.public_key()).claims if data.startswith(b"%PDF-") else Claims.from_json(data)
        if claims.key_id != key_id(key):
            raise CertificateError(f"the claims name key {claims.key_id}, but {args.key} is key {key_id(key)}")
        achievement = args.achievement_id or f"{args.issuer_url.rstrip('/')}/achievements/certificate"
        jwt = to_openbadge(claims, key, issuer_url=args.issuer_url, achievement_id=achievement)
        if args.out == "-":
            print(jwt)
        else:
            Path(args.out).write_text(jwt + "\n", encoding="ascii")
            print(f"Open Badges 3.0 credential for {claims.learner} ({claims.code}) written to {args.out}")
        return 0

    return _guarded("certificate export", export)


def run_keygen(args: argparse.Namespace) -> int:
    """Create (or keep) the private key; write or print the public key and say its key id."""

    def keygen() -> int:
        from .signing import key_id, load_or_create_private_key, public_key_pem

        key = load_or_create_private_key(args.private)
        pem = public_key_pem(key)
        if args.public:
            Path(args.public).write_bytes(pem)
            print(f"Public key {args.public} (key id {key_id(key)}): publish it for verifiers.")
        else:
            sys.stdout.write(pem.decode("ascii"))
        return 0

    return _guarded("certificate keygen", keygen)


def _guarded(command: str, action: Any, prefix: str = "") -> int:
    """Run *action*; any failure becomes one line on stderr and exit code 1, never a traceback."""
    from .claims import CertificateError

    try:
        return int(action())
    except CertificateError as exc:
        _say(f"{command}: {prefix}{exc}")
    except OSError as exc:
        _say(f"{command}: {exc.strerror or exc}: {exc.filename or ''}".rstrip(": "))
    except Exception as exc:  # noqa: BLE001 - a person gets one line; the type says where to look
        _say(f"{command}: unexpected error ({type(exc).__name__}: {exc})")
    return 1


def _say(message: str) -> None:
    print(" ".join(message.split()), file=sys.stderr)
