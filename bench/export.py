"""Export benchmark: seed N comments with analyses and decisions, then time `flask export`
(CSV) as a separate process and read its peak RSS. Run by hand; figures go in the README.

    python bench/export.py --db sqlite --comments 1000000
    python bench/export.py --db postgres --comments 1000000
Also times the database's own tool writing the same query as CSV (`sqlite3 -csv`, or
`psql \\copy ... to stdout csv`): issue 17's targets are CSV <= 1.5x that floor, NDJSON and JSON
<= 1.3x the CSV, peak RSS <= 150 MB, at 1,000,000 rows.
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
sys.path.insert(0, str(ROOT))
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
    floor_out = workdir / "floor.csv"
    floor = database_tool(args.db, env["DATABASE_URL"], floor_out)
    result = {"db": args.db, "comments": args.comments, "seed": seeded,
              "load_average": " ".join(Path("/proc/loadavg").read_text().split()[:3]),
              "floor_seconds": round(floor, 2),
              "floor": "sqlite3 -csv" if args.db == "sqlite" else "psql \\copy ... csv"}
    for fmt in ("csv", "ndjson", "json"):
        out = workdir / f"export.{fmt}"
        seconds, rss = run([flask, "export", "--format", fmt, "-o", str(out)], env)
        result[fmt] = {"seconds": round(seconds, 2), "peak_rss_mb": round(rss, 1),
                       "file_mb": round(out.stat().st_size / 2**20, 1),
                       "x_floor": round(seconds / floor, 2)}
    with (workdir / "export.csv").open(newline="") as f:
        result["rows"] = sum(1 for _ in csv.reader(f)) - 1
    result["json_x_csv"] = round(result["json"]["seconds"] / result["csv"]["seconds"], 2)
    result["ndjson_x_csv"] = round(result["ndjson"]["seconds"] / result["csv"]["seconds"], 2)
    result["targets"] = {"csv x_floor": 1.5, "peak_rss_mb": 150, "(nd)json x csv": 1.3}
    print(json.dumps(result, indent=2))
    (ROOT / "bench" / "out").mkdir(exist_ok=True)
    (ROOT / "bench" / "out" / f"export-{args.db}.json").write_text(json.dumps(result, indent=2))


def database_tool(kind: str, url: str, out: Path) -> float:
    """Seconds the database's own command-line tool takes to write the export's query (the
    same SQL, unformatted cells) as CSV: the floor the export is measured against."""
    import sqlalchemy as sa
    from sqlalchemy.dialects import postgresql, sqlite

    from moderation.services.export import ExportFilters, _query
    dialect = sqlite.dialect() if kind == "sqlite" else postgresql.dialect()
    sql = str(_query(ExportFilters()).compile(dialect=dialect,
                                              compile_kwargs={"literal_binds": True}))
    sql = " ".join(sql.split())
    started = time.perf_counter()
    with out.open("wb") as fh:
        if kind == "sqlite":
            subprocess.run(["sqlite3", "-csv", "-header", sa.make_url(url).database, sql],
                           stdout=fh, check=True)
        else:
            subprocess.run(["psql", "-X", "-q", "-h", "127.0.0.1", "-U", "postgres", "test",
                            "-c", f"\\copy ({sql}) to stdout with csv header"],
                           stdout=fh, check=True,
                           env={**os.environ, "PGOPTIONS": "-csearch_path=bench_export"})
    return time.perf_counter() - started


if __name__ == "__main__":
    main()
