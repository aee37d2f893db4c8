"""Ingest webhook comments: analyse, deduplicate, and store each exactly once."""
from __future__ import annotations

import hashlib
import json
import logging
import time
import weakref
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
import sqlalchemy.orm
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from .. import analysis as engine
from ..db import _IMMEDIATE, utcnow, write_transaction
from ..errors import Conflict
from ..models import (
    Analysis,
    Comment,
    ItemState,
    ReviewItem,
    ReviewItemFlag,
    Site,
    SiteSecret,
    UTCDateTime,
    WebhookDelivery,
)
from ..payload import CommentIn
from ..secretbox import open_secret
from ..settings import Settings
from .privacy import author_pseudonym, content_marker, pseudonym_key, same_content

# A first delivery is one short write transaction with no reads: INSERT ... ON CONFLICT DO
# NOTHING RETURNING for its comments (in sorted order) and then its webhook-id. When a row does
# not come back (a redelivery, a comment stored before, or a concurrent sender that got there
# first: PostgreSQL makes the second inserter of a key wait for the first to commit), that
# transaction is rolled back and the delivery goes the redelivery way: there, on PostgreSQL,
# each write transaction first takes transaction-scoped advisory locks on its (site, comment
# id) and (site, webhook-id) keys, in sorted order (no deadlocks), so the second sender waits
# for the first to commit and then finds its rows. SQLite serialises writers with BEGIN
# IMMEDIATE. A unique-key error that still happens rolls back and retries.
_MAX_ATTEMPTS = 4
log = logging.getLogger(__name__)


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


@dataclass(frozen=True)
class SiteRef:
    """What the webhook needs of a site, as plain values read in one query."""
    id: int
    slug: str
    thresholds: dict[str, float] | None
    secrets: tuple[str, ...]  # the secrets active now


_SITE_AUTH = (
    sa.select(Site.id, Site.slug, Site.thresholds, SiteSecret.secret, SiteSecret.expires_at)
    .outerjoin(SiteSecret, SiteSecret.site_id == Site.id)
    .where(Site.slug == sa.bindparam("slug"))
    .order_by(SiteSecret.id))


def _conn(session: Session | sa.Connection) -> sa.Connection:
    """The connection to run Core statements on: a session's, or the one given."""
    return session if isinstance(session, sa.Connection) else session.connection()


# A site's webhook lookup (its id, thresholds and sealed secrets with their ends) is kept per
# database for SITE_AUTH_SECONDS: a site that sends many deliveries a second is read once a
# second, not once per delivery. A change made by another process (a secret rotated or
# revoked, new thresholds) applies within that time; this process forgets its copy as soon as
# it writes a site or a secret. Which secrets are live is decided per request from the kept
# ends. Only sites that exist are kept: a flood of made-up names adds nothing.
SITE_AUTH_SECONDS = 1.0
_site_auth: weakref.WeakKeyDictionary[sa.Engine, dict[str, tuple[float, list[sa.Row]]]] = (
    weakref.WeakKeyDictionary())


def site_for_webhook(session: Session | sa.Connection, settings: Settings,
                     slug: str) -> SiteRef | None:
    """The site and its active secrets, or None for an unknown site (one Core query, or
    none within SITE_AUTH_SECONDS of the last)."""
    connection = _conn(session)
    kept = _site_auth.setdefault(connection.engine, {})
    now = time.monotonic()
    read_at, rows = kept.get(slug, (0.0, []))
    if now - read_at >= SITE_AUTH_SECONDS:
        rows = connection.execute(_SITE_AUTH, {"slug": slug}).all()
        if not rows:
            kept.pop(slug, None)
            return None
        kept[slug] = (now, rows)
    return SiteRef(rows[0].id, rows[0].slug, rows[0].thresholds, live_secrets(rows, settings))


