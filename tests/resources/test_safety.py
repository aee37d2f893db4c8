import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from moderation.resources import CODES, check_reply, has_helpline
from moderation.resources.safety import _find_wording_problems

HELPLINE = " If you need to talk, call Samaritans on 116 123."


def spans(text, code):
    return [text[p.start : p.end] for p in check_reply(text) if p.code == code]


def codes(text, **kwargs):
    return [p.code for p in check_reply(text, **kwargs)]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Please don't take those pills.", ["pills"]),
        ("An overdose is not the answer.", ["overdose"]),
        ("He was found hanging.", ["hanging"]),
        ("Put the rope away.", ["rope"]),
        ("Don't jump off anything.", ["jump off"]),
        ("She was jumping from the bridge.", ["jumping from", "bridge"]),
        ("Step back from the bridge.", ["bridge"]),
        ("Is there a gun in the house?", ["gun"]),
        ("Give the knife to someone.", ["knife"]),
        ("Stop cutting.", ["cutting"]),
        ("Please stop cutting yourself.", ["cutting yourself"]),
        ("Drinking poison won't help.", ["poison"]),
        ("Paracetamol overdoses damage the liver.", ["Paracetamol", "overdoses"]),
        ("railway lines and tall buildings", ["railway lines", "tall buildings"]),
        ("a lethal dose", ["lethal dose"]),
        ("She OD'd last year.", ["OD'd"]),
    ],
)
def test_method_mentions_are_caught_with_exact_spans(text, expected):
    assert spans(text + HELPLINE, "method_mention") == expected


@pytest.mark.parametrize(
    "text",
    [
        "We want to bridge the gap between patients and doctors.",
        "Hang in there, and hang on to the good days.",
        "Learning the ropes of a new diagnosis takes time.",
        "I'm cutting back on caffeine.",
        "Her surgery meant going under the knife.",
        "Odd days are hard.",
        "Method acting.",
        "The hotline can help.",
    ],
)
def test_common_idioms_are_not_method_mentions(text):
    assert "method_mention" not in codes(text + HELPLINE)


def test_committed_suicide_span():
    text = "My uncle committed suicide, and people still say commit suicide." + HELPLINE
    problems = [p for p in check_reply(text) if p.code == "committed_suicide"]
    assert [(p.start, p.end) for p in problems] == [(9, 26), (49, 63)]
    assert [text[p.start : p.end] for p in problems] == ["committed suicide", "commit suicide"]
    assert "died by suicide" in problems[0].message


def test_missing_helpline():
    [problem] = check_reply("I'm so sorry you feel this way. Please talk to someone.")
    assert problem.code == "missing_helpline"
    assert (problem.start, problem.end) == (0, 0)
    assert codes("I'm so sorry.", require_helpline=False) == []


@pytest.mark.parametrize(
    "text",
    [
        "Please call 116 123.",
        "You can text SHOUT to 85258.",
        "The Samaritans are there to listen.",
        "Call or text 988.",
        "Phone 0800 123 4567 any time.",
        "Visit https://findahelpline.com to find a line near you.",
        "See findahelpline.com.",
        "Pieta can help: 1800 247 247",
        "Need to talk? 1737 is free.",
    ],
)
def test_helpline_is_recognised(text):
    assert has_helpline(text)
    assert "missing_helpline" not in codes(text)


@pytest.mark.parametrize(
    "text",
    [
        "In 2024 things got worse.",
        "Keep your mind busy.",
        "Take 2 minutes for yourself.",
        "See https://example.com/blog for tips.",
    ],
)
def test_things_that_are_not_helplines(text):
    assert not has_helpline(text)


@pytest.mark.parametrize(
    "text, expected",
    [
        ("I'll always be here for you.", ["I'll always be here"]),
        ("I will always be there.", ["I will always be there"]),
        ("Everything will be fine.", ["Everything will be fine"]),
        ("Everything is going to be okay.", ["Everything is going to be okay"]),
        ("It'll get better, I promise.", ["It'll get better", "I promise"]),
        ("We're always here for you.", ["We're always here"]),
        ("I won't tell anyone.", ["I won't tell anyone"]),
        ("I'll check on you tomorrow.", ["I'll check on you"]),
        ("You'll be fine.", ["You'll be fine"]),
    ],
)
def test_unkeepable_promises(text, expected):
    assert spans(text + HELPLINE, "unkeepable_promise") == expected


