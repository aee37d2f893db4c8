"""Dashboard latency at scale (run by hand; prints figures, asserts nothing).

    .venv/bin/python bench/dashboard.py [--db sqlite|postgres|both] [--comments 1000000]
                                        [--requests 300] [--write-docs]

Seeds a fresh database with --comments comments (a fifth flagged, half of those decided) by
bulk insert (bench/seed.py: SQLAlchemy Core executemany, not the webhook), starts the real
service under gunicorn, signs a moderator in over HTTP, then times, one request at a time:
- the queue page (first page, open items, most urgent first),
- the queue page filtered by flag, and the next page (keyset cursor),
- the item page (each request opens, and so claims, a different open item),
- the 5-second poll (/queue/poll).
Then the same pages in-process (the app's test client in this process, no HTTP, no
gunicorn): what the service itself spends per page.
Targets (issue 17): queue and item page p95 <= 25 ms in-process and <= 50 ms over HTTP;
each run prints both against them.
With --write-docs the table replaces the figures in docs/dashboard.md.
"""
from __future__ import annotations

import argparse
import os
import random
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import requests

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.common import (  # noqa: E402
    ROOT,
    Gunicorn,
    _flask,
    load_average,
    percentile,
    prepare_database,
    service_env,
)

PASSWORD = "bench-dashboard-password"
EMAIL = "bench-dashboard@example.org"
DOC = ROOT / "docs" / "dashboard.md"
TARGET_INPROC_MS, TARGET_HTTP_MS = 25, 50  # p95, queue and item page (issue 17)
START, END = "<!-- bench:dashboard:start -->", "<!-- bench:dashboard:end -->"


def seed(db, comments: int) -> str:
    started = time.perf_counter()
    out = subprocess.run([sys.executable, str(ROOT / "bench" / "seed.py"), "--comments",
                          str(comments), "--flagged", "0.2", "--decided", "0.5"], cwd=ROOT,
                         env={**os.environ, **service_env(db)},
                         capture_output=True, text=True, check=False)
    if out.returncode:
        raise RuntimeError(f"bench/seed.py failed:\n{out.stderr[-3000:]}")
    _flask(db, "users", "create", EMAIL, "--role", "moderator", "--password", PASSWORD)
    import sqlalchemy as sa
    engine = sa.create_engine(db.url)
    with engine.begin() as conn:  # fresh planner statistics, as a DBA would after a bulk load
        conn.execute(sa.text("ANALYZE"))
    engine.dispose()
    return f"{out.stdout.strip()} in {time.perf_counter() - started:.0f} s (with ANALYZE)"


def open_item_ids(db, n: int) -> list[int]:
    import sqlalchemy as sa
    engine = sa.create_engine(db.url)
    with engine.connect() as conn:
        ids = [r[0] for r in conn.execute(sa.text(
            "SELECT id FROM review_items WHERE state = 'open' ORDER BY id"))]
    engine.dispose()
    random.Random(3).shuffle(ids)
    return ids[:n]


def sign_in(base: str) -> requests.Session:
    session = requests.Session()
    page = session.get(base + "/login").text
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
    response = session.post(base + "/login", data={"email": EMAIL, "password": PASSWORD,
                                                   "csrf_token": token},
                            allow_redirects=False)
    assert response.status_code == 302, response.text[:500]
    return session


