"""The final assessment's page: the rules, then the form, then the result, never a key.

The view talks to an ``Examiner`` (the class service's client, or the self-study runner) and holds only what
a learner may see: the public items, their own responses and, once the form is handed in, the result. Every
choice is saved the moment it is made; a choice that could not be saved is kept on the page and sent again
with the next one and before handing in. There is no feedback per question: the result comes after the whole
form is handed in, one line per objective, with links to the modules to revisit.
"""

from __future__ import annotations

import base64
import time
from collections.abc import Callable, Mapping
from typing import Any

import ipywidgets as w

from .assessment import SELF_STUDY_LABEL
from .assessment.attempt import AssessmentError, AttemptForm, Examiner, Overview, PublicItem
from .assessment.report import percent, result_html, verdict
from .frontend.controls import ChoiceGroup
from .markup import escape
from .quiz.render import prompt_html, status_html
from .quiz.views.style import html
from .widgets import PageBar

__all__ = ["AssessmentView"]

_TF = [("True", "true"), ("False", "false")]


def _button(text: str, on_click: Callable[[Any], None]) -> w.Button:
    """A button with a layout of its own (shown and hidden as the assessment goes on)."""
    made = w.Button(description=text, layout=w.Layout(width="auto"))
    made.on_click(on_click)
    return made


class _ItemBox(w.VBox):
    """One question of the form: its prompt, its choices and whether the choice is saved."""

    def __init__(self, item: PublicItem, number: int, total: int, on_pick: Callable[[_ItemBox], None]) -> None:
        self.item = item
        anchor = f"fa-q{number}"
        options = _TF if item.type == "true_false" else [(text, oid) for oid, text in item.options]
        legend = {"true_false": "True or false?", "multiple_select": "Select all that apply:"}.get(item.type, "Your answer:")
        self.choice = ChoiceGroup(options=options, multiple=item.type == "multiple_select", legend=legend, group=anchor, labelledby=anchor)
        self.saved = html("")
        self._quiet = False
        self.choice.observe(lambda _change: None if self._quiet else on_pick(self), "value")
        prompt = html(prompt_html(f"Question {number} of {total}", item.prompt, element_id=anchor))
        super().__init__(children=(prompt, self.choice, self.saved))
        self.add_class("stemtrain-question")

    def response(self) -> Any:
        value = self.choice.value
        if self.item.type == "true_false":
            return None if value is None else value == "true"
        if self.item.type == "multiple_select":
            return [oid for _, oid in self.choice.options if oid in (value or [])] or None
        return value

    def show(self, response: Any) -> None:
        """Put back a response kept by the examiner, without saving it again."""
        self._quiet = True
        try:
            if self.item.type == "true_false":
                self.choice.set(None if response is None else ("true" if response else "false"))
            else:
                self.choice.set(response)
        finally:
            self._quiet = False


