"""Export benchmark: seed N comments with analyses and decisions, then time `flask export`
(CSV) as a separate process and read its peak RSS. Run by hand; figures go in the README.

    python bench/export.py --db sqlite --comments 1000000
    python bench/export.py --db postgres --comments 1000000
Targets: <= 20 s and <= 150 MB peak RSS for 1,000,000 comments.
"""
from __future__ import annotations

import argparse
import csv
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PG_BASE = "postgresql+psycopg://postgres@127.0.0.1:5432/test"


def database(kind: str, workdir: Path) -> str:
    if kind == "sqlite":
        return f"sqlite:///{workdir / 'bench.sqlite3'}"
    import sqlalchemy as sa
    engine = sa.create_engine(PG_BASE)
    with engine.begin() as conn:
        conn.execute(sa.text("DROP SCHEMA IF EXISTS bench_export CASCADE"))
        conn.execute(sa.text("CREATE SCHEMA bench_export"))
    engine.dispose()
    return PG_BASE + "?options=-csearch_path%3Dbench_export"


def run(cmd: list[str], env: dict) -> tuple[float, float]:
    """Wall seconds and peak RSS (MB) of a child process."""
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, env=env, cwd=ROOT)
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - started
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"{cmd} failed")
    return elapsed, usage.ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--comments", type=int, default=1_000_000)
    parser.add_argument("--flagged", type=float, default=1.0,
                        help="share of comments flagged (1.0: every comment is a log row)")
    parser.add_argument("--decided", type=float, default=0.5)
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="bench-export-"))
    env = {**os.environ, "DATABASE_URL": database(args.db, workdir),
           "MODERATION_INSTANCE": str(workdir), "FLASK_APP": "wsgi"}
    flask = str(Path(sys.executable).parent / "flask")
    subprocess.run([flask, "db", "upgrade"], env=env, cwd=ROOT, check=True,
                   capture_output=True)
    seeded = subprocess.run(
        [sys.executable, "bench/seed.py", "--comments", str(args.comments),
         "--flagged", str(args.flagged), "--decided", str(args.decided)],
        env=env, cwd=ROOT, check=True, capture_output=True, text=True).stdout.strip()
    out = workdir / "export.csv"
    seconds, rss = run([flask, "export", "--format", "csv", "-o", str(out)], env)
    with out.open(newline="") as f:
        rows = sum(1 for _ in csv.reader(f)) - 1
    result = {"db": args.db, "comments": args.comments, "seed": seeded, "rows": rows,
              "seconds": round(seconds, 1), "peak_rss_mb": round(rss, 1),
              "rows_per_s": round(rows / seconds), "file_mb": round(out.stat().st_size / 2**20, 1),
              "targets": {"seconds": 20, "peak_rss_mb": 150}}
    print(json.dumps(result, indent=2))
    (ROOT / "bench" / "out").mkdir(exist_ok=True)
    (ROOT / "bench" / "out" / f"export-{args.db}.json").write_text(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
