"""Issue 14, finding 2: sessions can be revoked. A session cookie saved before a sign-out, a
password change, a disable (even after re-enabling) or an admin's "sign out everywhere"
opens nothing; sessions end after 8 idle hours and 7 days in all."""
from __future__ import annotations

import time

import pytest

from moderation.extensions import db
from moderation.services.accounts import set_active
from tests.dashboard.conftest import csrf_from, sign_in, token_of

SESSION = "session"


def saved_cookie(client) -> str:
    return client.get_cookie(SESSION).value


def replay(app, cookie: str):
    """A fresh browser that presents a saved session cookie."""
    other = app.test_client()
    other.set_cookie(SESSION, cookie)
    return other.get("/queue")


def test_a_cookie_saved_before_logout_opens_nothing(app, mod_client):
    cookie = saved_cookie(mod_client)
    assert replay(app, cookie).status_code == 200
    mod_client.post("/logout", data={"csrf_token": token_of(mod_client)})
    response = replay(app, cookie)
    assert response.status_code == 302 and response.headers["Location"].startswith("/login")


def test_a_password_change_ends_earlier_sessions(app, mod_client, moderator, runner):
    cookie = saved_cookie(mod_client)
    result = runner.invoke(args=["users", "set-password", moderator.email, "--password",
                                 "a new long password 7"])
    assert result.exit_code == 0, result.output
    assert replay(app, cookie).status_code == 302
    assert mod_client.get("/queue").status_code == 302


def test_disabling_ends_sessions_for_good(app, mod_client, moderator, admin):
    cookie = saved_cookie(mod_client)
    set_active(db.session, moderator.id, False, actor=admin)
    set_active(db.session, moderator.id, True, actor=admin)
    assert replay(app, cookie).status_code == 302
    fresh = app.test_client()
    assert sign_in(fresh, moderator.email).status_code == 302  # re-enabled: may sign in


def test_an_admin_signs_a_user_out_everywhere(app, mod_client, moderator, admin_client):
    cookie = saved_cookie(mod_client)
    page = admin_client.get("/admin/users").get_data(as_text=True)
    assert f'action="/admin/users/{moderator.id}/sign-out"' in page
    response = admin_client.post(f"/admin/users/{moderator.id}/sign-out",
                                 data={"csrf_token": csrf_from(page)})
    assert response.status_code == 302
    assert replay(app, cookie).status_code == 302
    assert mod_client.get("/queue").status_code == 302
    assert admin_client.get("/queue").status_code == 200  # the admin's own session stays


def test_a_user_signs_out_everywhere(app, mod_client, moderator):
    other_device = app.test_client()
    assert sign_in(other_device, moderator.email).status_code == 302
    mod_client.post("/logout", data={"csrf_token": token_of(mod_client), "everywhere": "1"})
    assert other_device.get("/queue").status_code == 302


@pytest.mark.parametrize("key,hours", [("seen_at", 8.1), ("signed_in_at", 24 * 7 + 0.1)])
def test_sessions_end_after_8_idle_hours_or_7_days(app, mod_client, key, hours):
    with mod_client.session_transaction() as session:
        assert key in session
        session[key] = time.time() - hours * 3600
    response = mod_client.get("/queue")
    assert response.status_code == 302 and response.headers["Location"].startswith("/login")
    # The ended session is not revived by its cookie either.
    assert mod_client.get("/queue").status_code == 302


def test_an_active_session_is_kept(app, mod_client):
    with mod_client.session_transaction() as session:
        session["seen_at"] = time.time() - 7.9 * 3600
        session["signed_in_at"] = time.time() - (24 * 7 - 0.5) * 3600
    assert mod_client.get("/queue").status_code == 200
    with mod_client.session_transaction() as session:
        assert time.time() - session["seen_at"] < 60  # activity renews the idle clock
