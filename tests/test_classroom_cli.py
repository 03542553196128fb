"""``stemtrain class serve`` as the instructor runs it: loopback by default, a banner with the join code, a QR
code and the instructor token (also in a 0600 file), and one clear line when it cannot start."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

from classroom_support import ROOT, child_env, free_port, wait_for

from stemtrain.classroom.server import lan_address


def serve(*args: str) -> subprocess.Popen:
    cmd = [sys.executable, "-m", "stemtrain", "class", "serve", *args]
    return subprocess.Popen(cmd, cwd=ROOT, env=child_env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def stop(proc: subprocess.Popen) -> tuple[str, str]:
    os.kill(proc.pid, signal.SIGTERM)
    return proc.communicate(timeout=30)


def test_a_room_service_starts_on_loopback_with_a_code_a_qr_code_and_a_private_token(tmp_path: Path):
    port = free_port()
    proc = serve("--data-dir", str(tmp_path / "data"), "--port", str(port))
    wait_for(f"http://127.0.0.1:{port}/api/health", 60, proc)
    lan = lan_address()
    if lan != "127.0.0.1":
        with socket.socket() as s:
            s.settimeout(2)
            assert s.connect_ex((lan, port)) != 0, "listening beyond loopback without --host"
    out, err = stop(proc)
    state = json.loads((tmp_path / "data" / "instructor.json").read_text())
    assert f"at http://127.0.0.1:{port}/" in out and f"Join code: {state['join_code']}" in out
    assert f"Instructor token: {state['instructor_token']}" in out
    assert "█" in out or "▀" in out  # the QR code of the join page
    assert f"--code {state['join_code']}" in out
    assert (tmp_path / "data" / "instructor.json").stat().st_mode & 0o777 == 0o600
    assert (tmp_path / "data").stat().st_mode & 0o777 == 0o700
    assert "Traceback" not in err


def test_a_restart_keeps_the_code_and_the_token_and_a_new_code_is_on_request(tmp_path: Path):
    port = free_port()
    first = serve("--data-dir", str(tmp_path / "data"), "--port", str(port))
    wait_for(f"http://127.0.0.1:{port}/api/health", 60, first)
    stop(first)
    before = json.loads((tmp_path / "data" / "instructor.json").read_text())
    again = serve("--data-dir", str(tmp_path / "data"), "--port", str(port), "--new-code")
    wait_for(f"http://127.0.0.1:{port}/api/health", 60, again)
    stop(again)
    after = json.loads((tmp_path / "data" / "instructor.json").read_text())
    assert after["instructor_token"] == before["instructor_token"] and after["join_code"] != before["join_code"]


def test_a_lan_address_is_only_bound_when_asked_and_the_banner_says_so(tmp_path: Path):
    port = free_port()
    proc = serve("--data-dir", str(tmp_path / "data"), "--port", str(port), "--host", "0.0.0.0")
    wait_for(f"http://127.0.0.1:{port}/api/health", 60, proc)
    out, _ = stop(proc)
    assert "anyone on this network can reach it" in out and "firewall" in out


def test_a_database_it_cannot_use_is_one_line_not_a_traceback(tmp_path: Path):
    import sqlite3

    foreign = tmp_path / "data" / "class.sqlite3"
    foreign.parent.mkdir()
    with sqlite3.connect(foreign) as db:
        db.execute("CREATE TABLE invoices (id INTEGER)")
    done = subprocess.run(
        [sys.executable, "-m", "stemtrain", "class", "serve", "--data-dir", str(tmp_path / "data"), "--port", str(free_port())],
        cwd=ROOT,
        env=child_env(),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 1 and "not a stemtrain class" in done.stderr and "Traceback" not in done.stderr
    start = time.monotonic()
    done = subprocess.run(
        [sys.executable, "-m", "stemtrain", "class", "serve", "--database", f"postgresql://nobody@127.0.0.1:{free_port()}/x"],
        cwd=ROOT,
        env=child_env(),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 1 and "cannot open the class database" in done.stderr and "Traceback" not in done.stderr
    assert time.monotonic() - start < 30
