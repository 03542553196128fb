"""The instructor report: self-contained HTML, hostile text shown as text, stable pseudonyms, documented CSVs."""

from __future__ import annotations

import csv
import html
import re
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

from stemtrain.analytics import CSV_COLUMNS, ItemInfo, pseudonyms, write_report

pytestmark = pytest.mark.filterwarnings("error")

SCRIPT = "<script>alert(1)</script>"  # bank texts
IMG = '<img src=x onerror="window.pwned=1">'
RTL_TEXT, EMOJI_TEXT = "سؤال عن القرص", "Wrong 🦴 ✓"
NAME_SCRIPT = "<script>alert('learner')</script>"  # learner names: different, so a pseudonymised page can be searched
NAME_IMG = '<img src=x onerror="window.pwned=2">'
RTL = "مريم الحسن"
EMOJI = "Zoë 🧪 Ñandú"
FORMULA = '=HYPERLINK("http://evil.example","click")'
NAMES = [NAME_SCRIPT, NAME_IMG, RTL, EMOJI, FORMULA, "Ana Keller"]
T0 = datetime(2026, 3, 2, 9, 0, tzinfo=timezone.utc)


@dataclass(frozen=True)
class Rec:
    learner: str
    module: str
    question_id: str
    parent_id: str | None
    attempt: int
    score: float
    max_score: float
    response: Any
    answered_at: datetime


ITEMS = {
    "q1": ItemInfo(
        "q1",
        "m1",
        None,
        "single_choice",
        f"Prompt {IMG} {RTL_TEXT}",
        (("a", f"Right {SCRIPT}", True), ("b", EMOJI_TEXT, False), ("c", "Also wrong", False)),
    ),
    "q2": ItemInfo("q2", "m1", None, "multiple_select", "Pick two", (("x", "X", True), ("y", "Y", True), ("z", "Z", False))),
    "case-1": ItemInfo("case-1", "m2", None, "case", f"Case {SCRIPT}"),
    "case-1-a": ItemInfo("case-1-a", "m2", "case-1", "true_false", "Part A", (("true", "True", True), ("false", "False", False))),
    "case-1-b": ItemInfo("case-1-b", "m2", "case-1", "numeric", "Part B"),
}
SCORES = [[1, 1, 1, 1], [1, 1, 1, 0], [1, 1, 0, 0], [1, 0, 1, 0], [0, 1, 0, 1], [0, 0, 0, 0]]


def records() -> list[Rec]:
    out = []
    for name, (s1, s2, s3, s4), i in zip(NAMES, SCORES, range(6), strict=False):
        at = T0 + timedelta(minutes=i)
        out += [
            Rec(name, "m1", "q1", None, 1, s1, 1, "a" if s1 else "b", at),
            Rec(name, "m1", "q2", None, 1, s2, 1, ["x", "y"] if s2 else ["z"], at),
            Rec(name, "m2", "case-1-a", "case-1", 1, s3, 1, bool(s3), at),
            Rec(name, "m2", "case-1-b", "case-1", 1, s4, 1, 3, at),
        ]
    return out


