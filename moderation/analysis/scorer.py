"""Compact linear scorer over the exported artefact (no scikit-learn at run time).

The artefact is loaded once per process, lazily, and cached.
"""
from __future__ import annotations

import math
import threading
from collections import Counter
from pathlib import Path

import numpy as np

from .features import features
from .sentiment import sentiment_features

ARTEFACT = Path(__file__).resolve().parent / "model" / "tone.npz"

_lock = threading.Lock()
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
        self._rows = dict(zip(vocab, table.tolist()))
        self.W_dense = z["W_dense"].astype(np.float64)
        self.bias = z["bias"].astype(np.float64)
        self.platt = z["platt"].astype(np.float64)
        words = bytes(z["lex_words"]).decode("utf-8").split("\n")
        self.lexicon = dict(zip(words, z["lex_p"].astype(float).tolist()))
        self.lexicon_n = dict(zip(words, z["lex_n"].astype(int).tolist()))
        self.n_axes = len(self.axes)

    def raw(self, text: str, senti: tuple[float, float, float] | None = None) -> list[float]:
        """Decision values (logits) per axis, before calibration."""
        n = self.n_axes
        acc = [0.0] * (n + 1)
        rows = self._rows
        log = math.log
        for f, c in Counter(features(text)).items():
            r = rows.get(f)
            if r is None:
                continue
            t = 1.0 + log(c) if c > 1 else 1.0
            for k in range(n):
                acc[k] += t * r[k]
            acc[n] += t * t * r[n]
        norm = math.sqrt(acc[n]) or 1.0
        s = senti if senti is not None else sentiment_features(text)
        out = []
        for k in range(n):
            z = acc[k] / norm + self.bias[k]
            for j, v in enumerate(s):
                z += v * self.W_dense[j, k]
            out.append(z)
        return out

    def top_words(self, text: str, axis: int, k: int = 3) -> list[tuple[str, float]]:
        """The word unigrams that push ``axis`` up the most (for evidence when no rule fired)."""
        rows = self._rows
        out = []
        for f in set(features(text)):
            if f[0] == "#" or " " in f or not f[0].isalnum():
                continue
            r = rows.get(f)
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
