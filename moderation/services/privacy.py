"""Readers' privacy: stable author pseudonyms, retention, and the right to erasure."""
from __future__ import annotations

import functools
import hashlib
import hmac
import logging
import re
from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import Session

from ..db import utcnow, write_transaction
from ..errors import NotFound
from ..models import (
    AlertOutbox,
    Analysis,
    AuditEvent,
    CallbackOutbox,
    Comment,
    Decision,
    ReviewItem,
    ScoreSuggestion,
    Site,
    User,
    WebhookDelivery,
)
from ..settings import Settings
from . import audit

log = logging.getLogger(__name__)
# What stands where a redacted note, reply, reason or audit value was. On PostgreSQL the
# audit trigger lets an UPDATE through only when it changes values to exactly this.
REDACTED = "[redacted]"
# Audit details of a queue item that are facts about the event, never words a person wrote;
# every other string value of an erased (or old) item's audit rows is redacted.
AUDIT_FACTS = frozenset({"comment_id", "flags", "due_at", "previous_due_at", "bulk",
                         "decision_id", "action", "from", "site", "comments", "days",
                         "cutoff", "deliveries"})


def pseudonym_key(settings: Settings) -> bytes:
    """The HMAC key of pseudonyms and content markers, derived from Settings.pseudonym_key."""
    return _derived(settings.pseudonym_key)


@functools.cache
def _derived(key: str) -> bytes:
    return hashlib.sha256(b"author-pseudonym:" + key.encode()).digest()


def author_pseudonym(site_slug: str, author_id: str | None, key: bytes) -> str | None:
    """A keyed HMAC of site + author id: the same reader gets the same pseudonym in every
    export, readers of different sites never share one, and it cannot be reversed."""
    if author_id is None:
        return None
    digest = hmac.new(key, f"{site_slug}\x1f{author_id}".encode(),
                      hashlib.sha256).hexdigest()
    return "anon_" + digest[:20]


def content_marker(sha256_hex: str, key: bytes) -> str:
    """What replaces a content hash (of a comment or a delivery body) once the content is
    erased: a keyed HMAC of the hash. The service recomputes it from a redelivery and so
    still recognises it; without the key a guessed original can no longer be confirmed."""
    return hmac.new(key, b"erased-content\x1f" + sha256_hex.encode(),
                    hashlib.sha256).hexdigest()


def same_content(stored: str, sha256_hex: str, key: bytes) -> bool:
    """A stored hash (plain, or the marker of erased content) matches the content."""
    return stored == sha256_hex or hmac.compare_digest(stored, content_marker(sha256_hex, key))


_REDACTED = {Comment.text: None, Comment.author_external_id: None, Comment.author_name: None,
             Comment.author_email: None}


def _redact_text(value: str | None) -> str | None:
    return None if value is None else REDACTED


def redact_audit_details(session: Session, events: list[AuditEvent]) -> int:
    """Replace the free-text values of audit rows' details (notes, reasons: what a person
    wrote) by REDACTED; who did what, when, and to which item stays. PostgreSQL's append-only
    trigger allows exactly this change and nothing else; the app calls the migration's
    `audit_events_redact` function there, so its role needs no UPDATE on the table."""
    postgres = session.get_bind().dialect.name == "postgresql"
    changed = 0
    for event in events:
        details = event.details
        if not isinstance(details, dict):
            continue
        keys = sorted(k for k, v in details.items()
                      if isinstance(v, str) and v != REDACTED and k not in AUDIT_FACTS)
        if not keys:
            continue
        changed += 1
        if postgres:
            session.execute(sa.text("SELECT audit_events_redact(:id, :keys)"),
                            {"id": event.id, "keys": keys})
            session.expire(event, ["details"])
        else:
            event.details = {**details, **dict.fromkeys(keys, REDACTED)}
    return changed


def _redact_decisions(session: Session, item_ids: list[int]) -> int:
    """Notes, replies and reasons of the items' decisions (they may quote the reader) are
    redacted, the decisions kept; so are the callbacks' copies of the replies and the
    items' audit rows."""
    decisions = session.scalars(sa.select(Decision).where(
        Decision.review_item_id.in_(item_ids))).all()
    for decision in decisions:
        decision.note = _redact_text(decision.note)
        decision.reply_text = _redact_text(decision.reply_text)
        decision.reason = _redact_text(decision.reason)
    for item in session.scalars(sa.select(ReviewItem).where(ReviewItem.id.in_(item_ids))):
        item.escalation_reason = _redact_text(item.escalation_reason)
    for row in session.scalars(sa.select(CallbackOutbox).where(
            CallbackOutbox.decision_id.in_([d.id for d in decisions]))):
        data = dict(row.payload.get("data") or {})
        if data.get("reply_text") is not None:
            data["reply_text"] = REDACTED
            row.payload = {**row.payload, "data": data}
    redact_audit_details(session, list(session.scalars(sa.select(AuditEvent).where(
        AuditEvent.target_type == "review_item",
        AuditEvent.target_id.in_([str(i) for i in item_ids])))))
    return len(decisions)


