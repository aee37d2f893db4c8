"""The signed comment webhook: acceptance, deduplication, and every error it answers."""
from __future__ import annotations

import json
import time
from datetime import datetime

import pytest
import sqlalchemy as sa

from moderation.extensions import app_settings, db
from moderation.models import Analysis, AuditEvent, Comment, ReviewItem, WebhookDelivery
from moderation.services.sites import rotate_secret
from tests.conftest import POSTGRES
from tests.helpers import comment, new_site, redis_up


def count(model) -> int:
    db.session.rollback()
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


def assert_error(response, status: int, code: str | None = None):
    assert response.status_code == status, response.get_data(as_text=True)
    body = response.get_json()
    assert set(body["error"]) == {"code", "message", "details"}
    assert body["error"]["message"]
    if code:
        assert body["error"]["code"] == code
    return body["error"]


def test_signed_comment_is_stored_with_its_analysis(client, site):
    r = site.post(client, comment("c1", "Thanks for the physio tips, they helped."))
    assert r.status_code == 200, r.get_data(as_text=True)
    [result] = r.get_json()["comments"]
    assert result["external_id"] == "c1"
    assert result["duplicate"] is False
    assert result["status"] == "not_flagged" and result["flags"] == []
    stored = db.session.get(Comment, result["id"])
    assert stored.text == "Thanks for the physio tips, they helped."
    assert stored.author_email == "ann@example.net"
    assert stored.analysis is not None and stored.analysis.model_version
    assert count(ReviewItem) == 0


def test_crisis_comment_is_queued_most_urgent(client, site):
    r = site.post(client, comment("c2", "Everyone would be better off without me. "
                                        "I have the pills saved up."))
    [result] = r.get_json()["comments"]
    assert result["status"] == "queued"
    assert result["flags"][0] == "crisis"
    item = db.session.scalar(sa.select(ReviewItem))
    assert item.urgency == 1 and item.state == "open"
    assert (item.due_at - item.created_at).total_seconds() == 15 * 60


def test_batch_is_stored_in_order(client, site):
    batch = {"comments": [comment(f"b{i}", f"comment number {i}") for i in range(5)]}
    r = site.post(client, batch)
    assert r.status_code == 200
    results = r.get_json()["comments"]
    assert [c["external_id"] for c in results] == [f"b{i}" for i in range(5)]
    assert count(Comment) == 5 and count(Analysis) == 5


def _stored_rows(external_id: str) -> dict:
    """A comment's stored rows, without ids and the time of storing."""
    db.session.rollback()
    c = db.session.scalar(sa.select(Comment).where(Comment.external_id == external_id))
    a = c.analysis
    item = c.review_item
    return {
        "comment": {k: getattr(c, k) for k in (
            "text", "author_external_id", "author_name", "author_email",
            "author_pseudonym", "article_url", "article_title", "parent_external_id",
            "region", "language", "posted_at")},
        "analysis": {k: getattr(a, k) for k in (
            "model_version", "scores", "flags", "tags", "evidence", "language",
            "confidence")} | {"at": a.created_at == c.received_at},
        "item": item and {"state": item.state, "urgency": item.urgency, "flags": item.flags,
                          "due_in": item.due_at - item.created_at,
                          "at": item.created_at == c.received_at}}


def test_first_delivery_stores_what_the_general_way_stores(client, site):
    """A first delivery is written in one statement of its own (on PostgreSQL a CTE); a
    batch with one stored comment goes the general way. Same comments, same rows."""
    texts = {"crisis": "I have the pills saved up and tonight I will end it.",
             "insult": "You are a pathetic idiot and your article is garbage.",
             "calm": "Thanks for the physio tips, they helped with my legs."}
    extra = {"parent_id": "p0", "region": "GB", "language": "en",
             "posted_at": "2026-11-25T10:00:00+02:00"}
    first = [comment(f"first-{k}", t, **extra) for k, t in texts.items()]
    r = site.post(client, {"comments": [*first, first[0]]}, msg_id="msg_first")
    assert r.status_code == 200, r.get_data(as_text=True)
    site.post(client, comment("stored"))
    general = [comment(f"general-{k}", t, **extra) for k, t in texts.items()]
    g = site.post(client, {"comments": [comment("stored"), *general, general[0]]},
                  msg_id="msg_general")
    assert g.status_code == 200, g.get_data(as_text=True)
    for kind in texts:
        assert _stored_rows(f"first-{kind}") == _stored_rows(f"general-{kind}"), kind
    crisis = _stored_rows("first-crisis")
    assert crisis["item"]["flags"][0] == "crisis" and crisis["analysis"]["evidence"]
    assert crisis["comment"]["posted_at"].isoformat() == "2026-11-25T08:00:00+00:00"
    assert _stored_rows("first-calm")["item"] is None
    for response, msg_id, repeated in ((r, "msg_first", 0), (g, "msg_general", 1)):
        ids = [c["id"] for c in response.get_json()["comments"]]
        assert ids[repeated] == ids[-1]  # the repeat in the batch answers the same row
        stored = db.session.scalar(sa.select(WebhookDelivery.comment_ids)
                                   .where(WebhookDelivery.webhook_id == msg_id))
        assert stored == ids


