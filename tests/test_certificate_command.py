"""``stemtrain certificate ...`` through `register` and argparse: exit codes, one-line messages, no tracebacks."""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
from datetime import datetime, timezone
from pathlib import Path

import pytest

from stemtrain.certificate.claims import Claims
from stemtrain.certificate.code import new_code
from stemtrain.certificate.command import KEYS_VARIABLE, register
from stemtrain.certificate.openbadge import verify_openbadge
from stemtrain.certificate.pdf import issue_certificate
from stemtrain.certificate.signing import key_id, load_private_key, load_public_key

ROOT = Path(__file__).resolve().parents[1]


def run(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="stemtrain")
    register(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(argv)
    return args.run(args)


@pytest.fixture(scope="module")
def issuer(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("issuer")
    private, public = folder / "issuer.pem", folder / "issuer.pub.pem"
    assert run(["certificate", "keygen", str(private), "--public", str(public)]) == 0
    key = load_private_key(private)
    claims = Claims(
        learner="Zoë Ñúñez-Łukasiewicz",
        course_title="MSC therapy for chronic low back pain",
        content_version="2025.03",
        issued_at=datetime(2025, 3, 12, 9, 30, tzinfo=timezone.utc),
        score=0.875,
        passed=True,
        modules=("01-discs",),
        code=new_code(random.Random(9)),
        mode="self-study",
        issuer="Example Spine Clinic",
        key_id=key_id(key),
    )
    pdf = folder / "certificate.pdf"
    pdf.write_bytes(issue_certificate(claims, key))
    claims_file = folder / "claims.json"
    claims_file.write_text(json.dumps(json.loads(claims.canonical_bytes()), indent=2), encoding="utf-8")
    return {"private": private, "public": public, "pdf": pdf, "claims": claims_file, "folder": folder}


def test_keygen_writes_a_private_key_0600_and_keeps_it(issuer, capsys):
    assert oct(issuer["private"].stat().st_mode & 0o777) == "0o600"
    before = issuer["private"].read_bytes()
    assert run(["certificate", "keygen", str(issuer["private"])]) == 0
    assert issuer["private"].read_bytes() == before
    assert capsys.readouterr().out == issuer["public"].read_text()


def test_verify_a_genuine_certificate_prints_who_when_score_and_mode(issuer, capsys):
    assert run(["certificate", "verify", str(issuer["pdf"]), "--key", str(issuer["public"])]) == 0
    out = capsys.readouterr().out
    for expected in (
        "Genuine certificate",
        "Zoë Ñúñez-Łukasiewicz",
        "12 March 2025, 09:30 UTC",
        "87.5 %",
        "self-study, not proctored",
    ):
        assert expected in out


def test_verify_takes_keys_from_the_environment(issuer, capsys, monkeypatch):
    monkeypatch.setenv(KEYS_VARIABLE, os.pathsep.join([str(issuer["public"])]))
    assert run(["certificate", "verify", str(issuer["pdf"])]) == 0
    monkeypatch.delenv(KEYS_VARIABLE)
    assert run(["certificate", "verify", str(issuer["pdf"])]) == 2
    assert "no public key given" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda f: f.write_bytes(os.urandom(2000)), "NOT GENUINE: not a PDF file"),
        (lambda f: f.write_bytes(b"%PDF-1.4\n%%EOF\n"), "NOT GENUINE: the PDF cannot be read"),
        (lambda f: None, "NOT GENUINE: cannot read"),
    ],
)
def test_verify_anything_else_exits_one_with_one_line(issuer, capsys, tmp_path, make, message):
    target = tmp_path / "suspect.pdf"
    make(target)
    assert run(["certificate", "verify", str(target), "--key", str(issuer["public"])]) == 1
    err = capsys.readouterr().err
    assert err.startswith("certificate verify: " + message) and err.count("\n") == 1 and "Traceback" not in err


