"""The comment's language, short comments included (drafts and resources follow it)."""
from __future__ import annotations

import pytest

from moderation.analysis import analyze
from moderation.analysis.lang import detect


@pytest.mark.parametrize("text, lang", [
    ("Mein Mann sagt, er will nicht mehr leben", "de"),
    ("Meu marido diz que quer morrer", "pt"),
    ("Não quero mais viver", "pt"),
    ("Mio marito dice che vuole morire", "it"),
    ("Mon mari dit qu'il veut mourir", "fr"),
    ("Mijn man zegt dat hij dood wil", "nl"),
    ("Ya no puedo más, quiero morir", "es"),
    ("Thanks, this helped me a lot.", "en"),
    ("I'm crying from reading this", "en"),
    ("what was the point of this article", "en"),
    ("Shut up, you moron.", "en"),
    ("Jestem bardzo zmęczony i nie chcę już żyć", "pl"),
])
def test_short_comments_get_their_language(text, lang):
    assert detect(text)[0] == lang


@pytest.mark.parametrize("text", ["ok", "lol same", "MS sucks", "Great read!"])
def test_too_short_to_tell_reads_as_english(text):
    assert detect(text) == ("en", 0.7)


def test_languages_the_engine_does_not_know_get_a_lower_confidence():
    assert detect("Jestem bardzo zmęczony i nie chcę już żyć")[1] < detect(
        "Estoy muy cansado y ya no quiero vivir")[1] < detect("I am so tired")[1]


@pytest.mark.parametrize("text", [
    "Mon mari dit qu'il veut mourir, je ne sais plus quoi faire",
    "Mein Mann sagt, er will nicht mehr leben",
    "Meu marido diz que quer morrer",
    "Mio marito dice che vuole morire",
    "Mi esposo dice que quiere morir",
    "Mijn man zegt dat hij dood wil",
    "A friend of mine keeps talking about ending it all",
])
def test_a_worry_about_someone_else_is_crisis_about_another(text):
    a = analyze(text)
    assert "crisis" in a.flags and "about_other" in a.tags
