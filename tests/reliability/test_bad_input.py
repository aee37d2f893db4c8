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


def test_site_names_no_site_can_have_are_404_without_a_query(client, site):
    """NUL in the site's name used to reach PostgreSQL and answer 500."""
    body, headers = site.signed(comment("c1"))
    for name in ("a%00b", "UPPER", "-dash", "x" * 64, "s%C3%A9"):
        r = client.post(f"/api/v1/sites/{name}/comments", data=body, headers=headers)
        assert r.status_code == 404, (name, r.get_data(as_text=True))


def test_comment_id_past_the_integer_range_is_404(client, app):
    """An id past PostgreSQL's integer used to answer 500 (NumericValueOutOfRange)."""
    from moderation.extensions import db
    from moderation.services.tokens import issue_token
    from moderation.services.users import create_user
    create_user(db.session, "range-admin@example.org", "a-long-password-1", "admin")
    token = issue_token(db.session, "range-admin@example.org")
    for cid in (2**31, 10**30):
        r = client.get(f"/api/v1/comments/{cid}/suggestions",
                       headers={"Authorization": f"Bearer {token}"})
        assert r.status_code == 404, r.get_data(as_text=True)


def test_a_value_the_database_refuses_is_400_not_500(app_factory):
    """The safety net: any DataError (a value the database cannot hold) is the request's
    fault: 400 in the API's error shape."""
    import sqlalchemy as sa

    from moderation.extensions import db
    app = app_factory()

    @app.get("/api/v1/_probe")
    def probe():
        raise sa.exc.DataError("SELECT 1", {}, ValueError("value out of range"))

    with app.app_context():
        r = app.test_client().get("/api/v1/_probe")
        db.session.remove()
    assert r.status_code == 400
    assert r.get_json()["error"]["code"] == "bad_value"
