import datetime as dt
import json

import pytest

from moderation.resources import (
    FIELDS,
    KINDS,
    KNOWN_TOPICS,
    CatalogError,
    Resource,
    load_catalog,
    load_emergency_numbers,
    parse_catalog,
    validate_catalog,
)
from moderation.resources.catalog import parse_emergency_numbers

from .conftest import valid_entry


def by_key(catalog):
    return {r.key: r for r in catalog}


def test_shipped_catalog_loads_and_is_cached_but_not_shared(catalog):
    assert len(catalog) >= 20
    again = load_catalog()
    assert again == catalog
    again.clear()
    assert load_catalog() == catalog  # callers get their own list


WRITTEN_ON = {dt.date(2026, 11, 25), dt.date(2026, 12, 7)}  # from knowledge, not verified


def test_every_entry_is_dated_and_sourced(catalog):
    for r in catalog:
        assert r.checked_on in WRITTEN_ON, r.key
        assert r.source.startswith("https://"), r.key
        assert r.kind in KINDS
        assert set(r.topics) <= set(KNOWN_TOPICS)
        assert r.phone or r.sms or r.url


@pytest.mark.parametrize("region", ["GB", "IE", "US", "CA", "AU", "NZ"])
def test_each_launch_region_has_a_crisis_line_and_an_ms_organisation(catalog, region):
    assert any(r.is_crisis_line and region in r.regions for r in catalog)
    assert any(
        r.kind == "patient_organisation"
        and "multiple_sclerosis" in r.topics
        and region in r.regions
        for r in catalog
    )


def test_international_fallback_directories(catalog):
    keys = {r.key for r in catalog if r.is_international and "suicide" in r.topics}
    assert {"find-a-helpline", "iasp-crisis-centres"} <= keys
    assert by_key(catalog)["find-a-helpline"].url == "https://findahelpline.com/"


@pytest.mark.parametrize(
    "key, phone, sms, keyword, regions",
    [
        ("samaritans", "116 123", None, None, ("GB", "IE")),
        ("shout", None, "85258", "SHOUT", ("GB",)),
        ("lifeline-988", "988", "988", None, ("US",)),
        ("crisis-text-line-us", None, "741741", "HOME", ("US",)),
        ("ca-988", "9-8-8", "9-8-8", None, ("CA",)),
        ("crisis-text-line-ca", None, "686868", "CONNECT", ("CA",)),
        ("pieta", "1800 247 247", "51444", "HELP", ("IE",)),
        ("lifeline-au", "13 11 14", "0477 13 11 14", None, ("AU",)),
        ("beyond-blue", "1300 22 4636", None, None, ("AU",)),
        ("need-to-talk-1737", "1737", "1737", None, ("NZ",)),
        ("lifeline-aotearoa", "0800 543 354", "4357", "HELP", ("NZ",)),
        ("ms-society-uk", "0808 800 8000", None, None, ("GB",)),
        ("ms-ireland", "1800 804 588", None, None, ("IE",)),
        ("national-ms-society", "1-800-344-4867", None, None, ("US",)),
        ("ms-canada", "1-844-859-6789", None, None, ("CA",)),
        ("carers-uk", "0808 808 7777", None, None, ("GB",)),
        ("mind-infoline", "0300 123 3393", None, None, ("GB",)),
    ],
)
def test_published_numbers(catalog, key, phone, sms, keyword, regions):
    r = by_key(catalog)[key]
    assert (r.phone, r.sms, r.sms_keyword, r.regions) == (phone, sms, keyword, regions)


def test_also_present(catalog):
    keys = by_key(catalog)
    for key in ("ms-australia", "ms-new-zealand", "family-caregiver-alliance"):
        assert key in keys


def test_to_dict_round_trip_and_json(catalog):
    for r in catalog:
        data = r.to_dict()
        assert list(data) == list(FIELDS)
        assert Resource.from_dict(json.loads(json.dumps(data))) == r


