"""Issue 14, finding 7: an invited user signs in with the invitation's temporary password and
must choose their own before any other page opens."""
from __future__ import annotations

import re

import sqlalchemy as sa

from moderation.extensions import db
from moderation.models import User
from tests.dashboard.conftest import csrf_from, sign_in, token_of

URL = "/account/password"
OWN = "violet kettle orbit 9"


def invite(admin_client, email="new.mod@example.org") -> str:
    response = admin_client.post("/admin/users", data={
        "csrf_token": token_of(admin_client), "email": email, "role": "moderator"})
    return re.search(r'id="invite-password">([^<]+)<',
                     response.get_data(as_text=True)).group(1)


def choose(client, new, confirm=None):
    token = csrf_from(client.get(URL).get_data(as_text=True))
    return client.post(URL, data={"csrf_token": token, "new_password": new,
                                  "confirm_password": new if confirm is None else confirm})


def test_an_invited_user_is_sent_to_choose_a_password_from_every_page(app, admin_client,
                                                                      site):
    temporary = invite(admin_client)
    user = db.session.scalar(sa.select(User).where(User.email == "new.mod@example.org"))
    assert user.must_set_password
    client = app.test_client()
    assert sign_in(client, user.email, temporary).status_code == 302
    for path in ("/queue", "/settings", "/stats", "/queue/poll?after=0",
                 "/api/v1/comments/1/suggestions"):
        response = client.get(path)
        assert response.status_code == 302, path
        assert response.headers["Location"] == URL, path
    bulk = client.post("/queue/bulk", data={"csrf_token": csrf_from(
        client.get(URL).get_data(as_text=True)), "action": "approve", "item_ids": "1"})
    assert bulk.status_code == 302 and bulk.headers["Location"] == URL
    page = client.get(URL)
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert 'id="new_password"' in html and 'id="current_password"' not in html


def test_the_chosen_password_opens_the_dashboard_and_the_temporary_one_no_more(
        app, admin_client):
    temporary = invite(admin_client)
    client = app.test_client()
    sign_in(client, "new.mod@example.org", temporary)
    again = choose(client, temporary)
    assert again.status_code == 422 and "different" in again.get_data(as_text=True)
    weak = choose(client, "password1234")
    assert weak.status_code == 422 and "too easy to guess" in weak.get_data(as_text=True)
    assert client.get("/queue").status_code == 302  # still waiting for a password
    chosen = choose(client, OWN)
    assert chosen.status_code == 302 and chosen.headers["Location"] == "/queue"
    assert client.get("/queue").status_code == 200
    user = db.session.scalar(sa.select(User).where(User.email == "new.mod@example.org"))
    db.session.refresh(user)
    assert not user.must_set_password
    assert sign_in(app.test_client(), user.email, temporary).status_code == 401
    assert sign_in(app.test_client(), user.email, OWN).status_code == 302


def test_an_invited_user_may_sign_out_without_choosing(app, admin_client):
    temporary = invite(admin_client)
    client = app.test_client()
    sign_in(client, "new.mod@example.org", temporary)
    token = csrf_from(client.get(URL).get_data(as_text=True))
    response = client.post("/logout", data={"csrf_token": token})
    assert response.status_code == 302 and response.headers["Location"] == "/login"
    assert client.get(URL).status_code == 302  # signed out: the form needs a sign-in


def test_accounts_made_with_a_chosen_password_are_not_held(app, mod_client, runner):
    assert mod_client.get("/queue").status_code == 200
    result = runner.invoke(args=["users", "create", "cli.admin@example.org", "--role",
                                 "admin", "--password", OWN])
    assert result.exit_code == 0, result.output
    client = app.test_client()
    assert sign_in(client, "cli.admin@example.org", OWN).status_code == 302
    assert client.get("/queue").status_code == 200
