"""``python -m moderation.analysis evaluate``: the quality figures, on data never trained on.

- domain_dev/comments.jsonl (dev set, never trained on; the rules were written with it in view)
- GoEmotions dev.tsv: distress AUC (sadness, grief, fear, nervousness, remorse, disappointment
  vs the rest)
- Civil Comments: hostility AUC on our fixed held-out 20% split (data.split_of)
- SemEval-2021 toxic spans trial set: span F1 of hostile/threat/profanity evidence
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

from . import data
from .engine import analyze

# hand-labelled batches shipped with the package (written blind by other authors; see the docs)
BATCH_DIR = Path(__file__).resolve().parent / "batches"
BATCHES = {p.stem: p for p in sorted(BATCH_DIR.glob("*.jsonl"))}
# batches written the same way but never trained on: the held-out estimate for unseen wording
HELDOUT = {p.stem: p for p in sorted((BATCH_DIR.parent / "heldout").glob("*.jsonl"))}


def load_batch(name: str) -> list[dict]:
    path = BATCHES.get(name) or HELDOUT[name]
    with open(path, encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


TARGETS = {
    "dev_crisis_caught": ("== all", None),
    "dev_crisis_recall": (">=", 0.90),
    "dev_distress_f1": (">=", 0.85),
    "dev_hostile_f1": (">=", 0.85),
    "dev_criticism_flagged_hostile": ("<=", 0.10),
    "dev_calm_flagged": ("<=", 0.05),
    "goemotions_distress_auc": (">=", 0.92),
    "civil_hostility_auc": (">=", 0.90),
    "toxic_spans_f1": (">=", 0.65),
}


def auc(y, s) -> float:
    """ROC AUC by the rank-sum formula (ties get half credit)."""
    pairs = sorted(zip(s, y, strict=False))
    n_pos = sum(y)
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


def span_f1(pred: set, gold: set) -> float:
    if not gold and not pred:
        return 1.0
    if not gold or not pred:
        return 0.0
    tp = len(pred & gold)
    p = tp / len(pred)
    r = tp / len(gold)
    return 2 * p * r / (p + r) if tp else 0.0


def wanted_flags(row: dict) -> set[str]:
    """The flags a labelled row should get (label scale in ../shared/data/README.md)."""
    want = set()
    if row["distress"] == 3:
        want.add("crisis")
    if row["distress"] >= 2:
        want.add("distress")
    if row["hostility"] >= 2:
        want.add("hostile")
    if row["hostility"] == 3:
        want.add("threat")
    return want


def _batch_figures(fig: dict, label: str, rows: list[dict], keys: tuple[str, ...]) -> None:
    b = domain(rows)
    fig[f"{label}_crisis_caught"] = f"{b['dev_crisis_caught']}/{b['dev_crisis_n']}"
    for k in keys:
        fig[f"{label}_{k[4:]}"] = b[k]


def domain(rows, verbose=False):
    out = {}
    res = [(r, analyze(r["text"], context={"article_title": r.get("article", "")})) for r in rows]
    crisis = [(r, a) for r, a in res if r["distress"] == 3]
    out["dev_crisis_n"] = len(crisis)
    out["dev_crisis_caught"] = sum(1 for r, a in crisis if {"crisis", "distress"} & set(a.flags))
    out["dev_crisis_recall"] = sum(1 for r, a in crisis if "crisis" in a.flags) / len(crisis)
    fp_crisis = sum(1 for r, a in res if r["distress"] < 3 and "crisis" in a.flags)
    out["dev_crisis_precision"] = (
        out["dev_crisis_recall"]
        * len(crisis)
        / max(1, out["dev_crisis_recall"] * len(crisis) + fp_crisis)
    )

    def prf(gold, pred):
        tp = sum(1 for (r, a) in res if gold(r) and pred(a))
        fp = sum(1 for (r, a) in res if not gold(r) and pred(a))
        fn = sum(1 for (r, a) in res if gold(r) and not pred(a))
        return f1(tp, fp, fn), tp, fp, fn

    out["dev_distress_f1"], *out["dev_distress_tp_fp_fn"] = prf(
        lambda r: r["distress"] >= 2, lambda a: bool({"distress", "crisis"} & set(a.flags))
    )
    out["dev_hostile_f1"], *out["dev_hostile_tp_fp_fn"] = prf(
        lambda r: r["hostility"] >= 2, lambda a: bool({"hostile", "threat"} & set(a.flags))
    )
    out["dev_threat_f1"], *out["dev_threat_tp_fp_fn"] = prf(
        lambda r: r["hostility"] == 3, lambda a: "threat" in a.flags
    )
    crit = [(r, a) for r, a in res if r["hostility"] == 1]
    out["dev_criticism_flagged_hostile"] = sum(
        1 for r, a in crit if {"hostile", "threat"} & set(a.flags)
    ) / len(crit)
    out["dev_criticism_tagged"] = sum(1 for r, a in crit if "criticism" in a.tags) / len(crit)
    calm = [(r, a) for r, a in res if r["distress"] == 0 and r["hostility"] == 0]
    out["dev_calm_flagged"] = sum(1 for r, a in calm if a.flags) / len(calm)
    if verbose:
        for r, a in res:
            want = wanted_flags(r)
            got = set(a.flags)
            if (
                ("crisis" in got) != ("crisis" in want)
                or bool(got & {"distress", "crisis"}) != bool(want & {"distress", "crisis"})
                or bool(got & {"hostile", "threat"}) != bool(want & {"hostile", "threat"})
                or ("threat" in got) != ("threat" in want)
            ):
                print(
                    f"  MISS {r['id']} want={sorted(want)} got={sorted(got)} tags={a.tags} "
                    f"{ {k: round(v, 2) for k, v in a.scores.items()} } | {r['text'][:110]}"
                )
    return out


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(prog="python -m moderation.analysis evaluate")
    ap.add_argument("--verbose", "-v", action="store_true", help="list domain_dev disagreements")
    ap.add_argument("--json", action="store_true", help="print the figures as one JSON object")
    args = ap.parse_args(argv)
    t0 = time.time()
    fig = domain(data.domain_dev(), args.verbose)
    for name in BATCHES:
        keys = ("dev_distress_f1", "dev_hostile_f1", "dev_calm_flagged")
        _batch_figures(fig, name, load_batch(name), keys)
    for name in HELDOUT:  # never trained on
        keys = (
            "dev_crisis_recall",
            "dev_crisis_precision",
            "dev_distress_f1",
            "dev_hostile_f1",
            "dev_criticism_flagged_hostile",
            "dev_calm_flagged",
        )
        _batch_figures(fig, f"heldout_{name}", load_batch(name), keys)

    ge = data.goemotions("dev")
    fig["goemotions_distress_auc"] = auc(
        [r["distress"] for r in ge], [analyze(r["text"]).scores["distress"] for r in ge]
    )
    fig["goemotions_n"] = len(ge)

    civ = [r for r in data.civil() if r["split"] == "test"]
    hs = [analyze(r["text"]).scores["hostility"] for r in civ]
    fig["civil_hostility_auc"] = auc([r["toxic"] for r in civ], hs)
    fig["civil_n"] = len(civ)
    # supplementary: clear-cut cases only (toxic by majority vs no annotator voting toxic)
    import csv

    with open(data.DATA / "civil_comments" / "train.csv", encoding="utf-8") as fh:
        votes = {r["comment_id"]: int(r["toxic_votes"]) for r in csv.DictReader(fh)}
    clear = [
        (r["toxic"], h) for r, h in zip(civ, hs, strict=True) if r["toxic"] or votes[r["id"]] == 0
    ]
    fig["civil_hostility_auc_clear_cut"] = auc([y for y, _ in clear], [h for _, h in clear])

    trial = data.spans("trial")

    def spans_f1(thresholds=None):
        tot = 0.0
        flagged = 0
        for r in trial:
            a = analyze(r["text"], thresholds=thresholds)
            flagged += bool({"hostile", "threat"} & set(a.flags))
            pred = set()
            for s in a.evidence:
                if s.label in ("hostile", "threat", "profanity"):
                    pred.update(range(s.start, s.end))
            tot += span_f1(pred, set(r["spans"]))
        return tot / len(trial), flagged / len(trial)

    fig["toxic_spans_f1"], fig["toxic_spans_flagged_hostile"] = spans_f1()
    # the SemEval task gives posts known to be toxic and asks only where: the same evidence with the
    # hostile flag forced on (a site threshold of 0), i.e. span extraction alone
    fig["toxic_spans_f1_given_toxic"], _ = spans_f1({"hostile": 0.0})
    fig["toxic_spans_n"] = len(trial)
    # the linear models alone, for comparison with the combined scores above
    from .scorer import get_model

    m = get_model()
    fig["goemotions_distress_auc_model_only"] = auc(
        [r["distress"] for r in ge], [m.proba(r["text"])["distress"] for r in ge]
    )
    fig["civil_hostility_auc_model_only"] = auc(
        [r["toxic"] for r in civ], [m.proba(r["text"])["hostility"] for r in civ]
    )
    fig["seconds"] = round(time.time() - t0, 1)

    if args.json:
        print(json.dumps(fig, indent=1))
        return 0
    print(f"{'figure':34} {'measured':>10}  target")
    for k, v in fig.items():
        tgt = TARGETS.get(k)
        if k == "dev_crisis_caught":
            ok = v == fig["dev_crisis_n"]
            caught = f"{v}/{fig['dev_crisis_n']}"
            print(f"{k:34} {caught:>10}  all  {'OK' if ok else 'MISSED'}")
            continue
        if isinstance(v, float):
            vs = f"{v:.3f}"
        else:
            vs = str(v)
        if tgt and tgt[1] is not None:
            op, lim = tgt
            ok = v >= lim if op == ">=" else v <= lim
            print(f"{k:34} {vs:>10}  {op} {lim}  {'OK' if ok else 'MISSED'}")
        else:
            print(f"{k:34} {vs:>10}")
    return 0