def test_redelivery_same_webhook_id_is_deduplicated(client, site):
    body, headers = site.signed(comment("c3"), msg_id="msg_fixed")
    first = client.post(site.url, data=body, headers=headers)
    again = client.post(site.url, data=body, headers=headers)
    assert first.status_code == again.status_code == 200
    a, b = first.get_json()["comments"][0], again.get_json()["comments"][0]
    assert a["duplicate"] is False and b["duplicate"] is True
    assert a["id"] == b["id"] and a["flags"] == b["flags"]
    assert count(Comment) == 1 and count(Analysis) == 1 and count(WebhookDelivery) == 1


def test_same_comment_in_a_new_delivery_is_deduplicated(client, site):
    site.post(client, comment("c4"))
    r = site.post(client, comment("c4"))  # new webhook-id, same content
    assert r.status_code == 200
    assert r.get_json()["comments"][0]["duplicate"] is True
    assert count(Comment) == 1


def test_changed_redelivery_is_a_conflict(client, site):
    site.post(client, comment("c5", "first version"))
    r = site.post(client, comment("c5", "edited version"))
    err = assert_error(r, 409, "conflict")
    assert err["details"]["external_ids"] == ["c5"]
    assert db.session.scalar(sa.select(Comment.text)) == "first version"


def test_reused_webhook_id_with_another_body_is_a_conflict(client, site):
    site.post(client, comment("c6"), msg_id="msg_same")
    r = site.post(client, comment("c7"), msg_id="msg_same")
    assert_error(r, 409, "conflict")
    assert count(Comment) == 1


def test_batch_with_one_conflict_stores_nothing(client, site):
    site.post(client, comment("c8", "original"))
    r = site.post(client, {"comments": [comment("c9"), comment("c8", "changed")]})
    assert_error(r, 409)
    assert count(Comment) == 1


def test_tampered_body_is_refused(client, site):
    body, headers = site.signed(comment("c10"))
    r = client.post(site.url, data=body.replace(b"helped", b"hurt!!"), headers=headers)
    assert_error(r, 401, "unauthorized")
    assert count(Comment) == 0


def test_stale_and_future_timestamps_are_refused(client, site):
    for skew in (-301, 301):
        r = site.post(client, comment("c11"), timestamp=int(time.time()) + skew)
        assert "timestamp" in assert_error(r, 401)["message"]
    assert count(Comment) == 0


def test_unsigned_delivery_is_refused(client, site):
    r = client.post(site.url, data=json.dumps(comment("c12")),
                    headers={"Content-Type": "application/json"})
    assert "missing" in assert_error(r, 401)["message"]


def test_wrong_secret_is_refused(client, site):
    other = new_site("other-site")
    r = site.post(client, comment("c13"), secret=other.secret)
    assert_error(r, 401)
    assert count(Comment) == 0


def test_rotation_keeps_both_secrets_valid_then_expires_the_old(client, site):
    new_secret = rotate_secret(db.session, app_settings(), site.slug, grace_hours=1)
    assert site.post(client, comment("r1")).status_code == 200
    assert site.post(client, comment("r2"), secret=new_secret).status_code == 200
    rotate_secret(db.session, app_settings(), site.slug,
                  grace_hours=0)  # both old secrets expire now
    assert site.post(client, comment("r3")).status_code == 401
    assert site.post(client, comment("r4"), secret=new_secret).status_code == 401


