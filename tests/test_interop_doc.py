"""docs/interop.md against the code: the formats the command offers, every ``stemtrain`` command in it, the sample
question of each type, the table of limitations, and the xAPI settings and snippet (run against a stub LRS)."""

from __future__ import annotations

import argparse
import base64
import http.server
import json
import re
import shlex
import threading
from pathlib import Path
from typing import ClassVar

import pytest
from interop_support import TYPES, all_types, fake_images

from stemtrain.classroom import xapirelay
from stemtrain.cli import parser
from stemtrain.interop import canvas, gift, lrs, moodle_xml, qtipackage, xapi
from stemtrain.interop.formats import EXPORTERS

ROOT = Path(__file__).resolve().parents[1]
DOC = (ROOT / "docs" / "interop.md").read_text(encoding="utf-8")
SOURCES = {"gift": gift, "moodle-xml": moodle_xml, "canvas-qti": canvas, "qti21": qtipackage, "qti3": qtipackage}


def _cli_formats() -> list[str]:
    sub = next(a for a in parser()._actions if isinstance(a, argparse._SubParsersAction))
    export = sub.choices["export"]
    return list(next(a for a in export._actions if a.dest == "format").choices)


def _section(title: str) -> str:
    start = DOC.index(f"\n## {title}")
    end = DOC.find("\n## ", start + 1)
    return DOC[start : end if end > 0 else len(DOC)]


def _shell_commands() -> list[list[str]]:
    """Every command line of the doc's ``sh`` blocks, split as a shell would, leading NAME=value assignments dropped."""
    out = []
    for block in re.findall(r"```sh\n(.*?)```", DOC, re.S):
        for line in block.splitlines():
            if not line.strip() or line.lstrip().startswith("#"):
                continue
            words = shlex.split(line)
            while words and re.fullmatch(r"[A-Z_][A-Z0-9_]*=.*", words[0]):
                words.pop(0)
            out.append(words)
    return out


def _stemtrain_commands() -> list[list[str]]:
    commands = [words[1:] for words in _shell_commands() if words[0] == "stemtrain"]
    commands += [shlex.split(span)[1:] for span in re.findall(r"`(stemtrain [^`]*--[^`]*)`", DOC)]
    return commands


def test_every_format_the_cli_offers_is_named_and_has_its_export_command():
    formats = _cli_formats()
    assert set(formats) == set(EXPORTERS)
    exported = {parser().parse_args(argv).format for argv in _stemtrain_commands() if argv[0] == "export"}
    for fmt in formats:
        assert f"`{fmt}`" in DOC, fmt
        assert fmt in exported, f"no `stemtrain export --format {fmt}` command in the doc"


def test_every_shell_command_is_one_the_cli_accepts():
    commands = _shell_commands()
    assert len(commands) >= len(EXPORTERS)
    for words in commands:
        assert words[0] in ("stemtrain", "export", "python"), f"unexpected command in docs/interop.md: {shlex.join(words)}"
        if words[0] == "export":
            assert len(words) == 2 and re.fullmatch(r"STEMTRAIN_[A-Z_]+=.+", words[1]), words
        if words[0] == "python":
            assert words[1:4] == ["-m", "pytest", "-p"] and all((ROOT / w).exists() for w in words if w.startswith("tests/")), words
    for argv in _stemtrain_commands():
        try:
            args = parser().parse_args(argv)
        except SystemExit:
            pytest.fail(f"docs/interop.md: `stemtrain {shlex.join(argv)}` is not accepted by the command line")
        for path in getattr(args, "bank", None) or []:
            assert (ROOT / path).is_file(), f"docs/interop.md names a bank that does not exist: {path}"


def test_the_sample_question_of_each_type_exists_with_that_type():
    from stemtrain.content.loader import load_course

    content = load_course()
    rows = re.findall(r"^\| `([a-z_]+)` \| `([a-z0-9-]+)` \| `([a-z0-9-]+)` \|$", _section("5."), re.M)
    assert {t for t, _, _ in rows} == set(TYPES)
    for qtype, qid, module in rows:
        question = next((q for q in content.banks[module].questions if q.id == qid), None)
        assert question is not None and question.type == qtype, (qtype, qid, module)


def _norm(what: str) -> str:
    return re.sub(r"its \d+ parts \([^)]*\)", "its N parts (…)", what)


