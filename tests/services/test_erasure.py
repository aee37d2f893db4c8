"""Issue 14, finding 4: after an erasure (or retention), nothing of the reader is left
anywhere: not in notes, replies, reasons, the audit log, callback payloads, content hashes,
the item page, /admin/audit, nor the SQLite WAL file; a redelivery is still recognised."""
from __future__ import annotations

import hashlib
import json
from datetime import timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa

from moderation.db import utcnow, write_transaction
from moderation.extensions import app_settings, db
from moderation.models import (
    AlertOutbox,
    AuditEvent,
    CallbackOutbox,
    Comment,
    Decision,
    ReviewItem,
    WebhookDelivery,
)
from moderation.services import alerts, queue
from moderation.services.privacy import apply_retention, erase_author
from moderation.services.sites import configure_site
from tests.conftest import POSTGRES
from tests.dashboard.conftest import add_user, sign_in
from tests.helpers import comment

# What only this reader wrote or is: none of it may survive the erasure.
NAME, EMAIL, WORD = "Zelda Quartermain", "zelda.q@example.net", "Quillonwick"
TEXT = f"Everyone would be better off without me. I have the pills saved up in {WORD}."
MARKERS = ("Zelda", "Quartermain", "zelda.q@", WORD)
AUTHOR = {"id": "reader-77", "name": NAME, "email": EMAIL}


def _everything() -> str:
    """Every row of every table, as text."""
    out = []
    with db.engine.connect() as conn:
        for table in db.metadata.sorted_tables:
            for row in conn.execute(sa.select(table)):
                out.append(repr(tuple(row)))
    return "\n".join(out)


def _left(text: str) -> list[str]:
    return [m for m in MARKERS if m.lower() in text.lower()]


@pytest.fixture
def worked(client, site):
    """The reader's crisis comment, escalated and answered with notes, reasons and a reply
    that quote the reader; a callback queued for the site and an alert planned."""
    configure_site(db.session, site.slug, callback_url="https://site.example.org/hook")
    alerts.configure_alerts(db.session, site.slug, emails=["oncall@example.org"])
    body, headers = site.signed(comment("z1", TEXT, author=AUTHOR), msg_id="msg_z1")
    answer = client.post(site.url, data=body, headers=headers)
    assert answer.status_code == 200 and answer.json["comments"][0]["flags"]
    assert alerts.plan(db.session, alerts.AlertSettings()) >= 1
    moderator = add_user("mod@example.org")
    lead = add_user("lead@example.org", "lead")
    item_id = db.session.scalar(sa.select(ReviewItem.id))
    queue.decide(db.session, app_settings(), item_id, moderator, "escalate",
                 reason=f"{NAME} mentions pills in {WORD}", note=f"wrote from {EMAIL}")
    queue.decide(db.session, app_settings(), item_id, lead, "replied", confirm_warnings=True,
                 note=f"called {NAME}",
                 reply_text=f"Dear Zelda, thank you for telling us about {WORD}. "
                            "You can call Samaritans on 116 123, any time.")
    assert _left(_everything())  # the test's premise: the reader is everywhere
    return site, body, headers, item_id


def test_erasure_leaves_nothing_of_the_reader_in_any_table(worked):
    site, _, _, item_id = worked
    assert erase_author(db.session, app_settings(), site.slug, "reader-77") == 1
    db.session.expire_all()
    assert _left(_everything()) == []
    decisions = db.session.scalars(sa.select(Decision).order_by(Decision.id)).all()
    assert [d.action for d in decisions] == ["escalate", "replied"]  # redacted, not deleted
    assert decisions[1].reply_text == "[redacted]" and decisions[0].reason == "[redacted]"
    outbox = db.session.scalar(sa.select(CallbackOutbox))
    assert outbox.payload["data"]["external_id"] == "z1"
    assert outbox.payload["data"]["reply_text"] == "[redacted]"
    assert db.session.scalar(sa.select(sa.func.count()).select_from(AlertOutbox)) >= 1
    erased = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "author.erase"))
    assert erased.actor == "cli" and erased.details["comments"] == 1
    decided = db.session.scalar(sa.select(AuditEvent).where(
        AuditEvent.action == "decision.escalate"))
    assert decided.details["reason"] == "[redacted]"
    assert decided.details["comment_id"] and decided.details["flags"]  # the facts stay


def test_erased_comments_keep_no_plain_content_hash(worked):
    site, body, _, _ = worked
    stored = db.session.scalar(sa.select(Comment))
    delivery = db.session.scalar(sa.select(WebhookDelivery))
    plain_comment, plain_body = stored.content_sha256, hashlib.sha256(body).hexdigest()
    assert delivery.body_sha256 == plain_body
    erase_author(db.session, app_settings(), site.slug, "reader-77")
    db.session.expire_all()
    assert db.session.scalar(sa.select(Comment.content_sha256)) not in ("", plain_comment)
    assert db.session.scalar(sa.select(WebhookDelivery.body_sha256)) not in ("", plain_body)


def test_a_redelivery_of_an_erased_comment_is_recognised_and_stores_nothing(worked, client):
    site, body, headers, _ = worked
    erase_author(db.session, app_settings(), site.slug, "reader-77")
    again = client.post(site.url, data=body, headers=headers)  # same webhook-id
    assert again.status_code == 200, again.json
    assert again.json["comments"][0]["duplicate"] is True
    resent = site.post(client, comment("z1", TEXT, author=AUTHOR), msg_id="msg_z1_retry")
    assert resent.status_code == 200, resent.json
    assert resent.json["comments"][0]["duplicate"] is True
    changed = site.post(client, comment("z1", TEXT + " Edited.", author=AUTHOR))
    assert changed.status_code == 409  # a different comment under the erased one's id
    db.session.expire_all()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Comment)) == 1
    assert db.session.scalar(sa.select(Comment.text)) is None
    assert _left(_everything()) == []
    plain = hashlib.sha256(json.dumps(comment("z1", TEXT, author=AUTHOR)).encode()).hexdigest()
    assert plain not in _everything()  # the new delivery's row is keyed too