def test_verify_with_another_key_or_a_broken_key_file_exits_one(issuer, capsys, tmp_path):
    other = tmp_path / "other.pem"
    assert run(["certificate", "keygen", str(tmp_path / "other-private.pem"), "--public", str(other)]) == 0
    capsys.readouterr()
    assert run(["certificate", "verify", str(issuer["pdf"]), "--key", str(other)]) == 1
    assert "NOT GENUINE: signed by another key" in capsys.readouterr().err
    (tmp_path / "junk.pem").write_text("not a key")
    assert run(["certificate", "verify", str(issuer["pdf"]), "--key", str(tmp_path / "junk.pem")]) == 1
    assert "not a PEM 'PUBLIC KEY' block" in capsys.readouterr().err


@pytest.mark.parametrize("source", ["pdf", "claims"])
def test_export_writes_an_open_badge_that_verifies(issuer, capsys, tmp_path, source):
    out = tmp_path / "badge.jwt"
    argv = [
        "certificate",
        "export",
        "--openbadge",
        "--claims",
        str(issuer[source]),
        "--key",
        str(issuer["private"]),
        "--issuer-url",
        "https://clinic.example.org",
        "--out",
        str(out),
    ]
    assert run(argv) == 0
    assert "written to" in capsys.readouterr().out
    vc = verify_openbadge(out.read_text().strip(), load_public_key(issuer["public"]))
    assert vc["credentialSubject"]["achievement"]["id"] == "https://clinic.example.org/achievements/certificate"


def test_export_refuses_claims_of_another_key_and_bad_files(issuer, capsys, tmp_path):
    other = tmp_path / "other.pem"
    run(["certificate", "keygen", str(other), "--public", str(tmp_path / "other.pub")])
    capsys.readouterr()
    base = ["certificate", "export", "--openbadge", "--issuer-url", "https://x.example", "--out", str(tmp_path / "b")]
    assert run([*base, "--claims", str(issuer["claims"]), "--key", str(other)]) == 1
    assert "the claims name key" in capsys.readouterr().err
    assert run([*base, "--claims", str(issuer["pdf"]), "--key", str(other)]) == 1
    assert "signed by another key" in capsys.readouterr().err
    (tmp_path / "bad.json").write_text("{}")
    assert run([*base, "--claims", str(tmp_path / "bad.json"), "--key", str(issuer["private"])]) == 1
    assert "format version None" in capsys.readouterr().err


def test_usage_errors_exit_two():
    with pytest.raises(SystemExit) as exit_info:
        run(["certificate", "export", "--claims", "x"])
    assert exit_info.value.code == 2


def test_as_a_process_a_forgery_gives_one_line_and_no_traceback(issuer, tmp_path):
    forged = tmp_path / "forged.pdf"
    forged.write_bytes(issuer["pdf"].read_bytes().replace(b"/EmbeddedFiles", b"/EmbeddedFilez"))  # attachment unlinked
    code = (
        "import argparse, sys; from stemtrain.certificate.command import register;"
        "p = argparse.ArgumentParser(); register(p.add_subparsers(required=True));"
        "a = p.parse_args(sys.argv[1:]); sys.exit(a.run(a))"
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run(
        [sys.executable, "-c", code, "certificate", "verify", str(forged), "--key", str(issuer["public"])],
        capture_output=True,
        check=False,
        text=True,
        env=env,
        timeout=120,
    )
    assert done.returncode == 1, done.stderr
    assert done.stderr.count("\n") == 1 and "Traceback" not in done.stderr
    assert "NOT GENUINE: this PDF is not a stemtrain certificate" in done.stderr


def test_the_command_module_and_the_verifier_stay_light():
    code = (
        "import sys, stemtrain.certificate.command as c, stemtrain.certificate;"
        "heavy = [m for m in ('matplotlib', 'pypdf', 'cryptography', 'segno') if m in sys.modules];"
        "import stemtrain.certificate.verify;"
        "heavy += [m for m in ('matplotlib', 'segno') if m in sys.modules];"
        "print(heavy); sys.exit(1 if heavy else 0)"
    )
    done = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        check=False,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    assert done.returncode == 0, done.stdout + done.stderr