def _doc_limits() -> set[tuple[str, str, str]]:
    rows = re.findall(r"^\| `([a-z0-9-]+)` \| `([a-z_]+)` \| (.+?) \|$", _section("6."), re.M)
    return {(fmt, qtype, what) for fmt, qtype, what in rows}


def _produced() -> set[tuple[str, str, str]]:
    bank, refs = all_types()
    types = {q.id: q.type for q in bank.by_id.values()}
    found = set()
    for name, fmt in EXPORTERS.items():
        for images in (fake_images([bank]), None):
            _, limits = fmt.run([bank], refs, images)
            found |= {(name, types[lim.question_id], _norm(lim.what)) for lim in limits}
    _, limits = gift.export([bank], refs, ordering_plugin=False)
    found |= {("gift", types[lim.question_id], _norm(lim.what)) for lim in limits}
    return found


def test_the_limits_table_lists_every_limitation_the_exporters_report():
    documented = _doc_limits()
    assert {fmt for fmt, _, _ in documented} == set(_cli_formats())
    missing = _produced() - documented
    assert not missing, f"limitations missing from docs/interop.md section 6: {sorted(missing)}"
    for fmt, qtype, what in documented - _produced():  # rows no test bank triggers: still the exporter's own words
        assert qtype in TYPES and what in Path(SOURCES[fmt].__file__).read_text(encoding="utf-8"), (fmt, qtype, what)


def test_xapi_settings_are_the_ones_the_code_reads():
    section = _section("8.")
    for name in re.findall(r'os\.environ\.get\("(STEMTRAIN_\w+)"', Path(lrs.__file__).read_text(encoding="utf-8")):
        assert f"`{name}`" in section, name
    relay = Path(xapirelay.__file__).read_text(encoding="utf-8")
    for name in set(re.findall(r'env\.get\("(STEMTRAIN_\w+)"', relay)):
        assert f"`{name}`" in section, name
    defaults = xapi.XapiOptions()
    for field in ("activity_base", "home_page", "registration", "pass_mark"):
        assert f"`{field}`" in section and hasattr(defaults, field), field
    for field in ("activity_base", "home_page"):
        assert ".invalid" in getattr(defaults, field) and f"`{getattr(defaults, field)}`" in section, field


class _StubLRS(http.server.BaseHTTPRequestHandler):
    received: ClassVar[list[tuple[str, list[dict]]]] = []

    def do_POST(self) -> None:
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        _StubLRS.received.append((self.headers.get("Authorization", ""), body))
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(json.dumps([s["id"] for s in body]).encode())

    def log_message(self, *args: object) -> None:
        pass


def test_the_xapi_snippet_runs_and_posts_the_records(tmp_path, monkeypatch, capsys):
    from stemtrain.records import Attempt, open_store

    (snippet,) = re.findall(r"```python\n(.*?)```", _section("8."), re.S)
    store = open_store(tmp_path / "progress.sqlite3")
    store.add(Attempt(learner="nurse-1", module="01-back-pain-and-the-spine", question_id="spine-motion-segment", response="a",
                      correct=True, score=1.0, mode="notebook"))  # fmt: skip
    store.close()
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _StubLRS)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    _StubLRS.received.clear()
    try:
        monkeypatch.setenv("STEMTRAIN_PROGRESS", str(tmp_path / "progress.sqlite3"))
        monkeypatch.setenv("STEMTRAIN_LRS_URL", f"http://127.0.0.1:{server.server_port}/xAPI/")
        monkeypatch.setenv("STEMTRAIN_LRS_USER", "key")
        monkeypatch.setenv("STEMTRAIN_LRS_PASSWORD", "secret")
        exec(compile(snippet, "docs/interop.md", "exec"), {})
    finally:
        server.shutdown()
        server.server_close()
    assert "1 sent, 0 failed, 0 batch(es) rejected, 0 dropped" in capsys.readouterr().out
    ((auth, posted),) = _StubLRS.received
    assert auth == "Basic " + base64.b64encode(b"key:secret").decode()
    assert posted[0]["object"]["id"] == "https://lms.clinic.example/xapi/stemtrain/questions/spine-motion-segment"
    assert posted[0]["actor"]["account"] == {"homePage": "https://lms.clinic.example", "name": "nurse-1"}
