"""Train the learned core: ``python -m moderation.analysis train`` (fixed splits, a few minutes).

Reads ../shared/data (or $MODERATION_DATA) and the batches shipped in
moderation/analysis/batches/, writes moderation/analysis/model/core.npz (see core.py).

Every public set is cut by a salted hash of its row id into train (70 %), calib (10 %) and
test (20 %); heads learn on train, are calibrated on calib and reported on test, and the
held-out batches (moderation/analysis/heldout/) and domain_dev are never trained on.
``--permissive`` trains only on the sets whose licences allow a shipped model (see
docs/analysis.md, model card).
"""

from __future__ import annotations

import argparse
import json
import time
from collections import defaultdict
from pathlib import Path

import numpy as np

from . import data
from .core import HEADS, SHIPPED, Encoder, prepare

VERSION = "core-2.0"
BATCH_DIR = Path(__file__).resolve().parent / "batches"
HELDOUT_DIR = Path(__file__).resolve().parent / "heldout"
PERMISSIVE = {
    "goemotions", "civil", "davidson", "counsel", "mlma-en", "mlma-fr", "germeval", "told_br",
    "batches", "extra",
}
MAX_TRAIN_CHARS = 3000


class Corpus:
    """Rows of (text, labels per head, weight, split, source)."""

    def __init__(self):
        self.text: list[str] = []
        self.labels: list[dict[str, int]] = []
        self.weight: list[float] = []
        self.split: list[str] = []
        self.source: list[str] = []

    def add(self, source: str, text: str, split: str, weight: float = 1.0, **labels: int):
        if not text or not text.strip():
            return
        self.text.append(text[:MAX_TRAIN_CHARS])
        self.labels.append(labels)
        self.weight.append(weight)
        self.split.append(split)
        self.source.append(source)

    def __len__(self):
        return len(self.text)


