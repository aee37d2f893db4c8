"""Moderation-log export: one row per flagged or decided comment, streamed as CSV, NDJSON
or a JSON array, with authors as pseudonyms and spreadsheet formulas neutralised."""
from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from datetime import date, datetime, time, timedelta, timezone
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from ..db import write_transaction
from ..errors import Invalid
from ..models import Analysis, Comment, Decision, ReviewItem, Site, User
from . import audit

FORMATS = ("csv", "ndjson", "json")
FLAGS = ("crisis", "threat", "distress", "hostile")
ACTIONS = ("approve", "hide", "escalate", "replied", "not_a_concern")
STATES = ("open", "claimed", "resolved")
SCORES = ("distress", "crisis", "hostility", "threat")
COLUMNS = [
    "id", "site", "external_id", "article_url", "article_title", "posted_at", "received_at",
    "flags", "tags", *[f"score_{s}" for s in SCORES], "model_version", "state", "decision",
    "moderator", "decided_at", "seconds_to_decision", "reply_sent", "author",
]
_BATCH = 2000
_NUMBER = re.compile(r"^-?\d+(\.\d+)?([eE][-+]?\d+)?$")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class ExportFilters:
    site: str | None = None
    since: date | None = None
    until: date | None = None
    flag: str | None = None
    decision: str | None = None
    state: str | None = None
    include_text: bool = False

    def validate(self) -> ExportFilters:
        for name, value, allowed in (("flag", self.flag, FLAGS),
                                     ("decision", self.decision, ACTIONS),
                                     ("state", self.state, STATES)):
            if value is not None and value not in allowed:
                raise Invalid(f"{name} must be one of {', '.join(allowed)}")
        if self.since and self.until and self.since > self.until:
            raise Invalid("since is after until")
        return self

    def describe(self) -> dict[str, Any]:
        return {k: (v.isoformat() if isinstance(v, date) else v)
                for k, v in asdict(self).items() if v not in (None, False)}


def _query(filters: ExportFilters) -> sa.Select:
    latest_analysis = (sa.select(sa.func.max(Analysis.id).label("id"), Analysis.comment_id)
                       .group_by(Analysis.comment_id).subquery())
    latest_decision = (sa.select(sa.func.max(Decision.id).label("id"),
                                 Decision.review_item_id)
                       .group_by(Decision.review_item_id).subquery())
    columns = [
        Comment.id, Site.slug.label("site"), Comment.external_id, Comment.article_url,
        Comment.article_title, Comment.posted_at, Comment.received_at,
        Analysis.flags, Analysis.tags, Analysis.scores, Analysis.model_version,
        ReviewItem.state, Decision.action.label("decision"), User.email.label("moderator"),
        Decision.created_at.label("decided_at"), Decision.reply_text,
        Comment.author_pseudonym.label("author"), ReviewItem.created_at.label("queued_at"),
    ]
    if filters.include_text:
        columns.append(Comment.text)
    query = (sa.select(*columns)
             .select_from(ReviewItem)
             .join(Comment, Comment.id == ReviewItem.comment_id)
             .join(Site, Site.id == Comment.site_id)
             .join(latest_analysis, latest_analysis.c.comment_id == Comment.id)
             .join(Analysis, Analysis.id == latest_analysis.c.id)
             .outerjoin(latest_decision, latest_decision.c.review_item_id == ReviewItem.id)
             .outerjoin(Decision, Decision.id == latest_decision.c.id)
             .outerjoin(User, User.id == Decision.user_id)
             .order_by(ReviewItem.id))
    if filters.site:
        query = query.where(Site.slug == filters.site)
    if filters.since:
        query = query.where(Comment.received_at >= _start_of(filters.since))
    if filters.until:  # inclusive: the whole `until` day
        query = query.where(Comment.received_at < _start_of(filters.until, next_day=True))
    if filters.flag:
        query = query.where(ReviewItem.flag_set.contains(f",{filters.flag},"))
    if filters.decision:
        query = query.where(Decision.action == filters.decision)
    if filters.state:
        query = query.where(ReviewItem.state == filters.state)
    return query


