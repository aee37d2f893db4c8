"""The calls that authenticate by signature or key alone (webhook, Perspective, Coral) do no
session-cookie work: a browser's session cookie sent along is neither read nor rewritten,
while the dashboard and the suggestions API (under /api/v1 too) keep their session."""
from __future__ import annotations

from moderation.extensions import db
from tests.helpers import comment


def test_a_webhook_delivery_does_no_session_work(client, site):
    from tests.dashboard.conftest import add_user, sign_in
    add_user("mod@example.org")
    assert sign_in(client, "mod@example.org").status_code == 302
    r = site.post(client, comment("c1"))
    assert r.status_code == 200, r.get_data(as_text=True)
    assert "Set-Cookie" not in r.headers
    assert "Cookie" not in r.headers.get("Vary", "")
    # The session itself still works where a session is the way in.
    assert client.get("/queue").status_code == 200
    assert client.get("/api/v1/comments/1/suggestions").status_code in (200, 404)


def test_an_invited_user_cookie_does_not_redirect_a_webhook_delivery(client, site):
    """The set-password redirect applies to a user's own requests; a delivery is the site's."""
    from tests.dashboard.conftest import add_user, sign_in
    user = add_user("new@example.org")
    assert sign_in(client, "new@example.org").status_code == 302
    user.must_set_password = True
    db.session.commit()
    assert client.get("/queue").status_code == 302  # the user is sent to set a password
    assert site.post(client, comment("c2")).status_code == 200


def test_unknown_paths_under_the_sessionless_prefixes_are_404_not_500(client):
    """Their HTML error page writes a CSRF token into the session: it must not fail there."""
    from tests.dashboard.conftest import add_user, sign_in
    paths = ["/integrations/nothing", "/v1alpha1/nothing", "/api/v1/sites/x/comments",
             "/integrations/coral/sites/x/phase"]
    anonymous = [client.get(path).status_code for path in paths]
    add_user("mod@example.org")
    assert sign_in(client, "mod@example.org").status_code == 302
    signed_in = [client.get(path) for path in paths]
    assert anonymous == [404, 404, 405, 405]
    assert [r.status_code for r in signed_in] == [404, 404, 405, 405]
    assert not any("Set-Cookie" in r.headers for r in signed_in)
