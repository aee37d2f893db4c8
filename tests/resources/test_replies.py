import itertools

import pytest

from moderation.resources import (
    KNOWN_TOPICS,
    TOPIC_LINES,
    check_reply,
    draft_reply,
    format_resource_line,
    suggest_resources,
)
from moderation.resources import replies as replies_module

REGIONS = ["GB", "IE", "US", "CA", "AU", "NZ", "FR", "INT", None]
TOPIC_SETS = [()] + [(t,) for t in KNOWN_TOPICS] + list(itertools.combinations(KNOWN_TOPICS, 2))
FLAGS = [("crisis",), ("distress",)]


def test_every_topic_has_a_template():
    assert set(TOPIC_LINES) == set(KNOWN_TOPICS)


def test_every_template_fragment_is_clean_on_its_own():
    fragments = [
        *replies_module.OPENINGS.values(),
        *replies_module.TOPIC_LINES.values(),
        *replies_module.RESOURCES_INTRO.values(),
        *replies_module.HOPE.values(),
        *replies_module.EMERGENCY.values(),
        replies_module.CLOSING,
    ]
    for fragment in fragments:
        assert check_reply(fragment, require_helpline=False) == [], fragment


@pytest.mark.parametrize("region", REGIONS)
@pytest.mark.parametrize("flags", FLAGS)
def test_every_shipped_draft_passes_check_reply(region, flags):
    # every topic pair in English; every single topic in the other catalog languages
    combos = [(topics, "en") for topics in TOPIC_SETS] + [
        (topics, language)
        for topics in TOPIC_SETS
        if len(topics) < 2
        for language in ("cy", "fr", "es", "de")
    ]
    for topics, language in combos:
        suggestions = suggest_resources(flags, region, language, topics)
        text = draft_reply(flags, suggestions, topics=topics, region=region, author_name="Sam")
        assert text
        assert check_reply(text) == [], (region, flags, topics, language, text)


def test_every_catalog_entry_line_is_clean(catalog):
    for resource in catalog:
        line = format_resource_line(resource)
        assert check_reply(line) == [], line
        assert resource.name in line
        for number in (resource.phone, resource.sms):
            if number:
                assert number in line


@pytest.mark.parametrize(
    "region, must_contain",
    [
        ("GB", ["116 123", "call 999"]),
        ("US", ["call or text 988", "call 911"]),
        ("IE", ["116 123", "1800 247 247", "112 or 999"]),
        ("AU", ["13 11 14", "call 000"]),
        ("NZ", ["1737", "call 111"]),
        ("CA", ["9-8-8", "call 911"]),
        (None, ["https://findahelpline.com/", "your local emergency number"]),
    ],
)
def test_crisis_draft_offers_the_regions_helpline_with_its_number(region, must_contain):
    suggestions = suggest_resources(["crisis"], region)
    text = draft_reply(["crisis"], suggestions, region=region)
    for expected in must_contain:
        assert expected in text


def test_emergency_number_inferred_from_suggestions_when_region_omitted():
    text = draft_reply(["crisis"], suggest_resources(["crisis"], "AU"))
    assert "call 000" in text


def test_distress_draft_mentions_ms_organisation_and_topic():
    topics = ("multiple_sclerosis",)
    text = draft_reply(
        ["distress"], suggest_resources(["distress"], "GB", topics=topics), topics=topics
    )
    assert "MS Society UK Helpline: call 0808 800 8000" in text
    assert "Samaritans: call 116 123" in text
    assert "Living with MS" in text
    assert "immediate danger" not in text  # the emergency line is for crisis drafts


@pytest.mark.parametrize(
    "flags, same_as",
    [(("crisis", "distress"), ("crisis",)), (("distress", "threat"), ("distress",))],
)
def test_most_urgent_flag_picks_the_template(flags, same_as):
    suggestions = suggest_resources(flags, "GB")
    assert draft_reply(flags, suggestions) == draft_reply(same_as, suggestions)


@pytest.mark.parametrize("flags", [(), ("hostile",), ("threat",), ("threat", "hostile")])
def test_no_draft_without_crisis_or_distress(flags):
    assert draft_reply(flags, suggest_resources(["crisis"], "GB")) == ""


def test_crisis_draft_without_suggestions_still_offers_help():
    text = draft_reply(["crisis"], [])
    assert "https://findahelpline.com/" in text
    assert check_reply(text) == []


def test_draft_accepts_resources_directly(catalog):
    pieta = next(r for r in catalog if r.key == "pieta")
    text = draft_reply(["crisis"], [pieta])
    assert "call 1800 247 247 or text HELP to 51444" in text
    assert "112 or 999" in text


@pytest.mark.parametrize(
    "name, shown",
    [
        ("Jo", True),
        ("  Mary   Ann ", True),
        ("x" * 60, False),
        ("pills4u", False),
        ("bridge_jumper", False),
        ("call me 07700900123", False),
        ("http://spam.example", False),
        ("", False),
        (None, False),
    ],
)
def test_author_name_is_used_only_when_harmless(name, shown):
    text = draft_reply(["distress"], suggest_resources(["distress"], "US"), author_name=name)
    if shown:
        assert text.startswith(f"Hi {' '.join(name.split())}, ")
    else:
        assert text.startswith("Hi, ")
    assert check_reply(text) == []


def test_draft_is_plain_text_with_one_bullet_per_resource():
    suggestions = suggest_resources(["crisis"], "US", topics=("caregiving",))
    text = draft_reply(["crisis"], suggestions, topics=("caregiving",))
    bullets = [line for line in text.splitlines() if line.startswith("- ")]
    assert len(bullets) == len(suggestions)
    assert "<" not in text and "{" not in text
