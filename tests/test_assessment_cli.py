"""``stemtrain class attempts`` and ``stemtrain class revoke`` as an instructor runs them: real processes against a real
class service (SQLite and PostgreSQL), the token found in the service's instructor.json or given."""

from __future__ import annotations

import csv
import random
import re
import subprocess
import sys
from pathlib import Path

import pytest
from classroom_support import ROOT, child_env
from test_assessment_service import Room, call, pool_copy

from stemtrain.assessment.pool import load_pool
from stemtrain.certificate.code import new_code


def stemtrain(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    environment = child_env()
    for name in ("STEMTRAIN_CLASS_URL", "STEMTRAIN_INSTRUCTOR_TOKEN", "STEMTRAIN_CLASS_DATA"):
        environment.pop(name, None)  # only what the test gives
    environment.update(env or {})
    return subprocess.run(
        [sys.executable, "-m", "stemtrain", *args], cwd=ROOT, env=environment, capture_output=True, text=True, timeout=120
    )


@pytest.fixture
def room(service_factory, database_url: str, tmp_path: Path) -> Room:
    pool = pool_copy(tmp_path)
    service = service_factory(database_url if database_url.startswith("postgresql") else "", env={"STEMTRAIN_ASSESSMENT_POOL": str(pool)})
    return Room(service, load_pool(pool))


def test_attempts_lists_the_class_and_writes_a_csv(room: Room, tmp_path: Path):
    ana, ben, cat = room.join("ana"), room.join("=ben"), room.join("Cátia Ñ")
    passed = room.sit(ana, good=12)
    room.sit(ben, good=3)
    room.sit(ben, good=11)
    assert room.api("POST", "api/assessment/attempts", cat, {})[0] == 201  # under way
    code = passed["result"]["certificate_code"]
    where = ("--service", room.url, "--data-dir", str(room.service.data_dir))

    listed = stemtrain("class", "attempts", *where)
    assert listed.returncode == 0, listed.stderr
    lines = listed.stdout.splitlines()
    head, *rows = [re.split(r"\s{2,}", line.strip()) for line in lines[:-1]]  # columns are two spaces or more apart
    assert head == ["Learner", "#", "Started", "Submitted", "Score", "Passed", "Certificate"]
    assert [(r[0], r[1]) for r in rows] == [("ana", "1"), ("=ben", "1"), ("=ben", "2"), ("Cátia Ñ", "1")]
    assert rows[0][4:] == ["100.0 %", "yes", code] and re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", rows[0][2])
    assert rows[1][4:] == ["25.0 %", "no", "-"] and rows[2][4:6] == ["91.7 %", "yes"] and rows[2][6] not in ("-", code)
    assert rows[3][3:] == ["under way", "-", "-", "-"]
    assert lines[-1] == "4 attempt(s)"

    out = tmp_path / "attempts.csv"
    only = stemtrain("class", "attempts", "--learner", "=ben", "--csv", str(out), *where)
    assert only.returncode == 0, only.stderr
    assert only.stdout.splitlines()[-1] == f"2 attempt(s) by =ben; written to {out}"
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # a byte-order mark, so a spreadsheet reads the accents
    table = list(csv.DictReader(raw.decode("utf-8-sig").splitlines()))
    assert list(table[0]) == ["learner", "number", "started", "submitted", "score", "passed", "auto_submitted", "certificate_code"]
    assert [(r["learner"], r["number"], r["score"], r["passed"]) for r in table] == [
        ("'=ben", "1", "0.25", "false"),
        ("'=ben", "2", "0.916667", "true"),
    ]
    assert all(r["started"].endswith("Z") and r["submitted"].endswith("Z") for r in table)  # no formula runs in a spreadsheet: '=ben
    assert table[1]["certificate_code"] == rows[2][6] and table[0]["certificate_code"] == ""

    everyone = tmp_path / "all.csv"
    token = room.instructor
    given = stemtrain("class", "attempts", "--csv", str(everyone), "--token", token, env={"STEMTRAIN_CLASS_URL": room.url})
    assert given.returncode == 0, given.stderr
    under_way = next(r for r in csv.DictReader(everyone.read_text(encoding="utf-8-sig").splitlines()) if r["learner"] == "Cátia Ñ")
    assert (under_way["submitted"], under_way["score"], under_way["passed"], under_way["certificate_code"]) == ("", "", "", "")


def test_revoke_needs_a_reason_and_shows_on_the_check(room: Room):
    ana = room.join("ana")
    code = room.sit(ana, good=12)["result"]["certificate_code"]
    where = ("--service", room.url, "--data-dir", str(room.service.data_dir))

    assert stemtrain("class", "revoke", code, *where).returncode == 2  # argparse: --reason is required
    blank = stemtrain("class", "revoke", code, "--reason", "   ", *where)
    assert blank.returncode == 1 and "--reason" in blank.stderr and "Traceback" not in blank.stderr
    assert room.api("GET", f"api/certificates/{code}", None)[1]["revoked"] is False

    done = stemtrain("class", "revoke", code.lower(), "--reason", "Sat the assessment for someone else", *where)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith(f"Certificate {code} (ana) is revoked since ") and done.stdout.rstrip().endswith("someone else")
    status, check = room.api("GET", f"api/certificates/{code}", None)
    assert status == 200 and check["revoked"] is True and check["reason"] == "Sat the assessment for someone else"
    status, page, _ = call("GET", room.url + f"verify?code={code}")
    assert b"Revoked" in page and b"Sat the assessment for someone else" in page
    listed = stemtrain("class", "attempts", *where)
    assert code in listed.stdout  # the attempt still names the certificate it was given

    unknown = stemtrain("class", "revoke", new_code(random.Random(7)), "--reason", "x", *where)
    assert unknown.returncode == 1 and unknown.stderr.count("\n") == 1 and "Traceback" not in unknown.stderr
    assert "(404: code: no certificate has the code" in unknown.stderr
    mistyped = stemtrain("class", "revoke", code[:-1] + ("0" if code[-1] != "0" else "1"), "--reason", "x", *where)
    assert mistyped.returncode == 1 and "(422: code: the check character does not match" in mistyped.stderr
    wrong_token = stemtrain("class", "revoke", code, "--reason", "x", "--service", room.url, "--token", "not-the-token")
    assert wrong_token.returncode == 1 and "401" in wrong_token.stderr and "not-the-token" not in wrong_token.stderr
    learner_token = stemtrain("class", "attempts", "--service", room.url, "--token", ana)
    assert learner_token.returncode == 0 and learner_token.stdout.splitlines()[-1] == "1 attempt(s)"  # a learner's token: their own only
    nowhere = stemtrain("class", "attempts", "--data-dir", str(room.service.data_dir))
    assert nowhere.returncode == 1 and "no class service address" in nowhere.stderr
