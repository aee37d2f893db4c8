"""Train the toxic-span model: ``python -m moderation.analysis train-spans`` (about a minute).

Reads ../shared/data/civil_comments/spans_train.csv (SemEval-2021 task 5 training posts, CC0)
and writes moderation/analysis/model/spans.json.gz (see spans.py). The SemEval trial posts are
never read: they are the reported test split (``evaluate``).

A fifth of the training posts, chosen by a stable hash of the text, is held out. Every choice
(features, regularisation, probability threshold, how tokens are merged into spans, and the
lexicon baseline it is compared with) is made by per-post span F1 on that fifth; the shipped
model is then refitted on all the training posts with the chosen settings.
``--grid`` prints the whole comparison table.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import time
from collections import Counter
from pathlib import Path

import numpy as np

from . import data
from .evaluate import span_f1
from .normalize import normalize
from .spans import SHIPPED, SpanModel, features, merge, pick, restack, stack_features, tokens

VERSION = "spans-1.0"
HELDOUT_SHARE = 5  # one post in five is held out
MIN_COUNT = 2  # a feature seen fewer times in training is dropped


def heldout(text: str) -> bool:
    digest = hashlib.sha1(text.encode("utf-8"), usedforsecurity=False).hexdigest()
    return int(digest, 16) % HELDOUT_SHARE == 0


class Post:
    def __init__(self, text: str, gold: list[int]):
        self.norm = normalize(text)
        self.gold = set(gold)
        self.toks = tokens(self.norm.text)
        offs = self.norm.offsets
        # a token is toxic when most of its characters were marked
        self.y = [int(sum(offs[j] in self.gold for j in range(a, b)) * 2 > (b - a))
                  for a, b in self.toks]

    def predict(self, probs, threshold: float, join_gap: str, max_gap: int,
                floor: float | None = None) -> set[int]:
        kept = pick(self.toks, probs, threshold, floor)
        pred: set[int] = set()
        for a, b in merge(self.norm.text, kept, join_gap, max_gap):
            a0, b0 = self.norm.span(a, b)
            pred.update(range(a0, b0))
        return pred


def _matrix(posts, vocab, char_ngrams, context, build=False):
    from scipy import sparse

    rows, cols = [], []
    r = 0
    for p in posts:
        for f in features(p.norm.text, p.toks, char_ngrams, context):
            for name in f:
                j = vocab.get(name)
                if j is None and build:
                    j = vocab[name] = len(vocab)
                if j is not None:
                    rows.append(r)
                    cols.append(j)
            r += 1
    m = sparse.csr_matrix((np.ones(len(rows), np.float32), (rows, cols)),
                          shape=(r, len(vocab)), dtype=np.float32)
    m.sum_duplicates()
    m.data[:] = 1.0
    return m


def _vocab(posts, char_ngrams, context) -> dict[str, int]:
    count: Counter = Counter()
    for p in posts:
        for f in features(p.norm.text, p.toks, char_ngrams, context):
            count.update(set(f))
    return {k: i for i, k in enumerate(sorted(k for k, c in count.items() if c >= MIN_COUNT))}


def fit(posts, char_ngrams, context, c: float):
    from sklearn.linear_model import LogisticRegression

    vocab = _vocab(posts, char_ngrams, context)
    x = _matrix(posts, vocab, char_ngrams, context)
    y = np.array([v for p in posts for v in p.y])
    lr = LogisticRegression(C=c, solver="liblinear", max_iter=200, random_state=0)
    lr.fit(x, y)
    return vocab, lr


def post_probs(posts, vocab, lr, char_ngrams, context):
    x = _matrix(posts, vocab, char_ngrams, context)
    p = lr.predict_proba(x)[:, 1]
    out, i = [], 0
    for post in posts:
        out.append(p[i:i + len(post.toks)])
        i += len(post.toks)
    return out


def figure(posts, probs, threshold, join_gap, max_gap, floor=None) -> float:
    return float(np.mean([span_f1(p.predict(q, threshold, join_gap, max_gap, floor), p.gold)
                          for p, q in zip(posts, probs, strict=True)]))


THRESHOLDS = [round(t, 2) for t in np.arange(0.15, 0.71, 0.05)]
MERGES = [(" ", 1), (" ", 3), (" ,.-'\"", 3), (" ,.-'\"!?*", 5)]
FLOORS = [None, 0.0, 0.05, 0.1, 0.2]


def best_decision(posts, probs):
    """(figure, threshold, join_gap, max_gap, floor) best on these posts: threshold and
    merge first, then the fallback floor."""
    best = None
    for th in THRESHOLDS:
        for gap, mx in MERGES:
            f = figure(posts, probs, th, gap, mx)
            if best is None or f > best[0]:
                best = (f, th, gap, mx, None)
    for floor in FLOORS[1:]:
        f = figure(posts, probs, *best[1:4], floor)
        if f > best[0]:
            best = (f, *best[1:4], floor)
    return best


def lexicon_probs(train, posts, min_count=2):
    """The weighted-lexicon baseline: a token's share of toxic marks in training."""
    seen: Counter = Counter()
    toxic: Counter = Counter()
    for p in train:
        for (a, b), y in zip(p.toks, p.y, strict=True):
            w = p.norm.text[a:b].lower()
            seen[w] += 1
            toxic[w] += y
    out = []
    for p in posts:
        out.append(np.array([
            toxic[w] / seen[w] if seen[w] >= min_count else 0.0
            for w in (p.norm.text[a:b].lower() for a, b in p.toks)]))
    return out


