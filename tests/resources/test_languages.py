"""The per-language data files: all seven load, and a broken file names its problem."""

import pytest

from moderation.resources import (
    KNOWN_TOPICS,
    LanguageDataError,
    choose_language,
    language_codes,
    load_language,
)
from moderation.resources.languages import parse_language

SEVEN = ("en", "es", "fr", "de", "pt", "it", "nl")


def test_the_seven_languages_ship_english_first():
    assert set(SEVEN) <= set(language_codes())
    assert language_codes()[0] == "en"


@pytest.mark.parametrize("code", SEVEN)
def test_each_language_has_every_template_and_check(code):
    lang = load_language(code)
    assert lang.code == code
    assert set(lang.drafts["topic_lines"]) == set(KNOWN_TOPICS)
    for about in ("self", "other"):
        assert set(lang.drafts[about]) == {"crisis", "distress"}
        assert "emergency" in lang.drafts[about]["crisis"]
    assert {r.code for r in lang.rules} == {
        "method_mention", "committed_suicide", "unkeepable_promise", "blame", "sensational"}
    assert lang.self_cues and lang.relation_cues and lang.other_cues


@pytest.mark.parametrize(
    "candidates, expected",
    [
        (("es-MX", "en"), "es"),
        (("pt_BR",), "pt"),
        (("nl-BE", "fr"), "nl"),
        (("sv", "fr"), "fr"),  # no Swedish drafts: the site's language
        (("und", None), "en"),
        ((None, "de"), "de"),
        ((42, "Italian", "it"), "it"),
        ((), "en"),
    ],
)
def test_choose_language_falls_back_to_the_sites_then_english(candidates, expected):
    assert choose_language(*candidates) == expected


MINIMAL = """
language: xx
name: Test
safe_messaging:
  helpline_cues: [call]
  rules:
    - {code: method_mention, pattern: 'pills'}
    - {code: committed_suicide, pattern: 'commit'}
    - {code: unkeepable_promise, pattern: 'promise'}
    - {code: blame, pattern: 'fault'}
    - {code: sensational, pattern: 'epidemic'}
third_party: {self: ['I'], relation: ['my'], other: ['he']}
"""


def test_a_file_without_drafts_is_refused_with_the_key_named():
    with pytest.raises(LanguageDataError, match=r"test\.yaml: drafts must be a mapping"):
        parse_language(MINIMAL, origin="test.yaml")


@pytest.mark.parametrize(
    "change, message",
    [
        (("pattern: 'pills'", "pattern: '(unclosed'"), r"rules\[0\]\.pattern does not compile"),
        (("pattern: 'pills'", "pattern: '{NOPE}'"), r"unknown macro \{NOPE\}"),
        (("code: blame", "code: rude"), r"rules\[3\]\.code must be one of"),
        (("{code: sensational, pattern: 'epidemic'}", "{code: blame, pattern: 'x'}"),
         "has no 'sensational' rule"),
        (("language: xx", "language: English"), "language must be a lowercase ISO 639 code"),
        (("relation: ['my']", "relation: []"), r"third_party\.relation must be a non-empty list"),
    ],
)
def test_bad_patterns_and_codes_are_named(change, message):
    with pytest.raises(LanguageDataError, match=message):
        parse_language(MINIMAL.replace(*change), origin="test.yaml")


def test_a_template_with_an_unknown_placeholder_is_refused():
    text = (load_language_text("en")
            .replace("please call {emergency} now.", "please call {number} now.", 1))
    with pytest.raises(LanguageDataError, match=r"drafts\.self\.crisis\.emergency has unknown "
                                                r"placeholder\(s\) \['number'\]"):
        parse_language(text, origin="en.yaml")


def load_language_text(code):
    from importlib import resources

    return resources.files("moderation.resources").joinpath(
        f"languages/{code}.yaml").read_text(encoding="utf-8")
