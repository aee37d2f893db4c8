"""Command line.

python -m moderation.analysis            JSON lines {"id", "text"[, "context"]} on stdin ->
                                         one JSON line per input, in order, flushed per line:
                                         {"id", "flags", "tags", "scores", "evidence"}
                                         a bad line gets {"id", "error"} (id null if unknown)
python -m moderation.analysis evaluate   quality figures (needs ../shared/data)
python -m moderation.analysis train      retrain the model artefact (needs ../shared/data)
python -m moderation.analysis train-spans  retrain the toxic-span model (needs ../shared/data)
python -m moderation.analysis tune --oof F  thresholds by cross-validation (from train --oof-out)
python -m moderation.analysis build-encoder  export the sentence encoder (needs PyTorch)
"""

from __future__ import annotations

import json
import sys

USAGE = __doc__


def _record(raw: bytes) -> dict:
    rid = None
    try:
        line = raw.decode("utf-8")
        obj = json.loads(line)
        if not isinstance(obj, dict):
            raise ValueError("line is not a JSON object")
        rid = obj.get("id")
        text = obj.get("text")
        if not isinstance(text, str):
            raise ValueError("'text' must be a string")
        ctx = obj.get("context")
        if not isinstance(ctx, dict):
            ctx = {
                k: obj[k] for k in ("article_title", "parent_text") if isinstance(obj.get(k), str)
            } or None
        from .engine import analyze

        a = analyze(text, context=ctx)
        return {
            "id": rid,
            "flags": list(a.flags),
            "tags": list(a.tags),
            "scores": dict(a.scores),
            "evidence": [s.to_dict() for s in a.evidence],
        }
    except Exception as exc:  # a bad line never stops the run
        return {"id": rid, "error": f"{type(exc).__name__}: {exc}"[:500]}


def stream(inp=None, out=None) -> int:
    """Read JSON lines from a binary stream, write one JSON line per non-blank input line."""
    inp = inp if inp is not None else sys.stdin.buffer
    out = out if out is not None else sys.stdout
    for raw in inp:
        if not raw.strip():
            continue
        rec = _record(raw)
        try:
            s = json.dumps(rec)
        except (TypeError, ValueError) as exc:
            s = json.dumps({"id": None, "error": f"{type(exc).__name__}: {exc}"})
        out.write(s + "\n")
        out.flush()
    return 0


def main(argv=None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv and argv[0] == "evaluate":
        from .evaluate import main as ev

        return ev(argv[1:])
    if argv and argv[0] == "train":
        from .train_core import main as tr

        return tr(argv[1:])
    if argv and argv[0] == "train-spans":
        from .train_spans import main as ts

        return ts(argv[1:])
    if argv and argv[0] == "build-encoder":
        from .build_encoder import main as be

        return be(argv[1:])
    if argv and argv[0] == "tune":
        from .tune import main as tu

        return tu(argv[1:])
    if argv and argv[0] in ("-h", "--help", "help"):
        print(USAGE)
        return 0
    if argv:
        print(USAGE, file=sys.stderr)
        return 2
    try:
        return stream()
    except (BrokenPipeError, KeyboardInterrupt):
        return 0
