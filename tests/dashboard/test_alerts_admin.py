"""/admin/alerts: admins set each site's alerts and see every alert's delivery status."""
from __future__ import annotations

import sqlalchemy as sa

from moderation.extensions import db
from moderation.models import AuditEvent, Site
from moderation.services import alerts
from tests.dashboard.conftest import make_item, token_of


def test_admin_sets_a_sites_alerts(admin_client, site):
    page = admin_client.get("/admin/alerts")
    assert page.status_code == 200 and site.slug in page.get_data(as_text=True)
    r = admin_client.post("/admin/alerts", data={
        "csrf_token": token_of(admin_client), "site": site.slug,
        "emails": "On-Call@Example.org, second@example.org", "chat_url": "",
        "on": "crisis,threat,unscored", "leads": "lead@example.org"})
    assert r.status_code == 302
    db.session.expire_all()
    saved = db.session.scalar(sa.select(Site.alerts).where(Site.slug == site.slug))
    assert saved == {"email": ["on-call@example.org", "second@example.org"], "chat_url": None,
                     "on": ["crisis", "threat", "unscored"], "leads": ["lead@example.org"]}
    event = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "site.alerts"))
    assert event.actor == "admin@example.org" and "@" not in str(event.details)


def test_bad_settings_re_render_with_the_error(admin_client, site):
    r = admin_client.post("/admin/alerts", data={
        "csrf_token": token_of(admin_client), "site": site.slug, "emails": "nobody",
        "chat_url": "", "on": "crisis", "leads": ""})
    assert r.status_code == 422
    html = r.get_data(as_text=True)
    assert "is not an e-mail address" in html and 'value="nobody"' in html


def test_the_page_lists_alerts_with_their_status(admin_client, site):
    item = make_item(site.slug, "I want to end it all.", ["crisis"])
    alerts.configure_alerts(db.session, site.slug, emails=["x@example.org"])
    alerts.plan(db.session, alerts.AlertSettings())

    def down(*args):
        raise OSError("connection refused")

    alerts.deliver_due(db.session, alerts.AlertSettings(schedule=(60,)), email=down)
    html = admin_client.get("/admin/alerts?problems=1").get_data(as_text=True)
    assert f"/items/{item.id}" in html and "connection refused" in html and "pending" in html


def test_moderators_cannot_see_alerts(mod_client):
    assert mod_client.get("/admin/alerts").status_code == 403
