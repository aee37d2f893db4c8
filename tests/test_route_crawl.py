"""Every route in the URL map, as anonymous, moderator and admin: never a 500; admin pages
refuse moderators (403); anonymous visitors go to /login (pages) or get 401 (API)."""
from __future__ import annotations

import pytest
import sqlalchemy as sa

from moderation.extensions import db
from moderation.models import Comment
from tests.dashboard.conftest import add_user, make_item, sign_in

# Reachable without signing in; they answer for themselves (signature, or nothing to hide).
PUBLIC = {"auth.login", "static", "healthz", "api.openapi_document", "api.receive_comments",
          "perspective.discovery"}
# Answer for themselves as their contracts say: Perspective's 403 for a missing key, Coral's
# phase 401 for a missing signature.
SELF_AUTHENTICATING = {"perspective.analyze": 403, "perspective.suggest_score": 403,
                       "coral.phase": 401}


def _value(name: str, converter: str, ids: dict) -> str:
    if converter == "IntegerConverter":
        return str(ids.get(name, ids["item_id"]))
    return {"site": ids["site"], "slug": ids["site"], "name": "flags-per-day",
            "filename": "app.css"}.get(name, "x")


def _requests(app, ids):
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: (r.endpoint == "auth.logout",
                                                                  r.rule)):
        values = {arg: _value(arg, type(rule._converters[arg]).__name__, ids)
                  for arg in rule.arguments}
        with app.test_request_context():
            from flask import url_for
            url = url_for(rule.endpoint, **values)
        for method in sorted((rule.methods or set()) - {"HEAD", "OPTIONS"}):
            yield rule, method, url


@pytest.fixture
def crawl_app(app_factory, site):
    app = app_factory(WTF_CSRF_ENABLED=False, LOGIN_RATE_LIMIT_ADDRESS="10000 per minute")
    with app.app_context():
        admin = add_user("crawl-admin@example.org", "admin")
        moderator = add_user("crawl-mod@example.org")
        item = make_item(site.slug, "<script>alert(1)</script> nobody would miss me",
                         ["crisis"])
        comment_id = db.session.scalar(sa.select(Comment.id))
        ids = {"item_id": item.id, "user_id": moderator.id, "comment_id": comment_id,
               "site": site.slug}
        yield app, ids, admin, moderator


def _client(app, email=None):
    client = app.test_client()
    if email:
        assert sign_in(client, email).status_code == 302
    return client


@pytest.mark.parametrize("role", ["anonymous", "moderator", "admin"])
def test_every_route_for_every_role(crawl_app, role):
    app, ids, admin, moderator = crawl_app
    email = {"anonymous": None, "moderator": moderator.email, "admin": admin.email}[role]
    client = _client(app, email)
    problems = []
    seen = 0
    for rule, method, url in _requests(app, ids):
        seen += 1
        response = client.open(url, method=method, data={})
        status = response.status_code
        where = f"{role} {method} {url} -> {status}"
        if status >= 500:
            problems.append(where)
        elif role == "anonymous" and rule.endpoint in SELF_AUTHENTICATING:
            if status != SELF_AUTHENTICATING[rule.endpoint]:
                problems.append(where + f" (expected {SELF_AUTHENTICATING[rule.endpoint]})")
        elif role == "anonymous" and rule.endpoint not in PUBLIC:
            if url.startswith("/api/"):
                if status != 401:
                    problems.append(where + " (expected 401)")
            elif status != 302 or not response.headers["Location"].startswith("/login"):
                problems.append(where + " (expected a redirect to /login)")
        elif role == "moderator" and url.startswith("/admin"):
            if status != 403:
                problems.append(where + " (expected 403)")
        if rule.endpoint == "auth.logout" and email:
            client = _client(app, email)
    assert seen >= 25  # the dashboard's, the API's and the export's routes
    assert not problems, "\n".join(problems)