def test_site_lookup_is_kept_briefly_and_a_change_elsewhere_applies_within_that(
        client, site, monkeypatch):
    """The webhook reads a site's secrets once per SITE_AUTH_SECONDS, not per delivery; a
    write in this process applies at once (the rotation test above), one made by another
    process (here a plain UPDATE, which this process's ORM never sees) within that time."""
    from moderation.services import ingest
    lookups = []

    def count_lookups(conn, cursor, statement, *args):
        if "FROM sites" in statement and "site_secrets" in statement:
            lookups.append(statement)

    monkeypatch.setattr(ingest, "SITE_AUTH_SECONDS", 0.5)
    sa.event.listen(db.engine, "before_cursor_execute", count_lookups)
    try:
        for i in range(3):
            assert site.post(client, comment(f"k{i}")).status_code == 200
        assert len(lookups) == 1
        with db.engine.begin() as conn:  # another process revokes every secret of the site
            conn.execute(sa.text("UPDATE site_secrets SET expires_at = :past"),
                         {"past": datetime(2020, 1, 1)})
        assert site.post(client, comment("k3")).status_code == 200  # within the 0.5 s
        time.sleep(0.6)
        assert site.post(client, comment("k4")).status_code == 401
        assert len(lookups) == 2
        # An unknown name is never kept: each try reads the database again.
        for _ in range(2):
            body, headers = site.signed(comment("k5"))
            assert client.post("/api/v1/sites/nowhere/comments", data=body,
                               headers=headers).status_code == 404
        assert len(lookups) == 4
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", count_lookups)


def test_several_signatures_one_valid(client, site):
    body, headers = site.signed(comment("c14"))
    headers["webhook-signature"] = "v1,AAAA " + headers["webhook-signature"]
    assert client.post(site.url, data=body, headers=headers).status_code == 200


def test_unknown_site_is_404(client, site):
    body, headers = site.signed(comment("c15"))
    r = client.post("/api/v1/sites/nope/comments", data=body, headers=headers)
    assert_error(r, 404, "not_found")


def test_malformed_json_is_400(client, site):
    r = site.post(client, b'{"id": "x", "text": ')
    assert "not valid JSON" in assert_error(r, 400)["message"]


def test_non_json_is_415(client, site):
    body, headers = site.signed(b"id=1&text=hello")
    headers["Content-Type"] = "application/x-www-form-urlencoded"
    assert_error(client.post(site.url, data=body, headers=headers), 415)


def test_body_over_one_mib_is_413(client, site):
    big = {"comments": [comment(f"x{i}", "y" * 19_000) for i in range(60)]}
    r = site.post(client, big)
    assert_error(r, 413)
    assert count(Comment) == 0


def test_schema_errors_name_each_field_path(client, site):
    bad = {"comments": [
        {"id": "ok", "text": "fine"},
        {"text": 5, "region": "Great Britain", "posted_at": "yesterday",
         "author": {"name": "x"}, "article": {"url": "javascript:alert(1)"}},
        {"id": "long", "text": "z" * 20_001},
    ]}
    err = assert_error(site.post(client, bad), 422, "invalid")
    paths = {d["path"] for d in err["details"]}
    assert paths == {"$.comments[1].id", "$.comments[1].text", "$.comments[1].region",
                     "$.comments[1].posted_at", "$.comments[1].author.id",
                     "$.comments[1].article.url", "$.comments[2].text"}
    assert count(Comment) == 0


def test_batch_limits(client, site):
    assert_error(site.post(client, {"comments": []}), 422)
    too_many = {"comments": [comment(f"m{i}", "hi") for i in range(101)]}
    err = assert_error(site.post(client, too_many), 422)
    assert "1 to 100" in err["details"][0]["message"]
    assert_error(site.post(client, ["not", "an", "object"]), 422)


@pytest.mark.parametrize("storage", [
    "memory://",
    pytest.param("redis://127.0.0.1:6379", marks=pytest.mark.skipif(
        not redis_up(), reason="no Redis at 127.0.0.1:6379")),
])
def test_rate_limit_per_site_is_429(app_factory, storage):
    import uuid

    from tests.helpers import SiteHandle
    app = app_factory(WEBHOOK_RATE_LIMIT="3 per minute", RATELIMIT_STORAGE_URI=storage,
                      RATELIMIT_KEY_PREFIX=f"test-{uuid.uuid4().hex}")  # fresh counters
    with app.app_context():
        handle: SiteHandle = new_site("limited")
        other = new_site("unlimited")
        client = app.test_client()
        codes = [handle.post(client, comment(f"l{i}")).status_code for i in range(4)]
        assert codes == [200, 200, 200, 429]
        r = handle.post(client, comment("l9"))
        assert_error(r, 429)
        assert r.headers.get("Retry-After")
        assert other.post(client, comment("o1")).status_code == 200  # limits are per site


