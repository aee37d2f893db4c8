"""Coral Talk's external moderation phase, with requests built and signed as Coral builds them
(`processPhase` in phases/external.ts: JSON.stringify(request, null, 2), and
`generateSignatures`: `sha256=<hex HMAC-SHA256>` per active secret, comma-joined)."""
from __future__ import annotations

import hashlib
import hmac
import json

import pytest
import sqlalchemy as sa

from moderation.extensions import app_settings, db
from moderation.models import Comment, ReviewItem
from moderation.services import coral

SECRET = "ems_5f1c0a8e9b7d4c3a2e1f0a9b8c7d6e5f"
INSULT = "You are a pathetic idiot and nobody wants your stupid opinions here."
CALM = "Thanks for the article, my neurologist said the same about fatigue."
THREAT = "I know where you live and I will hurt you."
CRISIS = "I don't want to be here anymore, I keep thinking about ending it"


@pytest.fixture
def phase(app, site):
    coral.add_secret(db.session, app_settings(), site.slug, SECRET)
    return f"/integrations/coral/sites/{site.slug}/phase"


def external_request(body: str, *, role: str = "COMMENTER", author: str = "coral-user-1",
                     action: str = "NEW") -> dict:
    return {"action": action, "comment": {"body": body, "parentID": None},
            "author": {"id": author, "role": role},
            "story": {"id": "story-1", "url": "https://news.example.org/ms/legs"},
            "site": {"id": "coral-site-1"}, "tenantID": "tenant-1",
            "tenantDomain": "comments.example.org"}


def coral_post(client, url, request: dict, secrets=(SECRET,)):
    # JSON.stringify leaves non-ASCII as it is; a lone surrogate it writes as an escape
    body = json.dumps(request, indent=2, ensure_ascii=False).encode("utf-8", "backslashreplace")
    signature = ",".join("sha256=" + hmac.new(s.encode(), body, hashlib.sha256).hexdigest()
                         for s in secrets)
    return client.post(url, data=body, headers={"Content-Type": "application/json",
                                                 "X-Coral-Signature": signature,
                                                 "User-Agent": "Coral Moderation/8.0.0"})


def test_hostile_and_threat_are_flagged_into_corals_reported_queue(client, phase):
    for text in (INSULT, THREAT):
        r = coral_post(client, phase, external_request(text))
        assert r.status_code == 200, r.get_data(as_text=True)
        assert r.get_json() == {"actions": [
            {"actionType": "FLAG", "reason": "COMMENT_DETECTED_TOXIC"}]}  # never a status


def test_calm_comment_is_204_and_stored_unqueued(client, phase):
    r = coral_post(client, phase, external_request(CALM))
    assert r.status_code == 204 and r.get_data() == b""
    stored = db.session.scalar(sa.select(Comment).where(Comment.text == CALM))
    assert stored.external_id.startswith("coral:") and stored.review_item is None
    assert stored.article_url == "https://news.example.org/ms/legs"
    assert stored.author_pseudonym and stored.author_external_id == "coral-user-1"


def test_crisis_is_flagged_and_first_in_the_queue(client, phase):
    coral_post(client, phase, external_request(INSULT, author="u2"))
    r = coral_post(client, phase, external_request(CRISIS))
    assert r.status_code == 200 and r.get_json()["actions"][0]["actionType"] == "FLAG"
    again = coral_post(client, phase, external_request(CRISIS))  # Coral retried the phase
    assert again.status_code == 200
    items = db.session.scalars(sa.select(ReviewItem).order_by(ReviewItem.urgency)).all()
    assert [i.comment.text for i in items] == [CRISIS, INSULT]
    assert items[0].flags[0] == "crisis"


def test_staff_comments_are_scored_never_queued(client, phase):
    for role in ("STAFF", "MODERATOR", "ADMIN"):
        r = coral_post(client, phase, external_request(INSULT, role=role))
        assert r.status_code == 204
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Comment)) == 0


def test_premod_for_threats_only_where_the_site_opted_in(client, phase, site):
    coral.add_secret(db.session, app_settings(), site.slug, SECRET, premod_threat=True)
    assert coral_post(client, phase, external_request(THREAT)).get_json()["status"] == "PREMOD"
    r = coral_post(client, phase, external_request("Shut up, you moron."))
    assert r.get_json() == {"actions": [dict(coral.FLAG)]}  # hostile, not a threat: no status


