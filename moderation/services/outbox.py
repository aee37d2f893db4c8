"""What every outbox (decision callbacks, alerts) shares: claim due rows so that two workers
never send the same row at once, and settle each attempt (delivered, retry later, failed)."""
from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from ..db import utcnow, write_transaction

LEASE = timedelta(seconds=60)  # a claimed row is not retried by another worker meanwhile


def claim_due(session: Session, model: Any, now: datetime, limit: int) -> list[int]:
    """The ids of up to `limit` due rows, leased to this worker (SKIP LOCKED on PostgreSQL;
    SQLite serialises writers)."""
    with write_transaction(session):
        query = (sa.select(model)
                 .where(model.delivered_at.is_(None), model.failed_at.is_(None),
                        model.next_attempt_at <= now)
                 .order_by(model.id).limit(limit))
        if session.get_bind().dialect.name == "postgresql":
            query = query.with_for_update(skip_locked=True)
        rows = session.scalars(query).all()
        for row in rows:
            row.next_attempt_at = now + LEASE
        return [row.id for row in rows]


def release(session: Session, model: Any, ids: list[int]) -> None:
    """Hand claimed rows back unsent: due again at once (a worker that stops mid-round)."""
    if ids:
        with write_transaction(session):
            session.execute(sa.update(model).where(model.id.in_(ids))
                            .values(next_attempt_at=utcnow()))


def settle(row: Any, error: str | None, schedule: tuple[float, ...],
           now: datetime | None = None) -> str:
    """Record one attempt on a claimed row (inside the caller's write transaction): "delivered",
    "retried" (after the schedule's next wait) or "failed" (the schedule is used up)."""
    now = now or utcnow()
    row.attempts += 1
    if error is None:
        row.delivered_at, row.last_error = now, None
        return "delivered"
    row.last_error = error[:500]
    if row.attempts > len(schedule):
        row.failed_at = now
        return "failed"
    row.next_attempt_at = now + timedelta(seconds=schedule[row.attempts - 1])
    return "retried"


def recent(session: Session, model: Any, *, problems_only: bool = False, limit: int = 200):
    """The newest rows for an admin page; `problems_only`: undelivered ones with an error."""
    query = sa.select(model).order_by(model.id.desc()).limit(limit)
    if problems_only:
        query = query.where(model.delivered_at.is_(None), model.last_error.is_not(None))
    return session.scalars(query).all()
