"""Root pytest hooks, for both the library tests and nbval over the notebooks."""

from __future__ import annotations

import os
import tempfile


def pytest_sessionstart(session):
    """Prepare the run: matplotlib's font cache is built before any kernel starts (its one-time notice would land
    in a notebook's stderr), and learner records go to a throwaway file, never the developer's own (kernels and
    servers started by the tests inherit this environment)."""
    import matplotlib.font_manager  # noqa: F401

    folder = tempfile.mkdtemp(prefix="stemtrain-test-")
    os.environ["STEMTRAIN_PROGRESS"] = os.path.join(folder, "progress.sqlite3")
    from stemtrain.notebooks import DEMO_LEARNER

    os.environ["STEMTRAIN_LEARNER"] = DEMO_LEARNER  # as `stemtrain execute` runs the committed notebooks
    # the class service's client files (outbox, join file) and the service's own data folder: throwaway too
    os.environ["STEMTRAIN_OUTBOX"] = os.path.join(folder, "outbox.sqlite3")
    os.environ["STEMTRAIN_CLASS_FILE"] = os.path.join(folder, "class.json")
    os.environ["STEMTRAIN_CLASS_DATA"] = os.path.join(folder, "class-data")