def oof_probs(posts, char_ngrams, context, c, folds=2):
    """First-stage probabilities of each post from a model that did not train on it."""
    out = [None] * len(posts)
    for k in range(folds):
        test = [i for i in range(len(posts)) if i % folds == k]
        train = [p for i, p in enumerate(posts) if i % folds != k]
        vocab, lr = fit(train, char_ngrams, context, c)
        for i, q in zip(test, post_probs([posts[i] for i in test], vocab, lr, char_ngrams,
                                         context), strict=True):
            out[i] = q
    return out


def fit_stack(posts, probs):
    from sklearn.linear_model import LogisticRegression

    x = np.array([f for q in probs for f in stack_features(list(q))])
    y = np.array([v for p in posts for v in p.y])
    lr = LogisticRegression(C=1.0, max_iter=1000).fit(x, y)
    return {"coef": [round(float(v), 5) for v in lr.coef_[0]],
            "bias": round(float(lr.intercept_[0]), 5)}


def apply_stack(probs, stack):
    return [np.array(restack(list(q), stack["coef"], stack["bias"])) for q in probs]


FEATURE_SETS = {  # name: (char n-gram range, context words each side)
    "word+char3-5+ctx1": ((3, 5), 1),
    "word+char2-4+ctx1": ((2, 4), 1),
    "word+char3-5+ctx2": ((3, 5), 2),
    "word+char3-5+ctx0": ((3, 5), 0),
}
CS = [0.1, 0.3, 1.0]


