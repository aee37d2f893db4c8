"""Issue 14, finding 6: sign-in limits are shared by every worker (kept in the database),
slow a guesser down per account and address (an exponential delay) instead of locking the
account, and cap the failures of one address."""
from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa

from moderation.db import write_transaction
from moderation.extensions import db
from moderation.models import LoginThrottle
from tests.dashboard.conftest import PASSWORD, csrf_from

ATTACKER, READER = "203.0.113.9", "198.51.100.7"


def attempt(client, email: str, password: str, address: str):
    env = {"REMOTE_ADDR": address}
    token = csrf_from(client.get("/login", environ_base=env).get_data(as_text=True))
    return client.post("/login", data={"email": email, "password": password,
                                       "csrf_token": token}, environ_base=env)


def test_two_workers_share_the_count(app_factory, moderator):
    """Two apps stand for two worker processes (each has its own memory)."""
    workers = [app_factory(LOGIN_FREE_ATTEMPTS=3).test_client() for _ in range(2)]
    statuses = [attempt(workers[i % 2], moderator.email, "wrong password!", ATTACKER)
                .status_code for i in range(4)]
    assert statuses == [401, 401, 401, 429]


def test_a_guesser_cannot_lock_the_owner_out(app_factory, moderator):
    app = app_factory(LOGIN_FREE_ATTEMPTS=3)
    attacker, owner = app.test_client(), app.test_client()
    for _ in range(6):
        last = attempt(attacker, moderator.email, "wrong password!", ATTACKER)
    assert last.status_code == 429 and int(last.headers["Retry-After"]) >= 1
    assert attempt(owner, moderator.email, PASSWORD, READER).status_code == 302


def test_the_delay_doubles_with_each_failure_and_a_success_resets_it(app_factory, moderator):
    app = app_factory(LOGIN_FREE_ATTEMPTS=2, LOGIN_DELAY_BASE_SECONDS=1)
    client, email = app.test_client(), moderator.email
    waits, key = [], None
    for _ in range(4):
        answer = attempt(client, email, "wrong password!", ATTACKER)
        assert answer.status_code == 401  # each attempt made after the wait
        db.session.rollback()  # a fresh read, not this session's older snapshot
        row = db.session.scalar(sa.select(LoginThrottle).where(
            LoginThrottle.key.like("pair:%")))
        key = row.key
        if row.blocked_until:
            waits.append(round((row.blocked_until - row.updated_at).total_seconds()))
            blocked = attempt(client, email, PASSWORD, ATTACKER)
            assert blocked.status_code == 429  # even the right password waits
            with write_transaction(db.session):  # the wait passes
                row = db.session.get(LoginThrottle, key)
                row.blocked_until -= timedelta(hours=1)
        db.session.remove()
    assert waits == [1, 2, 4]
    assert attempt(client, email, PASSWORD, ATTACKER).status_code == 302
    db.session.remove()
    assert db.session.get(LoginThrottle, key) is None


def test_one_address_is_capped_across_accounts(app_factory, moderator):
    app = app_factory(LOGIN_ADDRESS_MAX_FAILURES=3)
    client = app.test_client()
    statuses = [attempt(client, f"u{i}@example.org", "wrong password!", ATTACKER).status_code
                for i in range(4)]
    assert statuses == [401, 401, 401, 429]
    assert attempt(client, moderator.email, PASSWORD, READER).status_code == 302
