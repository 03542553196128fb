"""The final assessment's page as a learner uses it: self-study over a real progress file, and a class whose real
service holds the keys. In a class, nothing the learner's kernel can reach holds a key of the pool."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from assessment_support import right
from classroom_support import child_env

from stemtrain.assessment import SELF_STUDY_LABEL
from stemtrain.assessment.blueprint import load_blueprint
from stemtrain.assessment.forms import assemble
from stemtrain.assessment.pool import load_pool
from stemtrain.finalpage import AssessmentSession
from stemtrain.records import ServiceStore, join
from stemtrain.records.sqlite import SQLiteStore

FIXTURE = Path(__file__).parent / "data" / "assessment"


@pytest.fixture
def pool_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the fixture pool where only its owner can read it, named by STEMTRAIN_ASSESSMENT_POOL."""
    folder = tmp_path / "secret"
    shutil.copytree(FIXTURE, folder)
    folder.chmod(0o700)
    monkeypatch.setenv("STEMTRAIN_ASSESSMENT_POOL", str(folder / "pool"))
    return folder


def secrets(pool_folder: Path) -> set[str]:
    """Every text that only the key side of a pool item holds: explanations and feedback."""
    found: set[str] = set()
    for path in (pool_folder / "pool").glob("*.yaml"):
        for q in yaml.safe_load(path.read_text(encoding="utf-8"))["questions"]:
            found.add(q["explanation"])
            found.update(o["feedback"] for o in q.get("options", []) if o.get("feedback"))
            feedback = q.get("feedback")
            found.update(feedback.values() if isinstance(feedback, dict) else [feedback] if feedback else [])
    return {s for s in found if len(s) > 20}


def correct(pool_folder: Path, qid: str) -> object:
    return right(load_pool(pool_folder / "pool"), qid)


def choose(box, response) -> None:
    """What a click does: the choice group's value changes (true/false and lists as the page keeps them)."""
    if box.item.type == "true_false":
        box.choice.value = "true" if response else "false"
    else:
        box.choice.value = response


# --- self-study -------------------------------------------------------------------------------------
def test_self_study_saves_each_choice_resumes_after_reload_and_marks_the_whole_form(pool_dir, tmp_path):
    store = SQLiteStore(tmp_path / "progress.sqlite3")
    view = AssessmentSession(learner="Ana Silva", store=store).assessment()
    assert SELF_STUDY_LABEL in repr(view) and "you have used 0 and have 3 left" in repr(view)
    view._start()
    first = [box.item.id for box in view.boxes]
    blueprint = load_blueprint(pool_dir / "blueprint.yaml", load_pool(pool_dir / "pool"))
    assert tuple(first) == assemble(blueprint, load_pool(pool_dir / "pool"), "Ana Silva", 1).items, "the form the proctor drew"
    for box in view.boxes[:3]:
        choose(box, box.item.options[0][0] if box.item.options else True)
    assert all("Saved." in box.saved.value for box in view.boxes[:3]) and view.outcome.value == ""

    # the tab is closed and the page opened again: the same form, the same choices, no result yet
    again = AssessmentSession(learner="Ana Silva", store=SQLiteStore(tmp_path / "progress.sqlite3")).assessment()
    assert again.start_button.description == "Continue your attempt"
    again._start()
    assert [box.item.id for box in again.boxes] == first
    assert [box.response() for box in again.boxes[:3]] == [box.response() for box in view.boxes[:3]]
    assert all(box.response() is None for box in again.boxes[3:])

    for box in again.boxes:
        choose(box, correct(pool_dir, box.item.id))
    again._ask_to_hand_in()
    assert "Every question has an answer" in again.confirm.value
    again._hand_in()
    assert "You passed." in again.outcome.value and SELF_STUDY_LABEL in again.outcome.value
    assert all(box.choice.disabled for box in again.boxes)
    assert again.certificate in again.children and again.start_button.layout.display == "none"

    again._certificate()
    assert 'href="data:application/pdf;base64,' in again.download.value


