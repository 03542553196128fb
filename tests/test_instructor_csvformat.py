"""The answers file format: columns, case parts, errors that name line and column, round trips through stores."""

from __future__ import annotations

import datetime as dt
import io
import json
from pathlib import Path

import pytest

from stemtrain.cli import main
from stemtrain.records import Attempt, SQLiteStore
from stemtrain.records.csvformat import COLUMNS, AnswerFileError, read_csv, read_json, write_csv, write_json

HEADER = ",".join(COLUMNS)
AT = dt.datetime(2026, 3, 2, 9, 15, tzinfo=dt.timezone(dt.timedelta(hours=1)))


def _attempts() -> list[Attempt]:
    return [
        Attempt(learner="Ana", module="00-start-here", question_id="q1", response="b", correct=False, score=0.0, attempt=1, answered_at=AT),
        Attempt(learner="Ana", module="00-start-here", question_id="q1", response="a", correct=True, score=1.0, attempt=2, answered_at=AT),
        Attempt(
            learner='مريم, "Mo"\nline',
            module="06-evidence-regulation-and-patients",
            question_id="talk-own-fat-facts",
            parent_id="talk-own-fat",
            response=["a", "c"],
            correct=False,
            score=0.5,
            attempt=1,
            answered_at=AT,
        ),
        Attempt(
            learner="Ben", module="m", question_id="tf", response=False, correct=True, score=2.0, max_score=2.0, attempt=1, answered_at=AT
        ),
    ]


def test_header_is_exactly_the_documented_columns():
    buf = io.StringIO()
    write_csv(_attempts(), buf)
    assert buf.getvalue().splitlines()[0] == "learner,module,question_id,part_id,attempt,score,max_score,response,answered_at"


def test_case_parts_are_written_under_their_case_and_read_back_as_parts():
    buf = io.StringIO()
    write_csv(_attempts(), buf)
    row = next(line for line in buf.getvalue().split("\n") if "talk-own-fat" in line)
    assert ",talk-own-fat,talk-own-fat-facts,1,0.5,1," in row
    back = read_csv(io.StringIO(buf.getvalue()), name="answers.csv")
    part = next(a for a in back if a.parent_id)
    assert (part.question_id, part.parent_id, part.response) == ("talk-own-fat-facts", "talk-own-fat", ["a", "c"])


@pytest.mark.parametrize("writer,reader", [(write_csv, read_csv), (write_json, read_json)], ids=["csv", "json"])
def test_round_trip_keeps_every_field_of_the_format(writer, reader):
    buf = io.StringIO()
    writer(_attempts(), buf)
    back = reader(io.StringIO(buf.getvalue()), name="answers")
    fields = ("learner", "module", "question_id", "parent_id", "attempt", "score", "max_score", "response", "answered_at", "correct")
    assert [tuple(getattr(a, f) for f in fields) for a in back] == [tuple(getattr(a, f) for f in fields) for a in _attempts()]
    assert all(a.mode == "import" for a in back)
    assert back[0].answered_at.utcoffset() == dt.timedelta(hours=1)


def test_json_carries_event_ids_and_csv_gets_stable_ones():
    buf, attempts = io.StringIO(), _attempts()
    write_json(attempts, buf)
    assert [a.event_id for a in read_json(io.StringIO(buf.getvalue()))] == [a.event_id for a in attempts]
    text = io.StringIO()
    write_csv(_attempts(), text)
    first, second = (read_csv(io.StringIO(text.getvalue())) for _ in range(2))
    assert [a.event_id for a in first] == [a.event_id for a in second]
    assert len({a.event_id for a in first}) == len(first)


def _problems(text: str) -> list[str]:
    with pytest.raises(AnswerFileError) as caught:
        read_csv(io.StringIO(text), name="answers.csv")
    return caught.value.problems


def test_errors_name_the_line_and_the_column():
    ok = 'Ana,m,q1,,1,1,1,"""a""",2026-03-02T09:15:00+00:00'
    lines = [HEADER] + [ok] * 15 + ['Ana,m,q1,,1,abc,1,"""a""",2026-03-02T09:15:00+00:00']
    assert _problems("\n".join(lines) + "\n") == ['answers.csv:17: score: "abc" is not a number']


def test_every_kind_of_bad_cell_is_reported_together():
    rows = [
        HEADER,
        ',m,q1,,1,1,1,"""a""",2026-03-02T09:15:00Z',
        "Ana,m,q1,,x,1,1,1,2026-03-02T09:15:00Z",
        "Ana,m,q1,,1,2,1,1,2026-03-02T09:15:00Z",
        "Ana,m,q1,,1,1,1,a,2026-03-02T09:15:00Z",
        "Ana,m,q1,,1,1,1,1,2026-03-02 09:15",
        "Ana,m,q1,,1,1,1,1,yesterday",
        "Ana,m,q1,,1,1,nan,1,2026-03-02T09:15:00Z",
        "Ana,m,q1,1,1,1",
    ]
    assert _problems("\n".join(rows)) == [
        "answers.csv:2: learner: must not be empty",
        'answers.csv:3: attempt: "x" is not a whole number',
        "answers.csv:4: score: 2 is outside 0 to max_score (1)",
        'answers.csv:5: response: "a" is not JSON (text needs double quotes: "a"; several options: ["a", "c"])',
        'answers.csv:6: answered_at: "2026-03-02 09:15" has no time zone (add +00:00, Z or the local offset)',
        'answers.csv:7: answered_at: "yesterday" is not an ISO 8601 date and time (e.g. 2026-03-02T09:15:00+00:00)',
        'answers.csv:8: max_score: "nan" is not a finite number',
        "answers.csv:9: 6 cells where the header has 9",
    ]


