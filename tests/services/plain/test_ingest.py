"""Ingest as a plain function: a session and Settings, no app."""
from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from moderation.errors import Conflict
from moderation.models import Comment, ReviewItem, WebhookDelivery
from moderation.payload import CommentIn
from moderation.services.ingest import ingest_comments, site_for_webhook, site_thresholds
from moderation.services.sites import create_site
from moderation.settings import Settings

from .conftest import CALM, CRISIS


def _count(session, model) -> int:
    count = session.scalar(sa.select(sa.func.count()).select_from(model))
    session.rollback()
    return count


def test_a_batch_is_stored_once_and_a_redelivery_answers_what_is_stored(session, settings):
    site, secret = create_site(session, settings, "plain-news")
    # the webhook's site lookup opens the secret with settings.secrets_key
    assert site_for_webhook(session, settings, "plain-news").secrets == (secret,)
    batch = [CommentIn("c1", CRISIS, author_id="reader-1"), CommentIn("c2", CALM)]
    first = ingest_comments(session, settings, site, batch, webhook_id="msg_1",
                            body_sha256="a" * 64)
    assert [(r.external_id, r.status, r.duplicate) for r in first] == [
        ("c1", "queued", False), ("c2", "not_flagged", False)]
    assert "crisis" in first[0].flags
    again = ingest_comments(session, settings, site, batch, webhook_id="msg_1",
                            body_sha256="a" * 64)
    assert [(r.id, r.duplicate) for r in again] == [(first[0].id, True), (first[1].id, True)]
    assert (_count(session, Comment), _count(session, ReviewItem),
            _count(session, WebhookDelivery)) == (2, 1, 1)


def test_changed_content_under_a_stored_id_conflicts_and_stores_nothing(session, settings):
    site, _ = create_site(session, settings, "plain-news")
    ingest_comments(session, settings, site, [CommentIn("c1", CALM)])
    with pytest.raises(Conflict):
        ingest_comments(session, settings, site,
                        [CommentIn("c2", CRISIS), CommentIn("c1", "edited text")])
    assert _count(session, Comment) == 1  # all or nothing: c2 was not kept either
    assert _count(session, ReviewItem) == 0


def test_the_deadline_and_thresholds_come_from_the_settings(session, settings):
    site, _ = create_site(session, settings, "plain-news")
    [result] = ingest_comments(session, settings, site, [CommentIn("c1", CRISIS)])
    item = session.scalar(sa.select(ReviewItem).where(ReviewItem.comment_id == result.id))
    assert item.flags[0] == "crisis"
    assert item.due_at - item.created_at == timedelta(minutes=7)  # settings, not the default
    strict = Settings(secrets_key=settings.secrets_key, pseudonym_key="k",
                      flag_thresholds={"hostile": 0.97})
    assert site_thresholds(site, strict)["hostile"] == 0.97
    assert site_thresholds(site, settings)["hostile"] != 0.97