@sa.event.listens_for(Site, "after_insert")
@sa.event.listens_for(Site, "after_update")
@sa.event.listens_for(Site, "after_delete")
@sa.event.listens_for(SiteSecret, "after_insert")
@sa.event.listens_for(SiteSecret, "after_update")
@sa.event.listens_for(SiteSecret, "after_delete")
def _forget_site_auth(mapper, connection, target) -> None:
    """Forget at the write, and again at its commit: a thread of this process that read the
    site in between kept what was committed before the write."""
    _site_auth.pop(connection.engine, None)
    _site_written.add(connection)


# Connections whose open transaction wrote a site or a secret (nothing else is read of them
# here: a connection the server dropped can still be rolled back and closed).
_site_written: weakref.WeakSet[sa.Connection] = weakref.WeakSet()


@sa.event.listens_for(sa.Engine, "commit")
def _forget_site_auth_at_commit(connection: sa.Connection) -> None:
    if connection in _site_written:
        _site_written.discard(connection)
        _site_auth.pop(connection.engine, None)


@sa.event.listens_for(sa.Engine, "rollback")
def _no_site_write(connection: sa.Connection) -> None:
    _site_written.discard(connection)


def live_secrets(rows, settings: Settings) -> tuple[str, ...]:
    """The secrets of rows (`.secret`, `.expires_at`, from an outer join) that work now: no
    end, or an end still ahead (a rotation's grace period); opened (decrypted) here, to
    verify this one request."""
    now = utcnow()
    return tuple(open_secret(r.secret, settings.secrets_key) for r in rows
                 if r.secret is not None and (r.expires_at is None or r.expires_at > now))


@dataclass(frozen=True)
class _Stored:
    id: int
    content_sha256: str
    flags: list[str]
    tags: list[str]
    queued: bool
    erased: bool  # its content hash is a keyed marker (privacy.content_marker)


def site_thresholds(site: Site | SiteRef, settings: Settings) -> dict[str, float]:
    """The flag thresholds in force for a site: engine defaults, app config, site tuning."""
    merged = dict(engine.DEFAULT_THRESHOLDS)
    merged.update(settings.flag_thresholds or {})
    merged.update(site.thresholds or {})
    return merged


_NEWER = sa.orm.aliased(Analysis)
_NEWEST_ANALYSIS = ~sa.exists().where(_NEWER.comment_id == Analysis.comment_id,
                                      _NEWER.id > Analysis.id)
_STORED = (
    sa.select(Comment.external_id, Comment.id, Comment.content_sha256, Analysis.flags,
              Analysis.tags, ReviewItem.id.label("item_id"), Comment.redacted_at)
    .select_from(Comment)
    .outerjoin(Analysis, sa.and_(Analysis.comment_id == Comment.id, _NEWEST_ANALYSIS))
    .outerjoin(ReviewItem, ReviewItem.comment_id == Comment.id)
    .where(Comment.site_id == sa.bindparam("site_id"),
           Comment.external_id.in_(sa.bindparam("ids", expanding=True))))
_PARENTS = sa.select(Comment.external_id, Comment.text).where(
    Comment.site_id == sa.bindparam("site_id"),
    Comment.external_id.in_(sa.bindparam("ids", expanding=True)))
_DELIVERY_BODY = sa.select(WebhookDelivery.body_sha256).where(
    WebhookDelivery.site_id == sa.bindparam("site_id"),
    WebhookDelivery.webhook_id == sa.bindparam("webhook_id"))
# Statements are built once: on the webhook's hot path, building them cost more than
# running them. Core, not the ORM session: no unit of work for rows we only insert.
_INSERT_COMMENT = (sa.insert(Comment.__table__)
                   .returning(Comment.__table__.c.id, sort_by_parameter_order=True))
_INSERT_ANALYSIS = sa.insert(Analysis.__table__)
_INSERT_ITEM = (sa.insert(ReviewItem.__table__)
                .returning(ReviewItem.__table__.c.id, sort_by_parameter_order=True))