def test_signatures_while_coral_rolls_the_secret(client, phase, site):
    new = "ems_0a1b2c3d4e5f60718293a4b5c6d7e8f9"
    coral.add_secret(db.session, app_settings(), site.slug, new, grace_hours=1)
    # Coral signs with every active secret; either one of ours matches
    assert coral_post(client, phase, external_request(CALM), (new, SECRET)).status_code == 204
    assert coral_post(client, phase, external_request(CALM, author="b"),
                      (SECRET,)).status_code == 204
    coral.add_secret(db.session, app_settings(), site.slug, "ems_ffffffffffffffffffffffffffffffff",
                     grace_hours=0)  # both earlier ones end now
    r = coral_post(client, phase, external_request(CALM, author="c"), (new,))
    assert r.status_code == 401 and r.get_json()["error"]["code"] == "unauthorized"


@pytest.mark.parametrize("signature", [None, "", "sha256=00", "sha1=abc", "sha256=" + "a" * 64])
def test_bad_or_missing_signature_is_401_and_stores_nothing(client, phase, signature):
    body = json.dumps(external_request(INSULT)).encode()
    headers = {"Content-Type": "application/json"}
    if signature is not None:
        headers["X-Coral-Signature"] = signature
    r = client.post(phase, data=body, headers=headers)
    assert r.status_code == 401
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Comment)) == 0


def test_unknown_site_and_site_without_secret_are_401(client, app, site):
    r = coral_post(client, "/integrations/coral/sites/nope/phase", external_request(CALM))
    assert r.status_code == 401
    r = coral_post(client, f"/integrations/coral/sites/{site.slug}/phase",
                   external_request(CALM))
    assert r.status_code == 401  # the site has no Coral secret yet


@pytest.mark.parametrize("mutate, path", [
    (lambda r: r.pop("action"), "$.action"),
    (lambda r: r["comment"].update(body=5), "$.comment.body"),
    (lambda r: r["author"].pop("id"), "$.author.id"),
    (lambda r: r["comment"].update(body="bad \ud800 text"), "$.comment.body"),
])
def test_malformed_requests_are_422_with_the_field(client, phase, mutate, path):
    request = external_request(CALM)
    mutate(request)
    r = coral_post(client, phase, request)
    assert r.status_code == 422
    assert path in [e["path"] for e in r.get_json()["error"]["details"]]


def test_html_bodies_are_read_as_text(client, phase):
    r = coral_post(client, phase, external_request(
        "<p>You are a <strong>pathetic</strong> idiot.</p><p>Go away.</p>"))
    assert r.status_code == 200
    stored = db.session.scalar(sa.select(Comment))
    assert stored.text == "You are a pathetic idiot.\n\nGo away."


def test_analysis_failure_flags_and_queues_for_a_human(client, phase, monkeypatch):
    from moderation import analysis

    def broken(*args, **kwargs):
        raise RuntimeError("model file unreadable")

    monkeypatch.setattr(analysis, "analyze", broken)
    r = coral_post(client, phase, external_request(CALM))
    assert r.status_code == 200 and r.get_json()["actions"][0]["actionType"] == "FLAG"
    assert db.session.scalar(sa.select(ReviewItem)).flags == ["unscored"]


def test_coral_secret_command(runner, site):
    r = runner.invoke(args=["sites", "coral-secret", site.slug, "--premod-threat"],
                      input=SECRET + "\n")
    assert r.exit_code == 0, r.output
    assert f"/integrations/coral/sites/{site.slug}/phase" in r.output and SECRET not in r.output
    found = coral.phase_site(db.session, app_settings(), site.slug)
    assert found.secrets == (SECRET,) and found.premod_threat is True
    r = runner.invoke(args=["sites", "coral-secret", site.slug, "--secret", "short"])
    assert r.exit_code != 0 and "16 to 200" in r.output


def test_api_key_command(runner, site):
    r = runner.invoke(args=["sites", "api-key", site.slug, "--label", "coral prod"])
    assert r.exit_code == 0, r.output
    key = r.output.split("key: ")[1].split()[0]
    listed = runner.invoke(args=["sites", "api-key", site.slug, "--list"]).output
    assert key[:10] in listed and key not in listed and "live" in listed and "coral prod" in listed
    r = runner.invoke(args=["sites", "api-key", site.slug, "--revoke", key[:10]])
    assert r.exit_code == 0 and "revoked" in runner.invoke(
        args=["sites", "api-key", site.slug, "--list"]).output
    assert runner.invoke(args=["sites", "api-key", "no-such-site"]).exit_code != 0
