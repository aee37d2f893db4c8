"""Pseudonyms, erasure and retention as plain functions: a session and Settings, no app."""
from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa

from moderation.models import Comment
from moderation.payload import CommentIn
from moderation.services.ingest import ingest_comments
from moderation.services.privacy import (
    apply_retention,
    author_pseudonym,
    erase_author,
    pseudonym_key,
)
from moderation.services.sites import create_site
from moderation.settings import Settings

from .conftest import CALM, CRISIS


def test_the_pseudonym_is_keyed_by_the_settings(session, settings):
    site, _ = create_site(session, settings, "plain-news")
    [result] = ingest_comments(session, settings, site,
                               [CommentIn("c1", CALM, author_id="reader-7")])
    stored = session.get(Comment, result.id).author_pseudonym
    assert stored == author_pseudonym("plain-news", "reader-7", pseudonym_key(settings))
    other = Settings(secrets_key=settings.secrets_key, pseudonym_key="another key")
    assert stored != author_pseudonym("plain-news", "reader-7", pseudonym_key(other))
    assert stored.startswith("anon_") and "reader-7" not in stored


def test_erasure_removes_the_reader_and_a_redelivery_stays_a_duplicate(session, settings):
    site, _ = create_site(session, settings, "plain-news")
    comment = CommentIn("c1", CRISIS, author_id="reader-7", author_name="Robin",
                        author_email="robin@example.net")
    first, _ = ingest_comments(session, settings, site, [comment, CommentIn("c2", CALM)])
    assert erase_author(session, settings, "plain-news", "reader-7",
                        address="198.51.100.4") == 1
    row = session.get(Comment, first.id)
    assert (row.text, row.author_external_id, row.author_name, row.author_email) == (
        None, None, None, None)
    assert row.redacted_at is not None
    assert row.content_sha256 != comment.content_sha256()  # a keyed marker now
    session.rollback()
    [again] = ingest_comments(session, settings, site, [comment])
    assert (again.id, again.duplicate) == (first.id, True)
    assert session.scalar(sa.select(sa.func.count(Comment.id))) == 2
    assert session.get(Comment, first.id).text is None  # the redelivery stored nothing


def test_retention_uses_the_settings_days(session, settings):
    site, _ = create_site(session, settings, "plain-news")
    [old, new] = ingest_comments(session, settings, site,
                                 [CommentIn("old", CALM), CommentIn("new", CRISIS)])
    received = session.get(Comment, old.id).received_at
    session.execute(sa.update(Comment).where(Comment.id == old.id)
                    .values(received_at=received - timedelta(days=31)))
    session.commit()
    dry = apply_retention(session, settings)  # settings.retention_days: 30
    assert (dry.comments, dry.applied) == (1, False)
    done = apply_retention(session, settings, apply=True)
    assert done.comments == 1
    assert session.get(Comment, old.id).text is None
    assert session.get(Comment, new.id).text == CRISIS
