"""The review queue: list it (filters, keyset pages), claim items with leases, decide them."""
from __future__ import annotations

import base64
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.orm import Session, joinedload

from ..db import MAX_ROW_ID, utcnow, write_transaction
from ..errors import Conflict, Invalid, NotFound
from ..models import Action, Analysis, Comment, Decision, ItemState, ReviewItem, Site, User
from . import audit

FLAGS = ("crisis", "threat", "distress", "hostile")  # most urgent first (urgency 1..4)
STATES = tuple(s.value for s in ItemState)
ACTIONS = tuple(a.value for a in Action)
# A reply is written to one reader: it is never applied to many comments at once.
BULK_ACTIONS = tuple(a for a in ACTIONS if a != Action.REPLIED.value)
# Reply problems that refuse the reply; the others are warnings the moderator confirms.
BLOCKING_REPLY_PROBLEMS = {"missing_helpline", "method_mention"}
MAX_NOTE = 2000
MAX_REPLY = 5000
MAX_BULK = 200
PAGE_SIZE = 50
CLAIMED_SHOWN = 20  # "being worked on" above the queue; all of them: the claimed filter


class ReplyProblems(Invalid):
    """The reply has safe-messaging problems: refused (`blocking`) or to be confirmed."""

    def __init__(self, problems: list[dict[str, Any]], blocking: bool):
        message = ("the reply cannot be sent: " if blocking else
                   "please read the warnings and confirm: ") + \
            "; ".join(p["message"] for p in problems)
        super().__init__(message, {"problems": problems, "blocking": blocking})
        self.problems = problems
        self.blocking = blocking


def _is_postgres(session: Session) -> bool:
    return session.get_bind().dialect.name == "postgresql"


def lease_seconds() -> int:
    return int(current_app.config.get("CLAIM_LEASE_SECONDS", 600))


# ---------------------------------------------------------------------------- listing

@dataclass(frozen=True)
class QueueFilters:
    state: str = ItemState.OPEN.value
    flag: str | None = None
    site: str | None = None      # a site's slug
    article: str | None = None   # an article's URL
    q: str | None = None         # words in the comment

    @classmethod
    def from_args(cls, args) -> QueueFilters:
        state = args.get("state") or ItemState.OPEN.value
        flag = args.get("flag") or None
        if state not in STATES:
            raise Invalid(f"state must be one of {', '.join(STATES)}")
        if flag is not None and flag not in FLAGS:
            raise Invalid(f"flag must be one of {', '.join(FLAGS)}")
        q = (args.get("q") or "").strip()[:200] or None
        return cls(state=state, flag=flag, site=(args.get("site") or None),
                   article=(args.get("article") or None), q=q)

    def as_args(self) -> dict[str, str]:
        return {k: v for k, v in (("state", self.state), ("flag", self.flag),
                                  ("site", self.site), ("article", self.article),
                                  ("q", self.q)) if v}


@dataclass(frozen=True)
class Cursor:
    """Where a page ends, in the queue's order: (urgency, created_at, id)."""

    urgency: int
    created_at: datetime
    id: int

    def encode(self) -> str:
        micros = int(self.created_at.timestamp() * 1_000_000)
        raw = f"{self.urgency}.{micros}.{self.id}".encode()
        return base64.urlsafe_b64encode(raw).decode().rstrip("=")

    @classmethod
    def decode(cls, token: str) -> Cursor:
        try:
            raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)).decode()
            urgency, micros, item_id = (int(p) for p in raw.split("."))
            created = datetime.fromtimestamp(micros / 1_000_000, tz=UTC)
            if not (0 <= urgency <= 99 and 0 <= item_id <= MAX_ROW_ID):
                raise ValueError("out of range")  # no row has these: the database overflowed
        except (ValueError, UnicodeDecodeError, OverflowError, OSError):
            raise Invalid("that page link is not valid any more; start from the top") from None
        return cls(urgency, created, item_id)


