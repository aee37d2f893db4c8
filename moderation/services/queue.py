"""The review queue: list it (filters, keyset pages), claim items with leases, decide them."""
from __future__ import annotations

import base64
import time
import weakref
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session, joinedload

from .. import policy
from ..db import MAX_ROW_ID, utcnow, write_transaction
from ..errors import Conflict, Forbidden, Invalid, NotFound
from ..models import (
    Action,
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
from ..policy import Flag
from ..settings import Settings
from . import audit

FLAGS = policy.values()  # every flag an item can carry, most urgent first
STATES = tuple(s.value for s in ItemState)
ACTIONS = tuple(a.value for a in Action)
# A reply is written to one reader, and an escalation needs its own reason: neither is
# ever applied to many comments at once.
BULK_ACTIONS = tuple(a for a in ACTIONS if a not in (Action.REPLIED.value,
                                                     Action.ESCALATE.value))
# Rows this urgent or more (crisis 1; threat and unscored 2) are opened before any decision.
READ_FIRST_URGENCY = 2
# Approving a possible crisis, or calling it not a concern, is confirmed with a reason.
CONFIRMED_ACTIONS = {Action.APPROVE.value, Action.NOT_A_CONCERN.value}
CONFIRMED_FLAGS = {policy.Flag.CRISIS.value}
# Items not yet decided: what the urgent counts count.
UNDECIDED = (ItemState.OPEN.value, ItemState.CLAIMED.value, ItemState.ESCALATED.value)
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
    flags: list[str]  # most urgent first
    created_at: datetime
    due_at: datetime
    resolved_at: datetime | None
    claimed_by: str | None
    text: str | None
    article_url: str | None
    article_title: str | None
    site: str
    lease_expires_at: datetime | None
    escalated_at: datetime | None
    escalation_reason: str | None
    evidence: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class QueuePage:
    items: list[QueueRow]
    next_cursor: str | None
    filters: QueueFilters
    claimed: list[QueueRow] = field(default_factory=list)


# The latest analysis' evidence of the row's comment, in the same round trip as the row.
_LATEST_EVIDENCE = (sa.select(Analysis.evidence).where(Analysis.comment_id == Comment.id)
                    .order_by(Analysis.id.desc()).limit(1).correlate(Comment)
                    .scalar_subquery())
_ROW_COLUMNS = (ReviewItem.id, ReviewItem.comment_id, ReviewItem.urgency, ReviewItem.state,
                flag_list(), ReviewItem.created_at, ReviewItem.due_at,
                ReviewItem.resolved_at, User.email, Comment.text, Comment.article_url,
                Comment.article_title, Site.slug, ReviewItem.lease_expires_at,
                ReviewItem.escalated_at, ReviewItem.escalation_reason, _LATEST_EVIDENCE)
# Built once (statements are immutable; building it per request showed in the profile).
_ROW_QUERY = (sa.select(*_ROW_COLUMNS).select_from(ReviewItem)
              .join(Comment, Comment.id == ReviewItem.comment_id)
              .join(Site, Site.id == ReviewItem.site_id)
              .outerjoin(User, User.id == ReviewItem.claimed_by_id))


def _row_query():
    return _ROW_QUERY


def _filtered(query, filters: QueueFilters):
    query = query.where(ReviewItem.state == filters.state)
    if filters.flag:
        query = query.where(has_flag(filters.flag))
    if filters.site:
        query = query.where(ReviewItem.site_id == sa.select(Site.id).where(
            Site.slug == filters.site).scalar_subquery())
    if filters.article:
        query = query.where(Comment.article_url == filters.article)
    if filters.q:
        query = query.where(Comment.text.icontains(filters.q, autoescape=True))
    return query


def _rows(session: Session, query) -> list[QueueRow]:
    return [QueueRow(*r[:-1], evidence=r[-1] or []) for r in session.execute(query)]


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


def _capped_count(state: str, urgency: int | None, cap: int):
    """count(*) of up to `cap` items in one state (of one urgency), as a scalar subquery.
    Ids in ix_review_queue's order: a range of that index, read by itself (an index-only
    scan), where a bare LIMIT let PostgreSQL choose a sequential scan of the table."""
    inner = sa.select(ReviewItem.id).where(ReviewItem.state == state)
    if urgency is not None:
        inner = inner.where(ReviewItem.urgency == urgency)
    inner = inner.order_by(ReviewItem.state, *QUEUE_ORDER).limit(cap)
    return sa.select(sa.func.count()).select_from(inner.subquery()).scalar_subquery()


def count_open(session: Session, urgency: int | None = 1, cap: int = 1000,
               state: str = ItemState.OPEN.value) -> int:
    """Items in one state (of one urgency), counted up to `cap` so the count stays cheap."""
    return session.scalar(sa.select(_capped_count(state, urgency, cap))) or 0


@dataclass(frozen=True)
class Waiting:
    """Undecided items of one urgency: a claim or an escalation never hides one."""

    open: int
    claimed: int
    escalated: int

    @property
    def total(self) -> int:
        return self.open + self.claimed + self.escalated


def count_waiting(session: Session, urgency: int | None = 1, cap: int = 1000) -> Waiting:
    return Waiting(*session.execute(sa.select(
        *(_capped_count(state, urgency, cap) for state in UNDECIDED))).one())


COUNT_CAP = 1000
_HELD = (ItemState.CLAIMED.value, ItemState.ESCALATED.value)
# The queue page's counts in one round trip: undecided crisis items per state, every
# escalated item (the Escalated tab), and whether a lease ran out (see release_expired).
_PAGE_COUNTS = sa.select(
    *(_capped_count(state, 1, COUNT_CAP) for state in UNDECIDED),
    _capped_count(ItemState.ESCALATED.value, None, COUNT_CAP),
    sa.exists().where(ReviewItem.state.in_(_HELD), ReviewItem.lease_expires_at < sa.bindparam(
        "now", type_=ReviewItem.lease_expires_at.type)))


@dataclass(frozen=True)
class PageCounts:
    crisis: Waiting  # undecided crisis items, per state
    escalated: int  # escalated items of any urgency
    lapsed: bool  # some claim's lease ran out: release_expired has work


def page_counts(session: Session, now: datetime | None = None) -> PageCounts:
    """The queue page's counts (each up to COUNT_CAP), in one round trip."""
    *crisis, escalated, lapsed = session.execute(
        _PAGE_COUNTS, {"now": now or utcnow()}).one()
    return PageCounts(Waiting(*crisis), escalated, bool(lapsed))


def new_urgent_items(session: Session, after_id: int, since: datetime,
                     limit: int = 20) -> list[QueueRow]:
    """Open crisis items that came in after the page was drawn (for the 5-second poll)."""
    return _rows(session, _row_query()
                 .where(ReviewItem.state == ItemState.OPEN.value, ReviewItem.urgency == 1,
                        ReviewItem.created_at >= since, ReviewItem.id > after_id)
                 .order_by(ReviewItem.created_at, ReviewItem.id).limit(limit))


# The site filter's choices change only when a site is added or renamed: kept per database
# for SITE_CHOICES_SECONDS (another process's new site shows within that), and dropped at
# once when this process writes a site.
SITE_CHOICES_SECONDS = 60.0
_site_choices: weakref.WeakKeyDictionary[Any, tuple[float, list[tuple[str, str]]]] = (
    weakref.WeakKeyDictionary())


def site_choices(session: Session) -> list[tuple[str, str]]:
    engine = session.get_bind()
    cached = _site_choices.get(engine)
    if cached is not None and time.monotonic() - cached[0] < SITE_CHOICES_SECONDS:
        return cached[1]
    choices = [(slug, name) for slug, name in session.execute(
        sa.select(Site.slug, Site.name).order_by(Site.slug))]
    _site_choices[engine] = (time.monotonic(), choices)
    return choices


@sa.event.listens_for(Site, "after_insert")
@sa.event.listens_for(Site, "after_update")
@sa.event.listens_for(Site, "after_delete")
def _forget_site_choices(mapper, connection, target) -> None:
    _site_choices.pop(connection.engine, None)


# ----------------------------------------------------------------------------- claims
#
# Reading an item never claims it. A moderator claims by acting (the "Work on this" button,
# the first keystroke in the draft, "Take the next item", or deciding); the claim is a short
# lease the open page renews, released when the page goes away. An open item under a claim
# is in state `claimed`; an escalated item keeps its state and carries the claim in
# `claimed_by_id` / `lease_expires_at` alone.

def release_expired(session: Session, now: datetime | None = None) -> int:
    """Claims whose lease ran out are let go (claimed items go back to the open queue).
    Cheap when there are none."""
    now = now or utcnow()
    lapsed = ReviewItem.lease_expires_at < now
    states = (ItemState.CLAIMED.value, ItemState.ESCALATED.value)
    if session.scalar(sa.select(ReviewItem.id).where(
            ReviewItem.state.in_(states), lapsed).limit(1)) is None:
        return 0
    with write_transaction(session):
        released = 0
        for state, new_state in ((ItemState.CLAIMED.value, ItemState.OPEN.value),
                                 (ItemState.ESCALATED.value, ItemState.ESCALATED.value)):
            result = session.execute(
                sa.update(ReviewItem).where(ReviewItem.state == state, lapsed)
                .values(state=new_state, claimed_by_id=None, lease_expires_at=None)
                .execution_options(synchronize_session=False))
            released += result.rowcount or 0
    return released


def _locked(session: Session, item_id: int) -> ReviewItem:
    query = sa.select(ReviewItem).where(ReviewItem.id == item_id)
    if _is_postgres(session):
        query = query.with_for_update()
    item = session.scalar(query)
    if item is None:
        raise NotFound(f"no review item {item_id}")
    return item


def _holder(item: ReviewItem, now: datetime) -> int | None:
    """Who holds a live claim on the item (None: nobody, or the lease ran out)."""
    if item.state == ItemState.RESOLVED.value or item.claimed_by_id is None:
        return None
    if item.lease_expires_at is None or item.lease_expires_at <= now:
        return None
    return item.claimed_by_id


def _held_by_other(item: ReviewItem, user_id: int, now: datetime) -> bool:
    holder = _holder(item, now)
    return holder is not None and holder != user_id


def _holder_email(session: Session, item: ReviewItem) -> str:
    holder = session.get(User, item.claimed_by_id) if item.claimed_by_id else None
    return holder.email if holder else "another moderator"


def _check_workable(session: Session, item: ReviewItem, user: User, now: datetime) -> None:
    """Refuse work on an item this user may not act on now (409, or 403 for roles)."""
    if item.state == ItemState.RESOLVED.value:
        raise Conflict("this item has been decided")
    if item.state == ItemState.ESCALATED.value and not user.is_lead:
        raise Forbidden("escalated items are worked by leads")
    if _held_by_other(item, user.id, now):
        raise Conflict(f"{_holder_email(session, item)} is working on this item")


def _take(item: ReviewItem, user_id: int, now: datetime, settings: Settings) -> datetime:
    if item.state == ItemState.OPEN.value:
        item.state = ItemState.CLAIMED.value
    item.claimed_by_id = user_id
    item.lease_expires_at = expires = now + timedelta(seconds=settings.claim_lease_seconds)
    return expires


def claim_next(session: Session, settings: Settings, user: User, flag: str | None = None,
               escalated: bool = False) -> ReviewItem | None:
    """Claim the most urgent open item (a lead: the most urgent unclaimed escalated one).
    Two moderators never get the same one: PostgreSQL skips rows another transaction has
    locked; SQLite serialises writers (BEGIN IMMEDIATE)."""
    if escalated and not user.is_lead:
        raise Forbidden("escalated items are worked by leads")
    user_id = user.id
    release_expired(session)
    with write_transaction(session):
        now = utcnow()
        state = ItemState.ESCALATED.value if escalated else ItemState.OPEN.value
        query = (sa.select(ReviewItem).where(ReviewItem.state == state)
                 .order_by(*QUEUE_ORDER).limit(1))
        if escalated:
            query = query.where(ReviewItem.claimed_by_id.is_(None))
        if flag:
            query = query.where(has_flag(flag))
        if _is_postgres(session):
            query = query.with_for_update(skip_locked=True)
        item = session.scalar(query)
        if item is None:
            return None
        _take(item, user_id, now, settings)
        item_id = item.id
    return session.get(ReviewItem, item_id)


def claim(session: Session, settings: Settings, item_id: int, user: User) -> datetime:
    """Claim an item by acting on it, or renew this moderator's claim (the open page's
    heartbeat). Refused when someone else holds it: a lead takes over instead."""
    with write_transaction(session):
        now = utcnow()
        item = _locked(session, item_id)
        _check_workable(session, item, user, now)
        return _take(item, user.id, now, settings)


renew_lease = claim


def take_over(session: Session, settings: Settings, item_id: int, user: User, *,
              address: str | None = None) -> str | None:
    """A lead (or admin) takes a held item; the holder learns it at their next heartbeat.
    Returns who held it."""
    if not user.is_lead:
        raise Forbidden("only a lead or an admin can take over an item")
    with write_transaction(session):
        now = utcnow()
        item = _locked(session, item_id)
        if item.state == ItemState.RESOLVED.value:
            raise Conflict("this item has been decided")
        holder = _holder(item, now)
        previous = _holder_email(session, item) if holder not in (None, user.id) else None
        _take(item, user.id, now, settings)
        if previous:
            audit.record(session, "item.taken_over", actor=user, target_type="review_item",
                         target_id=item.id, details={"from": previous}, address=address)
    return previous


def release(session: Session, item_id: int, user: User) -> bool:
    """Let go of an item this moderator holds (page closed, back to the queue), undecided."""
    with write_transaction(session):
        item = _locked(session, item_id)
        if item.claimed_by_id != user.id or item.state == ItemState.RESOLVED.value:
            return False
        if item.state == ItemState.CLAIMED.value:
            item.state = ItemState.OPEN.value
        item.claimed_by_id = None
        item.lease_expires_at = None
    return True


@dataclass(frozen=True)
class Access:
    """What this user may do on an item page now."""

    mine: bool             # holds a live claim
    holder: str | None     # who else holds it
    can_decide: bool       # the decision form is shown
    can_take_over: bool
    lease_expires_at: datetime | None = None


def access(session: Session, item: ReviewItem, user: User,
           now: datetime | None = None) -> Access:
    now = now or utcnow()
    holder = _holder(item, now)
    mine = holder is not None and holder == user.id
    other = _holder_email(session, item) if holder is not None and not mine else None
    undecided = item.state != ItemState.RESOLVED.value
    allowed = undecided and (item.state != ItemState.ESCALATED.value or user.is_lead)
    return Access(mine, other, allowed and other is None,
                  undecided and other is not None and user.is_lead,
                  item.lease_expires_at if mine else None)


# -------------------------------------------------------------------------- decisions

class NeedsReason(Invalid):
    """The decision needs a reason first (an escalation, approving a crisis comment)."""

    def __init__(self, message: str):
        super().__init__(message, {"field": "reason"})


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


def needs_reason(flags: list[str], action: str) -> str | None:
    """Why this decision must carry a reason, or None."""
    if action == Action.ESCALATE.value:
        return "say why you escalate: the lead reads it first"
    if action in CONFIRMED_ACTIONS and CONFIRMED_FLAGS & set(flags):
        return ("this is a possible crisis: confirm, with a reason, that the comment needs "
                "no support before you " + ("approve it" if action == Action.APPROVE.value
                                            else "mark it not a concern"))
    return None


def _deadline(flags: list[str], now: datetime, minutes: Mapping[str, int]) -> datetime:
    top = flags[0] if flags else Flag.HOSTILE
    return now + timedelta(minutes=minutes.get(top, max(minutes.values())))


def _record_decision(session: Session, settings: Settings, item: ReviewItem, user: User,
                     action: str, note: str | None, reply_text: str | None,
                     resources: list[str] | None, now: datetime, bulk: bool = False,
                     reason: str | None = None, address: str | None = None) -> Decision:
    from .callbacks import enqueue_decision
    decision = Decision(review_item_id=item.id, user_id=user.id, action=action, note=note,
                        reply_text=reply_text, resources=resources, created_at=now,
                        reason=reason, prior_state=(
                            ItemState.ESCALATED.value if item.state == ItemState.ESCALATED.value
                            else ItemState.OPEN.value),
                        prior_due_at=item.due_at)
    session.add(decision)
    details: dict[str, Any] = {"comment_id": item.comment_id, "flags": item.flags}
    if action == Action.ESCALATE.value:
        # Not resolved: the item waits for a lead, with its own deadline.
        item.state = ItemState.ESCALATED.value
        item.escalated_at = now
        item.escalation_reason = reason
        item.due_at = _deadline(item.flags, now, settings.escalation_deadlines)
        item.claimed_by_id = None
        details["due_at"] = item.due_at.isoformat()
    else:
        item.state = ItemState.RESOLVED.value
        item.resolved_at = now
        item.claimed_by_id = user.id
    item.lease_expires_at = None
    session.flush()
    enqueue_decision(session, decision)
    if note:
        details["note"] = note
    if reason:
        details["reason"] = reason
    if bulk:
        details["bulk"] = True
    audit.record(session, f"decision.{action}", actor=user, target_type="review_item",
                 target_id=item.id, details=details, address=address)
    return decision


def decide(session: Session, settings: Settings, item_id: int, user: User, action: str, *,
           note: str | None = None, reply_text: str | None = None,
           resources: list[str] | None = None, confirm_warnings: bool = False,
           reason: str | None = None, address: str | None = None) -> Decision:
    """A moderator's decision: resolves the item (or escalates it to the leads), writes the
    Decision, the audit row and (for the site) the callback, all in one transaction.
    Deciding claims: it is refused only when someone else holds the item."""
    if action not in ACTIONS:
        raise Invalid(f"the decision must be one of {', '.join(ACTIONS)}")
    note = _clean(note, MAX_NOTE, "note")
    reason = _clean(reason, MAX_NOTE, "reason")
    if action == Action.REPLIED.value:
        reply_text = _clean(reply_text, MAX_REPLY, "reply")
        if not reply_text:
            raise Invalid("write the reply that was sent to the reader",
                          {"field": "reply_text"})
        check_reply(session, reply_text, confirm_warnings)
        resources = [str(r)[:100] for r in (resources or [])][:20] or None
    else:
        reply_text, resources = None, None
    with write_transaction(session):
        now = utcnow()
        item = _locked(session, item_id)
        if item.state == ItemState.RESOLVED.value:
            raise Conflict("this item has already been decided")
        _check_workable(session, item, user, now)
        if action == Action.ESCALATE.value and item.state == ItemState.ESCALATED.value:
            raise Invalid("this item is already escalated: decide it")
        why = needs_reason(item.flags, action)
        if why and not reason:
            raise NeedsReason(why)
        decision = _record_decision(session, settings, item, user, action, note, reply_text,
                                    resources, now, reason=reason, address=address)
        decision_id = decision.id
    return session.get(Decision, decision_id)


@dataclass(frozen=True)
class BulkResult:
    decided: list[int]
    skipped: dict[int, str]


def bulk_decide(session: Session, settings: Settings, item_ids: list[int], user: User,
                action: str, *, note: str | None = None,
                address: str | None = None) -> BulkResult:
    """One decision applied to several items by a moderator; items decided or held by
    someone else meanwhile are skipped and reported, never overwritten. Crisis, threat and
    unscored items, and escalated ones, are decided one at a time on their own page."""
    if action not in BULK_ACTIONS:
        raise Invalid("a bulk decision is approve, hide or not_a_concern")
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
            elif item.state == ItemState.ESCALATED.value:
                skipped[item_id] = "escalated: a lead decides it on its page"
            elif item.urgency <= READ_FIRST_URGENCY:
                skipped[item_id] = "crisis, threat and unscored items are decided on their page"
            elif _held_by_other(item, user_id, now):
                skipped[item_id] = "claimed by another moderator"
            else:
                _record_decision(session, settings, item, user, action, note, None, None, now,
                                 bulk=True, address=address)
                decided.append(item_id)
    return BulkResult(decided, skipped)


# --------------------------------------------------------------------- undo and reopen

def _latest_decision(session: Session, item_id: int) -> Decision | None:
    return session.scalar(sa.select(Decision).where(
        Decision.review_item_id == item_id, Decision.undone_at.is_(None))
        .order_by(Decision.id.desc()).limit(1))


def undo(session: Session, settings: Settings, decision_id: int, user: User, *,
         address: str | None = None) -> ReviewItem:
    """Its author takes a decision back within settings.undo_seconds: the item returns to
    where it was (open, or escalated) with its deadline, claimed by the author to decide
    again.
    The decision stays, marked undone; the audit log keeps both."""
    user_id = user.id
    with write_transaction(session):
        now = utcnow()
        decision = session.get(Decision, decision_id)
        if decision is None:
            raise NotFound(f"no decision {decision_id}")
        if decision.user_id != user_id:
            raise Forbidden("only the moderator who made a decision can undo it")
        if decision.undone_at is not None:
            raise Conflict("this decision has already been undone")
        if (now - decision.created_at).total_seconds() > settings.undo_seconds:
            raise Conflict("too late to undo: ask a lead or an admin to reopen the item")
        item = _locked(session, decision.review_item_id)
        latest = _latest_decision(session, item.id)
        if latest is None or latest.id != decision.id or (
                item.state == ItemState.OPEN.value):
            raise Conflict("the item has changed since: ask a lead or an admin to reopen it")
        if decision.action == Action.ESCALATE.value:
            if _held_by_other(item, user_id, now):
                raise Conflict(f"{_holder_email(session, item)} is working on it now")
            item.escalated_at = None
            item.escalation_reason = None
        item.state = decision.prior_state or ItemState.OPEN.value
        item.resolved_at = None
        if decision.prior_due_at is not None:
            item.due_at = decision.prior_due_at
        decision.undone_at = now
        _take(item, user_id, now, settings)
        audit.record(session, "decision.undone", actor=user, target_type="review_item",
                     target_id=item.id, details={"decision_id": decision.id,
                                                 "action": decision.action}, address=address)
        item_id = item.id
    return session.get(ReviewItem, item_id)


def reopen(session: Session, settings: Settings, item_id: int, user: User, reason: str | None,
           *, address: str | None = None) -> ReviewItem:
    """A lead or an admin sends a decided item back to the open queue, with a fresh deadline.
    Its decisions stay; the audit log keeps the decision and the reopening."""
    if not user.is_lead:
        raise Forbidden("only a lead or an admin can reopen a decided item")
    reason = _clean(reason, MAX_NOTE, "reason")
    if not reason:
        raise NeedsReason("say why the item is reopened")
    with write_transaction(session):
        now = utcnow()
        item = _locked(session, item_id)
        if item.state != ItemState.RESOLVED.value:
            raise Conflict("only a decided item can be reopened")
        latest = _latest_decision(session, item.id)
        details: dict[str, Any] = {"reason": reason, "previous_due_at": item.due_at.isoformat()}
        if latest is not None:
            details.update(decision_id=latest.id, action=latest.action)
        item.state = ItemState.OPEN.value
        item.resolved_at = None
        item.claimed_by_id = None
        item.lease_expires_at = None
        item.escalated_at = None
        item.escalation_reason = None
        item.due_at = _deadline(item.flags, now, settings.response_deadlines)
        audit.record(session, "item.reopened", actor=user, target_type="review_item",
                     target_id=item.id, details=details, address=address)
    return session.get(ReviewItem, item_id)


@dataclass(frozen=True)
class RecentDecision:
    id: int
    item_id: int
    action: str
    created_at: datetime
    flags: list[str]
    undo_until: datetime


def undoable(session: Session, settings: Settings, user: User, now: datetime | None = None,
             limit: int = 10) -> list[RecentDecision]:
    """This moderator's decisions they can still undo, newest first."""
    now = now or utcnow()
    window = timedelta(seconds=settings.undo_seconds)
    rows = session.execute(_UNDOABLE, {"user_id": user.id, "since": now - window,
                                       "limit": limit})
    return [RecentDecision(*r, undo_until=r.created_at + window) for r in rows]


_later = sa.orm.aliased(Decision)
# Built once, with parameters (this and the streak below are on every queue and item page).
_UNDOABLE = (
    sa.select(Decision.id, Decision.review_item_id, Decision.action, Decision.created_at,
              flag_list())
    .join(ReviewItem, ReviewItem.id == Decision.review_item_id)
    .where(Decision.user_id == sa.bindparam("user_id"), Decision.undone_at.is_(None),
           Decision.created_at > sa.bindparam("since", type_=Decision.created_at.type),
           ReviewItem.state != ItemState.OPEN.value,
           ~sa.exists().where(_later.review_item_id == Decision.review_item_id,
                              _later.id > Decision.id, _later.undone_at.is_(None)))
    .order_by(Decision.id.desc()).limit(sa.bindparam("limit")))
# `id + 0`: with a bare `id > ?` SQLite walks the whole table backwards by rowid (its
# statistics cannot tell that this moderator has few decisions); this way it reads the
# moderator's decisions from ix_decisions_user, newest first.
_CRISIS_STREAK = (
    sa.select(has_flag(policy.Flag.CRISIS.value)).select_from(Decision)
    .join(ReviewItem, ReviewItem.id == Decision.review_item_id)
    .where(Decision.user_id == sa.bindparam("user_id"),
           Decision.id + 0 > sa.bindparam("after"), Decision.undone_at.is_(None))
    .order_by(Decision.id.desc()).limit(sa.bindparam("limit")))


def crisis_streak(session: Session, user: User, after_decision_id: int = 0,
                  limit: int = 50) -> int:
    """How many of this moderator's latest decisions in a row were on crisis items (since
    `after_decision_id`, where they last took or declined a break)."""
    rows = session.execute(_CRISIS_STREAK, {"user_id": user.id, "after": after_decision_id,
                                            "limit": limit}).scalars()
    streak = 0
    for crisis in rows:
        if not crisis:
            break
        streak += 1
    return streak


def latest_decision_id(session: Session, user: User) -> int:
    return session.scalar(sa.select(sa.func.max(Decision.id)).where(
        Decision.user_id == user.id)) or 0


# ------------------------------------------------------------------------- item page

@dataclass(frozen=True)
class AuthorComment:
    """One of the author's other comments on the site, as the item page lists it."""

    id: int
    text: str | None
    received_at: datetime
    item_id: int | None
    flags: list[str]


@dataclass
class ItemContext:
    item: ReviewItem
    comment: Comment
    parent: Comment | None
    author_comments: list[AuthorComment]


# Built once: loader options are immutable, and building them per request showed up.
_ITEM_OPTIONS = (joinedload(ReviewItem.comment).joinedload(Comment.site),
                 joinedload(ReviewItem.comment).selectinload(Comment.analyses),
                 joinedload(ReviewItem.claimed_by), joinedload(ReviewItem.flag_rows))


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
                      flag_list())
            .outerjoin(ReviewItem, ReviewItem.comment_id == Comment.id)
            .where(Comment.site_id == comment.site_id,
                   Comment.author_external_id == comment.author_external_id,
                   Comment.id != comment.id)
            .order_by(Comment.received_at.desc(), Comment.id.desc()).limit(history))]
    return ItemContext(item, comment, parent, author_comments)


def next_open_item_id(session: Session) -> int | None:
    return session.scalar(sa.select(ReviewItem.id).where(
        ReviewItem.state == ItemState.OPEN.value).order_by(*QUEUE_ORDER).limit(1))