_INSERT_FLAG = sa.insert(ReviewItemFlag.__table__)
_INSERT_DELIVERY = sa.insert(WebhookDelivery.__table__)
# SQLite: a first delivery's inserts, no row back for a key that is stored already
# (PostgreSQL: _PG_FIRST below).
_SQLITE_FIRST = (
    sqlite.insert(Comment.__table__).on_conflict_do_nothing()
    .returning(Comment.__table__.c.external_id, Comment.__table__.c.id),
    sqlite.insert(WebhookDelivery.__table__).on_conflict_do_nothing()
    .returning(WebhookDelivery.__table__.c.id))
_FIRST_DIALECTS = ("postgresql", "sqlite")


def _stored(session: Session | sa.Connection, site: SiteRef,
            external_ids: list[str]) -> dict[str, _Stored]:
    """The comments already stored, with what a redelivery is answered: one query."""
    rows = _conn(session).execute(_STORED, {"site_id": site.id, "ids": external_ids})
    return {ext: _Stored(cid, sha, list(flags or []), list(tags or []), item is not None,
                         redacted is not None)
            for ext, cid, sha, flags, tags, item, redacted in rows}


def stored_comment_id(session: Session | sa.Connection, site: Site | SiteRef,
                      external_id: str) -> int | None:
    """The id of the site's comment stored under ``external_id``, or None."""
    stored = _stored(session, site, [external_id]).get(external_id)
    return stored.id if stored else None


def _analyse(session: Session | sa.Connection, site: SiteRef, comments: list[CommentIn],
             thresholds: Mapping[str, float]) -> dict[str, engine.Analysis]:
    """Score the comments before the write lock is taken (CPU work, no lock held). A batch
    first skips what is stored already, so a redelivered batch is not scored again; a single
    comment is scored at once (a redelivery costs one scoring, a first delivery no query)."""
    skip: set[str] = set()
    if len(comments) > 1:
        skip = set(_stored(session, site, [c.external_id for c in comments]))
    parent_ids = list({c.parent_id for c in comments if c.parent_id})
    parents: dict[str, str | None] = {}
    if parent_ids:
        parents = dict(_conn(session).execute(
            _PARENTS, {"site_id": site.id, "ids": parent_ids}).all())
    in_batch = {c.external_id: c.text for c in comments}
    analyses: dict[str, engine.Analysis] = {}
    for comment in comments:
        if comment.external_id in skip or comment.external_id in analyses:
            continue
        context: dict[str, str] = {}
        if comment.article_title:
            context["article_title"] = comment.article_title
        parent_text = parents.get(comment.parent_id or "") or in_batch.get(
            comment.parent_id or "")
        if parent_text:
            context["parent_text"] = parent_text
        try:
            analyses[comment.external_id] = engine.analyze(
                comment.text, context=context or None, thresholds=thresholds)
        except Exception:  # fail closed: stored, logged, and queued for a human
            log.exception("analysis failed for comment %r of site %s: queued as unscored",
                          comment.external_id, site.slug)
            analyses[comment.external_id] = engine.unscored(comment.language or "und")
    return analyses


def _lock_key(*parts: object) -> int:
    digest = hashlib.sha256("\x1f".join(map(str, parts)).encode()).digest()
    return int.from_bytes(digest[:8], "big", signed=True)


def _lock_keys(connection: sa.Connection, site: SiteRef, comments: list[CommentIn],
               webhook_id: str | None) -> None:
    """PostgreSQL: serialise the writers of the same comments or webhook-id (see above)."""
    if connection.dialect.name != "postgresql":
        return
    keys = {_lock_key("comment", site.id, c.external_id) for c in comments}
    if webhook_id:
        keys.add(_lock_key("webhook", site.id, webhook_id))
    connection.execute(sa.text(
        "SELECT count(pg_advisory_xact_lock(k)) FROM "
        "(SELECT unnest(CAST(:keys AS bigint[])) AS k ORDER BY k) AS ordered"),
        {"keys": sorted(keys)})


