"""Moderators' wellbeing: their own settings (blur crisis comments in the queue)."""
from __future__ import annotations

from sqlalchemy.orm import Session

from ..db import write_transaction
from ..models import User
from . import audit


def set_blur_crisis(session: Session, user: User, blur: bool, *,
                    address: str | None = None) -> None:
    """A moderator's own choice: blur crisis comments in the queue until pointed at."""
    with write_transaction(session):
        row = session.get(User, user.id)
        if row.blur_crisis != blur:
            row.blur_crisis = blur
            audit.record(session, "user.settings", actor=row, target_type="user",
                         target_id=row.id, details={"blur_crisis": blur}, address=address)
