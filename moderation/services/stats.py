"""Figures for the stats page: flags per day, time to decision, overdue share,
false-positive rate per flag, and the articles that draw the most distress and hostility.

Every table counts an item once, under its most urgent flag (the first of its stored flags),
so the per-flag counts agree between tables; a decision counts when it is an item's final
one (the latest not undone, on a decided item)."""
from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import Session

from .. import policy
from ..db import utcnow
from ..models import Action, Comment, Decision, ItemState, ReviewItem, Site, primary_flag
from ..policy import Flag
from .perspective import suggestion_counts

# An item's urgency back to a flag name, for items whose flags are unknown
URGENCY_NAMES = {policy.POLICY[f].urgency: f.value for f in reversed(policy.ENGINE_FLAGS)}
# The flags an item can be counted under: its most urgent one
STAT_FLAGS = policy.values()


def _day(session: Session, column):
    if session.get_bind().dialect.name == "sqlite":
        return sa.func.date(column)
    return sa.cast(column, sa.Date)


def percentile(values: list[float], q: float) -> float | None:
    """Nearest-rank percentile (q in 0..100); None for no values."""
    if not values:
        return None
    ordered = sorted(values)
    rank = max(1, math.ceil(q / 100 * len(ordered)))
    return ordered[rank - 1]


def flags_per_day(session: Session, since: datetime) -> dict[str, dict[date, int]]:
    day = _day(session, ReviewItem.created_at)
    top = primary_flag().label("top")
    rows = session.execute(sa.select(day, top, sa.func.count())
                           .where(ReviewItem.created_at >= since)
                           .group_by(day, top))
    counts: dict[str, dict[date, int]] = {flag: defaultdict(int) for flag in STAT_FLAGS}
    for raw_day, flag, n in rows:
        when = raw_day if isinstance(raw_day, date) else date.fromisoformat(str(raw_day))
        if flag in counts:
            counts[flag][when] += n
    return {flag: dict(days) for flag, days in counts.items()}


@dataclass(frozen=True)
class DecisionTimes:
    urgency: int
    flag: str
    decided: int
    median_minutes: float | None
    p90_minutes: float | None
    overdue: int

    @property
    def overdue_share(self) -> float | None:
        return self.overdue / self.decided if self.decided else None


def time_to_decision(session: Session, since: datetime) -> list[DecisionTimes]:
    """Per most urgent flag: how long decided items waited (an escalated item is decided
    when a lead decides it) and how many were decided after their deadline."""
    rows = session.execute(
        sa.select(primary_flag(), ReviewItem.urgency, ReviewItem.created_at,
                  ReviewItem.resolved_at, ReviewItem.due_at)
        .where(ReviewItem.state == ItemState.RESOLVED.value,
               ReviewItem.resolved_at >= since))
    minutes: dict[str, list[float]] = defaultdict(list)
    overdue: dict[str, int] = defaultdict(int)
    urgency_of = {f.value: policy.POLICY[f].urgency for f in policy.ORDER}
    for top, urgency, created, resolved, due in rows:
        flag = top or URGENCY_NAMES.get(urgency, Flag.HOSTILE)
        minutes[flag].append((resolved - created).total_seconds() / 60)
        overdue[flag] += resolved > due
    return [DecisionTimes(urgency_of.get(f, 4), f, len(minutes[f]), percentile(minutes[f], 50),
                          percentile(minutes[f], 90), overdue[f])
            for f in STAT_FLAGS if f != Flag.UNSCORED or minutes[f]]


@dataclass(frozen=True)
class OpenOverdue:
    open: int
    overdue: int

    @property
    def share(self) -> float | None:
        return self.overdue / self.open if self.open else None


def open_overdue(session: Session, now: datetime | None = None) -> OpenOverdue:
    now = now or utcnow()
    active = ReviewItem.state.in_([ItemState.OPEN.value, ItemState.CLAIMED.value,
                                   ItemState.ESCALATED.value])
    total = session.scalar(sa.select(sa.func.count()).where(active)) or 0
    late = session.scalar(sa.select(sa.func.count()).where(active, ReviewItem.due_at < now)) or 0
    return OpenOverdue(total, late)


