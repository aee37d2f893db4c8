import pytest

from moderation.resources import build_keyword_map, topics_for_article


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
