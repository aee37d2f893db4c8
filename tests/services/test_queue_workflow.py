"""The moderators' workflow for care, at the service level, on the real database (SQLite, or
PostgreSQL with DATABASE_URL): leases (claim by acting, heartbeat, expiry, takeover,
release), escalation, undo and reopen."""
from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from moderation.db import utcnow, write_transaction
from moderation.errors import Conflict, Forbidden
from moderation.extensions import app_settings, db
from moderation.models import AuditEvent, Decision, ReviewItem
from moderation.services import queue as service
from tests.dashboard.conftest import add_user, make_item


@pytest.fixture
def people(app):
    return {"mod": add_user("mod@example.org"), "mod2": add_user("mod2@example.org"),
            "lead": add_user("lead@example.org", "lead"),
            "admin": add_user("admin@example.org", "admin")}


@pytest.fixture
def crisis(site):
    return make_item(site.slug, "I have enough pills saved up now. Tonight is the night.",
                     ["crisis", "distress"], age_minutes=2)


@pytest.fixture
def hostile(site):
    return make_item(site.slug, "You are an idiot.", ["hostile"], age_minutes=30)


def fresh(item_id: int) -> ReviewItem:
    db.session.expire_all()
    return db.session.get(ReviewItem, item_id)


def audits(action: str) -> list[AuditEvent]:
    return list(db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == action)
                                   .order_by(AuditEvent.id)))


def expire_lease(item_id: int, seconds_ago: int = 1) -> None:
    with write_transaction(db.session):
        db.session.get(ReviewItem, item_id).lease_expires_at = \
            utcnow() - timedelta(seconds=seconds_ago)


# ------------------------------------------------------------------------------ leases

def test_reading_does_not_claim_and_acting_claims_a_short_lease(app, people, crisis):
    access = service.access(db.session, fresh(crisis.id), people["mod"])
    assert access.can_decide and not access.mine and access.holder is None
    assert fresh(crisis.id).state == "open"
    expires = service.claim(db.session, app_settings(), crisis.id, people["mod"])
    item = fresh(crisis.id)
    assert item.state == "claimed" and item.claimed_by_id == people["mod"].id
    assert 115 <= (expires - utcnow()).total_seconds() <= 120
    assert service.access(db.session, item, people["mod"]).mine
    other = service.access(db.session, item, people["mod2"])
    assert other.holder == "mod@example.org" and not other.can_decide
    assert not other.can_take_over  # a moderator cannot take over


def test_heartbeat_renews_the_lease_and_keeps_others_out(app, people, crisis):
    service.claim(db.session, app_settings(), crisis.id, people["mod"])
    expire_lease(crisis.id, seconds_ago=-10)  # 10 s left
    renewed = service.renew_lease(db.session, app_settings(), crisis.id, people["mod"])
    assert (renewed - utcnow()).total_seconds() > 100
    with pytest.raises(Conflict, match="mod@example.org is working on this item"):
        service.renew_lease(db.session, app_settings(), crisis.id, people["mod2"])
    with pytest.raises(Conflict):
        service.claim(db.session, app_settings(), crisis.id, people["mod2"])
    with pytest.raises(Conflict):
        service.decide(db.session, app_settings(), crisis.id, people["mod2"], "hide")


def test_an_expired_lease_frees_the_item_at_once(app, people, crisis):
    service.claim(db.session, app_settings(), crisis.id, people["mod"])
    expire_lease(crisis.id)
    # even before the sweep, the lapsed claim does not keep another moderator out
    assert service.access(db.session, fresh(crisis.id), people["mod2"]).can_decide
    assert service.release_expired(db.session) == 1
    item = fresh(crisis.id)
    assert (item.state, item.claimed_by_id, item.lease_expires_at) == ("open", None, None)
    service.claim(db.session, app_settings(), crisis.id, people["mod2"])
    assert fresh(crisis.id).claimed_by_id == people["mod2"].id
    # the first moderator's page beats again: it learns who has the item
    with pytest.raises(Conflict, match="mod2@example.org"):
        service.renew_lease(db.session, app_settings(), crisis.id, people["mod"])


def test_release_on_close_frees_the_item_and_only_for_its_holder(app, people, crisis):
    service.claim(db.session, app_settings(), crisis.id, people["mod"])
    assert service.release(db.session, crisis.id, people["mod2"]) is False
    assert fresh(crisis.id).claimed_by_id == people["mod"].id
    assert service.release(db.session, crisis.id, people["mod"]) is True
    assert fresh(crisis.id).state == "open"
    assert service.claim_next(db.session, app_settings(), people["mod2"]).id == crisis.id


