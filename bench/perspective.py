"""Latency of the Perspective-compatible API and the Coral Talk phase: single calls, over HTTP.

    .venv/bin/python bench/perspective.py --db sqlite --calls 300
    .venv/bin/python bench/perspective.py --db postgres --calls 300

The real service under gunicorn (2 sync workers, production config) on a fresh database; one
client sends one call at a time (a comment platform's phase is one call per comment) and the
time is measured from send to the last byte. Comments cycle through bench/common.TEXTS, a mix
of calm, critical, distressed and hostile comments (about a third are flagged, so they are
stored and queued too). Phases:
  analyze        comments:analyze, TOXICITY only, doNotStore (Coral's default body)
  analyze-all    all eight attributes, stored when flagged (a client keeping the default)
  analyze-spans  all eight attributes with spanAnnotations
  coral-phase    the external moderation phase, signed as Coral signs it
Targets (issue 15): p95 <= 50 ms for analyze and for the phase. Prints a table and writes
bench/out/perspective-<db>-<time>.json.
"""
from __future__ import annotations

import argparse
import hashlib
import hmac
import http.client
import json
import platform
import re
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import (  # noqa: E402
    ROOT,
    TEXTS,
    Gunicorn,
    _flask,
    create_site,
    load_average,
    percentile,
    prepare_database,
    service_env,
)

OUT = ROOT / "bench" / "out"
CORAL_SECRET = "ems_bench0123456789abcdef0123456789"
ALL = ["TOXICITY", "SEVERE_TOXICITY", "IDENTITY_ATTACK", "INSULT", "PROFANITY", "THREAT",
       "DISTRESS", "SELF_HARM"]


def _bodies(kind: str, calls: int, key: str, slug: str) -> list[tuple[str, bytes, dict]]:
    out = []
    for i in range(calls):
        text = f"{TEXTS[i % len(TEXTS)]} ({i})"  # each call a new comment: no dedupe shortcut
        headers = {"Content-Type": "application/json"}
        if kind == "coral-phase":
            body = json.dumps({
                "action": "NEW", "comment": {"body": f"<p>{text}</p>", "parentID": None},
                "author": {"id": f"u{i % 50}", "role": "COMMENTER"},
                "story": {"id": "s1", "url": "https://news.example.org/ms"},
                "site": {"id": "c1"}, "tenantID": "t1", "tenantDomain": "c.example.org"},
                indent=2).encode()
            headers["X-Coral-Signature"] = "sha256=" + hmac.new(
                CORAL_SECRET.encode(), body, hashlib.sha256).hexdigest()
            out.append((f"/integrations/coral/sites/{slug}/phase", body, headers))
            continue
        request: dict = {"comment": {"text": text}, "languages": ["en"]}
        if kind == "analyze":
            request.update(requestedAttributes={"TOXICITY": {}}, doNotStore=True)
        else:
            request["requestedAttributes"] = {a: {} for a in ALL}
            request["spanAnnotations"] = kind == "analyze-spans"
        out.append((f"/v1alpha1/comments:analyze?key={key}", json.dumps(request).encode(),
                    headers))
    return out


def _run(port: int, calls: list[tuple[str, bytes, dict]]) -> dict:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    times, statuses = [], {}
    for path, body, headers in calls:
        start = time.perf_counter()
        conn.request("POST", path, body=body, headers=headers)
        response = conn.getresponse()
        response.read()
        times.append((time.perf_counter() - start) * 1000)
        statuses[response.status] = statuses.get(response.status, 0) + 1
    conn.close()
    return {"calls": len(times), "p50_ms": round(percentile(times, 50), 1),
            "p95_ms": round(percentile(times, 95), 1), "p99_ms": round(percentile(times, 99), 1),
            "statuses": statuses}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--calls", type=int, default=300)
    parser.add_argument("--warmup", type=int, default=20)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        db = prepare_database(args.db, Path(tmp), "perspective")
        try:
            create_site(db, "bench-site")
            key = re.search(r"^key: (\S+)$", _flask(db, "sites", "api-key", "bench-site"),
                            re.M).group(1)
            _flask(db, "sites", "coral-secret", "bench-site", "--secret", CORAL_SECRET)
            server = Gunicorn(app="wsgi:app", workers=2,
                              env=service_env(db, PERSPECTIVE_RATE_LIMIT="100000 per second",
                                              WEBHOOK_RATE_LIMIT="100000 per second"))
            server.start(timeout=120)
            try:
                results = {}
                for kind in ("analyze", "analyze-all", "analyze-spans", "coral-phase"):
                    _run(server.port, _bodies(kind, args.warmup, key, "bench-site"))
                    results[kind] = _run(server.port, _bodies(kind, args.calls, key,
                                                              "bench-site"))
            finally:
                server.stop()
        finally:
            db.drop()

    report = {"db": args.db, "load_average": load_average(), "python": platform.python_version(),
              "when": time.strftime("%Y-%m-%d %H:%M"), "results": results}
    print(f"Perspective API and Coral phase, single calls over HTTP, {args.db}, "
          f"load {report['load_average']}")
    print(f"{'phase':<15}{'calls':>7}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}  statuses")
    for kind, r in results.items():
        print(f"{kind:<15}{r['calls']:>7}{r['p50_ms']:>9}{r['p95_ms']:>9}{r['p99_ms']:>9}  "
              f"{r['statuses']}")
    OUT.mkdir(exist_ok=True)
    path = OUT / f"perspective-{args.db}-{time.strftime('%Y%m%d-%H%M%S')}.json"
    path.write_text(json.dumps(report, indent=2))
    print(f"written {path.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
