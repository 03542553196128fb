"""``stemtrain report`` from every kind of source, the same numbers whichever way the class arrives, names
replaced by pseudonyms on request, and errors as one line naming where the problem is."""

from __future__ import annotations

import csv
import json
import urllib.request
from pathlib import Path

import pytest

from stemtrain.analytics.synthetic import synthetic_class
from stemtrain.cli import main
from stemtrain.records import SQLiteStore
from stemtrain.records.csvformat import write_csv

FILES = ("report.html", "learners.csv", "items.csv", "distractors.csv", "modules.csv")


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))


@pytest.fixture(scope="module")
def synthetic_report(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("synthetic") / "report"
    assert main(["report", "--synthetic", "7", "--learners", "12", "--out", str(out)]) == 0
    return out


def test_report_writes_the_page_and_four_csv_files(synthetic_report: Path):
    assert sorted(p.name for p in synthetic_report.iterdir()) == sorted(FILES)
    page = (synthetic_report / "report.html").read_text(encoding="utf-8")
    for heading in ("Class results", "Test statistics", "Items", "Options picked"):
        assert f"<h2>{heading}</h2>" in page
    assert "Only 12 learners have answered" in page  # the minimum-sample warning


def test_the_same_seed_gives_the_same_report_byte_for_byte(synthetic_report: Path, tmp_path: Path):
    assert main(["report", "--synthetic", "7", "--learners", "12", "--out", str(tmp_path)]) == 0
    for name in FILES:
        assert (tmp_path / name).read_bytes() == (synthetic_report / name).read_bytes(), name


def test_case_parts_are_analysed_as_parts_under_their_case(synthetic_report: Path):
    items = {r["question_id"]: r for r in _rows(synthetic_report / "items.csv")}
    assert items["talk-own-fat-facts"]["case_id"] == "talk-own-fat" and "talk-own-fat" not in items
    options = [r for r in _rows(synthetic_report / "distractors.csv") if r["question_id"] == "talk-own-fat-facts"]
    assert len(options) >= 3 and all(r["case_id"] == "talk-own-fat" for r in options)  # every option, picked or not


def test_csv_files_and_a_database_give_the_same_report_as_the_records(synthetic_report: Path, tmp_path: Path):
    attempts = synthetic_class(7, 12)
    half = len(attempts) // 2
    write_csv(attempts[:half], tmp_path / "a.csv")
    write_csv(attempts[half:], tmp_path / "b.csv")
    assert main(["report", str(tmp_path / "a.csv"), str(tmp_path / "b.csv"), "--out", str(tmp_path / "from-files")]) == 0
    store = SQLiteStore(tmp_path / "class.sqlite3")
    for a in attempts:
        store.add(a)
    store.close()
    assert main(["report", "--db", f"sqlite:///{tmp_path / 'class.sqlite3'}", "--out", str(tmp_path / "from-db")]) == 0
    for name in ("learners.csv", "items.csv", "distractors.csv", "modules.csv"):
        want = (synthetic_report / name).read_bytes()
        assert (tmp_path / "from-files" / name).read_bytes() == want, name
        assert (tmp_path / "from-db" / name).read_bytes() == want, name


def test_pseudonymised_report_shows_no_name_anywhere(tmp_path: Path):
    names = {a.learner for a in synthetic_class(7, 12)}
    assert main(["report", "--synthetic", "7", "--learners", "12", "--pseudonymise", "--out", str(tmp_path)]) == 0
    for name in FILES:
        text = (tmp_path / name).read_text(encoding="utf-8-sig")
        assert not [n for n in names if n in text], name
    assert {r["learner"] for r in _rows(tmp_path / "learners.csv")} == {f"Learner {i:02d}" for i in range(1, 13)}


def test_a_bad_answers_file_is_one_message_with_its_line_and_column(tmp_path: Path, capsys):
    bad = tmp_path / "answers.csv"
    bad.write_text(
        "learner,module,question_id,part_id,attempt,score,max_score,response,answered_at\nAna,m,q,,1,abc,1,1,2026-03-02T09:00:00Z\n"
    )
    assert main(["report", str(bad), "--out", str(tmp_path / "r")]) == 1
    assert capsys.readouterr().err.strip() == f'stemtrain report: {bad}:2: score: "abc" is not a number'
    assert not (tmp_path / "r").exists()


def test_one_source_at_a_time(tmp_path: Path, capsys):
    assert main(["report", "--out", str(tmp_path)]) == 1
    assert "say where the class is" in capsys.readouterr().err
    assert main(["report", "--db", "sqlite:///x.sqlite3", str(tmp_path / "a.csv"), "--out", str(tmp_path)]) == 1
    assert "one kind of source at a time" in capsys.readouterr().err


# --- from the class service ------------------------------------------------------------------------
def _post(url: str, body: dict, token: str | None = None) -> dict:
    req = urllib.request.Request(url, data=json.dumps(body).encode(), method="POST", headers={"Content-Type": "application/json"})
    if token:
        req.add_header("Authorization", f"Bearer {token}")
    with urllib.request.urlopen(req, timeout=30) as reply:
        return json.loads(reply.read())


def test_report_reads_the_class_from_the_service_with_the_instructor_token(service_factory, tmp_path: Path, capsys, monkeypatch):
    service = service_factory()
    attempts = [a for a in synthetic_class(3, 4) if a.module == "00-start-here"]
    tokens = {name: _post(service.url + "api/room/join", {"code": service.state["join_code"], "name": name})["token"]
              for name in sorted({a.learner for a in attempts})}  # fmt: skip
    for a in attempts:
        body = {k: getattr(a, k) for k in ("learner", "module", "question_id", "response", "correct", "score", "max_score", "parent_id")}
        _post(
            service.url + "api/records/attempts",
            {**body, "answered_at": a.answered_at.isoformat(), "event_id": a.event_id},
            tokens[a.learner],
        )
    teacher = service.state["instructor_token"]
    for how, extra in (("flag", ["--token", teacher]), ("state file", ["--data-dir", str(service.data_dir)])):
        out = tmp_path / how
        assert main(["report", "--service", service.url, *extra, "--out", str(out)]) == 0, capsys.readouterr().err
        assert {r["learner"] for r in _rows(out / "learners.csv")} == set(tokens)
    monkeypatch.setenv("STEMTRAIN_INSTRUCTOR_TOKEN", teacher)
    assert main(["report", "--service", service.url, "--out", str(tmp_path / "env")]) == 0
    capsys.readouterr()
    monkeypatch.setenv("STEMTRAIN_INSTRUCTOR_TOKEN", next(iter(tokens.values())))
    assert main(["report", "--service", service.url, "--out", str(tmp_path / "learner")]) == 1
    err = capsys.readouterr().err
    assert "refused to show the class (403" in err and "instructor's token" in err
    assert next(iter(tokens.values())) not in err and teacher not in err
