"""Moderator and admin accounts."""
from __future__ import annotations

import sqlalchemy as sa
from email_validator import EmailNotValidError, validate_email
from sqlalchemy.orm import Session

from ..db import write_transaction
from ..errors import Conflict, Invalid, NotFound
from ..models import Role, User
from . import audit

MIN_PASSWORD = 10


def normalise_email(email: str) -> str:
    try:
        return validate_email(email, check_deliverability=False).normalized.lower()
    except EmailNotValidError as exc:
        raise Invalid(f"not a valid e-mail address: {exc}") from None


def create_user(session: Session, email: str, password: str, role: str = "moderator",
                *, actor: User | None = None) -> User:
    email = normalise_email(email)
    if role not in {r.value for r in Role}:
        raise Invalid("role must be admin or moderator")
    if len(password) < MIN_PASSWORD:
        raise Invalid(f"a password has at least {MIN_PASSWORD} characters")
    with write_transaction(session):
        if session.scalar(sa.select(User.id).where(User.email == email)):
            raise Conflict(f"a user {email} exists")
        user = User(email=email, role=role)
        user.set_password(password)
        session.add(user)
        session.flush()
        audit.record(session, "user.create", actor=actor, actor_label="cli",
                     target_type="user", target_id=user.id, details={"role": role})
    return user


def set_password(session: Session, email: str, password: str) -> User:
    if len(password) < MIN_PASSWORD:
        raise Invalid(f"a password has at least {MIN_PASSWORD} characters")
    with write_transaction(session):
        user = session.scalar(sa.select(User).where(User.email == normalise_email(email)))
        if user is None:
            raise NotFound(f"no user {email}")
        user.set_password(password)
        audit.record(session, "user.set_password", actor_label="cli", target_type="user",
                     target_id=user.id)
    return user
