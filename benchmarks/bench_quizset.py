"""Building a 50-question quiz set against 50 plain ipywidgets question boxes.

Target: within 1.5x. Run: python benchmarks/bench_quizset.py
"""

from __future__ import annotations

import ipywidgets as w
from ratio import paired

from stemtrain.content.loader import load_course
from stemtrain.quiz.grading import local_checker
from stemtrain.quiz.views import QuizSetView


def plain_boxes(n: int) -> w.VBox:
    """What a hand-written notebook quiz would build: prompt, radio buttons, a button, a feedback area."""
    return w.VBox(
        [
            w.VBox(
                [
                    w.HTML(f"<p>Question {i}</p>"),
                    w.RadioButtons(options=["a", "b", "c", "d"], value=None),
                    w.Button(description="Check"),
                    w.HTML(""),
                ]
            )
            for i in range(n)
        ]
    )


def main() -> int:
    course = load_course()
    checker = local_checker({qid: key for bank in course.banks.values() for qid, key in bank.keys.items()})
    singles = [q for bank in course.banks.values() for q in bank.questions if q.type == "single_choice"]
    questions = (singles * (50 // len(singles) + 1))[:50]
    plain_boxes(5)  # warm up widget classes
    QuizSetView(questions[:5], references=course.references, checker=checker)
    median, low, ours, base = paired(lambda: QuizSetView(questions, references=course.references, checker=checker), lambda: plain_boxes(50))
    print(f"50 plain boxes: {base * 1000:.0f} ms; 50-question QuizSetView: {ours * 1000:.0f} ms; ratio {median:.2f} (min {low:.2f})")
    print("target: ratio <= 1.5")
    return 0 if median <= 1.5 else 1


if __name__ == "__main__":
    raise SystemExit(main())
