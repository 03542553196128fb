"""Building a 50-question quiz set against 50 plain ipywidgets question boxes.

Target: within 1.5x. Run: python benchmarks/bench_quizset.py
"""

from __future__ import annotations

import statistics
import time

import ipywidgets as w
from stemtrain.quiz.view import QuizSetView

from stemtrain.content.loader import load_course


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


def timed(make, runs: int = 9) -> float:
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        make()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def main() -> int:
    course = load_course()
    singles = [q for bank in course.banks.values() for q in bank.questions if q.type == "single_choice"]
    questions = (singles * (50 // len(singles) + 1))[:50]
    plain_boxes(5)  # warm up widget classes
    QuizSetView(questions[:5], references=course.references)
    base = timed(lambda: plain_boxes(50))
    ours = timed(lambda: QuizSetView(questions, references=course.references))
    print(f"50 plain boxes: {base * 1000:.0f} ms; 50-question QuizSetView: {ours * 1000:.0f} ms; ratio {ours / base:.2f} (target <= 1.5)")
    return 0 if ours / base <= 1.5 else 1


if __name__ == "__main__":
    raise SystemExit(main())
