"""API bearer tokens for admins' scripts: issued once, stored as a hash, expiring, revocable."""
from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

import sqlalchemy as sa
from sqlalchemy.orm import Session, joinedload

from ..db import utcnow, write_transaction
from ..errors import Invalid, NotFound
from ..models import ApiToken, User
from . import audit

PREFIX = "modtok_"
SHOWN = len(PREFIX) + 8  # "modtok_" and 8 of the 43 random characters tell tokens apart
MAX_DAYS = 3650


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _user(session: Session, email: str) -> User:
    user = session.scalar(sa.select(User).where(User.email == email.strip().lower()))
    if user is None:
        raise NotFound(f"no user {email}")
    return user


def issue_token(session: Session, email: str, days: int = 90) -> str:
    """A new token for an admin, valid `days` days (shown once; only its hash is kept)."""
    if not 1 <= days <= MAX_DAYS:
        raise Invalid(f"a token lasts 1 to {MAX_DAYS} days")
    with write_transaction(session):
        user = _user(session, email)
        if not user.is_admin:
            raise Invalid("API tokens are for admins")
        token = PREFIX + secrets.token_urlsafe(32)
        row = ApiToken(user_id=user.id, token_sha256=_digest(token), prefix=token[:SHOWN],
                       expires_at=utcnow() + timedelta(days=days))
        session.add(row)
        audit.record(session, "token.issue", actor_label="cli", target_type="user",
                     target_id=user.id, details={"prefix": row.prefix, "days": days})
    return token


def user_for_token(session: Session, token: str) -> User | None:
    """The admin a live token belongs to: not revoked, not expired, its owner still an
    active admin."""
    if not token.startswith(PREFIX):
        return None
    row = session.scalar(sa.select(ApiToken).where(ApiToken.token_sha256 == _digest(token),
                                                   ApiToken.revoked_at.is_(None),
                                                   ApiToken.expires_at > utcnow()))
    if row is None or not row.user.active or not row.user.is_admin:
        return None
    return row.user


def revoke_tokens(session: Session, email: str, *, prefix: str | None = None,
                  everything: bool = False, actor: User | None = None) -> list[ApiToken]:
    """Revoke the user's token that shows `prefix`, or (`everything`) all their live ones."""
    if (prefix is None) == (not everything):
        raise Invalid("name one token's prefix, or all of them")
    with write_transaction(session):
        user = _user(session, email)
        query = sa.select(ApiToken).where(ApiToken.user_id == user.id,
                                          ApiToken.revoked_at.is_(None))
        if prefix is not None:
            query = query.where(ApiToken.prefix == prefix)
        rows = list(session.scalars(query.order_by(ApiToken.id)))
        if prefix is not None and not rows:
            raise NotFound(f"{user.email} has no live token {prefix}")
        for row in rows:
            _revoke(session, row, actor)
    return rows


def revoke_token(session: Session, token_id: int, *, actor: User,
                 address: str | None = None) -> ApiToken:
    """An admin revokes one token from the tokens page (revoking it again changes nothing)."""
    with write_transaction(session):
        row = session.get(ApiToken, token_id)
        if row is None:
            raise NotFound(f"no token {token_id}")
        if row.revoked_at is None:
            _revoke(session, row, actor, address)
    return row


def _revoke(session: Session, row: ApiToken, actor: User | None,
            address: str | None = None) -> None:
    row.revoked_at = utcnow()
    audit.record(session, "token.revoke", actor=actor, actor_label=None if actor else "cli",
                 target_type="user", target_id=row.user_id,
                 details={"token_id": row.id, "prefix": row.prefix}, address=address)


def list_tokens(session: Session) -> list[ApiToken]:
    """Every token, newest first, with its owner (for the admin page)."""
    return list(session.scalars(sa.select(ApiToken).options(joinedload(ApiToken.user))
                                .order_by(ApiToken.id.desc())))
