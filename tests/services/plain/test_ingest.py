"""Ingest as a plain function: a session and Settings, no app."""
from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from moderation.errors import Conflict
from moderation.models import Comment, ReviewItem, Site, WebhookDelivery
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


def test_redeliveries_raise_no_database_error(engine, session, settings):
    """A redelivery, a stored comment under a new webhook-id, and a reused webhook-id are told
    apart by rows that do not come back, not by a failed statement (no error in the
    database's log, none caught and retried)."""
    errors = []
    sa.event.listen(engine, "handle_error", lambda context: errors.append(context))
    site, _ = create_site(session, settings, "plain-news")
    with engine.connect() as conn:
        first = ingest_comments(conn, settings, site, [CommentIn("c1", CRISIS)],
                                webhook_id="msg_1", body_sha256="a" * 64)
        again = ingest_comments(conn, settings, site, [CommentIn("c1", CRISIS)],
                                webhook_id="msg_1", body_sha256="a" * 64)
        renamed = ingest_comments(conn, settings, site, [CommentIn("c1", CRISIS)],
                                  webhook_id="msg_2", body_sha256="b" * 64)
        with pytest.raises(Conflict):
            ingest_comments(conn, settings, site, [CommentIn("c2", CALM)],
                            webhook_id="msg_1", body_sha256="c" * 64)
    assert [r.duplicate for r in (*first, *again, *renamed)] == [False, True, True]
    assert errors == []
    session.rollback()  # the ORM site's refresh opened a read (an older snapshot on SQLite)
    assert (_count(session, Comment), _count(session, WebhookDelivery)) == (1, 2)


def test_a_callers_own_write_survives_a_redelivery(engine, session, settings):
    """A connection whose open transaction holds a write of the caller's: ingest commits it
    before its own write (a rollback of the first way must not take it along)."""
    site, _ = create_site(session, settings, "plain-news")
    ingest_comments(session, settings, site, [CommentIn("c1", CALM)])
    with engine.connect() as conn:
        conn.execute(sa.update(Comment).where(Comment.external_id == "c1")
                     .values(region="GB"))  # the caller's own write, not yet committed
        [again] = ingest_comments(conn, settings, site, [CommentIn("c1", CALM)])
        assert again.duplicate
        conn.rollback()
    session.rollback()  # the ORM site's refresh opened a read (an older snapshot on SQLite)
    assert session.scalar(sa.select(Comment.region)) == "GB"


def test_a_site_written_meanwhile_is_read_again_after_the_commit(engine, session, settings):
    """The site lookup kept per database is forgotten when this process writes the site and
    again when the write commits: a lookup made between the two kept the old rows."""
    site, old = create_site(session, settings, "plain-news")
    assert site_for_webhook(session, settings, "plain-news").secrets == (old,)
    session.rollback()
    site = session.scalar(sa.select(Site).where(Site.slug == "plain-news"))
    site.thresholds = {"hostile": 0.9}
    session.flush()  # written, not yet committed
    with engine.connect() as other:  # another thread's request, in between
        assert site_for_webhook(other, settings, "plain-news").thresholds is None
    session.commit()
    with engine.connect() as other:
        assert site_for_webhook(other, settings, "plain-news").thresholds == {"hostile": 0.9}
