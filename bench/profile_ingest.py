"""Where a webhook delivery's time goes, in process (a profile, not a benchmark).

    python bench/profile_ingest.py --db sqlite|postgres [--deliveries 600] [--cprofile]

Makes a fresh, migrated database and a site, posts signed single-comment deliveries one at a
time through the app's test client (production config), and prints the time per delivery and,
per SQL statement kind, how often it runs per delivery and its client-side time (SQLAlchemy
cursor events: the driver call, including the wait for the server), and on PostgreSQL the
server round trips (psycopg's waits, BEGIN and COMMIT included). ``--cprofile`` adds the
functions with the most own time (PROFILE_SORT=cumtime and PROFILE_LINES=60 to change).
"""

from __future__ import annotations

import argparse
import collections
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import comment, create_site, prepare_database, service_env, signed  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    ap.add_argument("--deliveries", type=int, default=600)
    ap.add_argument("--cprofile", action="store_true")
    args = ap.parse_args()
    db = prepare_database(args.db, Path(tempfile.mkdtemp(prefix="profile-ingest-")),
                          name="profile")
    try:
        secret = create_site(db, "bench")
        os.environ.update(service_env(db, WEBHOOK_RATE_LIMIT="1000000 per second"))
        import sqlalchemy as sa

        from moderation import create_app

        app = create_app()
        count: collections.Counter = collections.Counter()
        spent: dict[str, float] = collections.defaultdict(float)

        @sa.event.listens_for(sa.engine.Engine, "before_cursor_execute")
        def _before(conn, cursor, statement, params, context, many):
            context._profile_t0 = time.perf_counter()

        @sa.event.listens_for(sa.engine.Engine, "after_cursor_execute")
        def _after(conn, cursor, statement, params, context, many):
            key = " ".join(statement.split())[:70]
            count[key] += 1
            spent[key] += time.perf_counter() - context._profile_t0

        waits = [0]  # PostgreSQL: psycopg waits on the server once per round trip
        if args.db == "postgres":
            import psycopg

            wait = psycopg.Connection.wait

            def counted(self, *a, **k):
                waits[0] += 1
                return wait(self, *a, **k)

            psycopg.Connection.wait = counted

        client = app.test_client()

        def post(i: int) -> None:
            body, headers = signed(secret, {"comments": [comment(f"c{i}", i=i)]})
            r = client.post("/api/v1/sites/bench/comments", data=body, headers=headers)
            if r.status_code >= 300:
                raise RuntimeError(f"{r.status_code}: {r.data[:200]!r}")

        for i in range(100):  # warm-up: imports, models, pools, prepared statements
            post(i)
        count.clear()
        spent.clear()
        waits[0] = 0
        n = args.deliveries
        profiler = None
        if args.cprofile:
            import cProfile

            profiler = cProfile.Profile()
            profiler.enable()
        t0 = time.perf_counter()
        for i in range(100, 100 + n):
            post(i)
        total = time.perf_counter() - t0
        if profiler:
            import pstats

            profiler.disable()
            sort, lines = os.environ.get("PROFILE_SORT", "tottime"), os.environ.get(
                "PROFILE_LINES", "15")
            pstats.Stats(profiler).sort_stats(sort).print_stats(int(lines))
        print(f"{args.db}: {total / n * 1000:.2f} ms per delivery (in process, one at a time)")
        if args.db == "postgres":
            print(f"server round trips (psycopg waits) {waits[0] / n:.2f} per delivery")
        print(f"statements {sum(count.values()) / n:.1f} per delivery, client-side "
              f"{sum(spent.values()) / n * 1000:.2f} ms")
        for key, c in count.most_common():
            print(f"{c / n:5.2f} x {spent[key] / c * 1e6:7.0f} µs  {key}")
    finally:
        db.drop()


if __name__ == "__main__":
    main()
