"""Sign-in, roles, CSRF, rate limits, security headers."""
from __future__ import annotations

import sqlalchemy as sa

from moderation.extensions import db
from moderation.models import AuditEvent
from moderation.services.accounts import set_active
from tests.dashboard.conftest import PASSWORD, csrf_from, sign_in


def audit_actions():
    return [e.action for e in db.session.scalars(sa.select(AuditEvent).order_by(AuditEvent.id))]


def test_anonymous_pages_redirect_to_login(client):
    for path in ("/", "/queue", "/items/1", "/admin/users", "/admin/stats"):
        response = client.get(path)
        assert response.status_code == 302, path
        assert response.headers["Location"].startswith("/login"), path


def test_login_page_has_a_csrf_token_and_no_inline_script(client):
    html = client.get("/login").get_data(as_text=True)
    assert 'name="csrf_token"' in html
    assert "<script>" not in html and "onclick" not in html


def test_login_without_csrf_token_is_400(client, moderator):
    response = client.post("/login", data={"email": moderator.email, "password": PASSWORD})
    assert response.status_code == 400
    assert client.get("/queue").status_code == 302  # still signed out


def test_login_with_a_wrong_token_is_400(client, moderator):
    client.get("/login")
    response = client.post("/login", data={"email": moderator.email, "password": PASSWORD,
                                           "csrf_token": "forged"})
    assert response.status_code == 400


def test_sign_in_and_out_are_audited(client, moderator):
    response = sign_in(client, moderator.email)
    assert response.status_code == 302 and response.headers["Location"] == "/queue"
    assert client.get("/queue").status_code == 200
    token = csrf_from(client.get("/queue").get_data(as_text=True))
    assert client.get("/logout").status_code == 405  # signing out is a POST
    response = client.post("/logout", data={"csrf_token": token})
    assert response.status_code == 302
    assert client.get("/queue").status_code == 302
    assert audit_actions()[-2:] == ["auth.login", "auth.logout"]


def test_failed_sign_ins_are_audited_and_do_not_say_which_part_was_wrong(client, moderator):
    wrong_password = sign_in(client, moderator.email, "not the password")
    unknown = sign_in(client, "nobody@example.org", "whatever it is")
    assert wrong_password.status_code == unknown.status_code == 401
    assert wrong_password.get_data(as_text=True).count("do not match") == 1
    events = db.session.scalars(sa.select(AuditEvent).where(
        AuditEvent.action == "auth.login_failed").order_by(AuditEvent.id)).all()
    assert [e.details["reason"] for e in events] == ["wrong_password", "unknown_email"]
    assert events[1].actor == "nobody@example.org"


def test_passwords_are_hashed(app):
    from moderation.services.users import create_user
    user = create_user(db.session, "new@example.org", PASSWORD)
    assert PASSWORD not in user.password_hash
    assert user.password_hash.startswith(("scrypt:", "pbkdf2:", "$argon2"))
    assert user.check_password(PASSWORD) and not user.check_password(PASSWORD + "x")


def test_next_is_followed_only_to_local_paths(client, moderator):
    token = csrf_from(client.get("/login").get_data(as_text=True))
    response = client.post("/login?next=//evil.example/x", data={
        "email": moderator.email, "password": PASSWORD, "csrf_token": token})
    assert response.headers["Location"] == "/queue"


def test_next_local_path_is_followed(client, moderator):
    token = csrf_from(client.get("/login?next=/queue?flag=crisis").get_data(as_text=True))
    response = client.post("/login?next=/queue?flag=crisis", data={
        "email": moderator.email, "password": PASSWORD, "csrf_token": token})
    assert response.headers["Location"] == "/queue?flag=crisis"


def test_moderator_gets_403_on_admin_pages(mod_client):
    for path in ("/admin/", "/admin/users", "/admin/sites", "/admin/audit", "/admin/stats",
                 "/admin/export"):
        assert mod_client.get(path).status_code == 403, path
    token = csrf_from(mod_client.get("/queue").get_data(as_text=True))
    response = mod_client.post("/admin/users", data={"email": "x@example.org",
                                                     "role": "admin", "csrf_token": token})
    assert response.status_code == 403


def test_admin_reaches_admin_pages(admin_client):
    for path in ("/admin/users", "/admin/sites", "/admin/audit", "/stats"):
        assert admin_client.get(path).status_code == 200, path
    assert admin_client.get("/admin/stats").headers["Location"] == "/stats?days=30"


def test_a_disabled_account_loses_its_session_and_cannot_sign_in(app, mod_client, admin,
                                                                 moderator):
    assert mod_client.get("/queue").status_code == 200
    set_active(db.session, moderator.id, False, actor=admin)
    assert mod_client.get("/queue").status_code == 302
    fresh = app.test_client()
    assert sign_in(fresh, moderator.email).status_code == 401


def test_login_is_rate_limited_per_account(app_factory, moderator):
    app = app_factory(LOGIN_FREE_ATTEMPTS=3)  # then a delay (test_login_limits.py)
    client = app.test_client()
    statuses = [sign_in(client, moderator.email, "wrong password!").status_code
                for _ in range(4)]
    assert statuses == [401, 401, 401, 429]
    # Another account from the same address is not locked out by this one's failures.
    assert sign_in(client, "other@example.org", "wrong password!").status_code == 401


def test_login_is_rate_limited_per_address(app_factory, moderator):
    app = app_factory(LOGIN_ADDRESS_MAX_FAILURES=2)
    client = app.test_client()
    statuses = [sign_in(client, f"u{i}@example.org", "wrong password!").status_code
                for i in range(3)]
    assert statuses == [401, 401, 429]


def test_security_headers_on_every_response(client, mod_client):
    for c, path in ((client, "/login"), (mod_client, "/queue"), (client, "/healthz"),
                    (client, "/nowhere"), (client, "/static/app.css")):
        headers = c.get(path).headers
        csp = headers["Content-Security-Policy"]
        assert "script-src 'self'" in csp and "'unsafe-inline'" not in csp, path
        assert "frame-ancestors 'none'" in csp
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers["Referrer-Policy"]
    assert mod_client.get("/queue").headers["Cache-Control"] == "no-store"


def test_session_cookie_is_httponly_and_lax(client, moderator):
    response = sign_in(client, moderator.email)
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_session_cookie_is_secure_outside_development(app_factory, moderator):
    app = app_factory(ENV_NAME="production")
    client = app.test_client()
    response = sign_in(client, moderator.email)
    assert "Secure" in response.headers["Set-Cookie"]
