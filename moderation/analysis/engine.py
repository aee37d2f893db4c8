"""Skeleton engine: simple phrase rules (replaced by the trained engine)."""
from __future__ import annotations

import re
from typing import Mapping, Sequence

from .config import DEFAULT_THRESHOLDS, FLAG_AXIS, FLAG_URGENCY, MODEL_VERSION
from .types import Analysis, Span

_RULES = [
    ("crisis", 0.9, re.compile(r"\b(kill myself|end my life|want to die|suicid\w*|better off without me)\b", re.I), "suicidal ideation"),
    ("threat", 0.9, re.compile(r"\b(kill yourself|kys|i will kill you|i'll kill you)\b", re.I), "threat"),
    ("distress", 0.8, re.compile(r"\b(crying|hopeless|can't cope|feel bad enough)\b", re.I), "distress words"),
    ("hostility", 0.8, re.compile(r"\b(you|author)\b[^.!?]{0,20}\b(idiot|stupid|moron)\b", re.I), "insult aimed at a person"),
]
_PROF = re.compile(r"\b(f\*+k?|fuck\w*|shit|damn|sucks)\b", re.I)
_CRIT = re.compile(r"\b(brutal|pointless|useless|badly written|what was the point)\b", re.I)


def analyze(text: str, *, context: Mapping | None = None, thresholds: Mapping[str, float] | None = None) -> Analysis:
    if not isinstance(text, str):
        text = "" if text is None else str(text)
    th = dict(DEFAULT_THRESHOLDS)
    if thresholds:
        th.update({k: float(v) for k, v in thresholds.items() if k in th})
    scores = {"distress": 0.0, "crisis": 0.0, "hostility": 0.0, "threat": 0.0}
    spans: list[Span] = []
    axis_span: dict[str, Span] = {}
    for axis, s, rx, why in _RULES:
        m = rx.search(text)
        if m:
            scores[axis] = max(scores[axis], s)
            axis_span.setdefault(axis, Span(m.start(), m.end(), axis, why))
    flags = [f for f in FLAG_URGENCY if scores[FLAG_AXIS[f]] >= th[f]]
    flags.sort(key=FLAG_URGENCY.__getitem__)
    for f in flags:
        sp = axis_span[FLAG_AXIS[f]]
        spans.append(Span(sp.start, sp.end, f, sp.reason))
    tags = []
    m = _CRIT.search(text)
    if m:
        tags.append("criticism")
        spans.append(Span(m.start(), m.end(), "criticism", "negative feedback on the article"))
    m = _PROF.search(text)
    if m and "hostile" not in flags:
        tags.append("profanity")
        spans.append(Span(m.start(), m.end(), "profanity", "swearing aimed at nobody"))
    return Analysis(scores=scores, flags=tuple(flags), tags=tuple(tags), evidence=tuple(spans),
                    model_version=MODEL_VERSION, language="en", confidence=1.0)


def analyze_many(texts: Sequence[str], *, contexts=None, thresholds=None) -> list[Analysis]:
    out = []
    for i, t in enumerate(texts):
        ctx = contexts[i] if contexts is not None else None
        out.append(analyze(t, context=ctx, thresholds=thresholds))
    return out
