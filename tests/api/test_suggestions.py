"""Suggestions API and CLI: crisis lines first for the reader's region, auth, 404."""
from __future__ import annotations

import pytest

from moderation.extensions import db
from moderation.services.tokens import issue_token
from moderation.services.users import create_user
from tests.helpers import comment, new_site

CRISIS = "Everyone would be better off without me. I won't be a burden much longer."


@pytest.fixture
def token(app) -> str:
    create_user(db.session, "admin@example.org", "correct horse battery", "admin")
    return issue_token(db.session, "admin@example.org")


def deliver(client, site, cid, text, **extra) -> int:
    r = site.post(client, comment(cid, text, **extra))
    assert r.status_code == 200, r.get_data(as_text=True)
    return r.get_json()["comments"][0]["id"]


@pytest.mark.parametrize("region, first", [
    ("GB", "116 123"), ("US", "988"), ("IE", "116 123"), ("AU", "13 11 14"), (None, None)])
def test_crisis_gets_the_regions_crisis_line_first(client, site, token, region, first):
    extra = {"region": region} if region else {}
    if region is None:
        site = new_site("worldwide", region=None)
    cid = deliver(client, site, f"k-{region}", CRISIS, **extra)
    r = client.get(f"/api/v1/comments/{cid}/suggestions",
                   headers={"Authorization": f"Bearer {token}"})
    assert r.status_code == 200
    body = r.get_json()
    assert "crisis" in body["flags"]
    top = body["resources"][0]
    if first:
        assert top["phone"] and first in top["phone"] or first in (top["sms"] or "")
    else:
        assert body["region"] == "INT"
        assert "findahelpline" in (top["url"] or "")
    assert body["draft"] and "method" not in body["draft"].lower()


def test_site_region_is_used_when_the_comment_has_none(client, token):
    us_site = new_site("us-site", region="US")
    cid = deliver(client, us_site, "k1", CRISIS)
    body = client.get(f"/api/v1/comments/{cid}/suggestions",
                      headers={"Authorization": f"Bearer {token}"}).get_json()
    assert body["region"] == "US" and "988" in body["resources"][0]["phone"]


def test_suggestions_need_a_session_or_admin_token(client, site):
    cid = deliver(client, site, "k2", CRISIS)
    assert client.get(f"/api/v1/comments/{cid}/suggestions").status_code == 401
    r = client.get(f"/api/v1/comments/{cid}/suggestions",
                   headers={"Authorization": "Bearer modtok_wrong"})
    assert r.status_code == 401 and r.get_json()["error"]["code"] == "unauthorized"


def test_moderator_cannot_get_a_token(app):
    from moderation.errors import Invalid
    create_user(db.session, "mod@example.org", "correct horse battery", "moderator")
    with pytest.raises(Invalid):
        issue_token(db.session, "mod@example.org")


def test_unknown_comment_is_404(client, token):
    r = client.get("/api/v1/comments/999999/suggestions",
                   headers={"Authorization": f"Bearer {token}"})
    assert r.status_code == 404 and r.get_json()["error"]["code"] == "not_found"


def test_cli_suggest_prints_samaritans_first_for_a_gb_crisis(client, site, runner):
    cid = deliver(client, site, "k3", CRISIS, region="GB")
    result = runner.invoke(args=["resources", "suggest", str(cid)])
    assert result.exit_code == 0, result.output
    first = [line for line in result.output.splitlines() if line.startswith("1. ")][0]
    assert "Samaritans" in first and "116 123" in first
    assert "nothing is sent automatically" in result.output


def test_resources_load_keeps_admin_edits(app, runner):
    from moderation.models import ResourceEntry
    from moderation.services.support import catalog, edit_resource, load_resources
    first = load_resources(db.session)
    assert first["added"] > 10
    admin = create_user(db.session, "a@example.org", "correct horse battery", "admin")
    row = db.session.query(ResourceEntry).filter_by(key="samaritans").one()
    edited = {**row.data, "hours": "Checked by our team: 24 hours, every day"}
    edit_resource(db.session, "samaritans", edited, actor=admin)
    again = load_resources(db.session)
    assert again["kept_admin_edit"] == 1 and again["added"] == 0
    samaritans = [r for r in catalog(db.session) if r.key == "samaritans"][0]
    assert samaritans.hours.startswith("Checked by our team")
