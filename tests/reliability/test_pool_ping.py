"""PostgreSQL pool: a connection that sat idle is pinged before use, one in steady use is not
(moderation.db.ping_when_idle), so the webhook pays no ping per delivery."""
from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
import sqlalchemy as sa

from moderation.db import configure_engine
from tests.conftest import POSTGRES

pytestmark = pytest.mark.skipif(not POSTGRES, reason="a SQLite file has no server to lose")


@contextmanager
def _pool(database_url: str, ping_idle_seconds: float, size: int = 1) -> Iterator[sa.Engine]:
    """An engine set up as the app sets it up, with a pool of `size` connections."""
    engine = sa.create_engine(database_url, pool_size=size, max_overflow=0)
    configure_engine(engine, busy_timeout=1, ping_idle_seconds=ping_idle_seconds)
    try:
        yield engine
    finally:
        engine.dispose()


def _pid(conn: sa.Connection) -> int:
    return conn.execute(sa.text("SELECT pg_backend_pid()")).scalar_one()


def _backend(engine: sa.Engine) -> int:
    with engine.connect() as conn:
        return _pid(conn)


def _server_drops(database_url: str, pid: int) -> None:
    """What a server restart or an idle timeout does to a pooled connection."""
    other = sa.create_engine(database_url)
    with other.connect() as conn:
        assert conn.execute(sa.text("SELECT pg_terminate_backend(:pid)"), {"pid": pid}).scalar()
    other.dispose()


def test_an_idle_connection_the_server_dropped_is_replaced_before_use(database_url):
    with _pool(database_url, ping_idle_seconds=0.2) as engine:
        first = _backend(engine)
        _server_drops(database_url, first)
        time.sleep(0.3)
        assert _backend(engine) != first  # no error: the ping found it dead, it was replaced


def test_a_connection_in_steady_use_is_not_pinged(database_url):
    with _pool(database_url, ping_idle_seconds=60) as engine:
        first = _backend(engine)
        _server_drops(database_url, first)
        # Not pinged: the request that meets the dead connection fails (the webhook answers
        # it 503 with Retry-After) and the pool is invalidated, so the next one gets a new one.
        with pytest.raises(sa.exc.OperationalError) as caught:
            _backend(engine)
        assert caught.value.connection_invalidated
        assert _backend(engine) != first


def test_a_failed_ping_replaces_the_connections_used_more_recently_too(database_url):
    """A failed ping means the server went away (a restart): the pool drops every older
    connection, so one used a moment before the restart does not fail a request either."""
    with _pool(database_url, ping_idle_seconds=0.3, size=2) as engine:
        older, newer = engine.connect(), engine.connect()
        pids = [_pid(older), _pid(newer)]
        older.close()  # back in the pool first: idle long enough to be pinged
        time.sleep(0.4)
        newer.close()  # back a moment ago: not pinged
        for pid in pids:
            _server_drops(database_url, pid)
        with engine.connect() as one, engine.connect() as two:  # neither raises
            assert not {_pid(one), _pid(two)} & set(pids)
