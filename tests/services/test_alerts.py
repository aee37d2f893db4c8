"""Alert planning and delivery as services, on the real database (SQLite and PostgreSQL):
which items alert, whom, once per item and event, and never with the reader's words."""
from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from moderation.db import utcnow
from moderation.errors import Invalid
from moderation.extensions import app_settings, db
from moderation.models import AlertOutbox, ReviewItem
from moderation.services import alerts
from tests.helpers import comment

CRISIS = "I can't go on anymore, I have decided to end my life tonight."
SETTINGS = alerts.AlertSettings(dashboard_url="https://mod.example.org", schedule=(0, 0))


@pytest.fixture
def alerting(site):
    alerts.configure_alerts(db.session, site.slug, emails=["on-call@example.org", ""],
                            chat_url="http://127.0.0.1:9/hook", on=["crisis", "threat"],
                            leads=["lead@example.org"])
    return site


def deliver(client, site, cid, text):
    r = site.post(client, comment(cid, text))
    assert r.status_code == 200, r.get_data(as_text=True)
    return r.get_json()["comments"][0]


def rows(**where) -> list[AlertOutbox]:
    db.session.rollback()
    query = sa.select(AlertOutbox).order_by(AlertOutbox.id)
    for key, value in where.items():
        query = query.where(getattr(AlertOutbox, key) == value)
    return list(db.session.scalars(query))


def test_a_crisis_item_alerts_each_recipient_once(client, alerting):
    result = deliver(client, alerting, "c1", CRISIS)
    deliver(client, alerting, "c2", "Thanks, this was a helpful article.")
    deliver(client, alerting, "c3", "You are an idiot and your opinion is worthless.")
    assert alerts.plan(db.session, SETTINGS) == 2
    assert alerts.plan(db.session, SETTINGS) == 0  # planned once
    sent = rows()
    assert {(r.event, r.channel, r.target) for r in sent} == {
        ("arrived", "email", "on-call@example.org"), ("arrived", "chat", "http://127.0.0.1:9/hook")}
    item = db.session.scalar(sa.select(ReviewItem).where(ReviewItem.comment_id == result["id"]))
    assert {r.review_item_id for r in sent} == {item.id}
    text = sent[0].payload["subject"] + sent[0].payload["text"]
    assert "crisis" in text and alerting.slug in text and "MS and your legs" in text
    assert f"https://mod.example.org/items/{item.id}" in text
    for private in ("decided to end", "Ann Reader", "ann@example.net", "a1"):
        assert private not in text.replace(f"/items/{item.id}", "")


def test_reminders_at_half_deadline_and_overdue_go_to_the_leads_once(client, alerting):
    deliver(client, alerting, "c1", CRISIS)
    alerts.plan(db.session, SETTINGS)
    item = db.session.scalar(sa.select(ReviewItem))
    now = utcnow()
    item.created_at, item.due_at = now - timedelta(minutes=9), now + timedelta(minutes=6)
    db.session.commit()
    assert alerts.plan(db.session, SETTINGS) == 2
    assert alerts.plan(db.session, SETTINGS) == 0
    half = rows(event="half_deadline")
    assert {r.target for r in half} == {"lead@example.org", "http://127.0.0.1:9/hook"}
    item = db.session.scalar(sa.select(ReviewItem))
    item.due_at = utcnow() - timedelta(minutes=1)
    db.session.commit()
    assert alerts.plan(db.session, SETTINGS) == 2
    assert alerts.plan(db.session, SETTINGS) == 0
    assert "OVERDUE" in rows(event="overdue")[0].payload["subject"]


def test_a_claimed_item_gets_no_half_deadline_reminder(client, alerting):
    deliver(client, alerting, "c1", CRISIS)
    from moderation.services.users import create_user
    user = create_user(db.session, "mod@example.org", "a-long-password-1", "moderator")
    item = db.session.scalar(sa.select(ReviewItem))
    now = utcnow()
    item.created_at, item.due_at = now - timedelta(minutes=9), now + timedelta(minutes=6)
    item.state, item.claimed_by_id = "claimed", user.id
    item.lease_expires_at = now + timedelta(minutes=2)
    db.session.commit()
    alerts.plan(db.session, SETTINGS)
    assert rows(event="half_deadline") == [] and len(rows(event="arrived")) == 2


def test_sites_without_alerts_or_flags_not_chosen_get_none(client, site):
    deliver(client, site, "c1", CRISIS)
    assert alerts.plan(db.session, SETTINGS) == 0
    alerts.configure_alerts(db.session, site.slug, emails=["x@example.org"], on=["threat"])
    assert alerts.plan(db.session, SETTINGS) == 0  # crisis is not among this site's flags