def _load_jsonl(path: Path) -> list[dict]:
    with open(path, encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def batches(folder: Path = BATCH_DIR) -> list[dict]:
    return [r for p in sorted(folder.glob("*.jsonl")) for r in _load_jsonl(p)]


def _health_labels(r: dict) -> dict[str, int]:
    """The product's 0-3 scales as head labels (batches, domain_dev, moderators' decisions)."""
    d, h = int(r["distress"]), int(r["hostility"])
    return dict(
        crisis=int(d == 3),
        distress=int(d >= 2),
        hostility=int(h >= 2),
        insult=int(h == 2),
        threat=int(h == 3),
        severe_toxicity=int(h == 3),
    )


def build(extra: list[str] = (), permissive: bool = False) -> Corpus:
    c = Corpus()
    trial = {r["text"] for r in data.spans("trial")}  # the span evaluation posts stay unseen

    # --- in-domain: hand-labelled health comments (batches), 20 % of them for calibration
    for r in batches():
        c.add("batches", r["text"], "train", 4.0, **_health_labels(r))
    for path in extra:
        for r in _load_jsonl(Path(path)):
            c.add("extra", r["text"], "train", 4.0, **_health_labels(r))

    # --- distress and everyday talk
    for r in data.goemotions("train"):
        sp = "calib" if data.split_of("ge:" + r["id"]) == "calib" else "train"
        lab = dict(distress=r["distress"], crisis=0, threat=0, severe_toxicity=0, identity_attack=0)
        if not r["anger"]:
            lab["hostility"] = 0
        c.add("goemotions", r["text"], sp, 0.7, **lab)
    for r in data.goemotions("dev"):
        lab = dict(distress=r["distress"], crisis=0)
        c.add("goemotions", r["text"], "test", 1.0, **lab)
    for r in data.counsel():
        c.add("counsel", r["text"], r["split"], 1.0, distress=1, hostility=0, threat=0)
    for r in data.dreaddit():
        c.add("dreaddit", r["text"], r["split"], 1.0, distress=r["stress"], hostility=0,
              crisis=0, threat=0)

    # --- crisis: suicide-labelled sets (never from distress alone)
    for r in data.sdcnl():
        # both subreddits are written in distress; SuicideWatch vs depression teaches crisis
        c.add("sdcnl", r["text"], r["split"], 1.0, crisis=r["suicide"], distress=1, hostility=0)
    for r in data.cssrs():
        lab = dict(crisis=r["risk"])
        if r["label"] != "Supportive":
            lab["distress"] = 1
        c.add("cssrs", r["text"], r["split"], 1.5, **lab)
    for r in data.suicidal_tweets():
        lab = dict(crisis=r["suicide"])
        if r["suicide"]:
            lab["distress"] = 1
        c.add("stweets", r["text"], r["split"], 1.0, **lab)
    for r in data.es_suicide():
        lab = dict(crisis=r["suicide"])
        if r["suicide"]:
            lab["distress"] = 1
        c.add("es_suicide", r["text"], r["split"], 1.5, **lab)

    # --- hostility and its kinds
    for r in data.civil():
        if r["text"] in trial:
            continue
        lab = dict(hostility=r["toxic"], crisis=0)
        if not r["toxic"]:
            lab.update(insult=0, threat=0, identity_attack=0, severe_toxicity=0, profanity=0)
        c.add("civil", r["text"], r["split"], 1.0, **lab)
    for r in data.davidson():
        cls = r["cls"]  # 0 hate, 1 offensive, 2 neither
        lab = dict(hostility=int(cls < 2), identity_attack=int(cls == 0), crisis=0,
                   severe_toxicity=int(cls == 0), profanity=int(cls < 2), threat=int(cls == 0))
        if cls == 2:
            lab.update(insult=0)
        c.add("davidson", r["text"], r["split"], 0.4, **lab)
    for r in data.olid():
        lab = dict(hostility=r["off"], crisis=0)
        if r["off"]:
            lab["insult"] = int(r["b"] == "TIN" and r["c"] == "IND")
            lab["identity_attack"] = int(r["c"] == "GRP")
            lab["profanity"] = int(r["b"] == "UNT")
        else:
            lab.update(insult=0, identity_attack=0, profanity=0, threat=0, severe_toxicity=0)
        c.add("olid", r["text"], r["split"], 1.0, **lab)
    for r in data.germeval():
        lab = dict(hostility=r["off"], crisis=0)
        if r["off"]:
            lab["insult"] = int(r["fine"] == "INSULT")
            lab["identity_attack"] = int(r["fine"] == "ABUSE")
            lab["profanity"] = int(r["fine"] == "PROFANITY")
        else:
            lab.update(insult=0, identity_attack=0, profanity=0, threat=0, severe_toxicity=0)
        c.add("germeval", r["text"], r["split"], 1.5, **lab)
    for r in data.told_br():
        v = r["votes"]
        lab = dict(hostility=r["toxic"], crisis=0)
        if r["toxic"]:
            lab["insult"] = int(v["insult"] >= 2)
            lab["profanity"] = int(v["obscene"] >= 2)
            lab["identity_attack"] = int(max(v[k] for k in data.TOLD_IDENTITY) >= 2)
        else:
            lab.update(insult=0, identity_attack=0, profanity=0, threat=0, severe_toxicity=0)
        c.add("told_br", r["text"], r["split"], 0.8, **lab)
    for lang in ("en", "fr"):
        for r in data.mlma(lang):
            lab = dict(hostility=r["hostile"], crisis=0)
            if r["hostile"]:
                lab["identity_attack"] = r["hateful"]
                lab["severe_toxicity"] = r["hateful"]
                lab["threat"] = r["hateful"]
            else:
                lab.update(insult=0, identity_attack=0, threat=0, severe_toxicity=0)
            c.add(f"mlma-{lang}", r["text"], r["split"], 0.8, **lab)
    if permissive:
        keep = [i for i, s in enumerate(c.source) if s in PERMISSIVE]
        sub = Corpus()
        for i in keep:
            sub.text.append(c.text[i])
            sub.labels.append(c.labels[i])
            sub.weight.append(c.weight[i])
            sub.split.append(c.split[i])
            sub.source.append(c.source[i])
        c = sub
    return c


def _auc(y, s) -> float:
    from sklearn.metrics import roc_auc_score

    y = np.asarray(y)
    if y.min() == y.max():
        return float("nan")
    return float(roc_auc_score(y, s))


def _platt(logit: np.ndarray, y: np.ndarray, w: np.ndarray) -> tuple[float, float]:
    from sklearn.linear_model import LogisticRegression

    m = LogisticRegression(C=1e4, max_iter=1000)
    m.fit(logit.reshape(-1, 1), y, sample_weight=w)
    return float(m.coef_[0, 0]), float(m.intercept_[0])


FLAG_HEADS = ("crisis", "distress", "hostility", "threat")
FOLDS = 4


def _head_rows(corpus: Corpus, head: str) -> tuple[np.ndarray, np.ndarray]:
    idx = np.array([i for i, lab in enumerate(corpus.labels) if head in lab])
    return idx, np.array([corpus.labels[i][head] for i in idx])


def _fit_head(X, idx, y, weight, C: float, tol: float = 1e-4):
    """Logistic regression with the classes balanced by weight (each source keeps its share)."""
    from sklearn.linear_model import LogisticRegression

    w = weight[idx].copy()
    pos = y == 1
    w[pos] *= w[~pos].sum() / max(w[pos].sum(), 1e-9)
    m = LogisticRegression(C=C, solver="liblinear", dual=True, tol=tol, max_iter=300,
                           random_state=0)
    m.fit(X[idx], y, sample_weight=w / w.mean())
    return m.coef_[0].astype(np.float32), float(m.intercept_[0])


def fit(corpus: Corpus, C: float = 2.0, log=print):
    """Heads on the train split; calibration per head.

    The four flag heads are calibrated on the health comments themselves: the batches are cut
    into FOLDS folds, each fold scored by heads trained without it, and a Platt scaling is fitted
    on those out-of-fold scores (the public sets' calibration does not carry over to health
    comments: a crisis score of 0.3 on a tweet is not one on a comment). The other heads are
    calibrated on the public sets' calib split.
    """
    t0 = time.time()
    enc = Encoder()
    texts = [prepare(t) for t in corpus.text]
    split = np.asarray(corpus.split)
    source = np.asarray(corpus.source)
    weight = np.asarray(corpus.weight)
    enc.fit_idf([t for t, s in zip(texts, split, strict=True) if s == "train"])
    X = enc.transform(texts)
    log(f"encoded {X.shape[0]} texts, {X.nnz} non-zeros in {time.time() - t0:.0f} s")
    in_domain = np.isin(source, ("batches", "extra"))
    fold = np.array(
        [int(hashlib_fold(t)) if d else -1 for t, d in zip(corpus.text, in_domain, strict=True)]
    )
    W = np.zeros((len(HEADS), X.shape[1]), dtype=np.float32)
    bias = np.zeros(len(HEADS))
    platt = np.zeros((len(HEADS), 2))
    #: out-of-fold logits of the flag heads on the in-domain rows (for fit_residual)
    oof = np.full((len(corpus), len(FLAG_HEADS)), np.nan)
    for k, head in enumerate(HEADS):
        t1 = time.time()
        idx, y = _head_rows(corpus, head)
        trainable = (split[idx] == "train") | in_domain[idx]
        W[k], bias[k] = _fit_head(X, idx[trainable], y[trainable], weight, C)
        if head in FLAG_HEADS:
            oof_logit, oof_y = [], []
            for f in range(FOLDS):
                held = in_domain[idx] & (fold[idx] == f)
                w_f, b_f = _fit_head(X, idx[trainable & ~held], y[trainable & ~held], weight, C,
                                     tol=1e-3)
                oof_logit.append(np.asarray(X[idx[held]] @ w_f) + b_f)
                oof_y.append(y[held])
                oof[idx[held], FLAG_HEADS.index(head)] = oof_logit[-1]
            lg, yy = np.concatenate(oof_logit), np.concatenate(oof_y)
            where = "health comments, out of fold"
        else:
            ca = (split[idx] == "calib") & ~in_domain[idx]
            lg, yy = np.asarray(X[idx[ca]] @ W[k]) + bias[k], y[ca]
            where = "public calib split"
        platt[k] = _platt(lg, yy, np.ones(len(yy))) if len(set(yy)) == 2 else (1.0, 0.0)
        log(
            f"{head:16s} train {int(trainable.sum()):6d} (+{int(y[trainable].sum())}) "
            f"calibrated on {len(yy)} {where}: AUC {_auc(yy, lg):.3f}  {time.time() - t1:.0f} s"
        )
    return enc, W, bias, platt, oof


def hashlib_fold(text: str) -> int:
    """The fold of an in-domain row, fixed by its text (the same text always in one fold)."""
    import hashlib

    digest = hashlib.sha1(f"{data.SEED}:fold:{text}".encode(), usedforsecurity=False)
    return int(digest.hexdigest()[:8], 16) % FOLDS


RESIDUAL_L2 = 1.0


def fit_residual(corpus: Corpus, platt: np.ndarray, oof: np.ndarray, log=print):
    """The sentence encoder's adjustment of each flag head, learned on the health comments
    (``oof``: the flag heads' out-of-fold logits from fit()). Returns the adjustment and its
    own out-of-fold probabilities on the in-domain rows (for the threshold table).

    On the in-domain rows, the head's out-of-fold calibrated logit is a fixed offset and an
    L2-regularised logistic regression on the MiniLM embedding learns what the word features
    miss there (criticism against attack, coping against distress). With the offset fixed, the
    adjustment stays small where it has nothing to add: on the public sets the ranking barely
    moves (see docs/analysis.md)."""
    from scipy.optimize import minimize

    from .embed import get_embedder

    t0 = time.time()
    rows = [i for i, s in enumerate(corpus.source) if s in ("batches", "extra")]
    probs = np.full((len(corpus), len(FLAG_HEADS)), np.nan)
    emb = get_embedder().embed([corpus.text[i] for i in rows]).astype(np.float64)
    R = np.zeros((len(FLAG_HEADS), emb.shape[1]), dtype=np.float32)
    r_bias = np.zeros(len(FLAG_HEADS))
    for j, head in enumerate(FLAG_HEADS):
        k = HEADS.index(head)
        keep = [n for n, i in enumerate(rows) if head in corpus.labels[i]]
        y = np.array([corpus.labels[rows[n]][head] for n in keep], dtype=np.float64)
        off = oof[[rows[n] for n in keep], j] * platt[k, 0] + platt[k, 1]
        Z = emb[keep]

        def loss(w, Z=Z, y=y, off=off):
            z = off + Z @ w[:-1] + w[-1]
            p = 1.0 / (1.0 + np.exp(-np.clip(z, -40, 40)))
            nll = -(y * np.log(p + 1e-12) + (1 - y) * np.log(1 - p + 1e-12)).sum()
            grad = np.concatenate([Z.T @ (p - y) + 2 * RESIDUAL_L2 * w[:-1], [(p - y).sum()]])
            return nll + RESIDUAL_L2 * (w[:-1] ** 2).sum(), grad

        w = minimize(loss, np.zeros(Z.shape[1] + 1), jac=True, method="L-BFGS-B").x
        R[j], r_bias[j] = w[:-1], w[-1]
        # out of fold, for the threshold table: each fold's adjustment learned without it
        folds = np.array([hashlib_fold(corpus.text[rows[n]]) for n in keep])
        z_oof = np.zeros(len(y))
        for f in range(FOLDS):
            tr, te = folds != f, folds == f
            wf = minimize(loss, np.zeros(Z.shape[1] + 1), args=(Z[tr], y[tr], off[tr]),
                          jac=True, method="L-BFGS-B").x
            z_oof[te] = off[te] + Z[te] @ wf[:-1] + wf[-1]
        for n, i in enumerate(keep):
            probs[rows[i], j] = 1.0 / (1.0 + np.exp(-z_oof[n]))
        log(f"residual {head:10s} on {len(y)} health comments: out-of-fold AUC "
            f"{_auc(y, off):.3f} -> {_auc(y, z_oof):.3f}")
    log(f"sentence-encoder residual in {time.time() - t0:.0f} s")
    return R, r_bias, probs


def threshold_table(corpus: Corpus, probs: np.ndarray, log=print) -> None:
    """Out-of-fold flag figures on the health comments at several thresholds: how the
    defaults in config.py were chosen (crisis for recall, the others for F1 with few calm
    comments flagged)."""
    rows = [i for i, s in enumerate(corpus.source) if s in ("batches", "extra")]
    calm = np.array([not any(corpus.labels[i].get(h) for h in FLAG_HEADS) for i in rows])
    for j, head in enumerate(FLAG_HEADS):
        y = np.array([corpus.labels[i].get(head, 0) for i in rows])
        p = probs[rows, j]
        for t in (0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8):
            hit = p >= t
            tp, fp, fn = (hit & (y == 1)).sum(), (hit & (y == 0)).sum(), (~hit & (y == 1)).sum()
            log(f"  {head:10s} >= {t:.1f}: recall {tp / max(1, tp + fn):.2f}  "
                f"F1 {2 * tp / max(1, 2 * tp + fp + fn):.2f}  calm flagged {hit[calm].mean():.3f}")


def write_oof(path: Path, corpus: Corpus, probs: np.ndarray) -> None:
    """The in-domain rows with their labels and out-of-fold flag-head probabilities."""
    with open(path, "w", encoding="utf-8") as fh:
        for i, s in enumerate(corpus.source):
            if s in ("batches", "extra"):
                fh.write(json.dumps({"text": corpus.text[i], "labels": corpus.labels[i],
                                     "oof": dict(zip(FLAG_HEADS, map(float, probs[i]),
                                                     strict=True))}) + "\n")


def save(path: Path, enc: Encoder, W, bias, platt, sources: list[str], residual=None) -> None:
    from .embed import get_embedder

    path.parent.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(
        path,
        heads=np.array(HEADS),
        word_idf=enc.word_idf.astype(np.float16),
        char_idf=enc.char_idf.astype(np.float16),
        W=W.astype(np.float16),
        bias=bias,
        platt=platt,
        version=np.array(VERSION),
        sources=np.array(sorted(set(sources))),
        **({} if residual is None else {
            "R": residual[0], "r_bias": residual[1], "residual_heads": np.array(FLAG_HEADS),
            "encoder_sha256": np.array(get_embedder().digest)}),
    )


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(prog="python -m moderation.analysis train")
    ap.add_argument("--out", default=str(SHIPPED))
    ap.add_argument("--C", type=float, default=2.0)
    ap.add_argument("--extra", action="append", default=[],
                    help="JSON lines of labelled comments (flask analysis labels)")
    ap.add_argument("--permissive", action="store_true",
                    help="train only on sets whose licences allow a shipped model")
    ap.add_argument("--no-encoder", action="store_true",
                    help="word features only: no sentence-encoder adjustment of the flag heads")
    ap.add_argument("--oof-out", metavar="FILE",
                    help="also write the flag heads' out-of-fold probabilities on the health "
                         "comments (JSON lines), to choose thresholds and policy steps by "
                         "cross-validation (python -m moderation.analysis tune)")
    args = ap.parse_args(argv)
    corpus = build(args.extra, args.permissive)
    counts = defaultdict(int)
    for s in corpus.source:
        counts[s] += 1
    print("rows per source:", dict(sorted(counts.items())))
    enc, W, bias, platt, oof = fit(corpus, C=args.C)
    residual = None
    if not args.no_encoder:
        R, r_bias, probs = fit_residual(corpus, platt, oof)
        residual = (R, r_bias)
        print("out-of-fold flag figures on the health comments (batches):")
        threshold_table(corpus, probs)
        if args.oof_out:
            write_oof(Path(args.oof_out), corpus, probs)
    save(Path(args.out), enc, W, bias, platt, corpus.source, residual)
    print(f"wrote {args.out} ({Path(args.out).stat().st_size / 1e6:.1f} MB)")
    return 0