@dataclass(frozen=True)
class QueueRow:
    """What a queue row shows: plain columns, loaded without ORM entities (it is the
    hottest page; building 50 entity graphs per view cost more than the SQL)."""

    id: int
    comment_id: int
    urgency: int
    state: str
    flag_set: str
    created_at: datetime
    due_at: datetime
    resolved_at: datetime | None
    claimed_by: str | None
    text: str | None
    article_url: str | None
    article_title: str | None
    site: str
    evidence: list[dict[str, Any]] = field(default_factory=list)

    @property
    def flags(self) -> list[str]:
        return [f for f in self.flag_set.split(",") if f]


@dataclass
class QueuePage:
    items: list[QueueRow]
    next_cursor: str | None
    filters: QueueFilters
    claimed: list[QueueRow] = field(default_factory=list)


_ROW_COLUMNS = (ReviewItem.id, ReviewItem.comment_id, ReviewItem.urgency, ReviewItem.state,
                ReviewItem.flag_set, ReviewItem.created_at, ReviewItem.due_at,
                ReviewItem.resolved_at, User.email, Comment.text, Comment.article_url,
                Comment.article_title, Site.slug)


def _row_query():
    return (sa.select(*_ROW_COLUMNS).select_from(ReviewItem)
            .join(Comment, Comment.id == ReviewItem.comment_id)
            .join(Site, Site.id == ReviewItem.site_id)
            .outerjoin(User, User.id == ReviewItem.claimed_by_id))


def _filtered(query, filters: QueueFilters):
    query = query.where(ReviewItem.state == filters.state)
    if filters.flag:
        query = query.where(ReviewItem.flag_set.contains(f",{filters.flag},"))
    if filters.site:
        query = query.where(ReviewItem.site_id == sa.select(Site.id).where(
            Site.slug == filters.site).scalar_subquery())
    if filters.article:
        query = query.where(Comment.article_url == filters.article)
    if filters.q:
        query = query.where(Comment.text.icontains(filters.q, autoescape=True))
    return query


def _rows(session: Session, query) -> list[QueueRow]:
    found = session.execute(query).all()
    evidence: dict[int, list] = {}
    if found:
        # The latest analysis of each comment wins (ordered by id, later rows overwrite).
        for comment_id, spans in session.execute(
                sa.select(Analysis.comment_id, Analysis.evidence)
                .where(Analysis.comment_id.in_([r.comment_id for r in found]))
                .order_by(Analysis.id)):
            evidence[comment_id] = spans or []
    return [QueueRow(*r, evidence=evidence.get(r.comment_id, [])) for r in found]


QUEUE_ORDER = (ReviewItem.urgency, ReviewItem.created_at, ReviewItem.id)


def list_queue(session: Session, filters: QueueFilters, after: str | None = None,
               limit: int = PAGE_SIZE) -> QueuePage:
    """One page in queue order (most urgent, then oldest). Keyset: no OFFSET scans."""
    query = _filtered(_row_query(), filters)
    if after:
        cursor = Cursor.decode(after)
        query = query.where(sa.tuple_(*QUEUE_ORDER) > sa.tuple_(
            sa.literal(cursor.urgency, sa.SmallInteger),
            sa.literal(cursor.created_at, ReviewItem.__table__.c.created_at.type),
            sa.literal(cursor.id, sa.Integer)))
    rows = _rows(session, query.order_by(*QUEUE_ORDER).limit(limit + 1))
    next_cursor = None
    if len(rows) > limit:
        rows = rows[:limit]
        last = rows[-1]
        next_cursor = Cursor(last.urgency, last.created_at, last.id).encode()
    claimed: list[QueueRow] = []
    if filters.state == ItemState.OPEN.value and not after:
        in_progress = QueueFilters(**{**filters.__dict__, "state": ItemState.CLAIMED.value})
        claimed = _rows(session, _filtered(_row_query(), in_progress)
                        .order_by(*QUEUE_ORDER).limit(CLAIMED_SHOWN))
    return QueuePage(rows, next_cursor, filters, claimed)