def engine_figure(split: str, span_model: bool = True) -> int:
    """Span F1 of the engine's evidence, as ``evaluate`` computes it. For ``heldout`` set
    MODERATION_SPANS_MODEL to a model written with --fold-only."""
    from . import engine
    from .evaluate import spans_figure

    rows = data.spans("train" if split == "heldout" else "trial")
    if split == "heldout":
        rows = [r for r in rows if heldout(r["text"])]
    if not span_model:
        engine.get_spans = lambda: None
    t0 = time.perf_counter()
    outs = [a.to_dict() for a in engine.analyze_many([r["text"] for r in rows], explain=True)]
    flagged = sum(any(e["label"] in ("hostile", "threat", "profanity") for e in o["evidence"])
                  for o in outs)
    print(f"{split} ({len(rows)} posts, {flagged} with hostile/threat/profanity evidence), "
          f"{'span model' if span_model else 'leave-one-word-out only'}: "
          f"span F1 {spans_figure(rows, outs):.3f} ({time.perf_counter() - t0:.0f} s)")
    return 0


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(prog="python -m moderation.analysis train-spans")
    ap.add_argument("--out", default=str(SHIPPED))
    ap.add_argument("--grid", action="store_true",
                    help="compare every feature set and C on the held-out fifth (slower)")
    ap.add_argument("--fold-only", action="store_true",
                    help="fit the written model on the training four fifths only, to measure "
                         "the engine on the held-out fifth (--engine heldout)")
    ap.add_argument("--engine", choices=("heldout", "trial"),
                    help="train nothing: the engine's span F1 (hostile/threat/profanity "
                         "evidence, as evaluate) on the held-out fifth or the SemEval trial")
    ap.add_argument("--no-span-model", action="store_true",
                    help="with --engine: leave-one-word-out evidence only (the figure before)")
    args = ap.parse_args(argv)
    if args.engine:
        return engine_figure(args.engine, not args.no_span_model)
    t0 = time.perf_counter()
    rows = data.spans("train")
    posts = [Post(r["text"], r["spans"]) for r in rows]
    train = [p for p, r in zip(posts, rows, strict=True) if not heldout(r["text"])]
    held = [p for p, r in zip(posts, rows, strict=True) if heldout(r["text"])]
    print(f"{len(train)} training posts, {len(held)} held out")

    f, th, gap, mx, fl = best_decision(held, lexicon_probs(train, held))
    print(f"lexicon baseline: held-out span F1 {f:.3f} "
          f"(threshold {th}, join {gap!r} <= {mx}, floor {fl})")
    grid = FEATURE_SETS if args.grid else {"word+char3-5+ctx2": FEATURE_SETS["word+char3-5+ctx2"]}
    cs = CS if args.grid else [0.1]
    best = None
    for name, (ng, ctx) in grid.items():
        for c in cs:
            vocab, lr = fit(train, ng, ctx, c)
            res = best_decision(held, post_probs(held, vocab, lr, ng, ctx))
            print(f"{name:22s} C={c:<4} held-out span F1 {res[0]:.3f} "
                  f"(threshold {res[1]}, join {res[2]!r} <= {res[3]}, floor {res[4]})",
                  flush=True)
            if best is None or res[0] > best[0]:
                best = (*res, name, c)
    f, th, gap, mx, fl, name, c = best
    ng, ctx = FEATURE_SETS[name]
    print(f"chosen: {name} C={c} threshold {th} join {gap!r} <= {mx} floor {fl}: "
          f"held-out span F1 {f:.3f}")
    # the second stage learns on out-of-fold first-stage probabilities of the training fifths
    vocab, lr = fit(train, ng, ctx, c)
    stack = fit_stack(train, oof_probs(train, ng, ctx, c))
    res = best_decision(held, apply_stack(post_probs(held, vocab, lr, ng, ctx), stack))
    print(f"with the second stage: held-out span F1 {res[0]:.3f} "
          f"(threshold {res[1]}, join {res[2]!r} <= {res[3]}, floor {res[4]})", flush=True)
    fit_on = train if args.fold_only else posts  # the shipped model: every training post
    if res[0] > f:
        f, th, gap, mx, fl = res
        stack = fit_stack(fit_on, oof_probs(fit_on, ng, ctx, c))
    else:
        stack = None

    vocab, lr = fit(fit_on, ng, ctx, c)
    coef = lr.coef_[0]
    names = sorted(vocab, key=vocab.__getitem__)
    weights = {n: round(float(w), 4) for n, w in zip(names, coef, strict=True)
               if abs(w) >= 1e-3}
    artefact = {
        "version": VERSION,
        "trained_on": "SemEval-2021 task 5 spans_train.csv (Civil Comments, CC0), "
                      + ("the four training fifths" if args.fold_only else "all posts"),
        "heldout_span_f1": round(f, 4),
        "settings": {"threshold": th, "join_gap": gap, "max_gap": mx, "floor": fl,
                     "char_ngrams": list(ng), "context": ctx, "C": c},
        "bias": round(float(lr.intercept_[0]), 4),
        "stack": stack,
        "weights": weights,
    }
    out = Path(args.out)
    with gzip.open(out, "wt", encoding="utf-8", compresslevel=9) as fh:
        json.dump(artefact, fh, separators=(",", ":"), sort_keys=True)
    # the written artefact scores as the fitted model did
    m = SpanModel(artefact)
    probe = post_probs(train[:1], vocab, lr, ng, ctx)
    if stack:
        probe = apply_stack(probe, stack)
    written = m.probabilities(train[0].norm.text)[1][0]
    if abs(written - probe[0][0]) >= 1e-2:
        raise RuntimeError(f"the written span model scores {written:.4f}, the fitted one "
                           f"{probe[0][0]:.4f}: the artefact does not match")
    print(f"wrote {out} ({out.stat().st_size / 1e6:.2f} MB, {len(weights)} weights) "
          f"in {time.perf_counter() - t0:.0f} s")
    return 0
