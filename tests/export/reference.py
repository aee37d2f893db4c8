"""Today's export renderer (commit 9e2491c), frozen: the reference the faster export is
compared with, cell for cell (tests/export/test_export_identical.py). Do not change it to
follow the service: a difference is what the comparison test is for."""
from __future__ import annotations

import csv
import io
import json
import re
import unicodedata
from collections.abc import Iterator
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import sqlalchemy as sa
import sqlalchemy.orm as so
from sqlalchemy.orm import Session

from moderation.models import (
    Analysis,
    Comment,
    Decision,
    ItemState,
    ReviewItem,
    Site,
    User,
    flag_list,
    has_flag,
)
from moderation.services.export import ExportFilters

FORMATS = ("csv", "ndjson", "json")
FLAGS = ("crisis", "threat", "distress", "hostile")
ACTIONS = ("approve", "hide", "escalate", "replied", "not_a_concern")
STATES = tuple(s.value for s in ItemState)  # open, claimed, escalated, resolved
SCORES = ("distress", "crisis", "hostility", "threat")
COLUMNS = [
    "id", "site", "external_id", "article_url", "article_title", "posted_at", "received_at",
    "flags", "tags", *[f"score_{s}" for s in SCORES], "model_version", "state", "decision",
    "moderator", "decided_at", "seconds_to_decision", "reply_sent", "author",
]
_BATCH = 2000
_NUMBER = re.compile(r"-?\d+(\.\d+)?([eE][-+]?\d+)?")  # whole value: fullmatch
# A cell starting with a control character, or whose first visible character is (or
# NFKC-folds to, like the full-width "＝") a formula sign, after any leading spaces.
_CONTROL_START = ("\t", "\r", "\n")
_FORMULA_SIGNS = frozenset("=+-@")


def _query(filters: ExportFilters) -> sa.Select:
    # The newest analysis and decision of each row: joined through their indexes, with
    # "no newer one exists" as an anti-join. Both SQLite and PostgreSQL plan this well;
    # grouping whole tables first is slow on SQLite, and a correlated max() inside the
    # join condition made PostgreSQL loop over every pair.
    a2, d2 = so.aliased(Analysis), so.aliased(Decision)
    newest_analysis = ~sa.exists().where(a2.comment_id == Analysis.comment_id,
                                         a2.id > Analysis.id)
    newest_decision = ~sa.exists().where(d2.review_item_id == Decision.review_item_id,
                                         d2.id > Decision.id)
    raw = sa.String  # timestamps and JSON come back as the database gives them: parsed below
    columns = [
        Comment.id, Site.slug, Comment.external_id, Comment.article_url,
        Comment.article_title, sa.type_coerce(Comment.posted_at, raw),
        sa.type_coerce(Comment.received_at, raw), flag_list(),
        sa.type_coerce(Analysis.tags, raw), sa.type_coerce(Analysis.scores, raw),
        Analysis.model_version, ReviewItem.state, Decision.action, User.email,
        sa.type_coerce(Decision.created_at, raw), Decision.reply_text.is_not(None),
        Comment.author_pseudonym, sa.type_coerce(ReviewItem.created_at, raw),
    ]
    if filters.include_text:
        columns.append(Comment.text)
    query = (sa.select(*columns)
             .select_from(ReviewItem)
             .join(Comment, Comment.id == ReviewItem.comment_id)
             .join(Site, Site.id == Comment.site_id)
             .join(Analysis, sa.and_(Analysis.comment_id == Comment.id, newest_analysis))
             .outerjoin(Decision, sa.and_(Decision.review_item_id == ReviewItem.id,
                                          newest_decision))
             .outerjoin(User, User.id == Decision.user_id)
             .order_by(ReviewItem.id))
    if filters.site:
        query = query.where(Site.slug == filters.site)
    if filters.since:
        query = query.where(Comment.received_at >= _start_of(filters.since))
    if filters.until and filters.until < date.max:  # inclusive: the whole `until` day
        query = query.where(Comment.received_at < _start_of(filters.until, next_day=True))
    if filters.flag:
        query = query.where(has_flag(filters.flag))
    if filters.decision:
        query = query.where(Decision.action == filters.decision)
    if filters.state:
        query = query.where(ReviewItem.state == filters.state)
    return query


def _start_of(day: date, next_day: bool = False) -> datetime:
    start = datetime.combine(day, time.min, tzinfo=UTC)
    return start + timedelta(days=1) if next_day else start