def count_open(session: Session, urgency: int | None = 1, cap: int = 1000) -> int:
    """Open items (of one urgency), counted up to `cap` so the count stays cheap."""
    inner = sa.select(sa.literal(1)).where(ReviewItem.state == ItemState.OPEN.value)
    if urgency is not None:
        inner = inner.where(ReviewItem.urgency == urgency)
    return session.scalar(sa.select(sa.func.count()).select_from(
        inner.limit(cap).subquery())) or 0


def new_urgent_items(session: Session, after_id: int, since: datetime,
                     limit: int = 20) -> list[QueueRow]:
    """Open crisis items that came in after the page was drawn (for the 5-second poll)."""
    return _rows(session, _row_query()
                 .where(ReviewItem.state == ItemState.OPEN.value, ReviewItem.urgency == 1,
                        ReviewItem.created_at >= since, ReviewItem.id > after_id)
                 .order_by(ReviewItem.created_at, ReviewItem.id).limit(limit))


def site_choices(session: Session) -> list[tuple[str, str]]:
    return [(slug, name) for slug, name in session.execute(
        sa.select(Site.slug, Site.name).order_by(Site.slug))]


# ----------------------------------------------------------------------------- claims

def release_expired(session: Session, now: datetime | None = None) -> int:
    """Claims whose lease ran out go back to the open queue. Cheap when there are none."""
    now = now or utcnow()
    expired = (ReviewItem.state == ItemState.CLAIMED.value) & \
        (ReviewItem.lease_expires_at < now)
    if session.scalar(sa.select(ReviewItem.id).where(expired).limit(1)) is None:
        return 0
    with write_transaction(session):
        result = session.execute(
            sa.update(ReviewItem).where(expired)
            .values(state=ItemState.OPEN.value, claimed_by_id=None, lease_expires_at=None)
            .execution_options(synchronize_session=False))
    return result.rowcount or 0


def _locked(session: Session, item_id: int) -> ReviewItem:
    query = sa.select(ReviewItem).where(ReviewItem.id == item_id)
    if _is_postgres(session):
        query = query.with_for_update()
    item = session.scalar(query)
    if item is None:
        raise NotFound(f"no review item {item_id}")
    return item


def _held_by_other(item: ReviewItem, user_id: int, now: datetime) -> bool:
    return (item.state == ItemState.CLAIMED.value and item.claimed_by_id != user_id
            and item.lease_expires_at is not None and item.lease_expires_at > now)


def claim_next(session: Session, user: User, flag: str | None = None) -> ReviewItem | None:
    """Claim the most urgent open item. Two moderators never get the same one: PostgreSQL
    skips rows another transaction has locked; SQLite serialises writers (BEGIN IMMEDIATE)."""
    release_expired(session)
    with write_transaction(session):
        now = utcnow()
        query = (sa.select(ReviewItem).where(ReviewItem.state == ItemState.OPEN.value)
                 .order_by(*QUEUE_ORDER).limit(1))
        if flag:
            query = query.where(ReviewItem.flag_set.contains(f",{flag},"))
        if _is_postgres(session):
            query = query.with_for_update(skip_locked=True)
        item = session.scalar(query)
        if item is None:
            return None
        item.state = ItemState.CLAIMED.value
        item.claimed_by_id = user.id
        item.lease_expires_at = now + timedelta(seconds=lease_seconds())
        item_id = item.id
    return session.get(ReviewItem, item_id)


@dataclass(frozen=True)
class Claim:
    item: ReviewItem
    mine: bool          # this moderator holds the lease and may decide
    holder: str | None  # who holds it otherwise


def claim(session: Session, item_id: int, user: User) -> Claim:
    """Opening an item claims it (or renews this moderator's lease); an item someone else
    holds, or one already decided, is shown read-only."""
    user_id = user.id  # read before the transaction: a commit expires the user
    with write_transaction(session):
        now = utcnow()
        item = _locked(session, item_id)
        if item.state == ItemState.RESOLVED.value:
            return Claim(item, False, None)
        if _held_by_other(item, user_id, now):
            return Claim(item, False, item.claimed_by.email if item.claimed_by else None)
        item.state = ItemState.CLAIMED.value
        item.claimed_by_id = user_id
        item.lease_expires_at = now + timedelta(seconds=lease_seconds())
    return Claim(item, True, None)


