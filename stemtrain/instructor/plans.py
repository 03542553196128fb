"""Session plans for 60, 90 and 120 minutes: which module sections, for how long, with which live questions.

Plans are data, checked by the tests against the course itself: every section is a ``##`` heading of its
module's notebook, every live question is a pushable (choice) question of that module's bank, and the steps
add up to the session's length. The discussion prompts and misconceptions are in the session-guide notebook,
beside the evidence they rest on.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["PLANS", "Plan", "Step"]


@dataclass(frozen=True)
class Step:
    """One block of a session: ``minutes`` on ``section`` of ``module`` (None: no module, e.g. an exercise of your own)."""

    minutes: int
    module: str | None
    section: str
    activity: str
    live: tuple[str, ...] = ()


@dataclass(frozen=True)
class Plan:
    minutes: int
    title: str
    aim: str
    steps: tuple[Step, ...]

    def live_questions(self) -> tuple[str, ...]:
        return tuple(q for step in self.steps for q in step.live)


M00, M01, M02, M03, M04, M05, M06 = (
    "00-start-here",
    "01-back-pain-and-the-spine",
    "02-what-are-mscs",
    "03-msc-sources",
    "04-therapeutic-applications",
    "05-image-guided-delivery",
    "06-evidence-regulation-and-patients",
)

_JOIN = Step(
    5,
    M00,
    "How notebooks and quizzes work",
    "Everyone joins the class and opens the course; check that each live panel says it is connected.",
)
_WHY = Step(
    10,
    M00,
    "Why this course exists",
    "Ask what patients have already asked the group. Push the two questions, discuss the spread of answers, then reveal.",
    ("start-investigational", "start-ryoncil-indication"),
)
_RED_FLAGS = Step(
    10,
    M01,
    "Red flags: when back pain is an emergency",
    "Walk through the warning signs and who does what at your clinic; run the case parts live.",
    ("spine-ces-case-signs", "spine-ces-case-action"),
)
_COMPARISON = Step(
    15,
    M06,
    "Reading a study: why the comparison group matters",
    "Explain why 69% of a sham group can improve. Push the questions after the three kinds of study.",
    ("evidence-heterogeneity", "evidence-subgroup-opioid"),
)
_NAMES = Step(
    10,
    M02,
    "What's in a name?",
    "Why 'stem' makes patients picture new tissue; collect the words the group hears at the front desk.",
    ("msc-caplan-rename", "msc-robey-critique"),
)
_AFTERCARE = Step(
    10,
    M05,
    "What staff watch for after the injection",
    "Who takes the call about a fever after an injection, and what they do the same day.",
    ("deliver-warning-signs", "deliver-case-fever-action"),
)
_KEY_POINTS = Step(5, M06, "Key points", "Read the key points aloud; point to the modules learners finish on their own.")

PLANS: dict[int, Plan] = {
    60: Plan(
        60,
        "What MSC therapy is, and what we can say to patients",
        "Staff can say that MSC therapy for back pain is investigational, spot an emergency, and answer the common questions.",
        (
            _JOIN,
            _WHY,
            _RED_FLAGS,
            _COMPARISON,
            Step(
                15,
                M06,
                "Practice: four patient conversations",
                "Pairs role-play one conversation each; then push the best-reply parts and discuss why the others fall short.",
                ("talk-own-fat-reply", "talk-fda-registered-reply"),
            ),
            _KEY_POINTS,
        ),
    ),
    90: Plan(
        90,
        "The evidence, the rules and the patient conversation",
        "As the 60-minute session, plus the words patients hear, what to watch for after an injection and the red flags of a clinic.",
        (
            _JOIN,
            _WHY,
            _RED_FLAGS,
            _NAMES,
            _AFTERCARE,
            _COMPARISON,
            Step(
                10,
                M06,
                "Red flags of an unproven clinic",
                "Look at a (made-up) clinic advert together and list its red flags before pushing the question.",
                ("reg-red-flags", "reg-approved-abroad"),
            ),
            Step(
                15,
                M06,
                "Practice: four patient conversations",
                "Role-play in pairs; push the reply parts one by one and discuss the choices.",
                ("talk-own-fat-reply", "talk-fda-registered-reply", "talk-neighbour-reply"),
            ),
            _KEY_POINTS,
        ),
    ),
    120: Plan(
        120,
        "The whole story, from cells to consent",
        "As the 90-minute session, plus where the cells come from, why sham groups improve, approvals and reporting side effects.",
        (
            _JOIN,
            _WHY,
            _RED_FLAGS,
            _NAMES,
            Step(
                10,
                M03,
                "What is really in the vial? Independent tests of birth-tissue products",
                "What the laboratory tests of a few products found, and what they did not show.",
                ("source-birth-tissue-report", "source-outbreak-lessons"),
            ),
            Step(
                10,
                M04,
                "Why sham groups improve, and where positive numbers come from",
                "Placebo, natural history and regression to the mean in the group's own words; then subgroup headlines.",
                ("apply-sham-why", "apply-subgroup-headline"),
            ),
            _AFTERCARE,
            _COMPARISON,
            Step(
                10,
                M06,
                "What the FDA has and has not approved",
                "What Ryoncil is approved for, and why approval elsewhere for another condition is not approval for back pain.",
                ("reg-ryoncil-leaflet", "reg-approved-abroad"),
            ),
            Step(
                10,
                M06,
                "How to report a suspected side effect",
                "Where a report goes in a trial, in the US, the UK and the EU; then the clinic red flags. A short break fits after this.",
                ("reg-report-adverse-event", "reg-red-flags"),
            ),
            Step(
                15,
                M06,
                "Practice: four patient conversations",
                "Role-play the four conversations in pairs; push each reply part and discuss.",
                ("talk-own-fat-reply", "talk-fda-registered-reply", "talk-surgery-reply", "talk-neighbour-reply"),
            ),
            _KEY_POINTS,
        ),
    ),
}