@dataclass(frozen=True)
class FalsePositives:
    flag: str
    decided: int
    not_a_concern: int

    @property
    def rate(self) -> float | None:
        return self.not_a_concern / self.decided if self.decided else None


def false_positive_rates(session: Session, since: datetime) -> list[FalsePositives]:
    """Per most urgent flag: the share of decided items a moderator called not a concern
    (the item's final decision: the latest not undone)."""
    is_fp = sa.case((Decision.action == Action.NOT_A_CONCERN.value, 1), else_=0)
    later = sa.orm.aliased(Decision)
    top = primary_flag().label("top")
    rows = session.execute(
        sa.select(top, sa.func.count(Decision.id), sa.func.sum(is_fp)).select_from(ReviewItem)
        .join(Decision, Decision.review_item_id == ReviewItem.id)
        .where(ReviewItem.state == ItemState.RESOLVED.value, ReviewItem.resolved_at >= since,
               Decision.undone_at.is_(None),
               ~sa.exists().where(later.review_item_id == Decision.review_item_id,
                                  later.id > Decision.id, later.undone_at.is_(None)))
        .group_by(top))
    decided: dict[str, int] = defaultdict(int)
    fps: dict[str, int] = defaultdict(int)
    for flag, n, n_fp in rows:
        if flag is not None:
            decided[flag] += n
            fps[flag] += int(n_fp or 0)
    return [FalsePositives(flag, decided[flag], fps[flag]) for flag in STAT_FLAGS
            if flag != "unscored" or decided[flag]]


@dataclass(frozen=True)
class ArticleImpact:
    site: str
    url: str | None
    title: str | None
    distress: int
    hostile: int
    crisis: int
    total: int


def article_impact(session: Session, since: datetime, limit: int = 15) -> list[ArticleImpact]:
    """The articles whose readers' comments are most often flagged distress or hostile."""
    top = primary_flag()

    def has(flag: str):  # counted under the item's most urgent flag, like every table
        return sa.func.sum(sa.case((top == flag, 1), else_=0))

    distress, hostile, crisis = has(Flag.DISTRESS), has(Flag.HOSTILE), has(Flag.CRISIS)
    rows = session.execute(
        sa.select(Site.slug, Comment.article_url, sa.func.max(Comment.article_title),
                  distress, hostile, crisis, sa.func.count(ReviewItem.id))
        .join(Comment, Comment.id == ReviewItem.comment_id)
        .join(Site, Site.id == ReviewItem.site_id)
        .where(ReviewItem.created_at >= since)
        .group_by(Site.slug, Comment.article_url)
        .order_by((distress + hostile).desc(), sa.func.count(ReviewItem.id).desc())
        .limit(limit))
    return [ArticleImpact(slug, url, title, int(d or 0), int(h or 0), int(c or 0), int(n))
            for slug, url, title, d, h, c, n in rows]


@dataclass(frozen=True)
class Stats:
    since: datetime
    days: int
    per_day: dict[str, dict[date, int]]
    times: list[DecisionTimes]
    open_now: OpenOverdue
    false_positives: list[FalsePositives]
    articles: list[ArticleImpact]
    # verdicts sites sent through the Perspective API's suggestscore, per site
    suggestions: dict[str, int] = field(default_factory=dict)

    @property
    def decided(self) -> int:
        return sum(t.decided for t in self.times)

    @property
    def decided_overdue_share(self) -> float | None:
        late = sum(t.overdue for t in self.times)
        return late / self.decided if self.decided else None

    @property
    def day_list(self) -> list[date]:
        start = self.since.date()
        return [start + timedelta(days=i) for i in range(self.days + 1)]


def stats(session: Session, days: int = 30, now: datetime | None = None) -> Stats:
    now = now or utcnow()
    days = max(1, min(days, 365))
    since = (now - timedelta(days=days)).replace(hour=0, minute=0, second=0, microsecond=0)
    return Stats(since, days, flags_per_day(session, since), time_to_decision(session, since),
                 open_overdue(session, now), false_positive_rates(session, since),
                 article_impact(session, since), suggestion_counts(session, since))
