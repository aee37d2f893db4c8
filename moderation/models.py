"""SQLAlchemy 2 typed models: sites, comments, analyses, the review queue, decisions, audit."""
from __future__ import annotations

import enum
import secrets
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
import sqlalchemy.orm as so
from sqlalchemy.ext.compiler import compiles
from werkzeug.security import check_password_hash, generate_password_hash

from . import policy
from .db import Base, utcnow


class UTCDateTime(sa.types.TypeDecorator):
    """Timezone-aware UTC datetimes on every backend (SQLite keeps no zone of its own)."""

    impl = sa.DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given; use timezone-aware UTC")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect):
        if value is None:
            return None
        return value.replace(tzinfo=UTC)


class Role(enum.StrEnum):
    ADMIN = "admin"
    LEAD = "lead"  # a moderator who also works escalated items, takes over and reopens
    MODERATOR = "moderator"


class ItemState(enum.StrEnum):
    OPEN = "open"
    CLAIMED = "claimed"
    ESCALATED = "escalated"  # waiting for a lead: not resolved, its own deadline
    RESOLVED = "resolved"


class Action(enum.StrEnum):
    APPROVE = "approve"
    HIDE = "hide"
    ESCALATE = "escalate"
    REPLIED = "replied"
    NOT_A_CONCERN = "not_a_concern"


def new_session_token() -> str:
    return secrets.token_urlsafe(32)


class User(Base):
    __tablename__ = "users"
    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    email: so.Mapped[str] = so.mapped_column(sa.String(254), unique=True)
    password_hash: so.Mapped[str] = so.mapped_column(sa.String(256))
    role: so.Mapped[str] = so.mapped_column(sa.String(16), default=Role.MODERATOR.value)
    active: so.Mapped[bool] = so.mapped_column(default=True)
    created_at: so.Mapped[datetime] = so.mapped_column(UTCDateTime, default=utcnow)
    last_login_at: so.Mapped[datetime | None] = so.mapped_column(UTCDateTime)
    # Wellbeing: crisis comments are blurred in the queue until hovered or focused.
    blur_crisis: so.Mapped[bool] = so.mapped_column(default=False, server_default=sa.false())
    # Part of the id in the session cookie (Flask-Login's alternative id): a new token ends
    # every session signed in before it (sign-out, password change, disable, "sign out
    # everywhere").
    session_token: so.Mapped[str] = so.mapped_column(sa.String(64), default=new_session_token)
    # An invited account signs in with a temporary password and must choose its own before
    # any other page opens (moderation/auth: _own_password_first).
    must_set_password: so.Mapped[bool] = so.mapped_column(default=False,
                                                          server_default=sa.false())

    def get_id(self) -> str:
        return f"{self.id}:{self.session_token}"

    def end_sessions(self) -> None:
        self.session_token = new_session_token()

    def set_password(self, password: str) -> None:
        self.password_hash = generate_password_hash(password)
        self.end_sessions()

    def check_password(self, password: str) -> bool:
        return check_password_hash(self.password_hash, password)

    @property
    def is_admin(self) -> bool:
        return self.role == Role.ADMIN.value

    @property
    def is_lead(self) -> bool:
        """Leads and admins work escalated items, take over claims and reopen decisions."""
        return self.role in (Role.LEAD.value, Role.ADMIN.value)

    # What Flask-Login asks of a user (instead of its UserMixin, so models import no Flask).
    @property
    def is_active(self) -> bool:  # Flask-Login refuses inactive users
        return self.active

    @property
    def is_authenticated(self) -> bool:
        return self.active

    @property
    def is_anonymous(self) -> bool:
        return False

    def __repr__(self) -> str:
        return f"<User {self.email} {self.role}>"


