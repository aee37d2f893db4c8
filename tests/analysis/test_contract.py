import dataclasses
import json

import pytest

from moderation.analysis import (
    DEFAULT_THRESHOLDS,
    FLAG_URGENCY,
    MODEL_VERSION,
    Analysis,
    Span,
    analyze,
    analyze_many,
)

SCORE_KEYS = {"distress", "crisis", "hostility", "threat", "insult", "identity_attack",
              "profanity", "severe_toxicity"}


def test_public_names_and_constants():
    assert FLAG_URGENCY == {"crisis": 1, "threat": 2, "distress": 3, "hostile": 4}
    assert set(DEFAULT_THRESHOLDS) == set(FLAG_URGENCY)
    assert all(0.0 < v < 1.0 for v in DEFAULT_THRESHOLDS.values())
    assert isinstance(MODEL_VERSION, str) and MODEL_VERSION


def test_analysis_shape_and_to_dict_is_json_ready():
    a = analyze("You are an idiot and I want to die", context={"article_title": "MS and fatigue"})
    assert isinstance(a, Analysis)
    assert set(a.scores) == SCORE_KEYS
    assert all(0.0 <= v <= 1.0 for v in a.scores.values())
    assert a.model_version == MODEL_VERSION
    assert a.language == "en" and 0.0 < a.confidence <= 1.0
    d = a.to_dict()
    assert set(d) == {
        "flags",
        "tags",
        "scores",
        "evidence",
        "model_version",
        "language",
        "confidence",
    }
    assert json.loads(json.dumps(d)) == d
    for ev in d["evidence"]:
        assert set(ev) == {"start", "end", "label", "reason"}


def test_frozen():
    a = analyze("hello")
    with pytest.raises(dataclasses.FrozenInstanceError):
        a.flags = ("crisis",)
    s = Span(0, 1, "crisis", "x")
    with pytest.raises(dataclasses.FrozenInstanceError):
        s.start = 3


def test_flags_ordered_by_urgency_and_every_flag_and_tag_has_evidence():
    t = "If my ex gets the kids I'll kill him and then myself. You people are pathetic, f*** this."
    a = analyze(t)
    assert list(a.flags) == sorted(a.flags, key=FLAG_URGENCY.__getitem__)
    assert a.flags[0] == "crisis" and "threat" in a.flags
    labels = {s.label for s in a.evidence}
    assert set(a.flags) | set(a.tags) <= labels
    for s in a.evidence:
        assert 0 <= s.start < s.end <= len(t)
        assert s.label in set(FLAG_URGENCY) | {"criticism", "profanity"}
        assert s.reason


def test_thresholds_override_per_call():
    t = "I feel a bit low today"
    base = analyze(t)
    assert "distress" not in base.flags
    low = analyze(t, thresholds={"distress": 0.0})
    assert "distress" in low.flags
    assert any(s.label == "distress" for s in low.evidence)
    high = analyze("I want to kill myself", thresholds={"crisis": 1.01, "distress": 1.01})
    assert high.flags == ()
    assert (
        high.scores == analyze("I want to kill myself").scores
    )  # scores do not depend on thresholds
    # unknown keys and junk values are ignored, never raise
    assert analyze(t, thresholds={"nope": 0.1, "crisis": "x"}).flags == base.flags
    assert DEFAULT_THRESHOLDS == analyze.__globals__["DEFAULT_THRESHOLDS"]


def test_every_threshold_flag_has_evidence_even_without_rules():
    t = "The weather was grey and the bus was late."
    a = analyze(t, thresholds={k: 0.0 for k in DEFAULT_THRESHOLDS})
    assert set(a.flags) == set(FLAG_URGENCY)
    assert {s.label for s in a.evidence} >= set(a.flags)
    for s in a.evidence:
        assert 0 <= s.start < s.end <= len(t)


def test_analyze_many_identical_to_analyze():
    texts = [
        "I don't want to live anymore",
        "",
        "you idiot",
        "Brutal article what was the point in it",
        "Je ne veux plus vivre",
        "😢😢😢",
        "x" * 3000,
    ]
    ctxs = [{"parent_text": "hi"}, None, {"article_title": "t"}, None, None, None, None]
    assert analyze_many(texts) == [analyze(t) for t in texts]
    assert analyze_many(texts, contexts=ctxs) == [
        analyze(t, context=c) for t, c in zip(texts, ctxs)
    ]
    th = {"distress": 0.2}
    assert analyze_many(texts, thresholds=th) == [analyze(t, thresholds=th) for t in texts]


def test_context_parent_quote_is_not_the_writers_crisis():
    parent = "Some days I think everyone would be better off without me."
    reply = "Nobody here thinks 'everyone would be better off without me' is true. We'd miss you."
    with_ctx = analyze(reply, context={"parent_text": parent})
    assert "crisis" not in with_ctx.flags
