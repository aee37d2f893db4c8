"""Ingest webhook comments: analyse, deduplicate, and store each exactly once."""
from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import timedelta

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from .. import analysis as engine
from ..db import utcnow, write_transaction
from ..errors import Conflict
from ..models import Analysis, Comment, ItemState, ReviewItem, Site, WebhookDelivery
from ..payload import CommentIn
from .privacy import author_pseudonym

# Concurrent first deliveries of the same comment would race on the unique keys. On
# PostgreSQL each write transaction first takes transaction-scoped advisory locks on its
# (site, comment id) and (site, webhook-id) keys, in sorted order (no deadlocks), so the
# second sender waits for the first to commit and then finds its rows. SQLite serialises
# writers with BEGIN IMMEDIATE. A unique-key error that still happens rolls back and retries.
_MAX_ATTEMPTS = 4


@dataclass(frozen=True)
class IngestResult:
    id: int
    external_id: str
    flags: list[str]
    tags: list[str]
    status: str
    duplicate: bool

    def to_dict(self) -> dict:
        return {"id": self.id, "external_id": self.external_id, "flags": self.flags,
                "tags": self.tags, "status": self.status, "duplicate": self.duplicate}


@dataclass
class _Batch:
    comments: list[CommentIn]
    analyses: dict[str, engine.Analysis] = field(default_factory=dict)


@dataclass(frozen=True)
class _SiteRef:
    """What storing needs of a site, without reloading the row after a rollback."""
    id: int
    slug: str


def site_thresholds(site: Site) -> dict[str, float]:
    """The flag thresholds in force for a site: engine defaults, app config, site tuning."""
    merged = dict(engine.DEFAULT_THRESHOLDS)
    merged.update(current_app.config.get("FLAG_THRESHOLDS") or {})
    merged.update(site.thresholds or {})
    return merged


def _result(comment: Comment, duplicate: bool) -> IngestResult:
    latest = comment.analysis
    return IngestResult(
        id=comment.id, external_id=comment.external_id,
        flags=list(latest.flags) if latest else [], tags=list(latest.tags) if latest else [],
        status="queued" if comment.review_item is not None else "not_flagged",
        duplicate=duplicate)


def _existing(session: Session, site: Site, external_ids: list[str]) -> dict[str, Comment]:
    rows = session.scalars(
        sa.select(Comment).where(Comment.site_id == site.id,
                                 Comment.external_id.in_(external_ids)))
    return {c.external_id: c for c in rows}


def _analyse_new(session: Session, site: Site, batch: _Batch) -> None:
    """Score the comments not stored yet, before the write lock is taken (CPU work)."""
    ids = [c.external_id for c in batch.comments]
    stored = _existing(session, site, ids)
    parent_ids = {c.parent_id for c in batch.comments if c.parent_id}
    parents = _existing(session, site, list(parent_ids)) if parent_ids else {}
    in_batch = {c.external_id: c for c in batch.comments}
    thresholds = site_thresholds(site)
    for comment in batch.comments:
        if comment.external_id in stored or comment.external_id in batch.analyses:
            continue
        context: dict[str, str] = {}
        if comment.article_title:
            context["article_title"] = comment.article_title
        parent = parents.get(comment.parent_id) or in_batch.get(comment.parent_id or "")
        if parent is not None and parent.text:
            context["parent_text"] = parent.text
        batch.analyses[comment.external_id] = engine.analyze(
            comment.text, context=context or None, thresholds=thresholds)
    session.rollback()  # end the read transaction before the write one


def _lock_key(*parts: object) -> int:
    digest = hashlib.sha256("\x1f".join(map(str, parts)).encode()).digest()
    return int.from_bytes(digest[:8], "big", signed=True)


def _lock_keys(session: Session, site: Site, batch: _Batch, webhook_id: str | None) -> None:
    """PostgreSQL: serialise the writers of the same comments or webhook-id (see above)."""
    if session.get_bind().dialect.name != "postgresql":
        return
    keys = {_lock_key("comment", site.id, c.external_id) for c in batch.comments}
    if webhook_id:
        keys.add(_lock_key("webhook", site.id, webhook_id))
    session.execute(sa.text(
        "SELECT count(pg_advisory_xact_lock(k)) FROM "
        "(SELECT unnest(CAST(:keys AS bigint[])) AS k ORDER BY k) AS ordered"),
        {"keys": sorted(keys)})