class Site(Base):
    __tablename__ = "sites"
    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    slug: so.Mapped[str] = so.mapped_column(sa.String(64), unique=True)
    name: so.Mapped[str] = so.mapped_column(sa.String(200))
    default_region: so.Mapped[str | None] = so.mapped_column(sa.String(2))
    default_language: so.Mapped[str] = so.mapped_column(sa.String(35), default="en")
    callback_url: so.Mapped[str | None] = so.mapped_column(sa.String(2000))
    # Per-site tuning: flag thresholds and extra article-topic keywords.
    thresholds: so.Mapped[dict[str, float] | None] = so.mapped_column(sa.JSON)
    topic_keywords: so.Mapped[dict[str, list[str]] | None] = so.mapped_column(sa.JSON)
    # Coral Talk phase: answer "status": "PREMOD" for threats (off: Coral withholds nothing)
    coral_premod_threat: so.Mapped[bool] = so.mapped_column(default=False,
                                                            server_default=sa.false())
    # Alerts for urgent items: {"email": [...], "chat_url": str | None, "on": ["crisis", ...],
    # "leads": [...]} (None: no alerts). See services/alerts.py.
    alerts: so.Mapped[dict[str, Any] | None] = so.mapped_column(sa.JSON)
    created_at: so.Mapped[datetime] = so.mapped_column(UTCDateTime, default=utcnow)

    secrets: so.Mapped[list[SiteSecret]] = so.relationship(
        back_populates="site", order_by="SiteSecret.id", cascade="all, delete-orphan")
    # Decision callbacks are signed with their own secrets: a callback replayed to the
    # inbound webhook does not verify there.
    callback_secrets: so.Mapped[list[CallbackSecret]] = so.relationship(
        order_by="CallbackSecret.id", cascade="all, delete-orphan")

    def active_secrets(self, now: datetime | None = None) -> list[SiteSecret]:
        now = now or utcnow()
        return [s for s in self.secrets if s.is_active(now)]

    def active_callback_secrets(self, now: datetime | None = None) -> list[CallbackSecret]:
        now = now or utcnow()
        return [s for s in self.callback_secrets if s.is_active(now)]

    def __repr__(self) -> str:
        return f"<Site {self.slug}>"


class RotatingSecret:
    """The columns of every signing secret a site rotates (webhook, callbacks, Coral phase):
    encrypted with SECRETS_KEY (moderation/secretbox.py), active until `expires_at` (none: no
    end; a rotation gives the old one a grace period)."""

    site_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("sites.id"), index=True)
    secret: so.Mapped[str] = so.mapped_column(sa.Text)
    created_at: so.Mapped[datetime] = so.mapped_column(UTCDateTime, default=utcnow)
    expires_at: so.Mapped[datetime | None] = so.mapped_column(UTCDateTime)

    def is_active(self, now: datetime) -> bool:
        return self.expires_at is None or self.expires_at > now


class SiteSecret(RotatingSecret, Base):
    """A webhook signing secret (`whsec_...`). Two are active during a rotation's grace period.
    `secret` is encrypted with SECRETS_KEY (moderation/secretbox.py)."""

    __tablename__ = "site_secrets"
    id: so.Mapped[int] = so.mapped_column(primary_key=True)

    site: so.Mapped[Site] = so.relationship(back_populates="secrets")


class CallbackSecret(RotatingSecret, Base):
    """A decision-callback signing secret (`whsec_...`, encrypted like SiteSecret), rotated
    with a grace period like the webhook's; callbacks are signed with the newest."""

    __tablename__ = "callback_secrets"
    id: so.Mapped[int] = so.mapped_column(primary_key=True)


class WebhookDelivery(Base):
    """A webhook message seen, by its `webhook-id`: a redelivery is answered from what is stored."""

    __tablename__ = "webhook_deliveries"
    __table_args__ = (sa.UniqueConstraint("site_id", "webhook_id"),)
    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    site_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("sites.id"))
    webhook_id: so.Mapped[str] = so.mapped_column(sa.String(255))
    body_sha256: so.Mapped[str] = so.mapped_column(sa.String(64))
    comment_ids: so.Mapped[list[int]] = so.mapped_column(sa.JSON)
    received_at: so.Mapped[datetime] = so.mapped_column(UTCDateTime, default=utcnow)


