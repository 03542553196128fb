"""Learner records: the record type, the store interface, the SQLite store and its migrations, saving with retry,
and the client of the class service with its outbox.

``open_store(url)`` is the way in; nothing outside this package opens a database on the learner's side.
"""

from __future__ import annotations

import os
from pathlib import Path

from .client import ServiceStore, join, read_join_file
from .errors import StoreError
from .model import Attempt
from .saving import SaveStatus, SavingQueue
from .sqlite import SQLiteStore, default_path
from .store import RecordStore, latest_by_question

__all__ = [
    "Attempt",
    "RecordStore",
    "SQLiteStore",
    "SaveStatus",
    "SavingQueue",
    "ServiceStore",
    "StoreError",
    "default_path",
    "default_url",
    "join",
    "latest_by_question",
    "open_store",
]


def default_url() -> str:
    """Where this learner's answers go, in this order:

    ``STEMTRAIN_CLASS_URL`` (a class service; under JupyterHub the hub's config sets it for every server),
    ``STEMTRAIN_PROGRESS`` (a URL, or a file path), the class joined with ``stemtrain class join`` (the join
    file), else the learner's own file ``~/.stemtrain/progress.sqlite3``.
    """
    service = os.environ.get("STEMTRAIN_CLASS_URL", "").strip()
    if service:
        return service
    env = os.environ.get("STEMTRAIN_PROGRESS", "").strip()
    if "://" in env:
        return env
    if not env:
        joined = read_join_file()
        if joined is not None:
            return joined["url"]
    return f"sqlite:///{default_path()}"


def open_store(url: str | Path | None = None) -> RecordStore:
    """Open the records at ``url``: ``sqlite:///relative/path``, ``sqlite:////absolute/path``, a plain file path, or a
    class service's ``http(s)://`` address (a ``ServiceStore``, with the learner's outbox)."""
    target = str(url) if url is not None else default_url()
    if target.startswith("sqlite:///"):
        return SQLiteStore(Path(target[len("sqlite:///") :]))
    if target.startswith(("http://", "https://")):
        return ServiceStore(target)
    if "://" not in target:
        return SQLiteStore(Path(target))
    raise StoreError(
        f"{target}: no records store for this kind of URL (use sqlite:///path, or a class service's http(s):// address).",
        kind="invalid",
        where=target,
    )