def test_delivery_retries_then_succeeds_once(client, alerting):
    deliver(client, alerting, "c1", CRISIS)
    calls = {"email": [], "chat": []}

    def email(settings, to, subject, text, message_id):
        calls["email"].append(to)
        if len(calls["email"]) <= 2:
            raise OSError("connection refused")

    def chat(url, text):
        calls["chat"].append(url)

    first = alerts.run_once(db.session, SETTINGS, email=email, chat=chat)
    assert (first.planned, first.delivered, first.retried) == (2, 1, 1)
    second = alerts.run_once(db.session, SETTINGS, email=email, chat=chat)
    assert (second.delivered, second.retried, second.failed) == (0, 1, 0)
    third = alerts.run_once(db.session, SETTINGS, email=email, chat=chat)
    assert third.delivered == 1
    assert alerts.run_once(db.session, SETTINGS, email=email, chat=chat).delivered == 0
    assert calls == {"email": ["on-call@example.org"] * 3, "chat": ["http://127.0.0.1:9/hook"]}
    [mail] = rows(channel="email")
    assert mail.attempts == 3 and mail.delivered_at and mail.last_error is None


def test_failure_after_the_schedule_is_shown(client, alerting):
    deliver(client, alerting, "c1", CRISIS)

    def down(*args):
        raise OSError("no route to host")

    for _ in range(3):
        alerts.run_once(db.session, SETTINGS, email=down, chat=down)
    failed = alerts.outbox_rows(db.session, problems_only=True)
    assert len(failed) == 2 and all(r.failed_at and "no route" in r.last_error for r in failed)


@pytest.mark.parametrize("kwargs, message", [
    ({"emails": ["not-an-address"]}, "e-mail"),
    ({"emails": ["a@example.org"], "chat_url": "ftp://x"}, "http(s)"),
    ({"emails": ["a@example.org"], "on": ["sadness"]}, "--on"),
])
def test_settings_are_checked(site, kwargs, message):
    with pytest.raises(Invalid) as error:
        alerts.configure_alerts(db.session, site.slug, **kwargs)
    assert message in error.value.message


def test_alerts_command(runner, site):
    r = runner.invoke(args=["sites", "alerts", site.slug, "--email", "a@example.org,b@example.org",
                            "--chat-url", "https://chat.example.org/hooks/x", "--on", "crisis"])
    assert r.exit_code == 0, r.output
    assert "alerts on crisis to 2 address(es), chat" in r.output
    r = runner.invoke(args=["sites", "alerts", site.slug])
    assert "alerts off" in r.output
    r = runner.invoke(args=["alerts", "deliver", "--once"])
    assert r.exit_code == 0 and "planned 0" in r.output


def test_a_stopping_worker_hands_back_what_it_claimed_but_did_not_send(client, alerting):
    for i in range(3):
        deliver(client, alerting, f"c{i}", f"{CRISIS} ({i})")
    assert alerts.plan(db.session, SETTINGS) == 6
    sent = []
    delivered, _, _ = alerts.deliver_due(
        db.session, SETTINGS, email=lambda *a: sent.append(a[1]),
        chat=lambda url, text: sent.append(url), should_stop=lambda: len(sent) >= 2)
    assert delivered == 2
    waiting = rows(delivered_at=None)
    assert len(waiting) == 4 and all(r.next_attempt_at <= utcnow() for r in waiting)
    assert all(r.attempts == 0 for r in waiting)  # handed back, not counted as a failure
    # the next worker sends them at once
    assert alerts.deliver_due(db.session, SETTINGS, email=lambda *a: None,
                              chat=lambda *a: None)[0] == 4


def test_an_escalation_tells_the_leads_whatever_the_flag(client, alerting):
    from moderation.services import queue
    from moderation.services.users import create_user

    result = deliver(client, alerting, "c1", "You are an idiot and your opinion is worthless.")
    mod = create_user(db.session, "mod@example.org", "a-long-password-1", "moderator")
    item = db.session.scalar(sa.select(ReviewItem).where(ReviewItem.comment_id == result["id"]))
    assert "crisis" not in item.flags and "threat" not in item.flags
    assert alerts.plan(db.session, SETTINGS) == 0  # hostile: not among the site's flags
    queue.decide(db.session, app_settings(), item.id, mod, "escalate", reason="repeated harassment")
    assert alerts.plan(db.session, SETTINGS) == 2
    assert alerts.plan(db.session, SETTINGS) == 0
    escalated = rows(event="escalated")
    assert {r.target for r in escalated} == {"lead@example.org", "http://127.0.0.1:9/hook"}
    assert "Escalated" in escalated[0].payload["subject"]
    assert "repeated harassment" not in escalated[0].payload["text"]  # nor the reason's words
    item = db.session.get(ReviewItem, item.id)
    item.due_at = utcnow() - timedelta(minutes=1)
    db.session.commit()
    assert alerts.plan(db.session, SETTINGS) == 2
    assert "OVERDUE escalated" in rows(event="escalation_late")[0].payload["subject"]
