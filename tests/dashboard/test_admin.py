"""Admin pages: users, sites and secrets, audit log, stats and charts."""
from __future__ import annotations

import re
from datetime import timedelta

import sqlalchemy as sa

from moderation.db import write_transaction
from moderation.extensions import app_settings, db
from moderation.models import AuditEvent, ReviewItem, Site, SiteSecret, User
from moderation.services import queue as service
from moderation.services import stats as stats_service
from tests.dashboard.conftest import make_item, sign_in, token_of


def last_event(action: str) -> AuditEvent:
    return db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == action)
                             .order_by(AuditEvent.id.desc()))


def test_invite_shows_the_first_password_once_and_it_works(app, admin_client, admin):
    response = admin_client.post("/admin/users", data={
        "csrf_token": token_of(admin_client), "email": "New.Mod@Example.org",
        "role": "moderator"})
    html = response.get_data(as_text=True)
    password = re.search(r'id="invite-password">([^<]+)<', html).group(1)
    assert response.headers["Cache-Control"] == "no-store"
    assert password not in admin_client.get("/admin/users").get_data(as_text=True)
    user = db.session.scalar(sa.select(User).where(User.email == "new.mod@example.org"))
    assert user.role == "moderator" and password not in user.password_hash
    assert sign_in(app.test_client(), "new.mod@example.org", password).status_code == 302
    event = last_event("user.create")
    assert event.actor == admin.email and event.target_id == str(user.id)


def test_invite_errors_are_shown_not_500(admin_client, moderator):
    token = token_of(admin_client)
    bad = admin_client.post("/admin/users", data={"csrf_token": token, "email": "nope",
                                                  "role": "moderator"})
    assert bad.status_code == 422
    taken = admin_client.post("/admin/users", data={"csrf_token": token,
                                                    "email": moderator.email,
                                                    "role": "moderator"})
    assert taken.status_code == 409 and "exists" in taken.get_data(as_text=True)


def test_role_change_and_disable_are_audited(admin_client, admin, moderator):
    token = token_of(admin_client)
    admin_client.post(f"/admin/users/{moderator.id}/role", data={"csrf_token": token,
                                                                 "role": "admin"})
    admin_client.post(f"/admin/users/{moderator.id}/active", data={"csrf_token": token,
                                                                   "active": "0"})
    db.session.expire_all()
    user = db.session.get(User, moderator.id)
    assert user.role == "admin" and user.active is False
    assert last_event("user.set_role").details == {"before": "moderator", "after": "admin"}
    assert last_event("user.disable").target_id == str(moderator.id)


def test_the_last_admin_cannot_be_demoted_or_disable_themselves(admin_client, admin):
    token = token_of(admin_client)
    demote = admin_client.post(f"/admin/users/{admin.id}/role", data={"csrf_token": token,
                                                                      "role": "moderator"})
    disable = admin_client.post(f"/admin/users/{admin.id}/active", data={"csrf_token": token,
                                                                         "active": "0"})
    assert demote.status_code == 409 and disable.status_code == 409
    db.session.expire_all()
    assert db.session.get(User, admin.id).is_admin


def test_unknown_user_is_404(admin_client):
    response = admin_client.post("/admin/users/9999/role", data={
        "csrf_token": token_of(admin_client), "role": "admin"})
    assert response.status_code == 404


def test_create_site_shows_its_secret_once(admin_client, admin):
    response = admin_client.post("/admin/sites", data={
        "csrf_token": token_of(admin_client), "slug": "heart-news", "name": "Heart News",
        "region": "ie", "callback_url": "https://heart.example/cb"})
    html = response.get_data(as_text=True)
    secret = re.search(r'id="site-secret">([^<]+)<', html).group(1)
    assert secret.startswith("whsec_")
    assert secret not in admin_client.get("/admin/sites").get_data(as_text=True)
    site = db.session.scalar(sa.select(Site).where(Site.slug == "heart-news"))
    assert site.default_region == "IE" and site.callback_url == "https://heart.example/cb"
    assert last_event("site.create").actor == admin.email


def test_create_site_validation(admin_client, site):
    token = token_of(admin_client)
    bad = admin_client.post("/admin/sites", data={"csrf_token": token, "slug": "Bad Slug"})
    assert bad.status_code == 422
    taken = admin_client.post("/admin/sites", data={"csrf_token": token, "slug": site.slug})
    assert taken.status_code == 409


def test_rotate_secret_shows_the_new_one_once_and_keeps_the_old_for_a_while(admin_client,
                                                                           site):
    response = admin_client.post(f"/admin/sites/{site.slug}/rotate",
                                 data={"csrf_token": token_of(admin_client)})
    html = response.get_data(as_text=True)
    secret = re.search(r'id="site-secret">([^<]+)<', html).group(1)
    assert secret != site.secret and "keeps working for 24 hours" in html
    secrets = db.session.scalars(sa.select(SiteSecret).join(Site).where(
        Site.slug == site.slug)).all()
    assert len(secrets) == 2 and secrets[0].expires_at is not None
    assert last_event("site.rotate_secret").target_id == site.slug
    assert admin_client.post("/admin/sites/nope/rotate", data={
        "csrf_token": token_of(admin_client)}).status_code == 404


