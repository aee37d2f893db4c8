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
                *, actor: User | None = None, must_set_password: bool = False,
                address: str | None = None) -> User:
    """A new account; `must_set_password` (invitations) holds every page but the
    set-password form until its owner has chosen their own."""
    email = normalise_email(email)
    if role not in {r.value for r in Role}:
        raise Invalid("role must be admin or moderator")
    check_password(password, email)
    with write_transaction(session):
        if session.scalar(sa.select(User.id).where(User.email == email)):
            raise Conflict(f"a user {email} exists")
        user = User(email=email, role=role, must_set_password=must_set_password)
        user.set_password(password)
        session.add(user)
        session.flush()
        audit.record(session, "user.create", actor=actor, actor_label="cli",
                     target_type="user", target_id=user.id, details={"role": role},
                     address=address)
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


class WrongPassword(Invalid):
    """The current password re-entered to change it is not the account's."""


def change_password(session: Session, user_id: int, new: str, *,
                    current: str | None, address: str | None = None) -> User:
    """The signed-in user replaces their own password: `current` must be theirs, unless the
    account is waiting for its first own password (it has just signed in with the
    invitation's). The new one passes `check_password` and differs from the old; it ends the
    account's other sessions (the caller signs this one in again) and is audited without
    either password."""
    user = session.get(User, user_id)
    if user is None:
        raise NotFound(f"no user {user_id}")
    first = user.must_set_password
    if not first and not user.check_password(current or ""):
        raise WrongPassword("this is not your current password")
    if user.check_password(new):
        raise Invalid("choose a password different from the one you have")
    check_password(new, user.email)
    with write_transaction(session):
        user = session.get(User, user_id)
        user.set_password(new)
        user.must_set_password = False
        audit.record(session, "user.set_own_password" if first else "user.change_password",
                     actor=user, target_type="user", target_id=user.id, address=address)
    return user
