# ruff: noqa: E501  (long f-strings of printed figures)
"""Speed and memory of the tone engine (run by hand; prints figures, asserts nothing).

    .venv/bin/python bench/analysis.py [--n 400]

Targets (issue: tone engine 2.0, inline tier, this 2-core machine):
- load: a fresh process importing moderation.analysis and analysing one comment: <= 3 s;
  RSS <= 600 MB per worker (after a batch, too);
- analyze on typical comments one at a time: p50 <= 15 ms, p99 <= 60 ms;
- a 20,000-character comment: <= 250 ms;
- analyze_many batched: >= 150 comments/s per core (MODERATION_ENCODER_THREADS=1).
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

_LOAD = r"""
import resource, time
t0 = time.perf_counter()
from moderation.analysis import analyze
analyze("I don't want to live anymore, you idiot")
print(time.perf_counter() - t0, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
"""

OPENINGS = ["Thanks for this article.", "I have MS and", "My husband was diagnosed last year and",
            "Honestly,", "As a carer,", "This is so useful:", "Not sure I agree:"]
MIDDLES = ["the fatigue is the worst part", "my legs give way on the stairs", "I cried reading it",
           "the physio tips helped a lot", "the author clearly never met a patient",
           "I feel like nobody listens", "we found a new routine that works",
           "waiting lists here are over a year", "some days I can't see the point"]
ENDINGS = ["", "Thank you.", "What do others do?", "Rubbish advice.", "Sending love to all.",
           "I'm so tired of all of it."]


def comments(n: int, seed: int = 7) -> list[str]:
    """Typical comments: one to four sentences, 8 to 70 words (no test set is read)."""
    rnd = random.Random(seed)
    out = []
    for _ in range(n):
        parts = [rnd.choice(OPENINGS)] + [rnd.choice(MIDDLES) + "." for _ in range(rnd.randint(1, 3))]
        out.append(" ".join(parts + [rnd.choice(ENDINGS)]).strip())
    return out


def pct(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(q * len(values)))]


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=400)
    args = ap.parse_args()
    print(f"load average {os.getloadavg()[0]:.2f}, encoder threads "
          f"{os.environ.get('MODERATION_ENCODER_THREADS', '1')}")
    loads = []
    for _ in range(3):
        out = subprocess.run([sys.executable, "-c", _LOAD], cwd=ROOT, capture_output=True,
                             text=True, check=True).stdout.split()
        loads.append((float(out[0]), float(out[1])))
    print(f"load + first comment: {min(t for t, _ in loads):.2f}-{max(t for t, _ in loads):.2f} s, "
          f"RSS {max(m for _, m in loads):.0f} MB   (targets <= 3 s, <= 600 MB)")

    from moderation.analysis import analyze, analyze_many

    texts = comments(args.n)
    analyze(texts[0])
    times = []
    for t in texts:
        t0 = time.perf_counter()
        analyze(t)
        times.append((time.perf_counter() - t0) * 1000)
    print(f"analyze, one at a time, {len(texts)} typical comments ({statistics.mean(map(len, texts)):.0f} chars): "
          f"p50 {pct(times, 0.5):.1f} ms, p99 {pct(times, 0.99):.1f} ms   (targets <= 15 ms, <= 60 ms)")

    t0 = time.perf_counter()
    analyze_many(texts)
    dt = time.perf_counter() - t0
    print(f"analyze_many, batched, with evidence: {len(texts) / dt:.0f} comments/s   (target >= 150/s per core)")
    t0 = time.perf_counter()
    analyze_many(texts, explain=False)
    dt = time.perf_counter() - t0
    print(f"analyze_many, batched, scores and flags only: {len(texts) / dt:.0f} comments/s")

    shapes = {
        "prose": (" ".join(texts) * 20)[:20000],
        "one word repeated": ("tired " * 4000)[:20000],
        "no spaces": "a" * 20000,
        "crisis at the end": (" ".join(texts) * 20)[:19950] + " I want to die.",
    }
    for name, t in shapes.items():
        runs = []
        for _ in range(5):
            t0 = time.perf_counter()
            a = analyze(t)
            runs.append((time.perf_counter() - t0) * 1000)
        print(f"20,000 characters, {name}: median {statistics.median(runs):.0f} ms, max {max(runs):.0f} ms, flags {a.flags}   (target <= 250 ms)")

    import resource

    print(f"RSS after all of it: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB   (target <= 600 MB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
