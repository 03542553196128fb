"""The course runs from a wheel: ``pip install .`` (not editable) into a fresh environment, used from elsewhere.

The fresh venv gets only the built wheel (``--no-deps``); the dependencies come from this environment's
site-packages through a plain path entry, which (unlike the editable install's finder) cannot import the
source checkout. Every command then runs from a folder outside the repository.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import sysconfig
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A venv with the wheel installed, and a working folder outside the repository."""
    work = tmp_path_factory.mktemp("wheel")
    dist = work / "dist"
    subprocess.run(
        [sys.executable, "-m", "build", "--wheel", "--outdir", str(dist), str(ROOT)], check=True, capture_output=True, timeout=300
    )
    wheel = next(dist.glob("stemtrain-*.whl"))
    venv = work / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True, timeout=120)
    python = venv / "bin" / "python"
    purelib = Path(
        subprocess.check_output([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"], text=True).strip()
    )
    (purelib / "dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n", encoding="utf-8")
    subprocess.run(  # the venv's own interpreter installs it, so scripts and data land in the venv
        [str(python), "-m", "pip", "install", "--no-deps", "--no-index", "--no-compile", "--ignore-installed", str(wheel)],
        check=True,
        capture_output=True,
        timeout=300,
    )
    elsewhere = work / "elsewhere"
    elsewhere.mkdir()
    return venv, elsewhere


def _env(venv: Path, elsewhere: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("STEMTRAIN_ROOT", "PYTHONPATH")}
    env["PATH"] = f"{venv / 'bin'}{os.pathsep}{env['PATH']}"
    env["STEMTRAIN_CACHE"] = str(elsewhere / "cache")
    env["JUPYTER_PATH"] = str(Path(sys.prefix) / "share" / "jupyter")  # Voilà's templates, like the dependencies, come from here
    return env


def test_the_wheel_holds_the_course_and_not_the_checkout(installed):
    venv, elsewhere = installed
    where = subprocess.run(
        [
            str(venv / "bin" / "python"),
            "-c",
            "import stemtrain, stemtrain.content.paths as p; print(stemtrain.__file__); print(p.course_root())",
        ],
        cwd=elsewhere,
        env=_env(venv, elsewhere),
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    assert not where[0].startswith(str(ROOT)), "the wheel's package must be imported, not the source checkout"
    assert where[1] == str(venv / "share" / "stemtrain")
    shipped = {p.relative_to(venv / "share" / "stemtrain").as_posix() for p in (venv / "share" / "stemtrain").rglob("*") if p.is_file()}
    expected = {
        p.relative_to(ROOT).as_posix()
        for pattern in ("assets/**/*.yaml", "assets/*.mplstyle", "notebooks/*.ipynb", "notebooks/instructor/*.ipynb")
        for p in ROOT.glob(pattern)
    }
    assert shipped == expected


def test_validate_from_elsewhere(installed):
    venv, elsewhere = installed
    done = subprocess.run(
        [str(venv / "bin" / "stemtrain"), "validate"], cwd=elsewhere, env=_env(venv, elsewhere), capture_output=True, text=True
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Course content is valid." in done.stdout


def test_lab_from_elsewhere_opens_the_installed_course(installed):
    venv, elsewhere = installed
    done = subprocess.run(
        [str(venv / "bin" / "stemtrain"), "lab", "--no-browser", "--dry-run"],
        cwd=elsewhere,
        env=_env(venv, elsewhere),
        capture_output=True,
        text=True,
        check=True,
    )
    assert f"--ServerApp.root_dir={venv / 'share' / 'stemtrain'}" in done.stdout and "notebooks/00-start-here.ipynb" in done.stdout


def test_serve_from_elsewhere_serves_the_start_page(installed):
    venv, elsewhere = installed
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    log = (elsewhere / "serve.log").open("w")
    proc = subprocess.Popen(
        [str(venv / "bin" / "stemtrain"), "serve", "--no-browser", "--port", str(port)],
        cwd=elsewhere,
        env=_env(venv, elsewhere),
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        deadline, body = time.monotonic() + 90, ""
        while time.monotonic() < deadline and not body:
            assert proc.poll() is None, (elsewhere / "serve.log").read_text()
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/voila/render/00-start-here.ipynb", timeout=60) as reply:
                    body = reply.read().decode("utf-8")
            except OSError:
                time.sleep(0.3)  # polling until the server answers
        assert "Start here" in body, (elsewhere / "serve.log").read_text()
    finally:
        os.killpg(proc.pid, 15)
        proc.wait(timeout=30)
        log.close()
