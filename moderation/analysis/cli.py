"""Command line: stream JSON lines through the engine, or run evaluate / train."""
from __future__ import annotations

import json
import sys


def stream(inp=None, out=None) -> int:
    from .engine import analyze

    inp = inp or sys.stdin
    out = out or sys.stdout
    for line in inp:
        if not line.strip():
            continue
        rid = None
        try:
            obj = json.loads(line)
            if not isinstance(obj, dict):
                raise ValueError("line is not a JSON object")
            rid = obj.get("id")
            text = obj.get("text")
            if not isinstance(text, str):
                raise ValueError("'text' must be a string")
            ctx = obj.get("context") if isinstance(obj.get("context"), dict) else None
            a = analyze(text, context=ctx)
            rec = {"id": rid, "flags": list(a.flags), "tags": list(a.tags),
                   "scores": {k: round(float(v), 4) for k, v in a.scores.items()},
                   "evidence": [s.to_dict() for s in a.evidence]}
        except Exception as exc:  # a bad line never stops the run
            rec = {"id": rid if isinstance(rid, (str, int, float)) or rid is None else str(rid),
                   "error": f"{type(exc).__name__}: {exc}"}
        out.write(json.dumps(rec, ensure_ascii=False) + "\n")
        out.flush()
    return 0


def main(argv=None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv and argv[0] == "evaluate":
        from .evaluate import main as ev

        return ev(argv[1:])
    if argv and argv[0] == "train":
        from .train import main as tr

        return tr(argv[1:])
    if argv and argv[0] in ("-h", "--help"):
        print("usage: python -m moderation.analysis [evaluate|train] < lines.jsonl")
        return 0
    return stream()
