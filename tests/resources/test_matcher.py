import datetime as dt

import pytest

from moderation.resources import (
    FALLBACK_RESOURCE,
    Resource,
    Suggestion,
    flags_of,
    suggest_resources,
)

from .conftest import FakeAnalysis, valid_entry

CRISIS_FIRST = {
    "GB": ("samaritans", "116 123"),
    "US": ("lifeline-988", "988"),
    "AU": ("lifeline-au", "13 11 14"),
    "NZ": ("need-to-talk-1737", "1737"),
    "CA": ("ca-988", "9-8-8"),
}


def keys(suggestions):
    return [s.resource.key for s in suggestions]


@pytest.mark.parametrize("region", sorted(CRISIS_FIRST))
def test_crisis_starts_with_the_regions_crisis_line(make_analysis, region):
    result = suggest_resources(make_analysis("crisis"), region)
    key, number = CRISIS_FIRST[region]
    assert result[0].resource.key == key
    assert result[0].resource.phone == number
    assert result[0].rank == 1
    assert result[0].resource.is_crisis_line


def test_crisis_in_ireland_gets_samaritans_or_pieta_first(make_analysis):
    result = suggest_resources(make_analysis("crisis"), "IE")
    assert result[0].resource.key in {"samaritans", "pieta"}
    assert {"samaritans", "pieta"} <= set(keys(result))


@pytest.mark.parametrize("region", [None, "", "XX", "T1", "JP", "INT", "not a region", 42])
def test_crisis_with_unknown_or_unlisted_region_gets_international_directory(make_analysis, region):
    result = suggest_resources(make_analysis("crisis"), region)
    assert result, "a crisis must never get an empty list"
    assert result[0].resource.key == "find-a-helpline"
    assert result[0].resource.is_international


def test_crisis_lists_all_regional_lines_before_anything_else(make_analysis):
    result = suggest_resources(make_analysis("crisis"), "GB", topics=("multiple_sclerosis",))
    assert keys(result)[:2] == ["samaritans", "shout"]
    assert "ms-society-uk" in keys(result)
    assert keys(result)[-1] == "find-a-helpline"  # in case the region guess is wrong
    assert [s.rank for s in result] == list(range(1, len(result) + 1))


def test_crisis_lines_survive_a_tiny_limit(make_analysis):
    result = suggest_resources(make_analysis("crisis"), "NZ", limit=1)
    assert keys(result) == ["need-to-talk-1737", "lifeline-aotearoa"]


def test_region_is_normalised(make_analysis):
    assert keys(suggest_resources(make_analysis("crisis"), " uk "))[0] == "samaritans"
    assert keys(suggest_resources(make_analysis("crisis"), "us"))[0] == "lifeline-988"


@pytest.mark.parametrize(
    "region, org",
    [
        ("GB", "ms-society-uk"),
        ("IE", "ms-ireland"),
        ("US", "national-ms-society"),
        ("CA", "ms-canada"),
        ("AU", "ms-australia"),
        ("NZ", "ms-new-zealand"),
        ("FR", "msif"),
        (None, "msif"),
    ],
)
def test_distress_under_ms_article_gets_the_regions_ms_organisation(make_analysis, region, org):
    result = suggest_resources(make_analysis("distress"), region, topics=("multiple_sclerosis",))
    assert org in keys(result)
    # ...plus exactly one crisis/support line of the region (or the fallback)
    lines = [
        s
        for s in result
        if s.resource.is_crisis_line
        or s.resource.is_international
        and "suicide" in s.resource.topics
    ]
    assert len(lines) == 1


def test_distress_gets_one_crisis_line_and_topic_organisations(make_analysis):
    result = suggest_resources(make_analysis("distress"), "US", topics=("dementia", "caregiving"))
    assert keys(result) == ["alzheimers-association", "family-caregiver-alliance", "lifeline-988"]


