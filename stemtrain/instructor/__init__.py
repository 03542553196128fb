"""The instructor's toolkit: where the class is (``connection``), reading it (``sources``), the dashboard and the
session guide the instructor notebooks call. Above the class service in the layers: it may read the service's
own state file (``instructor.json``) for the token, and it never runs on a learner's page.
"""

from __future__ import annotations

__all__: list[str] = []
