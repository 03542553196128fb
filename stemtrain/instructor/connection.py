"""Where the instructor's class is and the token that opens it, found the same way by the CLI and the notebooks.

The token is, in this order: the one given (``--token``), ``STEMTRAIN_INSTRUCTOR_TOKEN``, the
``instructor.json`` that ``stemtrain class serve`` wrote in its data folder (``--data-dir``, else
``STEMTRAIN_CLASS_DATA``, else ``~/.local/share/stemtrain-class``), or under JupyterHub the instructor's own
``JUPYTERHUB_API_TOKEN`` (the service makes members of its instructor group instructors). Tokens are never
printed and never put in a URL. ``STEMTRAIN_CLASS_PAGE_URL`` is the address a browser uses for the same service
when it differs (under a hub: ``/services/stemtrain-class/`` on the hub's own address).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

__all__ = ["ClassConnection", "instructor_connection"]


@dataclass(frozen=True)
class ClassConnection:
    """A class service address and the instructor's token for it (the token is left out of ``repr``)."""

    url: str
    token: str
    page_url: str = ""

    def __repr__(self) -> str:
        return f"ClassConnection(url={self.url!r}, token=<hidden>)"


def _state(data_dir: str | Path | None) -> dict[str, object]:
    from ..classroom.config import default_data_dir, read_state

    return read_state(Path(data_dir).expanduser() if data_dir else default_data_dir())


def instructor_connection(
    url: str | None = None,
    token: str | None = None,
    *,
    data_dir: str | Path | None = None,
    env: Mapping[str, str] | None = None,
) -> ClassConnection:
    """The service at ``url`` (else ``STEMTRAIN_CLASS_URL``) with the instructor's token; ``ValueError`` says what is missing."""
    env = os.environ if env is None else env
    where = (url or env.get("STEMTRAIN_CLASS_URL", "")).strip()
    if not where.startswith(("http://", "https://")):
        raise ValueError(
            "no class service address: give it (e.g. --service http://127.0.0.1:8765/) or set STEMTRAIN_CLASS_URL"
            if not where
            else f"{where}: a class service address starts with http:// or https://"
        )
    where = where.rstrip("/") + "/"
    found = (token or env.get("STEMTRAIN_INSTRUCTOR_TOKEN", "")).strip()
    if not found:
        saved = _state(data_dir).get("instructor_token")
        found = saved if isinstance(saved, str) else ""
    found = found or env.get("JUPYTERHUB_API_TOKEN", "").strip()
    if not found:
        raise ValueError(
            f"{where}: no instructor token. Give --token, set STEMTRAIN_INSTRUCTOR_TOKEN, or run this where "
            "'stemtrain class serve' keeps its instructor.json (--data-dir)."
        )
    page = env.get("STEMTRAIN_CLASS_PAGE_URL", "").strip()
    return ClassConnection(where, found, page.rstrip("/") + "/" if page else where)
