"""Delivery under faults: does every acknowledged comment end up stored exactly once?

    .venv/bin/python bench/faults.py --db sqlite --comments 50000
    .venv/bin/python bench/faults.py --db postgres --comments 50000

A sender that behaves like a Standard Webhooks sender (each message signed afresh per attempt
with the same webhook-id; up to 5 retries with exponential backoff and jitter, honouring
Retry-After; retries on 429, 5xx and connection errors, never on other 4xx) delivers
--comments comments in batches of 1..--batch-max to the service under gunicorn (2 workers),
with 5% duplicate deliveries (half the same webhook-id, half a new one with the same body)
and 1% bad deliveries (bad signature, stale timestamp, malformed JSON, schema errors).
Meanwhile it SIGKILLs a gunicorn worker --kills times, and once, half-way: on SQLite holds
the write lock for 5 s from another process (BEGIN IMMEDIATE); on PostgreSQL stops the
server for 10 s (pg_ctlcluster ... stop/start; always started again in a finally block).

At the end it compares what the sender saw acknowledged with the database: acknowledged,
stored, lost (acknowledged but not stored: must be 0), duplicated (must be 0), 5xx answers
to bad input (must be 0), 503s during the outage (expected), and the time to recover after
each fault. Writes bench/out/faults-<db>-<time>.json.
"""
from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import signal
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field
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
)
from moderation.signing import new_secret, sign  # noqa: E402

OUT = ROOT / "bench" / "out"
PG_VERSION = os.environ.get("PG_VERSION", "15")
PG_CLUSTER = os.environ.get("PG_CLUSTER", "main")
SITE = "faults"
RETRIES = 5


@dataclass
class Message:
    """One webhook message: a webhook-id and a body; `kind` says what answer is right."""
    msg_id: str
    body: bytes
    ids: list[str]
    kind: str = "good"  # good | dup-same-id | dup-new-id | bad-signature | stale | ...
    status: int | None = None  # the final answer
    attempts: int = 0
    acked: bool = False
    answers: list[int] = field(default_factory=list)


@dataclass
class Attempt:
    sent: float
    done: float
    status: int  # 0: connection error
    kind: str


@dataclass
class Fault:
    kind: str
    start: float
    end: float = 0.0
    detail: str = ""
    recovered_s: float | None = None
    errors_until_s: float | None = None
    respawn_s: float | None = None