def test_audit_page_lists_and_filters(app, admin_client, admin, moderator):
    sign_in(app.test_client(), moderator.email, "wrong password!")
    html = admin_client.get("/admin/audit").get_data(as_text=True)
    assert "auth.login_failed" in html and "auth.login" in html
    only_failed = admin_client.get("/admin/audit?action=auth.login_failed").get_data(
        as_text=True)
    assert "<code>auth.login</code>" not in only_failed
    assert "<code>auth.login_failed</code>" in only_failed
    by_prefix = admin_client.get("/admin/audit?action=auth.").get_data(as_text=True)
    assert "<code>auth.login</code>" in by_prefix
    by_actor = admin_client.get(f"/admin/audit?actor={admin.email}").get_data(as_text=True)
    assert "<code>auth.login_failed</code>" not in by_actor
    assert admin_client.get("/admin/audit?since=yesterday").status_code == 422
    assert admin_client.get("/admin/audit?since=2020-01-01&until=2099-01-01").status_code == 200


def test_audit_pages_back(app, admin_client, admin):
    from moderation.services import audit
    with write_transaction(db.session):
        for i in range(105):
            audit.record(db.session, "test.event", actor_label="script", target_id=i)
    html = admin_client.get("/admin/audit?action=test.event").get_data(as_text=True)
    assert html.count("<code>test.event</code>") == 100
    link = re.search(r'href="([^"]+)">Older', html).group(1).replace("&amp;", "&")
    older = admin_client.get(link).get_data(as_text=True)
    assert older.count("<code>test.event</code>") == 5


def test_the_code_has_no_update_or_delete_path_for_audit_events():
    import pathlib
    root = pathlib.Path(__file__).resolve().parents[2] / "moderation"
    for path in root.rglob("*.py"):
        text = path.read_text()
        assert not re.search(r"(update|delete)\(\s*AuditEvent", text), path


def _decided(site_slug, flag, minutes, action, moderator, overdue=False):
    item = make_item(site_slug, f"{flag} comment", [flag], age_minutes=minutes + 1,
                     article_url=f"https://news.example.org/{flag}")
    with write_transaction(db.session):
        row = db.session.get(ReviewItem, item.id)
        if overdue:
            row.due_at = row.created_at + timedelta(minutes=minutes / 2)
    service.decide(db.session, app_settings(), item.id, moderator, action)
    with write_transaction(db.session):
        row = db.session.get(ReviewItem, item.id)
        row.resolved_at = row.created_at + timedelta(minutes=minutes)
    return item


def test_stats_figures(app, site, moderator):
    for minutes in (2, 4, 6, 8, 30):
        _decided(site.slug, "crisis", minutes, "hide", moderator,
                 overdue=minutes == 30)
    _decided(site.slug, "hostile", 60, "not_a_concern", moderator)
    _decided(site.slug, "hostile", 90, "hide", moderator)
    make_item(site.slug, "still open", ["distress"], age_minutes=500)
    figures = stats_service.stats(db.session, days=7)
    crisis = figures.times[0]
    assert (crisis.flag, crisis.decided, crisis.median_minutes, crisis.p90_minutes) == (
        "crisis", 5, 6.0, 30.0)
    assert crisis.overdue == 1 and crisis.overdue_share == 0.2
    hostile_fp = next(fp for fp in figures.false_positives if fp.flag == "hostile")
    assert (hostile_fp.decided, hostile_fp.not_a_concern, hostile_fp.rate) == (2, 1, 0.5)
    assert figures.open_now.open == 1 and figures.open_now.overdue == 1
    per_day = figures.per_day
    assert sum(per_day["crisis"].values()) == 5 and sum(per_day["distress"].values()) == 1
    top = figures.articles[0]
    assert top.url == "https://news.example.org/hostile" and top.hostile == 2


def test_stats_page_and_charts(admin_client, site, moderator):
    _decided(site.slug, "distress", 10, "not_a_concern", moderator)
    html = admin_client.get("/stats?days=30").get_data(as_text=True)
    assert 'id="false-positives"' in html and 'id="article-impact"' in html
    assert "100%" in html  # distress: 1 of 1 decided was not a concern
    for name in ("flags-per-day", "time-to-decision"):
        response = admin_client.get(f"/stats/{name}.svg?days=7")
        assert response.status_code == 200 and response.mimetype == "image/svg+xml"
        svg = response.get_data(as_text=True)
        assert "<svg" in svg and "<script" not in svg and "kozea" not in svg
        assert "script-src" not in response.headers["Content-Security-Policy"]
        assert "default-src 'none'" in response.headers["Content-Security-Policy"]
    assert admin_client.get("/stats/nope.svg").status_code == 404


# ------------------------------------------- issue 14, finding 5: numbers past the range

def test_audit_and_export_refuse_values_past_the_range(admin_client):
    for path in ("/admin/audit?before=" + "9" * 20, "/admin/audit?before=-" + "9" * 20,
                 "/admin/audit?until=9999-12-31", "/admin/audit?since=9999-12-31",
                 "/admin/audit?until=0001-01-01T00:00:00%2B14:00",
                 "/admin/export?format=csv&until=9999-12-31",
                 "/admin/export?format=json&since=9999-12-31&until=9999-12-31",
                 "/stats?days=" + "9" * 30):
        response = admin_client.get(path)
        assert response.status_code in (200, 400, 422), (path, response.status_code)
        if response.status_code == 200:
            response.get_data()  # a stream must run to its end without an error
