"""Course content rules: glossary sources resolve, review dates are fresh, no overclaiming language."""

from __future__ import annotations

import datetime as dt

from stemtrain.content.lint import lint_course, lint_text, load_allow_list
from stemtrain.content.loader import load_course


def test_glossary_references_resolve_and_modules_exist():
    course = load_course()
    assert course.glossary, "assets/glossary.yaml has terms"
    for term in course.glossary:
        assert all(r in course.references for r in term.references), term.term
        assert all(m in course.banks for m in term.modules), term.term


def test_a_bank_is_due_for_review_a_year_after_its_last_review():
    from stemtrain.content.freshness import reviews_due

    banks = list(load_course().banks.values())
    for bank in banks:
        assert bank.evidence_cutoff is not None, bank.path
        assert reviews_due([bank], bank.reviewed + dt.timedelta(days=365)) == []
        assert reviews_due([bank], bank.reviewed + dt.timedelta(days=366)) == [
            f"{bank.path}: review due: last reviewed {bank.reviewed.isoformat()}, 366 days ago"
        ]
        assert "is after today" in reviews_due([bank], bank.reviewed - dt.timedelta(days=1))[0]


def test_learners_never_see_author_notes_about_sources():
    from stemtrain.pages import references

    course = load_course()
    for module in course.banks:
        html = references(course, module).html
        for ref in course.references.values():
            if ref.caveat:
                assert ref.caveat not in html, (module, ref.id)
            if ref.note:
                assert ref.note not in html, (module, ref.id)


def test_lint_flags_overclaims():
    assert lint_text("Stem cells cure back pain.", []) != []
    assert lint_text("This therapy regenerates your disc.", []) != []
    assert lint_text("Results are guaranteed.", []) != []
    assert lint_text("It gives permanent relief.", []) != []
    assert lint_text("The injection is FDA-approved.", []) != []
    assert lint_text("MSC injections are investigational.", []) == []


def test_lint_allow_list_covers_a_quoting_sentence_only():
    allow = [{"text": 'The article promises "long-lasting relief" and calls it a cure', "reason": "quoted to refute"}]
    used: set[str] = set()
    assert lint_text('The article promises "long-lasting relief" and calls it a cure.', allow, used) == []
    assert used
    assert lint_text("It is a cure.", allow) != []


def test_course_text_passes_the_lint():
    problems = lint_course()
    assert problems == [], "\n".join(map(str, problems))


def test_allow_list_entries_have_reasons():
    for entry in load_allow_list():
        assert len(entry["reason"]) > 10


def test_every_module_bank_has_enough_questions_and_types():
    for module, bank in load_course().banks.items():
        if module.startswith("00-"):
            continue  # the start notebook's practice quiz is short on purpose
        types = {q.type for q in bank.questions}
        assert len(bank.questions) >= 12 and len(types) >= 4, f"{module}: {len(bank.questions)} questions, types {sorted(types)}"


def test_case_scenarios_and_required_types_are_present():
    banks = load_course().banks
    types = {m: {q.type for q in b.questions} for m, b in banks.items()}
    assert "case" in types["01-back-pain-and-the-spine"] | types["03-msc-sources"]
    assert {"image_label", "ordering"} <= types["05-image-guided-delivery"]
    cases_06 = [q for q in banks["06-evidence-regulation-and-patients"].questions if q.type == "case"]
    assert len(cases_06) >= 4 and all(len(q.linked()) >= 2 for q in cases_06)


def test_review_date_and_evidence_cutoff_are_shown_in_start_and_module_06():
    from stemtrain.content.paths import notebook_path
    from stemtrain.notebooks import load_cells

    for module in ("00-start-here", "06-evidence-regulation-and-patients"):
        sources = ["".join(c["source"]) for c in load_cells(notebook_path(module)) if c["cell_type"] == "code"]
        assert "course.about()" in sources, module
