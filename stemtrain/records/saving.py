"""Saving that never gives up and never lies: every answer is kept before it is saved, and a failed save is
queued and tried again, on the next answer and on a timer, while the page says "not saved yet".

Only a file that can never be used (damaged, not ours, from a newer stemtrain) stops the retries; the
answers are still kept for the session, and the page says so in plain words.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass

from .errors import StoreError
from .model import Attempt
from .store import RecordStore

__all__ = ["SaveStatus", "SavingQueue"]


@dataclass(frozen=True)
class SaveStatus:
    """What the page tells the learner about saving: ``saved``, ``pending`` (retrying) or ``off``."""

    state: str
    message: str = ""
    pending: int = 0
    recovered: bool = False


class SavingQueue:
    """The session's answers: kept in order, saved to a store when it can be, retried when it cannot."""

    def __init__(
        self,
        opener: Callable[[], RecordStore] | None,
        *,
        retry_after: float = 5.0,
        on_status: Callable[[SaveStatus], object] | None = None,
    ) -> None:
        self._opener = opener
        self._retry_after = retry_after
        self._on_status = on_status
        self._lock = threading.RLock()
        self._store: RecordStore | None = None
        self._kept: list[Attempt] = []
        self._pending: list[int] = []  # indexes into _kept, oldest first
        self._problem: StoreError | None = None
        self._timer: threading.Timer | None = None
        self._closed = False
        self._had_trouble = False
        self._status = SaveStatus("saved" if opener else "off", "" if opener else "Answers are kept on this page only.")
        if opener is not None:
            self._open()

    # --- public -------------------------------------------------------------------------------------
    @property
    def store(self) -> RecordStore | None:
        return self._store

    @property
    def status(self) -> SaveStatus:
        return self._status

    @property
    def problem(self) -> StoreError | None:
        """The last reason saving failed, if saving is not working now."""
        return self._problem

    def kept(self) -> list[Attempt]:
        """Every answer of this session, saved or not, in the order given (saved ones carry their store number)."""
        with self._lock:
            return list(self._kept)

    def add(self, attempt: Attempt) -> Attempt:
        """Keep ``attempt`` and try to save it (and any earlier ones still waiting); returns it as kept."""
        with self._lock:
            if attempt.attempt == 0:
                earlier = sum(1 for a in self._kept if (a.module, a.question_id) == (attempt.module, attempt.question_id))
                attempt = attempt.numbered(earlier + 1) if self._opener is None else attempt
            self._kept.append(attempt)
            self._pending.append(len(self._kept) - 1)
            self._keep(attempt)
            self.flush()
            return self._kept[-1]

    def flush(self) -> bool:
        """Save what is waiting; True when nothing is left waiting."""
        with self._lock:
            if self._opener is None or self._closed:
                self._pending.clear()
                return True
            if self._problem is not None and not self._problem.transient:
                self._set(SaveStatus("off", self._message(), len(self._pending)))
                return False
            if self._store is None and not self._open():
                self._schedule()
                return False
            while self._pending:
                index = self._pending[0]
                try:
                    saved = self._store.add(self._kept[index])  # type: ignore[union-attr]
                except StoreError as exc:
                    self._problem = exc
                    self._had_trouble = True
                    state = "pending" if exc.transient else "off"
                    self._set(SaveStatus(state, self._message(), len(self._pending)))
                    if exc.transient:
                        self._schedule()
                    return False
                self._kept[index] = saved
                self._pending.pop(0)
            recovered, self._had_trouble, self._problem = self._had_trouble, False, None
            self._set(SaveStatus("saved", "", 0, recovered))
            return True

    def close(self) -> None:
        """Try a last save, then stop the timer and close the store."""
        with self._lock:
            self.flush()
            self._closed = True
            if self._timer is not None:
                self._timer.cancel()
            if self._store is not None:
                self._store.close()

    # --- private ------------------------------------------------------------------------------------
    def _open(self) -> bool:
        try:
            self._store = self._opener()  # type: ignore[misc]
        except StoreError as exc:
            self._problem = exc
            self._had_trouble = True
            self._set(SaveStatus("pending" if exc.transient else "off", self._message(), len(self._pending)))
            return False
        return True

    def _keep(self, attempt: Attempt) -> None:
        """A store with a durable waiting room (the class service's outbox) keeps every answer at once, so an answer
        queued behind one that failed survives the kernel too."""
        keep = getattr(self._store, "keep", None)
        if keep is None:
            return
        try:
            keep(attempt)
        except StoreError:
            pass  # still kept here, and retried like any other

    def _message(self) -> str:
        waiting = len(self._pending)
        reason = str(self._problem) if self._problem else ""
        if self._problem is not None and not self._problem.transient:
            return f"Your answers are not being saved: {reason} This page still checks your answers and keeps them until you close it."
        count = f"{waiting} answer{'s' if waiting != 1 else ''} not saved yet" if waiting else "Saving is not working yet"
        return f"{count}: {reason} They are kept on this page and saved again automatically."

    def _schedule(self) -> None:
        if self._closed or (self._timer is not None and self._timer.is_alive()):
            return
        self._timer = threading.Timer(self._retry_after, self._retry)
        self._timer.daemon = True
        self._timer.start()

    def _retry(self) -> None:
        with self._lock:
            self._timer = None
        self.flush()

    def _set(self, status: SaveStatus) -> None:
        changed = status != self._status
        self._status = status
        if changed and self._on_status is not None:
            try:
                self._on_status(status)
            except Exception:  # noqa: BLE001, S110 - showing the status must never stop saving
                pass