def test_a_failed_attempt_names_the_modules_to_revisit_and_offers_a_new_form(pool_dir, tmp_path):
    view = AssessmentSession(learner="Ben", store=SQLiteStore(tmp_path / "progress.sqlite3")).assessment()
    view._start()
    first = [box.item.id for box in view.boxes]
    view._ask_to_hand_in()
    assert f"{len(first)} question(s) have no answer and will score 0" in view.confirm.value
    view._hand_in()
    assert "You did not pass this time" in view.outcome.value and "Your score: 0 %" in view.outcome.value
    revisit = [link["file"] for link in view.revisit.links]
    assert revisit and all(f.endswith(".ipynb") for f in revisit)
    assert view.start_button.description.startswith("Start attempt 2")
    view._start()
    assert [box.item.id for box in view.boxes] != first, "a new attempt draws a new form"
    assert view.outcome.value == "" and view.revisit not in view.children


def test_a_hostile_prompt_is_shown_as_text(pool_dir, tmp_path):
    path = pool_dir / "pool" / "02-what-are-mscs.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    for q in data["questions"]:
        q["prompt"] = "<img src=x onerror=alert(1)> " + q["prompt"]
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    view = AssessmentSession(learner="Eve", store=SQLiteStore(tmp_path / "p.sqlite3")).assessment()
    view._start()
    shown = "".join(child.value for box in view.boxes for child in box.children if hasattr(child, "value") and isinstance(child.value, str))
    assert "<img" not in shown and "&lt;img src=x onerror=alert(1)&gt;" in shown


def test_without_a_pool_the_page_says_where_the_assessment_is(tmp_path, monkeypatch):
    monkeypatch.setenv("STEMTRAIN_ASSESSMENT_POOL", str(tmp_path / "nowhere" / "pool"))
    view = AssessmentSession(learner="Ana", store=SQLiteStore(tmp_path / "p.sqlite3")).assessment()
    assert "cannot be shown" in repr(view) and "assessment pool folder does not exist" in view.notice.value
    assert view.start_button.layout.display == "none"


# --- a class: the service holds the keys ------------------------------------------------------------
CANARY = "[KEY-CANARY]"

LEARNER = r"""
import gc, json, sys
from stemtrain.finalpage import AssessmentSession
from stemtrain.quiz.model import Key
from stemtrain.records import ServiceStore, join

url, code = sys.argv[1], sys.argv[2]
join(url, code, "Ana Silva")
session = AssessmentSession(store=ServiceStore(url))
view = session.assessment()
view._start()
for box in view.boxes[: len(view.boxes) // 2]:
    if box.item.type == "true_false":
        box.choice.value = "false"
    else:
        box.choice.value = [box.item.options[0][0]] if box.item.type == "multiple_select" else box.item.options[0][0]
saved = all("Saved." in box.saved.value for box in view.boxes[: len(view.boxes) // 2])

def search(needle):
    # Every object in this process (the kernel): each container the collector tracks, and whatever it holds.
    texts, keys, keyed = 0, 0, 0
    found = []
    for obj in gc.get_objects():
        if isinstance(obj, Key) and obj.question_id.startswith("fa-"):  # the practice banks' keys are no secret
            keys += 1
        if isinstance(obj, dict) and ("answer" in obj or "explanation" in obj) and str(obj.get("id", "")).startswith("fa-"):
            keyed += 1
        for ref in gc.get_referents(obj):
            if isinstance(ref, str) and ref is not needle:
                texts += 1
                if needle in ref:
                    found.append(ref[:200])
    return {"texts": texts, "keys": keys, "keyed_dicts": keyed, "found": found}

needle = "[KEY-" + "CANARY]"
before = search(needle)
prompt_seen = any(view.boxes[0].item.prompt == r for o in gc.get_objects() for r in gc.get_referents(o) if isinstance(r, str))
view._hand_in()
after = search(needle)
status, mine = ServiceStore(url).call("GET", "api/assessment/attempts")
print(json.dumps({"saved": saved, "before": before, "after": after, "prompt_seen": prompt_seen,
                  "result": view.outcome.value, "item_scores": [a["item_scores"] for a in mine], "status": status}))
"""