def _store(session: Session, site: Site, batch: _Batch, webhook_id: str | None,
           body_sha256: str | None) -> list[IngestResult]:
    _lock_keys(session, site, batch, webhook_id)
    delivery = None
    if webhook_id:
        delivery = session.scalar(sa.select(WebhookDelivery).where(
            WebhookDelivery.site_id == site.id, WebhookDelivery.webhook_id == webhook_id))
        if delivery is not None and delivery.body_sha256 != body_sha256:
            raise Conflict("this webhook-id was already delivered with a different body",
                           {"webhook_id": webhook_id})
    stored = _existing(session, site, [c.external_id for c in batch.comments])
    conflicts = [c.external_id for c in batch.comments
                 if c.external_id in stored
                 and stored[c.external_id].content_sha256 != c.content_sha256()]
    if conflicts:
        raise Conflict("a comment with this id was already received with different content",
                       {"external_ids": conflicts})
    now = utcnow()
    deadlines = current_app.config["RESPONSE_DEADLINES"]
    rows: list[tuple[Comment, bool]] = []  # (comment, duplicate) in the batch's order
    created: dict[str, Comment] = {}
    for item in batch.comments:
        if item.external_id in stored:
            rows.append((stored[item.external_id], True))
        elif item.external_id in created:  # the same comment twice in one batch
            rows.append((created[item.external_id], True))
        else:
            comment = _new_comment(site, item, batch.analyses[item.external_id], now, deadlines)
            session.add(comment)
            created[item.external_id] = comment
            rows.append((comment, False))
    session.flush()
    results = [_result(comment, duplicate) for comment, duplicate in rows]
    if webhook_id and delivery is None:  # looked up above, under the same lock
        session.add(WebhookDelivery(site_id=site.id, webhook_id=webhook_id,
                                    body_sha256=body_sha256 or "",
                                    comment_ids=[r.id for r in results], received_at=now))
    return results


def _new_comment(site: Site, item: CommentIn, scored: engine.Analysis, now,
                 deadlines: Mapping[str, int]) -> Comment:
    comment = Comment(
        site_id=site.id, external_id=item.external_id,
        content_sha256=item.content_sha256(), text=item.text,
        author_external_id=item.author_id, author_name=item.author_name,
        author_email=item.author_email,
        author_pseudonym=author_pseudonym(site.slug, item.author_id),
        article_url=item.article_url,
        article_title=item.article_title, parent_external_id=item.parent_id,
        region=item.region, language=item.language or scored.language,
        posted_at=item.posted_at, received_at=now)
    comment.analyses.append(Analysis(
        model_version=scored.model_version, scores=dict(scored.scores),
        flags=list(scored.flags), tags=list(scored.tags),
        evidence=scored.to_dict()["evidence"], language=scored.language,
        confidence=scored.confidence, created_at=now))
    comment.review_item = None  # known empty: no lazy-load query when answering
    if scored.flags:
        top = scored.flags[0]  # the engine orders flags most urgent first
        comment.review_item = ReviewItem(
            site_id=site.id, state=ItemState.OPEN.value,
            urgency=engine.FLAG_URGENCY[top], flag_set="," + ",".join(scored.flags) + ",",
            created_at=now, due_at=now + timedelta(minutes=deadlines[top]))
    return comment


def ingest_comments(session: Session, site: Site, comments: list[CommentIn], *,
                    webhook_id: str | None = None,
                    body_sha256: str | None = None) -> list[IngestResult]:
    """Store a batch all or nothing; redeliveries answer the stored result, changes conflict."""
    site_id, slug = site.id, site.slug
    batch = _Batch(comments)
    for attempt in range(_MAX_ATTEMPTS):
        site = session.get(Site, site_id)
        _analyse_new(session, site, batch)
        # The rollback above expired `site`; the write needs only its id and slug.
        ref = _SiteRef(site_id, slug)
        try:
            with write_transaction(session):
                return _store(session, ref, batch, webhook_id, body_sha256)
        except IntegrityError:
            if attempt == _MAX_ATTEMPTS - 1:
                raise
    raise AssertionError("unreachable")

