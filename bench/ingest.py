"""Ingest throughput and latency: the service against a bare reference app, same run, same box.

    .venv/bin/python bench/ingest.py --db sqlite --duration 20
    .venv/bin/python bench/ingest.py --db postgres --duration 20

Both apps run under gunicorn with 2 (sync) workers on a fresh database, one app loaded at a
time. Phases, on bench/reference_app.py (Flask + SQLAlchemy ORM insert + the project's
analyze()) and on the service:
  single  closed loop, --concurrency clients, one comment per delivery -> comments/s; the
          apps take turns, --rounds times each, and the service/reference ratio is the
          median of the rounds' ratios (a change in the machine's load falls on both)
  batch   closed loop, --concurrency clients, --batch comments per delivery -> comments/s
  open    open loop, --rate deliveries/s for --open-duration s -> p50/p90/p99 latency,
          measured from each request's scheduled send time (no coordinated omission); when an
          app cannot carry --rate, also at half its own capacity; both apps also at half the
          reference's capacity (the p99 target: service p99 <= 2x the reference's there)
Signed bodies are made before the clock starts. The client is Python threads with
http.client, on the same cores as the server: the figures are a floor, and noisy when the
machine is shared. Prints a table and writes bench/out/ingest-<db>-<time>.json.
"""
from __future__ import annotations

import argparse
import http.client
import json
import os
import platform
import queue
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from dataclasses import asdict, dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import (  # noqa: E402
    ROOT,
    Gunicorn,
    comment,
    create_site,
    load_average,
    percentile,
    prepare_database,
    service_env,
    signed,
)

OUT = ROOT / "bench" / "out"


@dataclass
class Request:
    body: bytes
    headers: dict[str, str]
    comments: int


@dataclass
class Result:
    app: str
    phase: str
    deliveries: int = 0
    comments: int = 0
    errors: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0
    comments_per_s: float = 0.0
    deliveries_per_s: float = 0.0
    p50_ms: float | None = None
    p90_ms: float | None = None
    p99_ms: float | None = None
    max_ms: float | None = None
    service_p50_ms: float | None = None
    service_p99_ms: float | None = None
    load_before: str = ""
    load_after: str = ""


class Target:
    def __init__(self, name: str, server: Gunicorn, path: str, secret: str | None):
        self.name, self.server, self.path, self.secret = name, server, path, secret

    def make(self, n: int, size: int, tag: str) -> list[Request]:
        prefix = f"{tag}-{uuid.uuid4().hex[:6]}"
        reqs = []
        for i in range(n):
            items = [comment(f"{prefix}-{i}-{j}", i=i * size + j) for j in range(size)]
            payload = items[0] if size == 1 else {"comments": items}
            if self.secret:
                body, headers = signed(self.secret, payload)
            else:
                body = json.dumps(payload).encode()
                headers = {"Content-Type": "application/json"}
            reqs.append(Request(body, headers, size))
        return reqs


def _post(conn: http.client.HTTPConnection, path: str, req: Request) -> int:
    try:
        conn.request("POST", path, body=req.body, headers=req.headers)
        response = conn.getresponse()
        response.read()
        if response.will_close:
            conn.close()
        return response.status
    except (OSError, http.client.HTTPException):
        conn.close()
        return 0


def closed_loop(target: Target, reqs: list[Request], concurrency: int, duration: float,
                phase: str) -> Result:
    result = Result(target.name, phase, load_before=load_average())
    it = iter(reqs)
    lock = threading.Lock()
    stop_at = [0.0]
    tallies: list[tuple[int, int, dict[str, int]]] = []
    start_gate = threading.Barrier(concurrency + 1)

    def worker():
        conn = http.client.HTTPConnection("127.0.0.1", target.server.port, timeout=60)
        done = comments = 0
        errors: dict[str, int] = {}
        start_gate.wait()
        while time.perf_counter() < stop_at[0]:
            with lock:
                req = next(it, None)
            if req is None:
                break
            status = _post(conn, target.path, req)
            if status == 200:
                done += 1
                comments += req.comments
            else:
                errors[str(status)] = errors.get(str(status), 0) + 1
        conn.close()
        with lock:
            tallies.append((done, comments, errors))

    threads = [threading.Thread(target=worker) for _ in range(concurrency)]
    for t in threads:
        t.start()
    stop_at[0] = time.perf_counter() + duration
    t0 = time.perf_counter()
    start_gate.wait()
    for t in threads:
        t.join()
    result.seconds = time.perf_counter() - t0
    for done, comments, errors in tallies:
        result.deliveries += done
        result.comments += comments
        for k, v in errors.items():
            result.errors[k] = result.errors.get(k, 0) + v
    result.comments_per_s = result.comments / result.seconds
    result.deliveries_per_s = result.deliveries / result.seconds
    result.load_after = load_average()
    return result


