"""Bad input never reaches the database as a 5xx: NUL characters in any string field."""
from __future__ import annotations

import pytest

from tests.helpers import comment

NUL_FIELDS = {
    "id": {"id": "c\x00"},
    "author.id": {"author": {"id": "a\x00"}},
    "author.name": {"author": {"id": "a", "name": "Ann\x00"}},
    "author.email": {"author": {"id": "a", "email": "a\x00@example.net"}},
    "article.url": {"article": {"url": "https://example.org/\x00"}},
    "article.title": {"article": {"title": "MS\x00"}},
    "parent_id": {"parent_id": "p\x00"},
    "text": {"text": "hello\x00"},
}


@pytest.mark.parametrize("field", sorted(NUL_FIELDS))
def test_nul_in_any_string_is_422_not_500(client, site, field):
    """PostgreSQL cannot store NUL in text: it used to answer 500 (DataError)."""
    payload = {**comment("nul"), **NUL_FIELDS[field]}
    r = site.post(client, payload)
    assert r.status_code == 422, r.get_data(as_text=True)
    paths = {d["path"] for d in r.get_json()["error"]["details"]}
    assert f"$.{field}" in paths


def test_signed_webhook_id_over_255_characters_is_400_not_500(client, site):
    """The delivery table's column holds 255: PostgreSQL used to answer 500 (DataError)."""
    r = site.post(client, comment("long-id"), msg_id="m" * 256)
    assert r.status_code == 400, r.get_data(as_text=True)
    assert "webhook-id" in r.get_json()["error"]["message"]
    assert site.post(client, comment("long-id"), msg_id="m" * 255).status_code == 200
