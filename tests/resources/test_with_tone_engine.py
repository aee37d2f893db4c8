"""Light contract check against the real tone engine's Analysis type, if importable.

Only this test module imports moderation.analysis; moderation.resources never does.
The engine is run once (it can be slow); other flag combinations are made with
dataclasses.replace on that real object, so only the Analysis contract matters here.
"""

import dataclasses

import pytest

from moderation.resources import check_reply, draft_reply, suggest_resources

analysis = pytest.importorskip("moderation.analysis")


@pytest.fixture(scope="module")
def real_analysis():
    return analysis.analyze("I don't want to live anymore")


def test_real_engine_output_is_accepted(real_analysis):
    suggestions = suggest_resources(real_analysis, "GB", topics=("multiple_sclerosis",))
    if {"crisis", "distress"} & set(real_analysis.flags):
        assert suggestions
        text = draft_reply(real_analysis, suggestions, region="GB")
        assert check_reply(text) == []
    if "crisis" in real_analysis.flags:
        assert suggestions[0].resource.key == "samaritans"


@pytest.mark.parametrize(
    "flags, first",
    [
        (("crisis", "distress"), "lifeline-988"),
        (("distress",), "national-ms-society"),
        (("threat", "hostile"), None),
        (("hostile",), None),
        ((), None),
    ],
)
def test_analysis_objects_with_each_flag_set(real_analysis, flags, first):
    obj = dataclasses.replace(real_analysis, flags=flags)
    suggestions = suggest_resources(obj, "US", topics=("multiple_sclerosis",))
    if first is None:
        assert suggestions == []
        assert draft_reply(obj, suggestions) == ""
    else:
        assert suggestions[0].resource.key == first
        assert check_reply(draft_reply(obj, suggestions, region="US")) == []


@pytest.mark.parametrize(
    "text, about",
    [
        ("My husband says he wants to die and I don't know what to do", "other"),
        ("I don't want to live anymore", "self"),
    ],
)
def test_the_engines_third_person_tag_gives_the_worried_person_a_draft(text, about):
    from moderation.resources import worry_is_about

    result = analysis.analyze(text)
    assert "crisis" in result.flags
    assert worry_is_about(text, result) == about
    suggestions = suggest_resources(result, "GB")
    draft = draft_reply(result, suggestions, region="GB", about=about)
    assert check_reply(draft) == []
    assert ("frightening when someone you love" in draft) == (about == "other")
