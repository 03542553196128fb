"""Learner records. ``store`` is the one module that opens the database."""

from .store import ProgressError, ProgressStore, default_learner, default_path

__all__ = ["ProgressError", "ProgressStore", "default_learner", "default_path"]
