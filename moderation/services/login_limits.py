"""Sign-in limits that slow a guesser down without locking anyone out, kept in the database
so that every worker process shares them.

The limits are Settings.login (from the LOGIN_* config keys), passed in by the caller.

- Per e-mail and address pair: after LOGIN_FREE_ATTEMPTS failures, each failure makes the
  pair wait LOGIN_DELAY_BASE_SECONDS, then twice as long after the next, and so on (at most
  LOGIN_DELAY_MAX_SECONDS) before its next attempt; the password is not even checked
  meanwhile. The account's owner, signing in from
  another address, is not slowed by a guesser's failures. A success clears the pair.
- Per address: at most LOGIN_ADDRESS_MAX_FAILURES failures in LOGIN_ADDRESS_WINDOW_SECONDS,
  whatever the accounts tried.
"""
from __future__ import annotations

import math
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ..db import utcnow, write_transaction
from ..models import LoginThrottle
from ..settings import LoginLimits


def _keys(email: str, address: str) -> tuple[str, str]:
    email = email.strip().lower()[:254]
    return f"pair:{email}\x1f{address}"[:400], f"addr:{address}"[:400]


def wait_seconds(session: Session, limits: LoginLimits, email: str, address: str,
                 now: datetime | None = None) -> int:
    """How long this e-mail and address must wait before trying again (0: try now)."""
    now = now or utcnow()
    pair_key, address_key = _keys(email, address)
    rows = {r.key: r for r in session.scalars(sa.select(LoginThrottle).where(
        LoginThrottle.key.in_((pair_key, address_key))))}
    session.rollback()
    waits = [0.0]
    pair = rows.get(pair_key)
    if pair is not None and pair.blocked_until is not None and pair.blocked_until > now:
        waits.append((pair.blocked_until - now).total_seconds())
    window = timedelta(seconds=limits.address_window_seconds)
    cap = limits.address_max_failures
    place = rows.get(address_key)
    if place is not None and place.window_start + window > now and place.failures >= cap:
        waits.append((place.window_start + window - now).total_seconds())
    return math.ceil(max(waits))


def _row(session: Session, key: str, now: datetime) -> LoginThrottle:
    row = session.get(LoginThrottle, key, with_for_update=True)
    if row is None:
        row = LoginThrottle(key=key, failures=0, window_start=now, updated_at=now)
        session.add(row)
    return row


def record_failure(session: Session, limits: LoginLimits, email: str, address: str) -> None:
    """Count a failed sign-in for the pair and the address (one transaction)."""
    pair_key, address_key = _keys(email, address)
    for attempt in range(2):  # two first failures at once may race to insert the row
        try:
            with write_transaction(session):
                now = utcnow()
                pair = _row(session, pair_key, now)
                pair.failures += 1
                pair.updated_at = now
                free = limits.free_attempts
                if pair.failures >= free:
                    delay = min(limits.delay_base_seconds * 2 ** min(pair.failures - free, 30),
                                limits.delay_max_seconds)
                    pair.blocked_until = now + timedelta(seconds=delay)
                place = _row(session, address_key, now)
                window = timedelta(seconds=limits.address_window_seconds)
                if place.window_start + window <= now:
                    place.window_start, place.failures = now, 0
                place.failures += 1
                place.updated_at = now
            return
        except IntegrityError:
            if attempt:
                raise


def clear(session: Session, email: str, address: str) -> None:
    """A successful sign-in clears its pair (not the address's count)."""
    pair_key, _ = _keys(email, address)
    with write_transaction(session):
        session.execute(sa.delete(LoginThrottle).where(LoginThrottle.key == pair_key))
        # Rows nobody has touched for a day are of no use any more.
        session.execute(sa.delete(LoginThrottle).where(
            LoginThrottle.updated_at < utcnow() - timedelta(days=1)))
