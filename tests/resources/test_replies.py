import itertools

import pytest

from moderation.resources import (
    KNOWN_TOPICS,
    TOPIC_LINES,
    check_reply,
    draft_reply,
    format_resource_line,
    language_codes,
    load_language,
    suggest_resources,
)
from moderation.resources import replies as replies_module

REGIONS = ["GB", "IE", "US", "CA", "AU", "NZ", "ES", "MX", "FR", "DE", "IT", "PT", "BR", "NL",
           "IN", "ZA", "JP", "INT", None]
LANGUAGES = ("en", "es", "fr", "de", "pt", "it", "nl")
TOPIC_SETS = [()] + [(t,) for t in KNOWN_TOPICS] + list(itertools.combinations(KNOWN_TOPICS, 2))
FLAGS = [("crisis",), ("distress",)]


def test_every_topic_has_a_template():
    assert set(TOPIC_LINES) == set(KNOWN_TOPICS)


def test_the_english_templates_keep_their_historical_names():
    assert replies_module.OPENINGS["crisis"].startswith("{greeting}thank you for telling us")
    assert replies_module.CLOSING == "Take care{comma_name}."


def fragments(drafts):
    for about in ("self", "other"):
        for templates in drafts[about].values():
            yield from templates.values()
    yield from drafts["topic_lines"].values()
    yield from drafts["topic_lines_other"].values()


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_template_fragment_is_clean_on_its_own(language):
    for fragment in fragments(load_language(language).drafts):
        assert check_reply(fragment, require_helpline=False, language=language) == [], fragment
        # and under every language's lists (a reply's language is not always known)
        assert check_reply(fragment, require_helpline=False, language=language_codes()) == []


@pytest.mark.parametrize("region", REGIONS)
@pytest.mark.parametrize("flags", FLAGS)
def test_every_shipped_draft_passes_check_reply(region, flags):
    # every topic pair in English; every single topic in the other languages, for the
    # writer and for a worried relative; resources chosen for the reader's language
    combos = [(topics, "en", "en", "self") for topics in TOPIC_SETS] + [
        (topics, catalog_language, draft_language, about)
        for topics in TOPIC_SETS
        if len(topics) < 2
        for catalog_language, draft_language in (("cy", "en"), *((c, c) for c in LANGUAGES))
        for about in ("self", "other")
    ]
    for topics, catalog_language, language, about in combos:
        suggestions = suggest_resources(flags, region, catalog_language, topics)
        text = draft_reply(flags, suggestions, topics=topics, region=region, author_name="Sam",
                           language=language, about=about)
        assert text
        assert check_reply(text, language=language) == [], (region, flags, topics, language, text)


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_catalog_entry_line_is_clean(catalog, language):
    for resource in catalog:
        line = format_resource_line(resource, language)
        assert check_reply(line, language=language) == [], line
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
        ("ZA", ["0800 567 567", "call 10177 or 112"]),
        ("IN", ["14416", "call 112"]),
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


@pytest.mark.parametrize(
    "language, region, must_contain",
    [
        ("es", "MX", ["Línea de la Vida: llama al 800 911 2000 (gratuito, 24 horas).",
                      "llama ahora al 911."]),
        ("es", "ES", ["Línea 024 (atención a la conducta suicida): llama al 024",
                      "Teléfono ANAR", "llama ahora al 112."]),
        ("fr", "FR", ["3114, numéro national de prévention du suicide : appelez le 3114",
                      "Fil Santé Jeunes", "appelez le 15 ou 112 maintenant."]),
        ("de", "DE", ["TelefonSeelsorge: Telefon 0800 111 0 111 (kostenlos, rund um die Uhr).",
                      "rufen Sie bitte sofort 112 an."]),
        ("pt", "BR", ["CVV, Centro de Valorização da Vida: ligue 188", "ligue agora para o 192."]),
        ("pt", "PT", ["ligue 1411", "ligue agora para o 112."]),
        ("it", "IT", ["Telefono Amico Italia: chiama il numero 02 2327 2327 (orari sul sito).",
                      "Telefono Azzurro", "chiama subito il 112."]),
        ("nl", "NL", ["113 Zelfmoordpreventie: bel 0800-0113 (gratis, 24 uur per dag).",
                      "De Kindertelefoon", "bel dan meteen 112."]),
        ("es", None, ["https://findahelpline.com/", "número de emergencias local"]),
    ],
)
def test_crisis_draft_in_the_readers_language_with_the_regions_line(language, region,
                                                                   must_contain):
    text = draft_reply(["crisis"], suggest_resources(["crisis"], region, language),
                       region=region, language=language)
    for expected in must_contain:
        assert expected in text
    assert check_reply(text, language=language) == []


def test_a_language_without_templates_gets_english():
    suggestions = suggest_resources(["crisis"], "NL", "sv")  # Swedish: no drafts
    text = draft_reply(["crisis"], suggestions, region="NL", language="sv")
    assert text.startswith("Hi, thank you") and "113 Zelfmoordpreventie: call 0800-0113" in text
    assert draft_reply(["crisis"], suggestions, region="NL", language=None) == text
