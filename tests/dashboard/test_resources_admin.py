"""Admins edit the support-resource catalog in the dashboard: validated, kept, audited."""
from __future__ import annotations

import html as html_lib

import sqlalchemy as sa
import yaml

from moderation.extensions import db
from moderation.models import AuditEvent
from moderation.services.support import catalog, load_resources
from tests.dashboard.conftest import csrf_from


def textarea(page: str) -> str:
    return html_lib.unescape(page.split('id="entry"')[1].split(">", 1)[1]
                             .split("</textarea>")[0])


def test_admin_edits_a_resource_and_the_edit_is_used(admin_client):
    load_resources(db.session)
    page = admin_client.get("/admin/resources").get_data(as_text=True)
    assert "Samaritans" in page and "116 123" in page
    form = admin_client.get("/admin/resources/samaritans")
    assert form.status_code == 200
    html = form.get_data(as_text=True)
    data = yaml.safe_load(textarea(html))
    data["hours"] = "24 hours, every day (checked by our team)"
    r = admin_client.post("/admin/resources/samaritans", data={
        "entry": yaml.safe_dump(data), "active": "y", "csrf_token": csrf_from(html)})
    assert r.status_code == 302
    samaritans = [x for x in catalog(db.session) if x.key == "samaritans"][0]
    assert samaritans.hours == "24 hours, every day (checked by our team)"
    event = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "resource.edit"))
    assert event.actor == "admin@example.org" and event.target_id == "samaritans"


def test_invalid_entry_is_refused_with_a_reason(admin_client):
    load_resources(db.session)
    html = admin_client.get("/admin/resources/samaritans").get_data(as_text=True)
    r = admin_client.post("/admin/resources/samaritans", data={
        "entry": "name: Samaritans\nkind: not-a-kind\n", "active": "y",
        "csrf_token": csrf_from(html)})
    assert r.status_code == 422 and "invalid resource" in r.get_data(as_text=True)
    assert [x for x in catalog(db.session) if x.key == "samaritans"][0].phone == "116 123"


def test_retired_resource_is_no_longer_offered(admin_client):
    load_resources(db.session)
    html = admin_client.get("/admin/resources/shout").get_data(as_text=True)
    r = admin_client.post("/admin/resources/shout", data={
        "entry": textarea(html), "csrf_token": csrf_from(html)})  # box unticked
    assert r.status_code == 302
    assert "shout" not in {x.key for x in catalog(db.session)}


def test_moderators_cannot_edit_resources(mod_client):
    assert mod_client.get("/admin/resources").status_code == 403
    assert mod_client.post("/admin/resources/samaritans", data={}).status_code in (400, 403)
