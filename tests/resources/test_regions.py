import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from moderation.resources import INTERNATIONAL, normalize_region, resolve_region


@pytest.mark.parametrize(
    "comment, site, expected",
    [
        ("GB", "US", "GB"),
        ("gb", None, "GB"),
        (" ie ", "GB", "IE"),
        ("uk", None, "GB"),
        (None, "nz", "NZ"),
        ("", "AU", "AU"),
        ("XX", "CA", "CA"),  # geo-IP "unknown"
        ("T1", None, "INT"),  # Tor exit
        ("GBR", "US", "US"),  # alpha-3 is not accepted
        (None, None, "INT"),
        (None, "int", "INT"),
        (123, None, "INT"),
    ],
)
def test_resolve_region(comment, site, expected):
    assert resolve_region(comment, site) == expected


def test_normalize_region():
    assert normalize_region("us") == "US"
    assert normalize_region("INT") == INTERNATIONAL
    assert normalize_region("Europe") is None
    assert normalize_region(None) is None


@settings(max_examples=60, deadline=None)
@given(
    st.one_of(st.none(), st.text(max_size=5), st.integers()),
    st.one_of(st.none(), st.text(max_size=5)),
)
def test_resolve_region_never_raises_and_is_valid(comment, site):
    result = resolve_region(comment, site)
    assert result == INTERNATIONAL or (len(result) == 2 and result.isupper())
    assert normalize_region(result) == result
