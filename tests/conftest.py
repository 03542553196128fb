"""Shared fixtures: the small test bibliography and the bank that holds one question of every type."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest

from stemtrain.content.course import Bank
from stemtrain.content.loader import load_bank, load_references
from stemtrain.content.references import Reference
from stemtrain.notebooks import DEMO_LEARNER

DATA = Path(__file__).parent / "data"


def pytest_configure(config: pytest.Config) -> None:
    """Tests and the notebooks nbval runs keep their records in a throwaway file, never in the tester's own
    ``~/.stemtrain/progress.sqlite3`` (whose earlier answers or assessment attempts would change the pages), and
    the notebooks run as the same demo learner as when they were executed for committing."""
    if not os.environ.get("STEMTRAIN_PROGRESS"):
        os.environ["STEMTRAIN_PROGRESS"] = os.path.join(tempfile.mkdtemp(prefix="stemtrain-tests-"), "progress.sqlite3")
    os.environ.setdefault("STEMTRAIN_LEARNER", DEMO_LEARNER)  # the learner ``stemtrain execute`` runs the notebooks as


@pytest.fixture(scope="session")
def test_refs() -> dict[str, Reference]:
    return load_references(DATA / "references.yaml")


@pytest.fixture(scope="session")
def bank(test_refs: dict[str, Reference]) -> Bank:
    return load_bank(DATA / "all-types.yaml", test_refs)


# the class service's fixtures (a real PostgreSQL, the service as a process) live beside its tests
from classroom_support import database_url, postgres, service_factory  # noqa: E402, F401