def test_line_numbers_count_quoted_line_breaks():
    text = HEADER + '\n"Two\nlines",m,q1,,1,1,1,1,2026-03-02T09:15:00Z\nAna,m,q1,,1,1,1,1,never\n'
    assert _problems(text) == ['answers.csv:4: answered_at: "never" is not an ISO 8601 date and time (e.g. 2026-03-02T09:15:00+00:00)']


def test_wrong_columns_are_named():
    assert _problems("learner,module,question,score\n") == [
        "answers.csv:1: the columns must be exactly learner,module,question_id,part_id,attempt,score,max_score,response,answered_at "
        "(missing question_id, part_id, attempt, max_score, response, answered_at; unknown 'question')"
    ]
    assert _problems("")[0].startswith("answers.csv:1: the file is empty")


def test_json_errors_name_the_entry(tmp_path: Path):
    path = tmp_path / "answers.json"
    path.write_text(json.dumps([{"learner": "Ana", "module": "m", "question_id": "q", "attempt": 1, "score": "x", "max_score": 1,
                                 "response": "a", "answered_at": "2026-03-02T09:15:00Z"}, {"learner": "Ana"}]))  # fmt: skip
    with pytest.raises(AnswerFileError) as caught:
        read_json(path)
    assert caught.value.problems == [
        f'{path}: entry 1: score: "x" is not a number',
        f"{path}: entry 2: missing module, question_id, attempt, score, max_score, response, answered_at",
    ]


# --- stemtrain progress export / import ------------------------------------------------------------
def _store(path: Path) -> SQLiteStore:
    store = SQLiteStore(path)
    for a in _attempts():
        store.add(a)
    return store


@pytest.mark.parametrize("ext", ["csv", "json"])
def test_export_import_round_trip_loses_nothing_and_import_twice_does_not_double(tmp_path: Path, ext: str, capsys):
    _store(tmp_path / "a.sqlite3").close()
    out, again = tmp_path / f"answers.{ext}", tmp_path / f"again.{ext}"
    assert main(["progress", "export", "--db", f"sqlite:///{tmp_path / 'a.sqlite3'}", "--out", str(out)]) == 0
    target = f"sqlite:///{tmp_path / 'b.sqlite3'}"
    assert main(["progress", "import", str(out), "--db", target]) == 0
    assert main(["progress", "import", str(out), "--db", target]) == 0
    assert "0 added, 4 already there" in capsys.readouterr().out
    assert len(SQLiteStore(tmp_path / "b.sqlite3").attempts()) == 4
    assert main(["progress", "export", "--db", target, "--out", str(again)]) == 0
    assert again.read_text(encoding="utf-8-sig") == out.read_text(encoding="utf-8-sig")


def test_export_xapi_calls_the_xapi_writer(tmp_path: Path, monkeypatch):
    seen = {}

    def fake(attempts, out, banks):
        seen.update(n=len(list(attempts)), out=out, banks=banks)
        return 7

    monkeypatch.setattr("stemtrain.interop.xapi.write_xapi", fake)
    _store(tmp_path / "a.sqlite3").close()
    out = tmp_path / "statements.json"
    assert main(["progress", "export", "--db", f"sqlite:///{tmp_path / 'a.sqlite3'}", "--out", str(out), "--format", "xapi"]) == 0
    assert seen["n"] == 4 and seen["out"] == str(out) and "00-start-here" in seen["banks"]


def test_import_of_a_bad_file_is_one_message_naming_the_line(tmp_path: Path, capsys):
    bad = tmp_path / "answers.csv"
    bad.write_text(HEADER + "\nAna,m,q1,,1,abc,1,1,2026-03-02T09:15:00Z\n")
    assert main(["progress", "import", str(bad), "--db", f"sqlite:///{tmp_path / 'b.sqlite3'}"]) == 1
    assert capsys.readouterr().err.strip() == f'stemtrain progress: {bad}:2: score: "abc" is not a number'


def test_the_readme_documents_exactly_these_columns_and_its_example_reads():
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    assert f"```text\n{HEADER}\n```" in readme
    example = readme.split("Example: `", 1)[1].split("`\n", 1)[0]
    (part,) = read_csv(io.StringIO(HEADER + "\n" + example + "\n"), name="README")
    assert (part.question_id, part.parent_id, part.response, part.score) == ("talk-own-fat-facts", "talk-own-fat", ["a", "c"], 0.5)
    for column in COLUMNS:
        assert f"`{column}`" in readme
