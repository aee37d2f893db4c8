"""PostgreSQL pool: a connection that sat idle is pinged before use, one in steady use is not
(moderation.db.ping_when_idle), so the webhook pays no ping per delivery."""
from __future__ import annotations

import time

import pytest
import sqlalchemy as sa

from moderation.db import configure_engine
from tests.conftest import POSTGRES

pytestmark = pytest.mark.skipif(not POSTGRES, reason="a SQLite file has no server to lose")


def _backend(engine: sa.Engine) -> int:
    with engine.connect() as conn:
        return conn.execute(sa.text("SELECT pg_backend_pid()")).scalar_one()


def _server_drops(database_url: str, pid: int) -> None:
    """What a server restart or an idle timeout does to a pooled connection."""
    other = sa.create_engine(database_url)
    with other.connect() as conn:
        assert conn.execute(sa.text("SELECT pg_terminate_backend(:pid)"), {"pid": pid}).scalar()
    other.dispose()


def test_an_idle_connection_the_server_dropped_is_replaced_before_use(database_url):
    engine = sa.create_engine(database_url, pool_size=1, max_overflow=0)
    configure_engine(engine, busy_timeout=1, ping_idle_seconds=0.2)
    first = _backend(engine)
    _server_drops(database_url, first)
    time.sleep(0.3)
    assert _backend(engine) != first  # no error: the ping found it dead, the pool replaced it
    engine.dispose()


def test_a_connection_in_steady_use_is_not_pinged(database_url):
    engine = sa.create_engine(database_url, pool_size=1, max_overflow=0)
    configure_engine(engine, busy_timeout=1, ping_idle_seconds=60)
    first = _backend(engine)
    _server_drops(database_url, first)
    # Not pinged: the request that meets the dead connection fails (the webhook answers it
    # 503 with Retry-After) and the pool is invalidated, so the next one gets a new one.
    with pytest.raises(sa.exc.OperationalError) as caught:
        _backend(engine)
    assert caught.value.connection_invalidated
    assert _backend(engine) != first
    engine.dispose()


def test_a_failed_ping_replaces_the_connections_used_more_recently_too(database_url):
    """A failed ping means the server went away (a restart): the pool drops every older
    connection, so one used a moment before the restart does not fail a request either."""
    engine = sa.create_engine(database_url, pool_size=2, max_overflow=0)
    configure_engine(engine, busy_timeout=1, ping_idle_seconds=0.3)
    older, newer = engine.connect(), engine.connect()
    pids = [c.execute(sa.text("SELECT pg_backend_pid()")).scalar_one() for c in (older, newer)]
    older.close()  # back in the pool first: idle long enough to be pinged
    time.sleep(0.4)
    newer.close()  # back a moment ago: not pinged
    for pid in pids:
        _server_drops(database_url, pid)
    with engine.connect() as one, engine.connect() as two:  # neither raises
        now = {c.execute(sa.text("SELECT pg_backend_pid()")).scalar_one() for c in (one, two)}
    assert not now & set(pids)
    engine.dispose()
