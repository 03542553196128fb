"""Tests for stemtrain.figures: every teaching figure is titled, described, labelled, deterministic and pyplot-free."""

from __future__ import annotations

import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import matplotlib
import pytest
from matplotlib.figure import Figure
from matplotlib.text import Text

from stemtrain.figures import (
    TeachingFigure,
    draw_isct_check,
    draw_needle_path,
    draw_pfirrmann,
    evidence_map,
    guidance_comparison,
    harvest_sites,
    herniation_types,
    isct_check_explorer,
    isct_verdict,
    lineage_diagram,
    motion_segment,
    needle_path_explorer,
    needle_path_result,
    numbered_anatomy,
    pfirrmann_explorer,
    responder_rates,
    source_comparison,
)

ROOT = Path(__file__).resolve().parents[1]
FIGURES_DIR = ROOT / "stemtrain" / "figures"
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
PASSING = {"cd105": 98.0, "cd73": 99.0, "cd90": 97.0, "cd45": 1.0, "cd34": 0.5, "hla_dr": 0.5}

FIGURES: dict[str, Callable[[], TeachingFigure]] = {
    "motion_segment": motion_segment,
    **{f"draw_pfirrmann({g})": (lambda g=g: draw_pfirrmann(g)) for g in range(1, 6)},
    "herniation_types": herniation_types,
    "lineage_diagram": lineage_diagram,
    "draw_isct_check(pass)": lambda: draw_isct_check(**PASSING)[0],
    "draw_isct_check(fail)": lambda: draw_isct_check(90, 99, 97, 5, 0.5, 40, False, False)[0],
    "source_comparison": source_comparison,
    "harvest_sites": harvest_sites,
    "evidence_map": evidence_map,
    "draw_needle_path(40, 8)": lambda: draw_needle_path(40, 8),
    "draw_needle_path(0, 0)": lambda: draw_needle_path(0, 0),
    "draw_needle_path(60, -12)": lambda: draw_needle_path(60, -12),
    "guidance_comparison": guidance_comparison,
    "numbered_anatomy": numbered_anatomy,
    "responder_rates": responder_rates,
}
SCHEMATICS = ["motion_segment", "draw_pfirrmann(3)", "herniation_types", "harvest_sites", "draw_needle_path(40, 8)", "numbered_anatomy"]


def _texts(fig: Figure) -> list[str]:
    """Every non-empty text drawn on a figure."""
    return [t.get_text() for t in fig.findobj(Text) if t.get_text().strip()]


@pytest.fixture(scope="module")
def drawn() -> dict[str, tuple[TeachingFigure, bytes, bytes]]:
    """Each figure drawn twice, once per test module: the figure, and the PNG of each drawing (for determinism)."""
    before = dict(matplotlib.rcParams)
    out = {}
    for name, make in FIGURES.items():
        first = make()
        out[name] = (first, first.to_png(), make().to_png())
    assert matplotlib.rcParams["axes.spines.top"] == before["axes.spines.top"]
    assert matplotlib.rcParams["axes.prop_cycle"] == before["axes.prop_cycle"]
    return out


@pytest.mark.parametrize("name", list(FIGURES))
def test_figure_is_titled_and_described(name: str, drawn) -> None:
    tf = drawn[name][0]
    assert isinstance(tf, TeachingFigure)
    assert isinstance(tf.figure, Figure)
    assert tf.title.strip() and len(tf.description) > 80
    shown = [tf.figure.get_suptitle()] + [ax.get_title() for ax in tf.figure.axes]
    assert tf.title in shown


@pytest.mark.parametrize("name", list(FIGURES))
def test_every_axes_is_labelled(name: str, drawn) -> None:
    fig = drawn[name][0].figure
    assert fig.axes
    for ax in fig.axes:
        if ax.axison:  # a plot with data axes: at least one axis label
            assert ax.get_xlabel() or ax.get_ylabel(), f"unlabelled axes in {name}"
        else:  # a diagram: labelled parts
            assert any(t.get_text().strip() for t in ax.texts) or ax.get_title(), f"unlabelled diagram in {name}"


@pytest.mark.parametrize("name", list(FIGURES))
def test_png_is_deterministic(name: str, drawn) -> None:
    _, first, second = drawn[name]
    assert first.startswith(PNG_MAGIC)
    assert first == second


@pytest.mark.parametrize("name", SCHEMATICS)
def test_schematics_say_so_on_the_figure(name: str, drawn) -> None:
    texts = " ".join(_texts(drawn[name][0].figure)).lower()
    assert "schematic" in texts and ("not to scale" in texts or "not a procedure guide" in texts)


