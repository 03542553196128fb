"""Where the blueprint and the pool are: never in the installed course, because the pool holds keys.

Looked for, in order: ``STEMTRAIN_ASSESSMENT_POOL`` (a pool folder; the blueprint is ``blueprint.yaml`` in its
parent folder, or ``STEMTRAIN_ASSESSMENT_BLUEPRINT``); the class service's data folder (``DATA/assessment/``,
for the service only); the course folder's ``assessment/`` (a source checkout, or ``STEMTRAIN_ROOT``: the
self-study fallback). A wheel has no ``assessment/``: outside a class, a learner who installed one has no pool.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from . import BLUEPRINT_ENV, POOL_ENV

__all__ = ["AssessmentFiles", "find_assessment"]


@dataclass(frozen=True)
class AssessmentFiles:
    """A blueprint file, a pool folder, and in words where they were found (for banners and messages)."""

    blueprint: Path
    pool: Path
    source: str


def _in(folder: Path, source: str, env: Mapping[str, str]) -> AssessmentFiles | None:
    pool = folder / "pool"
    blueprint = Path(env[BLUEPRINT_ENV]) if env.get(BLUEPRINT_ENV) else folder / "blueprint.yaml"
    return AssessmentFiles(blueprint, pool, source) if pool.is_dir() and blueprint.is_file() else None


def find_assessment(data_dir: Path | None = None, env: Mapping[str, str] | None = None) -> AssessmentFiles | None:
    """The assessment's files, or None when there are none (a learner installed from the wheel, outside a class)."""
    from ..content.paths import CourseNotFound, course_root

    env = os.environ if env is None else env
    given = env.get(POOL_ENV, "").strip()
    if given:
        pool = Path(given).expanduser()
        blueprint = Path(env[BLUEPRINT_ENV]).expanduser() if env.get(BLUEPRINT_ENV) else pool.parent / "blueprint.yaml"
        return AssessmentFiles(blueprint, pool, POOL_ENV)  # named explicitly: its problems are reported, not skipped
    places: list[tuple[Path, str]] = []
    if data_dir is not None:
        places.append((data_dir / "assessment", "the class service's data folder"))
    try:
        root = course_root()
        places.append((root / "assessment", "the course folder"))
    except CourseNotFound:
        root = None
    for folder, source in places:
        found = _in(folder, source, env)
        if found is not None:
            return found
    return None