def run(kind: str, comments: int, n: int, workdir: Path, keep: bool = False) -> dict:
    db_dir = workdir / kind
    marker = db_dir / "seeded.txt"
    if keep and marker.exists():  # --keep: measure again on the database seeded before
        from bench.common import Database
        url, schema = marker.read_text().split("\n")[:2]
        db = Database(kind, url, db_dir / "instance", schema or None)
        seeded = "reused " + marker.read_text().split("\n")[2]
    else:
        print(f"== {kind}: seeding {comments:,} comments", flush=True)
        db = prepare_database(kind, db_dir, "dashboard")
        seeded = seed(db, comments)
        marker.write_text(f"{db.url}\n{db.schema or ''}\n{seeded}")
    print("  ", seeded, flush=True)
    try:
        env = service_env(db, MODERATION_ENV="development",  # plain HTTP: no Secure cookie
                          LOGIN_RATE_LIMIT_ADDRESS="1000 per minute")
        with Gunicorn(env=env, workers=2, log_path=workdir / f"{kind}-gunicorn.log") as server:
            base = server.url
            session = sign_in(base)
            queue = session.get(base + "/queue").text
            after = re.search(r'after=([A-Za-z0-9_-]+)[^"]*" rel="next"', queue).group(1)
            pages = {
                "queue page": lambda _: base + "/queue",
                "queue, flag=distress": lambda _: base + "/queue?flag=distress",
                "queue, next page": lambda _: f"{base}/queue?after={after}",
                "poll": lambda _: f"{base}/queue/poll?after=0&since={int(time.time())}",
                "item page (claims)": lambda i: f"{base}/items/{items[i]}",
            }
            items = open_item_ids(db, n + 10)
            token = re.search(r'name="csrf-token" content="([^"]+)"', queue).group(1)
            for i in range(10):  # warm-up: connections, caches, compiled statements
                for url in pages.values():
                    session.get(url(n + i))
                session.post(f"{base}/items/{items[n + i]}/release",
                             headers={"X-CSRFToken": token})
            # Interleaved, one request at a time: every page sees the same machine load.
            rows: dict[str, list[float]] = {name: [] for name in pages}
            for i in range(n):
                for name, url in pages.items():
                    t0 = time.perf_counter()
                    response = session.get(url(i))
                    rows[name].append((time.perf_counter() - t0) * 1000)
                    assert response.status_code == 200, (name, response.status_code)
                    if name.startswith("item page"):  # put it back, as a moderator would
                        session.post(f"{base}/items/{items[i]}/release",  # (untimed)
                                     headers={"X-CSRFToken": token})
            # CPU the workers spend per request, page by page (user + system time from
            # /proc): unlike wall time, hardly changed by other processes on a shared box.
            cpu: dict[str, float] = {}
            for name, url in pages.items():
                before = worker_cpu_seconds(server)
                k = min(n, 100)
                for i in range(k):
                    session.get(url(i))
                    if name.startswith("item page"):
                        session.post(f"{base}/items/{items[i]}/release",
                                     headers={"X-CSRFToken": token})
                cpu[name] = (worker_cpu_seconds(server) - before) * 1000 / k
        inproc = in_process(db, items, n)
        return {"kind": kind, "seeded": seeded, "rows": rows, "cpu": cpu, "inproc": inproc}
    finally:
        if not keep:
            db.drop()


def in_process(db, items: list[int], n: int) -> dict[str, list[float]]:
    """The same pages through the app's test client in this process (the production config,
    the same database): the service's own time per page, without HTTP and the workers."""
    os.environ.update(service_env(db, MODERATION_ENV="development",
                                  LOGIN_RATE_LIMIT_ADDRESS="1000 per minute"))
    from moderation import create_app
    app = create_app()
    client = app.test_client()
    page = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
    response = client.post("/login", data={"email": EMAIL, "password": PASSWORD,
                                           "csrf_token": token})
    assert response.status_code == 302, response.status_code
    queue = client.get("/queue").get_data(as_text=True)
    after = re.search(r'after=([A-Za-z0-9_-]+)[^"]*" rel="next"', queue).group(1)
    csrf = re.search(r'name="csrf-token" content="([^"]+)"', queue).group(1)
    pages = {
        "queue page": lambda _: "/queue",
        "queue, flag=distress": lambda _: "/queue?flag=distress",
        "queue, next page": lambda _: f"/queue?after={after}",
        "poll": lambda _: f"/queue/poll?after=0&since={int(time.time())}",
        "item page (claims)": lambda i: f"/items/{items[i]}",
    }
    rows: dict[str, list[float]] = {name: [] for name in pages}
    for i in range(-10, n):  # 10 warm-up rounds, untimed
        for name, url in pages.items():
            t0 = time.perf_counter()
            response = client.get(url(i % len(items)))
            elapsed = (time.perf_counter() - t0) * 1000
            assert response.status_code == 200, (name, response.status_code)
            if i >= 0:
                rows[name].append(elapsed)
            if name.startswith("item page"):
                client.post(f"/items/{items[i % len(items)]}/release",
                            headers={"X-CSRFToken": csrf})
    return rows