def test_figures_leave_no_pyplot_state_or_global_style(drawn) -> None:
    assert drawn  # drawing them all left rcParams as they were (checked in the fixture)
    assert "matplotlib.pyplot" not in sys.modules or not sys.modules["matplotlib.pyplot"].get_fignums()


def test_course_style_is_applied() -> None:
    fig = responder_rates().figure
    ax = fig.axes[0]
    assert not ax.spines["top"].get_visible() and not ax.spines["right"].get_visible()
    assert tuple(fig.get_size_inches()) == (7.5, 4.6)


def test_sources_never_use_pyplot() -> None:
    for path in FIGURES_DIR.glob("*.py"):
        source = path.read_text(encoding="utf-8")
        assert not re.search(r"^\s*(import|from)\s+matplotlib(\.pyplot|\s+import\s+.*\bpyplot\b)", source, re.M), path.name
        assert "import pylab" not in source, path.name
        assert not re.search(r"\bplt\.", source), path.name
        assert ".show(" not in source, path.name


# ISCT 2006 minimal criteria (evidence fact 1).


def test_isct_passing_population() -> None:
    ok, reasons = isct_verdict(**PASSING)
    assert ok and reasons == []


def test_isct_low_cd105_fails_and_names_it() -> None:
    ok, reasons = isct_verdict(**{**PASSING, "cd105": 90.0})
    assert not ok
    assert len(reasons) == 1 and "CD105" in reasons[0]


def test_isct_high_cd45_fails() -> None:
    ok, reasons = isct_verdict(**{**PASSING, "cd45": 5.0})
    assert not ok and any("CD45" in r for r in reasons)


def test_isct_thresholds_are_inclusive() -> None:
    assert isct_verdict(95, 95, 95, 2, 2, 2)[0]


def test_isct_non_adherent_fails() -> None:
    ok, reasons = isct_verdict(**PASSING, plastic_adherent=False)
    assert not ok and any("plastic" in r for r in reasons)


def test_isct_without_trilineage_fails() -> None:
    ok, reasons = isct_verdict(**PASSING, trilineage=False)
    assert not ok and any("bone, fat and cartilage" in r for r in reasons)


def test_isct_rejects_impossible_percentages() -> None:
    with pytest.raises(ValueError, match="CD73"):
        isct_verdict(**{**PASSING, "cd73": 120.0})


def test_draw_isct_check_returns_reasons_and_states_criteria_are_not_potency() -> None:
    tf, reasons = draw_isct_check(**{**PASSING, "cd105": 90.0})
    assert reasons == isct_verdict(**{**PASSING, "cd105": 90.0})[1]
    assert tf.description.startswith("Does not meet the ISCT 2006 minimal criteria.")
    assert "does not show that they work as a treatment" in tf.description
    passing, _ = draw_isct_check(**PASSING)
    assert passing.description.startswith("Meets the ISCT 2006 minimal criteria.")
    assert "does not show that they work as a treatment" in passing.description


# Needle geometry (schematic).


def test_needle_posterolateral_path_reaches_centre() -> None:
    result = needle_path_result(40, 8)
    assert result["reaches_centre"] is True
    assert result["blocked_by"] == []
    assert "spinal canal (nerves)" not in result["passes"]


def test_needle_midline_path_hits_spinal_canal() -> None:
    result = needle_path_result(0, 0)
    assert result["reaches_centre"] is False
    assert "spinal canal (nerves)" in result["passes"]


def test_needle_path_is_symmetric() -> None:
    assert needle_path_result(40, -8)["reaches_centre"] is True


def test_needle_too_medial_hits_facet_bone() -> None:
    result = needle_path_result(34, 6)
    assert result["reaches_centre"] is False
    assert any("articular process" in name for name in result["blocked_by"])


def test_needle_too_shallow_misses_centre() -> None:
    result = needle_path_result(30, 8)
    assert result["reaches_centre"] is False and result["miss_cm"] > 0.5


# Interactive explorers.


def test_pfirrmann_explorer_redraws() -> None:
    view = pfirrmann_explorer()
    assert repr(view) == "Interactive figure: Pfirrmann grade explorer. Choose Run > Run All Cells to use its controls."
    assert view.control.description == "Pfirrmann grade" and view.control.value == 1
    assert (view.control.min, view.control.max) == (1, 5)
    assert view.image.alt == draw_pfirrmann(1).title and "stemtrain-explorer" in view._dom_classes
    image, caption = view.image.value, view.image.caption
    assert image == draw_pfirrmann(1).to_png()
    view.control.value = 4
    assert view.image.value != image and view.image.caption != caption
    assert "grade 4" in view.image.caption
    assert view.children[1] is view.image and view.children[0].children == (view.control,)