def test_from_dict_accepts_date_objects_and_tuples():
    r = Resource.from_dict(valid_entry(checked_on=dt.date(2026, 1, 2), regions=("GB", "IE")))
    assert r.checked_on == dt.date(2026, 1, 2)
    assert r.regions == ("GB", "IE")
    assert r.is_crisis_line and r.open_24_7


@pytest.mark.parametrize(
    "overrides, field",
    [
        ({"key": "Bad Key"}, "key"),
        ({"key": None}, "key"),
        ({"name": ""}, "name"),
        ({"kind": "hotline"}, "kind"),
        ({"regions": ["gb"]}, "regions"),
        ({"regions": ["GBR"]}, "regions"),
        ({"regions": "GB"}, "regions"),
        ({"regions": [False]}, "regions"),  # unquoted NO in YAML
        ({"regions": []}, "regions"),
        ({"languages": ["English"]}, "languages"),
        ({"topics": ["ms"]}, "topics"),
        ({"topics": ["suicide", "suicide"]}, "topics"),
        ({"phone": 116123}, "phone"),
        ({"phone": "call us"}, "phone"),
        ({"phone": "12"}, "phone"),
        ({"sms_keyword": "HELLO"}, "sms_keyword"),  # no sms number
        ({"sms": "85258", "sms_keyword": "two words"}, "sms_keyword"),
        ({"url": "samaritans.org"}, "url"),
        ({"phone": None, "url": None}, "phone/sms/url"),
        ({"hours": None}, "hours"),
        ({"free": "yes"}, "free"),
        ({"checked_on": "25/11/2026"}, "checked_on"),
        ({"checked_on": dt.datetime(2026, 11, 25, 12, 0)}, "checked_on"),
        ({"source": "the website"}, "source"),
        ({"colour": "blue"}, "colour"),
    ],
)
def test_validation_rejects_bad_entry_with_clear_error(overrides, field):
    with pytest.raises(CatalogError) as info:
        Resource.from_dict(valid_entry(**overrides))
    message = str(info.value)
    assert repr(field) in message
    if isinstance(valid_entry(**overrides).get("key"), str):
        assert repr(valid_entry(**overrides)["key"]) in message


def test_validate_catalog_names_the_entry_and_rejects_duplicates():
    with pytest.raises(CatalogError, match=r"entry #2: resource 'b': field 'kind'"):
        validate_catalog([valid_entry(key="a"), valid_entry(key="b", kind="nope")])
    with pytest.raises(CatalogError, match=r"entry #2: duplicate key 'a'"):
        validate_catalog([valid_entry(key="a"), valid_entry(key="a")])
    with pytest.raises(CatalogError, match="must be a mapping"):
        validate_catalog(["not a mapping"])


def test_load_catalog_from_a_file(tmp_path):
    path = tmp_path / "site.yaml"
    path.write_text(
        "resources:\n"
        "  - key: local-line\n"
        "    name: Local Line\n"
        "    kind: support_line\n"
        "    regions: ['NO']\n"
        "    languages: [nb, en]\n"
        "    topics: [mental_health]\n"
        "    phone: '116 123'\n"
        "    hours: 24/7\n"
        "    checked_on: 2026-11-25\n"
        "    source: https://example.no/\n",
        encoding="utf-8",
    )
    [r] = load_catalog(path)
    assert r.regions == ("NO",) and r.languages == ("nb", "en")


def test_unquoted_yaml_region_no_is_a_clear_error(tmp_path):
    text = (
        "- key: x\n  name: X\n  kind: crisis_line\n  regions: [NO]\n  languages: [en]\n"
        "  topics: [suicide]\n  url: https://x.example/\n  hours: 24/7\n"
        "  checked_on: 2026-11-25\n  source: https://x.example/\n"
    )
    with pytest.raises(CatalogError, match="quote it in YAML"):
        parse_catalog(text)


