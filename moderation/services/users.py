"""Moderator and admin accounts."""
from __future__ import annotations

import sqlalchemy as sa
from email_validator import EmailNotValidError, validate_email
from sqlalchemy.orm import Session
from zxcvbn import zxcvbn

from ..db import write_transaction
from ..errors import Conflict, Invalid, NotFound
from ..models import Role, User
from . import audit

MIN_PASSWORD = 10
MIN_STRENGTH = 3  # zxcvbn's score, 0-4: 3 is "safely unguessable" against online guessing
# Words a guesser of this service's accounts would try first.
_SERVICE_WORDS = ["moderation", "moderator", "comments", "health"]


def check_password(password: str, email: str | None = None) -> None:
    """Refuse a short, common or guessable password (zxcvbn, with the e-mail address and
    the service's own words counted as known to the guesser)."""
    if len(password) < MIN_PASSWORD:
        raise Invalid(f"a password has at least {MIN_PASSWORD} characters")
    known = list(_SERVICE_WORDS)
    if email:
        known += [email, *email.replace("@", ".").split(".")]
    # zxcvbn's cost grows with length: a long password is judged on its first 100 characters
    if zxcvbn(password[:100], user_inputs=known)["score"] < MIN_STRENGTH:
        raise Invalid("this password is too easy to guess (common, a pattern or close to "
                      "the e-mail address): use a few unrelated words or a password manager")


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
    check_password(password, email)
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
    check_password(password, email)
    with write_transaction(session):
        user = session.scalar(sa.select(User).where(User.email == normalise_email(email)))
        if user is None:
            raise NotFound(f"no user {email}")
        user.set_password(password)
        audit.record(session, "user.set_password", actor_label="cli", target_type="user",
                     target_id=user.id)
    return user
