"""In a class, the final assessment is the class service's: this kernel asks it for the form and sends each response.

The kernel holds the public items and the learner's own responses, nothing else: the pool, its keys and the
clock stay in the service, which grades the form when it is submitted. Standard library only (through the
learner's ``ServiceStore``, so the token and the address are the ones the learner's answers use).
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from ..records.errors import StoreError
from .attempt import AssessmentError, AttemptForm, Overview

__all__ = ["ServiceExaminer"]


def _detail(data: Any) -> tuple[str, str]:
    """The service's sentence and the field it names."""
    if not isinstance(data, dict):
        return str(data), ""
    errors = data.get("errors") or []
    field = str(errors[0].get("field", "")) if errors and isinstance(errors[0], dict) else ""
    return str(data.get("detail", data)), field


class ServiceExaminer:
    """The ``Examiner`` of a learner in a class: every step is a request to the class service."""

    mode = "class"

    def __init__(self, store: Any) -> None:
        self.store = store
        self.notice = ""

    def _ask(self, method: str, path: str, body: Any = None, *, doing: str) -> Any:
        try:
            status, data = self.store.call(method, path, body)
        except StoreError as exc:
            raise AssessmentError(
                f"The class service is not answering, so {doing} failed; try again in a moment. ({exc})", kind="unavailable"
            ) from None
        if 200 <= status < 300:
            return data
        detail, field = _detail(data)
        if status == 409:
            kind = "closed" if field in ("deadline", "attempt") else "refused"
        elif status in (404, 422):
            kind = "invalid"
        elif status == 503 and "not set up" in detail:
            kind = "missing"
        elif status >= 500 or status == 429:
            kind = "unavailable"
        else:
            kind = "refused"
        raise AssessmentError(f"{detail}", kind=kind, field=field)

    def overview(self) -> Overview:
        return Overview.from_dict(self._ask("GET", "api/assessment", doing="reading the final assessment's rules"))

    def start(self) -> AttemptForm:
        return AttemptForm.from_dict(self._ask("POST", "api/assessment/attempts", {}, doing="starting the final assessment"))

    def form(self, attempt_id: int) -> AttemptForm:
        return AttemptForm.from_dict(self._ask("GET", f"api/assessment/attempts/{attempt_id}", doing="reading your attempt"))

    def save(self, attempt_id: int, question_id: str, response: Any) -> None:
        path = f"api/assessment/attempts/{attempt_id}/responses/{quote(question_id, safe='')}"
        self._ask("PUT", path, {"response": response}, doing="saving your answer")

    def submit(self, attempt_id: int) -> AttemptForm:
        return AttemptForm.from_dict(self._ask("POST", f"api/assessment/attempts/{attempt_id}/submit", {}, doing="submitting your answers"))

    def certificate(self, attempt_id: int) -> bytes:
        try:
            status, data = self.store.download(f"api/assessment/attempts/{attempt_id}/certificate")
        except StoreError as exc:
            raise AssessmentError(
                f"The class service is not answering, so the certificate could not be fetched. ({exc})", kind="unavailable"
            ) from None
        if status == 200 and data.startswith(b"%PDF-"):
            return bytes(data)
        try:
            import json

            detail, field = _detail(json.loads(data))
        except ValueError:
            detail, field = data[:200].decode("utf-8", "replace"), ""
        raise AssessmentError(detail, kind="refused" if status in (403, 404, 409) else "unavailable", field=field)
