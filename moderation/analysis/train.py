# ruff: noqa: E501  (word lists and data tables: one entry per line reads best)
"""Retrain the model artefact: ``python -m moderation.analysis train`` (fixed seed, ~30 s).

Reads ../shared/data (or $MODERATION_DATA) and the hand-labelled batches shipped in
moderation/analysis/batches/, writes moderation/analysis/model/tone.npz:
- a shared vocabulary of word 1-2-grams and in-word character 4-grams (features.py),
  its IDF, and one logistic-regression weight column per axis (distress, hostility, crisis),
  followed by a Platt calibration fitted on a separate calibration split (crisis: on 5-fold
  out-of-fold decision values, its set being small);
- a word-level toxicity lexicon learned from the SemEval toxic-span training posts.
Scoring is done by scorer.py without scikit-learn (dict lookups + numpy).
"""

from __future__ import annotations

import argparse
import collections
import re
import time
from pathlib import Path

import numpy as np

from . import data
from .features import features
from .sentiment import sentiment_features

OUT = Path(__file__).resolve().parent / "model" / "tone.npz"
AXES = ("distress", "hostility", "crisis", "attack")


EXTRA: list[str] = []  # JSON-lines files of labelled comments (``--extra``): moderators' decisions


def _extra_rows() -> list[dict]:
    import json

    rows = []
    for path in EXTRA:
        with open(path, encoding="utf-8") as fh:
            rows += [json.loads(line) for line in fh if line.strip()]
    return rows


def _build_sets():
    ge = data.goemotions("train")
    civ = data.civil()
    dav = data.davidson()
    cou = data.counsel()
    trial = {r["text"] for r in data.spans("trial")}  # never train on the span evaluation posts
    civ = [r for r in civ if r["text"] not in trial]

    def ge_split(r):
        return data.split_of("ge:" + r["id"])

    sets = {}
    # distress: GoEmotions distress emotions vs the rest; counsel_chat questions are all written in
    # distress; non-toxic news comments and tweets add calm / critical negatives from other styles.
    d = []
    for r in ge:
        d.append((r["text"], r["distress"], "calib" if ge_split(r) == "calib" else "train", 1.0))
    for r in cou:
        d.append(
            (
                r["text"],
                1,
                "calib" if r["split"] == "calib" else ("test" if r["split"] == "test" else "train"),
                1.0,
            )
        )
    for r in civ:
        if r["split"] != "test":
            d.append((r["text"], 0, r["split"], 0.5))
    sets["distress"] = d
    # hostility: civil comments (toxic by annotator majority), Davidson (hate/offensive vs neither),
    # GoEmotions comments with no anger-like emotion and counsel_chat questions as non-hostile.
    h = []
    for r in civ:
        h.append((r["text"], r["toxic"], r["split"], 1.0))
    for r in dav:
        h.append((r["text"], int(r["cls"] in (0, 1)), r["split"], 0.5))
    for r in ge:
        if not r["anger"]:
            h.append((r["text"], 0, "calib" if ge_split(r) == "calib" else "train", 0.5))
    for r in cou:
        if r["split"] != "test":
            h.append((r["text"], 0, r["split"], 1.0))
    sets["hostility"] = h
    # crisis: the hand-labelled batches shipped with the package (distress 3 = crisis, against the
    # rest of each batch), plus a fixed sample of GoEmotions comments as everyday negatives. There
    # is no public crisis-labelled set; this small axis learns the vocabulary of veiled warning
    # signs, and is calibrated by cross-validation (see fit()).
    from .evaluate import BATCHES, load_batch

    c = []
    a = []
    labelled = [r for name in BATCHES for r in load_batch(name)] + _extra_rows()
    for r in labelled:
        c.append((r["text"], int(r["distress"] == 3), "cv", 1.0))
        # attack: hostility 2-3 (insults, condescension, put-downs of groups, threats) against
        # everything else in the batches, criticism of articles and treatments included
        a.append((r["text"], int(r["hostility"] >= 2), "cv", 1.0))
    # everyday negatives for each small axis: its own fixed ~10 % sample of GoEmotions
    for axis, rows in (("crisis", c), ("attack", a)):
        rows += [
            (r["text"], 0, "cv", 0.3)
            for r in ge
            if data.split_of(f"{axis}-neg:{r['id']}") == "calib"
        ]
        sets[axis] = rows
    return sets


