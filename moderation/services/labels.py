"""Moderators' decisions as labelled examples, to retrain the tone engine on this machine.

The crisis model learns the wording of veiled crisis from labelled comments; the decisions made in
the dashboard are the best such labels a site will ever have. ``decision_labels`` turns each
decided review item whose text is still held into ``{"id", "text", "distress", "hostility"}`` on
the scale of ``moderation.analysis`` (see its data README scale), and ``python -m
moderation.analysis train --extra FILE`` adds them to the flag heads' health-comment training set.

How a decision becomes a label (the item's flags at the time say which axis was in question):
- ``not_a_concern``: the flags were wrong, distress 0 and hostility 0;
- ``escalate`` or ``replied``: the flags were right: crisis -> distress 3, distress -> 2,
  threat -> hostility 3, hostile -> 2;
- ``hide``: right about hostility (an item hidden without a hostile or threat flag says nothing
  certain and is skipped);
- ``approve``: the comment stays up, which says nothing certain about its tone: skipped.
Redacted comments (retention, erasure) have no text and are never exported.
"""

from __future__ import annotations

from collections.abc import Iterator

import sqlalchemy as sa
from sqlalchemy.orm import Session

from ..models import Action, Comment, Decision, ItemState, ReviewItem, Site, flag_list
from ..policy import Flag

_CONFIRMED = {Action.ESCALATE.value, Action.REPLIED.value, Action.HIDE.value}


def label_for(flags: set[str], action: str) -> tuple[int, int] | None:
    """(distress, hostility) that a decision on an item with these flags stands for, or None."""
    if action == Action.NOT_A_CONCERN.value:
        return 0, 0
    if action not in _CONFIRMED:
        return None
    distress = 3 if Flag.CRISIS in flags else 2 if Flag.DISTRESS in flags else 0
    hostility = 3 if Flag.THREAT in flags else 2 if Flag.HOSTILE in flags else 0
    if action == Action.HIDE.value:
        return (0, hostility) if hostility else None
    return distress, hostility


def final_decisions() -> sa.Subquery:
    """(review_item_id, decision_id): each decided item's standing decision, the newest one
    not undone, for items that stay decided (resolved, or escalated: a confirmed concern);
    an item reopened for another look has none until it is decided again."""
    return (sa.select(Decision.review_item_id,
                      sa.func.max(Decision.id).label("decision_id"))
            .join(ReviewItem, ReviewItem.id == Decision.review_item_id)
            .where(Decision.undone_at.is_(None),
                   ReviewItem.state.in_((ItemState.RESOLVED.value, ItemState.ESCALATED.value)))
            .group_by(Decision.review_item_id)
            .subquery())


def decision_labels(session: Session, site_slug: str | None = None) -> Iterator[dict]:
    """Labelled examples from the standing decision on each decided item (oldest first)."""
    latest = final_decisions()
    query = (
        sa.select(ReviewItem.id, flag_list().label("flags"), Decision.action, Comment.text)
        .join(latest, latest.c.review_item_id == ReviewItem.id)
        .join(Decision, Decision.id == latest.c.decision_id)
        .join(Comment, Comment.id == ReviewItem.comment_id)
        .where(Comment.text.is_not(None))
        .order_by(ReviewItem.id)
    )
    if site_slug is not None:
        query = query.join(Site, Site.id == ReviewItem.site_id).where(Site.slug == site_slug)
    for row in session.execute(query):
        flags = set(row.flags)
        label = label_for(flags, row.action)
        if label is not None:
            yield {
                "id": f"decision-{row.id}",
                "text": row.text,
                "distress": label[0],
                "hostility": label[1],
                "decision": row.action,
            }