class Sender:
    def __init__(self, port: int, secret: str, threads: int, base_backoff: float):
        self.port, self.secret, self.threads = port, secret, threads
        self.base_backoff = base_backoff
        self.attempts: list[Attempt] = []
        self.lock = threading.Lock()
        self.finished = 0
        self.path = f"/api/v1/sites/{SITE}/comments"

    def headers(self, msg: Message) -> dict[str, str]:
        ts = int(time.time())
        secret = self.secret
        if msg.kind == "bad-signature":
            secret = WRONG_SECRET
        elif msg.kind == "stale":
            ts -= 600
        return {"webhook-id": msg.msg_id, "webhook-timestamp": str(ts),
                "webhook-signature": sign(secret, msg.msg_id, ts, msg.body),
                "Content-Type": "application/json"}

    def post(self, conn: http.client.HTTPConnection, msg: Message) -> tuple[int, str | None]:
        try:
            conn.request("POST", self.path, body=msg.body, headers=self.headers(msg))
            response = conn.getresponse()
            response.read()
            retry_after = response.getheader("Retry-After")
            if response.will_close:
                conn.close()
            return response.status, retry_after
        except (OSError, http.client.HTTPException):
            conn.close()
            return 0, None

    def deliver(self, conn: http.client.HTTPConnection, msg: Message, rng: random.Random):
        for attempt in range(RETRIES + 1):
            sent = time.monotonic()
            status, retry_after = self.post(conn, msg)
            done = time.monotonic()
            with self.lock:
                self.attempts.append(Attempt(sent, done, status, msg.kind))
            msg.attempts += 1
            msg.answers.append(status)
            msg.status = status
            if status == 200:
                msg.acked = True
                return
            if status not in (0, 429) and status < 500:
                return  # a 4xx other than 429: the sender gives up at once
            if attempt == RETRIES:
                return
            delay = self.base_backoff * 2 ** attempt * (0.5 + rng.random())
            if retry_after and retry_after.isdigit():
                delay = max(delay, min(float(retry_after), 5.0))
            time.sleep(delay)

    def run(self, messages: list[Message]) -> None:
        it = iter(messages)
        take = threading.Lock()

        def worker(n: int):
            rng = random.Random(n)
            conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
            while True:
                with take:
                    msg = next(it, None)
                if msg is None:
                    break
                self.deliver(conn, msg, rng)
                with self.lock:
                    self.finished += 1
            conn.close()

        threads = [threading.Thread(target=worker, args=(n,)) for n in range(self.threads)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()


WRONG_SECRET = new_secret()


def make_messages(n_comments: int, batch_max: int, dup_rate: float, bad_rate: float,
                  rng: random.Random) -> list[Message]:
    good: list[Message] = []
    made = 0
    while made < n_comments:
        size = min(rng.randint(1, batch_max), n_comments - made)
        items = [comment(f"f{made + j}", i=made + j) for j in range(size)]
        payload = items[0] if size == 1 else {"comments": items}
        good.append(Message("msg_" + uuid.uuid4().hex, json.dumps(payload).encode(),
                            [c["id"] for c in items]))
        made += size
    messages = list(good)
    # Duplicates: redeliveries of earlier messages, later in the stream (sometimes at once).
    for _ in range(round(len(good) * dup_rate)):
        original = rng.choice(good)
        pos = messages.index(original) + rng.randint(0, 200)
        same_id = rng.random() < 0.5
        dup = Message(original.msg_id if same_id else "msg_" + uuid.uuid4().hex,
                      original.body, original.ids, "dup-same-id" if same_id else "dup-new-id")
        messages.insert(min(pos, len(messages)), dup)
    # Bad deliveries: none of them may be stored, none may get a 5xx.
    bad_kinds = ["bad-signature", "stale", "malformed-json", "schema-error"]
    for i in range(max(4, round(len(good) * bad_rate))):
        kind = bad_kinds[i % len(bad_kinds)]
        cid = f"bad{i}"
        if kind == "malformed-json":
            body = json.dumps(comment(cid)).encode()[:-7]
        elif kind == "schema-error":
            body = json.dumps({"comments": [{"id": cid, "text": 5, "region": "Britain"}]}).encode()
        else:
            body = json.dumps(comment(cid)).encode()
        messages.insert(rng.randint(0, len(messages)),
                        Message("msg_" + uuid.uuid4().hex, body, [cid], kind))
    return messages


EXPECTED_BAD = {"bad-signature": 401, "stale": 401, "malformed-json": 400, "schema-error": 422}


def pg_ctl(action: str) -> None:
    subprocess.run(["pg_ctlcluster", "--skip-systemctl-redirect", PG_VERSION, PG_CLUSTER,
                    action, *(["-m", "fast"] if action == "stop" else [])], check=True,
                   capture_output=True, text=True)


def pg_online() -> bool:
    out = subprocess.run(["pg_lsclusters", "-h"], capture_output=True, text=True, check=False)
    return any(line.split()[:2] == [PG_VERSION, PG_CLUSTER] and "online" in line
               for line in out.stdout.splitlines())


class FaultInjector(threading.Thread):
    """Runs the faults in order, each when the sender's progress reaches its mark."""

    def __init__(self, args, server: Gunicorn, sender: Sender, total: int, db_path: str | None):
        super().__init__(daemon=True)
        self.args, self.server, self.sender, self.total = args, server, sender, total
        self.db_path = db_path
        self.faults: list[Fault] = []
        self.stop_flag = threading.Event()
        self.error: BaseException | None = None
        marks = [(i / (args.kills + 1), "kill") for i in range(1, args.kills + 1)]
        if not args.no_db_fault:
            marks.append((0.5 + 0.5 / (args.kills + 1), "db"))
        self.plan = sorted(marks)

    def progress(self) -> float:
        return self.sender.finished / self.total

    def run(self) -> None:
        try:
            for mark, kind in self.plan:
                while self.progress() < mark:
                    if self.stop_flag.wait(0.05):
                        return
                if kind == "kill":
                    self.kill()
                elif self.args.db == "sqlite":
                    self.hold_sqlite_lock(5.0)
                else:
                    self.stop_postgres(10.0)
        except BaseException as exc:  # noqa: BLE001 - reported at the end
            self.error = exc

    def kill(self) -> None:
        before = set(self.server.worker_pids())
        start = time.monotonic()
        pid = self.server.kill_worker(signal.SIGKILL)
        fault = Fault("kill worker", start, start, f"pid {pid}")
        self.faults.append(fault)
        # The master forks a replacement: how long until the worker count is whole again.
        while time.monotonic() - start < 30:
            now = set(self.server.worker_pids())
            if len(now) >= self.server.workers and now != before:
                fault.respawn_s = time.monotonic() - start
                break
            time.sleep(0.02)

    def hold_sqlite_lock(self, seconds: float) -> None:
        code = ("import sqlite3,sys,time; c=sqlite3.connect(sys.argv[1], isolation_level=None,"
                " timeout=30); c.execute('BEGIN IMMEDIATE'); print('locked', flush=True); "
                "time.sleep(float(sys.argv[2])); c.execute('ROLLBACK')")
        proc = subprocess.Popen([sys.executable, "-c", code, self.db_path, str(seconds)],
                                stdout=subprocess.PIPE, text=True)
        proc.stdout.readline()
        fault = Fault("sqlite write lock held", time.monotonic(), detail=f"{seconds:g} s")
        proc.wait()
        fault.end = time.monotonic()
        self.faults.append(fault)

    def stop_postgres(self, seconds: float) -> None:
        fault = Fault("postgresql stopped", time.monotonic(), detail=f"{seconds:g} s")
        self.faults.append(fault)
        try:
            pg_ctl("stop")
            stopped = time.monotonic()
            fault.detail = f"down {seconds:g} s; stop took {stopped - fault.start:.2f} s"
            time.sleep(seconds)
        finally:
            pg_ctl("start")
            fault.end = time.monotonic()


def database_counts(db_url: str) -> dict:
    import sqlalchemy as sa
    engine = sa.create_engine(db_url)
    with engine.connect() as conn:
        site_id = conn.execute(sa.text("SELECT id FROM sites WHERE slug = :s"),
                               {"s": SITE}).scalar()
        rows = conn.execute(sa.text(
            "SELECT external_id, count(*) FROM comments WHERE site_id = :s GROUP BY external_id"),
            {"s": site_id}).all()
        analyses = conn.execute(sa.text(
            "SELECT c.external_id, count(a.id) FROM comments c LEFT JOIN analyses a "
            "ON a.comment_id = c.id WHERE c.site_id = :s GROUP BY c.external_id"),
            {"s": site_id}).all()
        items = conn.execute(sa.text(
            "SELECT count(*), count(DISTINCT comment_id) FROM review_items WHERE site_id = :s"),
            {"s": site_id}).one()
        texts = dict(conn.execute(sa.text(
            "SELECT external_id, text FROM comments WHERE site_id = :s"), {"s": site_id}).all())
    engine.dispose()
    return {"per_id": dict(rows), "analyses": dict(analyses), "review_items": tuple(items),
            "texts": texts}


def recovery(attempts: list[Attempt], after: float) -> float | None:
    """Seconds from the end of a fault to the first 200 answer after it: serving again."""
    done = [a.done for a in attempts if a.status == 200 and a.done >= after]
    return min(done) - after if done else None


def last_error(attempts: list[Attempt], after: float, until: float) -> float:
    """Seconds from the end of a fault to the last failed answer (connection error or 5xx)
    before `until` (the next fault, or 30 s): how long errors lingered (0: none)."""
    late = [a.done - after for a in attempts
            if (a.status == 0 or a.status >= 500) and after <= a.done <= until]
    return max(late, default=0.0)


def run(args) -> dict:
    rng = random.Random(args.seed)
    workdir = Path(tempfile.mkdtemp(prefix=f"bench-faults-{args.db}-"))
    print(f"workdir {workdir}; load average {load_average()}", flush=True)
    if args.db == "postgres" and not pg_online():
        raise SystemExit("PostgreSQL is not online")
    db = prepare_database(args.db, workdir, name="bench_faults")
    secret = create_site(db, SITE)
    messages = make_messages(args.comments, args.batch_max, args.dup_rate, args.bad_rate, rng)
    total = len(messages)
    good_ids = {cid for m in messages if m.kind == "good" for cid in m.ids}
    print(f"{len(good_ids)} comments in {total} deliveries "
          f"({Counter(m.kind for m in messages)})", flush=True)
    server = Gunicorn("wsgi:app", workers=2, log_path=workdir / "gunicorn.log",
                      env=service_env(db, WEBHOOK_RATE_LIMIT=args.rate_limit))
    server.start()
    sender = Sender(server.port, secret, args.threads, args.backoff)
    db_path = db.url.removeprefix("sqlite:///") if args.db == "sqlite" else None
    injector = FaultInjector(args, server, sender, total, db_path)
    t0 = time.monotonic()
    try:
        injector.start()
        sender.run(messages)
        elapsed = time.monotonic() - t0
        injector.stop_flag.set()
        injector.join(60)
    finally:
        if args.db == "postgres" and not pg_online():
            pg_ctl("start")  # never leave PostgreSQL down: other people's tests use it
        server.stop()
    if injector.error:
        print(f"fault injector error: {injector.error!r}", flush=True)

    counts = database_counts(db.url)
    per_id, analyses = counts["per_id"], counts["analyses"]
    acked_ids = {cid for m in messages if m.acked and m.kind not in EXPECTED_BAD
                 for cid in m.ids}
    stored_ids = set(per_id)
    expected_text = {}
    for m in messages:
        if m.kind == "good":
            data = json.loads(m.body)
            for c in data.get("comments", [data]):
                expected_text[c["id"]] = c["text"]
    bad = [m for m in messages if m.kind in EXPECTED_BAD]
    bad_ids = {cid for m in bad for cid in m.ids}
    db_fault = next((f for f in injector.faults if not f.kind.startswith("kill")), None)
    # The outage, and then up to 10 s (the recovery target) for the workers to reconnect.
    in_window = (lambda a: db_fault.start <= a.done <= db_fault.end + 10) if db_fault \
        else (lambda a: False)
    for i, fault in enumerate(injector.faults):
        fault.recovered_s = recovery(sender.attempts, fault.end)
        nxt = injector.faults[i + 1].start if i + 1 < len(injector.faults) else float("inf")
        fault.errors_until_s = last_error(sender.attempts, fault.end, min(fault.end + 30, nxt))
    statuses = Counter(a.status for a in sender.attempts)
    report = {
        "db": args.db, "when": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "args": vars(args), "elapsed_s": round(elapsed, 1),
        "load_average_end": load_average(),
        "comments": len(good_ids), "deliveries": total,
        "deliveries_by_kind": dict(Counter(m.kind for m in messages)),
        "attempts": len(sender.attempts), "answers": {str(k): v for k, v in statuses.items()},
        "acknowledged": len(acked_ids),
        "stored": len(stored_ids),
        "lost": len(acked_ids - stored_ids),
        "lost_ids_sample": sorted(acked_ids - stored_ids)[:20],
        "duplicated": sum(1 for n in per_id.values() if n > 1),
        "analyses_not_exactly_one": sum(1 for n in analyses.values() if n != 1),
        "review_items_duplicated": counts["review_items"][0] - counts["review_items"][1],
        "stored_text_mismatch": sum(1 for cid, text in counts["texts"].items()
                                    if cid in expected_text and expected_text[cid] != text),
        "stored_not_acknowledged": len(stored_ids - acked_ids),
        "never_stored_never_acknowledged": len(good_ids - stored_ids - acked_ids),
        "gave_up_deliveries": sum(1 for m in messages if not m.acked
                                  and m.kind not in EXPECTED_BAD),
        "bad_stored": len(bad_ids & stored_ids),
        "bad_final_answers": dict(Counter(f"{m.kind}:{m.status}" for m in bad)),
        "bad_wrong_final_answer": sum(1 for m in bad if m.status != EXPECTED_BAD[m.kind]),
        "bad_5xx_answers": sum(1 for a in sender.attempts
                               if a.kind in EXPECTED_BAD and a.status >= 500 and not in_window(a)),
        "bad_5xx_during_db_fault": sum(1 for a in sender.attempts
                                       if a.kind in EXPECTED_BAD and a.status >= 500
                                       and in_window(a)),
        "unexpected_5xx_outside_db_fault": sum(1 for a in sender.attempts if a.status >= 500
                                         and not in_window(a) and a.kind in ("good", "dup-same-id",
                                                                             "dup-new-id")),
        "answers_503_during_db_fault": sum(1 for a in sender.attempts if a.status == 503
                                           and db_fault and db_fault.start <= a.done
                                           <= db_fault.end),
        "answers_503_within_10s_after_db_fault": sum(
            1 for a in sender.attempts if a.status == 503 and db_fault
            and db_fault.end < a.done <= db_fault.end + 10),
        "connection_errors": statuses.get(0, 0),
        "faults": [{"kind": f.kind, "at_s": round(f.start - t0, 2),
                    "duration_s": round(f.end - f.start, 2), "detail": f.detail,
                    "recovered_s": None if f.recovered_s is None else round(f.recovered_s, 3),
                    "errors_until_s": round(f.errors_until_s or 0.0, 3),
                    "respawn_s": None if f.respawn_s is None else round(f.respawn_s, 3)}
                   for f in injector.faults],
        "injector_error": repr(injector.error) if injector.error else None,
    }
    kills = [f for f in injector.faults if f.kind.startswith("kill")]
    rec = [max(f.recovered_s, f.errors_until_s or 0.0) for f in injector.faults
           if f.recovered_s is not None]
    report["kills"] = len(kills)
    report["kill_respawn_p50_s"] = round(percentile([f.respawn_s for f in kills
                                                     if f.respawn_s is not None], 50), 3) \
        if kills else None
    report["max_recovery_s"] = round(max(rec), 3) if rec else None
    if not args.keep:
        db.drop()
    return report


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--comments", type=int, default=50_000)
    parser.add_argument("--batch-max", type=int, default=20,
                        help="deliveries hold 1..N comments (default 20)")
    parser.add_argument("--threads", type=int, default=16, help="concurrent sender threads")
    parser.add_argument("--kills", type=int, default=30)
    parser.add_argument("--dup-rate", type=float, default=0.05)
    parser.add_argument("--bad-rate", type=float, default=0.01)
    parser.add_argument("--backoff", type=float, default=0.5, help="first retry delay, s")
    parser.add_argument("--no-db-fault", action="store_true")
    parser.add_argument("--rate-limit", default="1000000 per second",
                        help="the service's WEBHOOK_RATE_LIMIT (per worker), e.g. '10 per second' "
                             "to make the sender meet 429s")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--keep", action="store_true", help="keep the PostgreSQL schema")
    args = parser.parse_args()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # run the finally blocks
    try:
        report = run(args)
    finally:
        if args.db == "postgres" and not pg_online():
            pg_ctl("start")
    OUT.mkdir(parents=True, exist_ok=True)
    path = OUT / f"faults-{args.db}-{time.strftime('%Y%m%dT%H%M%S')}.json"
    path.write_text(json.dumps(report, indent=2))
    for key, value in report.items():
        if key not in ("faults", "args"):
            print(f"{key:34} {value}")
    print("faults:")
    for f in report["faults"]:
        print(f"  {f['kind']:24} at {f['at_s']:7.2f} s  {f['duration_s']:5.2f} s  "
              f"serving again {f['recovered_s']} s  errors until {f['errors_until_s']} s  "
              f"worker respawn {f['respawn_s']} s  {f['detail']}")
    ok = (report["lost"] == 0 and report["duplicated"] == 0 and report["bad_5xx_answers"] == 0
          and report["bad_stored"] == 0 and report["analyses_not_exactly_one"] == 0
          and report["unexpected_5xx_outside_db_fault"] == 0)
    print(f"{'PASS' if ok else 'FAIL'}: written {path}")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
