"""The models' declarative base, database engine set-up (SQLite pragmas, BEGIN IMMEDIATE) and
the write-transaction helper. Plain SQLAlchemy, no Flask: services and models import this, and
run with any Session (moderation/extensions.py hands `Base` to Flask-SQLAlchemy as db.Model's
base)."""
from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime

from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.exc import InvalidatePoolError
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


def configure_engine(engine: Engine, busy_timeout: float,
                     ping_idle_seconds: float = 5.0) -> None:
    """SQLite: WAL, busy timeout, foreign keys, and transactions we begin ourselves.
    A server database (PostgreSQL): pooled connections pinged after `ping_idle_seconds` idle.

    pysqlite's own implicit BEGIN is turned off so that write transactions can start with
    BEGIN IMMEDIATE: a deferred BEGIN that later upgrades to a write lock fails at once with
    "database is locked" under concurrent writers, whatever the busy timeout.
    """
    if engine.dialect.name != "sqlite":
        ping_when_idle(engine, ping_idle_seconds)
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


def ping_when_idle(engine: Engine, idle_seconds: float) -> None:
    """Ping a pooled connection before use only when it sat unused for `idle_seconds` or
    more (a server restart or an idle timeout may have closed it meanwhile); if the ping
    fails, the pool replaces it, and every connection older than it, before anyone uses
    it. SQLAlchemy's pool_pre_ping pings on every checkout: a round trip per request, most
    of a webhook delivery's own database time. A connection in steady use is not pinged:
    if the server goes away under it, its next statement fails, SQLAlchemy invalidates the
    whole pool, and that one request answers 503 with Retry-After (a sender retries it)."""

    @event.listens_for(engine, "checkin")
    def _checked_in(_dbapi_connection, record):
        record.info["idle_since"] = time.monotonic()

    @event.listens_for(engine, "checkout")
    def _checked_out(dbapi_connection, record, _proxy):
        since = record.info.pop("idle_since", None)
        if since is None or time.monotonic() - since < idle_seconds:
            return
        try:
            engine.dialect.do_ping(dbapi_connection)
        except engine.dialect.loaded_dbapi.Error as exc:
            # The server went away (a restart): every older connection is as dead as this.
            raise InvalidatePoolError("a pooled connection failed its ping") from exc


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
