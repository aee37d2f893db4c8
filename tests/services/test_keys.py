"""Issue 14, finding 8: decision callbacks have their own signing secret (a callback
replayed to the inbound webhook fails), and webhook and Coral secrets are encrypted at rest
with SECRETS_KEY (Fernet, rotatable), decrypted only to verify or sign."""
from __future__ import annotations

import pytest
import sqlalchemy as sa
from cryptography.fernet import Fernet
from flask_migrate import downgrade, upgrade

from moderation.extensions import app_settings, db
from moderation.models import CoralSecret, SiteSecret
from moderation.services import coral
from moderation.services.callbacks import deliver_due
from moderation.services.sites import rotate_secret
from moderation.signing import verify
from tests.conftest import POSTGRES, make_app
from tests.helpers import comment
from tests.services.test_callbacks import SCHEDULE, decide, flagged, receiver  # noqa: F401

CORAL_SECRET = "coral-phase-secret-0123456789"  # noqa: S105


def _callback(flagged, receiver) -> tuple[dict, bytes]:  # noqa: F811
    decide(flagged.slug, "cb1", "hide")
    assert deliver_due(db.session, app_settings(), schedule=SCHEDULE).delivered == 1
    [(headers, body)] = receiver.received
    return {k.lower(): v for k, v in headers.items()}, body


def test_a_callback_replayed_to_the_inbound_webhook_is_refused(flagged, receiver, client):  # noqa: F811
    headers, body = _callback(flagged, receiver)
    replay = {k: headers[k] for k in ("webhook-id", "webhook-timestamp", "webhook-signature")}
    answer = client.post(flagged.url, data=body,
                         headers={**replay, "Content-Type": "application/json"})
    assert answer.status_code == 401, answer.get_data(as_text=True)
    assert not _verifies(headers, body, flagged.secret)


def _verifies(headers: dict, body: bytes, secret: str) -> bool:
    try:
        verify(headers, body, [secret])
    except Exception:
        return False
    return True


def test_the_callback_secret_is_shown_once_and_rotates_with_a_grace_period(
        flagged, receiver):  # noqa: F811
    first = rotate_secret(db.session, app_settings(), flagged.slug, grace_hours=1,
                          purpose="callback")
    second = rotate_secret(db.session, app_settings(), flagged.slug, grace_hours=0,
                           purpose="callback")
    assert first.startswith("whsec_") and second not in (first, flagged.secret)
    headers, body = _callback(flagged, receiver)
    assert _verifies(headers, body, second) and not _verifies(headers, body, first)


def test_secrets_are_encrypted_at_rest_and_still_verify(client, site):
    coral.add_secret(db.session, app_settings(), site.slug, CORAL_SECRET)
    with db.engine.connect() as conn:
        stored = conn.execute(sa.text(
            "SELECT secret FROM site_secrets UNION ALL SELECT secret FROM coral_secrets "
            "UNION ALL SELECT secret FROM callback_secrets")).scalars().all()
    assert len(stored) == 3
    assert not any(site.secret in s or CORAL_SECRET in s or s.startswith("whsec_")
                   for s in stored)
    assert site.post(client, comment("k1")).status_code == 200
    assert coral.phase_site(db.session, app_settings(), site.slug).secrets == (CORAL_SECRET,)


def test_the_encryption_key_rotates(app_factory, site):
    """SECRETS_KEY lists keys, newest first: old rows still open; `flask secrets
    rotate-key` re-encrypts them with the newest, after which the old key can go."""
    old_key = make_app("sqlite://").config["SECRETS_KEY"]
    new_key = Fernet.generate_key().decode()
    both = app_factory(SECRETS_KEY=f"{new_key},{old_key}")
    with both.app_context():
        assert coral.phase_site(db.session, app_settings(), site.slug) is not None
        from moderation.services.ingest import site_for_webhook
        assert site_for_webhook(db.session, app_settings(), site.slug).secrets == (site.secret,)
        result = both.test_cli_runner().invoke(args=["secrets", "rotate-key"])
        assert result.exit_code == 0, result.output
        db.session.remove()
    only_new = app_factory(SECRETS_KEY=new_key)
    with only_new.app_context():
        from moderation.services.ingest import site_for_webhook
        assert site_for_webhook(db.session, app_settings(), site.slug).secrets == (site.secret,)
        db.session.remove()


@pytest.mark.skipif(POSTGRES, reason="a scratch SQLite file; PostgreSQL is checked by hand")
def test_the_migration_encrypts_existing_secrets_and_the_downgrade_restores_them(tmp_path):
    app = make_app(f"sqlite:///{tmp_path / 'm.sqlite3'}")
    with app.app_context():
        upgrade(revision="d4f1a7b93c10")
        with db.engine.begin() as conn:
            conn.execute(sa.text("INSERT INTO sites (id, slug, name, default_language, "
                                 "coral_premod_threat, created_at) VALUES "
                                 "(1, 's', 's', 'en', 0, '2026-01-01')"))
            conn.execute(sa.text("INSERT INTO site_secrets (site_id, secret, created_at) "
                                 "VALUES (1, 'whsec_QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVo=', "
                                 "'2026-01-01')"))
            conn.execute(sa.text("INSERT INTO coral_secrets (site_id, secret, created_at) "
                                 f"VALUES (1, '{CORAL_SECRET}', '2026-01-01')"))
        upgrade()
        db.session.remove()
        row = db.session.scalar(sa.select(SiteSecret))
        assert not row.secret.startswith("whsec_")
        from moderation.secretbox import open_secret
        keys = app_settings().secrets_key
        assert open_secret(row.secret, keys) == "whsec_QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVo="
        assert open_secret(db.session.scalar(sa.select(CoralSecret)).secret,
                           keys) == CORAL_SECRET
        # callbacks keep working: the first callback secret is the webhook secret until
        # the admin rotates it (`flask sites rotate-secret NAME --callback`)
        callback = db.session.execute(sa.text("SELECT secret FROM callback_secrets")).scalar()
        assert open_secret(callback, keys) == "whsec_QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVo="
        db.session.remove()
        downgrade(revision="d4f1a7b93c10")
        with db.engine.connect() as conn:
            assert conn.execute(sa.text("SELECT secret FROM site_secrets")).scalar() == \
                "whsec_QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVo="
            assert conn.execute(sa.text("SELECT secret FROM coral_secrets")).scalar() == \
                CORAL_SECRET
        db.engine.dispose()