def renew_lease(session: Session, item_id: int, user: User) -> datetime:
    """Keep the claim while the item is open in the moderator's browser."""
    user_id = user.id  # read before the transaction: a commit expires the user
    with write_transaction(session):
        now = utcnow()
        item = _locked(session, item_id)
        if item.state == ItemState.RESOLVED.value:
            raise Conflict("this item has been decided")
        if _held_by_other(item, user_id, now):
            raise Conflict("another moderator has claimed this item")
        item.state = ItemState.CLAIMED.value
        item.claimed_by_id = user_id
        item.lease_expires_at = expires = now + timedelta(seconds=lease_seconds())
    return expires


def release(session: Session, item_id: int, user: User) -> None:
    """Put an item this moderator holds back in the open queue, undecided."""
    with write_transaction(session):
        item = _locked(session, item_id)
        if item.state == ItemState.CLAIMED.value and item.claimed_by_id == user.id:
            item.state = ItemState.OPEN.value
            item.claimed_by_id = None
            item.lease_expires_at = None


# -------------------------------------------------------------------------- decisions

def _clean(text: str | None, limit: int, what: str) -> str | None:
    text = (text or "").strip()
    if len(text) > limit:
        raise Invalid(f"the {what} is longer than {limit} characters")
    return text or None


def check_reply(session: Session, reply_text: str,
                confirm_warnings: bool = False) -> list[dict[str, Any]]:
    """Safe-messaging problems of a reply: refuse the blocking ones, have the rest confirmed."""
    from .support import check_reply_text
    problems = check_reply_text(reply_text, session)
    if any(p["code"] in BLOCKING_REPLY_PROBLEMS for p in problems):
        raise ReplyProblems(problems, blocking=True)
    if problems and not confirm_warnings:
        raise ReplyProblems(problems, blocking=False)
    return problems


def _record_decision(session: Session, item: ReviewItem, user: User, action: str,
                     note: str | None, reply_text: str | None, resources: list[str] | None,
                     now: datetime, bulk: bool = False) -> Decision:
    from .callbacks import enqueue_decision
    decision = Decision(review_item_id=item.id, user_id=user.id, action=action, note=note,
                        reply_text=reply_text, resources=resources, created_at=now)
    session.add(decision)
    item.state = ItemState.RESOLVED.value
    item.resolved_at = now
    item.claimed_by_id = user.id
    item.lease_expires_at = None
    session.flush()
    enqueue_decision(session, decision)
    details: dict[str, Any] = {"comment_id": item.comment_id, "flags": item.flags}
    if note:
        details["note"] = note
    if bulk:
        details["bulk"] = True
    audit.record(session, f"decision.{action}", actor=user, target_type="review_item",
                 target_id=item.id, details=details)
    return decision


def decide(session: Session, item_id: int, user: User, action: str, *,
           note: str | None = None, reply_text: str | None = None,
           resources: list[str] | None = None, confirm_warnings: bool = False) -> Decision:
    """A moderator's decision: resolves the item, writes the Decision, the audit row and
    (for the site) the callback, all in one transaction."""
    if action not in ACTIONS:
        raise Invalid(f"the decision must be one of {', '.join(ACTIONS)}")
    note = _clean(note, MAX_NOTE, "note")
    if action == Action.REPLIED.value:
        reply_text = _clean(reply_text, MAX_REPLY, "reply")
        if not reply_text:
            raise Invalid("write the reply that was sent to the reader")
        check_reply(session, reply_text, confirm_warnings)
        resources = [str(r)[:100] for r in (resources or [])][:20] or None
    else:
        reply_text, resources = None, None
    user_id = user.id
    with write_transaction(session):
        now = utcnow()
        item = _locked(session, item_id)
        if item.state == ItemState.RESOLVED.value:
            raise Conflict("this item has already been decided")
        if _held_by_other(item, user_id, now):
            raise Conflict(f"{item.claimed_by.email} is working on this item")
        decision = _record_decision(session, item, user, action, note, reply_text,
                                    resources, now)
        decision_id = decision.id
    return session.get(Decision, decision_id)


