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
Target (from the issue): p95 <= 50 ms for the queue page and the item page.
With --write-docs the table replaces the figures in docs/dashboard.md.
"""
from __future__ import annotations

import argparse
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
START, END = "<!-- bench:dashboard:start -->", "<!-- bench:dashboard:end -->"


def seed(db, comments: int) -> str:
    started = time.perf_counter()
    out = subprocess.run([sys.executable, str(ROOT / "bench" / "seed.py"), "--comments",
                          str(comments), "--flagged", "0.2", "--decided", "0.5"], cwd=ROOT,
                         env={**__import__("os").environ, **service_env(db)},
                         capture_output=True, text=True, check=True)
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


def timed(session: requests.Session, url: str, n: int, expect: int = 200) -> list[float]:
    for _ in range(min(10, n)):  # warm-up: connections, caches, SQLite page cache
        session.get(url)
    times = []
    for _ in range(n):
        t0 = time.perf_counter()
        response = session.get(url)
        times.append((time.perf_counter() - t0) * 1000)
        assert response.status_code == expect, (url, response.status_code)
    return times


def run(kind: str, comments: int, n: int, workdir: Path) -> dict:
    print(f"== {kind}: seeding {comments:,} comments", flush=True)
    db = prepare_database(kind, workdir / kind, "dashboard")
    try:
        seeded = seed(db, comments)
        print("  ", seeded, flush=True)
        env = service_env(db, MODERATION_ENV="development",  # plain HTTP: no Secure cookie
                          LOGIN_RATE_LIMIT_ADDRESS="1000 per minute")
        with Gunicorn(env=env, workers=2, log_path=workdir / f"{kind}-gunicorn.log") as server:
            base = server.url
            session = sign_in(base)
            queue = session.get(base + "/queue").text
            after = re.search(r'after=([A-Za-z0-9_-]+)[^"]*" rel="next"', queue).group(1)
            rows = {
                "queue page": timed(session, base + "/queue", n),
                "queue, flag=distress": timed(session, base + "/queue?flag=distress", n),
                "queue, next page": timed(session, f"{base}/queue?after={after}", n),
                "poll": timed(session, f"{base}/queue/poll?after=0&since={int(time.time())}",
                              n),
            }
            item_times = []
            for item_id in open_item_ids(db, n + 10)[:n]:
                t0 = time.perf_counter()
                response = session.get(f"{base}/items/{item_id}")
                item_times.append((time.perf_counter() - t0) * 1000)
                assert response.status_code == 200, response.status_code
            rows["item page (claims)"] = item_times
        return {"kind": kind, "seeded": seeded, "rows": rows}
    finally:
        db.drop()


def table(results: list[dict], n: int, comments: int) -> str:
    lines = [f"Seeded {comments:,} comments (a fifth flagged, half of those decided); "
             f"{n} sequential requests per row after 10 warm-up requests; gunicorn, 2 sync "
             f"workers; load average {load_average()} at the end.", ""]
    for result in results:
        lines += [f"**{result['kind']}** — seed: {result['seeded']}", "",
                  "| page | p50 ms | p95 ms | p99 ms | max ms |", "|---|---:|---:|---:|---:|"]
        for name, times in result["rows"].items():
            lines.append(f"| {name} | {percentile(times, 50):.1f} | {percentile(times, 95):.1f}"
                         f" | {percentile(times, 99):.1f} | {max(times):.1f} |")
        lines.append("")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", choices=["sqlite", "postgres", "both"], default="sqlite")
    parser.add_argument("--comments", type=int, default=1_000_000)
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--write-docs", action="store_true")
    args = parser.parse_args()
    kinds = ["sqlite", "postgres"] if args.db == "both" else [args.db]
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