def open_loop(target: Target, reqs: list[Request], rate: float, phase: str,
              senders: int = 64, grace: float = 10.0) -> Result:
    """Send at a steady `rate`; latency counts from each request's scheduled time. Requests
    still queued `grace` s after the last scheduled send are dropped (counted as errors:
    the app could not keep up with the rate)."""
    result = Result(target.name, phase, load_before=load_average())
    jobs: queue.Queue = queue.Queue()
    latencies: list[float] = []
    service: list[float] = []
    errors: dict[str, int] = {}
    lock = threading.Lock()
    t0 = time.perf_counter() + 0.2
    give_up_at = t0 + len(reqs) / rate + grace

    def sender():
        conn = http.client.HTTPConnection("127.0.0.1", target.server.port, timeout=60)
        while True:
            job = jobs.get()
            if job is None:
                break
            scheduled, req = job
            sent = time.perf_counter()
            if sent > give_up_at:
                with lock:
                    errors["not sent in time"] = errors.get("not sent in time", 0) + 1
                continue
            status = _post(conn, target.path, req)
            end = time.perf_counter()
            with lock:
                if status == 200:
                    latencies.append(end - scheduled)
                    service.append(end - sent)
                else:
                    errors[str(status)] = errors.get(str(status), 0) + 1
        conn.close()

    threads = [threading.Thread(target=sender, daemon=True) for _ in range(senders)]
    for t in threads:
        t.start()
    for i, req in enumerate(reqs):
        scheduled = t0 + i / rate
        delay = scheduled - time.perf_counter()
        if delay > 0:
            time.sleep(delay)
        jobs.put((scheduled, req))
    for _ in threads:
        jobs.put(None)
    for t in threads:
        t.join()
    result.seconds = time.perf_counter() - t0
    result.deliveries = result.comments = len(latencies)
    result.errors = errors
    result.comments_per_s = result.deliveries_per_s = len(latencies) / result.seconds
    ms = [x * 1000 for x in latencies]
    if ms:
        result.p50_ms, result.p90_ms = percentile(ms, 50), percentile(ms, 90)
        result.p99_ms, result.max_ms = percentile(ms, 99), max(ms)
        sms = [x * 1000 for x in service]
        result.service_p50_ms, result.service_p99_ms = percentile(sms, 50), percentile(sms, 99)
    result.load_after = load_average()
    return result