def test_isct_explorer_redraws_with_verdict() -> None:
    view = isct_check_explorer()
    assert repr(view) == "Interactive figure: ISCT criteria check. Choose Run > Run All Cells to use its controls."
    assert all(w.description for w in view.controls.values())
    assert "Meets the ISCT 2006 minimal criteria" in view.image.caption
    assert "does not show that they work as a treatment" in view.image.caption
    image = view.image.value
    view.controls["cd105"].value = 90.0
    assert view.image.value != image
    assert "Does not meet" in view.image.caption and "CD105" in view.image.caption
    assert "does not show that they work as a treatment" in view.image.caption
    view.controls["cd105"].value = 98.0
    view.controls["plastic_adherent"].value = False
    assert "stick to plastic" in view.image.caption


def test_needle_explorer_redraws() -> None:
    view = needle_path_explorer()
    assert repr(view) == "Interactive figure: Needle path explorer. Choose Run > Run All Cells to use its controls."
    image, caption = view.image.value, view.image.caption
    view.controls["angle_deg"].value = 0
    view.controls["offset_cm"].value = 0.0
    assert view.image.value != image and view.image.caption != caption
    assert "spinal canal" in view.image.caption


def test_interactive_figure_escapes_caption_and_needs_description() -> None:
    import ipywidgets

    from stemtrain.figures import InteractiveFigure

    def draw(value: int) -> TeachingFigure:
        tf = draw_pfirrmann(value)
        return TeachingFigure(tf.figure, tf.title, f"<b>grade {value}</b> & more")

    view = InteractiveFigure(draw, ipywidgets.IntSlider(value=2, min=1, max=5, description="Grade"), "test")
    assert view.image.caption == "<p>&lt;b&gt;grade 2&lt;/b&gt; &amp; more</p>"
    with pytest.raises(ValueError, match="description"):
        InteractiveFigure(draw, ipywidgets.IntSlider(value=2, min=1, max=5), "no label")


def test_numbered_anatomy_shows_numbers_only() -> None:
    tf = numbered_anatomy()
    assert isinstance(tf, TeachingFigure)
    assert tf.title == "One lumbar level seen from above: name the numbered structures"
    assert tf.to_png() == numbered_anatomy().to_png()
    drawn = _texts(tf.figure)
    assert [t for t in drawn if t.isdigit()] == ["1", "2", "3", "4", "5"]
    names = ("pedicle", "articular", "disc", "nerve", "canal")
    for text in [*drawn, tf.description.lower()]:
        assert not any(n in text.lower() for n in names), text
    assert "five numbered structures" in tf.description


def test_static_figures_come_from_the_disk_cache_unchanged(tmp_path, monkeypatch):
    import importlib
    import sys

    from stemtrain.figures import make

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    first = make("spine.motion_segment")
    assert len(list((tmp_path / "stemtrain" / "figures").glob("*.json"))) == 1  # drawn, then stored
    second = make("spine.motion_segment")
    assert (second.to_png(), second.title, second.description) == (first.to_png(), first.title, first.description)
    assert first.to_png()[:8] == b"\x89PNG\r\n\x1a\n"
    monkeypatch.setitem(sys.modules, "stemtrain.figures.spine", None)  # importing the drawing module would now fail
    assert make("spine.motion_segment").to_png() == first.to_png()
    importlib.invalidate_caches()


def test_a_warm_module_opens_without_importing_matplotlib(tmp_path):
    import sys

    code = (
        "import sys\n"
        "from stemtrain.figures import make\n"
        "for name in ('spine.motion_segment', 'spine.pfirrmann_explorer', 'cells.isct_check_explorer',"
        " 'delivery.needle_path_explorer'):\n"
        "    make(name)\n"
        "print('matplotlib' in sys.modules)\n"
    )
    env = {"XDG_CACHE_HOME": str(tmp_path), "PATH": "/usr/bin:/bin", "HOME": str(tmp_path)}
    cold = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=120)
    warm = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=120)
    assert cold.stdout.strip() == "True", cold.stderr  # first time: drawn with matplotlib, then cached
    assert warm.stdout.strip() == "False", warm.stderr
