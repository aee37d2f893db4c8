"""Choose flag thresholds and policy settings by cross-validation on the health comments.

    python -m moderation.analysis train --out /tmp/core.npz --oof-out /tmp/oof.jsonl
    python -m moderation.analysis tune --oof /tmp/oof.jsonl

Each batch comment is run through the whole decision (rules, named steps, thresholds) with its
flag heads' *out-of-fold* probabilities (heads and sentence-encoder adjustment trained without
its fold), so the figures printed are those of comments the model did not learn from. No
evaluation set is read here: `evaluate` reports the chosen settings on domain_dev and the
held-out batches afterwards.
"""
from __future__ import annotations

import argparse
import itertools
import json
from dataclasses import dataclass

from . import safety, steps
from .config import DEFAULT_THRESHOLDS, FLAG_AXIS
from .core import get_core
from .engine import _decide
from .evaluate import health_figures
from .normalize import normalize
from .train_core import batches

NO_FLAGS = {f: 1.0 for f in FLAG_AXIS}


@dataclass
class Row:
    raw: dict
    scores: dict[str, float]
    crisis_rule: float  # the strongest crisis rule's strength (0: none)


def scored_rows(oof_path: str) -> list[Row]:
    oof = {}
    with open(oof_path, encoding="utf-8") as fh:
        for line in fh:
            r = json.loads(line)
            oof[r["text"]] = r["oof"]
    core = get_core()
    out = []
    raw_rows = [r for r in batches() if r["text"] in oof]
    probs = core.predict([normalize(r["text"]).text for r in raw_rows])
    for r, p in zip(raw_rows, probs, strict=True):
        norm = normalize(r["text"])
        model = dict(zip(core.heads, p.tolist(), strict=True))
        model.update({k: v for k, v in oof[r["text"]].items() if v == v})  # NaN: unlabelled
        analysis = _decide(norm, model, NO_FLAGS, None, [])
        crisis_rule = max((steps.rule_strength(norm.text, h, []) for h in safety.find(norm.text)
                           if h.rule.axis == "crisis"), default=0.0)
        out.append(Row(r, dict(analysis.scores), crisis_rule))
    return out


def flags_for(row: Row, th: dict[str, float], crisis_min_distress: float) -> list[str]:
    s = row.scores
    flags = [f for f, axis in FLAG_AXIS.items() if s[axis] >= th[f]]
    if ("crisis" in flags and row.crisis_rule < th["crisis"]
            and s["distress"] < crisis_min_distress):
        flags.remove("crisis")  # a model-only crisis reading with no distress behind it
    return flags


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(prog="python -m moderation.analysis tune")
    ap.add_argument("--oof", required=True, help="from `train --oof-out`")
    ap.add_argument("--top", type=int, default=15)
    args = ap.parse_args(argv)
    rows = scored_rows(args.oof)
    print(f"{len(rows)} health comments, out of fold")
    grid = {"crisis": (0.15, 0.2, 0.25, 0.3, 0.4, 0.5), "threat": (0.2, 0.3, 0.4, 0.5),
            "distress": (0.5, 0.6, 0.7), "hostile": (0.4, 0.5, 0.6, 0.7),
            "crisis_min_distress": (0.0, 0.3, 0.5, 0.7)}
    results = []
    for values in itertools.product(*grid.values()):
        setting = dict(zip(grid, values, strict=True))
        th = {f: setting[f] for f in FLAG_AXIS}
        out = [{"flags": flags_for(r, th, setting["crisis_min_distress"])} for r in rows]
        fig = health_figures([r.raw for r in rows], out)
        results.append((setting, fig))
    keys = ("crisis_recall", "crisis_flagged_crisis_or_distress", "crisis_precision",
            "threat_recall", "distress_f1", "hostile_f1", "calm_flagged")
    defaults = (*(DEFAULT_THRESHOLDS[f] for f in ("crisis", "threat", "distress", "hostile")), 0.0)
    current = next(f for s, f in results if tuple(s.values()) == defaults)
    print(f"current defaults {defaults[:4]}, no distress condition: "
          + ", ".join(f"{k} {current[k]:.3f}" for k in keys))
    # never fewer crisis or threat comments caught than today; then the fewest calm flagged
    ok = [(s, f) for s, f in results
          if f["crisis_recall"] >= current["crisis_recall"]
          and f["crisis_flagged_crisis_or_distress"] >= current["crisis_flagged_crisis_or_distress"]
          and f["threat_recall"] >= current["threat_recall"]
          and f["distress_f1"] >= current["distress_f1"] - 0.01]
    ok.sort(key=lambda sf: (round(sf[1]["calm_flagged"], 3), -sf[1]["hostile_f1"]))
    print("settings that catch at least as many crisis and threat comments (distress F1 at most "
          "0.01 lower), fewest calm comments flagged first:")
    print("  " + "  ".join(f"{k[:14]:>14}" for k in (*grid, *keys)))
    for setting, fig in ok[: args.top]:
        print("  " + "  ".join(f"{v:>14}" for v in setting.values()) + "  "
              + "  ".join(f"{fig[k]:>14.3f}" for k in keys))
    return 0