class Comment(Base):
    __tablename__ = "comments"
    __table_args__ = (
        sa.UniqueConstraint("site_id", "external_id"),
        sa.Index("ix_comments_site_author", "site_id", "author_external_id"),
        sa.Index("ix_comments_site_article", "site_id", "article_url"),
    )
    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    site_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("sites.id"))
    external_id: so.Mapped[str] = so.mapped_column(sa.String(255))
    # SHA-256 of the comment as received (canonical JSON): tells a redelivery from a change.
    content_sha256: so.Mapped[str] = so.mapped_column(sa.String(64))
    text: so.Mapped[str | None] = so.mapped_column(sa.Text)
    author_external_id: so.Mapped[str | None] = so.mapped_column(sa.String(255))
    author_name: so.Mapped[str | None] = so.mapped_column(sa.String(255))
    author_email: so.Mapped[str | None] = so.mapped_column(sa.String(254))
    # Keyed HMAC of site + author id, kept after redaction: the log stays pseudonymous.
    author_pseudonym: so.Mapped[str | None] = so.mapped_column(sa.String(32))
    article_url: so.Mapped[str | None] = so.mapped_column(sa.String(2000))
    article_title: so.Mapped[str | None] = so.mapped_column(sa.String(500))
    parent_external_id: so.Mapped[str | None] = so.mapped_column(sa.String(255))
    region: so.Mapped[str | None] = so.mapped_column(sa.String(2))
    language: so.Mapped[str | None] = so.mapped_column(sa.String(35))
    posted_at: so.Mapped[datetime | None] = so.mapped_column(UTCDateTime)
    received_at: so.Mapped[datetime] = so.mapped_column(UTCDateTime, default=utcnow, index=True)
    # Set when retention or an erasure request removed the text and the author's identity.
    redacted_at: so.Mapped[datetime | None] = so.mapped_column(UTCDateTime)

    site: so.Mapped[Site] = so.relationship()
    analyses: so.Mapped[list[Analysis]] = so.relationship(
        back_populates="comment", order_by="Analysis.id", cascade="all, delete-orphan")
    review_item: so.Mapped[ReviewItem | None] = so.relationship(back_populates="comment")

    @property
    def analysis(self) -> Analysis | None:
        """The latest analysis (a re-score adds a row; the newest counts)."""
        return self.analyses[-1] if self.analyses else None

    def __repr__(self) -> str:
        return f"<Comment {self.id} site={self.site_id} ext={self.external_id}>"


class Analysis(Base):
    """One scoring of a comment by one model version; versioned, never updated."""

    __tablename__ = "analyses"
    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    comment_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("comments.id"), index=True)
    model_version: so.Mapped[str] = so.mapped_column(sa.String(64))
    scores: so.Mapped[dict[str, float]] = so.mapped_column(sa.JSON)
    flags: so.Mapped[list[str]] = so.mapped_column(sa.JSON)
    tags: so.Mapped[list[str]] = so.mapped_column(sa.JSON)
    evidence: so.Mapped[list[dict[str, Any]]] = so.mapped_column(sa.JSON)
    language: so.Mapped[str | None] = so.mapped_column(sa.String(35))
    confidence: so.Mapped[float | None]
    created_at: so.Mapped[datetime] = so.mapped_column(UTCDateTime, default=utcnow)

    comment: so.Mapped[Comment] = so.relationship(back_populates="analyses")


class ReviewItem(Base):
    """A flagged comment in the moderators' queue: open -> claimed (lease) -> resolved, or
    -> escalated (to the leads, who may claim it too) -> resolved; reopened by a lead."""

    __tablename__ = "review_items"
    __table_args__ = (
        # The queue's order: state, most urgent first, then oldest, then id (keyset pagination).
        sa.Index("ix_review_queue", "state", "urgency", "created_at", "id"),
        # Leases that ran out (every queue page looks): only held items have a lease.
        sa.Index("ix_review_items_lease", "lease_expires_at",
                 sqlite_where=sa.text("lease_expires_at IS NOT NULL"),
                 postgresql_where=sa.text("lease_expires_at IS NOT NULL")),
    )
    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    comment_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("comments.id"), unique=True)
    site_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("sites.id"), index=True)
    state: so.Mapped[str] = so.mapped_column(sa.String(16), default=ItemState.OPEN.value)
    urgency: so.Mapped[int] = so.mapped_column(sa.SmallInteger)
    created_at: so.Mapped[datetime] = so.mapped_column(UTCDateTime, default=utcnow)
    due_at: so.Mapped[datetime] = so.mapped_column(UTCDateTime)
    claimed_by_id: so.Mapped[int | None] = so.mapped_column(sa.ForeignKey("users.id"))
    lease_expires_at: so.Mapped[datetime | None] = so.mapped_column(UTCDateTime)
    resolved_at: so.Mapped[datetime | None] = so.mapped_column(UTCDateTime)
    escalated_at: so.Mapped[datetime | None] = so.mapped_column(UTCDateTime)
    escalation_reason: so.Mapped[str | None] = so.mapped_column(sa.Text)

    comment: so.Mapped[Comment] = so.relationship(back_populates="review_item")
    claimed_by: so.Mapped[User | None] = so.relationship()
    decisions: so.Mapped[list[Decision]] = so.relationship(
        back_populates="review_item", order_by="Decision.id")
    # The flags, one row each (review_item_flags); read and written through `flags`.
    flag_rows: so.Mapped[list[ReviewItemFlag]] = so.relationship(
        cascade="all, delete-orphan", lazy="selectin", passive_deletes=True)

    @property
    def flags(self) -> list[str]:
        """The item's flags, most urgent first."""
        return policy.most_urgent_first(r.flag for r in self.flag_rows)

    @flags.setter
    def flags(self, flags: Iterable[str]) -> None:
        wanted = policy.most_urgent_first(flags)
        kept = [r for r in self.flag_rows if r.flag in wanted]
        have = {r.flag for r in kept}
        self.flag_rows = kept + [ReviewItemFlag(flag=f) for f in wanted if f not in have]


