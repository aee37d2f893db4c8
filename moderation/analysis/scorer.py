"""Compact linear scorer over the exported artefact (no scikit-learn at run time).

The artefact is loaded once per process, lazily, and cached.
"""

from __future__ import annotations

import math
import threading
from collections import Counter
from pathlib import Path

import numpy as np

from .features import char_features, tokens
from .sentiment import sentiment_features

ARTEFACT = Path(__file__).resolve().parent / "model" / "tone.npz"

_lock = threading.Lock()
# words too common to explain a flag, never offered as evidence
_FUNCTION_WORDS = frozenset(
    "the and for you your yours that this was were are have has had with not but all can just "
    "she her his him they them their our out what when who how why get got one will would could "
    "should from about been being into than then there here its it's i'm i've i'd i'll im ive "
    "dont don't didn't doesn't isn't wasn't some any very really also now".split()
)
_model = None


class Model:
    def __init__(self, path: Path = ARTEFACT):
        z = np.load(path, allow_pickle=False)
        self.axes = tuple(str(a) for a in z["axes"])
        vocab = bytes(z["vocab"]).decode("utf-8").split("\n")
        idf = z["idf"].astype(np.float64)
        W = z["W"].astype(np.float64)
        # per feature: (idf * w_axis0, idf * w_axis1, ..., idf^2) so that one pass does all axes
        table = np.column_stack([W * idf[:, None], idf * idf])
        self._index = {f: i for i, f in enumerate(vocab)}
        self._table = list(map(tuple, table.tolist()))
        self._np_table = np.ascontiguousarray(table, dtype=np.float64)
        self.W_dense = z["W_dense"].astype(np.float64)
        self._dense = self.W_dense.tolist()
        self.bias = z["bias"].astype(np.float64).tolist()
        self.platt = z["platt"].astype(np.float64).tolist()
        words = bytes(z["lex_words"]).decode("utf-8").split("\n")
        self.lexicon = dict(zip(words, z["lex_p"].astype(float).tolist(), strict=False))
        self.lexicon_n = dict(zip(words, z["lex_n"].astype(int).tolist(), strict=False))
        self.lexicon_keys = frozenset(self.lexicon)
        self.n_axes = len(self.axes)
        self._tok_cache: dict[str, tuple] = {}

    def raw(self, text: str, senti: tuple[float, float, float] | None = None) -> list[float]:
        """Decision values (logits) per axis, before calibration (TF-IDF, sublinear tf, l2 norm)."""
        log = math.log
        a0 = a1 = a2 = a3 = n2 = 0.0
        if self.n_axes != 4:  # pragma: no cover - the artefact has four axes; a general path
            return self._raw_general(text, senti)
        counts = self._counts(text)
        if len(counts) > 48:  # long text: one numpy pass beats the Python loop
            idx = np.fromiter(counts.keys(), dtype=np.int64, count=len(counts))
            cnt = np.fromiter(counts.values(), dtype=np.float64, count=len(counts))
            t = 1.0 + np.log(cnt)
            rows = self._np_table[idx]
            a0, a1, a2, a3 = (float(v) for v in t @ rows[:, :4])
            n2 = float((t * t) @ rows[:, 4])
            counts = {}
        tab = self._table
        for i, c in counts.items():
            r = tab[i]
            if c == 1:
                a0 += r[0]
                a1 += r[1]
                a2 += r[2]
                a3 += r[3]
                n2 += r[4]
            else:
                t = 1.0 + log(c)
                a0 += t * r[0]
                a1 += t * r[1]
                a2 += t * r[2]
                a3 += t * r[3]
                n2 += t * t * r[4]
        norm = math.sqrt(n2) or 1.0
        s = senti if senti is not None else sentiment_features(text)
        wd = self._dense
        b = self.bias
        return [
            a / norm + b[k] + s[0] * wd[0][k] + s[1] * wd[1][k] + s[2] * wd[2][k]
            for k, a in enumerate((a0, a1, a2, a3))
        ]

    def _counts(self, text: str) -> Counter:
        """Counts of the in-vocabulary features of ``features(text)``, by feature index.

        Same result as counting ``features(text)``, faster: each distinct word's character
        n-grams are looked up once per process and cached."""
        toks = tokens(text)
        get = self._index.get
        cache = self._tok_cache
        ids = [i for i in map(get, toks) if i is not None]
        bigrams = [a + " " + b for a, b in zip(toks, toks[1:], strict=False)]
        ids += [i for i in map(get, bigrams) if i is not None]
        for t in toks:
            ci = cache.get(t)
            if ci is None:
                ci = tuple(i for i in map(get, char_features(t)) if i is not None)
                if len(cache) > 200_000:
                    cache.clear()
                cache[t] = ci
            ids += ci
        return Counter(ids)

    def _raw_general(self, text, senti=None):
        n = self.n_axes
        acc = [0.0] * (n + 1)
        for i, c in self._counts(text).items():
            r = self._table[i]
            t = 1.0 + math.log(c)
            for k in range(n + 1):
                acc[k] += (t * t if k == n else t) * r[k]
        norm = math.sqrt(acc[n]) or 1.0
        s = senti if senti is not None else sentiment_features(text)
        return [
            acc[k] / norm
            + float(self.bias[k])
            + sum(v * self._dense[j][k] for j, v in enumerate(s))
            for k in range(n)
        ]

    def top_words(self, text: str, axis: int, k: int = 3) -> list[tuple[str, float]]:
        """The word unigrams that push ``axis`` up the most (for evidence when no rule fired)."""
        out = []
        for f in set(tokens(text)):
            if not f[0].isalnum() or len(f) < 3 or f in _FUNCTION_WORDS:
                continue  # "my", "the": true of the model, useless to a moderator
            i = self._index.get(f)
            r = self._table[i] if i is not None else None
            if r is not None and r[axis] > 0:
                out.append((f, r[axis]))
        out.sort(key=lambda x: -x[1])
        return out[:k]

    def proba(self, text: str, senti=None) -> dict[str, float]:
        """Calibrated probabilities per axis (Platt scaling fitted on a calibration split)."""
        out = {}
        for k, z in enumerate(self.raw(text, senti)):
            a, b = self.platt[k]
            v = a * z + b
            out[self.axes[k]] = 1.0 / (1.0 + math.exp(-v)) if v > -700 else 0.0
        return out


def get_model() -> Model:
    global _model
    if _model is None:
        with _lock:
            if _model is None:
                _model = Model()
    return _model