class _Tags(HTMLParser):
    """Every start tag and its attributes, as a browser would parse them."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))


def _parse(page: str) -> list[tuple[str, dict[str, str | None]]]:
    parser = _Tags()
    parser.feed(page)
    return parser.tags


@pytest.fixture(scope="module")
def report(tmp_path_factory) -> Path:
    return write_report(records(), ITEMS, ["m1", "m2"], tmp_path_factory.mktemp("report"), title=f"Class {SCRIPT}")


def test_html_is_self_contained(report: Path):
    page = report.read_text(encoding="utf-8")
    tags = _parse(page)
    assert {t for t, _ in tags} <= {
        "html",
        "head",
        "meta",
        "title",
        "style",
        "body",
        "h1",
        "h2",
        "p",
        "figure",
        "img",
        "figcaption",
        "table",
        "caption",
        "thead",
        "tbody",
        "tr",
        "th",
        "td",
        "bdi",
        "code",
        "span",
        "br",
        "details",
        "summary",
        "ul",
        "li",
        "a",
        "div",
    }
    for tag, attrs in tags:
        assert not any(name.startswith("on") for name in attrs), (tag, attrs)
        if tag == "img":
            assert attrs["src"].startswith("data:image/png;base64,")
        if tag == "a":
            assert attrs["href"] in CSV_COLUMNS  # a file next to the report, nothing on another host
    for value in re.findall(r"""(?:src|href)\s*=\s*["']?([^"'\s>]+)""", page):
        assert not value.startswith(("http:", "https:", "//")) and "://" not in value
    assert "@import" not in page and "url(" not in page and "<link" not in page
    assert "default-src 'none'" in page  # the page itself forbids loading anything


def test_hostile_and_non_latin_text_appears_escaped(report: Path):
    page = report.read_text(encoding="utf-8")
    assert "<script" not in page.lower()
    for text in (SCRIPT, IMG, NAME_SCRIPT, NAME_IMG, FORMULA):  # bank texts and learner names, shown as text
        assert html.escape(text) in page
    assert page.count("<img") == page.count('<img src="data:image/png;base64,')  # the only images are our figures
    assert f"<bdi>{RTL}</bdi>" in page and RTL_TEXT in page  # right-to-left text isolated in its cell
    assert f"<bdi>{EMOJI}</bdi>" in page and EMOJI_TEXT in page and f"<title>Class {html.escape(SCRIPT)}</title>" in page


def test_case_parts_are_listed_under_their_case(report: Path):
    page = report.read_text(encoding="utf-8")
    case, a, b = page.index('<tr class="case">'), page.index("case-1-a</bdi>"), page.index("case-1-b</bdi>")
    assert case < a < b and f"Case {html.escape(SCRIPT)}" in page[case:a]


def _read_csv(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    with path.open(encoding="utf-8-sig", newline="") as f:
        reader = csv.DictReader(f)
        return list(reader.fieldnames or []), list(reader)


def test_csv_files_have_the_documented_columns(report: Path):
    for name, columns in CSV_COLUMNS.items():
        header, rows = _read_csv(report.parent / name)
        assert header == list(columns) and all(columns.values())
        assert rows
    _, learners = _read_csv(report.parent / "learners.csv")
    assert len(learners) == 6 * 2 and {r["learner"] for r in learners} == set(NAMES) - {FORMULA} | {"'" + FORMULA}
    _, items = _read_csv(report.parent / "items.csv")
    assert [r["question_id"] for r in items] == ["q1", "q2", "case-1-a", "case-1-b"]
    assert float(items[0]["facility"]) == pytest.approx(4 / 6) and items[2]["case_id"] == "case-1"
    _, options = _read_csv(report.parent / "distractors.csv")
    assert [(r["option_id"], r["count"]) for r in options if r["question_id"] == "q1"] == [("a", "4"), ("b", "2"), ("c", "0")]
    _, modules = _read_csv(report.parent / "modules.csv")
    assert [r["module"] for r in modules] == ["m1", "m2"]


def test_pseudonymised_report_hides_every_name_and_is_stable(tmp_path: Path):
    one = write_report(records(), ITEMS, ["m1", "m2"], tmp_path / "one", pseudonymise=True)
    two = write_report(list(reversed(records())), ITEMS, ["m1", "m2"], tmp_path / "two", pseudonymise=True)
    page = one.read_text(encoding="utf-8")
    csv_text = (one.parent / "learners.csv").read_text(encoding="utf-8-sig")
    for name in NAMES:
        for form in {name, html.escape(name), "'" + name}:
            assert form not in page and form not in csv_text
    assert re.findall(r"Learner 0[1-6]", page) and "Learner 07" not in page
    assert page == two.read_text(encoding="utf-8")  # same class, same pseudonyms, same bytes


def test_pseudonyms_are_deterministic_keyed_and_not_alphabetical():
    names = [f"{chr(65 + i)}. Example" for i in range(26)]
    plain = pseudonyms(names)
    assert plain == pseudonyms(reversed(names)) and sorted(plain.values()) == [f"Learner {i:02d}" for i in range(1, 27)]
    assert [plain[n] for n in names] != sorted(plain.values())  # numbering does not follow the alphabet
    assert pseudonyms(names, key="room 4 secret") != plain  # a private key gives a mapping others cannot rebuild
    assert set(pseudonyms([f"n{i}" for i in range(120)]).values()) == {f"Learner {i:03d}" for i in range(1, 121)}
