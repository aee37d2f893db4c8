"""Issue 14, finding 7: a signed-in user changes their own password at /account/password
(the current one re-entered, the new one as strong as anywhere else); it ends their other
sessions, keeps this one, and is audited without the password."""
from __future__ import annotations

import json
import re

import sqlalchemy as sa

from moderation.extensions import db
from moderation.models import AuditEvent, User
from tests.dashboard.conftest import PASSWORD, csrf_from, sign_in

URL = "/account/password"
NEW = "violet kettle orbit 9"


def change(client, current=PASSWORD, new=NEW, confirm=None):
    token = csrf_from(client.get(URL).get_data(as_text=True))
    return client.post(URL, data={"csrf_token": token, "current_password": current,
                                  "new_password": new,
                                  "confirm_password": new if confirm is None else confirm})


def error_beside(html: str, field: str) -> str:
    """The error text shown right after `field`'s input (empty when none)."""
    match = re.search(rf'id="{field}"[^>]*>\s*<p class="field-error" id="{field}-error">'
                      r"([^<]*)</p>", html)
    return match.group(1) if match else ""


def test_the_settings_page_links_to_the_password_form(mod_client):
    assert f'href="{URL}"' in mod_client.get("/settings").get_data(as_text=True)
    page = mod_client.get(URL).get_data(as_text=True)
    assert 'name="csrf_token"' in page and 'id="current_password"' in page


def test_a_user_changes_their_password(app, mod_client, moderator):
    other_device = app.test_client()
    assert sign_in(other_device, moderator.email).status_code == 302
    response = change(mod_client)
    assert response.status_code == 302, response.get_data(as_text=True)
    assert mod_client.get("/queue").status_code == 200       # this session goes on
    assert other_device.get("/queue").status_code == 302     # the others end
    assert sign_in(app.test_client(), moderator.email).status_code == 401
    assert sign_in(app.test_client(), moderator.email, NEW).status_code == 302
    event = db.session.scalar(sa.select(AuditEvent)
                              .where(AuditEvent.action == "user.change_password"))
    assert event.actor == moderator.email and event.target_id == str(moderator.id)
    every_detail = json.dumps([e.details for e in db.session.scalars(sa.select(AuditEvent))])
    assert NEW not in every_detail and PASSWORD not in every_detail


def test_a_wrong_current_password_is_shown_beside_its_field(app, mod_client, moderator):
    other_device = app.test_client()
    sign_in(other_device, moderator.email)
    response = change(mod_client, current="not my password at all")
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "not your current password" in error_beside(html, "current_password")
    assert NEW not in html and "not my password at all" not in html  # never echoed back
    assert other_device.get("/queue").status_code == 200     # nothing changed
    assert sign_in(app.test_client(), moderator.email).status_code == 302


def test_a_weak_or_mistyped_new_password_is_refused(app, mod_client, moderator):
    weak = change(mod_client, new="password1234", confirm="password1234")
    assert weak.status_code == 422
    assert "too easy to guess" in error_beside(weak.get_data(as_text=True), "new_password")
    mistyped = change(mod_client, new=NEW, confirm=NEW + "x")
    assert mistyped.status_code == 422
    assert "do not match" in error_beside(mistyped.get_data(as_text=True),
                                          "confirm_password")
    same = change(mod_client, new=PASSWORD, confirm=PASSWORD)
    assert same.status_code == 422
    assert "different" in error_beside(same.get_data(as_text=True), "new_password")
    assert sign_in(app.test_client(), moderator.email).status_code == 302


def test_the_form_needs_its_csrf_token(app, mod_client, moderator):
    response = mod_client.post(URL, data={"current_password": PASSWORD,
                                          "new_password": NEW, "confirm_password": NEW})
    assert response.status_code == 400
    user = db.session.get(User, moderator.id)
    db.session.refresh(user)
    assert user.check_password(PASSWORD)


def test_guessing_the_current_password_is_slowed_like_sign_in(app_factory):
    from tests.dashboard.conftest import add_user
    app = app_factory(LOGIN_FREE_ATTEMPTS=2, LOGIN_DELAY_BASE_SECONDS=60)
    with app.app_context():
        user = add_user("slow@example.org")
        client = app.test_client()
        assert sign_in(client, user.email).status_code == 302
        codes = [change(client, current=f"guess number {i}").status_code for i in range(3)]
        assert codes == [422, 422, 429]
        # while it waits, even the right password is not checked, and nothing changes
        assert change(client).status_code == 429
        db.session.refresh(user)
        assert user.check_password(PASSWORD)
