"""Learner records: the record type, the store interface, the SQLite store and its migrations, saving with retry.

``open_store(url)`` is the way in; nothing outside this package opens a database.
"""

from __future__ import annotations

import os
from pathlib import Path

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
    "StoreError",
    "default_path",
    "default_url",
    "latest_by_question",
    "open_store",
]


def default_url() -> str:
    """``STEMTRAIN_PROGRESS`` (a URL, or a file path), else the learner's own file ``~/.stemtrain/progress.sqlite3``."""
    env = os.environ.get("STEMTRAIN_PROGRESS", "").strip()
    if "://" in env:
        return env
    return f"sqlite:///{default_path()}"


def open_store(url: str | Path | None = None) -> RecordStore:
    """Open the records at ``url``: ``sqlite:///relative/path``, ``sqlite:////absolute/path``, or a plain file path."""
    target = str(url) if url is not None else default_url()
    if target.startswith("sqlite:///"):
        return SQLiteStore(Path(target[len("sqlite:///") :]))
    if "://" not in target:
        return SQLiteStore(Path(target))
    raise StoreError(f"{target}: no records store for this kind of URL (use sqlite:///path).", kind="invalid", where=target)
