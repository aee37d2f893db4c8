"""Bad input never reaches the database as a 5xx: NUL characters in any string field."""
from __future__ import annotations

import json

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


# ---------------------------------------------------------------- issue 14, finding 5
# Each of these answered 500; every one must be a 4xx in the error shape, nothing stored.

def _nothing_stored():
    import sqlalchemy as sa

    from moderation.extensions import db
    from moderation.models import Comment, WebhookDelivery
    assert db.session.scalar(sa.select(sa.func.count(Comment.id))) == 0
    assert db.session.scalar(sa.select(sa.func.count(WebhookDelivery.id))) == 0


def _api_error(response, status: int | tuple[int, ...]):
    statuses = status if isinstance(status, tuple) else (status,)
    assert response.status_code in statuses, (response.status_code, response.get_data()[:300])
    assert set(response.get_json()["error"]) == {"code", "message", "details"}


@pytest.mark.parametrize("timestamp", ["1" + "0" * 400, "9" * 30, "-" + "9" * 400,
                                       "1_700_000_000", "١٧٠٠٠٠٠٠٠٠", " 1700000000"])
def test_a_huge_or_odd_timestamp_is_401(client, site, timestamp):
    """`webhook-timestamp: 1` and 400 zeros overflowed a float (OverflowError, 500)."""
    body, headers = site.signed(comment("ts"))
    headers["webhook-timestamp"] = timestamp
    _api_error(client.post(site.url, data=body, headers=headers), 401)
    _nothing_stored()


def test_json_nested_deeper_than_the_parser_recurses_is_400(client, site):
    for depth in (975, 5000, 100_000):
        r = site.post(client, b"[" * depth + b"]" * depth)
        _api_error(r, 400)
        r = site.post(client, ('{"id": "d", "text": "x", "extra": ' + "[" * depth
                               + "]" * depth + "}").encode())
        _api_error(r, 400)
    _nothing_stored()


@pytest.mark.parametrize("field", ["text", "author.name", "author.id", "id",
                                   "article.title", "author.email"])
def test_a_lone_surrogate_is_422_naming_the_field(client, site, field):
    """json.loads accepts "\\ud800"; encoding it for the hash or the database failed."""
    values = {"text": {"text": "hello \ud800"}, "id": {"id": "c\ud800"},
              "author.name": {"author": {"id": "a", "name": "Ann \udfff"}},
              "author.id": {"author": {"id": "a\ud800"}},
              "author.email": {"author": {"id": "a", "email": "a\ud800@example.net"}},
              "article.title": {"article": {"title": "MS \ud800"}}}
    payload = {**comment("sur"), **values[field]}
    r = site.post(client, json.dumps(payload).encode())  # ensure_ascii: "\ud800" escaped
    _api_error(r, 422)
    assert f"$.{field}" in {d["path"] for d in r.get_json()["error"]["details"]}
    _nothing_stored()


@pytest.mark.parametrize("posted_at", ["0001-01-01T00:00:00+14:00",
                                       "9999-12-31T23:59:59-14:00", "0000-01-01T00:00:00Z",
                                       "2026-02-30T10:00:00Z", "2026-11-25T10:00:00+24:00"])
def test_a_date_that_leaves_the_calendar_in_utc_is_422(client, site, posted_at):
    r = site.post(client, comment("when", posted_at=posted_at))
    _api_error(r, 422)
    assert "$.posted_at" in {d["path"] for d in r.get_json()["error"]["details"]}
    _nothing_stored()


def json_bytes(payload) -> bytes:
    return json.dumps(payload).encode()


def test_a_body_exactly_at_the_limit_is_read_and_one_byte_more_is_413(client, site, app):
    limit = app.config["MAX_CONTENT_LENGTH"]
    payload = json_bytes(comment("edge"))
    exact = b" " * (limit - len(payload)) + payload
    assert site.post(client, exact).status_code == 200
    r = site.post(client, b" " + exact)
    _api_error(r, 413)
    assert "1 MiB" in r.get_json()["error"]["message"]
