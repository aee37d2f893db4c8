"""API bearer tokens for admins' scripts: issued once, stored as a hash, revocable."""
from __future__ import annotations

import hashlib
import secrets

import sqlalchemy as sa
from sqlalchemy.orm import Session

from ..db import write_transaction
from ..errors import Invalid, NotFound
from ..models import ApiToken, User
from . import audit

PREFIX = "modtok_"


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def issue_token(session: Session, email: str) -> str:
    with write_transaction(session):
        user = session.scalar(sa.select(User).where(User.email == email.lower()))
        if user is None:
            raise NotFound(f"no user {email}")
        if not user.is_admin:
            raise Invalid("API tokens are for admins")
        token = PREFIX + secrets.token_urlsafe(32)
        session.add(ApiToken(user_id=user.id, token_sha256=_digest(token)))
        audit.record(session, "token.issue", actor_label="cli", target_type="user",
                     target_id=user.id)
    return token


def user_for_token(session: Session, token: str) -> User | None:
    if not token.startswith(PREFIX):
        return None
    row = session.scalar(sa.select(ApiToken).where(ApiToken.token_sha256 == _digest(token),
                                                   ApiToken.revoked_at.is_(None)))
    if row is None or not row.user.active or not row.user.is_admin:
        return None
    return row.user
