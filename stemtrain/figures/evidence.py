"""Module 06 figure: what the sham-controlled trials found."""

from __future__ import annotations

from .base import OKABE_ITO, TeachingFigure, new_figure, styled

__all__ = ["responder_rates"]

# Fact 35 (RESPINE, Ann Rheum Dis 2024): responders at 12 months, 58 MSC vs 56 sham, p=0.77.
RESPINE_RESPONDERS = {"Stem cell (MSC)\ninjection": (74, 58), "Sham (pretend)\nprocedure": (69, 56)}
RESPINE_P = 0.77


@styled
def responder_rates() -> TeachingFigure:
    """Show that people improved almost as often after a sham procedure as after MSCs (facts 33, 35, 36)."""
    title = "Sham-controlled trials: no clear benefit of MSCs"
    fig = new_figure(7.5, 4.6)
    fig.suptitle(title)
    ax, notes = fig.subplots(1, 2, width_ratios=[1.0, 1.0])

    labels = list(RESPINE_RESPONDERS)
    values = [RESPINE_RESPONDERS[k][0] for k in labels]
    styles = [(OKABE_ITO["blue"], None), (OKABE_ITO["orange"], "//")]
    for i, (value, (colour, hatch)) in enumerate(zip(values, styles, strict=False)):
        ax.bar(i, value, width=0.6, color=colour, hatch=hatch, edgecolor="#222222", lw=1.0)
        n = RESPINE_RESPONDERS[labels[i]][1]
        ax.text(i, value + 1.5, f"{value}%", ha="center", va="bottom", fontsize=11, fontweight="bold")
        ax.text(
            i,
            4,
            f"{n} people",
            ha="center",
            va="bottom",
            fontsize=9.5,
            color="white" if hatch is None else "#222222",
            bbox=None if hatch is None else {"facecolor": "white", "edgecolor": "none", "pad": 1},
        )
    ax.plot([0, 0, 1, 1], [84, 88, 88, 84], color="#222222", lw=1.0)
    ax.text(0.5, 89.5, f"difference could be chance (p = {RESPINE_P})", ha="center", va="bottom", fontsize=9.5)
    ax.set_xticks(range(len(labels)), labels)
    ax.set_ylim(0, 100)
    ax.set_xlim(-0.6, 1.6)
    ax.set_ylabel("Responders at 12 months (%)")
    ax.set_xlabel("RESPINE trial group (114 people)")
    ax.set_title("RESPINE: who improved by a set amount", fontsize=11)

    notes.set_axis_off()
    notes.set_xlim(0, 1)
    notes.set_ylim(0, 1)
    notes.set_title("The other sham-controlled trials", fontsize=11)
    blocks = [
        (
            "Mesoblast phase 3 (404 people)",  # fact 33
            "Main goal (less pain and better\nfunction at 12 and 24 months) not\nmet, by the company's own account.\n"
            "Overall rates are not given in\nour sources, so none are drawn.",
        ),
        (
            "DREAM (52 people)",  # fact 36
            "Pain, function and quality of life\nimproved about equally with cells\nand with sham.",
        ),
    ]
    y = 0.92
    for head, body in blocks:
        notes.text(0.02, y, "\u2717 " + head, fontsize=10.5, fontweight="bold", va="top")
        notes.text(0.07, y - 0.09, body, fontsize=10, va="top", linespacing=1.25)
        y -= 0.44
    notes.text(
        0.02,
        0.06,
        "Many people improve after a sham procedure\ntoo, so a control group is essential.",
        fontsize=9.5,
        style="italic",
        va="bottom",
    )  # fact 35 teaching point

    description = (
        "Bar chart from the RESPINE trial (114 people): 74% of people who had the stem cell (MSC) injection and "
        "69% of people who had a sham (pretend) procedure were responders at 12 months; the difference could be "
        "chance (p = 0.77). Beside it: in the Mesoblast phase 3 trial (404 people) the main goal, less pain and "
        "better function at both 12 and 24 months, was not met, by the company's own account; overall rates are not "
        "given in our sources, so "
        "none are drawn. In the DREAM trial (52 people), pain, function and quality of life improved about "
        "equally with cells and with sham. Many people improve after a sham procedure too, which is why a "
        "control group is essential."
    )
    return TeachingFigure(fig, title, description)