def _store(connection: sa.Connection, settings: Settings, site: SiteRef,
           comments: list[CommentIn],
           analyses: Mapping[str, engine.Analysis], webhook_id: str | None,
           body_sha256: str | None) -> list[IngestResult]:
    """Any delivery (the redelivery way): read what is stored, answer it, insert the rest."""
    _lock_keys(connection, site, comments, webhook_id)
    key = pseudonym_key(settings)
    delivered = False
    if webhook_id:
        seen_body = connection.execute(
            _DELIVERY_BODY, {"site_id": site.id, "webhook_id": webhook_id}).scalar()
        if seen_body is not None and not same_content(seen_body, body_sha256 or "", key):
            raise Conflict("this webhook-id was already delivered with a different body",
                           {"webhook_id": webhook_id})
        delivered = seen_body is not None
    stored = _stored(connection, site, [c.external_id for c in comments])
    conflicts = [c.external_id for c in comments if c.external_id in stored
                 and not same_content(stored[c.external_id].content_sha256, c.content_sha256(),
                                 key)]
    if conflicts:
        raise Conflict("a comment with this id was already received with different content",
                       {"external_ids": conflicts})
    # New comments, each once (a batch may repeat a comment; the validator made sure the
    # repeats are identical).
    new = sorted({c.external_id: c for c in comments if c.external_id not in stored}.values(),
                 key=lambda c: c.external_id)  # the first way's order: no deadlock between them
    created = _insert(connection, settings, site, new, analyses, utcnow()) if new else {}
    results = []
    seen: set[str] = set()
    for item in comments:
        ext = item.external_id
        if ext in stored:
            s = stored[ext]
            results.append(IngestResult(s.id, ext, s.flags, s.tags,
                                        "queued" if s.queued else "not_flagged", True))
        else:
            scored = analyses[ext]
            results.append(IngestResult(created[ext], ext, list(scored.flags),
                                        list(scored.tags),
                                        "queued" if scored.flags else "not_flagged",
                                        ext in seen))
        seen.add(ext)
    if webhook_id and not delivered:
        if body_sha256 and any(stored[c.external_id].erased for c in comments
                               if c.external_id in stored):
            # A redelivery of erased content: its hash would confirm a guessed original.
            body_sha256 = content_marker(body_sha256, key)
        connection.execute(_INSERT_DELIVERY, [{
            "site_id": site.id, "webhook_id": webhook_id, "body_sha256": body_sha256 or "",
            "comment_ids": [r.id for r in results], "received_at": utcnow()}])
    return results


def queue_fields(flags: Sequence[str], now: datetime,
                 deadlines: Mapping[str, int]) -> dict:
    """A queue item's urgency, stored flags and deadline for flags ordered most urgent first
    (as the engine orders them)."""
    top = flags[0]
    return {"urgency": engine.QUEUE_URGENCY[top], "flags": list(flags),
            "due_at": now + timedelta(minutes=deadlines[top])}


def insert_items(connection: sa.Connection, rows: list[dict]) -> list[int]:
    """Bulk insert queue items (rows of review_items' columns plus "flags") and their
    flag rows; the new ids in the rows' order."""
    flags = [row.pop("flags") for row in rows]
    ids = connection.execute(_INSERT_ITEM, rows).scalars().all()
    connection.execute(_INSERT_FLAG, [{"item_id": i, "flag": f}
                                      for i, fs in zip(ids, flags, strict=True) for f in fs])
    return ids


def _comment_rows(settings: Settings, site: SiteRef, new: list[CommentIn],
                  analyses: Mapping[str, engine.Analysis], now: datetime) -> list[dict]:
    key = pseudonym_key(settings)
    return [{"site_id": site.id, "external_id": c.external_id,
             "content_sha256": c.content_sha256(), "text": c.text,
             "author_external_id": c.author_id, "author_name": c.author_name,
             "author_email": c.author_email,
             "author_pseudonym": author_pseudonym(site.slug, c.author_id, key),
             "article_url": c.article_url, "article_title": c.article_title,
             "parent_external_id": c.parent_id, "region": c.region,
             "language": c.language or analyses[c.external_id].language,
             "posted_at": c.posted_at, "received_at": now} for c in new]


