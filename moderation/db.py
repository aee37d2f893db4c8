"""The models' declarative base, database engine set-up (SQLite pragmas, BEGIN IMMEDIATE) and
the write-transaction helper. Plain SQLAlchemy, no Flask: services and models import this, and
run with any Session (moderation/extensions.py hands `Base` to Flask-SQLAlchemy as db.Model's
base)."""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime

from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import DeclarativeBase, Session, scoped_session

_IMMEDIATE = "sqlite_begin_immediate"
# The largest row id (PostgreSQL `integer`). A number from a request past it is no row's id:
# refused before any query (SQLite raised OverflowError past 2**63, PostgreSQL DataError).
MAX_ROW_ID = 2**31 - 1


class Base(DeclarativeBase):
    """Every model's base. Flask-SQLAlchemy, given it as `model_class`, builds db.Model from it
    with the same metadata and registry, so `db.metadata` (migrations, tests) holds every
    table defined here."""


def utcnow() -> datetime:
    return datetime.now(UTC)


def configure_engine(engine: Engine, busy_timeout: float) -> None:
    """SQLite: WAL, busy timeout, foreign keys, and transactions we begin ourselves.

    pysqlite's own implicit BEGIN is turned off so that write transactions can start with
    BEGIN IMMEDIATE: a deferred BEGIN that later upgrades to a write lock fails at once with
    "database is locked" under concurrent writers, whatever the busy timeout.
    """
    if engine.dialect.name != "sqlite":
        return

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):  # pragma: no cover - exercised by every test
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {int(busy_timeout * 1000)}")
        cursor.execute("PRAGMA foreign_keys = ON")
        # Freed and overwritten space is zeroed: an erased comment's text does not linger
        # in the file's free pages (issue 14, finding 4).
        cursor.execute("PRAGMA secure_delete = ON")
        if engine.url.database not in (None, "", ":memory:"):
            cursor.execute("PRAGMA journal_mode = WAL")
            cursor.execute("PRAGMA synchronous = NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn):
        immediate = conn.get_execution_options().get(_IMMEDIATE, False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


@contextmanager
def write_transaction(session: Session | scoped_session) -> Iterator[Session]:
    """One write transaction: BEGIN IMMEDIATE on SQLite, a plain transaction elsewhere.

    Commits on success and rolls back on any error. A read transaction the session had
    open is ended first, so the write lock is taken at the start, not half-way through.
    """
    if isinstance(session, scoped_session):
        session = session()
    if session.in_transaction():
        session.commit()
    session.connection(execution_options={_IMMEDIATE: True})
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