class ReviewItemFlag(Base):
    """One flag of a queue item. The primary key (item_id, flag) gives an item's flags and
    answers "has this item flag f" by index; (flag, item_id) lists the items of a flag."""

    __tablename__ = "review_item_flags"
    __table_args__ = (sa.Index("ix_review_item_flags_flag", "flag", "item_id"),)
    item_id: so.Mapped[int] = so.mapped_column(
        sa.ForeignKey("review_items.id", ondelete="CASCADE"), primary_key=True)
    flag: so.Mapped[str] = so.mapped_column(sa.String(16), primary_key=True)


class FlagList(sa.types.TypeDecorator):
    """A query's aggregate of an item's flags ("distress,crisis") as a list, most urgent
    first: see `flag_list`."""

    impl = sa.String
    cache_ok = True

    def process_result_value(self, value: str | None, dialect) -> list[str]:
        return policy.most_urgent_first(value.split(",")) if value else []


class _FlagAgg(sa.sql.functions.GenericFunction):
    type = sa.String()
    inherit_cache = True
    name = "flag_agg"


@compiles(_FlagAgg, "postgresql")
def _flag_agg_pg(element, compiler, **kw):
    return f"string_agg({compiler.process(element.clauses, **kw)}, ',')"


@compiles(_FlagAgg)
def _flag_agg_default(element, compiler, **kw):
    return f"group_concat({compiler.process(element.clauses, **kw)}, ',')"


def flag_list(item_id: Any = None) -> sa.ColumnElement[list[str]]:
    """An item's flags as a column of a query (a list, most urgent first): one indexed
    lookup per row, in the same round trip as the row."""
    item_id = ReviewItem.id if item_id is None else item_id
    return sa.type_coerce(
        sa.select(_FlagAgg(ReviewItemFlag.flag)).where(ReviewItemFlag.item_id == item_id)
        .scalar_subquery(), FlagList())


def has_flag(flag: str, item_id: Any = None) -> sa.ColumnElement[bool]:
    """The item has this flag: an index probe on review_item_flags' primary key."""
    item_id = ReviewItem.id if item_id is None else item_id
    return sa.exists().where(ReviewItemFlag.item_id == item_id, ReviewItemFlag.flag == flag)


def primary_flag(item_id: Any = None) -> sa.ColumnElement[str]:
    """The item's most urgent flag, as a column (what the stats count an item under)."""
    item_id = ReviewItem.id if item_id is None else item_id
    rank = sa.case({f.value: i for i, f in enumerate(policy.ORDER)},
                   value=ReviewItemFlag.flag, else_=len(policy.ORDER))
    return (sa.select(ReviewItemFlag.flag).where(ReviewItemFlag.item_id == item_id)
            .order_by(rank, ReviewItemFlag.flag).limit(1).scalar_subquery())


