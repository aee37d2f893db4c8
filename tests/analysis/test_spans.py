"""The toxic-span model (spans.py) and the evidence it gives hostile, threat and profanity.

Every sentence here was written for this test; none comes from a data set.
"""

import pytest

from moderation.analysis import analyze, analyze_many, engine, safety
from moderation.analysis.normalize import normalize
from moderation.analysis.spans import SHIPPED, get_spans, merge, pick

MODEL_REASON = "toxic-span model"


@pytest.fixture(scope="module")
def model():
    assert SHIPPED.exists(), "model/spans.json.gz (python -m moderation.analysis train-spans)"
    m = get_spans()
    assert m is not None
    return m


def marked(model, text: str) -> list[str]:
    return [text[a:b] for a, b in model.spans(text)]


@pytest.mark.parametrize(
    "text, insults, neutral",
    [
        ("Honestly you are a complete moron and your posts bore everyone.",
         {"moron"}, {"Honestly", "posts", "everyone"}),
        ("What an ignorant fool, go and read the study before commenting.",
         {"fool"}, {"read", "study", "commenting"}),
        ("Shut up, you pathetic loser.", {"loser"}, {"Shut"}),
        ("The author is a clueless idiot who knows nothing about diabetes.",
         {"idiot"}, {"author", "diabetes", "knows"}),
    ],
)
def test_marks_the_insult_words_not_the_neutral_ones(model, text, insults, neutral):
    words = " ".join(marked(model, text)).split()
    assert insults <= set(words), words
    assert not neutral & set(words), words


def test_adjacent_insult_words_make_one_span_with_the_space(model):
    assert marked(model, "Shut up, you pathetic loser.") == ["pathetic loser"]


def test_a_calm_sentence_has_no_token_over_the_threshold(model):
    _, probs = model.probabilities("Thank you for the article, the nurses on the ward were kind.")
    assert max(probs) < model.threshold


def test_merge_and_pick():
    text = "you lazy, dim   fool"
    toks = [(4, 8), (10, 13), (16, 20)]
    assert merge(text, toks, " ", 1) == [(4, 8), (10, 13), (16, 20)]
    assert merge(text, toks, " ,", 2) == [(4, 13), (16, 20)]
    assert merge(text, toks, " ,", 3) == [(4, 20)]
    assert pick(toks, [0.1, 0.2, 0.05], 0.5) == []
    assert pick(toks, [0.1, 0.2, 0.05], 0.5, floor=0.0) == [(10, 13)]
    assert pick(toks, [0.1, 0.2, 0.05], 0.5, floor=0.3) == []
    assert pick(toks, [0.6, 0.2, 0.7], 0.5, floor=0.0) == [(4, 8), (16, 20)]


ODD = ("\u201cHonestly\u201d\u200b  you\u2019re   a\u00a0complete\u00a0\u00a0m\u200boron,"
       "\tand\u2003a  liar.")


def test_hostile_evidence_is_the_span_models_words_in_the_original_text(model):
    norm = normalize(ODD)
    assert not safety.find(norm.text)  # the flag is the learned core's, not a rule's
    a = analyze(ODD)
    assert "hostile" in a.flags
    got = sorted((s.start, s.end) for s in a.evidence if s.label == "hostile")
    want = sorted(norm.span(x, y) for x, y in model.spans(norm.text))
    assert got == want and got
    assert all(MODEL_REASON in s.reason for s in a.evidence if s.label == "hostile")
    shown = [ODD[x:y] for x, y in got]
    # offsets point into what the reader wrote: zero-width characters inside a word stay
    assert any(s.replace("\u200b", "") == "moron" for s in shown), shown
    assert all(s == s.strip() for s in shown)


def test_without_a_span_model_the_evidence_falls_back_to_leave_one_word_out(monkeypatch):
    monkeypatch.setattr(engine, "get_spans", lambda: None)
    a = analyze(ODD)
    ev = [s for s in a.evidence if s.label == "hostile"]
    assert "hostile" in a.flags and ev
    assert not any(MODEL_REASON in s.reason for s in ev)


def test_span_model_changes_no_flag_or_score(monkeypatch):
    texts = [ODD, "Shut up, you pathetic loser.", "You damn fool, I will find where you live.",
             "This bloody article is rubbish, but thanks anyway."]
    with_model = analyze_many(texts)
    monkeypatch.setattr(engine, "get_spans", lambda: None)
    without = analyze_many(texts)
    for a, b in zip(with_model, without, strict=True):
        assert (a.flags, a.tags, dict(a.scores)) == (b.flags, b.tags, dict(b.scores))


def test_bulk_scoring_without_evidence_never_runs_the_span_model(monkeypatch):
    def boom():
        raise AssertionError("span model used with explain=False")

    monkeypatch.setattr(engine, "get_spans", boom)
    [a] = analyze_many([ODD], explain=False)
    assert "hostile" in a.flags