def canaried(folder: Path) -> None:
    """Mark every explanation and feedback text of a pool copy, so a search can find any of them without knowing them."""
    for path in (folder / "pool").glob("*.yaml"):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        for q in data["questions"]:
            q["explanation"] += f" {CANARY}"
            for o in q.get("options", []):
                if o.get("feedback"):
                    o["feedback"] += f" {CANARY}"
            if isinstance(q.get("feedback"), dict):
                q["feedback"] = {k: f"{v} {CANARY}" for k, v in q["feedback"].items()}
        path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def test_in_a_class_the_learners_kernel_never_holds_a_key(pool_dir, service_factory, monkeypatch, tmp_path):
    """A learner's process joins, takes half the form and hands it in; at each step every string in that process
    is searched for the marked key texts, and no answer-key object or key-shaped dict exists in it."""
    canaried(pool_dir)
    service = service_factory(env={"STEMTRAIN_ASSESSMENT_POOL": str(pool_dir / "pool")})
    monkeypatch.delenv("STEMTRAIN_ASSESSMENT_POOL")  # only the service is told where the pool is
    env = child_env(STEMTRAIN_CLASS_FILE=str(tmp_path / "home" / "class.json"), STEMTRAIN_OUTBOX=str(tmp_path / "home" / "outbox.sqlite3"))
    for name in ("STEMTRAIN_CLASS_URL", "STEMTRAIN_CLASS_TOKEN", "JUPYTERHUB_API_TOKEN", "STEMTRAIN_ASSESSMENT_POOL"):
        env.pop(name, None)
    run = subprocess.run(
        [sys.executable, "-c", LEARNER, service.url, service.state["join_code"]], env=env, capture_output=True, text=True, timeout=300
    )
    assert run.returncode == 0, run.stderr
    seen = json.loads(run.stdout.strip().splitlines()[-1])
    assert seen["saved"] and seen["prompt_seen"], "the learner's process holds the form it was sent"
    assert seen["before"]["texts"] > 10_000, "the search went through the whole process"
    assert seen["before"]["found"] == [] and seen["after"]["found"] == []
    assert seen["before"]["keys"] == seen["after"]["keys"] == 0
    assert seen["before"]["keyed_dicts"] == seen["after"]["keyed_dicts"] == 0
    assert "Your score:" in seen["result"] and SELF_STUDY_LABEL not in seen["result"]
    assert seen["status"] == 200 and seen["item_scores"] == [None], "a learner's own list has no per-item marks"


def test_the_search_finds_a_key_where_there_is_one(pool_dir, tmp_path):
    """The same search in a self-study process, which loads the pool itself, does find the marked texts."""
    canaried(pool_dir)
    script = LEARNER.replace(
        'join(url, code, "Ana Silva")\nsession = AssessmentSession(store=ServiceStore(url))',
        "from stemtrain.records.sqlite import SQLiteStore\nsession = AssessmentSession(learner='Ana', store=SQLiteStore(code))",
    ).replace('status, mine = ServiceStore(url).call("GET", "api/assessment/attempts")', "status, mine = 200, []")
    assert script != LEARNER
    env = child_env(STEMTRAIN_ASSESSMENT_POOL=str(pool_dir / "pool"))
    run = subprocess.run(
        [sys.executable, "-c", script, "-", str(tmp_path / "p.sqlite3")], env=env, capture_output=True, text=True, timeout=300
    )
    assert run.returncode == 0, run.stderr
    seen = json.loads(run.stdout.strip().splitlines()[-1])
    assert seen["before"]["found"] and seen["before"]["keys"] > 0


@pytest.mark.parametrize("which", ["the course's pool", "the test fixture"])
def test_nothing_a_learner_can_read_in_the_course_holds_the_pool(which, pool_dir):
    """The notebooks (committed with their outputs), the package and the assets: no pool item's id or key text."""
    root = Path(__file__).resolve().parents[1]
    folder = root / "assessment" if which == "the course's pool" else pool_dir
    hidden = secrets(folder)
    ids = {q["id"] for p in (folder / "pool").glob("*.yaml") for q in yaml.safe_load(p.read_text(encoding="utf-8"))["questions"]}
    assert len(ids) >= 25 and len(hidden) >= 25
    files = [*root.glob("notebooks/**/*.ipynb"), *root.glob("stemtrain/**/*.*"), *root.glob("assets/**/*.*")]
    assert len(files) > 50
    for path in files:
        if path.suffix in (".pyc", ".png", ".ttf"):
            continue
        text = path.read_text(encoding="utf-8", errors="replace")
        assert not [s for s in hidden if s in text], f"{path} holds a pool explanation or feedback"
        assert not [i for i in ids if f'"{i}"' in text or f"'{i}'" in text or f": {i}\n" in text], f"{path} names a pool item"


