"""Append-only audit trail: every service that changes something records who did it."""
from __future__ import annotations

from typing import Any

from flask import has_request_context, request
from flask_login import current_user
from sqlalchemy.orm import Session

from ..models import AuditEvent, User


def record(session: Session, action: str, *, actor: User | None = None,
           actor_label: str | None = None, target_type: str | None = None,
           target_id: Any = None, details: dict[str, Any] | None = None) -> AuditEvent:
    """Add an audit row to the caller's transaction (it commits with the change it records)."""
    ip = None
    if has_request_context():
        ip = request.remote_addr
        if actor is None and current_user and current_user.is_authenticated:
            actor = current_user._get_current_object()
    event = AuditEvent(
        actor_id=actor.id if actor else None,
        actor=actor.email if actor else actor_label,
        action=action, target_type=target_type,
        target_id=None if target_id is None else str(target_id),
        details=details, ip=ip)
    session.add(event)
    return event