def test_database_unreachable_is_503_with_retry_after(app_factory):
    app = app_factory(SQLALCHEMY_DATABASE_URI="sqlite:////nonexistent-dir/x.sqlite3")
    client = app.test_client()
    body = json.dumps(comment("c20")).encode()
    r = client.post("/api/v1/sites/any/comments", data=body,
                    headers={"Content-Type": "application/json"})
    assert_error(r, 503, "database_unavailable")
    assert r.headers["Retry-After"]
    assert client.get("/healthz").status_code == 503


@pytest.mark.skipif(not POSTGRES, reason="a SQLite file has no server to lose")
def test_a_connection_lost_in_use_is_one_503_then_the_pool_is_new(client, site, database_url):
    """Pooled connections are pinged only when idle (moderation.db.ping_when_idle): one the
    server drops while it is in steady use fails the delivery that meets it, with 503 and
    Retry-After (the sender retries), and the next delivery gets a new connection."""
    assert site.post(client, comment("p1")).status_code == 200
    with db.engine.connect() as conn:  # the pool's connection, the one just used
        pid = conn.execute(sa.text("SELECT pg_backend_pid()")).scalar_one()
    other = sa.create_engine(database_url)
    with other.connect() as conn:  # what a server restart does to it
        conn.execute(sa.text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
    other.dispose()
    r = site.post(client, comment("p2"))
    assert_error(r, 503, "database_unavailable")
    assert r.headers["Retry-After"]
    assert site.post(client, comment("p2")).status_code == 200
    assert count(Comment) == 2


def test_healthz_checks_the_database(client):
    r = client.get("/healthz")
    assert r.status_code == 200 and r.get_json() == {"status": "ok"}


def test_openapi_document_describes_the_webhook(client):
    spec = client.get("/api/v1/openapi.json").get_json()
    assert spec["openapi"].startswith("3.1")
    op = spec["paths"]["/api/v1/sites/{site}/comments"]["post"]
    assert {"200", "400", "401", "404", "409", "413", "415", "422", "429", "503"} <= set(
        op["responses"])


def test_no_audit_of_plain_ingest_but_site_creation_is_audited(client, site):
    actions = db.session.scalars(sa.select(AuditEvent.action)).all()
    assert actions == ["site.create"]


def test_analysis_failure_fails_closed(client, site, monkeypatch, caplog):
    """An engine error never passes a comment silently: it is stored, logged (without its
    text) and queued as 'unscored' for a human, just below crisis."""
    from moderation import analysis

    def broken(*args, **kwargs):
        raise RuntimeError("model file unreadable")

    monkeypatch.setattr(analysis, "analyze", broken)
    text = "Some days I can't see the point of any of it."
    with caplog.at_level("ERROR", logger="moderation.services.ingest"):
        r = site.post(client, comment("c-broken", text))
    assert r.status_code == 200, r.get_data(as_text=True)
    [result] = r.get_json()["comments"]
    assert result["status"] == "queued" and result["flags"] == ["unscored"]
    stored = db.session.get(Comment, result["id"])
    assert stored.text == text and stored.analysis.flags == ["unscored"]
    item = db.session.scalar(sa.select(ReviewItem).where(ReviewItem.comment_id == stored.id))
    assert item.state == "open" and item.urgency == analysis.QUEUE_URGENCY["unscored"] == 2
    assert (item.due_at - item.created_at).total_seconds() == 30 * 60
    [record] = [r for r in caplog.records if "unscored" in r.getMessage()]
    assert record.exc_info and "model file unreadable" in str(record.exc_info[1])
    assert text not in caplog.text
    # a redelivery answers the stored result and does not score again
    again = site.post(client, comment("c-broken", text)).get_json()["comments"][0]
    assert again["duplicate"] is True and again["flags"] == ["unscored"]
