"""The behaviour the issue asks for, case by case, and evidence spans that point at the words."""

import pytest

from moderation.analysis import analyze
from moderation.analysis.cases import BLIND_2, CASES, HOLDOUT


@pytest.mark.parametrize(
    "text,must,must_not",
    CASES + HOLDOUT + BLIND_2,
    ids=[c[0][:40] for c in CASES + HOLDOUT + BLIND_2],
)
def test_case(text, must, must_not):
    a = analyze(text)
    got = set(a.flags) | set(a.tags)
    assert must <= got, (a.flags, a.tags, dict(a.scores))
    assert not (must_not & got), (a.flags, a.tags, dict(a.scores))


def _evidence(text, label):
    return [text[s.start : s.end] for s in analyze(text).evidence if s.label == label]


def test_insult_evidence_points_at_the_insult_and_names_the_target():
    t = "Honestly, you are an idiot."
    a = analyze(t)
    spans = [s for s in a.evidence if s.label == "hostile"]
    assert [t[s.start : s.end] for s in spans] == ["idiot"]
    assert "you" in spans[0].reason


def test_author_target_named_in_reason():
    t = "The author is clearly a moron."
    a = analyze(t)
    assert "hostile" in a.flags
    assert any(t[s.start : s.end] == "moron" and "author" in s.reason for s in a.evidence)


def test_crisis_evidence_covers_the_phrase():
    t = "Thanks for the article. Honestly I don't want to live anymore."
    assert any("don't want to live" in e for e in _evidence(t, "crisis"))


def test_veiled_crisis_evidence():
    t = "Been saving up my tramadol. Just in case."
    ev = _evidence(t, "crisis")
    assert ev and any("tramadol" in e for e in ev)


def test_threat_evidence():
    t = "@Rachel go kill yourself"
    assert _evidence(t, "threat") == ["kill yourself"]


def test_profanity_and_criticism_evidence():
    t = "MS sucks, f*** this illness"
    assert set(_evidence(t, "profanity")) == {"sucks", "f***"}
    t = "Brutal article what was the point in it"
    ev = _evidence(t, "criticism")
    assert "Brutal" in ev and "what was the point" in ev


def test_evidence_offsets_survive_curly_quotes_and_unicode():
    t = "İİİ “quoted” — I don’t want to live anymore 😢"
    a = analyze(t)
    assert "crisis" in a.flags
    assert any(
        t[s.start : s.end] == "don’t want to live" for s in a.evidence if s.label == "crisis"
    )


def test_negation_and_mildness():
    assert (
        "distress"
        not in analyze("Not depressed, not hopeless, just bored of waiting rooms lol").flags
    )
    assert "distress" not in analyze("Wouldn't say I'm struggling, more adjusting.").flags
    assert "distress" in analyze("I'm so hopeless about all of it").flags


def test_quoted_and_reported_speech():
    # quoted hyperbole is not a crisis ...
    assert (
        "crisis"
        not in analyze("My teen groaned 'I literally want to die' when I said no phone.").flags
    )
    # ... but someone close talking about dying must reach a human
    assert (
        "crisis" in analyze("My dad keeps saying he wants to die and I don't know what to do").flags
    )


def test_topic_talk_is_not_flagged():
    for t in [
        "Clinicians should ask patients directly about suicidal thoughts; it does not raise risk.",
        "Depression affects about one in four people with MS, the review found.",
        "The leaflet lists suicidal thoughts as a rare side effect.",
    ]:
        assert analyze(t).flags == (), t


def test_distress_and_crisis_scores_rank_crisis_highest():
    crisis = analyze("I have the pills saved up and I'm going to take them all tonight").scores
    sad = analyze("I've been so sad and tired since the diagnosis").scores
    calm = analyze("Thanks, useful article about diet").scores
    assert crisis["crisis"] > sad["crisis"] > calm["crisis"] or sad["crisis"] == calm["crisis"]
    assert crisis["crisis"] > 0.5 > sad["crisis"]


def test_insult_at_thing_is_criticism_not_hostility():
    a = analyze("This article is garbage and the headline is clickbait.")
    assert "hostile" not in a.flags and "criticism" in a.tags
    b = analyze("Your article is garbage and so are you.")
    assert "hostile" in b.flags


def test_general_reddit_false_alarms_that_were_fixed():
    # "wake up to" takes an object; a past suicide is not a current risk; an ant is not a person
    assert (
        "crisis" not in analyze("That is a face i do not want to wake up to in the morning").flags
    )
    assert "crisis" not in analyze("I always feel bad if I kill an ant :( instant regret").flags
    assert "crisis" in analyze("I don't want to wake up tomorrow").flags
