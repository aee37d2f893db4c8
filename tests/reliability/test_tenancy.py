"""Tenancy: a site's secret signs for that site only, and comments are keyed per site."""
from __future__ import annotations

import sqlalchemy as sa

from moderation.extensions import db
from moderation.models import Comment, Site, WebhookDelivery
from tests.helpers import comment, new_site


def test_site_a_secret_cannot_post_to_site_b(client):
    a, b = new_site("site-a"), new_site("site-b")
    body, headers = a.signed(comment("t1"))
    r = client.post(b.url, data=body, headers=headers)
    assert r.status_code == 401
    assert client.post(a.url, data=body, headers=headers).status_code == 200
    db.session.rollback()
    site_ids = db.session.scalars(sa.select(Comment.site_id)).all()
    assert site_ids == [db.session.scalar(sa.select(Site.id).where(Site.slug == "site-a"))]


def test_same_external_id_on_two_sites_is_two_comments(client):
    a, b = new_site("site-a"), new_site("site-b")
    ra = a.post(client, comment("shared-id", "Comment on site A."))
    rb = b.post(client, comment("shared-id", "Another text on site B."))  # no 409 across sites
    assert ra.status_code == rb.status_code == 200
    [x], [y] = ra.get_json()["comments"], rb.get_json()["comments"]
    assert x["duplicate"] is False and y["duplicate"] is False and x["id"] != y["id"]
    db.session.rollback()
    rows = db.session.execute(sa.select(Site.slug, Comment.text)
                              .join(Site, Site.id == Comment.site_id).order_by(Site.slug)).all()
    assert [tuple(r) for r in rows] == [("site-a", "Comment on site A."),
                                        ("site-b", "Another text on site B.")]


def test_webhook_ids_are_keyed_per_site(client):
    a, b = new_site("site-a"), new_site("site-b")
    assert a.post(client, comment("w1"), msg_id="msg_same").status_code == 200
    r = b.post(client, comment("w2"), msg_id="msg_same")  # another site's message id space
    assert r.status_code == 200 and r.get_json()["comments"][0]["duplicate"] is False
    db.session.rollback()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(WebhookDelivery)) == 2


def test_a_redelivery_to_the_other_site_is_not_a_duplicate_there(client):
    a, b = new_site("site-a"), new_site("site-b")
    body_a, headers_a = a.signed(comment("r1"))
    assert client.post(a.url, data=body_a, headers=headers_a).status_code == 200
    # The same comment, properly signed by B, is B's first copy.
    r = b.post(client, comment("r1"))
    assert r.status_code == 200 and r.get_json()["comments"][0]["duplicate"] is False
