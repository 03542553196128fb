"""The class's records to the clinic's Learning Record Store, as they arrive (only when ``STEMTRAIN_LRS_URL`` is set).

Each answer the service keeps for the first time becomes an xAPI "answered" statement; the answer that completes a
module adds "completed" for the module (and for the course, when it was the last module); an assessment result adds
"passed" or "failed". Statements go on the background sender's queue, so a learner never waits for the LRS, and
their ids are stable, so a statement sent twice is stored once.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Mapping
from typing import Any

from ..interop.lrs import XapiSender
from ..interop.xapi import XapiOptions, assessment_statement, statements
from ..records import Attempt

__all__ = ["XapiRelay", "relay_from_environment"]


def relay_from_environment(ledger: Any, course: Any = None, env: Mapping[str, str] | None = None) -> XapiRelay | None:
    """A relay when the environment names an LRS, else None (the service then sends nothing anywhere)."""
    env = os.environ if env is None else env
    url = env.get("STEMTRAIN_LRS_URL", "")
    if not url:
        return None
    options = XapiOptions(
        activity_base=env.get("STEMTRAIN_XAPI_ACTIVITY_BASE", XapiOptions.activity_base),
        home_page=env.get("STEMTRAIN_XAPI_HOME_PAGE", XapiOptions.home_page),
    )
    sender = XapiSender(url, env.get("STEMTRAIN_LRS_USER", ""), env.get("STEMTRAIN_LRS_PASSWORD", ""))
    return XapiRelay(sender, ledger, course, options)


class XapiRelay:
    """Turns what the service keeps into statements for ``sender``; ``close()`` sends what is still queued."""

    def __init__(self, sender: XapiSender, ledger: Any, course: Any = None, options: XapiOptions | None = None) -> None:
        self.sender = sender
        self._ledger = ledger
        self._course = course
        self._options = options or XapiOptions()
        self._lock = threading.Lock()

    def _banks(self) -> Mapping[str, Any]:
        with self._lock:
            if self._course is None:
                from ..content import load_course

                self._course = load_course()
            banks: Mapping[str, Any] = self._course.banks
            return banks

    def answered(self, kept: Attempt) -> None:
        """A newly kept answer: its statement, and completion when this answer finished a module (or the course)."""
        banks = self._banks()
        found = statements([kept], banks, self._options)
        for statement in found[:1]:  # the "answered" statement itself
            self.sender.send(statement)
        if kept.attempt != 1 or kept.module not in banks:
            return  # only a first answer to a question can complete a module
        mine = self._ledger.attempts(kept.learner)
        before = [a for a in mine if a.event_id != kept.event_id]
        now_done, before_done = self._complete(mine, banks), self._complete(before, banks)
        if kept.module not in now_done or kept.module in before_done:
            return
        targets = {f"{self._options.activity_base}modules/{kept.module}"}
        if set(banks) <= now_done:
            targets.add(f"{self._options.activity_base}course")
        for statement in statements(mine, banks, self._options):
            if statement["verb"]["id"].endswith("/completed") and statement["object"]["id"] in targets:
                self.sender.send(statement)

    @staticmethod
    def _complete(attempts: list[Attempt], banks: Mapping[str, Any]) -> set[str]:
        answered: dict[str, set[str]] = {}
        for a in attempts:
            answered.setdefault(a.module, set()).add(a.question_id)
        return {
            module
            for module, bank in banks.items()
            if {sub.id for sub in bank.by_id.values() if sub.type != "case"} <= answered.get(module, set())
        }

    def assessed(self, learner: str, assessment: str, scaled: float, passed: bool, when: str) -> None:
        """An assessment result (``scaled`` 0–1): "passed" or "failed" for ``assessments/<assessment>``."""
        self.sender.send(assessment_statement(learner, assessment, scaled, passed, when, options=self._options))

    def close(self, timeout: float = 30.0) -> bool:
        return self.sender.close(timeout=timeout)
