"""Shared fixtures: one real database per test run (SQLite file or PostgreSQL schema),
migrated once, emptied after every test; an app, a client, a site with its secret."""
from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient

from config import TestConfig
from moderation import create_app
from moderation.extensions import db
from tests.helpers import SiteHandle, new_site

POSTGRES = os.environ.get("DATABASE_URL", "").startswith("postgresql")


def _worker() -> str:
    return os.environ.get("PYTEST_XDIST_WORKER", "main")


@pytest.fixture(scope="session")
def database_url(tmp_path_factory) -> Iterator[str]:
    """SQLite: a file per worker. PostgreSQL (DATABASE_URL set): a fresh schema per test
    process, dropped at the end, so concurrent runs never touch each other's tables."""
    if not POSTGRES:
        path = tmp_path_factory.mktemp("db") / f"moderation-{_worker()}.sqlite3"
        yield f"sqlite:///{path}"
        return
    base = os.environ["DATABASE_URL"]
    schema = f"test_{_worker()}_{os.getpid()}"
    engine = sa.create_engine(base)
    with engine.begin() as conn:
        conn.execute(sa.text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        conn.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    sep = "&" if "?" in base else "?"
    yield f"{base}{sep}options=-csearch_path%3D{schema}"
    with engine.begin() as conn:
        conn.execute(sa.text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
    engine.dispose()


class _TestConfig(TestConfig):
    pass


def make_app(database_url: str, **overrides) -> Flask:
    config = _TestConfig()
    config.SQLALCHEMY_DATABASE_URI = database_url
    for key, value in overrides.items():
        setattr(config, key, value)
    return create_app(config)


@pytest.fixture(scope="session")
def migrated(database_url: str) -> str:
    """Run the real Alembic migrations once, as `flask db upgrade` does."""
    from flask_migrate import upgrade
    app = make_app(database_url)
    with app.app_context():
        upgrade()
        db.engine.dispose()
    return database_url


def empty_database(app: Flask) -> None:
    with app.app_context():
        db.session.remove()
        tables = [t.name for t in reversed(db.metadata.sorted_tables)]
        with db.engine.begin() as conn:
            if db.engine.dialect.name == "postgresql":
                # DELETE beats TRUNCATE on tiny tables; replica mode skips the audit
                # trigger that (rightly) refuses deletes everywhere else.
                conn.execute(sa.text("SET LOCAL session_replication_role = replica"))
            for table in tables:
                conn.execute(sa.text(f'DELETE FROM "{table}"'))
        db.engine.dispose()


@pytest.fixture
def app_factory(migrated: str):
    """Build apps with config overrides; the database is emptied after the test. Each app's
    connection pool is closed at the end of the test: left to the garbage collector, the
    pools of hundreds of tests held PostgreSQL connections until it ran out of them."""
    built: list[Flask] = []

    def build(**overrides) -> Flask:
        app = make_app(migrated, **overrides)
        built.append(app)
        return app

    yield build
    for app in built:
        with app.app_context():
            db.session.remove()
            db.engine.dispose()
    empty_database(make_app(migrated))


@pytest.fixture
def app(app_factory) -> Iterator[Flask]:
    app = app_factory()
    with app.app_context():
        yield app


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def runner(app: Flask):
    return app.test_cli_runner()


@pytest.fixture
def site(app: Flask) -> SiteHandle:
    return new_site("health-news")
