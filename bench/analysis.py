# ruff: noqa: E501  (long f-strings of printed figures)
"""Speed and memory of the tone engine (run by hand; prints figures, asserts nothing).

    .venv/bin/python bench/analysis.py [--n 3000]

Figures (targets from the issue):
- load: a fresh process importing moderation.analysis and analysing one comment (< 1 s, < 150 MB
  RSS); it also lists which heavy modules (Flask, SQLAlchemy, scikit-learn, NLTK) got imported
- single calls, one comment at a time, against TextBlob(text).sentiment on the same comments in the
  same run (analyze at most 2x TextBlob's cost, i.e. >= ~1,400 comments/s here)
- a 20,000-character comment (< 50 ms), several shapes
- analyze_many gives identical results to analyze
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

_LOAD = r"""
import resource, sys, time
t0 = time.perf_counter()
from moderation.analysis import analyze
a = analyze("I don't want to live anymore, you idiot")
t1 = time.perf_counter()
heavy = [m for m in ("flask", "sqlalchemy", "sklearn", "nltk") if m in sys.modules]
print(t1 - t0, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, ",".join(heavy) or "-")
"""


def _load() -> tuple[float, float, str]:
    out = subprocess.run(
        [sys.executable, "-c", _LOAD],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    return float(out[0]), float(out[1]), out[2]


def _comments(n: int) -> list[str]:
    data = Path(os.environ.get("MODERATION_DATA", ROOT.parent / "shared" / "data"))
    texts: list[str] = []
    dd = data / "domain_dev" / "comments.jsonl"
    ge = data / "goemotions" / "dev.tsv"
    if dd.exists():
        texts += [json.loads(line)["text"] for line in dd.open(encoding="utf-8") if line.strip()]
    if ge.exists():
        texts += [line.split("\t")[0] for line in ge.open(encoding="utf-8")][
            : max(0, n - len(texts))
        ]
    if not texts:
        from moderation.analysis.cases import CASES, HOLDOUT

        texts = [c[0] for c in CASES + HOLDOUT]
    while len(texts) < n:
        texts += texts
    return texts[:n]


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=3000)
    ap.add_argument("--rounds", type=int, default=3)
    args = ap.parse_args()

    loads = [_load() for _ in range(5)]
    t_load = statistics.median(x[0] for x in loads)
    rss = statistics.median(x[1] for x in loads)
    print(
        f"load: fresh process, import moderation.analysis + model + first analyze "
        f"{t_load * 1000:.0f} ms median of 5 (target < 1000 ms); peak RSS {rss:.0f} MB "
        f"(target < 150 MB); heavy modules imported: {loads[0][2]}"
    )

    from textblob import TextBlob

    from moderation.analysis import analyze, analyze_many

    texts = _comments(args.n)
    avg_len = sum(map(len, texts)) / len(texts)
    # warm up both on the same comments (lazy lexicons, the scorer's per-word cache): steady state
    for x in texts:
        analyze(x)
        _ = TextBlob(x).sentiment
    # interleave small batches of both so that load from other processes hits both alike; time is this
    # process's CPU time (time.process_time), which other processes on a shared machine disturb less
    batch = 100
    tb_t = an_t = 0.0
    ratios = []
    clock = time.process_time
    for _ in range(args.rounds):
        for i in range(0, len(texts), batch):
            chunk = texts[i : i + batch]
            t = clock()
            for x in chunk:
                _ = TextBlob(x).sentiment
            t1 = clock()
            for x in chunk:
                analyze(x)
            t2 = clock()
            tb_t += t1 - t
            an_t += t2 - t1
            if t1 > t:
                ratios.append((t2 - t1) / (t1 - t))
    n = len(texts) * args.rounds
    tb, an = n / tb_t, n / an_t
    print(
        f"throughput A ({len(texts)} comments x {args.rounds} rounds, mean {avg_len:.0f} chars, interleaved "
        f"batches of {batch}, CPU time): TextBlob sentiment {tb:,.0f}/s, analyze {an:,.0f}/s -> analyze costs "
        f"{tb / an:.2f}x TextBlob overall, median batch {statistics.median(ratios):.2f}x "
        f"(target <= 2x; >= ~1,400/s)"
    )
    # the same comments in whole passes, best of the rounds for each
    best_tb = best_an = float("inf")
    for _ in range(args.rounds):
        t = clock()
        for x in texts:
            _ = TextBlob(x).sentiment
        t1 = clock()
        for x in texts:
            analyze(x)
        t2 = clock()
        best_tb = min(best_tb, t1 - t)
        best_an = min(best_an, t2 - t1)
    print(
        f"throughput B (whole passes, best of {args.rounds}, CPU time): TextBlob sentiment "
        f"{len(texts) / best_tb:,.0f}/s, analyze {len(texts) / best_an:,.0f}/s -> analyze costs "
        f"{best_an / best_tb:.2f}x TextBlob"
    )

    big = {
        "repeated comments": (" ".join(texts[:400]))[:20000],
        "one long word": "a" * 20000,
        "quotes and apostrophes": ("'I can't' he said, \"no\" " * 1000)[:20000],
        "emoji": "😢🤡" * 10000,
        "insults and crisis words": ("you idiot, I want to die. kill yourself. " * 600)[:20000],
        "no spaces punctuation": ("!?.," * 5000),
    }
    for name, text in big.items():
        ts = []
        for _ in range(9):
            t = time.process_time()
            analyze(text)
            ts.append(time.process_time() - t)
        print(
            f"20,000-char comment ({name}, {len(text)} chars, CPU time): {min(ts) * 1000:.1f} ms best, "
            f"{statistics.median(ts) * 1000:.1f} ms median, {max(ts) * 1000:.1f} ms worst "
            "(target < 50 ms)"
        )

    sample = texts[:500]
    same = analyze_many(sample) == [analyze(x) for x in sample]
    print(f"analyze_many == analyze one by one on {len(sample)} comments: {same}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
