"""Which class service a learner's page talks to, and with which token, found as the learner's records are.

The address is ``STEMTRAIN_CLASS_URL``, else a service URL in ``STEMTRAIN_PROGRESS``, else the class joined
with ``stemtrain class join``: the order ``stemtrain.records.default_url`` uses for the learner's answers.
The token is ``STEMTRAIN_CLASS_TOKEN``, else the join file's token for that service, else the hub's
``JUPYTERHUB_API_TOKEN``. The browser may need another address for the same service
than the kernel (under JupyterHub the kernel may use an internal one): ``STEMTRAIN_CLASS_PAGE_URL`` gives it,
and may be a path on the page's own server (``/services/stemtrain/``).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass

__all__ = ["LearnerAccess", "learner_access"]


@dataclass(frozen=True)
class LearnerAccess:
    """Where the page calls (``page_url``) and the token it sends; ``url`` is empty when not in a class."""

    url: str
    page_url: str
    token: str

    def __repr__(self) -> str:
        return f"LearnerAccess(url={self.url!r}, page_url={self.page_url!r}, token=<hidden>)"


def _base(url: str) -> str:
    return url.rstrip("/") + "/" if url else ""


def learner_access(url: str | None = None, token: str | None = None, *, env: Mapping[str, str] | None = None) -> LearnerAccess:
    """The class service this learner is in (empty when none) and their token for it."""
    from ..records.client import read_join_file

    env = os.environ if env is None else env
    joined = read_join_file()
    progress = env.get("STEMTRAIN_PROGRESS", "").strip()
    found = url or env.get("STEMTRAIN_CLASS_URL", "").strip() or (progress if "://" in progress else "") or (joined or {}).get("url", "")
    target = _base(found) if found.startswith(("http://", "https://")) else ""
    secret = token or env.get("STEMTRAIN_CLASS_TOKEN", "").strip()
    if target and not secret and joined and _base(joined["url"]) == target:
        secret = joined["token"]
    secret = secret or env.get("JUPYTERHUB_API_TOKEN", "").strip()
    page = _base(env.get("STEMTRAIN_CLASS_PAGE_URL", "").strip()) or target
    return LearnerAccess(target, page if target else "", secret if target else "")
