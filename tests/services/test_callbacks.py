"""Decision callbacks: outbox written with the decision, signed delivery to a real local
HTTP server, retries after the receiver fails, delivered once after it recovers."""
from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import sqlalchemy as sa

from moderation.db import write_transaction
from moderation.extensions import app_settings, db
from moderation.models import CallbackOutbox, Decision, ReviewItem, Site
from moderation.services.callbacks import deliver_due, enqueue_decision
from moderation.signing import verify
from tests.helpers import comment

SCHEDULE = (0, 0, 0)  # retry at once in tests; the real schedule waits minutes to hours


class Receiver:
    """A publisher's site: answers `status` and records what it receives."""

    def __init__(self):
        self.status = 200
        self.received: list[tuple[dict, dict]] = []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802
                body = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.received.append((dict(self.headers), body))
                self.send_response(receiver.status)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/moderation-callback"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver():
    r = Receiver()
    yield r
    r.close()


def decide(site_slug: str, external_id: str, action: str, reply: str | None = None) -> int:
    with write_transaction(db.session) as session:
        item = session.scalar(sa.select(ReviewItem).join(ReviewItem.comment)
                              .where(ReviewItem.comment.has(external_id=external_id)))
        decision = Decision(review_item=item, action=action, reply_text=reply)
        session.add(decision)
        session.flush()
        enqueue_decision(session, decision)
        return decision.id


@pytest.fixture
def flagged(client, site, receiver):
    with write_transaction(db.session) as session:
        session.scalar(sa.select(Site).where(Site.slug == site.slug)).callback_url = receiver.url
    r = site.post(client, comment("cb1", "You are a stupid idiot, shut up."))
    assert r.get_json()["comments"][0]["status"] == "queued"
    return site


def test_decision_is_delivered_signed(flagged, receiver):
    decide(flagged.slug, "cb1", "hide")
    report = deliver_due(db.session, app_settings(), schedule=SCHEDULE)
    assert report.delivered == 1
    [(headers, body)] = receiver.received
    assert verify({k.lower(): v for k, v in headers.items()}, body, [flagged.callback_secret])
    payload = json.loads(body)
    assert payload["type"] == "comment.decision"
    assert payload["data"]["external_id"] == "cb1" and payload["data"]["action"] == "hide"


def test_reply_text_travels_with_a_replied_decision(flagged, receiver):
    decide(flagged.slug, "cb1", "replied", reply="Please be kind to each other here.")
    deliver_due(db.session, app_settings(), schedule=SCHEDULE)
    data = json.loads(receiver.received[0][1])["data"]
    assert data["reply_text"] == "Please be kind to each other here."


def test_internal_decisions_are_not_sent(flagged, receiver):
    decide(flagged.slug, "cb1", "escalate")
    assert deliver_due(db.session, app_settings(), schedule=SCHEDULE).delivered == 0
    assert receiver.received == []


def test_retried_after_failure_and_delivered_once_after_recovery(flagged, receiver):
    decide(flagged.slug, "cb1", "approve")
    receiver.status = 500
    first = deliver_due(db.session, app_settings(), schedule=SCHEDULE)
    second = deliver_due(db.session, app_settings(), schedule=SCHEDULE)
    assert (first.retried, second.retried) == (1, 1)
    row = db.session.scalar(sa.select(CallbackOutbox))
    assert row.attempts == 2 and row.last_error == "HTTP 500" and row.delivered_at is None
    receiver.status = 204
    assert deliver_due(db.session, app_settings(), schedule=SCHEDULE).delivered == 1
    assert deliver_due(db.session, app_settings(), schedule=SCHEDULE).delivered == 0  # never twice
    assert len(receiver.received) == 3
    ids = {h["webhook-id"] for h, _ in receiver.received}
    assert ids == {f"decision_{row.decision_id}"}  # one id: the site can deduplicate


def test_unreachable_receiver_is_retried_then_marked_failed(flagged, receiver):
    decide(flagged.slug, "cb1", "hide")
    receiver.close()
    for _ in range(len(SCHEDULE)):
        assert deliver_due(db.session, app_settings(), schedule=SCHEDULE).retried == 1
    assert deliver_due(db.session, app_settings(), schedule=SCHEDULE).failed == 1
    row = db.session.scalar(sa.select(CallbackOutbox))
    assert row.failed_at is not None and "Error" in row.last_error


def test_backoff_waits_before_the_next_attempt(flagged, receiver):
    decide(flagged.slug, "cb1", "hide")
    receiver.status = 503
    assert deliver_due(db.session, app_settings(), schedule=(3600,)).retried == 1
    assert deliver_due(db.session, app_settings(),
                       schedule=(3600,)).retried == 0  # not due for an hour
    assert len(receiver.received) == 1


def test_no_outbox_row_without_a_callback_url(client, site):
    site.post(client, comment("cb2", "You are a stupid idiot, shut up."))
    decide(site.slug, "cb2", "hide")
    assert db.session.scalar(sa.select(sa.func.count()).select_from(CallbackOutbox)) == 0


def test_failures_are_visible_to_admins(app, flagged, receiver):
    from moderation.services.users import create_user
    from tests.dashboard.conftest import PASSWORD, sign_in
    decide(flagged.slug, "cb1", "hide")
    receiver.status = 500
    deliver_due(db.session, app_settings(), schedule=SCHEDULE)
    create_user(db.session, "admin@example.org", PASSWORD, "admin")
    create_user(db.session, "mod@example.org", PASSWORD, "moderator")
    admin = app.test_client()
    sign_in(admin, "admin@example.org")
    page = admin.get("/admin/callbacks?problems=1").get_data(as_text=True)
    assert "HTTP 500" in page and "pending" in page
    moderator = app.test_client()
    sign_in(moderator, "mod@example.org")
    assert moderator.get("/admin/callbacks").status_code == 403
