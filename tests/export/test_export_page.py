"""The admin export download and the erasure form: admins only, streamed, audited."""
from __future__ import annotations

import csv
import io
import json

import sqlalchemy as sa

from moderation.extensions import db
from moderation.models import AuditEvent, Comment
from moderation.services.users import create_user
from tests.dashboard.conftest import PASSWORD, csrf_from, sign_in
from tests.helpers import comment


def signed_in(app, email, role):
    create_user(db.session, email, PASSWORD, role)
    client = app.test_client()
    assert sign_in(client, email).status_code == 302
    return client


def test_moderator_gets_403_on_the_export_page(app):
    client = signed_in(app, "mod@example.org", "moderator")
    assert client.get("/admin/export").status_code == 403
    assert client.get("/admin/export?format=csv").status_code == 403


def test_anonymous_is_sent_to_sign_in(client):
    r = client.get("/admin/export?format=csv")
    assert r.status_code == 302 and "/login" in r.headers["Location"]


def test_admin_downloads_a_streamed_csv_and_it_is_audited(app, site):
    client = signed_in(app, "admin@example.org", "admin")
    site.post(client, comment("e1", "You are a stupid idiot, shut up."))
    page = client.get("/admin/export")
    assert page.status_code == 200 and b"Download" in page.data
    r = client.get("/admin/export?format=csv&flag=hostile")
    assert r.status_code == 200 and r.is_streamed
    assert r.mimetype == "text/csv" and "attachment" in r.headers["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(r.get_data(as_text=True), newline="")))
    assert [row["external_id"] for row in rows] == ["e1"]
    event = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "export"))
    assert event.actor == "admin@example.org" and event.details["rows"] == 1


def test_admin_json_download_and_bad_filter(app, site):
    client = signed_in(app, "admin@example.org", "admin")
    site.post(client, comment("e2", "You are a stupid idiot, shut up."))
    assert len(json.loads(client.get("/admin/export?format=json").data)) == 1
    assert client.get("/admin/export?format=xml").status_code == 422
    assert client.get("/admin/export?format=csv&since=yesterday").status_code == 422


def test_admin_erases_an_author_through_the_form(app, site):
    client = signed_in(app, "admin@example.org", "admin")
    site.post(client, comment("e3", "some words"))
    token = csrf_from(client.get("/admin/export").get_data(as_text=True))
    assert client.post("/admin/erase", data={"site": site.slug, "author_id": "a1"}
                       ).status_code == 400  # no CSRF token
    r = client.post("/admin/erase", data={"site": site.slug, "author_id": "a1",
                                          "csrf_token": token})
    assert r.status_code == 302
    stored = db.session.scalar(sa.select(Comment).where(Comment.external_id == "e3"))
    assert stored.text is None and stored.redacted_at is not None