class Decision(Base):
    __tablename__ = "decisions"
    # A moderator's latest decisions (the crisis streak and undo list on every item page).
    __table_args__ = (sa.Index("ix_decisions_user", "user_id", "id"),)
    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    review_item_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("review_items.id"), index=True)
    user_id: so.Mapped[int | None] = so.mapped_column(sa.ForeignKey("users.id"))
    action: so.Mapped[str] = so.mapped_column(sa.String(16))
    note: so.Mapped[str | None] = so.mapped_column(sa.Text)
    reply_text: so.Mapped[str | None] = so.mapped_column(sa.Text)
    resources: so.Mapped[list[str] | None] = so.mapped_column(sa.JSON)
    created_at: so.Mapped[datetime] = so.mapped_column(UTCDateTime, default=utcnow, index=True)
    # Why (an escalation, or approving a crisis comment); what undo restores; when undone.
    reason: so.Mapped[str | None] = so.mapped_column(sa.Text)
    prior_state: so.Mapped[str | None] = so.mapped_column(sa.String(16))
    prior_due_at: so.Mapped[datetime | None] = so.mapped_column(UTCDateTime)
    undone_at: so.Mapped[datetime | None] = so.mapped_column(UTCDateTime)

    review_item: so.Mapped[ReviewItem] = so.relationship(back_populates="decisions")
    user: so.Mapped[User | None] = so.relationship()


class AuditEvent(Base):
    """Append-only log of who did what. The code never updates or deletes these rows;
    on PostgreSQL a trigger refuses both (see the migration)."""

    __tablename__ = "audit_events"
    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    created_at: so.Mapped[datetime] = so.mapped_column(UTCDateTime, default=utcnow, index=True)
    actor_id: so.Mapped[int | None] = so.mapped_column(sa.ForeignKey("users.id"))
    actor: so.Mapped[str | None] = so.mapped_column(sa.String(254))
    action: so.Mapped[str] = so.mapped_column(sa.String(64), index=True)
    target_type: so.Mapped[str | None] = so.mapped_column(sa.String(32))
    target_id: so.Mapped[str | None] = so.mapped_column(sa.String(255))
    details: so.Mapped[dict[str, Any] | None] = so.mapped_column(sa.JSON)
    ip: so.Mapped[str | None] = so.mapped_column(sa.String(64))


class ResourceEntry(Base):
    """A support resource in the database: the shipped catalog, loaded by `flask resources
    load`, plus admins' edits (an edited entry is never overwritten by a reload)."""

    __tablename__ = "resources"
    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    key: so.Mapped[str] = so.mapped_column(sa.String(100), unique=True)
    data: so.Mapped[dict[str, Any]] = so.mapped_column(sa.JSON)
    active: so.Mapped[bool] = so.mapped_column(default=True)
    edited_by_id: so.Mapped[int | None] = so.mapped_column(sa.ForeignKey("users.id"))
    updated_at: so.Mapped[datetime] = so.mapped_column(UTCDateTime, default=utcnow)


class OutboxDelivery:
    """The delivery columns every outbox shares (see services/outbox.py)."""

    created_at: so.Mapped[datetime] = so.mapped_column(UTCDateTime, default=utcnow)
    attempts: so.Mapped[int] = so.mapped_column(default=0)
    next_attempt_at: so.Mapped[datetime] = so.mapped_column(UTCDateTime, default=utcnow)
    delivered_at: so.Mapped[datetime | None] = so.mapped_column(UTCDateTime)
    failed_at: so.Mapped[datetime | None] = so.mapped_column(UTCDateTime)
    last_error: so.Mapped[str | None] = so.mapped_column(sa.String(500))


class CallbackOutbox(OutboxDelivery, Base):
    """A decision to send back to the site, written in the decision's transaction and
    delivered (signed) by `flask callbacks deliver` with retries and backoff."""

    __tablename__ = "callback_outbox"
    __table_args__ = (sa.Index("ix_callback_outbox_due", "delivered_at", "next_attempt_at"),)
    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    site_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("sites.id"), index=True)
    decision_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("decisions.id"), unique=True)
    url: so.Mapped[str] = so.mapped_column(sa.String(2000))
    payload: so.Mapped[dict[str, Any]] = so.mapped_column(sa.JSON)

    decision: so.Mapped[Decision] = so.relationship()
    site: so.Mapped[Site] = so.relationship()


