"""Normalisation: line breaks, double spaces, NBSP, zero-width and bidi characters, curly
quotes and stretched letters never change a flag, and evidence still points into the
original text."""

import pytest

from moderation.analysis import analyze
from moderation.analysis.normalize import normalize

SENTENCES = [
    "My dad doesn't want to live anymore.",
    "I don't want to be here anymore, I have the pills saved up.",
    "I just want to die",
    "everyone would be better off without me",
    "Go kill yourself, nobody wants you here",
    "I know where you live and I'll hurt you",
    "You are a pathetic idiot and a liar",
    "quiero morir",
]


def variants(text: str) -> list[str]:
    words = text.split(" ")
    return [
        "\n".join(words),
        "  ".join(words),
        "\u00a0".join(words),
        "\u200b".join(text),  # a zero-width space between every character
        "\u200f" + text + "\u200e",
        text.replace("'", "\u2019"),
        " \t".join(words) + "\r\n",
        text.replace("a", "aaaa", 1),
        "\ufeff" + text,
    ]


@pytest.mark.parametrize("text", SENTENCES)
def test_normalisation_never_changes_a_flag(text):
    base = analyze(text)
    assert base.flags, text  # every sentence here is flagged as it stands
    for v in variants(text):
        got = analyze(v)
        assert got.flags == base.flags, (repr(v), got.flags, base.flags)
        for s in got.evidence:
            assert 0 <= s.start < s.end <= len(v)


def test_offsets_map_back_to_the_original():
    original = "I\u00a0\u00a0want\u200b to\n\ndie \u2019now\u2019"
    n = normalize(original)
    assert n.text == "I want to die 'now'"
    a, b = n.span(n.text.index("want"), n.text.index("die") + 3)
    assert original[a:b] == "want\u200b to\n\ndie"
    assert len(n.offsets) == len(n.text)
    lig = normalize("\ufb01 idiot")  # one character that NFKC unfolds into two
    assert lig.text == "fi idiot" and lig.span(0, 1) == lig.span(0, 2) == (0, 1)
    assert lig.original[slice(*lig.span(3, 8))] == "idiot"


def test_what_normalisation_folds():
    assert normalize("soooo   tired!!!").text == "soo tired!!!"
    assert normalize("\uff49\uff44\uff49\uff4f\uff54").text == "idiot"  # full-width letters
    assert normalize("\u201cquoted\u201d").text == '"quoted"'
    assert normalize("  \n ").text == ""
    assert normalize("").text == "" and normalize("").span(0, 1) == (0, 0)