def test_a_lead_or_an_admin_takes_over_a_held_item(app, people, crisis):
    service.claim(db.session, app_settings(), crisis.id, people["mod"])
    with pytest.raises(Forbidden):
        service.take_over(db.session, app_settings(), crisis.id, people["mod2"])
    assert service.access(db.session, fresh(crisis.id), people["lead"]).can_take_over
    assert service.take_over(db.session, app_settings(), crisis.id,
                             people["admin"]) == "mod@example.org"
    assert fresh(crisis.id).claimed_by_id == people["admin"].id
    with pytest.raises(Conflict, match="admin@example.org is working on this item"):
        service.renew_lease(db.session, app_settings(), crisis.id,
                            people["mod"])  # the holder's heartbeat
    assert service.take_over(db.session, app_settings(), crisis.id,
                             people["lead"]) == "admin@example.org"
    assert [e.details["from"] for e in audits("item.taken_over")] == [
        "mod@example.org", "admin@example.org"]


def test_claimed_and_escalated_crisis_items_still_count(app, people, crisis, site):
    other = make_item(site.slug, "Nobody would miss me.", ["crisis"])
    third = make_item(site.slug, "I want to disappear for good.", ["crisis"])
    service.claim(db.session, app_settings(), crisis.id, people["mod"])
    service.decide(db.session, app_settings(), other.id, people["mod"], "escalate",
                   reason="plan and means")
    waiting = service.count_waiting(db.session, urgency=1)
    assert (waiting.open, waiting.claimed, waiting.escalated, waiting.total) == (1, 1, 1, 3)
    service.decide(db.session, app_settings(), third.id, people["mod2"], "hide")
    assert service.count_waiting(db.session, urgency=1).total == 2


# -------------------------------------------------------------------------- escalation

def test_escalation_needs_a_reason_and_goes_to_the_leads(app, people, crisis):
    with pytest.raises(service.NeedsReason):
        service.decide(db.session, app_settings(), crisis.id, people["mod"], "escalate")
    assert fresh(crisis.id).state == "open"
    before = utcnow()
    decision = service.decide(db.session, app_settings(), crisis.id, people["mod"], "escalate",
                              reason="mentions saved pills and tonight")
    item = fresh(crisis.id)
    assert item.state == "escalated" and item.resolved_at is None
    assert item.escalation_reason == "mentions saved pills and tonight"
    assert item.claimed_by_id is None
    # its own deadline: 30 minutes for crisis
    assert timedelta(minutes=29) < item.due_at - before <= timedelta(minutes=30, seconds=5)
    assert decision.reason == "mentions saved pills and tonight"
    assert audits("decision.escalate")[0].details["reason"] == decision.reason
    rows = service.list_queue(db.session, service.QueueFilters(state="escalated")).items
    assert [r.id for r in rows] == [crisis.id]
    assert crisis.id not in [r.id for r in service.list_queue(
        db.session, service.QueueFilters()).items]
    # a moderator cannot work it; a lead can, with the same decisions
    with pytest.raises(Forbidden):
        service.claim(db.session, app_settings(), crisis.id, people["mod2"])
    with pytest.raises(Forbidden):
        service.decide(db.session, app_settings(), crisis.id, people["mod2"], "hide")
    assert service.claim_next(db.session, app_settings(), people["lead"],
                              escalated=True).id == crisis.id
    assert fresh(crisis.id).state == "escalated"  # a lead's claim keeps the state
    service.decide(db.session, app_settings(), crisis.id, people["lead"], "replied",
                   reply_text="We're here for you. You can call Samaritans on 116 123, "
                              "any time, day or night.")
    item = fresh(crisis.id)
    assert item.state == "resolved" and item.escalated_at is not None


def test_an_escalated_items_lapsed_lead_claim_is_let_go(app, people, crisis):
    service.decide(db.session, app_settings(), crisis.id, people["mod"], "escalate",
                   reason="unsure")
    service.claim(db.session, app_settings(), crisis.id, people["lead"])
    expire_lease(crisis.id)
    assert service.release_expired(db.session) == 1
    item = fresh(crisis.id)
    assert (item.state, item.claimed_by_id) == ("escalated", None)


def test_approving_a_crisis_item_needs_a_confirmed_reason(app, people, crisis, hostile):
    for action in ("approve", "not_a_concern"):
        with pytest.raises(service.NeedsReason, match="possible crisis"):
            service.decide(db.session, app_settings(), crisis.id, people["mod"], action)
    assert fresh(crisis.id).state == "open"
    service.decide(db.session, app_settings(), crisis.id, people["mod"], "approve",
                   reason="song lyrics quoted in a thread about music")
    assert audits("decision.approve")[0].details["reason"].startswith("song lyrics")
    service.decide(db.session, app_settings(), hostile.id, people["mod"],
                   "approve")  # no reason needed


