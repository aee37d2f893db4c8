"""The tone engine (tone-2): normalise, score with the learned core, add the safety net,
apply the policy steps, explain every flag.

Pipeline for each comment (pure Python + numpy, no I/O after the first lazy model load):
1. ``normalize``: NFKC, whitespace, quotes, invisible characters, repeated letters, with
   offsets back to the original text;
2. the learned core (core.py): calibrated probabilities for crisis, distress, hostility,
   insult, identity_attack, profanity, threat and severe_toxicity;
3. the safety net (rules.yaml via safety.py): explicit statements that must never be missed,
   discounted inside quotations and jokes (steps.py);
4. policy: axis score = max(model, rules); flags where a score reaches its threshold, most
   urgent first; tags criticism, profanity and about_other;
5. evidence: the rule's words; for a learned hostile or threat flag or the profanity tag, the
   toxic-span model's spans (spans.py); for the other learned flags, or when the span model
   marks nothing, the words whose removal lowers the head's score most (leave-one-word-out on
   the same model).

``analyze`` raises on an internal failure: callers that store comments (services/ingest.py)
catch it and queue the comment as ``unscored`` for a human, so a failure never passes silently.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np

from ..policy import Flag, Tag
from . import safety, steps
from .config import (
    DEFAULT_THRESHOLDS,
    FLAG_AXIS,
    FLAG_URGENCY,
    MODEL_VERSION,
    SCORE_KEYS,
    UNSCORED,
)
from .core import CoreModel, get_core
from .lang import detect
from .normalize import Normalized, normalize
from .spans import get_spans
from .types import Analysis, Span

MAX_EVIDENCE_WORDS = 150  # leave-one-out reads at most this many words of the strongest part
MAX_EVIDENCE_CHARS = 1500
#: labels whose learned evidence comes from the toxic-span model (spans.py)
TOXIC_SPAN_LABELS = frozenset({Flag.HOSTILE, Flag.THREAT, Tag.PROFANITY})


def _thresholds(thresholds: Mapping[str, float] | None) -> dict[str, float]:
    th = dict(DEFAULT_THRESHOLDS)
    for k, v in (thresholds or {}).items():
        if k in th:
            try:
                fv = float(v)
            except (TypeError, ValueError):
                continue
            if fv == fv:
                th[k] = fv
    return th


def unscored(language: str = "und") -> Analysis:
    """What is stored for a comment whose analysis failed: no scores, queued for a human."""
    return Analysis({}, (UNSCORED,), (), (), MODEL_VERSION, language, 0.0)


def analyze(
    text: str, *, context: Mapping | None = None, thresholds: Mapping[str, float] | None = None
) -> Analysis:
    """Analyse one comment (``None`` reads as empty text)."""
    return analyze_many([text], contexts=[context], thresholds=thresholds)[0]


def analyze_many(
    texts: Sequence[str],
    *,
    contexts: Sequence[Mapping | None] | None = None,
    thresholds: Mapping[str, float] | None = None,
    explain: bool = True,
) -> list[Analysis]:
    """Analyse many comments at once (the model scores them in one batch); the same results
    as calling analyze() on each. ``explain=False`` skips the learned flags' word evidence
    (rule evidence is always given): for bulk scoring where nobody reads the evidence."""
    th = _thresholds(thresholds)
    norms = [normalize("" if t is None else t if isinstance(t, str) else str(t)) for t in texts]
    if not norms:
        return []
    core = get_core()
    probs = core.predict([n.text for n in norms])
    quoted = [(i, steps.quoted_ranges(n.text)) for i, n in enumerate(norms)]
    quoted = [(i, r) for i, r in quoted if r]
    if quoted:  # the same heads on the writer's own words
        own = core.predict([steps.dequote(norms[i].text, r) for i, r in quoted])
        cols = {a: core.heads.index(a) for a in FLAG_AXIS.values()}
        for row, (i, ranges) in zip(own, quoted, strict=True):
            # crisis keeps the full reading (a relative's quoted words may be the warning
            # sign) unless the quotation is the parent comment's words
            ctx = contexts[i] if contexts is not None and i < len(contexts) else None
            parent = ctx.get("parent_text") if isinstance(ctx, Mapping) else None
            quotes_parent = isinstance(parent, str) and steps.quotes_from(
                norms[i].text, ranges, normalize(parent).text)
            for axis, c in cols.items():
                if axis != "crisis" or quotes_parent:
                    probs[i, c] = steps.own_words(probs[i, c], row[c])
    ranges = dict(quoted)
    return [_decide(n, dict(zip(core.heads, p.tolist(), strict=True)), th,
                    core if explain else None, ranges.get(i, []))
            for i, (n, p) in enumerate(zip(norms, probs, strict=True))]


def _decide(norm: Normalized, model: dict[str, float], th: dict[str, float],
            core: CoreModel | None, quotes: list[tuple[int, int]]) -> Analysis:
    text = norm.text
    if not text:  # nothing but whitespace or invisible characters: nothing to flag
        return Analysis({k: 0.0 for k in SCORE_KEYS}, (), (), (), MODEL_VERSION, "und", 0.0)
    lang, confidence = detect(text)
    hits = safety.find(text)
    rule_scores: dict[str, list[float]] = {axis: [] for axis in safety.AXES}
    counted: list[tuple[safety.Hit, float]] = []
    for hit in hits:
        s = steps.rule_strength(text, hit, quotes)
        rule_scores[hit.rule.axis].append(s)
        counted.append((hit, s))
    scores = {k: float(model.get(k, 0.0)) for k in SCORE_KEYS}
    steps.voice(text, scores, hits)
    steps.coping(text, scores, hits)
    for axis in ("crisis", "distress"):
        scores[axis] = steps.aimed_at_reader(scores[axis], hits)
    scores["threat"] = steps.self_directed(scores["threat"], hits)
    scores["hostility"], scores["threat"] = steps.no_target(
        text, scores["hostility"], scores["threat"], scores["insult"])
    for axis in safety.AXES:
        scores[axis] = steps.combine(scores[axis], rule_scores[axis])
    scores["hostility"] = steps.threat_is_hostile(scores["hostility"], scores["threat"])
    # a probability, never certainty: a site's threshold of 1.0 switches a flag off
    scores = {k: round(min(0.9999, max(0.0, v)), 4) for k, v in scores.items()}

    flags = tuple(sorted((f for f, axis in FLAG_AXIS.items() if scores[axis] >= th[f]),
                         key=FLAG_URGENCY.__getitem__))
    explain = _Explainer(norm, core)
    evidence: list[Span] = []
    for flag in flags:
        axis = FLAG_AXIS[flag]
        spans = [(h, s) for h, s in counted if h.rule.axis == axis and s >= th[flag]]
        for h, _ in spans:
            a, b = norm.span(h.start, h.end)
            evidence.append(Span(a, b, flag, h.rule.reason))
        if not spans:
            evidence += explain(axis, flag, model.get(axis, 0.0))
    tags: list[str] = []
    attack = Flag.HOSTILE in flags or Flag.THREAT in flags
    crit = None if attack else steps.criticism(text, scores["hostility"])
    if crit:
        tags.append(Tag.CRITICISM.value)
        a, b = norm.span(*crit)
        evidence.append(Span(a, b, Tag.CRITICISM.value,
                             "feedback on the article, not an attack"))
    if scores["profanity"] >= steps.WEIGHTS.profanity_tag and not attack:
        tags.append(Tag.PROFANITY.value)
        evidence += explain("profanity", Tag.PROFANITY.value, scores["profanity"])
    if Flag.CRISIS in flags and any(h.rule.about == "other" and h.rule.axis == "crisis"
                                    for h, s in counted if s >= th[Flag.CRISIS]):
        tags.append(Tag.ABOUT_OTHER.value)
    return Analysis(
        scores=scores,
        flags=flags,
        tags=tuple(tags),
        evidence=tuple(sorted(set(evidence), key=lambda s: (s.start, s.end, s.label))),
        model_version=MODEL_VERSION,
        language=lang,
        confidence=confidence,
    )


class _Explainer:
    """Word evidence for learned flags: the words whose removal lowers a head's logit most
    (leave-one-word-out). The model scores every head at once, so the variants of one passage
    are scored once and serve every flag explained on it."""

    def __init__(self, norm: Normalized, core: CoreModel | None):
        self.norm, self.core = norm, core
        self.words = steps.words(norm.text)
        self._sentences: tuple[list[tuple[int, int]], np.ndarray] | None = None
        self._scored: dict[tuple[int, int], tuple[list[tuple[int, int]], np.ndarray]] = {}
        self._toxic: list[tuple[int, int]] | None = None

    def __call__(self, head: str, label: str, score: float) -> list[Span]:
        """Evidence for ``label`` read on ``head``: the toxic-span model's spans for hostile,
        threat and profanity, else (or when it marks nothing) leave-one-word-out."""
        norm, core, text = self.norm, self.core, self.norm.text
        toxic = self._toxic_spans(label, head, score)
        if toxic:
            return toxic
        if core is None or head not in core.heads:
            return []
        if not self.words:  # symbols or function words only: the comment as a whole
            a, b = norm.span(0, len(text))
            return [Span(a, b, label,
                         f"learned model ({head} {score:.2f}): the comment as a whole")]
        k = core.heads.index(head)
        unit = self._unit(k)
        if unit is None:
            return []
        spans, lg = self._variants(unit)
        drops = lg[0, k] - lg[1:, k]
        total = float(np.clip(drops, 0, None).sum()) or 1.0
        w = steps.WEIGHTS
        out = []
        for i in np.argsort(-drops)[: w.evidence_words]:
            if drops[i] <= 0 or drops[i] / total < w.evidence_min_share:
                continue
            a, b = norm.span(*spans[i])
            out.append(Span(a, b, label,
                            f"learned model ({head} {score:.2f}): this word weighs most"))
        if not out:  # nothing stands out: the whole comment is the evidence
            a, b = norm.span(0, len(text))
            out.append(Span(a, b, label,
                            f"learned model ({head} {score:.2f}): the comment as a whole"))
        return out

    def _toxic_spans(self, label: str, head: str, score: float) -> list[Span]:
        """The toxic-span model's spans, for hostile, threat and profanity (empty for the
        other labels, without the explaining core, or when the span model marks nothing)."""
        if self.core is None or label not in TOXIC_SPAN_LABELS:
            return []
        if self._toxic is None:
            model = get_spans()
            self._toxic = model.spans(self.norm.text) if model is not None else []
        reason = f"learned model ({head} {score:.2f}): marked by the toxic-span model"
        return [Span(*self.norm.span(a, b), label, reason) for a, b in self._toxic]

    def _unit(self, k: int) -> tuple[int, int] | None:
        """The passage explained: the comment, or for a long one its strongest sentence on
        head ``k`` (cut to MAX_EVIDENCE_CHARS); None when that sentence has no word."""
        text = self.norm.text
        if len(self.words) <= MAX_EVIDENCE_WORDS and len(text) <= MAX_EVIDENCE_CHARS:
            return (0, len(text))
        if self._sentences is None:
            sentences = [m.span() for m in steps.SENTENCE.finditer(text)] or [(0, len(text))]
            sentences = [(a, min(b, a + MAX_EVIDENCE_CHARS)) for a, b in sentences]
            self._sentences = (sentences, self.core.logits([text[a:b] for a, b in sentences]))
        sentences, lg = self._sentences
        a0, b0 = sentences[int(np.argmax(lg[:, k]))]
        if not any(a0 <= s[0] and s[1] <= b0 for s in self.words):
            return None
        return (a0, b0)

    def _variants(self, unit: tuple[int, int]):
        """The unit's words and the logits of the unit without each of them (row 0: all)."""
        if unit not in self._scored:
            a0, b0 = unit
            text = self.norm.text[a0:b0]
            # each distinct word once (its first occurrence): a word said again weighs the
            # same, and a comment of one word repeated costs one variant, not 150
            seen: set[str] = set()
            spans = []
            for a, b in self.words:
                if len(spans) == MAX_EVIDENCE_WORDS:
                    break
                if not (a0 <= a and b <= b0):
                    continue
                word = text[a - a0:b - a0].lower()
                if word not in seen:
                    seen.add(word)
                    spans.append((a, b))
            variants = [text] + [text[: a - a0] + text[b - a0:] for a, b in spans]
            self._scored[unit] = (spans, self.core.logits(variants))
        return self._scored[unit]