@dataclass(frozen=True)
class BulkResult:
    decided: list[int]
    skipped: dict[int, str]


def bulk_decide(session: Session, item_ids: list[int], user: User, action: str, *,
                note: str | None = None) -> BulkResult:
    """One decision applied to several items by a moderator; items decided or held by
    someone else meanwhile are skipped and reported, never overwritten."""
    if action not in BULK_ACTIONS:
        raise Invalid("a bulk decision is approve, hide, escalate or not_a_concern")
    ids = sorted({int(i) for i in item_ids})
    if not ids:
        raise Invalid("select at least one item")
    if len(ids) > MAX_BULK:
        raise Invalid(f"at most {MAX_BULK} items at once")
    note = _clean(note, MAX_NOTE, "note")
    decided: list[int] = []
    skipped: dict[int, str] = {}
    user_id = user.id
    with write_transaction(session):
        now = utcnow()
        query = sa.select(ReviewItem).where(ReviewItem.id.in_(ids)).order_by(ReviewItem.id)
        if _is_postgres(session):
            query = query.with_for_update()
        items = {item.id: item for item in session.scalars(query)}
        for item_id in ids:
            item = items.get(item_id)
            if item is None:
                skipped[item_id] = "not found"
            elif item.state == ItemState.RESOLVED.value:
                skipped[item_id] = "already decided"
            elif _held_by_other(item, user_id, now):
                skipped[item_id] = "claimed by another moderator"
            else:
                _record_decision(session, item, user, action, note, None, None, now, bulk=True)
                decided.append(item_id)
    return BulkResult(decided, skipped)


# ------------------------------------------------------------------------- item page

@dataclass(frozen=True)
class AuthorComment:
    """One of the author's other comments on the site, as the item page lists it."""

    id: int
    text: str | None
    received_at: datetime
    item_id: int | None
    flag_set: str | None

    @property
    def flags(self) -> list[str]:
        return [f for f in (self.flag_set or "").split(",") if f]


@dataclass
class ItemContext:
    item: ReviewItem
    comment: Comment
    parent: Comment | None
    author_comments: list[AuthorComment]


# Built once: loader options are immutable, and building them per request showed up.
_ITEM_OPTIONS = (joinedload(ReviewItem.comment).joinedload(Comment.site),
                 joinedload(ReviewItem.comment).selectinload(Comment.analyses),
                 joinedload(ReviewItem.claimed_by))


def item_context(session: Session, item_id: int, history: int = 10) -> ItemContext:
    item = session.scalar(sa.select(ReviewItem).where(ReviewItem.id == item_id)
                          .options(*_ITEM_OPTIONS))
    if item is None:
        raise NotFound(f"no review item {item_id}")
    comment = item.comment
    parent = None
    if comment.parent_external_id:
        parent = session.scalar(sa.select(Comment).where(
            Comment.site_id == comment.site_id,
            Comment.external_id == comment.parent_external_id))
    author_comments: list[AuthorComment] = []
    if comment.author_external_id:
        author_comments = [AuthorComment(*row) for row in session.execute(
            sa.select(Comment.id, Comment.text, Comment.received_at, ReviewItem.id,
                      ReviewItem.flag_set)
            .outerjoin(ReviewItem, ReviewItem.comment_id == Comment.id)
            .where(Comment.site_id == comment.site_id,
                   Comment.author_external_id == comment.author_external_id,
                   Comment.id != comment.id)
            .order_by(Comment.received_at.desc(), Comment.id.desc()).limit(history))]
    return ItemContext(item, comment, parent, author_comments)


def next_open_item_id(session: Session) -> int | None:
    return session.scalar(sa.select(ReviewItem.id).where(
        ReviewItem.state == ItemState.OPEN.value).order_by(*QUEUE_ORDER).limit(1))
