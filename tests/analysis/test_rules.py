"""Internal guarantees of the rule layer and the scorer."""

import math
import re

from hypothesis import given, settings
from hypothesis import strategies as st

from moderation.analysis import engine
from moderation.analysis import rules as R
from moderation.analysis.cases import BLIND_2, CASES, HOLDOUT
from moderation.analysis.scorer import get_model
from moderation.analysis.sentiment import sentiment

CORPUS = [c[0] for c in CASES + HOLDOUT + BLIND_2] + [
    "I've thought about ending it. Sorted everything with the bank and the dog.",
    "how many of my amitriptyline would it take",
    "I won't be around for the next article",
    "Sat on the edge of the bridge for an hour",
    "giving my things away to my sister",
    "I'm going to come round and break your legs",
    "people like you should be put down",
    "Fuck off, nobody cares. Shut up. Get a job. Go to hell.",
    "He keeps talking about killing himself",
]


def test_gates_never_filter_a_match():
    """A rule's gate is a speed shortcut: every match must contain one of its gate strings."""
    for rules in (R.CRISIS, R.DISTRESS, R.THREAT, R.ATTACK):
        for rule in rules:
            assert rule.gate, rule.reason
            for text in CORPUS:
                t = text.translate(engine._APOS)
                for m in rule.rx.finditer(t):
                    low = m.group().lower()
                    assert any(g in low for g in rule.gate), (rule.reason, m.group())


_GATE_ALPHABET = sorted(set("".join(engine._ALL_GATES))) + [" ", ".", "'", "\n", "é"]


def _naive_gates(text: str) -> frozenset:
    low = engine._Doc(text).lower
    return frozenset(g for g in engine._ALL_GATES if g in low)


def test_gate_scan_finds_exactly_the_gates_a_substring_test_finds():
    for text in CORPUS + ["", "x", "killkill yourself", "u r so", "suicidal suicide"]:
        assert engine._Doc(text).gates_present == _naive_gates(text), text


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.one_of(st.sampled_from(engine._ALL_GATES), st.text(_GATE_ALPHABET, max_size=4)),
        max_size=12,
    )
)
def test_gate_scan_matches_substring_test_on_generated_text(parts):
    """Gates glued together, overlapping or cut short: the trie scan still finds every one."""
    text = "".join(parts)
    assert engine._Doc(text).gates_present == _naive_gates(text)


def test_rules_compile_and_have_sane_strengths():
    for rules in (R.CRISIS, R.DISTRESS, R.THREAT, R.ATTACK):
        for rule in rules:
            assert 0.0 < rule.strength <= 1.0
            assert isinstance(rule.rx, re.Pattern)


def test_model_loads_once_and_scores_are_probabilities():
    m = get_model()
    assert m is get_model()
    assert m.axes == ("distress", "hostility", "crisis", "attack")
    for t in ["", "x", "I'm crying", "you idiot"]:
        p = m.proba(t)
        assert all(0.0 <= v <= 1.0 and not math.isnan(v) for v in p.values())
    assert (
        m.proba("I'm so sad and scared")["distress"] > m.proba("Great recipe, thanks")["distress"]
    )
    assert m.proba("you stupid idiot")["hostility"] > m.proba("thanks for sharing")["hostility"]
    assert (
        m.proba("I've written letters to the kids and given the dog away")["crisis"]
        > m.proba("I've written to the council and walked the dog")["crisis"]
    )


def test_sentiment_is_textblobs():
    from textblob import TextBlob

    texts = CORPUS + [
        "I don't want to live anymore",
        "Great article!",
        "This is terrible and sad.",
        "",
        "not really good :( but U.S. docs said it's fine... (!) Wow!!",
        "First para.\n\nSecond para, Mr. Smith isn't happy :-) <3",
        "this isn't good, I can't say it's bad",
        "It wasn't a great article. It's not very helpful",
    ]
    for t in texts:
        tb = TextBlob(t).sentiment
        assert sentiment(t) == (tb.polarity, tb.subjectivity)


_SENTIMENT_PIECES = [
    "good", "bad", "not", "very", "really", "never", "sad", "happy", "terrible", "can't", "isn't",
    "I'm", "you'll", "Mr.", "U.S.", "etc.", "e.g.", "...", "!", "?", "(!)", ":)", ":-(", ":'(",
    "<3", "o.O", '"', "'", "\u201c", "\u2019", "\n\n", "\r\n", " ", ",", ".", "T.", "A.B.",
]  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(st.sampled_from(_SENTIMENT_PIECES), st.text(max_size=3)), max_size=25))
def test_sentiment_equals_textblob_on_generated_text(parts):
    """The compiled copy of pattern's tokenizer must give TextBlob's numbers on odd input too."""
    from textblob import TextBlob

    text = " ".join(parts) if len(parts) % 2 else "".join(parts)
    tb = TextBlob(text).sentiment
    assert sentiment(text) == (tb.polarity, tb.subjectivity)


def test_long_text_reading_around_gates_gives_the_same_analysis(monkeypatch):
    """Long comments are read by the rules only around their gate strings (a speed shortcut):
    the analysis must be exactly the one a full read gives, wherever the phrases sit."""
    import random

    pool = [c[0] for c in CASES + HOLDOUT + BLIND_2]
    rng = random.Random(7)
    texts = []
    for n in (80, 160, 300):
        rng.shuffle(pool)
        texts.append(" ".join(pool[:n])[:20000])
    texts.append(("calm words about the weather and the garden. " * 200) + pool[0] + " " + pool[-1])
    assert all(len(t) > engine.WINDOW_MIN_CHARS for t in texts)
    windowed = [engine.analyze(t) for t in texts]
    monkeypatch.setattr(engine, "WINDOW_MIN_CHARS", 10**9)
    assert [engine.analyze(t) for t in texts] == windowed
    assert any(a.flags for a in windowed)
