"""Issue 14, finding 7: API tokens expire (90 days unless told), are refused (401) once expired
or revoked, and are revoked with `flask users revoke-token` or on /admin/tokens."""
from __future__ import annotations

import json
from datetime import timedelta

import sqlalchemy as sa

from moderation.db import utcnow, write_transaction
from moderation.extensions import db
from moderation.models import ApiToken, AuditEvent
from tests.dashboard.conftest import csrf_from

ADMIN = "admin@example.org"
URL = "/api/v1/comments/1/suggestions"  # no such comment: 404 once the token is accepted


def issue(runner, *args) -> str:
    result = runner.invoke(args=["users", "token", ADMIN, *args])
    assert result.exit_code == 0, result.output
    return result.output.strip().splitlines()[-1]


def status(client, token: str) -> int:
    return client.get(URL, headers={"Authorization": f"Bearer {token}"}).status_code


def row(token: str) -> ApiToken:
    db.session.expire_all()
    return db.session.scalar(sa.select(ApiToken).where(ApiToken.prefix == token[:15]))


def test_a_token_expires_after_the_default_90_days(client, runner, admin):
    token = issue(runner)
    assert status(client, token) == 404
    lifetime = row(token).expires_at - utcnow()
    assert timedelta(days=89, hours=23) < lifetime <= timedelta(days=90)
    with write_transaction(db.session):
        db.session.get(ApiToken, row(token).id).expires_at = utcnow() - timedelta(seconds=1)
    assert status(client, token) == 401


def test_days_sets_the_lifetime_and_the_default_is_configurable(app_factory, admin):
    token = issue(app_factory().test_cli_runner(), "--days", "2")
    assert timedelta(days=1, hours=23) < row(token).expires_at - utcnow() <= timedelta(days=2)
    short = app_factory(API_TOKEN_DAYS=7)
    with short.app_context():  # the CLI runs in the app context it finds
        token = issue(short.test_cli_runner())
        assert timedelta(days=6, hours=23) < row(token).expires_at - utcnow() \
            <= timedelta(days=7)
        for days in ("0", "3651"):
            refused = short.test_cli_runner().invoke(args=["users", "token", ADMIN,
                                                           "--days", days])
            assert refused.exit_code != 0


def test_revoke_one_token_by_its_prefix(client, runner, admin):
    first, second = issue(runner), issue(runner)
    result = runner.invoke(args=["users", "revoke-token", ADMIN, "--prefix", first[:15]])
    assert result.exit_code == 0, result.output
    assert first[:15] in result.output and first not in result.output
    assert status(client, first) == 401 and status(client, second) == 404
    assert row(first).revoked_at is not None and row(second).revoked_at is None


def test_revoke_all_of_a_users_tokens(client, runner, admin):
    tokens = [issue(runner) for _ in range(3)]
    result = runner.invoke(args=["users", "revoke-token", ADMIN, "--all"])
    assert result.exit_code == 0 and "3" in result.output, result.output
    assert [status(client, t) for t in tokens] == [401] * 3


def test_revoke_token_needs_exactly_one_choice_and_a_known_prefix(runner, admin):
    issue(runner)
    for args in ([], ["--all", "--prefix", "modtok_x"], ["--prefix", "modtok_nothere"]):
        result = runner.invoke(args=["users", "revoke-token", ADMIN, *args])
        assert result.exit_code != 0, args


def test_the_audit_never_holds_a_token(runner, admin):
    token = issue(runner)
    runner.invoke(args=["users", "revoke-token", ADMIN, "--all"])
    actions = {e.action: e for e in db.session.scalars(sa.select(AuditEvent))}
    assert {"token.issue", "token.revoke"} <= set(actions)
    assert token not in json.dumps([e.details for e in actions.values()])


def test_the_admin_page_lists_and_revokes_tokens(app, client, runner, admin, admin_client,
                                                 mod_client):
    live, revoked = issue(runner), issue(runner)
    runner.invoke(args=["users", "revoke-token", ADMIN, "--prefix", revoked[:15]])
    page = admin_client.get("/admin/tokens")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert live[:15] in html and revoked[:15] in html and ADMIN in html
    assert live not in html
    expires = row(live).expires_at.strftime("%Y-%m-%d")
    assert expires in html
    target = row(live).id
    assert f'action="/admin/tokens/{target}/revoke"' in html
    assert f'action="/admin/tokens/{row(revoked).id}/revoke"' not in html  # already revoked
    assert admin_client.post(f"/admin/tokens/{target}/revoke").status_code == 400  # no CSRF
    assert mod_client.post(f"/admin/tokens/{target}/revoke", data={
        "csrf_token": csrf_from(mod_client.get("/queue").get_data(as_text=True))},
    ).status_code == 403
    assert status(client, live) == 404
    response = admin_client.post(f"/admin/tokens/{target}/revoke",
                                 data={"csrf_token": csrf_from(html)})
    assert response.status_code == 302 and response.headers["Location"] == "/admin/tokens"
    assert status(client, live) == 401
    event = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "token.revoke")
                              .order_by(AuditEvent.id.desc()))
    assert event.actor == ADMIN and event.details["prefix"] == live[:15]
    assert admin_client.post("/admin/tokens/999999/revoke",
                             data={"csrf_token": csrf_from(html)}).status_code == 404