def _analysis_values(scored: engine.Analysis) -> dict:
    """An analysis row's values from the engine's result (both write ways)."""
    return {"model_version": scored.model_version, "scores": dict(scored.scores),
            "flags": list(scored.flags), "tags": list(scored.tags),
            "evidence": [span.to_dict() for span in scored.evidence],
            "language": scored.language, "confidence": scored.confidence}


def _insert(connection: sa.Connection, settings: Settings, site: SiteRef,
            new: list[CommentIn],
            analyses: Mapping[str, engine.Analysis], now: datetime,
            created: dict[str, int] | None = None) -> dict[str, int]:
    """Bulk inserts (no unit of work): comments (unless `created` gives their ids already),
    their analyses, queue items for the flagged."""
    if created is None:
        ids = connection.execute(_INSERT_COMMENT,
                                 _comment_rows(settings, site, new, analyses, now)).scalars().all()
        created = {c.external_id: cid for c, cid in zip(new, ids, strict=True)}
    analysis_rows, item_rows = [], []
    deadlines = settings.response_deadlines
    for c in new:
        scored = analyses[c.external_id]
        analysis_rows.append({"comment_id": created[c.external_id],
                              **_analysis_values(scored), "created_at": now})
        if scored.flags:
            item_rows.append({
                "comment_id": created[c.external_id], "site_id": site.id,
                "state": ItemState.OPEN.value, "created_at": now,
                **queue_fields(scored.flags, now, deadlines)})
    connection.execute(_INSERT_ANALYSIS, analysis_rows)
    if item_rows:
        insert_items(connection, item_rows)
    return created


class _NotFirst(Exception):
    """A comment or the webhook-id of the delivery is stored already: roll back, go the
    redelivery way."""


# PostgreSQL: a first delivery's rows in one statement, one round trip (data-modifying
# CTEs): the comments, each only if new, in sorted order; the webhook-id, only if new; the
# analyses, queue items and item flags of the comments that came back. The input is one
# array per column: one statement text for any batch size, which psycopg prepares once. A
# row that does not come back makes the caller roll it all back (_NotFirst).
_PG_FIRST_COLUMNS = (
    "external_id", "content_sha256", "text", "author_external_id", "author_name",
    "author_email", "author_pseudonym", "article_url", "article_title", "parent_external_id",
    "region", "language", "posted_at", "model_version", "scores", "flags", "tags", "evidence",
    "analysis_language", "confidence", "urgency", "due_at")
