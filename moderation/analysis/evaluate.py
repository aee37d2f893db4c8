"""``python -m moderation.analysis evaluate``: the quality figures, on data nothing was fitted on.

Every figure is computed from the engine's flags and scores, end to end (rules and policy
included), on:
- health comments: ``domain_dev`` (../shared/data) and the held-out batches
  (moderation/analysis/heldout/): never trained on, no threshold chosen on them;
- the test part (20 %, by a salted hash of the row id, see data.split_of) of every public set
  the core trains on, and GoEmotions' own dev file;
- SemEval-2021 toxic spans trial posts (span F1 of the hostile/threat/profanity evidence).
The shipped batches (moderation/analysis/batches/) are training data: they are reported
separately as a regression check only (``--batches``).

``--inputs FILE`` writes the evaluation texts as JSON lines, and ``--scored FILE`` reads the
answers of ``python -m moderation.analysis`` (the stream CLI) for them instead of running this
engine: that is how another engine version is measured on the very same rows.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

from . import data

PKG = Path(__file__).resolve().parent
BATCH_DIR = PKG / "batches"
HELDOUT_DIR = PKG / "heldout"
BATCHES = {p.stem: p for p in sorted(BATCH_DIR.glob("*.jsonl"))}
HELDOUT = {p.stem: p for p in sorted(HELDOUT_DIR.glob("*.jsonl"))}
MAX_PER_SET = 2000  # rows per public test split (a fixed hash order), to keep a run short

# the figures the issue tracks, with their targets
TARGETS = {
    "health_crisis_flagged_crisis_or_distress": (">=", 1.00),
    "health_crisis_recall": (">=", 0.92),
    "health_threat_recall": (">=", 0.80),
    "health_distress_f1": (">=", 0.88),
    "health_hostile_f1": (">=", 0.90),
    "health_calm_flagged": ("<=", 0.03),
    "olid_macro_f1": (">=", 0.80),
    "mlma_en_hostility_auc": (">=", 0.85),
    "dreaddit_stress_f1": (">=", 0.78),
    "sdcnl_crisis_auc": (">=", 0.75),
    "goemotions_distress_auc": (">=", 0.93),
    "toxic_spans_f1": (">=", 0.68),
    "cssrs_crisis_auc": (">=", 0.78),
    "suicidal_tweets_crisis_auc": (">=", 0.92),
    "es_suicide_crisis_auc": (">=", 0.80),
    "germeval_hostility_auc": (">=", 0.75),
    "told_br_hostility_auc": (">=", 0.75),
}


def load_batch(name: str) -> list[dict]:
    path = BATCHES.get(name) or HELDOUT[name]
    with open(path, encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def auc(y, s) -> float:
    """ROC AUC by the rank-sum formula (ties get half credit)."""
    pairs = sorted(zip(s, y, strict=True))
    n_pos = sum(1 for v in y if v)
    n_neg = len(y) - n_pos
    if not n_pos or not n_neg:
        return float("nan")
    rank_sum = 0.0
    i = 0
    while i < len(pairs):
        j = i
        while j < len(pairs) and pairs[j][0] == pairs[i][0]:
            j += 1
        avg = (i + j + 1) / 2.0
        rank_sum += avg * sum(1 for k in range(i, j) if pairs[k][1])
        i = j
    return (rank_sum - n_pos * (n_pos + 1) / 2.0) / (n_pos * n_neg)


def f1(tp, fp, fn) -> float:
    return 2 * tp / (2 * tp + fp + fn) if tp else 0.0


def binary_f1(y, pred) -> float:
    tp = sum(1 for a, b in zip(y, pred, strict=True) if a and b)
    fp = sum(1 for a, b in zip(y, pred, strict=True) if not a and b)
    fn = sum(1 for a, b in zip(y, pred, strict=True) if a and not b)
    return f1(tp, fp, fn)


def macro_f1(y, pred) -> float:
    return (binary_f1(y, pred) + binary_f1([not v for v in y], [not v for v in pred])) / 2


def span_f1(pred: set, gold: set) -> float:
    """SemEval-2021 task 5 per-post F1 (both empty -> 1)."""
    if not gold:
        return 1.0 if not pred else 0.0
    if not pred:
        return 0.0
    inter = len(pred & gold)
    p, r = inter / len(pred), inter / len(gold)
    return 2 * p * r / (p + r) if p + r else 0.0


def wanted_flags(row: dict) -> set[str]:
    """The flags a labelled health comment should get (label scale in ../shared/data/README)."""
    want = set()
    if row["distress"] == 3:
        want.add("crisis")
    elif row["distress"] == 2:
        want.add("distress")
    if row["hostility"] == 3:
        want.add("threat")
    elif row["hostility"] == 2:
        want.add("hostile")
    return want


# ---- the evaluation rows -------------------------------------------------------------------
def _public_rows() -> dict[str, list[dict]]:
    """name -> rows {text, y}: the test split of each public set (y: 0/1 for its attribute)."""
    out: dict[str, list[dict]] = {}

    def take(name, rows, label):
        rows = [r for r in rows if r["split"] == "test" and r["text"].strip()]
        rows.sort(key=lambda r: data.split_of(f"order:{name}:{r['id']}") + r["id"])
        out[name] = [{"text": r["text"], "y": int(label(r))} for r in rows[:MAX_PER_SET]]

    take("olid", data.olid(), lambda r: r["off"])
    take("mlma_en", data.mlma("en"), lambda r: r["hostile"])
    take("dreaddit", data.dreaddit(), lambda r: r["stress"])
    take("sdcnl", data.sdcnl(), lambda r: r["suicide"])
    take("cssrs", data.cssrs(), lambda r: r["risk"])
    take("suicidal_tweets", data.suicidal_tweets(), lambda r: r["suicide"])
    take("es_suicide", data.es_suicide(), lambda r: r["suicide"])
    take("germeval", data.germeval(), lambda r: r["off"])
    take("told_br", data.told_br(), lambda r: r["toxic"])
    take("civil", data.civil(), lambda r: r["toxic"])
    ge = data.goemotions("dev")[:MAX_PER_SET]
    out["goemotions"] = [{"text": r["text"], "y": r["distress"]} for r in ge]
    out["toxic_spans"] = [{"text": r["text"], "spans": r["spans"]} for r in data.spans("trial")]
    return out


def eval_sets(batches: bool = False, health_only: bool = False) -> dict[str, list[dict]]:
    sets = {"domain_dev": data.domain_dev()}
    sets["heldout"] = [r for name in HELDOUT for r in load_batch(name)]
    if batches:
        sets["batches"] = [r for name in BATCHES for r in load_batch(name)]
    if not health_only:
        sets.update(_public_rows())
    return sets


# ---- the figures ---------------------------------------------------------------------------
def health_figures(rows: list[dict], out: list[dict]) -> dict[str, float]:
    def flagged(o, *fl):
        return any(f in o["flags"] for f in fl)

    crisis = [o for r, o in zip(rows, out, strict=True) if r["distress"] == 3]
    threat = [o for r, o in zip(rows, out, strict=True) if r["hostility"] == 3]
    calm = [o for r, o in zip(rows, out, strict=True) if r["distress"] <= 1 and r["hostility"] <= 1]
    crit = [o for r, o in zip(rows, out, strict=True) if r["hostility"] == 1]
    fig = {
        "n": len(rows),
        "crisis_n": len(crisis),
        "crisis_flagged_crisis_or_distress": sum(flagged(o, "crisis", "distress") for o in crisis)
        / max(1, len(crisis)),
        "crisis_recall": sum(flagged(o, "crisis") for o in crisis) / max(1, len(crisis)),
        "threat_recall": sum(flagged(o, "threat") for o in threat) / max(1, len(threat)),
        "calm_flagged": sum(bool(o["flags"]) for o in calm) / max(1, len(calm)),
        "criticism_flagged_hostile": sum(flagged(o, "hostile", "threat") for o in crit)
        / max(1, len(crit)),
    }
    # distress F1 counts distress or crisis (a crisis comment is also distressed);
    # hostile F1 counts hostile or threat, as the label scale does
    fig["distress_f1"] = binary_f1([r["distress"] >= 2 for r in rows],
                                   [flagged(o, "distress", "crisis") for o in out])
    fig["hostile_f1"] = binary_f1([r["hostility"] >= 2 for r in rows],
                                  [flagged(o, "hostile", "threat") for o in out])
    fig["crisis_precision"] = (sum(1 for r, o in zip(rows, out, strict=True)
                                   if "crisis" in o["flags"] and r["distress"] == 3)
                               / max(1, sum("crisis" in o["flags"] for o in out)))
    return fig


PUBLIC_SCORE = {
    "olid": "hostility", "mlma_en": "hostility", "germeval": "hostility", "told_br": "hostility",
    "civil": "hostility", "dreaddit": "distress", "goemotions": "distress", "sdcnl": "crisis",
    "cssrs": "crisis", "suicidal_tweets": "crisis", "es_suicide": "crisis",
}


def public_figures(name: str, rows: list[dict], out: list[dict]) -> dict[str, float]:
    y = [r["y"] for r in rows]
    key = PUBLIC_SCORE[name]
    fig = {f"{key}_auc": auc(y, [o["scores"].get(key, 0.0) for o in out])}
    if name == "olid":
        fig["macro_f1"] = macro_f1(y, [bool({"hostile", "threat"} & set(o["flags"])) for o in out])
    if name == "dreaddit":
        fig["stress_f1"] = binary_f1(y, [bool({"distress", "crisis"} & set(o["flags"]))
                                         for o in out])
    return fig


def spans_figure(rows: list[dict], out: list[dict]) -> float:
    """Span F1 of the evidence the engine gives toxic readings (engine.TOXIC_SPAN_LABELS)."""
    from .engine import TOXIC_SPAN_LABELS

    scores = []
    for r, o in zip(rows, out, strict=True):
        pred = set()
        for e in o["evidence"]:
            if e["label"] in TOXIC_SPAN_LABELS:
                pred.update(range(e["start"], e["end"]))
        scores.append(span_f1(pred, set(r["spans"])))
    return sum(scores) / max(1, len(scores))


def figures(sets: dict[str, list[dict]], outs: dict[str, list[dict]]) -> dict[str, float]:
    fig: dict[str, float] = {}
    health_all_rows, health_all_out = [], []
    for name in ("domain_dev", "heldout", "batches"):
        if name in sets:
            for k, v in health_figures(sets[name], outs[name]).items():
                fig[f"{name}_{k}"] = v
            if name != "batches":
                health_all_rows += sets[name]
                health_all_out += outs[name]
    for k, v in health_figures(health_all_rows, health_all_out).items():
        fig[f"health_{k}"] = v
    for name in PUBLIC_SCORE:
        if name in sets:
            for k, v in public_figures(name, sets[name], outs[name]).items():
                fig[f"{name}_{k}"] = v
    if "toxic_spans" in sets:
        fig["toxic_spans_f1"] = spans_figure(sets["toxic_spans"], outs["toxic_spans"])
    return fig


def run_engine(sets: dict[str, list[dict]]) -> dict[str, list[dict]]:
    from .engine import analyze_many

    outs = {}
    for name, rows in sets.items():
        res = analyze_many([r["text"] for r in rows], explain=name == "toxic_spans")
        outs[name] = [a.to_dict() for a in res]
    return outs


def _report(fig: dict[str, float]) -> None:
    for k in sorted(fig):
        target = ""
        if k in TARGETS:
            op, val = TARGETS[k]
            ok = fig[k] >= val if op == ">=" else fig[k] <= val
            target = f"   target {op} {val:.2f}: {'met' if ok else 'MISSED'}"
        v = fig[k]
        print(f"{k:52s} {v:8.3f}{target}" if isinstance(v, float) else f"{k:52s} {v:8d}")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(prog="python -m moderation.analysis evaluate")
    ap.add_argument("--batches", action="store_true",
                    help="also report the shipped (training) batches, as a regression check")
    ap.add_argument("--health", action="store_true",
                    help="only the health comments (domain_dev, held-out batches): seconds")
    ap.add_argument("--inputs", help="write the evaluation texts as JSON lines and stop")
    ap.add_argument("--scored", help="read stream-CLI answers for --inputs instead of scoring")
    ap.add_argument("--json", help="also write the figures to this file")
    args = ap.parse_args(argv)
    sets = eval_sets(args.batches, args.health)
    if args.inputs:
        with open(args.inputs, "w", encoding="utf-8") as fh:
            for name, rows in sets.items():
                for i, r in enumerate(rows):
                    fh.write(json.dumps({"id": f"{name}:{i}", "text": r["text"]}) + "\n")
        return 0
    t0 = time.perf_counter()
    if args.scored:
        outs: dict[str, list[dict]] = {name: [None] * len(rows) for name, rows in sets.items()}
        with open(args.scored, encoding="utf-8") as fh:
            for line in fh:
                o = json.loads(line)
                name, i = o["id"].rsplit(":", 1)
                outs[name][int(i)] = o
    else:
        outs = run_engine(sets)
    fig = figures(sets, outs)
    print(f"scored {sum(map(len, sets.values()))} texts in {time.perf_counter() - t0:.0f} s")
    _report(fig)
    if args.json:
        Path(args.json).write_text(json.dumps(fig, indent=1, sort_keys=True))
    return 0
