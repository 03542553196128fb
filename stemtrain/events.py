"""One listener mechanism for the whole course: every call isolated, failures reported, removal supported.

Modelled on ipywidgets' ``CallbackDispatcher``: a listener that raises must not stop the others (a quiz
set's score, the learner's records and an instructor's live chart all listen to the same answers), and
its failure must reach a place the learner can see instead of vanishing into a kernel log.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Generic, TypeVar

__all__ = ["Failure", "Listeners"]

E = TypeVar("E")


@dataclass(frozen=True)
class Failure:
    """A listener that raised: which one, and what it said."""

    listener: str
    error: BaseException

    def __str__(self) -> str:
        return f"{self.listener}: {type(self.error).__name__}: {self.error}"


def _name(callback: Callable[..., object]) -> str:
    return getattr(callback, "__qualname__", None) or repr(callback)


class Listeners(Generic[E]):
    """Callbacks called with one event each, in the order they were added."""

    def __init__(self, on_failure: Callable[[Failure], None] | None = None) -> None:
        self._callbacks: list[Callable[[E], object]] = []
        self._on_failure = on_failure

    def __len__(self) -> int:
        return len(self._callbacks)

    def add(self, callback: Callable[[E], object], *, remove: bool = False) -> None:
        """Add ``callback`` (or, with ``remove=True``, take it away again, as ipywidgets' ``on_click`` does)."""
        if remove:
            self.remove(callback)
        elif callback not in self._callbacks:
            self._callbacks.append(callback)

    def remove(self, callback: Callable[[E], object]) -> None:
        """Stop calling ``callback``; removing one that is not there is not an error."""
        if callback in self._callbacks:
            self._callbacks.remove(callback)

    def emit(self, event: E) -> list[Failure]:
        """Call every listener with ``event``; return (and report) the ones that raised."""
        failures: list[Failure] = []
        for callback in list(self._callbacks):
            try:
                callback(event)
            except Exception as exc:  # noqa: BLE001 - a listener's bug must not silence the others
                failures.append(Failure(_name(callback), exc))
        if failures and self._on_failure is not None:
            for failure in failures:
                self._on_failure(failure)
        return failures