def test_the_item_page_and_the_audit_page_show_nothing_of_the_reader(worked, app):
    site, _, _, item_id = worked
    add_user("admin@example.org", "admin")
    admin = app.test_client()
    assert sign_in(admin, "admin@example.org").status_code == 302
    assert _left(admin.get(f"/items/{item_id}").get_data(as_text=True))
    erase_author(db.session, app_settings(), site.slug, "reader-77")
    page = admin.get(f"/items/{item_id}")
    assert page.status_code == 200 and _left(page.get_data(as_text=True)) == []
    audit_page = admin.get("/admin/audit")
    assert audit_page.status_code == 200
    assert "author.erase" in audit_page.get_data(as_text=True)
    assert _left(audit_page.get_data(as_text=True)) == []


@pytest.mark.skipif(POSTGRES, reason="the WAL file is SQLite's")
def test_the_sqlite_files_hold_no_copy_of_the_text_after_erasure(worked):
    site = worked[0]
    path = Path(db.engine.url.database)
    db.session.commit()
    with db.engine.connect() as conn:  # as for an older comment: the text is in the file
        assert conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)").one()[0] == 0
    assert WORD.encode() in path.read_bytes()
    erase_author(db.session, app_settings(), site.slug, "reader-77")
    for name in (path, Path(f"{path}-wal")):
        if name.exists():
            data = name.read_bytes()
            assert WORD.encode() not in data and EMAIL.encode() not in data, name


def test_retention_redacts_old_decisions_audit_details_and_outbox_rows(worked):
    with write_transaction(db.session):  # the outbox rows were settled long ago
        for row in db.session.scalars(sa.select(CallbackOutbox)):
            row.delivered_at = utcnow()
        for row in db.session.scalars(sa.select(AlertOutbox)):
            row.delivered_at = utcnow()
    report = apply_retention(db.session, app_settings(), days=0, apply=True)
    assert report.comments == 1
    db.session.expire_all()
    assert _left(_everything()) == []
    assert db.session.scalar(sa.select(sa.func.count()).select_from(CallbackOutbox)) == 0
    assert db.session.scalar(sa.select(sa.func.count()).select_from(AlertOutbox)) == 0
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Decision)) == 2


def test_retention_keeps_recent_audit_details(app):
    from moderation.services import audit
    with write_transaction(db.session):
        audit.record(db.session, "decision.hide", actor_label="cli", target_type="review_item",
                     target_id=1, details={"note": "recent note", "comment_id": 1})
        old = audit.record(db.session, "decision.hide", actor_label="cli",
                           target_type="review_item", target_id=2,
                           details={"note": "old note", "comment_id": 2})
        old.created_at = utcnow() - timedelta(days=400)
    apply_retention(db.session, app_settings(), days=365, apply=True)
    db.session.expire_all()
    notes = sorted(e.details["note"] for e in db.session.scalars(
        sa.select(AuditEvent).where(AuditEvent.action == "decision.hide")))
    assert notes == ["[redacted]", "recent note"]


@pytest.mark.skipif(not POSTGRES, reason="the audit trigger is PostgreSQL's")
@pytest.mark.parametrize("statement", [
    # a value changed to anything but "[redacted]", a key added, another column changed
    """UPDATE audit_events SET details = '{"note": "forged", "comment_id": 1}'""",
    """UPDATE audit_events SET details = '{"note": "[redacted]", "comment_id": 1, "x": 1}'""",
    """UPDATE audit_events SET details = '{"note": "[redacted]", "comment_id": 1}',
       actor = 'someone else'""",
    """UPDATE audit_events SET details = '{"note": "[redacted]", "comment_id": 2}'""",
])
def test_the_audit_trigger_allows_redaction_and_nothing_else(app, statement):
    from moderation.services import audit
    from moderation.services.privacy import redact_audit_details
    with write_transaction(db.session):
        event = audit.record(db.session, "decision.hide", actor_label="cli",
                             target_type="review_item", target_id=1,
                             details={"note": "words", "comment_id": 1})
    with pytest.raises(sa.exc.DBAPIError, match="append-only"):
        db.session.execute(sa.text(statement))
    db.session.rollback()
    with write_transaction(db.session):
        assert redact_audit_details(db.session, [db.session.get(AuditEvent, event.id)]) == 1
    db.session.expire_all()
    assert db.session.get(AuditEvent, event.id).details == {"note": "[redacted]",
                                                             "comment_id": 1}


def test_an_id_made_of_the_text_hash_is_replaced_too(app, site):
    """The Perspective API stores a comment without clientToken as sha256:<hash of the text>."""
    from moderation.payload import CommentIn
    from moderation.services.ingest import ingest_comments
    from moderation.services.sites import get_site
    digest = hashlib.sha256(TEXT.encode()).hexdigest()
    ingest_comments(db.session, app_settings(), get_site(db.session, site.slug), [CommentIn(
        external_id=f"sha256:{digest}", text=TEXT, author_id="reader-77")])
    erase_author(db.session, app_settings(), site.slug, "reader-77")
    db.session.expire_all()
    assert digest not in _everything()
    assert db.session.scalar(sa.select(Comment.external_id)).startswith("sha256:")
