"""The loader: every broken bank fails with its own clear message; nothing is half-loaded."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from stemtrain.content.loader import load_bank, load_glossary, load_references, validate_files
from stemtrain.content.problems import ContentError
from stemtrain.content.yamlsource import MAX_BYTES, read_yaml
from stemtrain.quiz.model import Case, ImageLabel, Matching, MultipleSelect, Numeric, Ordering, SingleChoice, TrueFalse

DATA = Path(__file__).parent / "data"
BROKEN = sorted((DATA / "broken").glob("*.yaml"))


def _expected(path: Path) -> str:
    first = path.read_text(encoding="utf-8").splitlines()[0]
    assert first.startswith("# expect: "), f"{path.name} must start with '# expect: <message prefix>'"
    return first.removeprefix("# expect: ")


RULES = {
    "alias-bomb",
    "answer-not-option",
    "bad-id",
    "bidi-override",
    "control-character",
    "dangling-reference",
    "deep-nesting",
    "duplicate-id",
    "duplicate-key",
    "empty",
    "huge-integer",
    "image-label-duplicate-number",
    "image-label-unknown-figure",
    "impossible-date",
    "impossible-date-quoted",
    "infinite-tolerance",
    "matching-duplicate-right",
    "missing-field",
    "multi-answer-not-option",
    "nan-answer",
    "negative-tolerance",
    "nested-case",
    "not-a-mapping",
    "ordering-too-short",
    "python-tag",
    "syntax",
    "unknown-field",
    "unknown-type",
    "wrong-type",
    "wrong-version",
}


def test_there_is_one_broken_bank_per_rule_each_with_its_own_message():
    assert {p.stem for p in BROKEN} == RULES
    expected = [_expected(p) for p in BROKEN]
    assert len(set(expected)) == len(expected)


@pytest.mark.parametrize("path", BROKEN, ids=lambda p: p.stem)
def test_broken_bank_reports_file_line_item_field(path: Path, test_refs):
    with pytest.raises(ContentError) as caught:
        load_bank(path, test_refs, shown=path.name)
    messages = [str(p) for p in caught.value.problems]
    assert any(m.startswith(_expected(path)) for m in messages), messages
    for m in messages:
        assert re.match(r"^[^:]+:\d+: [^:]+: [^:]+: .+", m), m
        assert "Traceback" not in m


def test_good_bank_becomes_models_of_every_type(bank):
    kinds = [type(q) for q in bank.questions]
    assert kinds == [SingleChoice, MultipleSelect, TrueFalse, Ordering, Matching, Numeric, ImageLabel, Case]
    assert bank.module == "99-all-types"
    assert str(bank.reviewed) == "2026-11-01"
    assert bank["t-case-b"].type == "single_choice"  # linked questions are found by id too
    assert bank.cited() == ["test-2020", "press-2021"]


def test_banks_shared_between_sessions_cannot_be_changed(bank):
    with pytest.raises(TypeError):
        bank.by_id["t-single"] = bank["t-tf"]  # type: ignore[index]
    with pytest.raises(TypeError):
        bank.keys["t-single"] = bank.key("t-tf")  # type: ignore[index]


def test_public_questions_hold_no_key_and_a_public_bank_no_keys(bank):
    for question in bank.by_id.values():
        names = set(vars(question))
        assert not names & {"answer", "answers", "tolerance", "explanation", "feedback", "order", "matches"}, question.id
    public = bank.public()
    assert public.questions == bank.questions and len(public.keys) == 0
    with pytest.raises(KeyError, match="no key for 't-single'"):
        public.key("t-single")


def test_ordering_steps_are_never_shown_in_their_correct_order(bank, tmp_path, test_refs):
    assert [i.id for i in bank["t-order"].items] != list(bank.key("t-order").order)
    # A bank whose natural shuffle would show the correct order still shows another one.
    from stemtrain.content.build import build_question
    from stemtrain.quiz.model import shuffled

    for n in range(3, 9):
        for k in range(40):
            items = [{"id": f"s{i}", "text": f"step {i}"} for i in range(n)]
            entry = {"id": f"q-{n}-{k}", "type": "ordering", "prompt": "p", "items": items, "explanation": "e", "references": ["r"]}
            question, keys = build_question(entry)
            shown = [i.id for i in question.items]
            assert shown != [i["id"] for i in items], entry["id"]
            assert sum(a == b for a, b in zip(shown, keys[entry["id"]].order, strict=False)) <= max(1, n // 3), (entry["id"], shown)
    assert any(shuffled(list(range(3)), f"q-3-{k}") == [0, 1, 2] for k in range(40))  # the plain shuffle would have


def test_unknown_question_id_names_the_bank(bank):
    with pytest.raises(KeyError, match="no question 'nope' in bank '99-all-types'"):
        bank["nope"]


def test_all_problems_of_a_file_are_reported_at_once(tmp_path, test_refs):
    bad = tmp_path / "99-two.yaml"
    bad.write_text(
        "schema_version: 1\nmodule: 99-two\ntitle: t\nreviewed: 2026-01-01\nquestions:\n"
        "  - {id: a1, type: true_false, prompt: p, answer: true, explanation: e, references: [missing-1]}\n"
        "  - {id: a2, type: true_false, prompt: p, answer: 1, explanation: e, references: [test-2020]}\n",
        encoding="utf-8",
    )
    with pytest.raises(ContentError) as caught:
        load_bank(bad, test_refs, shown="99-two.yaml")
    text = str(caught.value)
    assert "99-two.yaml:6: a1: references[0]: 'missing-1' is not in the course bibliography" in text
    assert "99-two.yaml:7: a2: answer: must be a boolean, got int" in text


def test_module_must_match_file_name(tmp_path, test_refs):
    bad = tmp_path / "05-other.yaml"
    bad.write_text("schema_version: 1\nmodule: 04-this\ntitle: t\nreviewed: 2026-01-01\nquestions: []\n", encoding="utf-8")
    with pytest.raises(ContentError, match=re.escape("05-other.yaml:2: -: module: is '04-this' but the file is named 05-other.yaml")):
        load_bank(bad, test_refs, shown="05-other.yaml")


def test_ids_must_be_unique_across_files(tmp_path, test_refs):
    seen: dict[str, str] = {}
    load_bank(DATA / "all-types.yaml", test_refs, seen, shown="all-types.yaml")
    copy = tmp_path / "copy.yaml"
    copy.write_text((DATA / "all-types.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    with pytest.raises(ContentError, match=r"copy.yaml:\d+: t-single: id: duplicate question id \(first used at all-types.yaml:\d+\)"):
        load_bank(copy, test_refs, seen, shown="copy.yaml")


def test_huge_file_fails_fast_without_parsing(tmp_path):
    big = tmp_path / "big.yaml"
    big.write_bytes(b"a: " + b"x" * (MAX_BYTES + 1))
    with pytest.raises(ContentError, match="course files are limited to"):
        read_yaml(big, "big.yaml")


def test_many_values_fail_fast(tmp_path, monkeypatch):
    from stemtrain.content import yamlsource

    monkeypatch.setattr(yamlsource, "MAX_NODES", 100)
    wide = tmp_path / "wide.yaml"
    wide.write_text("[" + ",".join(["1"] * 250) + "]", encoding="utf-8")
    with pytest.raises(ContentError, match="more than 100 values"):
        read_yaml(wide, "wide.yaml")


def test_missing_and_undecodable_files(tmp_path):
    with pytest.raises(ContentError, match="cannot read file"):
        read_yaml(tmp_path / "nope.yaml", "nope.yaml")
    with pytest.raises(ContentError, match="folder:1: -: -: cannot read file: Is a directory"):
        read_yaml(tmp_path, "folder")
    latin = tmp_path / "latin.yaml"
    latin.write_bytes("a: caf\xe9".encode("latin-1"))
    with pytest.raises(ContentError, match=re.escape("latin.yaml:1: -: -: not UTF-8 text")):
        read_yaml(latin, "latin.yaml")


def test_references_need_unique_ids_and_labels_and_caveats(tmp_path):
    refs = tmp_path / "refs.yaml"
    refs.write_text(
        "schema_version: 1\nreferences:\n"
        "  - {id: a-2020, cite: A 2020, authors: [A], year: 2020, title: t, source: s, url: 'https://a.org', confidence: verified}\n"
        "  - {id: a-2020, cite: A 2020, authors: [A], year: 2020, title: t, source: s, url: 'https://a.org', confidence: verified}\n",
        encoding="utf-8",
    )
    with pytest.raises(ContentError) as caught:
        load_references(refs, "refs.yaml")
    text = str(caught.value)
    assert "refs.yaml:4: a-2020: id: duplicate reference id" in text
    assert "refs.yaml:4: a-2020: cite: label 'A 2020' is already used by 'a-2020'" in text
    refs.write_text(
        "schema_version: 1\nreferences:\n"
        "  - {id: b-2020, cite: B 2020, authors: [B], year: 2020, title: t, source: s, url: 'https://b.org', confidence: secondary}\n",
        encoding="utf-8",
    )
    with pytest.raises(ContentError, match=re.escape("refs.yaml:3: b-2020: caveat: missing required field")):
        load_references(refs, "refs.yaml")


def test_glossary_references_must_resolve(tmp_path, test_refs):
    gl = tmp_path / "glossary.yaml"
    gl.write_text(
        "schema_version: 1\nterms:\n  - {term: Disc, definition: d, references: [gone-2000], modules: [01-x]}\n",
        encoding="utf-8",
    )
    with pytest.raises(ContentError, match=r"glossary.yaml:3: Disc: references\[0\]: 'gone-2000' is not in the course bibliography"):
        load_glossary(gl, test_refs, "glossary.yaml")


def test_the_whole_course_validates():
    problems = validate_files()
    assert problems == [], "\n".join(map(str, problems))


def test_the_course_cache_follows_every_change_of_a_data_file(tmp_path, monkeypatch):
    import shutil

    from stemtrain.content import paths
    from stemtrain.content.coursecache import CourseCache

    root = tmp_path / "course"
    shutil.copytree(paths.course_root() / "assets", root / "assets")
    (root / "notebooks").mkdir()
    monkeypatch.setenv("STEMTRAIN_ROOT", str(root))
    folder = tmp_path / "cache"
    first = CourseCache(folder).get()
    assert len(list(folder.glob("course-*.pickle"))) == 1
    assert CourseCache(folder).get() == first  # a new process: served from the disk cache
    bank = root / "assets" / "banks" / "00-start-here.yaml"
    bank.write_text(bank.read_text(encoding="utf-8").replace("title: Start here", "title: Start here (edited)"), encoding="utf-8")
    assert CourseCache(folder).get().banks["00-start-here"].title == "Start here (edited)"
    assert len(list(folder.glob("course-*.pickle"))) == 1  # the stale copy is gone
    bank.write_text("schema_version: 1\nmodule: 00-start-here\n", encoding="utf-8")
    with pytest.raises(ContentError, match="title: missing required field"):
        CourseCache(folder).get()  # broken content is never served from the cache


def test_a_second_bank_for_a_module_is_refused(tmp_path, monkeypatch):
    import shutil

    from stemtrain.content import paths

    root = tmp_path / "course"
    shutil.copytree(paths.course_root() / "assets", root / "assets")
    (root / "notebooks").mkdir()
    intruder = root / "assets" / "banks" / "evil.yaml"
    intruder.write_text("schema_version: 1\nmodule: 00-start-here\ntitle: t\nreviewed: 2026-01-01\nquestions: []\n", encoding="utf-8")
    monkeypatch.setenv("STEMTRAIN_ROOT", str(root))
    messages = [str(p) for p in validate_files()]
    assert messages == [
        "assets/banks/evil.yaml:2: -: module: '00-start-here' already has a bank (assets/banks/00-start-here.yaml); a module has one bank"
    ]


def test_echoed_values_are_cut_short(tmp_path, test_refs):
    bad = tmp_path / "99-long.yaml"
    bad.write_text(
        "schema_version: 1\nmodule: 99-long\ntitle: t\nreviewed: 2026-01-01\nquestions:\n"
        f"  - {{id: a1, type: '{'x' * 100_000}', prompt: p, explanation: e, references: [test-2020]}}\n",
        encoding="utf-8",
    )
    with pytest.raises(ContentError) as caught:
        load_bank(bad, test_refs, shown="99-long.yaml")
    assert max(len(str(p)) for p in caught.value.problems) < 400


def test_ordering_steps_with_the_same_text_are_refused(tmp_path, test_refs):
    bad = tmp_path / "99-same.yaml"
    bad.write_text(
        "schema_version: 1\nmodule: 99-same\ntitle: t\nreviewed: 2026-01-01\nquestions:\n"
        "  - id: a1\n    type: ordering\n    prompt: p\n    items: [{id: a, text: Same}, {id: b, text: Same}, {id: c, text: Other}]\n"
        "    explanation: e\n    references: [test-2020]\n",
        encoding="utf-8",
    )
    with pytest.raises(ContentError, match=r"99-same.yaml:9: a1: items\[1\]: duplicate item text 'Same'"):
        load_bank(bad, test_refs, shown="99-same.yaml")


def test_nesting_a_hundred_thousand_levels_deep_is_refused_without_crashing(tmp_path):
    deep = tmp_path / "deep.yaml"
    deep.write_text("x: " + "[" * 100_000 + "]" * 100_000 + "\n", encoding="utf-8")
    with pytest.raises(ContentError, match=re.escape("deep.yaml:1: -: -: nested more than 64 levels deep")):
        read_yaml(deep, "deep.yaml")


def test_a_reference_that_is_only_a_search_is_refused(tmp_path):
    refs = tmp_path / "refs.yaml"
    refs.write_text(
        "schema_version: 1\nreferences:\n"
        "  - {id: p-2001, cite: P 2001, authors: [P], year: 2001, title: t, source: s, confidence: verified,\n"
        "     url: 'https://pubmed.ncbi.nlm.nih.gov/?term=pfirrmann+2001'}\n",
        encoding="utf-8",
    )
    with pytest.raises(ContentError, match=r"refs.yaml:\d+: p-2001: url: is a search, not one specific work"):
        load_references(refs, "refs.yaml")


def test_a_question_citing_only_unresolved_sources_is_refused(tmp_path):
    refs = tmp_path / "refs.yaml"
    refs.write_text(
        "schema_version: 1\nreferences:\n"
        "  - {id: u-2001, cite: U 2001, authors: [U], year: 2001, title: t, source: s, confidence: verified,\n"
        "     url: 'https://example.org/u', unresolved: no DOI or PMID found}\n",
        encoding="utf-8",
    )
    bad = tmp_path / "99-u.yaml"
    bad.write_text(
        "schema_version: 1\nmodule: 99-u\ntitle: t\nreviewed: 2026-01-01\nquestions:\n"
        "  - {id: a1, type: true_false, prompt: p, answer: true, explanation: e, references: [u-2001]}\n",
        encoding="utf-8",
    )
    with pytest.raises(ContentError, match=r"99-u.yaml:6: a1: references: cites only sources that do not resolve"):
        load_bank(bad, load_references(refs, "refs.yaml"), shown="99-u.yaml")