_WORD = re.compile(r"[^\W_]+(?:['*][^\W_]+)*")


# identity terms and words about one's own state are never toxicity evidence by themselves
LEXICON_STOP = set(
    """
gay lesbian lesbians homosexual homosexuals transgender transgenders trans bisexual queer black white muslim muslims
islam jew jews jewish christian christians catholic mexican mexicans latino latina iranian canadian american
americans immigrant immigrants refugee refugees women woman men man female male disabled blind deaf mute lonely
sad depressed damaged sick ill mental malaria cancer updates rrsp québec cdn summarily division generate
reproduce tolerated marginal pedestrian rookie tricky patriot sylvia carey cohn pruitt orangemen loyalists
partisans iranian 211 ing ies pu f ck sh popo boyo culo handlers masse organ putty lavender
""".split()
)


def span_lexicon(rows=None, min_count: int = 3):
    """word -> (share of its occurrences in toxic posts that annotators marked toxic, count)."""
    inside = collections.Counter()
    total = collections.Counter()
    for r in rows if rows is not None else data.spans("train"):
        marked = set(r["spans"])
        for m in _WORD.finditer(r["text"]):
            w = m.group().lower()
            total[w] += 1
            if any(i in marked for i in range(m.start(), m.end())):
                inside[w] += 1
    lex = {}
    for w, n in total.items():
        if n >= min_count and inside[w] and w not in LEXICON_STOP:
            p = inside[w] / (n + 1.0)  # +1 smoothing: rare words need evidence
            if p >= 0.2:
                lex[w] = (round(p, 4), n)
    return lex


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(prog="python -m moderation.analysis train")
    ap.add_argument("--out", default=str(OUT))
    ap.add_argument("--min-df", type=int, default=3)
    ap.add_argument("--max-features", type=int, default=120_000)
    ap.add_argument("--C", type=float, default=4.0)
    ap.add_argument(
        "--keep", type=int, default=50_000, help="features kept after the first fit (0: all)"
    )
    ap.add_argument(
        "--extra",
        action="append",
        default=[],
        help="JSON lines {id, text, distress, hostility} added to the crisis set "
        "(`flask analysis labels` writes moderators' decisions this way); repeatable",
    )
    args = ap.parse_args(argv)
    EXTRA[:] = args.extra

    from scipy import sparse
    from sklearn.feature_extraction.text import CountVectorizer, TfidfTransformer
    from sklearn.linear_model import LogisticRegression

    t0 = time.time()
    sets = _build_sets()
    texts = sorted({t for rows in sets.values() for (t, _y, split, _w) in rows if split != "test"})
    print(f"{len(texts)} distinct texts", flush=True)
    # vocabulary and IDF are fitted on training/calibration texts only (no held-out text)
    cv = CountVectorizer(
        analyzer=features, min_df=args.min_df, max_features=args.max_features, dtype=np.float32
    )
    counts = cv.fit_transform(texts)
    tf = TfidfTransformer(sublinear_tf=True)
    X = tf.fit_transform(counts).tocsr()
    S = sparse.csr_matrix(np.array([sentiment_features(t) for t in texts], dtype=np.float64))
    row = {t: i for i, t in enumerate(texts)}
    print(f"vectorised {X.shape} in {time.time() - t0:.0f}s", flush=True)

    def fit(X):
        Xall = sparse.hstack([X, S]).tocsr()
        weights, bias, platt, clfs = [], [], [], []
        for axis in AXES:
            rows = sets[axis]
            if axis in ("crisis", "attack"):  # small sets: Platt on 5-fold out-of-fold values
                from sklearn.model_selection import StratifiedKFold, cross_val_predict

                tr = ca = rows
                clf = LogisticRegression(
                    C=args.C,
                    max_iter=2000,
                    solver="liblinear",
                    class_weight="balanced",
                    random_state=data.SEED,
                )
                Xc = Xall[[row[r[0]] for r in tr]]
                yc = np.array([r[1] for r in tr])
                wc = np.array([r[3] for r in tr])
                z = cross_val_predict(
                    clf,
                    Xc,
                    yc,
                    cv=StratifiedKFold(5, shuffle=True, random_state=data.SEED),
                    method="decision_function",
                    params={"sample_weight": wc},
                )
                clf.fit(Xc, yc, sample_weight=wc)
                cal = LogisticRegression(C=1e4, solver="lbfgs").fit(z.reshape(-1, 1), yc)
                weights.append(clf.coef_[0])
                bias.append(clf.intercept_[0])
                platt.append((cal.coef_[0][0], cal.intercept_[0]))
                clfs.append(clf)
                print(
                    f"  {axis}: trained on {len(tr)} (5-fold calibration), {time.time() - t0:.0f}s"
                )
                continue
            tr = [r for r in rows if r[2] == "train"]
            ca = [r for r in rows if r[2] == "calib"]
            clf = LogisticRegression(
                C=args.C, max_iter=2000, solver="liblinear", random_state=data.SEED
            )
            clf.fit(
                Xall[[row[r[0]] for r in tr]],
                np.array([r[1] for r in tr]),
                sample_weight=np.array([r[3] for r in tr]),
            )
            z = clf.decision_function(Xall[[row[r[0]] for r in ca]])
            cal = LogisticRegression(C=1e4, solver="lbfgs").fit(
                z.reshape(-1, 1), np.array([r[1] for r in ca])
            )
            weights.append(clf.coef_[0])
            bias.append(clf.intercept_[0])
            platt.append((cal.coef_[0][0], cal.intercept_[0]))
            clfs.append(clf)
            print(
                f"  {axis}: trained on {len(tr)}, calibrated on {len(ca)}, {time.time() - t0:.0f}s",
                flush=True,
            )
        return weights, bias, platt, clfs, Xall

    weights, bias, platt, clfs, Xall = fit(X)
    vocab = cv.get_feature_names_out()
    if args.keep and args.keep < X.shape[1]:
        # keep the features that matter most to any axis, then refit on them alone (smaller, faster
        # artefact; the L2 norm is then over kept features, exactly as the scorer computes it)
        W1 = np.abs(np.vstack(weights).T[: X.shape[1]])
        keep = np.sort(np.argsort(-W1.max(axis=1))[: args.keep])
        X = tf.fit_transform(counts[:, keep]).tocsr()
        vocab = vocab[keep]
        print(f"kept {len(keep)} features; refitting", flush=True)
        weights, bias, platt, clfs, Xall = fit(X)

    W = np.vstack(weights).T  # (n_features + n_dense, n_axes)
    n_vocab = X.shape[1]
    lex = span_lexicon()
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(
        out,
        axes=np.array(AXES),
        vocab="\n".join(vocab).encode("utf-8"),
        idf=tf.idf_.astype(np.float32),
        W=W[:n_vocab].astype(np.float32),
        W_dense=W[n_vocab:].astype(np.float64),
        bias=np.array(bias),
        platt=np.array(platt),
        lex_words="\n".join(lex).encode("utf-8"),
        lex_p=np.array([v[0] for v in lex.values()], dtype=np.float32),
        lex_n=np.array([v[1] for v in lex.values()], dtype=np.int32),
    )
    # self-check: the compact scorer must reproduce scikit-learn's decision function
    from .scorer import Model

    m = Model(out)
    sample = texts[:: max(1, len(texts) // 500)]
    worst = 0.0
    for t in sample:
        ref = [float(c.decision_function(Xall[row[t]])[0]) for c in clfs]
        worst = max(worst, max(abs(a - b) for a, b in zip(m.raw(t), ref, strict=False)))
    print(f"scorer vs scikit-learn on {len(sample)} texts: max |logit difference| {worst:.2e}")
    if worst > 1e-3:
        raise SystemExit("exported scorer disagrees with the trained model")
    print(
        f"wrote {out} ({out.stat().st_size / 1e6:.1f} MB, {n_vocab} features, {len(lex)} lexicon words) "
        f"in {time.time() - t0:.0f}s"
    )
    return 0