def test_distress_without_topics_gets_general_support_and_a_line(make_analysis):
    assert keys(suggest_resources(make_analysis("distress"), "GB")) == [
        "mind-infoline",
        "samaritans",
    ]
    assert keys(suggest_resources(make_analysis("distress"), "AU")) == [
        "beyond-blue",
        "lifeline-au",
    ]
    assert keys(suggest_resources(make_analysis("distress"), None)) == ["find-a-helpline"]


def test_distress_respects_limit_but_keeps_the_line(make_analysis):
    result = suggest_resources(
        make_analysis("distress"),
        "GB",
        topics=("multiple_sclerosis", "caregiving", "dementia"),
        limit=2,
    )
    assert keys(result) == ["ms-society-uk", "samaritans"]


@pytest.mark.parametrize(
    "flags",
    [(), ("hostile",), ("threat",), ("threat", "hostile"), ("unknown-flag",)],
)
def test_no_resources_without_crisis_or_distress(make_analysis, flags):
    assert suggest_resources(make_analysis(*flags), "GB", topics=("multiple_sclerosis",)) == []


def test_threat_with_distress_is_treated_as_distress(make_analysis):
    result = suggest_resources(make_analysis("threat", "distress"), "NZ")
    assert keys(result) == ["need-to-talk-1737"]
    result = suggest_resources(make_analysis("crisis", "threat"), "NZ")
    assert keys(result)[0] == "need-to-talk-1737"


def test_accepts_plain_sequences_and_objects():
    assert keys(suggest_resources(["crisis"], "US"))[0] == "lifeline-988"
    assert keys(suggest_resources(("distress", "hostile"), "US")) == ["lifeline-988"]
    assert keys(suggest_resources("crisis", "US"))[0] == "lifeline-988"
    assert suggest_resources(None, "US") == []
    assert flags_of(FakeAnalysis(flags=("Crisis",))) == ("crisis",)


def test_language_preference(make_analysis):
    welsh = keys(suggest_resources(make_analysis("crisis"), "GB", language="cy"))
    # Welsh-language line first, and a 24/7 line kept because the Welsh line is not 24/7
    assert welsh[:2] == ["samaritans-welsh", "samaritans"]
    english = keys(suggest_resources(make_analysis("crisis"), "GB", language="en-GB"))
    assert "samaritans-welsh" not in english
    # Spanish in the US: 988 answers in Spanish; the English-only text line is dropped
    spanish = keys(suggest_resources(make_analysis("crisis"), "US", language="es"))
    assert spanish[0] == "lifeline-988" and "crisis-text-line-us" not in spanish
    # A language nobody lists: keep everything rather than nothing
    german = keys(suggest_resources(make_analysis("crisis"), "GB", language="de"))
    assert german[:2] == ["samaritans", "shout"]


def test_custom_catalog_without_any_fallback_still_never_empty(make_analysis):
    only_gb = [Resource.from_dict(valid_entry())]
    result = suggest_resources(make_analysis("crisis"), "FR", catalog=only_gb)
    assert [s.resource for s in result] == [FALLBACK_RESOURCE]
    result = suggest_resources(make_analysis("crisis"), "GB", catalog=only_gb)
    assert keys(result)[0] == "test-line"
    assert (
        suggest_resources(make_analysis("crisis"), "GB", catalog=[])[0].resource
        == FALLBACK_RESOURCE
    )


def test_suggestion_shape(make_analysis):
    s = suggest_resources(make_analysis("crisis"), "GB")[0]
    assert isinstance(s, Suggestion)
    assert s.reason and isinstance(s.reason, str)
    d = s.to_dict()
    assert d["rank"] == 1 and d["resource"]["key"] == "samaritans" and d["reason"] == s.reason
    assert d["resource"]["checked_on"] == dt.date(2026, 11, 25).isoformat()


def test_no_duplicates(make_analysis):
    for region in ("GB", "IE", "US", "CA", "AU", "NZ", None):
        for flag in ("crisis", "distress"):
            result = suggest_resources(
                make_analysis(flag),
                region,
                topics=("multiple_sclerosis", "depression", "grief", "caregiving"),
            )
            assert len(keys(result)) == len(set(keys(result)))


