"""The queue as plain functions: claim, decide, bulk decide, undo; a session and Settings,
no app. Who acted and from which address is passed in, as a view does."""
from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from moderation.errors import Conflict
from moderation.models import AuditEvent, Decision, ItemState, ReviewItem
from moderation.payload import CommentIn
from moderation.services import queue
from moderation.services.ingest import ingest_comments
from moderation.services.sites import create_site

from .conftest import CRISIS, HOSTILE


@pytest.fixture
def items(session, settings) -> dict[str, int]:
    site, _ = create_site(session, settings, "plain-news")
    results = ingest_comments(session, settings, site, [
        CommentIn("crisis", CRISIS), CommentIn("hostile-1", HOSTILE),
        CommentIn("hostile-2", HOSTILE + " Truly.")])
    ids = {}
    for r in results:
        assert r.status == "queued"
        ids[r.external_id] = session.scalar(
            sa.select(ReviewItem.id).where(ReviewItem.comment_id == r.id))
    session.rollback()
    return ids


def test_claim_next_gives_the_most_urgent_item_to_one_moderator_for_the_lease(
        session, settings, people, items):
    item = queue.claim_next(session, settings, people["mod"])
    assert item.id == items["crisis"]
    assert item.state == ItemState.CLAIMED.value
    assert item.claimed_by_id == people["mod"].id
    lease = (item.lease_expires_at - queue.utcnow()).total_seconds()
    assert 40 < lease <= 45  # settings.claim_lease_seconds
    other = queue.claim_next(session, settings, people["mod2"])
    assert other.id != items["crisis"]


def test_a_decision_and_an_escalation_are_stored_with_who_and_where(
        session, settings, people, items):
    decision = queue.decide(session, settings, items["crisis"], people["mod"], "escalate",
                            reason="a plan and a time", address="203.0.113.7")
    item = session.get(ReviewItem, items["crisis"])
    assert item.state == ItemState.ESCALATED.value
    # the escalated item's own deadline: settings.escalation_deadlines["crisis"] minutes
    assert item.due_at - decision.created_at == timedelta(minutes=3)
    final = queue.decide(session, settings, items["crisis"], people["lead"], "hide",
                         address="203.0.113.8")
    assert session.get(ReviewItem, items["crisis"]).state == ItemState.RESOLVED.value
    assert final.action == "hide"
    events = session.execute(sa.select(AuditEvent.action, AuditEvent.actor, AuditEvent.ip)
                             .where(AuditEvent.target_type == "review_item",
                                    AuditEvent.target_id == str(items["crisis"]))
                             .order_by(AuditEvent.id)).all()
    assert [tuple(e) for e in events] == [
        ("decision.escalate", "mod@example.org", "203.0.113.7"),
        ("decision.hide", "lead@example.org", "203.0.113.8")]


def test_bulk_decide_decides_the_plain_items_and_skips_crisis(session, settings, people, items):
    result = queue.bulk_decide(session, settings, list(items.values()), people["mod"], "hide")
    assert sorted(result.decided) == sorted([items["hostile-1"], items["hostile-2"]])
    assert list(result.skipped) == [items["crisis"]]
    states = dict(session.execute(sa.select(ReviewItem.id, ReviewItem.state)).all())
    assert states[items["hostile-1"]] == states[items["hostile-2"]] == "resolved"
    assert states[items["crisis"]] == "open"
    assert session.scalar(sa.select(sa.func.count(Decision.id))) == 2


def test_undo_within_the_settings_window_and_not_after(session, settings, people, items):
    decision = queue.decide(session, settings, items["hostile-1"], people["mod"], "hide")
    assert [d.id for d in queue.undoable(session, settings, people["mod"])] == [decision.id]
    item = queue.undo(session, settings, decision.id, people["mod"])
    assert item.state == ItemState.CLAIMED.value and item.claimed_by_id == people["mod"].id
    again = queue.decide(session, settings, items["hostile-1"], people["mod"], "approve")
    no_undo = type(settings)(secrets_key=settings.secrets_key, pseudonym_key="k",
                             undo_seconds=0)
    with pytest.raises(Conflict, match="too late"):
        queue.undo(session, no_undo, again.id, people["mod"])