_PG_FIRST = sa.text("""
WITH v AS (
    SELECT * FROM unnest(
        CAST(:external_id AS text[]), CAST(:content_sha256 AS text[]), CAST(:text AS text[]),
        CAST(:author_external_id AS text[]), CAST(:author_name AS text[]),
        CAST(:author_email AS text[]), CAST(:author_pseudonym AS text[]),
        CAST(:article_url AS text[]), CAST(:article_title AS text[]),
        CAST(:parent_external_id AS text[]), CAST(:region AS text[]),
        CAST(:language AS text[]), CAST(:posted_at AS timestamp[]),
        CAST(:model_version AS text[]), CAST(:scores AS text[]), CAST(:flags AS text[]),
        CAST(:tags AS text[]), CAST(:evidence AS text[]), CAST(:analysis_language AS text[]),
        CAST(:confidence AS float8[]), CAST(:urgency AS int[]), CAST(:due_at AS timestamp[]))
    AS v(external_id, content_sha256, text, author_external_id, author_name, author_email,
         author_pseudonym, article_url, article_title, parent_external_id, region, language,
         posted_at, model_version, scores, flags, tags, evidence, analysis_language,
         confidence, urgency, due_at)
), c AS (
    INSERT INTO comments (site_id, external_id, content_sha256, text, author_external_id,
        author_name, author_email, author_pseudonym, article_url, article_title,
        parent_external_id, region, language, posted_at, received_at)
    SELECT :site_id, external_id, content_sha256, text, author_external_id, author_name,
        author_email, author_pseudonym, article_url, article_title, parent_external_id,
        region, language, posted_at, :now
    FROM v ORDER BY external_id COLLATE "C"
    ON CONFLICT DO NOTHING
    RETURNING id, external_id
), d AS (
    INSERT INTO webhook_deliveries (site_id, webhook_id, body_sha256, comment_ids, received_at)
    SELECT :site_id, CAST(:webhook_id AS text), :body_sha256,
        (SELECT json_agg(c.id ORDER BY o.n)
         FROM unnest(CAST(:order AS text[])) WITH ORDINALITY AS o(external_id, n)
         JOIN c USING (external_id)), :now
    WHERE CAST(:webhook_id AS text) IS NOT NULL
        AND (SELECT count(*) FROM c) = cardinality(CAST(:external_id AS text[]))
    ON CONFLICT DO NOTHING
    RETURNING id
), a AS (
    INSERT INTO analyses (comment_id, model_version, scores, flags, tags, evidence, language,
        confidence, created_at)
    SELECT c.id, v.model_version, CAST(v.scores AS json), CAST(v.flags AS json),
        CAST(v.tags AS json), CAST(v.evidence AS json), v.analysis_language, v.confidence, :now
    FROM c JOIN v USING (external_id)
), i AS (
    INSERT INTO review_items (comment_id, site_id, state, urgency, created_at, due_at)
    SELECT c.id, :site_id, :state, v.urgency, :now, v.due_at
    FROM c JOIN v USING (external_id) WHERE v.urgency IS NOT NULL
    RETURNING id, comment_id
), f AS (
    INSERT INTO review_item_flags (item_id, flag)
    SELECT i.id, flag.value FROM i JOIN c ON c.id = i.comment_id JOIN v USING (external_id)
        CROSS JOIN json_array_elements_text(CAST(v.flags AS json)) AS flag
)
SELECT external_id, id, (SELECT count(*) FROM d) FROM c""").bindparams(
    # the columns' own type converts the times (aware UTC in, naive UTC stored)
    sa.bindparam("now", type_=UTCDateTime()),
    sa.bindparam("posted_at", type_=postgresql.ARRAY(UTCDateTime())),
    sa.bindparam("due_at", type_=postgresql.ARRAY(UTCDateTime())))


def _insert_first_pg(connection: sa.Connection, settings: Settings, site: SiteRef,
                     new: list[CommentIn], analyses: Mapping[str, engine.Analysis],
                     order: list[str], webhook_id: str | None, body_sha256: str | None,
                     now: datetime) -> dict[str, int]:
    """The ids of `new` (one statement, see _PG_FIRST); raises _NotFirst when a comment or
    the webhook-id was stored already."""
    rows = _comment_rows(settings, site, new, analyses, now)
    for row, c in zip(rows, new, strict=True):
        scored = analyses[c.external_id]
        analysis = _analysis_values(scored)
        queued = (queue_fields(scored.flags, now, settings.response_deadlines)
                  if scored.flags else {"urgency": None, "due_at": None})
        row.update(model_version=analysis["model_version"],
                   analysis_language=analysis["language"], confidence=analysis["confidence"],
                   urgency=queued["urgency"], due_at=queued["due_at"],
                   **{k: json.dumps(analysis[k]) for k in ("scores", "flags", "tags", "evidence")})
    params = {name: [row[name] for row in rows] for name in _PG_FIRST_COLUMNS}
    params.update(site_id=site.id, now=now, webhook_id=webhook_id,
                  body_sha256=body_sha256 or "", order=order, state=ItemState.OPEN.value)
    stored = connection.execute(_PG_FIRST, params).all()
    if len(stored) < len(new) or (webhook_id and stored[0][2] == 0):
        raise _NotFirst()
    return {external_id: cid for external_id, cid, _ in stored}


