"""analyze never raises, and its spans always lie inside the text."""

import time

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from moderation.analysis import FLAG_URGENCY, analyze
from moderation.analysis.config import SCORE_KEYS, TAGS

LABELS = set(FLAG_URGENCY) | {"criticism", "profanity"}


def check(text, a):
    assert set(a.scores) == set(SCORE_KEYS)
    assert all(0.0 <= v <= 1.0 for v in a.scores.values())
    assert set(a.flags) <= set(FLAG_URGENCY)
    assert list(a.flags) == sorted(a.flags, key=FLAG_URGENCY.__getitem__)
    assert len(set(a.flags)) == len(a.flags)
    assert set(a.tags) <= set(TAGS)
    for s in a.evidence:
        assert 0 <= s.start < s.end <= len(text), (s, len(text))
        assert s.label in LABELS
    assert set(a.flags) | set(a.tags) <= {s.label for s in a.evidence}
    a.to_dict()


def test_empty_and_whitespace():
    for t in ["", " ", "\n\t  \r\n", "\u200b", "\u3000"]:
        a = analyze(t)
        check(t, a)
        assert a.flags == () and a.tags == ()


def test_emoji_only():
    for t in ["😢", "😢😢😢😢", "🤡🤡🤡", "🙏", "💀💀💀 lol"]:
        check(t, analyze(t))
    assert analyze("😢").language == "und"


def test_control_characters_and_odd_unicode():
    for t in [
        "\x00\x01\x02 kill yourself \x7f",
        "a\u0301\u0301\u0301",
        "\ud800 lone surrogate",
        "İstanbul İİİ you idiot",
        "ß" * 50,
        "\u202eyou idiot\u202c",
        "f*ck",
        "*" * 100,
        "'" * 99,
        '"' * 99,
        "I want to die\x00\x00",
        "\r\r\r",
        "@" * 40,
        "#$%^&*()" * 10,
    ]:
        check(t, analyze(t))


def test_non_english_is_scored_with_lower_confidence():
    for t, lang in [
        ("Je ne veux plus vivre, je suis très fatiguée de tout", "fr"),
        ("No quiero vivir más, estoy muy cansada de todo esto", "es"),
        ("Ich will nicht mehr leben und bin so müde", "de"),
        ("Я больше не хочу жить", "ru"),
        ("もう生きていたくない", "ja"),
    ]:
        a = analyze(t)
        check(t, a)
        assert a.language == lang
        assert a.confidence < analyze("I don't want to live anymore").confidence


def test_twenty_thousand_characters():
    base = "I'm crying, I feel bad enough already. You are an idiot. Brutal article. 'quoted' 😢 "
    t = (base * 400)[:20000]
    t0 = time.perf_counter()
    a = analyze(t)
    elapsed = time.perf_counter() - t0
    check(t, a)
    assert "distress" in a.flags
    assert elapsed < 5.0  # generous: the real figure (< 50 ms) is measured by bench/analysis.py
    # a crisis phrase at the very end of a long comment is still found
    long = "Thanks for the article about heat and fatigue. " * 400 + "I have the pills saved up."
    assert "crisis" in analyze(long).flags


def test_huge_input_is_bounded():
    t = "You idiot. " * 50_000  # 550,000 characters
    t0 = time.perf_counter()
    a = analyze(t)
    assert time.perf_counter() - t0 < 10
    check(t, a)
    assert "hostile" in a.flags


def test_non_str_input_does_not_raise():
    for t in [None, 12, b"bytes"]:
        a = analyze(t)  # type: ignore[arg-type]
        assert set(a.scores) == set(SCORE_KEYS)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=400))
def test_property_any_text(text):
    check(text, analyze(text))


_WORDS = st.sampled_from(
    [
        "I",
        "you",
        "idiot",
        "want",
        "to",
        "die",
        "kill",
        "yourself",
        "myself",
        "not",
        "'",
        '"',
        "crying",
        "article",
        "brutal",
        "f***",
        "the",
        "author",
        "pills",
        "saved",
        "!",
        ".",
        "\n",
        "😢",
        "@Bob",
        "hopeless",
        "never",
        "a bit",
        "better off without me",
        "go",
        "shut up",
        "İ",
    ]
)


@settings(max_examples=150, deadline=None)
@given(
    st.lists(_WORDS, max_size=40),
    st.dictionaries(
        st.sampled_from(["crisis", "threat", "distress", "hostile"]),
        st.floats(min_value=0, max_value=1),
    ),
)
def test_property_rule_words(words, thresholds):
    text = " ".join(words)
    a = analyze(text, thresholds=thresholds)
    check(text, a)
