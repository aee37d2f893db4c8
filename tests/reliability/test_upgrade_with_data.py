"""An installation with data upgrades to the newest schema and back: the migrations that
rebuild a table on SQLite (batch mode) must not trip over the rows other tables refer to."""
from __future__ import annotations

import uuid

import pytest
import sqlalchemy as sa
from flask_migrate import downgrade, upgrade

from moderation.extensions import db
from tests.conftest import POSTGRES, make_app

LAST_RELEASE = "261974cba885"  # the schema before this round's migrations (0003)
ROWS = [
    "INSERT INTO sites (id, slug, name, default_language, created_at) "
    "VALUES (1, 'health-news', 'Health News', 'en', '2026-11-30 10:00:00')",
    "INSERT INTO site_secrets (site_id, secret, created_at) "
    "VALUES (1, 'whsec_QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVo=', '2026-11-30 10:00:00')",
    "INSERT INTO users (id, email, password_hash, role, active, created_at) "
    "VALUES (1, 'mod@example.org', 'x', 'moderator', TRUE, '2026-11-30 10:00:00')",
    "INSERT INTO comments (id, site_id, external_id, content_sha256, text, received_at) "
    "VALUES (1, 1, 'c1', 'aa', 'I can''t go on', '2026-11-30 10:00:00')",
    "INSERT INTO analyses (comment_id, model_version, scores, flags, tags, evidence, "
    "created_at) VALUES (1, 'tone-1.1', '{}', '[\"crisis\"]', '[]', '[]', "
    "'2026-11-30 10:00:00')",
    "INSERT INTO review_items (id, comment_id, site_id, state, urgency, flag_set, created_at, "
    "due_at) VALUES (1, 1, 1, 'resolved', 1, ',crisis,', '2026-11-30 10:00:00', "
    "'2026-11-30 10:15:00')",
    "INSERT INTO comments (id, site_id, external_id, content_sha256, text, received_at) "
    "VALUES (2, 1, 'c2', 'ab', 'You people are idiots', '2026-11-30 10:01:00')",
    "INSERT INTO review_items (id, comment_id, site_id, state, urgency, flag_set, created_at, "
    "due_at) VALUES (2, 2, 1, 'open', 2, ',threat,hostile,', '2026-11-30 10:01:00', "
    "'2026-11-30 11:01:00')",
    "INSERT INTO decisions (review_item_id, user_id, action, note, created_at) "
    "VALUES (1, 1, 'escalate', 'called the site', '2026-11-30 10:05:00')",
    "INSERT INTO api_tokens (user_id, token_sha256, created_at) "
    "VALUES (1, 'bb', '2026-11-30 10:00:00')",
]
COUNTS = ("sites", "site_secrets", "users", "comments", "analyses", "review_items",
          "decisions", "api_tokens")


@pytest.fixture
def scratch(tmp_path):
    """A database of its own: an SQLite file, or a PostgreSQL schema dropped afterwards."""
    if not POSTGRES:
        yield f"sqlite:///{tmp_path / 'upgrade.sqlite3'}"
        return
    schema = f"upgrade_{uuid.uuid4().hex[:8]}"
    base = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
    engine = sa.create_engine(base)
    with engine.begin() as conn:
        conn.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    yield f"{base}?options=-csearch_path%3D{schema}"
    with engine.begin() as conn:
        conn.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
    engine.dispose()


def _counts() -> dict[str, int]:
    with db.engine.connect() as conn:
        return {t: conn.execute(sa.text(f"SELECT count(*) FROM {t}")).scalar() for t in COUNTS}


def test_an_installation_with_data_upgrades_and_downgrades(scratch):
    app = make_app(scratch)
    with app.app_context():
        upgrade(revision=LAST_RELEASE)
        with db.engine.begin() as conn:
            for statement in ROWS:
                conn.execute(sa.text(statement))
        before = _counts()
        upgrade()  # every migration of this round, on rows that refer to each other
        assert _counts() == before
        with db.engine.connect() as conn:
            # the ",a,b," text became one row per flag (migration 3c7e9a1f5b20)
            assert conn.execute(sa.text(
                "SELECT item_id, flag FROM review_item_flags ORDER BY item_id, flag")).all() \
                == [(1, "crisis"), (2, "hostile"), (2, "threat")]
            assert conn.execute(sa.text(
                "SELECT state FROM review_items WHERE id = 1")).scalar() == "resolved"
            if not POSTGRES:
                assert conn.execute(sa.text("PRAGMA foreign_key_check")).all() == []
        downgrade(revision=LAST_RELEASE)
        assert _counts() == before
        with db.engine.connect() as conn:  # and back to the text, most urgent first
            assert conn.execute(sa.text(
                "SELECT id, flag_set FROM review_items ORDER BY id")).all() == [
                (1, ",crisis,"), (2, ",threat,hostile,")]
        upgrade()
        assert _counts() == before
        db.session.remove()
        db.engine.dispose()
