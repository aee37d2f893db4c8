import pytest

from moderation.resources import (
    build_keyword_map,
    topics_for_article,
    topics_for_case,
    topics_for_comment,
)


@pytest.mark.parametrize(
    "title, url, expected",
    [
        (
            "Living with MS: what I wish I'd known after my first relapse",
            "https://www.example-health.com/conditions/ms/living-with-ms-first-relapse",
            ("multiple_sclerosis",),
        ),
        (
            "New drug slows disability in progressive multiple sclerosis",
            "https://news.example.org/2026/11/new-drug-progressive-multiple-sclerosis?utm_source=rss",
            ("multiple_sclerosis", "chronic_illness"),
        ),
        (
            "Anything",
            "https://example.com/multiple-sclerosis/relapsing-remitting-guide",
            ("multiple_sclerosis",),
        ),
        (
            "'I felt invisible': carers of people with dementia speak out",
            "https://example.com/caregiving/dementia-carers",
            ("caregiving", "dementia"),
        ),
        ("A caregiver's guide to respite care", None, ("caregiving",)),
        (
            "Coping with grief after losing a parent",
            "/wellbeing/grief-and-bereavement",
            ("grief", "mental_health"),
        ),
        (
            "Depression and MS: how common is it?",
            "https://example.com/a/123",
            ("multiple_sclerosis", "depression"),
        ),
        (
            "Alzheimer's: the early signs",
            "https://example.com/health/alzheimers-early-signs",
            ("dementia",),
        ),
        ("Ms Smith's garden wins prize", "https://example.com/local/garden-prize", ()),
        (
            "Recipes for summer",
            "https://ms-news.example.com/food/summer-recipes",
            (),
        ),  # host ignored
        ("", "", ()),
        (None, None, ()),
    ],
)
def test_topics_for_realistic_articles(title, url, expected):
    assert topics_for_article(title, url) == expected


def test_extra_keywords_per_site():
    extra = {"multiple_sclerosis": ["neuro clinic"], "long_covid": ["long covid", "post-covid"]}
    assert topics_for_article("Inside the neuro clinic", "/x", extra) == ("multiple_sclerosis",)
    assert topics_for_article("Post-COVID fatigue", "/x", extra) == ("long_covid",)
    assert topics_for_article("Post-COVID fatigue", "/x") == ()
    merged = build_keyword_map(extra)
    assert "ms" in merged["multiple_sclerosis"] and "neuro clinic" in merged["multiple_sclerosis"]


@pytest.mark.parametrize(
    "extra",
    [
        {"Bad Topic": ["x"]},
        {"ok": "not-a-list"},
        {"ok": [""]},
        {"ok": [3]},
        ["not", "a", "mapping"],
    ],
)
def test_bad_extra_keywords_are_rejected(extra):
    with pytest.raises(ValueError):
        topics_for_article("t", "u", extra)


@pytest.mark.parametrize(
    "title, url, expected",
    [
        ("Esclerosis múltiple: la fatiga", "/salud/esclerosis-multiple/fatiga",
         ("multiple_sclerosis",)),
        ("Vivre avec la sclérose en plaques", None, ("multiple_sclerosis",)),
        ("Demenz: Hilfe für pflegende Angehörige", None, ("caregiving", "dementia")),
        ("Sclerosi multipla e lavoro", "https://example.it/salute/sclerosi-multipla",
         ("multiple_sclerosis",)),
        ("Saúde mental e luto", None, ("grief", "mental_health")),
        ("News from Sep 2026", "https://example.com/2026/sep/12/news", ()),
    ],
)
def test_article_keywords_in_the_other_languages_with_accents_folded(title, url, expected):
    assert topics_for_article(title, url) == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        ("I look after my wife who has MS and I'm so tired.", ("multiple_sclerosis", "caregiving")),
        ("As her carer I never get a break.", ("caregiving",)),
        ("Cuido a mi marido con esclerosis múltiple.", ("multiple_sclerosis", "caregiving")),
        ("Je suis aidante de mon mari atteint de SEP.", ("multiple_sclerosis", "caregiving")),
        ("Ich pflege meinen Mann, er hat MS.", ("multiple_sclerosis", "caregiving")),
        ("Mi prendo cura di mio padre con la SM.", ("multiple_sclerosis", "caregiving")),
        ("Cuido do meu pai com EM.", ("multiple_sclerosis", "caregiving")),
        ("Ms Smith, I look after myself.", ()),
        ("I feel so depressed and anxious.", ()),  # feelings are not topics to answer
        ("My mum has dementia.", ("dementia",)),
        (None, ()),
    ],
)
def test_topics_from_the_comments_own_words(text, expected):
    assert topics_for_comment(text) == expected


def test_a_case_has_the_articles_topics_then_the_comments():
    assert topics_for_case(
        "MS and your legs", "https://news.example.org/ms/legs",
        "I look after my husband, who has MS.",
    ) == ("multiple_sclerosis", "caregiving")
