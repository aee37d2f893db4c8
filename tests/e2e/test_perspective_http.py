"""The Perspective-compatible API and the Coral phase over real HTTP, against gunicorn, driven
by Google's own client library (google-api-python-client, unmodified: only the discovery URL,
i.e. the base URL, points at this service), as Perspective's documentation shows it."""
from __future__ import annotations

import hashlib
import hmac
import json

import pytest
import sqlalchemy as sa
from googleapiclient import discovery
from googleapiclient.errors import HttpError

from moderation.extensions import app_settings, db
from moderation.models import Analysis, AuditEvent, Comment, ReviewItem, ScoreSuggestion
from moderation.services import coral, perspective

pytestmark = pytest.mark.e2e

SECRET_WORDS = "my quiet plan for tuesday night with the saved pills"
CRISIS = f"I can't do this anymore. I have {SECRET_WORDS}, I don't want to be here."


def client_for(base_url: str, key: str):
    return discovery.build(
        "commentanalyzer", "v1alpha1", developerKey=key,
        discoveryServiceUrl=f"{base_url}/$discovery/rest?version={{apiVersion}}",
        static_discovery=False, cache_discovery=False)


@pytest.fixture
def key(live_site) -> str:
    return perspective.create_key(db.session, live_site.slug)[1]


def test_google_client_analyzes_and_suggests(live_server, live_site, key):
    api = client_for(live_server.url, key)
    response = api.comments().analyze(body={
        "comment": {"text": "You are a pathetic idiot and nobody wants your opinions."},
        "requestedAttributes": {"TOXICITY": {}, "INSULT": {}, "SELF_HARM": {}},
        "spanAnnotations": True, "languages": ["en"], "clientToken": "t-1"}).execute()
    scores = response["attributeScores"]
    assert scores["TOXICITY"]["summaryScore"]["value"] >= 0.8
    assert scores["INSULT"]["spanScores"] and scores["SELF_HARM"]["summaryScore"]["value"] < 0.2
    assert response["clientToken"] == "t-1"
    answer = api.comments().suggestscore(body={
        "comment": {"text": "Lovely piece, thank you."}, "clientToken": "comment:9",
        "attributeScores": {"TOXICITY": {"summaryScore": {"value": 0}}}}).execute()
    assert answer["clientToken"] == "comment:9"
    db.session.rollback()
    assert db.session.scalar(sa.select(ScoreSuggestion.scores)) == {"TOXICITY": 0.0}
    with pytest.raises(HttpError) as refused:
        client_for(live_server.url, "pk_wrong").comments().analyze(body={
            "comment": {"text": "hello"}, "requestedAttributes": {"TOXICITY": {}}}).execute()
    assert refused.value.resp.status == 403
    assert json.loads(refused.value.content)["error"]["status"] == "PERMISSION_DENIED"


def test_do_not_store_leaves_no_trace_in_the_database_or_the_logs(live_server, live_site, key):
    api = client_for(live_server.url, key)
    response = api.comments().analyze(body={
        "comment": {"text": CRISIS}, "requestedAttributes": {"SELF_HARM": {}},
        "doNotStore": True}).execute()
    assert response["attributeScores"]["SELF_HARM"]["summaryScore"]["value"] >= 0.8
    db.session.rollback()
    for model in (Comment, Analysis, ReviewItem, ScoreSuggestion):
        assert db.session.scalar(sa.select(sa.func.count()).select_from(model)) == 0
    details = db.session.scalars(sa.select(AuditEvent.details)).all()
    assert SECRET_WORDS not in json.dumps(details)
    log = live_server.log_path.read_text(errors="replace")
    assert SECRET_WORDS not in log and "saved pills" not in log
    # the same comment without doNotStore reaches a human, first in the queue
    api.comments().analyze(body={"comment": {"text": CRISIS},
                                 "requestedAttributes": {"SELF_HARM": {}}}).execute()
    db.session.rollback()
    item = db.session.scalar(sa.select(ReviewItem))
    assert item.flags[0] == "crisis" and item.comment.text == CRISIS


def test_coral_phase_over_http(http, live_server, live_site):
    secret = "ems_9c8b7a6f5e4d3c2b1a0f9e8d7c6b5a49"
    coral.add_secret(db.session, app_settings(), live_site.slug, secret)
    request = {"action": "NEW", "comment": {"body": "<p>Shut up, you moron.</p>",
                                            "parentID": None},
               "author": {"id": "u-77", "role": "COMMENTER"},
               "story": {"id": "s-1", "url": "https://news.example.org/ms/legs"},
               "site": {"id": "c-site"}, "tenantID": "t-1", "tenantDomain": "c.example.org"}
    body = json.dumps(request, indent=2).encode()
    signature = "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    r = http.post(f"{live_server.url}/integrations/coral/sites/{live_site.slug}/phase",
                  data=body, headers={"Content-Type": "application/json",
                                      "X-Coral-Signature": signature}, timeout=30)
    assert r.status_code == 200, r.text
    assert r.json() == {"actions": [{"actionType": "FLAG", "reason": "COMMENT_DETECTED_TOXIC"}]}


def test_coral_perspective_bodies_over_http(http, live_server, live_site, key):
    """The bodies Coral's `formatBody` sends, to the URL Coral builds from its endpoint
    setting (`<endpoint>/comments:analyze?key=...`)."""
    endpoint = f"{live_server.url}/v1alpha1"
    analyze = {"comment": {"text": "Shut up, you moron."}, "doNotStore": True,
               "requestedAttributes": {"TOXICITY": {}}, "languages": ["en"]}
    r = http.post(f"{endpoint}/comments:analyze", params={"key": key}, json=analyze, timeout=30)
    assert r.status_code == 200, r.text
    assert r.json()["attributeScores"]["TOXICITY"]["summaryScore"]["value"] > 0.8
    suggest = {"comment": {"text": "Shut up, you moron."},
               "context": {"entries": [{"text": json.dumps({
                   "url": "https://news.example.org/ms?commentID=c-1",
                   "reply_to_id_Coral_comment_id": None, "Coral_comment_id": "c-1"})}]},
               "attributeScores": {"TOXICITY": {"summaryScore": {"value": 1}}},
               "languages": ["en"], "communityId": "Coral:https://news.example.org",
               "clientToken": "comment:c-1"}
    r = http.post(f"{endpoint}/comments:suggestscore", params={"key": key}, json=suggest,
                  timeout=30)
    assert r.status_code == 200 and r.json()["clientToken"] == "comment:c-1"