def test_bulk_never_decides_crisis_threat_or_escalated_items(app, people, site, hostile):
    threat = make_item(site.slug, "Someone should hurt the author.", ["threat"])
    crisis = make_item(site.slug, "Tonight I end it.", ["crisis"])
    result = service.bulk_decide(db.session, app_settings(), [hostile.id, threat.id, crisis.id],
                                 people["mod"], "approve")
    assert result.decided == [hostile.id]
    assert set(result.skipped) == {threat.id, crisis.id}
    with pytest.raises(service.Invalid):
        service.bulk_decide(db.session, app_settings(), [hostile.id], people["mod"], "escalate")


# ---------------------------------------------------------------------- undo and reopen

def test_the_author_undoes_a_decision_within_ten_minutes(app, people, hostile):
    due = fresh(hostile.id).due_at
    decision = service.decide(db.session, app_settings(), hostile.id, people["mod"], "hide")
    assert [d.id for d in service.undoable(db.session, app_settings(),
                                           people["mod"])] == [decision.id]
    with pytest.raises(Forbidden):
        service.undo(db.session, app_settings(), decision.id, people["mod2"])
    item = service.undo(db.session, app_settings(), decision.id, people["mod"])
    item = fresh(item.id)
    assert item.state == "claimed" and item.claimed_by_id == people["mod"].id
    assert item.resolved_at is None and item.due_at == due
    assert db.session.get(Decision, decision.id).undone_at is not None
    assert service.undoable(db.session, app_settings(), people["mod"]) == []
    with pytest.raises(Conflict):
        service.undo(db.session, app_settings(), decision.id, people["mod"])
    assert [e.details["decision_id"] for e in audits("decision.undone")] == [decision.id]
    assert len(audits("decision.hide")) == 1  # the audit log keeps both
    service.decide(db.session, app_settings(), hostile.id, people["mod"], "approve")
    assert fresh(hostile.id).state == "resolved"


def test_undo_is_refused_after_ten_minutes(app, people, hostile):
    decision = service.decide(db.session, app_settings(), hostile.id, people["mod"], "hide")
    with write_transaction(db.session):
        db.session.get(Decision, decision.id).created_at = utcnow() - timedelta(minutes=11)
    assert service.undoable(db.session, app_settings(), people["mod"]) == []
    with pytest.raises(Conflict, match="too late"):
        service.undo(db.session, app_settings(), decision.id, people["mod"])
    assert fresh(hostile.id).state == "resolved"


def test_undoing_an_escalation_brings_the_item_back(app, people, crisis):
    due = fresh(crisis.id).due_at
    decision = service.decide(db.session, app_settings(), crisis.id, people["mod"], "escalate",
                              reason="not sure")
    service.undo(db.session, app_settings(), decision.id, people["mod"])
    item = fresh(crisis.id)
    assert (item.state, item.escalated_at, item.escalation_reason, item.due_at) == (
        "claimed", None, None, due)


def test_undoing_a_leads_decision_returns_the_item_to_escalated(app, people, crisis):
    service.decide(db.session, app_settings(), crisis.id, people["mod"], "escalate",
                   reason="not sure")
    escalated_due = fresh(crisis.id).due_at
    decision = service.decide(db.session, app_settings(), crisis.id, people["lead"], "hide")
    # the escalation is no longer the item's latest decision: it cannot be undone
    assert service.undoable(db.session, app_settings(), people["mod"]) == []
    service.undo(db.session, app_settings(), decision.id, people["lead"])
    item = fresh(crisis.id)
    assert (item.state, item.claimed_by_id, item.due_at) == (
        "escalated", people["lead"].id, escalated_due)


def test_a_lead_or_an_admin_reopens_a_decided_item_with_a_fresh_deadline(app, people, crisis):
    service.decide(db.session, app_settings(), crisis.id, people["mod"], "hide")
    with pytest.raises(Forbidden):
        service.reopen(db.session, app_settings(), crisis.id, people["mod"], "second look")
    with pytest.raises(service.NeedsReason):
        service.reopen(db.session, app_settings(), crisis.id, people["lead"], "  ")
    with write_transaction(db.session):  # decided long ago: the old deadline has passed
        db.session.get(ReviewItem, crisis.id).due_at = utcnow() - timedelta(days=3)
    before = utcnow()
    service.reopen(db.session, app_settings(), crisis.id, people["lead"], "the reader posted again")
    item = fresh(crisis.id)
    assert item.state == "open" and item.resolved_at is None and item.claimed_by_id is None
    assert timedelta(minutes=14) < item.due_at - before <= timedelta(minutes=15, seconds=5)
    event = audits("item.reopened")[0]
    assert event.details["reason"] == "the reader posted again"
    assert event.details["action"] == "hide"
    assert len(audits("decision.hide")) == 1  # the audit log keeps both
    with pytest.raises(Conflict):  # only decided items are reopened
        service.reopen(db.session, app_settings(), crisis.id, people["admin"], "again")
    assert crisis.id in [r.id for r in service.list_queue(
        db.session, service.QueueFilters()).items]
