"""Services called as plain functions: a SQLAlchemy Session on its own engine and a Settings
value, no Flask app and no app context (issue 16). The schema is the suite's: the real
migrations, run once per test run (tests/conftest.py `migrated`); every table is emptied
after each test."""
from __future__ import annotations

from collections.abc import Iterator

import pytest
import sqlalchemy as sa
from cryptography.fernet import Fernet
from flask import has_app_context
from sqlalchemy.orm import Session

from moderation.db import Base, configure_engine
from moderation.services.users import create_user
from moderation.settings import Settings

CRISIS = "I can't go on anymore, I have decided to end my life tonight."
HOSTILE = "You are an idiot and your opinion is worthless."
CALM = "Thanks, this was a helpful article."
PASSWORD = "lantern quiver mosaic 8841"  # noqa: S105  (tests only)


def _empty(engine: sa.Engine) -> None:
    with engine.begin() as conn:
        if engine.dialect.name == "postgresql":
            # replica mode skips the audit trigger that refuses deletes everywhere else
            conn.execute(sa.text("SET LOCAL session_replication_role = replica"))
        for table in reversed(Base.metadata.sorted_tables):
            conn.execute(table.delete())


@pytest.fixture
def engine(migrated: str) -> Iterator[sa.Engine]:
    engine = sa.create_engine(migrated)
    configure_engine(engine, busy_timeout=20)
    yield engine
    _empty(engine)
    engine.dispose()


@pytest.fixture
def session(engine: sa.Engine) -> Iterator[Session]:
    assert not has_app_context()  # nothing here runs inside a Flask app
    with Session(engine) as session:
        yield session
    assert not has_app_context()


@pytest.fixture
def settings() -> Settings:
    return Settings(secrets_key=Fernet.generate_key().decode(),
                    pseudonym_key="plain-tests-pseudonym-key",
                    response_deadlines={"crisis": 7, "threat": 50, "unscored": 50,
                                        "distress": 200, "hostile": 1000},
                    escalation_deadlines={"crisis": 3, "threat": 30, "unscored": 30,
                                          "distress": 100, "hostile": 500},
                    claim_lease_seconds=45, undo_seconds=300, retention_days=30)


@pytest.fixture
def people(session: Session) -> dict:
    return {name: create_user(session, f"{name}@example.org", PASSWORD, role)
            for name, role in (("mod", "moderator"), ("mod2", "moderator"), ("lead", "lead"))}
