"""The toxic-span model: which words of a hostile comment are the hostile part.

A per-token logistic regression trained on the SemEval-2021 toxic spans training posts
(Civil Comments, CC0) by ``python -m moderation.analysis train-spans`` (train_spans.py). Each
word token of the normalised text gets sparse binary features (``features``: the lower-cased
word, its character 3-5-grams, its shape, the words around it); its probability is the
logistic of the summed weights. A second, eight-weight logistic regression then reads each
token's probability against its neighbours' and the post's highest (``stack_features``).
Tokens at or above ``threshold`` are toxic (if none is, the likeliest token when it reaches
``floor``), and toxic tokens separated only by a short gap of joining characters are merged
into one span with the gap, as the SemEval annotators marked phrases.

The artefact ``model/spans.json.gz`` holds the weights of the features kept (by name), the
bias and the decision settings chosen on a held-out fifth of the training posts. Scoring
needs only the standard library.
"""

from __future__ import annotations

import functools
import gzip
import json
import math
import os
import re
from pathlib import Path

SHIPPED = Path(__file__).resolve().parent / "model" / "spans.json.gz"
ARTEFACT = Path(os.environ.get("MODERATION_SPANS_MODEL") or SHIPPED)

#: word tokens: letters and digits, with inner apostrophes, masking asterisks or hyphens
TOKEN = re.compile(r"[^\W_]+(?:['*\-][^\W_]+)*\**|[\U0001F300-\U0001FAFF]")
_DIGIT = re.compile(r"\d")
MAX_TOKENS = 600  # a longer comment's later words are not read
MAX_NGRAM_CHARS = 40  # character n-grams are read from a word's first 40 characters


def tokens(text: str) -> list[tuple[int, int]]:
    return [m.span() for m in TOKEN.finditer(text)][:MAX_TOKENS]


def _norm(word: str) -> str:
    return _DIGIT.sub("0", word.lower())


def _shape(word: str) -> str:
    if "*" in word:
        return "masked"
    if len(word) > 1 and word.isupper():
        return "upper"
    if word[:1].isupper():
        return "title"
    return "lower"


def features(text: str, toks: list[tuple[int, int]], char_ngrams=(3, 5),
             context: int = 1) -> list[list[str]]:
    """Feature names of each token (the same function trains and scores)."""
    words = [text[a:b] for a, b in toks]
    low = [_norm(w) for w in words]
    out = []
    n = len(toks)
    lo, hi = char_ngrams
    for i, (w, lw) in enumerate(zip(words, low, strict=True)):
        f = [f"w={lw}", f"s={_shape(w)}"]
        padded = f"<{lw}>" if len(lw) <= MAX_NGRAM_CHARS else f"<{lw[:MAX_NGRAM_CHARS]}"
        for k in range(lo, hi + 1):
            for j in range(0, max(1, len(padded) - k + 1)):
                f.append(f"c={padded[j:j + k]}")
        for d in range(1, context + 1):
            f.append(f"p{d}={low[i - d] if i - d >= 0 else '<s>'}")
            f.append(f"n{d}={low[i + d] if i + d < n else '</s>'}")
        if i > 0:
            f.append(f"b={low[i - 1]}_{lw}")
        if i + 1 < n:
            f.append(f"a={lw}_{low[i + 1]}")
        out.append(f)
    return out


class SpanModel:
    def __init__(self, artefact: dict):
        self.weights: dict[str, float] = artefact["weights"]
        self.bias = float(artefact["bias"])
        s = artefact["settings"]
        self.threshold = float(s["threshold"])
        self.join_gap = str(s.get("join_gap", " "))  # characters allowed between joined tokens
        self.max_gap = int(s.get("max_gap", 1))
        #: when no token reaches the threshold, the likeliest one if it reaches this
        self.floor = s.get("floor")
        self.char_ngrams = tuple(s.get("char_ngrams", (3, 5)))
        self.context = int(s.get("context", 1))
        self.stack = artefact.get("stack")  # {"coef": [...], "bias": b} or None
        self.version = artefact.get("version", "")

    def probabilities(self, text: str) -> tuple[list[tuple[int, int]], list[float]]:
        toks = tokens(text)
        w, b = self.weights, self.bias
        probs = [_sigmoid(b + sum(w.get(name, 0.0) for name in f))
                 for f in features(text, toks, self.char_ngrams, self.context)]
        if self.stack:
            probs = restack(probs, self.stack["coef"], self.stack["bias"])
        return toks, probs

    def spans(self, text: str, threshold: float | None = None) -> list[tuple[int, int]]:
        """Toxic character spans of ``text`` (end exclusive), adjacent toxic tokens merged."""
        th = self.threshold if threshold is None else threshold
        toks, probs = self.probabilities(text)
        return merge(text, pick(toks, probs, th, self.floor), self.join_gap, self.max_gap)


def pick(toks: list[tuple[int, int]], probs, threshold: float,
         floor: float | None = None) -> list[tuple[int, int]]:
    """The tokens at or above ``threshold``; if none, the likeliest one when it reaches
    ``floor`` (None: no such fallback)."""
    kept = [t for t, p in zip(toks, probs, strict=True) if p >= threshold]
    if not kept and floor is not None and len(toks):
        i = max(range(len(toks)), key=lambda k: probs[k])
        if probs[i] >= floor:
            kept = [toks[i]]
    return kept


def _sigmoid(z: float) -> float:
    return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))


def _logit(p: float) -> float:
    p = min(1 - 1e-4, max(1e-4, p))
    return math.log(p / (1 - p))


def stack_features(probs: list[float]) -> list[list[float]]:
    """Second stage, per token: its first-stage logit, its neighbours' (two each side), the
    post's highest logit, its distance to that highest, and the log of the post's length in
    tokens (a token's score read against the rest of its post)."""
    n = len(probs)
    if not n:
        return []
    lg = [_logit(p) for p in probs]
    top = max(lg)
    pad = [-9.0, -9.0, *lg, -9.0, -9.0]
    ln = math.log(n)
    return [[lg[i], pad[i + 1], pad[i + 3], pad[i], pad[i + 4], top, lg[i] - top, ln]
            for i in range(n)]


def restack(probs: list[float], coef: list[float], bias: float) -> list[float]:
    return [_sigmoid(bias + sum(c * x for c, x in zip(coef, f, strict=True)))
            for f in stack_features(probs)]


def merge(text: str, toks: list[tuple[int, int]], join_gap: str = " ",
          max_gap: int = 1) -> list[tuple[int, int]]:
    """Join consecutive toxic tokens whose gap is at most ``max_gap`` characters, all of
    them in ``join_gap`` (the gap joins the span, as annotators mark a phrase)."""
    out: list[list[int]] = []
    for a, b in toks:
        if out:
            gap = text[out[-1][1]:a]
            if len(gap) <= max_gap and all(c in join_gap for c in gap):
                out[-1][1] = b
                continue
        out.append([a, b])
    return [(a, b) for a, b in out]


def load(path: Path) -> SpanModel:
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        return SpanModel(json.load(fh))


@functools.lru_cache(maxsize=1)
def get_spans() -> SpanModel | None:
    """The shipped span model, or None when the artefact is absent (evidence then falls back
    to leave-one-word-out)."""
    if not ARTEFACT.exists():
        return None
    return load(ARTEFACT)
