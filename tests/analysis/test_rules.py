"""The safety-net rules (rules.yaml): each rule's examples match, its counters do not, and the
file's shape is checked so that a broken rule cannot ship."""

import re

import pytest

from moderation.analysis import analyze, safety
from moderation.analysis.normalize import normalize

RULES = safety.rules()


@pytest.mark.parametrize("rule", RULES, ids=[r.id for r in RULES])
def test_rule_examples_match_and_counters_do_not(rule):
    assert rule.examples, f"{rule.id} has no examples"
    for text in rule.examples:
        assert rule.pattern.search(normalize(text).text), (rule.id, text)
    for text in rule.counter:
        assert not rule.pattern.search(normalize(text).text), (rule.id, text)


@pytest.mark.parametrize("rule", RULES, ids=[r.id for r in RULES])
def test_rule_examples_flag_end_to_end(rule):
    flag = {"crisis": "crisis", "threat": "threat"}[rule.axis]
    for text in rule.examples:
        a = analyze(text)
        assert flag in a.flags, (rule.id, text, a.scores)
        assert any(s.label == flag for s in a.evidence)


def test_every_must_never_miss_language_is_covered():
    crisis_langs = {lang for r in RULES if r.axis == "crisis" for lang in r.langs}
    threat_langs = {lang for r in RULES if r.axis == "threat" for lang in r.langs}
    assert {"en", "es", "fr", "de", "pt", "it", "nl"} <= crisis_langs
    assert {"en", "es", "fr", "de", "pt", "it", "nl"} <= threat_langs


def test_ids_are_unique_and_stable_in_shape():
    ids = [r.id for r in RULES]
    assert len(ids) == len(set(ids))
    assert all(re.fullmatch(r"(crisis|threat|distress|hostility)\.[a-z]{2}\.[a-z0-9-]+", i)
               for i in ids)


def test_bad_rule_files_are_refused(tmp_path):
    bad = tmp_path / "rules.yaml"
    bad.write_text("- id: x\n  axis: nonsense\n  strength: 0.5\n  reason: r\n  pattern: a\n")
    with pytest.raises(ValueError, match="unknown axis"):
        safety.load(bad)
    bad.write_text("- id: x\n  axis: crisis\n  strength: 2\n  reason: r\n  pattern: a\n")
    with pytest.raises(ValueError, match="strength"):
        safety.load(bad)
    bad.write_text("- id: x\n  axis: crisis\n  strength: 0.5\n  reason: r\n")
    with pytest.raises(ValueError, match="missing"):
        safety.load(bad)


def test_a_rule_inside_quotes_or_a_joke_counts_less():
    plain = analyze("I want to die")
    quoted = analyze('My son groaned "I want to die" when I asked him to tidy up, then did it.')
    joke = analyze("I want to die lol this queue at the pharmacy")
    assert "crisis" in plain.flags
    assert quoted.scores["crisis"] < plain.scores["crisis"]
    assert joke.scores["crisis"] < plain.scores["crisis"]


def test_a_discounted_rule_alone_never_reaches_the_crisis_threshold():
    """Thresholds and discounts are tuned apart: a quoted or joking rule match must stay a
    hint to the model, never a crisis flag on its own, whichever rule it is."""
    from moderation.analysis.config import DEFAULT_THRESHOLDS
    from moderation.analysis.steps import WEIGHTS

    strongest = max(r.strength for r in safety.rules() if r.axis == "crisis")
    for discount in (WEIGHTS.quote_discount, WEIGHTS.joke_discount):
        assert strongest * discount < DEFAULT_THRESHOLDS["crisis"]
    # telling a reader to die is the writer's threat, never the writer's crisis
    assert WEIGHTS.aimed_crisis_cap < DEFAULT_THRESHOLDS["crisis"]


def test_a_worry_about_someone_else_is_crisis_about_them():
    a = analyze("My husband says he wants to die and I don't know what to do")
    assert "crisis" in a.flags and "about_other" in a.tags
    assert "about_other" not in analyze("I want to end my life").tags


def test_telling_someone_to_die_is_a_threat_not_the_writers_crisis():
    a = analyze("Nobody cares about your opinion, go kill yourself")
    assert "threat" in a.flags
    assert "crisis" not in a.flags


def test_a_threat_is_hostile_however_the_toxicity_head_reads_it():
    from moderation.analysis.steps import threat_is_hostile
    assert threat_is_hostile(0.2, 0.9) == 0.9 and threat_is_hostile(0.7, 0.1) == 0.7
    for text in ("I know where you work and I will make you pay for this",
                 "Keep talking and you'll find out what happens to people like you"):
        a = analyze(text)
        if "threat" in a.flags:
            assert a.scores["hostility"] >= a.scores["threat"]
    a = analyze("Nobody cares about your opinion, go kill yourself")
    assert a.scores["hostility"] >= a.scores["threat"] and "hostile" in a.flags