def worker_cpu_seconds(server: Gunicorn) -> float:
    total = 0
    for pid in server.worker_pids():
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        total += int(fields[11]) + int(fields[12])  # utime, stime (clock ticks)
    return total / os.sysconf("SC_CLK_TCK")


def table(results: list[dict], n: int, comments: int) -> str:
    lines = [f"Seeded {comments:,} comments (a fifth flagged, half of those decided); "
             f"{n} requests per row, one at a time, the pages interleaved, after 10 warm-up "
             f"rounds; gunicorn, 2 sync workers; load average {load_average()} at the end "
             f"(the machine: {os.cpu_count()} CPUs, shared).", ""]
    for result in results:
        lines += [f"**{result['kind']}** — seed: {result['seeded']}", "",
                  "| page | p50 ms | p95 ms | p99 ms | max ms | server CPU ms/request |",
                  "|---|---:|---:|---:|---:|---:|"]
        for name, times in result["rows"].items():
            lines.append(f"| {name} | {percentile(times, 50):.1f} | {percentile(times, 95):.1f}"
                         f" | {percentile(times, 99):.1f} | {max(times):.1f}"
                         f" | {result['cpu'][name]:.1f} |")
        lines += ["", "In-process (the app's test client, no HTTP):", "",
                  "| page | p50 ms | p95 ms | p99 ms | max ms |", "|---|---:|---:|---:|---:|"]
        for name, times in result["inproc"].items():
            lines.append(f"| {name} | {percentile(times, 50):.1f} | {percentile(times, 95):.1f}"
                         f" | {percentile(times, 99):.1f} | {max(times):.1f} |")
        lines.append("")
    lines += ["Against the targets (p95; queue page and item page):", ""]
    for result in results:
        for name in ("queue page", "item page (claims)"):
            http = percentile(result["rows"][name], 95)
            inproc = percentile(result["inproc"][name], 95)
            ok_inproc = "met" if inproc <= TARGET_INPROC_MS else "NOT met"
            ok_http = "met" if http <= TARGET_HTTP_MS else "NOT met"
            lines.append(f"- {result['kind']}, {name}: in-process {inproc:.1f} ms (target "
                         f"<= {TARGET_INPROC_MS} ms: {ok_inproc}), HTTP {http:.1f} ms "
                         f"(target <= {TARGET_HTTP_MS} ms: {ok_http})")
    lines.append("")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", choices=["sqlite", "postgres", "both"], default="sqlite")
    parser.add_argument("--comments", type=int, default=1_000_000)
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--write-docs", action="store_true")
    parser.add_argument("--workdir", type=Path,
                        help="keep the seeded database here (with --keep, reuse it)")
    parser.add_argument("--keep", action="store_true",
                        help="keep the database for another run, and reuse a kept one")
    args = parser.parse_args()
    kinds = ["sqlite", "postgres"] if args.db == "both" else [args.db]
    if args.workdir:
        args.workdir.mkdir(parents=True, exist_ok=True)
        results = [run(kind, args.comments, args.requests, args.workdir, args.keep)
                   for kind in kinds]
    else:
        with tempfile.TemporaryDirectory(prefix="bench-dashboard-") as tmp:
            results = [run(kind, args.comments, args.requests, Path(tmp)) for kind in kinds]
    text = table(results, args.requests, args.comments)
    print(text)
    if args.write_docs and DOC.exists() and START in DOC.read_text():
        doc = DOC.read_text()
        head, rest = doc.split(START, 1)
        tail = rest.split(END, 1)[1]
        DOC.write_text(f"{head}{START}\n{text}\n{END}{tail}")
        print(f"figures written to {DOC.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
