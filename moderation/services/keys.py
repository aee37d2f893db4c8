"""Key rotation for secrets at rest: re-encrypt every stored signing secret with the newest
key in SECRETS_KEY."""
from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Session

from ..db import write_transaction
from ..models import CallbackSecret, CoralSecret, SiteSecret
from ..secretbox import reseal_secret
from ..settings import Settings
from . import audit


def reseal_all(session: Session, settings: Settings) -> int:
    """Re-encrypt webhook, callback and Coral secrets with the newest key of
    settings.secrets_key; audited."""
    count = 0
    with write_transaction(session):
        for model in (SiteSecret, CallbackSecret, CoralSecret):
            for row in session.scalars(sa.select(model)):
                row.secret = reseal_secret(row.secret, settings.secrets_key)
                count += 1
        audit.record(session, "secrets.rotate_key", actor_label="cli",
                     details={"secrets": count})
    return count
