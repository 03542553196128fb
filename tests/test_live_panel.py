"""The live widgets without a browser: where the panel finds its class and token, that the token is handed to the
page once and never shown, the module code the widgets carry, and the dashboard's live console when no service runs."""

from __future__ import annotations

import json
from pathlib import Path

from stemtrain.live import LiveConsole, LivePanel, learner_access, live_console, live_panel

HERE = Path(__file__).resolve().parents[1] / "stemtrain" / "live"


def test_out_of_a_class_the_panel_is_quiet(monkeypatch, tmp_path: Path):
    for name in ("STEMTRAIN_CLASS_URL", "STEMTRAIN_CLASS_TOKEN", "JUPYTERHUB_API_TOKEN", "STEMTRAIN_CLASS_PAGE_URL"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("STEMTRAIN_CLASS_FILE", str(tmp_path / "none.json"))
    monkeypatch.setenv("STEMTRAIN_PROGRESS", str(tmp_path / "progress.sqlite3"))
    panel = live_panel()
    assert (panel.url, panel.token) == ("", "") and repr(panel) == "LivePanel(not in a class)"


def test_the_class_and_token_are_found_as_the_records_find_them(monkeypatch, tmp_path: Path):
    joined = tmp_path / "class.json"
    joined.write_text(json.dumps({"url": "http://127.0.0.1:8765/", "token": "from-join-file", "learner": "Ana"}))
    monkeypatch.setenv("STEMTRAIN_CLASS_FILE", str(joined))
    env = {"STEMTRAIN_CLASS_URL": "http://127.0.0.1:8765"}
    assert learner_access(env=env).token == "from-join-file"
    assert learner_access(env={**env, "STEMTRAIN_CLASS_TOKEN": "given"}).token == "given"
    hub = {"STEMTRAIN_CLASS_URL": "http://127.0.0.1:10101/services/stemtrain-class/", "JUPYTERHUB_API_TOKEN": "hub-token",
           "STEMTRAIN_CLASS_PAGE_URL": "/services/stemtrain-class"}  # fmt: skip
    found = learner_access(env=hub)
    assert (found.token, found.page_url) == ("hub-token", "/services/stemtrain-class/")
    assert "hub-token" not in repr(found)


def test_the_token_goes_to_the_page_once_and_again_only_when_asked():
    panel = LivePanel("http://127.0.0.1:8765/", "secret-token")
    sent: list[dict] = []
    panel.send = sent.append  # what would go to the page in a custom message
    assert panel.token == "secret-token"  # in the first state only: the page clears it (see common.js)
    panel.token = ""
    panel._handle_message(panel, {"type": "token?"}, [])
    panel._handle_message(panel, {"type": "something else"}, [])
    assert sent == [{"type": "token", "token": "secret-token"}]
    assert "secret" not in repr(panel)


def test_the_widgets_carry_their_browser_code_and_style():
    common = (HERE / "common.js").read_text(encoding="utf-8")
    assert LivePanel._esm.startswith(common) and LivePanel._esm.endswith((HERE / "panel.js").read_text(encoding="utf-8"))
    assert LiveConsole._esm.startswith(common) and "export default { render }" in LiveConsole._esm
    for code in (LivePanel._esm, LiveConsole._esm):
        assert code.count("export default") == 1 and "innerHTML" not in code  # text is set, never parsed
        assert "Authorization" in code and "?token" not in code
    assert 'model.set("token", "")' in common


def test_the_console_offers_questions_by_id_and_prompt_and_never_a_key():
    console = live_console("http://127.0.0.1:8765/", "t", questions=["talk-own-fat-reply", "start-ryoncil-indication"])
    assert [q["id"] for q in console.questions] == ["talk-own-fat-reply", "start-ryoncil-indication"]
    assert console.questions[1]["label"].startswith("start-ryoncil-indication: Ryoncil")
    assert repr(console) == "LiveConsole(2 questions, connected)"


def test_the_dashboard_console_is_idle_without_a_class_service(monkeypatch, tmp_path: Path):
    from stemtrain.instructor.guide import session_console

    for name in ("STEMTRAIN_CLASS_URL", "STEMTRAIN_INSTRUCTOR_TOKEN", "JUPYTERHUB_API_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    console = session_console(60)
    assert console.url == "" and console.token == "" and len(console.questions) == 8
    monkeypatch.setenv("STEMTRAIN_CLASS_URL", "http://127.0.0.1:8765/")
    monkeypatch.setenv("STEMTRAIN_CLASS_DATA", str(tmp_path))
    (tmp_path / "instructor.json").write_text(json.dumps({"instructor_token": "teacher"}))
    connected = session_console(90)
    assert connected.url == "http://127.0.0.1:8765/" and connected.token == "teacher"


def test_the_dashboard_reads_a_real_class_when_pointed_at_one(monkeypatch, tmp_path: Path):
    from stemtrain.analytics.synthetic import synthetic_class
    from stemtrain.instructor.dashboard import ClassDashboard
    from stemtrain.records.csvformat import write_csv

    write_csv(synthetic_class(5, 6), tmp_path / "answers.csv")
    monkeypatch.setenv("STEMTRAIN_DASHBOARD_SOURCE", str(tmp_path / "answers.csv"))
    real = ClassDashboard.from_environment()
    monkeypatch.delenv("STEMTRAIN_DASHBOARD_SOURCE")
    made_up = ClassDashboard.from_environment(seed=5, learners=6)
    assert len(real.summary.learners) == 6 and real.completion().html == made_up.completion().html
    assert "answers.csv" in repr(real.overview()) and "synthetic class (seed 5" in repr(made_up.overview())