@pytest.mark.parametrize(
    "text",
    [
        "It's okay to ask for help.",
        "Things can get better with support.",
        "Help is available.",
    ],
)
def test_honest_hope_is_not_a_promise(text):
    assert "unkeepable_promise" not in codes(text + HELPLINE)


@pytest.mark.parametrize(
    "text, expected",
    [
        ("That's selfish.", ["selfish"]),
        ("It's not your fault.", ["your fault"]),  # even negated: flag for a human to reword
        ("Stop attention seeking.", ["attention seeking"]),
        ("Just pull yourself together.", ["pull yourself together"]),
    ],
)
def test_blame(text, expected):
    assert spans(text + HELPLINE, "blame") == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        ("There is an epidemic of suicide.", ["epidemic of suicide"]),
        ("After a failed attempt last year", ["failed attempt"]),
        ("a successful suicide", ["successful suicide"]),
        ("the suicide epidemic", ["suicide epidemic"]),
    ],
)
def test_sensational_wording(text, expected):
    assert spans(text + HELPLINE, "sensational") == expected


def test_problems_sorted_and_codes_known():
    text = "I promise everything will be fine. He committed suicide with pills."
    problems = check_reply(text)
    assert problems[0].code == "missing_helpline"
    rest = problems[1:]
    assert [p.start for p in rest] == sorted(p.start for p in rest)
    assert {p.code for p in problems} <= set(CODES)
    assert problems[1].to_dict() == {
        "code": "unkeepable_promise",
        "message": problems[1].message,
        "start": 0,
        "end": 9,
    }


def test_curly_apostrophes():
    assert spans("I’ll always be here." + HELPLINE, "unkeepable_promise") == ["I’ll always be here"]


def test_non_string_is_a_type_error():
    with pytest.raises(TypeError):
        check_reply(None)


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=200))
def test_spans_are_always_inside_the_text(text):
    for p in check_reply(text):
        assert 0 <= p.start <= p.end <= len(text)
        assert p.code in CODES
        if p.code != "missing_helpline":
            assert p.end > p.start


CORPUS = [
    "Please don't take those pills or tablets; an overdose of paracetamol is dangerous.",
    "She OD'd. He hanged himself with a rope; a noose, a ligature. Plastic bag. Suffocation.",
    "Jumped off a cliff, a ledge, a rooftop, a tall building, railway lines, in front of a train.",
    "A gun, a shotgun, a knife, knives, razor blades; cutting yourself, cut your wrists, slit.",
    "Poisoning, bleach, antifreeze, weedkiller, carbon monoxide, exhaust fumes, helium, drowning.",
    "Suicide methods, ways to die, how to kill yourself, suicide hotspots.",
    "He committed suicide. An epidemic of suicides. A successful suicide. A failed attempt.",
    "Completed suicide. A suicide pact. I'll always be here. We are always there.",
    "Always here for you.",
    "Everything will be fine. Things are going to get better. You'll be okay. It'll work out.",
    "I promise. I guarantee it. I'll never leave you. We'll keep you safe. I'll call you.",
    "I won't tell anyone. Keep this a secret. Selfish. Your own fault. Attention-seeking.",
    "Cowardly. A sign of weakness. You're so weak. Pull yourself together. Snap out of it.",
    "Get over it. Stop feeling sorry for yourself. Others have it far worse. Drama queen.",
    "How could you? You brought this on yourself. You only have yourself to blame.",
    "Bridge the gap; hang in there; learning the ropes; cutting back; under the knife.",
]


@pytest.mark.parametrize("text", CORPUS + [t.upper() for t in CORPUS])
def test_prefilter_never_hides_a_match(text):
    assert _find_wording_problems(text) == _find_wording_problems(text, prefilter=False)


@settings(max_examples=100, deadline=None)
@given(st.lists(st.sampled_from(" ".join(CORPUS).split() + ["\n", "  "]), max_size=30))
def test_prefilter_never_hides_a_match_in_word_salad(words):
    text = " ".join(words)
    assert _find_wording_problems(text) == _find_wording_problems(text, prefilter=False)


def test_rope_singular_after_the_is_still_caught():
    assert spans("Put the rope away. Learning the ropes." + HELPLINE, "method_mention") == ["rope"]
