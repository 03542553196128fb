"""The API, one router per area: ``health`` (who am I, is it up), ``room`` (joining), ``records`` (a learner's own
answers and profile), ``roster`` (the instructor's view of the class). Later areas (the final assessment,
certificates, a live poll) each add a router here and a line in ``app.py``.
"""

from __future__ import annotations

__all__: list[str] = []
