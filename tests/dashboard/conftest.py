"""Dashboard fixtures: users, a signed-in client per role, and queue items made directly
(so the tests do not depend on how the tone engine scores a given sentence)."""
from __future__ import annotations

import re
from datetime import timedelta
from itertools import count

import pytest
from flask.testing import FlaskClient
from werkzeug.security import generate_password_hash

from moderation import policy
from moderation.db import utcnow, write_transaction
from moderation.extensions import db
from moderation.models import Analysis, Comment, ReviewItem, Site, User

PASSWORD = "correct horse battery"
DEADLINES = policy.deadlines()
_ids = count(1)


def csrf_from(html: str) -> str:
    match = re.search(r'name="csrf-token" content="([^"]+)"', html) or \
        re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html)
    assert match, "no CSRF token in the page"
    return match.group(1)


def sign_in(client: FlaskClient, email: str, password: str = PASSWORD):
    token = csrf_from(client.get("/login").get_data(as_text=True))
    return client.post("/login", data={"email": email, "password": password,
                                       "csrf_token": token})


def token_of(client: FlaskClient) -> str:
    return csrf_from(client.get("/queue").get_data(as_text=True))


# A cheap hash for test accounts (the service's default, scrypt, is slow on purpose).
FAST_HASH = generate_password_hash(PASSWORD, method="pbkdf2:sha256:1000")


def add_user(email: str, role: str = "moderator") -> User:
    with write_transaction(db.session):
        user = User(email=email, role=role, password_hash=FAST_HASH)
        db.session.add(user)
    return user


@pytest.fixture
def admin(app):
    return add_user("admin@example.org", "admin")


@pytest.fixture
def moderator(app):
    return add_user("mod@example.org")


@pytest.fixture
def moderator2(app):
    return add_user("mod2@example.org")


def _client(app, email):
    client = app.test_client()
    response = sign_in(client, email)
    assert response.status_code == 302, response.get_data(as_text=True)
    return client


@pytest.fixture
def admin_client(app, admin):
    return _client(app, admin.email)


@pytest.fixture
def mod_client(app, moderator):
    return _client(app, moderator.email)


@pytest.fixture
def mod2_client(app, moderator2):
    return _client(app, moderator2.email)


def make_item(site_slug: str, text: str, flags: list[str], *, evidence=None, age_minutes=1,
              article_url="https://news.example.org/ms/legs", article_title="MS and your legs",
              author="a1", parent=None, region="GB", state="open", scores=None) -> ReviewItem:
    """A stored comment with its analysis and (if flagged) queue item, as ingest makes them."""
    session = db.session
    n = next(_ids)
    with write_transaction(session):
        site = session.query(Site).filter_by(slug=site_slug).one()
        now = utcnow() - timedelta(minutes=age_minutes)
        comment = Comment(site_id=site.id, external_id=f"x{n}", content_sha256="0" * 64,
                          text=text, author_external_id=author, author_name=f"Reader {author}",
                          article_url=article_url, article_title=article_title,
                          parent_external_id=parent, region=region, language="en",
                          received_at=now)
        comment.analyses.append(Analysis(
            model_version="test", scores=scores or {f: 0.9 for f in flags}, flags=flags,
            tags=[], evidence=evidence or [], language="en", confidence=0.9, created_at=now))
        if flags:
            top = policy.most_urgent_first(flags)[0]
            comment.review_item = ReviewItem(
                site_id=site.id, state=state, urgency=policy.urgency(top),
                flags=flags,
                created_at=now, due_at=now + timedelta(minutes=DEADLINES[top]))
        session.add(comment)
        session.flush()
        item_id = comment.review_item.id if flags else None
        comment_id = comment.id
    return session.get(ReviewItem, item_id) if item_id else session.get(Comment, comment_id)


@pytest.fixture
def items(site):
    """A small queue: hostile (oldest), distress, crisis (newest), threat."""
    hostile = make_item(site.slug, "You are an idiot.", ["hostile"], age_minutes=120,
                        evidence=[{"start": 11, "end": 16, "label": "hostile",
                                   "reason": "insult aimed at a person"}])
    distress = make_item(site.slug, "I'm so tired and alone.", ["distress"], age_minutes=60,
                         author="a2")
    crisis = make_item(site.slug, "Everyone would be better off without me.", ["crisis"],
                       age_minutes=5, author="a3",
                       evidence=[{"start": 9, "end": 40, "label": "crisis",
                                  "reason": "feeling a burden to others"}])
    threat = make_item(site.slug, "Someone should hurt the author.", ["threat"], age_minutes=30,
                       author="a4")
    return {"hostile": hostile, "distress": distress, "crisis": crisis, "threat": threat}
