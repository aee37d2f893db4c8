"""Readers' privacy: stable author pseudonyms, retention, and the right to erasure."""
from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.orm import Session

from ..db import utcnow, write_transaction
from ..errors import NotFound
from ..models import Analysis, Comment, ScoreSuggestion, Site, User, WebhookDelivery
from . import audit


def pseudonym_key() -> bytes:
    key = current_app.config.get("PSEUDONYM_KEY") or current_app.config["SECRET_KEY"]
    return hashlib.sha256(b"author-pseudonym:" + key.encode()).digest()


def author_pseudonym(site_slug: str, author_id: str | None, key: bytes | None = None) -> str | None:
    """A keyed HMAC of site + author id: the same reader gets the same pseudonym in every
    export, readers of different sites never share one, and it cannot be reversed."""
    if author_id is None:
        return None
    digest = hmac.new(key or pseudonym_key(), f"{site_slug}\x1f{author_id}".encode(),
                      hashlib.sha256).hexdigest()
    return "anon_" + digest[:20]


_REDACTED = {Comment.text: None, Comment.author_external_id: None, Comment.author_name: None,
             Comment.author_email: None}


def _redact(session: Session, comment_ids: list[int], now: datetime) -> None:
    """Remove text and identity; keep ids, flags, scores, decisions and the pseudonym.
    Evidence keeps its labels and offsets but loses reasons, which may quote the text."""
    for start in range(0, len(comment_ids), 500):
        chunk = comment_ids[start:start + 500]
        session.execute(sa.update(Comment).where(Comment.id.in_(chunk))
                        .values({**_REDACTED, Comment.redacted_at: now}))
        for analysis in session.scalars(sa.select(Analysis).where(Analysis.comment_id.in_(chunk))):
            analysis.evidence = [{"start": e["start"], "end": e["end"], "label": e["label"],
                                  "reason": "redacted"} for e in analysis.evidence]


@dataclass(frozen=True)
class RetentionReport:
    cutoff: datetime
    comments: int
    deliveries: int
    applied: bool


def apply_retention(session: Session, *, days: int | None = None, apply: bool = False,
                    actor: User | None = None) -> RetentionReport:
    """Redact comments older than RETENTION_DAYS (dry run unless `apply`)."""
    days = current_app.config["RETENTION_DAYS"] if days is None else days
    now = utcnow()
    cutoff = now - timedelta(days=days)
    old = (sa.select(Comment.id).where(Comment.received_at < cutoff,
                                       Comment.redacted_at.is_(None)))
    old_deliveries = sa.select(WebhookDelivery.id).where(WebhookDelivery.received_at < cutoff)
    if not apply:
        count = session.scalar(sa.select(sa.func.count()).select_from(old.subquery()))
        deliveries = session.scalar(
            sa.select(sa.func.count()).select_from(old_deliveries.subquery()))
        session.rollback()
        return RetentionReport(cutoff, count or 0, deliveries or 0, applied=False)
    with write_transaction(session):
        ids = list(session.scalars(old))
        _redact(session, ids, now)
        deliveries = session.execute(
            sa.delete(WebhookDelivery).where(WebhookDelivery.received_at < cutoff)).rowcount
        # verdicts sent through suggestscore keep their labels, not the reader's words
        session.execute(sa.update(ScoreSuggestion).where(
            ScoreSuggestion.created_at < cutoff, ScoreSuggestion.redacted_at.is_(None))
            .values(text=None, redacted_at=now))
        audit.record(session, "retention.apply", actor=actor, actor_label="cli",
                     details={"days": days, "cutoff": cutoff.isoformat(),
                              "comments": len(ids), "deliveries": deliveries})
    return RetentionReport(cutoff, len(ids), deliveries, applied=True)


def erase_author(session: Session, site_slug: str, author_id: str, *,
                 actor: User | None = None) -> int:
    """Right to erasure: remove one reader's text and identity everywhere on a site."""
    with write_transaction(session):
        site = session.scalar(sa.select(Site).where(Site.slug == site_slug))
        if site is None:
            raise NotFound(f"no site named {site_slug!r}")
        ids = list(session.scalars(sa.select(Comment.id).where(
            Comment.site_id == site.id, Comment.author_external_id == author_id)))
        _redact(session, ids, utcnow())
        # The audit row names the pseudonym, never the author id it erased.
        audit.record(session, "author.erase", actor=actor, actor_label="cli",
                     target_type="author",
                     target_id=author_pseudonym(site.slug, author_id),
                     details={"site": site.slug, "comments": len(ids)})
    return len(ids)