def test_a_single_topic_string_is_one_topic(make_analysis):
    as_string = suggest_resources(make_analysis("distress"), "GB", topics="multiple_sclerosis")
    as_tuple = suggest_resources(make_analysis("distress"), "GB", topics=("multiple_sclerosis",))
    assert as_string == as_tuple


PAIRS = {
    "DE": ("telefonseelsorge", "nummer-gegen-kummer"),
    "FR": ("fr-3114", "fil-sante-jeunes"),
    "IT": ("telefono-amico", "telefono-azzurro"),
    "NL": ("113-zelfmoordpreventie", "kindertelefoon"),
    "ES": ("es-024", "anar-es"),
}


@pytest.mark.parametrize("region", sorted(PAIRS))
@pytest.mark.parametrize("flag", ["crisis", "distress"])
@pytest.mark.parametrize("limit", [1, 2, 3, 5])
@pytest.mark.parametrize(
    "topics", [(), ("multiple_sclerosis",), ("caregiving", "dementia"), ("suicide", "self_harm")]
)
def test_paired_services_are_shown_both_or_neither(region, flag, limit, topics):
    for language in ("en", "de", "fr", "it", "nl", "es"):
        shown = set(keys(suggest_resources([flag], region, language, topics, limit=limit)))
        adult, youth = PAIRS[region]
        assert (adult in shown) == (youth in shown), (language, shown)
        assert adult in shown  # the region's line is always offered


def test_a_pair_is_shown_together_and_the_partner_says_why():
    result = suggest_resources(["crisis"], "DE", "de")
    assert keys(result)[:2] == ["telefonseelsorge", "nummer-gegen-kummer"]
    assert result[1].reason == "Shown together with TelefonSeelsorge"


def test_a_pair_that_does_not_fit_the_limit_is_left_out_whole():
    catalog = [
        Resource.from_dict(valid_entry(key="line", regions=["DE"])),
        Resource.from_dict(valid_entry(key="org", kind="patient_organisation", regions=["DE"],
                                       topics=["multiple_sclerosis"], paired_with=["org-youth"])),
        Resource.from_dict(valid_entry(key="org-youth", kind="patient_organisation",
                                       regions=["DE"], topics=["multiple_sclerosis"],
                                       paired_with=["org"])),
    ]
    tight = keys(suggest_resources(["distress"], "DE", topics=("multiple_sclerosis",),
                                   catalog=catalog, limit=2))
    assert tight == ["line"]
    roomy = keys(suggest_resources(["distress"], "DE", topics=("multiple_sclerosis",),
                                   catalog=catalog, limit=3))
    assert roomy == ["org", "org-youth", "line"]


@pytest.mark.parametrize(
    "region, ms_org, carers_org, dementia_line",
    [
        ("GB", "ms-society-uk", "carers-uk", "alzheimers-society"),
        ("US", "national-ms-society", "family-caregiver-alliance", "alzheimers-association"),
        ("AU", "ms-australia", "carer-gateway", "dementia-australia"),
        ("DE", "dmsg", "pflegetelefon", None),
        ("NL", "ms-vereniging-nederland", "mantelzorgnl", None),
    ],
)
@pytest.mark.parametrize("flag", ["crisis", "distress"])
def test_an_ms_carer_gets_ms_and_carers_organisations_not_a_dementia_line(
        region, ms_org, carers_org, dementia_line, flag):
    shown = keys(suggest_resources([flag], region, topics=("multiple_sclerosis", "caregiving"),
                                   limit=6))
    assert ms_org in shown and carers_org in shown
    if dementia_line:
        assert dementia_line not in shown
        # ...which a dementia carer does get
        shown = keys(suggest_resources([flag], region, topics=("dementia", "caregiving"),
                                       limit=6))
        assert dementia_line in shown
