"""The class service under a class's load: 30 learners as separate processes, 100 answers each, against
SQLite and against PostgreSQL. Reports throughput and p50/p95 latency of one answer (the learner's
``ServiceStore.add``: outbox, HTTP, numbering in one transaction), and checks that none is lost or doubled.

Run: python benchmarks/bench_class_service.py [--learners 30] [--answers 100] [--backend sqlite|postgresql|both]
(PostgreSQL: Debian's package, started on a free loopback port as in the tests.)
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from classroom_support import Postgres, ServiceProcess, child_env  # noqa: E402

WORKER = textwrap.dedent(
    """
    import json, os, sys, time
    from stemtrain.records import Attempt, ServiceStore
    url, token, learner, n, outbox, result, go = sys.argv[1:8]
    store = ServiceStore(url, token=token, outbox=outbox, timeout=30)
    while not os.path.exists(go):
        time.sleep(0.005)
    latencies, acked = [], {}
    for i in range(int(n)):
        right = i % 3 == 0
        a = Attempt(learner=learner, module="01-x", question_id=f"q{i % 10}", response=i, correct=right, score=float(right), mode="class")
        start = time.perf_counter()
        acked[a.event_id] = store.add(a).attempt
        latencies.append(time.perf_counter() - start)
    json.dump({"latencies": latencies, "acked": acked}, open(result, "w"))
    """
)


def http(method: str, url: str, token: str | None = None, body: object = None) -> object:
    req = urllib.request.Request(url, data=None if body is None else json.dumps(body).encode(), method=method)
    req.add_header("Content-Type", "application/json")
    if token:
        req.add_header("Authorization", f"Bearer {token}")
    with urllib.request.urlopen(req, timeout=120) as reply:
        return json.loads(reply.read())


def run(backend: str, learners: int, answers: int, folder: Path, database: str) -> dict[str, float]:
    service = ServiceProcess(folder / "data", database).start()
    try:
        tokens = {
            f"learner-{i:02d}": http(
                "POST", service.url + "api/room/join", body={"code": service.state["join_code"], "name": f"learner-{i:02d}"}
            )["token"]  # type: ignore[index]
            for i in range(learners)
        }
        script, go = folder / "worker.py", folder / "go"
        script.write_text(WORKER)
        procs = [
            subprocess.Popen(
                [
                    sys.executable,
                    str(script),
                    service.url,
                    t,
                    name,
                    str(answers),
                    str(folder / f"{name}.outbox"),
                    str(folder / f"{name}.json"),
                    str(go),
                ],
                cwd=ROOT,
                env=child_env(),
            )
            for name, t in tokens.items()
        ]
        time.sleep(3.0)  # let every process start and open its store
        start = time.perf_counter()
        go.touch()
        codes = [p.wait(timeout=900) for p in procs]
        wall = time.perf_counter() - start
        assert codes == [0] * learners, codes
        kept = http("GET", service.url + f"api/class/attempts?limit={learners * answers + 10}", service.state["instructor_token"])
        assert isinstance(kept, list)
    finally:
        service.kill()
    latencies, acked = [], {}
    for name in tokens:
        result = json.loads((folder / f"{name}.json").read_text())
        latencies += result["latencies"]
        acked.update(result["acked"])
    events = [r["event_id"] for r in kept]
    numbers = {(r["learner"], r["question_id"], r["attempt"]) for r in kept}
    lost = sum(1 for e in acked if e not in set(events))
    doubled = len(events) - len(set(events)) + (len(kept) - len(numbers))
    q = statistics.quantiles(latencies, n=100)
    return {
        "answers": len(kept),
        "lost": lost,
        "doubled": doubled,
        "throughput": len(latencies) / wall,
        "p50": q[49] * 1000,
        "p95": q[94] * 1000,
        "wall": wall,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--learners", type=int, default=30)
    parser.add_argument("--answers", type=int, default=100)
    parser.add_argument("--backend", choices=("sqlite", "postgresql", "both"), default="both")
    args = parser.parse_args()
    backends = ["sqlite", "postgresql"] if args.backend == "both" else [args.backend]
    failed = False
    for backend in backends:
        with tempfile.TemporaryDirectory(prefix=f"bench-class-{backend}-") as scratch:
            pg = Postgres() if backend == "postgresql" else None
            try:
                r = run(backend, args.learners, args.answers, Path(scratch), pg.database() if pg else "")
            finally:
                if pg:
                    pg.stop()
        print(
            f"{backend:10s} {args.learners} learners x {args.answers} answers: {r['answers']:.0f} kept, {r['lost']:.0f} lost, "
            f"{r['doubled']:.0f} doubled; {r['throughput']:.0f} answers/s over {r['wall']:.1f} s; "
            f"latency p50 {r['p50']:.1f} ms, p95 {r['p95']:.1f} ms"
        )
        failed |= bool(r["lost"] or r["doubled"] or r["answers"] != args.learners * args.answers)
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