def _store_first(connection: sa.Connection, settings: Settings, site: SiteRef,
                 comments: list[CommentIn],
                 analyses: Mapping[str, engine.Analysis], webhook_id: str | None,
                 body_sha256: str | None) -> list[IngestResult]:
    """A first delivery, no reads: its comments, then its webhook-id, each inserted only if
    new; raises _NotFirst (the caller rolls back) when any of them is not."""
    # Each comment once (a batch may repeat one; the validator made sure the repeats are
    # identical), in sorted order: concurrent batches wait for each other without deadlock.
    new = sorted({c.external_id: c for c in comments}.values(), key=lambda c: c.external_id)
    now = utcnow()
    if connection.dialect.name == "postgresql":
        created = _insert_first_pg(connection, settings, site, new, analyses,
                                   [c.external_id for c in comments], webhook_id, body_sha256,
                                   now)
        return _results(comments, analyses, created)
    created = dict(connection.execute(
        _SQLITE_FIRST[0], _comment_rows(settings, site, new, analyses, now)).all())
    if len(created) < len(new):
        raise _NotFirst()
    results = _results(comments, analyses, created)
    if webhook_id and connection.execute(_SQLITE_FIRST[1], {
            "site_id": site.id, "webhook_id": webhook_id, "body_sha256": body_sha256 or "",
            "comment_ids": [r.id for r in results], "received_at": now}).first() is None:
        raise _NotFirst()
    _insert(connection, settings, site, new, analyses, now, created)
    return results


def _results(comments: list[CommentIn], analyses: Mapping[str, engine.Analysis],
             created: Mapping[str, int]) -> list[IngestResult]:
    """A first delivery's answer, comment by comment (a repeat in the batch is a duplicate)."""
    results, seen = [], set()
    for c in comments:
        scored = analyses[c.external_id]
        results.append(IngestResult(created[c.external_id], c.external_id, list(scored.flags),
                                    list(scored.tags),
                                    "queued" if scored.flags else "not_flagged",
                                    c.external_id in seen))
        seen.add(c.external_id)
    return results


@contextmanager
def _write(session: Session | sa.Connection) -> Iterator[sa.Connection]:
    """One write transaction (BEGIN IMMEDIATE on SQLite), on a session or straight on a
    connection (no ORM session work); a read the connection had open is ended first."""
    if not isinstance(session, sa.Connection):
        with write_transaction(session):
            yield session.connection()
        return
    if session.in_transaction():
        session.commit()
    session.execution_options(**{_IMMEDIATE: True})
    try:
        with session.begin():
            yield session
    finally:
        session.execution_options(**{_IMMEDIATE: False})


def ingest_comments(session: Session | sa.Connection, settings: Settings,
                    site: Site | SiteRef,
                    comments: list[CommentIn], *,
                    webhook_id: str | None = None, body_sha256: str | None = None,
                    analyses: Mapping[str, engine.Analysis] | None = None,
                    ) -> list[IngestResult]:
    """Store a batch all or nothing; redeliveries answer the stored result, changes conflict.
    `analyses` (by external id) are used as given: a caller that scored already. Scoring
    happens before the write transaction, so the write lock is held only for the inserts."""
    ref = site if isinstance(site, SiteRef) else SiteRef(site.id, site.slug, site.thresholds, ())
    if analyses is None:
        analyses = _analyse(session, ref, comments, site_thresholds(ref, settings))
    dialect = (session.dialect if isinstance(session, sa.Connection)
               else session.get_bind().dialect).name
    if dialect in _FIRST_DIALECTS and all(c.external_id in analyses for c in comments):
        try:
            with _write(session) as connection:
                return _store_first(connection, settings, ref, comments, analyses, webhook_id,
                                    body_sha256)
        except (_NotFirst, IntegrityError):
            pass  # stored already (or another unique key): the redelivery way below
    for attempt in range(_MAX_ATTEMPTS):
        try:
            with _write(session) as connection:
                return _store(connection, settings, ref, comments, analyses, webhook_id,
                              body_sha256)
        except IntegrityError:
            if attempt == _MAX_ATTEMPTS - 1:
                raise
    raise AssertionError("unreachable")