def _utc(value: str | datetime | None) -> datetime | None:
    """A stored UTC timestamp: SQLite gives text, PostgreSQL a naive datetime."""
    if value is None:
        return None
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return value.replace(tzinfo=UTC)


def _iso(value: str | datetime | None) -> str | None:
    """ISO 8601 in UTC without a round trip through datetime for SQLite's text."""
    if value is None:
        return None
    if isinstance(value, str):
        return value.replace(" ", "T", 1) + "+00:00"
    return value.isoformat() + "+00:00"


def _records(session: Session, filters: ExportFilters) -> Iterator[list[Any]]:
    """Rows as lists in COLUMNS order (+ text), streamed in batches from a server-side
    cursor on PostgreSQL. Built from plain tuples: this loop runs a million times."""
    filters.validate()
    connection = session.connection()
    if connection.dialect.name == "postgresql":
        # The cursor is read to the end: plan for all rows (hash joins), not the first 10%.
        connection.exec_driver_sql("SET LOCAL cursor_tuple_fraction = 1.0")
    result = connection.execute(_query(filters).execution_options(yield_per=_BATCH))
    for row in result:
        (cid, site, external_id, url, title, posted, received, flags, tags, scores,
         model_version, state, action, moderator, decided, has_reply, author, queued,
         *text) = row
        decided_at = _utc(decided)
        if isinstance(tags, str):
            tags = [] if tags == "[]" else json.loads(tags)
        if isinstance(scores, str):
            scores = json.loads(scores)
        get = scores.get
        record = [
            cid, site, external_id, url, title, _iso(posted), _iso(received),
            flags, tags,
            *[round(get(k, 0.0), 4) for k in SCORES],
            model_version, state, action, moderator, _iso(decided),
            round((decided_at - _utc(queued)).total_seconds(), 1) if decided_at else None,
            action == "replied" and bool(has_reply), author, *text,
        ]
        yield record


def count_rows(session: Session, filters: ExportFilters) -> int:
    return session.scalar(sa.select(sa.func.count()).select_from(
        _query(filters).order_by(None).subquery())) or 0


def neutralise(value: Any) -> Any:
    """Keep spreadsheets from running a cell as a formula (CSV injection): a leading quote
    on a cell a spreadsheet would read as one; numbers stay numbers."""
    if not isinstance(value, str) or not value or _NUMBER.fullmatch(value):
        return value
    first = unicodedata.normalize("NFKC", value.lstrip()[:1])
    if value.startswith(_CONTROL_START) or first in _FORMULA_SIGNS:
        return "'" + value
    return value


# Cells that carry text from a site or a reader: only these can hold a formula.
_FREE_TEXT = [COLUMNS.index(c) for c in
              ("site", "external_id", "article_url", "article_title", "model_version",
               "moderator", "author")]
_LISTS = [COLUMNS.index("flags"), COLUMNS.index("tags")]
_REPLY = COLUMNS.index("reply_sent")


def _csv_records(records: Iterator[list[Any]], include_text: bool) -> Iterator[list[Any]]:
    free_text = _FREE_TEXT + ([len(COLUMNS)] if include_text else [])
    for record in records:
        for i in _LISTS:
            record[i] = ";".join(record[i])
        record[_REPLY] = "yes" if record[_REPLY] else "no"
        for i in free_text:
            record[i] = neutralise(record[i])
        yield record


def render_csv(records: Iterator[list[Any]], include_text: bool) -> Iterator[str]:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")  # RFC 4180
    writer.writerow(COLUMNS + (["text"] if include_text else []))
    batch: list[list[Any]] = []
    for record in _csv_records(records, include_text):
        batch.append(record)
        if len(batch) == 1000:
            writer.writerows(batch)
            batch.clear()
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    writer.writerows(batch)
    yield buffer.getvalue()


def render_json(rows: Iterator[dict[str, Any]], fmt: str) -> Iterator[str]:
    if fmt == "ndjson":
        for row in rows:
            yield json.dumps(row, ensure_ascii=False) + "\n"
    else:
        yield "["
        for i, row in enumerate(rows):
            yield ("," if i else "") + "\n" + json.dumps(row, ensure_ascii=False)
        yield "\n]\n"


def reference_export(session: Session, filters: ExportFilters, fmt: str) -> str:
    """The whole export as today's code wrote it (no audit event)."""
    records = _records(session, filters)
    if fmt == "csv":
        out = "".join(render_csv(records, filters.include_text))
    else:
        names = COLUMNS + (["text"] if filters.include_text else [])
        out = "".join(render_json((dict(zip(names, r, strict=True)) for r in records), fmt))
    session.rollback()
    return out
