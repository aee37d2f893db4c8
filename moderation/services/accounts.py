"""Admin use cases for accounts and sites: sign-in, invite, role, disable, list."""
from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import date, datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import Session
from werkzeug.security import check_password_hash, generate_password_hash

from ..db import utcnow, write_transaction
from ..errors import Conflict, Invalid, NotFound
from ..models import AuditEvent, Role, Site, User
from . import audit
from .users import create_user, normalise_email

# Checked when the e-mail is unknown, so a wrong address takes as long as a wrong password.
_DUMMY_HASH = generate_password_hash("not-a-real-password")


def sign_in(session: Session, email: str, password: str, *,
            address: str | None = None) -> User | None:
    """The active user with this e-mail and password, or None; both outcomes are audited
    (with the client's `address`)."""
    address = email.strip().lower()[:254]
    user = session.scalar(sa.select(User).where(User.email == address))
    ok = user.check_password(password) if user else check_password_hash(_DUMMY_HASH, password)
    with write_transaction(session):
        if user is None or not ok or not user.active:
            reason = ("unknown_email" if user is None else
                      "wrong_password" if not ok else "disabled")
            audit.record(session, "auth.login_failed", actor_label=address,
                         target_type="user", target_id=user.id if user else None,
                         details={"reason": reason}, address=address)
            return None
        user = session.get(User, user.id)
        user.last_login_at = utcnow()
        audit.record(session, "auth.login", actor=user, target_type="user", target_id=user.id,
                     address=address)
    return user


def signed_out(session: Session, user: User, *, address: str | None = None) -> None:
    """Signing out ends every session of the account (each browser it is signed in on):
    the session token in their cookies is replaced."""
    with write_transaction(session):
        session.get(User, user.id).end_sessions()
        audit.record(session, "auth.logout", actor=user, target_type="user", target_id=user.id,
                     address=address)


def sign_out_everywhere(session: Session, user_id: int, *, actor: User,
                        address: str | None = None) -> User:
    """An admin ends every session of an account (a lost laptop, a shared password)."""
    with write_transaction(session):
        user = _user(session, user_id)
        user.end_sessions()
        audit.record(session, "user.sign_out_everywhere", actor=actor, target_type="user",
                     target_id=user.id, address=address)
    return user


@dataclass(frozen=True)
class Invitation:
    user: User
    password: str  # shown once to the admin, who passes it on; the user must replace it


def invite_user(session: Session, email: str, role: str, *, actor: User,
                address: str | None = None) -> Invitation:
    password = secrets.token_urlsafe(12)
    user = create_user(session, email, password, role, actor=actor, must_set_password=True,
                       address=address)
    return Invitation(user, password)


def _user(session: Session, user_id: int) -> User:
    user = session.get(User, user_id)
    if user is None:
        raise NotFound(f"no user {user_id}")
    return user


def _other_active_admins(session: Session, user_id: int) -> int:
    return session.scalar(sa.select(sa.func.count(User.id)).where(
        User.role == Role.ADMIN.value, User.active.is_(True), User.id != user_id)) or 0


def set_role(session: Session, user_id: int, role: str, *, actor: User,
             address: str | None = None) -> User:
    if role not in {r.value for r in Role}:
        raise Invalid("role must be admin or moderator")
    with write_transaction(session):
        user = _user(session, user_id)
        if user.role == role:
            return user
        if user.role == Role.ADMIN.value and not _other_active_admins(session, user.id):
            raise Conflict("the last active admin cannot become a moderator")
        before, user.role = user.role, role
        audit.record(session, "user.set_role", actor=actor, target_type="user",
                     target_id=user.id, details={"before": before, "after": role},
                     address=address)
    return user


def set_active(session: Session, user_id: int, active: bool, *, actor: User,
               address: str | None = None) -> User:
    with write_transaction(session):
        user = _user(session, user_id)
        if user.active == active:
            return user
        if not active and user.id == actor.id:
            raise Conflict("you cannot disable your own account")
        if not active and user.is_admin and not _other_active_admins(session, user.id):
            raise Conflict("the last active admin cannot be disabled")
        user.active = active
        if not active:  # its sessions stay ended after it is enabled again
            user.end_sessions()
        audit.record(session, "user.enable" if active else "user.disable", actor=actor,
                     target_type="user", target_id=user.id, address=address)
    return user


def list_users(session: Session) -> list[User]:
    return list(session.scalars(sa.select(User).order_by(User.role, User.email)))


def list_sites(session: Session) -> list[Site]:
    return list(session.scalars(sa.select(Site).order_by(Site.slug)))


@dataclass(frozen=True)
class AuditFilters:
    action: str | None = None       # exact, or a prefix ending in "." (e.g. "decision.")
    actor: str | None = None        # e-mail (or the label of a failed sign-in)
    target_type: str | None = None
    target_id: str | None = None
    since: datetime | None = None
    until: datetime | None = None


def audit_events(session: Session, filters: AuditFilters, *, before: int | None = None,
                 limit: int = 100) -> tuple[list[AuditEvent], int | None]:
    """Newest first, keyset-paged by id; returns the rows and the `before` of the next page."""
    query = sa.select(AuditEvent).order_by(AuditEvent.id.desc()).limit(limit + 1)
    if filters.action:
        if filters.action.endswith("."):
            query = query.where(AuditEvent.action.startswith(filters.action, autoescape=True))
        else:
            query = query.where(AuditEvent.action == filters.action)
    if filters.actor:
        query = query.where(AuditEvent.actor == filters.actor.strip().lower())
    if filters.target_type:
        query = query.where(AuditEvent.target_type == filters.target_type)
    if filters.target_id:
        query = query.where(AuditEvent.target_id == filters.target_id)
    if filters.since:
        query = query.where(AuditEvent.created_at >= filters.since)
    if filters.until and filters.until.date() < date.max:  # nothing is after the last day
        query = query.where(AuditEvent.created_at < filters.until + timedelta(days=1))
    if before:
        query = query.where(AuditEvent.id < before)
    rows = list(session.scalars(query))
    if len(rows) > limit:
        return rows[:limit], rows[limit - 1].id
    return rows, None


def audit_actions(session: Session) -> list[str]:
    return list(session.scalars(sa.select(AuditEvent.action).distinct()
                                .order_by(AuditEvent.action)))


__all__ = ["AuditFilters", "Invitation", "audit_actions", "audit_events", "invite_user",
           "list_sites", "list_users", "normalise_email", "set_active", "set_role", "sign_in",
           "sign_out_everywhere", "signed_out"]