def run(args) -> dict:
    workdir = Path(tempfile.mkdtemp(prefix=f"bench-ingest-{args.db}-"))
    print(f"workdir {workdir}; load average {load_average()}; {os.cpu_count()} CPUs", flush=True)
    db = prepare_database(args.db, workdir / "service", name="bench_service")
    ref_db = prepare_database(args.db, workdir / "reference", name="bench_reference") \
        if args.db == "postgres" else None
    ref_url = ref_db.url if ref_db else f"sqlite:///{workdir / 'reference.sqlite3'}"
    secret = create_site(db, "bench")
    results: list[Result] = []
    servers: list[Gunicorn] = []
    try:
        service = Gunicorn("wsgi:app", workers=args.workers, log_path=workdir / "service.log",
                           env=service_env(db, WEBHOOK_RATE_LIMIT="1000000 per second"))
        # The reference's table is made once, before its workers race to make it.
        subprocess.run([sys.executable, "-c", "import bench.reference_app"], cwd=ROOT,
                       env={**os.environ, "REFERENCE_DATABASE_URL": ref_url}, check=True)
        reference = Gunicorn("bench.reference_app:app", workers=args.workers,
                             log_path=workdir / "reference.log",
                             env={"REFERENCE_DATABASE_URL": ref_url,
                                  "REFERENCE_PRE_PING": "0" if args.reference_no_ping else "1"})
        targets = [Target("service", service, "/api/v1/sites/bench/comments", secret)]
        if not args.skip_reference:  # first in each round
            targets.insert(0, Target("reference", reference, "/comments", None))
        servers = [t.server for t in targets]
        for target in targets:
            target.server.start()
            # warm-up: imports, model loads, connection pools, the first sqlite pages
            closed_loop(target, target.make(200, 1, "warm"), args.concurrency, 5, "warm")
        # Single deliveries (the ratio's phase): the apps take turns, --rounds times, so a
        # change in the machine's load falls on both; the ratio is the median round's. One
        # app is loaded at a time: the other's workers wait, idle.
        capacity: dict[str, list[float]] = {t.name: [] for t in targets}
        for round_no in range(1, args.rounds + 1):
            for target in targets:
                reqs = target.make(int(args.duration * 2000), 1, "single")
                r = closed_loop(target, reqs, args.concurrency, args.duration,
                                f"single x1 c{args.concurrency} #{round_no}")
                results.append(r)
                capacity[target.name].append(r.deliveries_per_s)
                print(_row(r), flush=True)
        reference_half: float | None = None
        if "reference" in capacity:
            reference_half = max(1.0, round(statistics.median(capacity["reference"]) / 2))
        for target in targets:
            r = closed_loop(target, target.make(int(args.duration * 60), args.batch, "batch"),
                            args.concurrency, args.duration,
                            f"batch x{args.batch} c{args.concurrency}")
            results.append(r)
            print(_row(r), flush=True)
            rates = [args.rate]
            own = statistics.median(capacity[target.name])
            if own < args.rate:  # overloaded at the target rate: also at half capacity
                rates.append(max(1.0, round(own / 2)))
            # The latency target's load, for both apps: half the reference's capacity.
            if reference_half is not None and reference_half not in rates:
                rates.append(reference_half)
            for rate in rates:
                reqs = target.make(int(rate * args.open_duration), 1, "open")
                r = open_loop(target, reqs, rate, f"open {rate:g}/s")
                results.append(r)
                print(_row(r), flush=True)
    finally:
        for server in servers:
            server.stop()
        if not args.keep:
            db.drop()
            if ref_db:
                ref_db.drop()
    report = {
        "db": args.db, "when": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "args": vars(args), "cpus": os.cpu_count(), "python": platform.python_version(),
        "results": [asdict(r) for r in results],
    }
    by = {(r.app, r.phase.split()[0]): r for r in results if r.phase.startswith("batch")}
    singles = {app: [r.comments_per_s for r in results
                     if r.app == app and r.phase.startswith("single")]
               for app in ("service", "reference")}
    if singles["service"] and singles["reference"]:
        ratios = [s / r for s, r in zip(singles["service"], singles["reference"], strict=True)]
        report["service_vs_reference_single_rounds"] = [round(x, 3) for x in ratios]
        report["service_vs_reference_single"] = round(statistics.median(ratios), 3)
    opened = {(r.app, float(r.phase.split()[1].rstrip("/s"))): r for r in results
              if r.phase.startswith("open")}
    if reference_half is not None and ("service", reference_half) in opened \
            and ("reference", reference_half) in opened:
        report["open_rate_half_reference"] = reference_half
        report["service_p99_vs_reference_p99_half_reference"] = round(
            opened["service", reference_half].p99_ms / opened["reference", reference_half].p99_ms,
            2)
    if singles["service"] and ("service", "batch") in by:
        report["service_batch_vs_single"] = round(
            by["service", "batch"].comments_per_s / statistics.median(singles["service"]), 2)
    return report


def _row(r: Result) -> str:
    lat = (f"p50 {r.p50_ms:7.1f} p90 {r.p90_ms:7.1f} p99 {r.p99_ms:7.1f} ms"
           if r.p50_ms is not None else "")
    return (f"{r.app:9} {r.phase:18} {r.comments_per_s:8.1f} comments/s "
            f"{r.deliveries_per_s:7.1f} deliveries/s  {lat}  errors {r.errors or 0}  "
            f"load {r.load_before} -> {r.load_after}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--duration", type=float, default=20,
                        help="seconds per closed-loop phase (default 20)")
    parser.add_argument("--open-duration", type=float, default=30)
    parser.add_argument("--rate", type=float, default=300, help="open-loop deliveries/s")
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--batch", type=int, default=100)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--rounds", type=int, default=3,
                        help="single-delivery rounds per app, taken in turns (default 3)")
    parser.add_argument("--skip-reference", action="store_true")
    parser.add_argument("--reference-no-ping", action="store_true",
                        help="the reference without pool_pre_ping (the service pings only "
                             "connections idle for 5 s)")
    parser.add_argument("--keep", action="store_true", help="keep the PostgreSQL schemas")
    args = parser.parse_args()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # run the finally blocks
    report = run(args)
    OUT.mkdir(parents=True, exist_ok=True)
    path = OUT / f"ingest-{args.db}-{time.strftime('%Y%m%dT%H%M%S')}.json"
    path.write_text(json.dumps(report, indent=2))
    print("\n" + "\n".join(_row(Result(**r)) for r in report["results"]))
    for key in ("service_vs_reference_single_rounds", "service_vs_reference_single",
                "service_p99_vs_reference_p99_half_reference",
                "service_batch_vs_single"):
        if key in report:
            print(f"{key}: {report[key]}")
    print(f"written {path}")


if __name__ == "__main__":
    main()
