"""Light contract check against the real tone engine, if it is importable.

Only this test module imports moderation.analysis; moderation.resources never does.
Assertions are conditional on the engine's flags, so changes in its scoring
don't break these tests, only changes in the Analysis contract would.
"""

import pytest

from moderation.resources import check_reply, draft_reply, suggest_resources

analysis = pytest.importorskip("moderation.analysis")

COMMENTS = [
    "I don't want to live anymore",
    "I feel so low since my MS relapse, I can't cope",
    "I will find you and hurt you",
    "you are an idiot",
]


@pytest.mark.parametrize("comment", COMMENTS)
@pytest.mark.parametrize("region", ["GB", "US", None])
def test_real_analysis_objects(comment, region):
    result = analysis.analyze(comment)
    suggestions = suggest_resources(result, region, topics=("multiple_sclerosis",))
    flags = set(result.flags)
    if "crisis" in flags:
        assert suggestions
        first = suggestions[0].resource
        assert first.is_crisis_line or (region is None and first.is_international)
    elif "distress" in flags:
        assert suggestions
    else:
        assert suggestions == []
    text = draft_reply(result, suggestions, topics=("multiple_sclerosis",), region=region)
    if flags & {"crisis", "distress"}:
        assert check_reply(text) == []
    else:
        assert text == ""
