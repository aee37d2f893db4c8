"""The learned core: one shared text encoding feeding calibrated heads (tone-2).

Encoding: hashed word 1-2-grams and in-word character 2-5-grams of the normalised text
(sublinear TF x IDF, each block L2-normalised). Heads: one logistic regression per attribute,
with a Platt calibration fitted on a split the head never saw. The artefact
``model/core.npz`` is written by ``python -m moderation.analysis train`` (train_core.py) from
../shared/data and the shipped batches; scoring needs numpy, scipy and scikit-learn's hashing
only, and reads nothing from the network.

Long texts are scored in overlapping windows and each head takes its highest window, so a
warning sign at the end of a 20,000-character comment counts as much as one at the start.
"""

from __future__ import annotations

import functools
import os
import re
from pathlib import Path

import numpy as np

SHIPPED = Path(__file__).resolve().parent / "model" / "core.npz"
#: the model a process loads: the shipped one, or a candidate to evaluate side by side
#: (MODERATION_CORE_MODEL=/tmp/core.npz python -m moderation.analysis evaluate)
ARTEFACT = Path(os.environ.get("MODERATION_CORE_MODEL") or SHIPPED)
HEADS = (
    "crisis",
    "distress",
    "hostility",
    "insult",
    "identity_attack",
    "profanity",
    "threat",
    "severe_toxicity",
)
WORD_BITS = 18
CHAR_BITS = 19
WINDOW = 2500  # characters per window for long texts
OVERLAP = 250
ENCODED_WINDOWS = 1  # windows of a long text the sentence encoder reads
ENCODED_CHARS = 700  # ... and of that window, the slice of this many characters
#: the fast tier: a text whose word features put every flag head under this probability is
#: not given to the sentence encoder (its flag scores stay the word features' reading)
GATE_P = float(os.environ.get("MODERATION_ENCODER_GATE", "0.05"))

_URL = re.compile(r"https?://\S+|www\.\S+")
_USER = re.compile(r"(?<!\w)@\w+")
_NUM = re.compile(r"\d")


def prepare(text: str) -> str:
    """What the encoder reads: lower case, links and @handles as placeholders, digits as 0."""
    text = _URL.sub(" url ", text.lower())
    text = _USER.sub(" @user ", text)
    return _NUM.sub("0", text)


def windows(text: str) -> list[str]:
    if len(text) <= WINDOW:
        return [text]
    step = WINDOW - OVERLAP
    return [text[i : i + WINDOW] for i in range(0, len(text) - OVERLAP, step)]


class Encoder:
    """Hashing + TF-IDF; the same object is used by training and scoring."""

    def __init__(self, word_idf: np.ndarray | None = None, char_idf: np.ndarray | None = None):
        from sklearn.feature_extraction.text import HashingVectorizer

        common = dict(alternate_sign=False, norm=None, lowercase=False, dtype=np.float32)
        self.word = HashingVectorizer(
            analyzer="word",
            ngram_range=(1, 2),
            n_features=2**WORD_BITS,
            token_pattern=r"(?u)[^\W_]+(?:'[^\W_]+)*|[!?]+|[^\w\s]",  # noqa: S106  # nosec B106
            **common,
        )
        self.char = HashingVectorizer(
            analyzer="char_wb", ngram_range=(2, 5), n_features=2**CHAR_BITS, **common
        )
        self.word_idf = word_idf
        self.char_idf = char_idf

    def counts(self, texts: list[str]):
        return self.word.transform(texts), self.char.transform(texts)

    def fit_idf(self, texts: list[str]) -> None:
        w, c = self.counts(texts)
        n = w.shape[0]
        self.word_idf = _idf(w, n)
        self.char_idf = _idf(c, n)

    def transform(self, texts: list[str]):
        import scipy.sparse as sp

        w, c = self.counts(texts)
        return sp.hstack([_tfidf(w, self.word_idf), _tfidf(c, self.char_idf)], format="csr")


def _idf(X, n: int) -> np.ndarray:
    df = np.bincount(X.indices, minlength=X.shape[1]).astype(np.float64)
    return (np.log((1.0 + n) / (1.0 + df)) + 1.0).astype(np.float32)


def _tfidf(X, idf: np.ndarray):
    X = X.tocsr(copy=True)
    np.log1p(X.data, out=X.data)
    X.data *= idf[X.indices]
    sq = np.sqrt(np.asarray(X.multiply(X).sum(axis=1)).ravel())
    sq[sq == 0] = 1.0
    rows = np.repeat(np.arange(X.shape[0]), np.diff(X.indptr))
    X.data /= sq[rows]
    return X