def _mark_hashes(session: Session, comment_ids: list[int], key: bytes) -> None:
    """Content hashes of erased comments, and of the deliveries that carried them, become
    keyed markers (see content_marker)."""
    for comment in session.scalars(sa.select(Comment).where(Comment.id.in_(comment_ids))):
        if comment.redacted_at is None:  # not yet marked
            comment.content_sha256 = content_marker(comment.content_sha256, key)
            # The Perspective API and the Coral phase name a comment by a hash of its text
            # ("sha256:<hex>", "coral:<hex>"): that id is a content hash too.
            prefix, _, digest = comment.external_id.partition(":")
            if prefix in ("sha256", "coral") and re.fullmatch(r"[0-9a-f]{64}", digest):
                comment.external_id = f"{prefix}:{content_marker(digest, key)}"
    wanted = set(comment_ids)
    site_ids = list(session.scalars(sa.select(Comment.site_id).where(
        Comment.id.in_(comment_ids)).distinct()))
    # comment_ids is a JSON list: read the sites' deliveries (retention keeps them few).
    rows = session.execute(sa.select(WebhookDelivery.id, WebhookDelivery.comment_ids,
                                     WebhookDelivery.body_sha256)
                           .where(WebhookDelivery.site_id.in_(site_ids))).all()
    for row_id, ids, body_sha256 in rows:
        if wanted.intersection(ids or ()) and body_sha256 and len(body_sha256) == 64:
            session.execute(sa.update(WebhookDelivery).where(WebhookDelivery.id == row_id)
                            .values(body_sha256=content_marker(body_sha256, key)))


def _redact(session: Session, comment_ids: list[int], now: datetime, key: bytes) -> int:
    """Remove text and identity; keep ids, flags, scores, decisions and the pseudonym.
    Evidence keeps its labels and offsets but loses reasons, which may quote the text;
    decisions keep their action but lose notes, replies and reasons (see _redact_decisions).
    Returns how many decisions were redacted."""
    decisions = 0
    for start in range(0, len(comment_ids), 500):
        chunk = comment_ids[start:start + 500]
        _mark_hashes(session, chunk, key)
        session.execute(sa.update(Comment).where(Comment.id.in_(chunk))
                        .values({**_REDACTED, Comment.redacted_at: now}))
        for analysis in session.scalars(sa.select(Analysis).where(Analysis.comment_id.in_(chunk))):
            analysis.evidence = [{"start": e["start"], "end": e["end"], "label": e["label"],
                                  "reason": "redacted"} for e in analysis.evidence]
        item_ids = list(session.scalars(sa.select(ReviewItem.id).where(
            ReviewItem.comment_id.in_(chunk))))
        if item_ids:
            decisions += _redact_decisions(session, item_ids)
    return decisions


def checkpoint_wal(session: Session) -> None:
    """SQLite keeps old pages (with the erased text) in the -wal file until a checkpoint:
    copy them into the database and truncate the file, right after the erasure commits.
    (`secure_delete`, set on every connection, zeroes the freed space in the database.)"""
    if session.get_bind().dialect.name != "sqlite":
        return
    busy, _, _ = session.connection().exec_driver_sql(
        "PRAGMA wal_checkpoint(TRUNCATE)").one()
    session.commit()
    if busy:  # a long reader held the log: the next checkpoint will truncate it
        log.warning("the SQLite WAL checkpoint after an erasure was blocked by a reader")


@dataclass(frozen=True)
class RetentionReport:
    cutoff: datetime
    comments: int
    deliveries: int
    applied: bool
    decisions: int = 0
    audit_events: int = 0
    outbox_rows: int = 0


def apply_retention(session: Session, settings: Settings, *, days: int | None = None,
                    apply: bool = False, actor: User | None = None) -> RetentionReport:
    """Redact comments older than `days` (default: settings.retention_days; a dry run
    unless `apply`)."""
    days = settings.retention_days if days is None else days
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
        decisions = _redact(session, ids, now, pseudonym_key(settings))
        deliveries = session.execute(
            sa.delete(WebhookDelivery).where(WebhookDelivery.received_at < cutoff)).rowcount
        # Notes and reasons in old audit rows; old outbox rows that were sent or gave up.
        events = redact_audit_details(session, list(session.scalars(
            sa.select(AuditEvent).where(AuditEvent.created_at < cutoff,
                                        AuditEvent.target_type == "review_item",
                                        AuditEvent.details.is_not(None)))))
        outbox = 0
        for model in (CallbackOutbox, AlertOutbox):
            outbox += session.execute(sa.delete(model).where(
                model.created_at < cutoff,
                sa.or_(model.delivered_at.is_not(None), model.failed_at.is_not(None)))).rowcount
        # verdicts sent through suggestscore keep their labels, not the reader's words
        session.execute(sa.update(ScoreSuggestion).where(
            ScoreSuggestion.created_at < cutoff, ScoreSuggestion.redacted_at.is_(None))
            .values(text=None, redacted_at=now))
        audit.record(session, "retention.apply", actor=actor, actor_label="cli",
                     details={"days": days, "cutoff": cutoff.isoformat(),
                              "comments": len(ids), "deliveries": deliveries,
                              "decisions": decisions, "audit_events": events,
                              "outbox_rows": outbox})
    checkpoint_wal(session)
    return RetentionReport(cutoff, len(ids), deliveries, applied=True, decisions=decisions,
                           audit_events=events, outbox_rows=outbox)


def erase_author(session: Session, settings: Settings, site_slug: str, author_id: str, *,
                 actor: User | None = None, address: str | None = None) -> int:
    """Right to erasure: remove one reader's text and identity everywhere on a site."""
    with write_transaction(session):
        site = session.scalar(sa.select(Site).where(Site.slug == site_slug))
        if site is None:
            raise NotFound(f"no site named {site_slug!r}")
        ids = list(session.scalars(sa.select(Comment.id).where(
            Comment.site_id == site.id, Comment.author_external_id == author_id)))
        key = pseudonym_key(settings)
        _redact(session, ids, utcnow(), key)
        # The audit row names the pseudonym, never the author id it erased.
        audit.record(session, "author.erase", actor=actor, actor_label="cli",
                     target_type="author",
                     target_id=author_pseudonym(site.slug, author_id, key),
                     details={"site": site.slug, "comments": len(ids)}, address=address)
    checkpoint_wal(session)
    return len(ids)
