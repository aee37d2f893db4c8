"""The audit log is append-only in the database too (PostgreSQL): no UPDATE, no DELETE,
and (issue 14, finding 9) no TRUNCATE, which a row trigger does not see."""
from __future__ import annotations

import pytest
import sqlalchemy as sa

from moderation.extensions import db
from moderation.services import audit
from tests.conftest import POSTGRES

pytestmark = pytest.mark.skipif(not POSTGRES, reason="the audit triggers are PostgreSQL's")


@pytest.fixture
def event(app):
    audit.record(db.session, "test.event", actor_label="cli", details={"n": 1})
    db.session.commit()


@pytest.mark.parametrize("statement", [
    "UPDATE audit_events SET action = 'x'", "DELETE FROM audit_events",
    "TRUNCATE audit_events", "TRUNCATE audit_events RESTART IDENTITY CASCADE",
])
def test_the_audit_log_refuses_changes(event, statement):
    with pytest.raises(sa.exc.DBAPIError, match="append-only"):
        db.session.execute(sa.text(statement))
    db.session.rollback()
    assert db.session.scalar(sa.text("SELECT count(*) FROM audit_events")) == 1