class ApiToken(Base):
    """A bearer token for the JSON API (admins' scripts); only its SHA-256 is stored."""

    __tablename__ = "api_tokens"
    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    user_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("users.id"), index=True)
    token_sha256: so.Mapped[str] = so.mapped_column(sa.String(64), unique=True)
    # The token's first characters, shown to tell tokens apart (None: issued before prefixes)
    prefix: so.Mapped[str | None] = so.mapped_column(sa.String(16), index=True)
    created_at: so.Mapped[datetime] = so.mapped_column(UTCDateTime, default=utcnow)
    expires_at: so.Mapped[datetime] = so.mapped_column(UTCDateTime)
    revoked_at: so.Mapped[datetime | None] = so.mapped_column(UTCDateTime)

    user: so.Mapped[User] = so.relationship()



class ApiKey(Base):
    """A key for the Perspective-compatible API. A key names its site; only its SHA-256 is
    stored (the key is shown once), and `prefix` lets an admin tell keys apart."""

    __tablename__ = "api_keys"
    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    site_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("sites.id"), index=True)
    prefix: so.Mapped[str] = so.mapped_column(sa.String(16))
    key_sha256: so.Mapped[str] = so.mapped_column(sa.String(64), unique=True)
    label: so.Mapped[str | None] = so.mapped_column(sa.String(100))
    created_at: so.Mapped[datetime] = so.mapped_column(UTCDateTime, default=utcnow)
    revoked_at: so.Mapped[datetime | None] = so.mapped_column(UTCDateTime)

    site: so.Mapped[Site] = so.relationship()


class CoralSecret(RotatingSecret, Base):
    """A Coral Talk external moderation phase's signing secret, as Coral shows it to its
    admin (stored encrypted with SECRETS_KEY). Two are active while Coral rolls the secret."""

    __tablename__ = "coral_secrets"
    id: so.Mapped[int] = so.mapped_column(primary_key=True)


class ScoreSuggestion(Base):
    """A site's verdict on a comment, sent through `comments:suggestscore` (Coral sends one
    when its moderators approve or reject): a labelled example for calibration."""

    __tablename__ = "score_suggestions"
    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    site_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("sites.id"), index=True)
    client_token: so.Mapped[str | None] = so.mapped_column(sa.String(255))
    text: so.Mapped[str | None] = so.mapped_column(sa.Text)
    # {"TOXICITY": 1.0, ...}: the site's verdict per attribute, as sent
    scores: so.Mapped[dict[str, float]] = so.mapped_column(sa.JSON)
    language: so.Mapped[str | None] = so.mapped_column(sa.String(35))
    community_id: so.Mapped[str | None] = so.mapped_column(sa.String(255))
    created_at: so.Mapped[datetime] = so.mapped_column(UTCDateTime, default=utcnow, index=True)
    redacted_at: so.Mapped[datetime | None] = so.mapped_column(UTCDateTime)


class AlertOutbox(OutboxDelivery, Base):
    """An alert to send about a queue item (never its comment's words): one row per item,
    event, channel and recipient (the dedupe key), delivered at least once with retries by
    `flask alerts deliver`."""

    __tablename__ = "alert_outbox"
    __table_args__ = (sa.Index("ix_alert_outbox_due", "delivered_at", "next_attempt_at"),)
    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    site_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("sites.id"), index=True)
    review_item_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("review_items.id"),
                                                      index=True)
    event: so.Mapped[str] = so.mapped_column(sa.String(16))  # arrived, half_deadline, overdue
    channel: so.Mapped[str] = so.mapped_column(sa.String(8))  # email, chat
    target: so.Mapped[str] = so.mapped_column(sa.String(2000))
    dedupe_key: so.Mapped[str] = so.mapped_column(sa.String(64), unique=True)
    payload: so.Mapped[dict[str, Any]] = so.mapped_column(sa.JSON)

    site: so.Mapped[Site] = so.relationship()


class LoginThrottle(Base):
    """Failed sign-ins, shared by every worker: per e-mail and address pair ("pair:…", whose
    next attempt waits until `blocked_until`) and per address ("addr:…", failures since
    `window_start`). See services/login_limits.py."""

    __tablename__ = "login_throttle"
    key: so.Mapped[str] = so.mapped_column(sa.String(400), primary_key=True)
    failures: so.Mapped[int] = so.mapped_column(default=0)
    window_start: so.Mapped[datetime] = so.mapped_column(UTCDateTime, default=utcnow)
    blocked_until: so.Mapped[datetime | None] = so.mapped_column(UTCDateTime)
    updated_at: so.Mapped[datetime] = so.mapped_column(UTCDateTime, default=utcnow, index=True)