class CoreModel:
    def __init__(self, path: Path = ARTEFACT):
        z = np.load(path, allow_pickle=False)
        self.heads = tuple(str(h) for h in z["heads"])
        self.encoder = Encoder(z["word_idf"].astype(np.float32), z["char_idf"].astype(np.float32))
        self.W = np.ascontiguousarray(z["W"].astype(np.float32).T)  # features x heads
        self.bias = z["bias"].astype(np.float64)
        self.platt = z["platt"].astype(np.float64)  # heads x (a, b)
        # the sentence-encoder adjustment of the flag heads, learned on health comments
        self.residual_heads: tuple[str, ...] = ()
        if "R" in z.files:
            self.residual_heads = tuple(str(h) for h in z["residual_heads"])
            self.R = z["R"].astype(np.float32)  # residual heads x 384
            self.r_bias = z["r_bias"].astype(np.float64)
            self._res_idx = [self.heads.index(h) for h in self.residual_heads]
            #: the sentence encoder the residual was learned on (embed.digest)
            self.encoder_digest = str(z["encoder_sha256"]) if "encoder_sha256" in z.files else ""

    def logits(self, texts: list[str]) -> np.ndarray:
        X = self.encoder.transform([prepare(t) for t in texts])
        return np.asarray(X @ self.W, dtype=np.float64) + self.bias

    def _adjust(self, z: np.ndarray, texts: list[str], rows) -> None:
        from .embed import get_embedder

        rows = list(rows)
        embedder = get_embedder()
        if embedder.digest != self.encoder_digest:
            # a residual read off another encoder's features would be noise: fail loudly
            raise RuntimeError(
                "the core model was trained with another sentence encoder than "
                f"{embedder.digest[:12]}: retrain it (python -m moderation.analysis train)"
            )
        emb = embedder.embed([texts[i] for i in rows])
        z[np.ix_(rows, self._res_idx)] += emb @ self.R.T + self.r_bias

    def _strongest_slice(self, text: str) -> str:
        """The ENCODED_CHARS-long slice of a window the word features rate highest on a
        flag head (the encoder's cost grows with length; a long text is read where it
        matters)."""
        step = ENCODED_CHARS // 2
        slices = [text[i : i + ENCODED_CHARS] for i in range(0, len(text) - step, step)]
        z = self.logits(slices)[:, self._res_idx] * self.platt[self._res_idx, 0]
        return slices[int(np.argmax(z.max(axis=1)))]

    def predict(self, texts: list[str]) -> np.ndarray:
        """Calibrated probabilities, one row per text, one column per head.

        A text longer than one window is scored window by window and each head keeps its
        highest window; the sentence encoder reads at most ENCODED_WINDOWS of them (those the
        word features rate highest on a flag head), and the flag heads take their maximum
        over those windows only, so every flag score is on one calibrated scale."""
        if not texts:
            return np.zeros((0, len(self.heads)))
        pieces: list[str] = []
        owner: list[int] = []
        for i, t in enumerate(texts):
            for w in windows(t):
                pieces.append(w)
                owner.append(i)
        z = self.logits(pieces) * self.platt[:, 0] + self.platt[:, 1]
        owner_a = np.asarray(owner)
        chosen = np.ones(len(pieces), dtype=bool)
        flag_z = z[:, self._res_idx].max(axis=1) if self.residual_heads else None
        if self.residual_heads and len(pieces) > len(texts):
            chosen[:] = False
            for i in range(len(texts)):
                idx = np.flatnonzero(owner_a == i)
                chosen[idx[np.argsort(-flag_z[idx])[:ENCODED_WINDOWS]]] = True
        if self.residual_heads:
            gate = np.log(GATE_P / (1.0 - GATE_P)) if 0.0 < GATE_P < 1.0 else -np.inf
            encode = chosen & (flag_z >= gate)
            if encode.any():
                seen = list(pieces)
                if len(pieces) > len(texts):  # a long text: the encoder reads one slice
                    for j in np.flatnonzero(encode):
                        if len(seen[j]) > ENCODED_CHARS:
                            seen[j] = self._strongest_slice(seen[j])
                self._adjust(z, seen, np.flatnonzero(encode))
        probs = 1.0 / (1.0 + np.exp(-np.clip(z, -40, 40)))
        if len(pieces) == len(texts):
            return probs
        out = np.zeros((len(texts), probs.shape[1]))
        np.maximum.at(out, owner_a, probs)
        if self.residual_heads:  # flag heads: only the windows the encoder read
            res = np.zeros((len(texts), len(self._res_idx)))
            np.maximum.at(res, owner_a[chosen], probs[chosen][:, self._res_idx])
            out[:, self._res_idx] = res
        return out


@functools.cache
def get_core() -> CoreModel:
    """The process's one CoreModel, loaded on first use (a duplicate load in a race is harmless)."""
    return CoreModel()