def _start_of(day: date, next_day: bool = False) -> datetime:
    start = datetime.combine(day, time.min, tzinfo=timezone.utc)
    return start + timedelta(days=1) if next_day else start


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def _row(r: sa.Row, include_text: bool) -> dict[str, Any]:
    decided_at = r.decided_at
    out = {
        "id": r.id, "site": r.site, "external_id": r.external_id,
        "article_url": r.article_url, "article_title": r.article_title,
        "posted_at": _iso(r.posted_at), "received_at": _iso(r.received_at),
        "flags": list(r.flags), "tags": list(r.tags),
        **{f"score_{s}": round(float(r.scores.get(s, 0.0)), 4) for s in SCORES},
        "model_version": r.model_version, "state": r.state, "decision": r.decision,
        "moderator": r.moderator, "decided_at": _iso(decided_at),
        "seconds_to_decision": (round((decided_at - r.queued_at).total_seconds(), 1)
                                if decided_at else None),
        "reply_sent": r.decision == "replied" and bool(r.reply_text),
        "author": r.author,
    }
    if include_text:
        out["text"] = r.text
    return out


def count_rows(session: Session, filters: ExportFilters) -> int:
    return session.scalar(sa.select(sa.func.count()).select_from(
        _query(filters).order_by(None).subquery())) or 0


def iter_rows(session: Session, filters: ExportFilters) -> Iterator[dict[str, Any]]:
    """Rows in id order, streamed in batches (a server-side cursor on PostgreSQL)."""
    filters.validate()
    result = session.execute(_query(filters).execution_options(yield_per=_BATCH))
    for row in result:
        yield _row(row, filters.include_text)


def neutralise(value: Any) -> Any:
    """Keep spreadsheets from running a cell as a formula (CSV injection)."""
    if isinstance(value, str) and value.startswith(_FORMULA_START) and not _NUMBER.match(value):
        return "'" + value
    return value


def _csv_cell(value: Any) -> Any:
    if isinstance(value, list):
        value = ";".join(value)
    elif isinstance(value, bool):
        value = "yes" if value else "no"
    return neutralise(value)


def render(rows: Iterator[dict[str, Any]], fmt: str, include_text: bool) -> Iterator[str]:
    """Serialise rows lazily: memory stays flat whatever the export's size."""
    if fmt == "csv":
        columns = COLUMNS + (["text"] if include_text else [])
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\r\n")  # RFC 4180
        writer.writerow(columns)
        for i, row in enumerate(rows, 1):
            writer.writerow([_csv_cell(row.get(c)) for c in columns])
            if i % 500 == 0:
                yield buffer.getvalue()
                buffer.seek(0)
                buffer.truncate()
        yield buffer.getvalue()
    elif fmt == "ndjson":
        for row in rows:
            yield json.dumps(row, ensure_ascii=False) + "\n"
    elif fmt == "json":
        yield "["
        for i, row in enumerate(rows):
            yield ("," if i else "") + "\n" + json.dumps(row, ensure_ascii=False)
        yield "\n]\n"
    else:
        raise Invalid(f"format must be one of {', '.join(FORMATS)}")


def export(session: Session, filters: ExportFilters, fmt: str, *,
           actor: User | None = None, actor_label: str = "cli") -> Iterator[str]:
    """Stream an export; its audit event (who, filters, rows) is written when it ends."""
    if fmt not in FORMATS:
        raise Invalid(f"format must be one of {', '.join(FORMATS)}")
    filters.validate()
    counter = {"rows": 0}

    def counted() -> Iterator[dict[str, Any]]:
        for row in iter_rows(session, filters):
            counter["rows"] += 1
            yield row

    complete = False
    try:
        yield from render(counted(), fmt, filters.include_text)
        complete = True
    finally:
        session.rollback()
        with write_transaction(session):
            audit.record(session, "export", actor=actor, actor_label=actor_label,
                         details={"format": fmt, "filters": filters.describe(),
                                  "rows": counter["rows"], "complete": complete})
