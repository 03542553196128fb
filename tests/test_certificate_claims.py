"""Claims: canonical bytes, exact round trips, and clear errors for everything malformed."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import datetime, timedelta, timezone

import pytest

from stemtrain.certificate.claims import Claims, ClaimsError

WHEN = datetime(2025, 3, 12, 9, 30, tzinfo=timezone.utc)


def make(**changes: object) -> Claims:
    values = {
        "learner": "Zoë Ñúñez-Łukasiewicz",
        "course_title": "MSC therapy for chronic low back pain",
        "content_version": "2025.03",
        "issued_at": WHEN,
        "score": 0.875,
        "passed": True,
        "modules": ("01-disc", "02-cells"),
        "code": "0000-0000-0000-0",
        "mode": "class",
        "issuer": "Clinic",
        "key_id": "0123456789abcdef",
    }
    values.update(changes)
    return Claims(**values)


def test_canonical_bytes_are_sorted_compact_utf8_without_floats():
    data = make().canonical_bytes()
    obj = json.loads(data)
    assert list(obj) == sorted(obj)
    assert b" " not in data.replace("Zoë Ñúñez-Łukasiewicz".encode(), b"").replace(b"MSC therapy for chronic low back pain", b"")
    assert "Zoë".encode() in data  # real UTF-8, not \\u escapes
    assert obj["score_permille"] == 875 and obj["issued_at"] == "2025-03-12T09:30:00Z" and obj["v"] == 1
    assert b"." not in json.dumps(obj["score_permille"]).encode()


def test_round_trip_is_exact():
    claims = make()
    assert Claims.from_bytes(claims.canonical_bytes()) == claims
    assert Claims.from_bytes(claims.canonical_bytes()).canonical_bytes() == claims.canonical_bytes()


def test_values_are_normalised_on_creation():
    claims = make(
        learner="  Zoe\u0308 ",
        issued_at=datetime(2025, 3, 12, 10, 30, 15, 999, tzinfo=timezone(timedelta(hours=1))),
        score=0.87549,
        modules=["a", "b"],
    )
    assert claims.learner == "Zoë"  # NFC, trimmed
    assert claims.issued_at == datetime(2025, 3, 12, 9, 30, 15, tzinfo=timezone.utc)
    assert claims.score == 0.875 and claims.score_permille == 875
    assert claims.modules == ("a", "b")
    assert make(score=1).score_permille == 1000 and make(score=0).score_permille == 0


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"learner": ""}, "learner is empty"),
        ({"learner": "   "}, "learner is empty"),
        ({"learner": "A" * 513}, "at most 512"),
        ({"learner": "Eve\nMallory"}, "control"),
        ({"learner": "Eve\u202eyrollaM"}, "U\\+202E"),
        ({"learner": 42}, "must be text"),
        ({"issued_at": datetime(2025, 3, 12)}, "timezone-aware"),
        ({"score": 1.5}, "from 0 to 1"),
        ({"score": float("nan")}, "number"),
        ({"score": True}, "number"),
        ({"passed": "yes"}, "true or false"),
        ({"modules": "01-disc"}, "list"),
        ({"code": "0000-0000-0000-1"}, "not a valid verification code"),
        ({"code": "0000 0000 0000 0"}, "not a valid verification code"),
        ({"mode": "online"}, "mode must be one of class, self-study"),
        ({"key_id": "ABC"}, "key_id"),
    ],
)
def test_invalid_values_are_refused_with_a_clear_message(changes, message):
    with pytest.raises(ClaimsError, match=message):
        make(**changes)


def _edit(claims: Claims, **changes: object) -> bytes:
    obj = json.loads(claims.canonical_bytes())
    obj.update(changes)
    return json.dumps(obj, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"\xff\xfe", "not UTF-8"),
        (b"{not json", "not valid JSON"),
        (b"[]", "JSON object"),
        (_edit(make(), v=2), "version 2 is not supported"),
        (_edit(make(), extra=1), "unknown field"),
        (_edit(make(), score_permille=875.0), "whole number"),
        (_edit(make(), score_permille=1001), "whole number"),
        (_edit(make(), issued_at="2025-03-12 09:30"), "issued_at must look like"),
        (_edit(make(), issued_at="2025-02-30T09:30:00Z"), "not a real date"),
        (_edit(make(), modules="01"), "modules must be a list"),
        (b'{"v":1,"v":1}', "repeat the field 'v'"),
    ],
)
def test_parsing_refuses_malformed_claims(data, message):
    with pytest.raises(ClaimsError, match=message):
        Claims.from_bytes(data)


def test_missing_fields_are_listed():
    obj = json.loads(make().canonical_bytes())
    del obj["learner"], obj["score_permille"]
    with pytest.raises(ClaimsError, match="lack the field\\(s\\) learner, score_permille"):
        Claims.from_dict(obj)


def test_from_bytes_wants_canonical_form_but_from_json_accepts_any_spelling():
    pretty = json.dumps(json.loads(make().canonical_bytes()), indent=2)
    with pytest.raises(ClaimsError, match="canonical"):
        Claims.from_bytes(pretty.encode())
    assert Claims.from_json(pretty) == make()


def test_seal_bytes_differ_by_field_and_code_and_are_not_claims():
    claims = make()
    assert claims.seal_bytes("learner", claims.code) != claims.seal_bytes("learner", "1111-1111-1111-1")
    assert claims.seal_bytes("learner", claims.code) != replace(claims, learner="Eve").seal_bytes("learner", claims.code)
    with pytest.raises(ClaimsError):
        Claims.from_bytes(claims.seal_bytes("learner", claims.code))
