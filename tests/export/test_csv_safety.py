"""Issue 14, finding 9: every cell a spreadsheet could run as a formula is neutralised, and
the CSV download names its charset once."""
from __future__ import annotations

import pytest

from moderation.services.export import neutralise
from tests.export.test_export_page import signed_in


@pytest.mark.parametrize("cell", [
    "\n=1+1", "\r\n=cmd|' /C calc'!A0", " =HYPERLINK(\"https://evil.example\")", "  +1+1",
    "\u00a0=1", "\uff1d1+1", "\uff0bcmd", "\uff0d2+3", "\uff20SUM(A1)", " \uff1d1",
    "\t=1", "-1\n=1", "=1", "@SUM(1)",
])
def test_cells_that_a_spreadsheet_would_run_are_neutralised(cell):
    assert neutralise(cell) == "'" + cell


@pytest.mark.parametrize("cell", ["-0.5", "42", "1e5", "MS and your legs", "", " ", "a=b",
                                  "https://news.example.org/ms?a=1"])
def test_plain_values_are_kept(cell):
    assert neutralise(cell) == cell


def test_the_csv_content_type_names_its_charset_once(app, site):
    client = signed_in(app, "admin@example.org", "admin")
    r = client.get("/admin/export?format=csv")
    assert r.headers["Content-Type"] == "text/csv; charset=utf-8"


def test_the_list_of_special_non_ascii_first_characters_is_complete():
    """The SQL export settles a cell starting with a non-ASCII character itself unless that
    character is whitespace to str.lstrip() or folds to a formula sign under NFKC."""
    import unicodedata

    from moderation.services.export import NON_ASCII_SPECIAL
    special = "".join(chr(c) for c in range(128, 0x110000)
                      if chr(c).isspace()
                      or unicodedata.normalize("NFKC", chr(c)) in ("=", "+", "-", "@"))
    assert NON_ASCII_SPECIAL == special