class AssessmentView(w.VBox):
    """The whole assessment on one page."""

    def __init__(self, examiner: Examiner, *, module_titles: Mapping[str, str], objective_text: Callable[[str, int], str]) -> None:
        self.examiner = examiner
        self.titles = dict(module_titles)
        self.objective_text = objective_text
        self.rules = html("")
        self.notice = html("")
        self.start_button = _button("Start the assessment", self._start)
        self.items = w.VBox()
        self.progress = html("")
        self.hand_in = _button("Hand in my answers", self._ask_to_hand_in)
        self.confirm = html("")
        self.yes = _button("Yes, hand in now", self._hand_in)
        self.no = _button("Not yet", self._not_yet)
        self.finish = w.VBox()
        self.outcome = html("")
        self.revisit = PageBar(kind="bar", label="Modules to revisit")
        self.certificate = _button("Get my certificate (PDF)", self._certificate)
        self.download = html("")
        self.form: AttemptForm | None = None
        self.boxes: list[_ItemBox] = []
        self.unsaved: dict[str, Any] = {}
        self._clock_offset = 0.0
        self._text: list[str] = []
        self._attempt_passed = 0
        self._base: tuple[Any, ...] = (self.rules, self.notice, self.start_button, self.items, self.finish)
        super().__init__(children=(*self._base, self.outcome))
        self.add_class("stemtrain-assessment")
        self._overview()

    # --- what the page shows --------------------------------------------------------------------------
    def __repr__(self) -> str:
        return "\n".join(self._text)

    def _say(self, message: str, kind: str = "warning") -> None:
        self.notice.value = status_html(message, kind=kind)

    def _overview(self) -> None:
        try:
            view = self.examiner.overview()
        except AssessmentError as exc:
            self._say(str(exc))
            self.start_button.layout.display = "none"
            self._text = [f"The final assessment cannot be shown: {exc}"]
            return
        lines = self._rules(view)
        self.rules.value = "".join(f"<p>{escape(line)}</p>" for line in lines)
        self._text = lines
        self.start_button.layout.display = None
        if view.in_progress:
            self.start_button.description = "Continue your attempt"
        elif view.passed or view.attempts_left == 0:
            self.start_button.layout.display = "none"
        if view.last_result is not None and view.last_attempt is not None and view.in_progress is None:
            self._show_result(view.last_result, view.last_attempt)

    def _rules(self, view: Overview) -> list[str]:
        limit = f"You have {view.time_limit_minutes} minutes" if view.time_limit_minutes else "There is no time limit"
        where = (
            f"{SELF_STUDY_LABEL}: this assessment runs on your own computer and nobody supervises it."
            if view.mode == "self-study"
            else "The class service keeps the questions' answers and marks your form, by its own clock."
        )
        lines = [
            f"{view.title}: {view.questions} questions, drawn for you from the course's question pool.",
            f"{limit}, from the moment you start. The pass mark is {percent(view.pass_mark)}.",
            f"You may take it {view.max_attempts} times; you have used {view.attempts_used} and have {view.attempts_left} left.",
            "Each answer is saved as soon as you choose it. You see your result after you hand in the whole form.",
            where,
        ]
        if view.in_progress:
            lines.append("Your attempt is under way: continue it below.")
        elif view.passed:
            lines.append("You have passed. There is nothing more to take.")
        elif view.attempts_left == 0:
            lines.append("You have used every attempt. Talk to your instructor about what comes next.")
        return lines

    # --- taking the form ------------------------------------------------------------------------------
    def _start(self, _button: Any = None) -> None:
        try:
            self._show_form(self.examiner.start())
        except AssessmentError as exc:
            self._refused(exc)

    def _show_form(self, form: AttemptForm) -> None:
        self.form, self.unsaved = form, {}
        self.outcome.value, self.download.value = "", ""
        self.children = (*self._base, self.outcome)
        self._clock_offset = time.monotonic()
        total = len(form.items)
        self.boxes = [_ItemBox(item, n, total, self._picked) for n, item in enumerate(form.items, start=1)]
        for box in self.boxes:
            box.show(form.responses.get(box.item.id))
        self.start_button.layout.display = "none"
        self.items.children = tuple(self.boxes)
        self.finish.children = (self.progress, self.hand_in, self.confirm)
        self._text = [f"Attempt {form.number} of {form.max_attempts}: {total} questions."]
        self._text += [f"{n}. {box.item.prompt}" for n, box in enumerate(self.boxes, start=1)]
        if form.result is not None:
            self._closed_form(form)
            return
        self._count()

    def _seconds_left(self) -> float | None:
        left = self.form.seconds_left() if self.form else None
        return None if left is None else max(0.0, left - (time.monotonic() - self._clock_offset))

    def _count(self) -> None:
        answered = sum(1 for box in self.boxes if box.response() is not None)
        line = f"{answered} of {len(self.boxes)} answered."
        left = self._seconds_left()
        if left is not None and self.form is not None and self.form.deadline is not None:
            clock = "the class service's clock" if self.examiner.mode == "class" else "this computer's clock"
            end = self.form.deadline.strftime("%H:%M UTC")
            line += f" About {int(left // 60)} minutes left: the form is handed in at {end} by {clock}, with the answers saved by then."
        if self.unsaved:
            line += f" {len(self.unsaved)} answer(s) are not saved yet; they are sent again with your next choice."
        self.progress.value = f'<p class="stemtrain-score" role="status">{escape(line)}</p>'

    def _picked(self, box: _ItemBox) -> None:
        self.unsaved[box.item.id] = box.response()
        self.confirm.value, self.finish.children = "", (self.progress, self.hand_in, self.confirm)
        self._send_waiting()
        self._count()

    def _send_waiting(self) -> bool:
        """Send every answer not yet saved; True when none is left waiting."""
        assert self.form is not None
        for qid, response in list(self.unsaved.items()):
            box = next(b for b in self.boxes if b.item.id == qid)
            try:
                self.examiner.save(self.form.id, qid, response)
            except AssessmentError as exc:
                if exc.kind == "closed":
                    self._reload()
                    return False
                box.saved.value = status_html(f"Not saved yet: {exc}")
                if exc.kind == "invalid":
                    self.unsaved.pop(qid)
                continue
            self.unsaved.pop(qid)
            box.saved.value = '<p class="stemtrain-saved" role="status">Saved.</p>'
        return not self.unsaved

    def _ask_to_hand_in(self, _button: Any = None) -> None:
        missing = sum(1 for box in self.boxes if box.response() is None)
        gaps = f"{missing} question(s) have no answer and will score 0. " if missing else "Every question has an answer. "
        self.confirm.value = f'<p role="alert">{escape(gaps)}After handing in you cannot change any answer. Hand in now?</p>'
        self.finish.children = (self.progress, self.hand_in, self.confirm, w.HBox([self.yes, self.no]))

    def _not_yet(self, _button: Any = None) -> None:
        self.confirm.value, self.finish.children = "", (self.progress, self.hand_in, self.confirm)

    def _hand_in(self, _button: Any = None) -> None:
        assert self.form is not None
        if not self._send_waiting() and self.unsaved:
            self._say("Some answers could not be saved, so the form was not handed in. Try again in a moment.")
            self._count()
            return
        try:
            self._closed_form(self.examiner.submit(self.form.id))
        except AssessmentError as exc:
            self._refused(exc)

    def _reload(self) -> None:
        """The attempt closed under us (time up, handed in on another page): show it as the examiner has it."""
        assert self.form is not None
        try:
            self._show_form(self.examiner.form(self.form.id))
        except AssessmentError as exc:
            self._say(str(exc))

    def _refused(self, exc: AssessmentError) -> None:
        if exc.kind == "closed" and self.form is not None:
            self._reload()
        self._say(str(exc))

    def _closed_form(self, form: AttemptForm) -> None:
        self.form = form
        for box in self.boxes:
            box.choice.disabled = True
        self.finish.children = ()
        assert form.result is not None
        self._show_result(form.result, form.id)
        self._overview_rules_only()

    def _overview_rules_only(self) -> None:
        """The rules again after handing in (attempts used), and a button for the next attempt when one is allowed."""
        try:
            view = self.examiner.overview()
        except AssessmentError:
            return
        self.rules.value = "".join(f"<p>{escape(line)}</p>" for line in self._rules(view))
        if not view.passed and view.attempts_left > 0 and view.in_progress is None:
            self.start_button.description = f"Start attempt {view.attempts_used + 1} (a new set of questions)"
            self.start_button.layout.display = None

    # --- the result ------------------------------------------------------------------------------------
    def _show_result(self, result: Any, attempt_id: int) -> None:
        self.outcome.value = result_html(result, self.titles, self.objective_text)
        self.revisit.links = [
            {"kind": "revisit", "label": f"Revisit {self.titles.get(m, m)}", "file": f"{m}.ipynb", "hash": ""} for m in result.revisit
        ]
        extra: list[Any] = [self.revisit] if result.revisit else []
        if result.passed:
            self._attempt_passed = attempt_id
            extra.append(self.certificate)
            extra.append(self.download)
        self.children = (*self._base, self.outcome, *extra)
        self._text.append(verdict(result))

    def _certificate(self, _button: Any = None) -> None:
        try:
            pdf = self.examiner.certificate(self._attempt_passed)
        except AssessmentError as exc:
            self._say(str(exc))
            return
        data = base64.b64encode(pdf).decode("ascii")
        self.download.value = (
            f'<p><a class="stemtrain-button" download="stemtrain-certificate.pdf" href="data:application/pdf;base64,{data}">'
            "Save the certificate (PDF)</a> Your employer can check it with the code printed on it.</p>"
        )
