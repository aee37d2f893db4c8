"""Append-only audit trail: every service that changes something records who did it.

Who and from where are passed in (the view gives the signed-in user and the request's
address; the CLI a label): nothing is read from a request here."""
from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from ..models import AuditEvent, User


def record(session: Session, action: str, *, actor: User | None = None,
           actor_label: str | None = None, target_type: str | None = None,
           target_id: Any = None, details: dict[str, Any] | None = None,
           address: str | None = None) -> AuditEvent:
    """Add an audit row to the caller's transaction (it commits with the change it records).
    `address`: the client's IP address when a web request made the change."""
    event = AuditEvent(
        actor_id=actor.id if actor else None,
        actor=actor.email if actor else actor_label,
        action=action, target_type=target_type,
        target_id=None if target_id is None else str(target_id),
        details=details, ip=address)
    session.add(event)
    return event
