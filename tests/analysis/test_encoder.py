"""The sentence encoder (model/encoder.onnx) and the core's use of it."""

import numpy as np
import pytest

from moderation.analysis import core, embed, engine
from moderation.analysis.engine import analyze

CRISIS = "I have decided to end my life this weekend, I can't keep going"
CALM = "Thanks for the clear write-up on vitamin D, I'll ask my neurologist about it"


def test_the_shipped_core_was_trained_on_the_shipped_encoder():
    assert core.get_core().encoder_digest == embed.digest(embed.ENCODER)


def test_embeddings_have_unit_length_and_empty_text_is_finite():
    e = embed.get_embedder().embed([CRISIS, CALM, ""])
    assert e.shape == (3, embed.DIM)
    assert np.allclose(np.linalg.norm(e, axis=1), 1.0, atol=1e-4)
    assert np.isfinite(e).all()


def test_a_text_reads_the_same_alone_and_among_others():
    e = embed.get_embedder()
    alone = e.embed([CRISIS])[0]
    among = e.embed([CALM * 5, CRISIS, "ok"])[1]
    assert np.array_equal(alone, among)


def test_similar_meanings_are_closer_than_different_ones():
    e = embed.get_embedder().embed([
        "I want to end my life",
        "I don't want to be alive anymore",
        "Where can I buy cheaper walking aids?",
    ])
    assert e[0] @ e[1] > e[0] @ e[2] + 0.2


def test_a_core_trained_on_another_encoder_fails_closed(monkeypatch):
    other = core.CoreModel()
    other.encoder_digest = "0" * 64
    monkeypatch.setattr(engine, "get_core", lambda: other)
    with pytest.raises(RuntimeError, match="another sentence encoder"):
        analyze(CRISIS)