@pytest.fixture
def joined(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """This process joins as a learner: its join file and outbox in a throwaway home."""
    monkeypatch.setenv("STEMTRAIN_CLASS_FILE", str(tmp_path / "home" / "class.json"))
    monkeypatch.setenv("STEMTRAIN_OUTBOX", str(tmp_path / "home" / "outbox.sqlite3"))
    for name in ("STEMTRAIN_CLASS_URL", "STEMTRAIN_CLASS_TOKEN", "JUPYTERHUB_API_TOKEN"):
        monkeypatch.delenv(name, raising=False)


def test_the_certificate_of_a_class_pass_verifies_offline_with_the_published_key(pool_dir, service_factory, joined, tmp_path):
    service = service_factory(env={"STEMTRAIN_ASSESSMENT_POOL": str(pool_dir / "pool")})
    join(service.url, service.state["join_code"], "Zoë O'Brien-Núñez")
    view = AssessmentSession(store=ServiceStore(service.url)).assessment()
    view._start()
    for box in view.boxes:
        choose(box, correct(pool_dir, box.item.id))
    view._hand_in()
    assert "You passed." in view.outcome.value
    status, pdf = ServiceStore(service.url).download(f"api/assessment/attempts/{view.form.id}/certificate")
    assert status == 200 and pdf.startswith(b"%PDF-")
    (tmp_path / "cert.pdf").write_bytes(pdf)
    (tmp_path / "public.pem").write_bytes((service.data_dir / "certificate-public.pem").read_bytes())
    checked = subprocess.run(
        [sys.executable, "-m", "stemtrain", "certificate", "verify", str(tmp_path / "cert.pdf"), "--key", str(tmp_path / "public.pem")],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert "Zoë O'Brien-Núñez" in checked.stdout


def test_the_course_map_and_module_06_lead_to_the_assessment(pool_dir, tmp_path):
    from stemtrain.session import ModuleSession

    path = tmp_path / "progress.sqlite3"
    start = ModuleSession("00-start-here", learner="Ana", store=SQLiteStore(path))
    assert "07 · Final assessment: not started" in repr(start.progress())
    view = AssessmentSession(learner="Ana", store=SQLiteStore(path)).assessment()
    view._start()
    assert "07 · Final assessment: attempt 1 under way" in repr(
        ModuleSession("00-start-here", learner="Ana", store=SQLiteStore(path)).progress()
    )
    view._hand_in()
    assert "07 · Final assessment: 0.0 %, not passed yet" in repr(
        ModuleSession("00-start-here", learner="Ana", store=SQLiteStore(path)).progress()
    )
    last = ModuleSession("06-evidence-regulation-and-patients", learner="Ana", store=SQLiteStore(path))
    assert repr(last.header()).endswith("Next: 07 · Final assessment →")


def test_the_demo_learners_form_is_the_same_in_every_version():
    """The draw is SHA-256 over the blueprint, the learner and the attempt: the same form on every machine and Python,
    and in later releases (a record only stores item ids, so a changed draw would not show until a new attempt)."""
    from stemtrain.assessment.forms import public_item
    from stemtrain.notebooks import DEMO_LEARNER

    pool = load_pool(FIXTURE / "pool")
    form = assemble(load_blueprint(FIXTURE / "blueprint.yaml", pool), pool, DEMO_LEARNER, 1)
    assert form.items == (
        "fa-spine-parts",
        "fa-msc-stromal-name",
        "fa-delivery-consent-first",
        "fa-apps-idea-unproven",
        "fa-spine-motion-segment",
        "fa-msc-not-every-stem",
        "fa-apps-three-uses",
        "fa-sources-three",
        "fa-evidence-subgroup",
        "fa-sources-marrow-collect",
        "fa-reg-registered",
        "fa-delivery-roles",
    )
    first = public_item(pool.item(form.items[0]), pool.module_of(form.items[0]), form.seed)
    assert [o["id"] for o in first["options"]] == ["disc", "vertebrae", "kidney", "facets"]
