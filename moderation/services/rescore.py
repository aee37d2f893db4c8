"""Re-scoring stored comments when the tone model changes (``flask analysis rescore``).

Each comment whose newest analysis is from another model version is scored again with the
current engine, in batches of ``batch_size`` comments, one write transaction per batch:
- a new, versioned ``Analysis`` row is added (the old ones stay: analyses are never updated);
- an open or claimed item whose new flags are more urgent gets the higher urgency, the
  union of old and new flags, and the earlier of its deadline and the new flag's deadline;
- a comment that had no item and is now flagged gets an open item, as the webhook would;
- an item a human already decided is never touched, and nothing is ever made less urgent.
Resumable and safe beside the running service: a comment once re-scored carries the current
version and is skipped by the next run; batches follow the comment id, and a webhook comment
arriving meanwhile is scored by the current engine already. Erased (redacted) comments are
skipped. Pure service: no Flask; the caller passes thresholds and deadlines.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Session

from .. import analysis as engine
from ..db import utcnow, write_transaction
from ..models import Analysis, Comment, ItemState, ReviewItem, Site
from .ingest import queue_fields

OPEN_STATES = (ItemState.OPEN.value, ItemState.CLAIMED.value)


@dataclass
class RescoreReport:
    scored: int = 0
    raised: int = 0  # open items made more urgent
    queued: int = 0  # comments newly queued
    unchanged_decided: int = 0  # decided items left as they were
    batches: int = 0
    per_flag: dict[str, int] = field(default_factory=dict)


def _current_version_exists():
    newer = sa.orm.aliased(Analysis)
    return sa.exists().where(newer.comment_id == Comment.id,
                             newer.model_version == engine.MODEL_VERSION)


def pending(*, since: datetime | None = None, site_slug: str | None = None) -> sa.Select:
    """Comments still to re-score (text held, no analysis of the current version)."""
    q = (sa.select(Comment.id, Comment.site_id, Comment.text, Comment.article_title)
         .where(Comment.text.is_not(None), Comment.redacted_at.is_(None),
                ~_current_version_exists()))
    if since is not None:
        q = q.where(Comment.received_at >= since)
    if site_slug:
        q = q.join(Site, Site.id == Comment.site_id).where(Site.slug == site_slug)
    return q


def count_pending(session: Session, **filters) -> int:
    return session.scalar(sa.select(sa.func.count()).select_from(
        pending(**filters).subquery())) or 0


def rescore(session: Session, *, thresholds_for: Callable[[int], Mapping[str, float]],
            deadlines: Mapping[str, int], since: datetime | None = None,
            site_slug: str | None = None, batch_size: int = 200,
            progress: Callable[[int], None] | None = None) -> RescoreReport:
    """Re-score every pending comment; ``thresholds_for(site_id)`` gives a site's thresholds,
    ``deadlines`` minutes per flag (the app's RESPONSE_DEADLINES)."""
    report = RescoreReport()
    after = 0
    while True:
        rows = session.execute(pending(since=since, site_slug=site_slug)
                               .where(Comment.id > after).order_by(Comment.id)
                               .limit(batch_size)).all()
        if not rows:
            break
        after = rows[-1].id
        by_site: dict[int, list] = {}
        for r in rows:
            by_site.setdefault(r.site_id, []).append(r)
        scored: dict[int, engine.Analysis] = {}
        for site_id, group in by_site.items():
            results = engine.analyze_many(
                [r.text for r in group],
                contexts=[{"article_title": r.article_title} if r.article_title else None
                          for r in group],
                thresholds=thresholds_for(site_id))
            scored.update({r.id: a for r, a in zip(group, results, strict=True)})
        with write_transaction(session):
            _apply(session, rows, scored, deadlines, report)
        report.batches += 1
        report.scored += len(rows)
        if progress:
            progress(len(rows))
    return report


def _apply(session: Session, rows, scored: Mapping[int, engine.Analysis],
           deadlines: Mapping[str, int], report: RescoreReport) -> None:
    now = utcnow()
    ids = [r.id for r in rows]
    # a comment scored by another writer meanwhile is left alone (exactly one row per version)
    done = set(session.scalars(sa.select(Analysis.comment_id).where(
        Analysis.comment_id.in_(ids), Analysis.model_version == engine.MODEL_VERSION)))
    items = {i.comment_id: i for i in session.scalars(
        sa.select(ReviewItem).where(ReviewItem.comment_id.in_(ids)))}
    for r in rows:
        if r.id in done:
            continue
        a = scored[r.id]
        session.add(Analysis(comment_id=r.id, model_version=a.model_version,
                             scores=dict(a.scores), flags=list(a.flags), tags=list(a.tags),
                             evidence=[s.to_dict() for s in a.evidence], language=a.language,
                             confidence=a.confidence, created_at=now))
        if not a.flags:
            continue
        for f in a.flags:
            report.per_flag[f] = report.per_flag.get(f, 0) + 1
        fields = queue_fields(a.flags, now, deadlines)
        item = items.get(r.id)
        if item is None:
            session.add(ReviewItem(comment_id=r.id, site_id=r.site_id,
                                   state=ItemState.OPEN.value, created_at=now, **fields))
            report.queued += 1
        elif item.state not in OPEN_STATES:
            report.unchanged_decided += 1
        elif fields["urgency"] < item.urgency or set(a.flags) - set(item.flags):
            if fields["urgency"] < item.urgency:
                item.urgency = fields["urgency"]
                item.due_at = min(item.due_at, fields["due_at"])
                report.raised += 1
            item.flags = [*item.flags, *a.flags]
