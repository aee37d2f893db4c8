"""Explicit crisis wording in other common languages reaches a human, with lower confidence."""

import pytest

from moderation.analysis import analyze


@pytest.mark.parametrize(
    "text",
    [
        "Je veux mourir, je n'en peux plus",
        "j'ai envie d'en finir",
        "Quiero morir, ya no aguanto",
        "me quiero matar",
        "Eu quero morrer",
        "Ich will nicht mehr leben",
        "voglio morire",
        "ik wil dood",
    ],
)
def test_explicit_crisis_in_other_languages_is_flagged(text):
    result = analyze(text)
    assert result.flags[0] == "crisis"
    assert any(span.label == "crisis" for span in result.evidence)


@pytest.mark.parametrize(
    "text",
    [
        "Je vais mourir de rire avec cet article",
        "Merci pour cet article, très utile",
        "Gracias por la información sobre la esclerosis múltiple",
        "Ich lebe seit zehn Jahren mit MS und es geht mir gut",
    ],
)
def test_ordinary_comments_in_other_languages_are_not_crisis(text):
    assert "crisis" not in analyze(text).flags


def test_non_english_confidence_is_lower():
    assert analyze("Je veux mourir").confidence < analyze("I want to die").confidence
