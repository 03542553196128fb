"""Where Python may not write .pyc files, stemtrain's compiled modules come from the course cache instead."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _run(code: str, cache: Path, *, no_bytecode: bool = True) -> str:
    env = {**os.environ, "STEMTRAIN_CACHE": str(cache)}
    if no_bytecode:
        env["PYTHONDONTWRITEBYTECODE"] = "1"
    else:
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        env["PYTHONPYCACHEPREFIX"] = str(cache / "pyc")
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60, check=True)
    return done.stdout.strip()


def test_compiled_modules_are_kept_and_used_when_bytecode_writing_is_off(tmp_path):
    _run("import stemtrain.quiz.order", tmp_path)
    kept = sorted(p.name for p in (tmp_path / "bytecode").glob("stemtrain.quiz.order.*.marshal"))
    assert len(kept) == 1
    # Prove the cached code is what runs: replace it with code that leaves a mark, under the same key.
    marker = compile("MARK = 'from the cache'", "order.py", "exec")
    import marshal

    (tmp_path / "bytecode" / kept[0]).write_bytes(marshal.dumps(marker))
    assert _run("import stemtrain.quiz.order as m; print(m.MARK)", tmp_path) == "from the cache"


def test_a_changed_source_file_is_compiled_again(tmp_path):
    _run("import stemtrain.quiz.order", tmp_path)
    (old,) = (tmp_path / "bytecode").glob("stemtrain.quiz.order.*.marshal")
    stale = old.with_name(old.name.replace(".marshal", "").rsplit(".", 2)[0] + ".1.1.marshal")  # another mtime and size
    old.rename(stale)
    _run("import stemtrain.quiz.order", tmp_path)
    assert len(list((tmp_path / "bytecode").glob("stemtrain.quiz.order.*.marshal"))) == 1 and not stale.exists()


def test_nothing_changes_where_python_writes_bytecode(tmp_path):
    _run("import stemtrain.quiz.order", tmp_path, no_bytecode=False)
    assert not (tmp_path / "bytecode").exists()