def test_bad_yaml_and_wrong_shape():
    with pytest.raises(CatalogError, match="not valid YAML"):
        parse_catalog("resources: [unclosed")
    with pytest.raises(CatalogError, match="expected a list"):
        parse_catalog("resources: {a: 1}")


NEW_REGIONS = ["ES", "MX", "FR", "DE", "IT", "PT", "BR", "NL", "IN", "ZA"]


@pytest.mark.parametrize("region", ["GB", "IE", "US", "CA", "AU", "NZ", *NEW_REGIONS])
def test_each_region_has_a_crisis_line_and_an_emergency_number(catalog, region):
    assert any(r.is_crisis_line and region in r.regions and r.phone for r in catalog)
    assert load_emergency_numbers()[region].numbers


def test_every_entry_is_still_marked_verify_before_going_live(catalog):
    for r in catalog:
        assert (r.notes or "").startswith("Verify before going live."), r.key
    for region, entry in load_emergency_numbers().items():
        assert (entry.notes or "").startswith("Verify before going live."), region


@pytest.mark.parametrize(
    "key, phone, regions, languages",
    [
        ("es-024", "024", ("ES",), ("es",)),
        ("linea-de-la-vida", "800 911 2000", ("MX",), ("es",)),
        ("fr-3114", "3114", ("FR",), ("fr",)),
        ("telefonseelsorge", "0800 111 0 111", ("DE",), ("de",)),
        ("telefono-amico", "02 2327 2327", ("IT",), ("it",)),
        ("pt-1411", "1411", ("PT",), ("pt",)),
        ("cvv", "188", ("BR",), ("pt",)),
        ("113-zelfmoordpreventie", "0800-0113", ("NL",), ("nl",)),
        ("tele-manas", "14416", ("IN",), ("en", "hi")),
        ("sadag-suicide-crisis", "0800 567 567", ("ZA",), ("en",)),
    ],
)
def test_national_crisis_lines(catalog, key, phone, regions, languages):
    r = by_key(catalog)[key]
    assert (r.phone, r.regions, r.languages) == (phone, regions, languages)
    assert r.is_crisis_line


def test_pairs_are_symmetric_and_in_the_same_region(catalog):
    keys = by_key(catalog)
    pairs = [(r, keys[k]) for r in catalog for k in r.paired_with]
    assert {(a.key, b.key) for a, b in pairs} >= {
        ("telefonseelsorge", "nummer-gegen-kummer"), ("fr-3114", "fil-sante-jeunes"),
        ("telefono-amico", "telefono-azzurro"), ("113-zelfmoordpreventie", "kindertelefoon"),
        ("es-024", "anar-es")}
    for a, b in pairs:
        assert a.key in b.paired_with
        assert set(a.regions) & set(b.regions)


def test_a_one_sided_or_unknown_pair_is_refused():
    with pytest.raises(CatalogError, match="must name 'a' back"):
        validate_catalog([valid_entry(key="a", paired_with=["b"]), valid_entry(key="b")])
    with pytest.raises(CatalogError, match="names unknown entry 'zz'"):
        validate_catalog([valid_entry(key="a", paired_with=["zz"])])
    with pytest.raises(CatalogError, match="'paired_with'"):
        Resource.from_dict(valid_entry(key="a", paired_with=["a"]))


def test_emergency_numbers_are_validated():
    good = ("emergency_numbers:\n  - {regions: ['FR'], numbers: ['15', '112'], "
            "checked_on: 2026-12-07, source: 'https://example.org/'}\n")
    assert parse_emergency_numbers(good)["FR"].numbers == ("15", "112")
    with pytest.raises(CatalogError, match="'numbers' must list"):
        parse_emergency_numbers(good.replace("'15'", "15"))
    with pytest.raises(CatalogError, match="'regions' must list"):
        parse_emergency_numbers(good.replace("'FR'", "'INT'"))
    with pytest.raises(CatalogError, match="listed twice"):
        parse_emergency_numbers(good + good.split("\n", 1)[1])
