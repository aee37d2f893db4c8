"""The Perspective-compatible API (commentanalyzer v1alpha1), in-process, on the real database.

The request bodies marked "Coral" are built exactly as Coral Talk's `formatBody` builds them
(server/src/core/server/services/perspective/perspective.ts)."""
from __future__ import annotations

import json

import pytest
import sqlalchemy as sa

from moderation.errors import Conflict
from moderation.extensions import app_settings, db
from moderation.models import Comment, ReviewItem, ScoreSuggestion
from moderation.services import perspective
from moderation.services.queue import QueueFilters, list_queue
from moderation.services.stats import stats

ANALYZE = "/v1alpha1/comments:analyze"
SUGGEST = "/v1alpha1/comments:suggestscore"
INSULT = "You are a pathetic idiot and nobody wants your stupid opinions here."
CALM = "Thanks for the article, my neurologist said the same about fatigue."
THREAT = "I know where you live and I will hurt you."
CRISIS = "I don't want to be here anymore, I keep thinking about ending it"
ALL = {name: {} for name in perspective.ATTRIBUTES}


@pytest.fixture
def key(app, site) -> str:
    return perspective.create_key(db.session, site.slug, "tests")[1]


def call(client, key, body, path=ANALYZE):
    return client.post(f"{path}?key={key}", data=json.dumps(body),
                       headers={"Content-Type": "application/json"})


def coral_analyze(text: str, model: str = "TOXICITY") -> dict:
    """Coral's body for comments:analyze (doNotStore from its integration settings)."""
    return {"comment": {"text": text}, "doNotStore": True,
            "requestedAttributes": {model: {}}, "languages": ["en"]}


def scores(response) -> dict[str, float]:
    assert response.status_code == 200, response.get_data(as_text=True)
    return {k: v["summaryScore"]["value"]
            for k, v in response.get_json()["attributeScores"].items()}


def test_insult_threat_calm_and_self_harm_scores(client, key):
    insult = scores(call(client, key, {"comment": {"text": INSULT},
                                       "requestedAttributes": ALL}))
    assert insult["TOXICITY"] >= 0.8 and insult["INSULT"] >= 0.8
    calm = scores(call(client, key, {"comment": {"text": CALM}, "requestedAttributes": ALL}))
    assert max(calm.values()) <= 0.2, calm
    assert scores(call(client, key, {"comment": {"text": THREAT},
                                     "requestedAttributes": {"THREAT": {}}}))["THREAT"] >= 0.8
    crisis = scores(call(client, key, {"comment": {"text": CRISIS},
                                       "requestedAttributes": ALL}))
    assert crisis["SELF_HARM"] >= 0.8 and crisis["TOXICITY"] <= 0.2


def test_response_shape_languages_and_client_token(client, key):
    r = call(client, key, {"comment": {"text": CALM, "type": "PLAIN_TEXT"},
                           "requestedAttributes": {"TOXICITY": {"scoreType": "PROBABILITY"}},
                           "languages": ["en-GB"], "clientToken": "tok-1"})
    body = r.get_json()
    assert r.status_code == 200 and body["clientToken"] == "tok-1"
    assert body["languages"] == ["en"] and body["detectedLanguages"] == ["en"]
    assert body["attributeScores"]["TOXICITY"]["summaryScore"]["type"] == "PROBABILITY"
    assert "spanScores" not in body["attributeScores"]["TOXICITY"]


def test_span_annotations_point_at_the_insult(client, key):
    text = "I read the whole article twice. Honestly you are a pathetic idiot."
    r = call(client, key, {"comment": {"text": text}, "spanAnnotations": True,
                           "requestedAttributes": {"INSULT": {}, "DISTRESS": {}}})
    body = r.get_json()["attributeScores"]
    spans = body["INSULT"]["spanScores"]
    assert spans and all(s["score"]["type"] == "PROBABILITY" for s in spans)
    pointed = " ".join(text[s["begin"]:s["end"]] for s in spans)
    assert "idiot" in pointed or "pathetic" in pointed, pointed
    assert "article" not in pointed
    # DISTRESS has no evidence here: one score per sentence, covering the text
    sentences = body["DISTRESS"]["spanScores"]
    assert [text[s["begin"]:s["end"]].strip() for s in sentences] == [
        "I read the whole article twice.", "Honestly you are a pathetic idiot."]


def test_score_threshold_leaves_attributes_out(client, key):
    body = call(client, key, {"comment": {"text": CALM}, "requestedAttributes": {
        "TOXICITY": {"scoreThreshold": 0.5}, "DISTRESS": {}}}).get_json()
    assert list(body["attributeScores"]) == ["DISTRESS"]


def test_html_comment_is_read_as_text(client, key):
    html = "<p>You are a <b>pathetic</b> idiot &amp; a liar.</p><script>calm()</script>"
    s = scores(call(client, key, {"comment": {"text": html, "type": "HTML"},
                                  "requestedAttributes": {"TOXICITY": {}}}))
    assert s["TOXICITY"] >= 0.8
    assert perspective.html_to_text(html) == "You are a pathetic idiot & a liar."


@pytest.mark.parametrize("body, message", [
    ({"comment": {"text": CALM}, "requestedAttributes": {"FLIRTATION": {}}}, "FLIRTATION"),
    ({"comment": {"text": CALM}, "requestedAttributes": {"TOXICITY": {}},
      "languages": ["is"]}, "does not support request languages: is"),
    ({"comment": {"text": "  "}, "requestedAttributes": {"TOXICITY": {}}}, "non-empty"),
    ({"comment": {"text": CALM}}, "at least one attribute"),
    ({"comment": {"text": CALM}, "requestedAttributes": {
        "TOXICITY": {"scoreType": "STD_DEV_SCORE"}}}, "score type"),
    ({"comment": {"text": CALM}, "requestedAttributes": {
        "TOXICITY": {"scoreThreshold": 2}}}, "scoreThreshold"),
    ({"comment": {"text": "x" * 20_001}, "requestedAttributes": {"TOXICITY": {}}}, "too long"),
    ({"comment": "text", "requestedAttributes": {"TOXICITY": {}}}, "'comment'"),
])
def test_bad_requests_answer_as_perspective_does(client, key, body, message):
    r = call(client, key, body)
    assert r.status_code == 400
    error = r.get_json()["error"]
    assert error["code"] == 400 and error["status"] == "INVALID_ARGUMENT"
    assert message in error["message"]


def test_malformed_json_and_oversized_bodies(client, key):
    r = client.post(f"{ANALYZE}?key={key}", data=b"{not json",
                    headers={"Content-Type": "application/json"})
    assert r.status_code == 400 and r.get_json()["error"]["status"] == "INVALID_ARGUMENT"
    deep = b"[" * 5000 + b"]" * 5000
    r = client.post(f"{ANALYZE}?key={key}", data=deep,
                    headers={"Content-Type": "application/json"})
    assert r.status_code == 400
    r = client.post(f"{ANALYZE}?key={key}", data=b"x" * (1024 * 1024 + 10),
                    headers={"Content-Type": "application/json"})
    assert r.status_code == 413 and "1 MiB" in r.get_json()["error"]["message"]


def test_keys_missing_wrong_and_revoked(client, site, key):
    body = {"comment": {"text": CALM}, "requestedAttributes": {"TOXICITY": {}}}
    for given in ("", "pk_not-a-real-key", "AIzaSyA-google-style-key"):
        r = call(client, given, body)
        assert r.status_code == 403
        assert r.get_json()["error"]["status"] == "PERMISSION_DENIED"
    r = client.post(ANALYZE, data=json.dumps(body), headers={
        "Content-Type": "application/json", "X-Goog-Api-Key": key})
    assert r.status_code == 200
    [row] = perspective.list_keys(db.session, site.slug)
    assert key not in (row.prefix, row.key_sha256) and key.startswith(row.prefix)
    perspective.revoke_key(db.session, site.slug, row.prefix)
    assert call(client, key, body).status_code == 403


def test_per_key_rate_limit_and_a_separate_bucket_for_bad_keys(app_factory):
    app = app_factory(PERSPECTIVE_RATE_LIMIT="3 per minute", BAD_AUTH_RATE_LIMIT="2 per minute")
    from tests.helpers import new_site
    with app.app_context():
        site = new_site("limited")
        key = perspective.create_key(db.session, site.slug)[1]
        other = perspective.create_key(db.session, site.slug)[1]
        client = app.test_client()
        body = {"comment": {"text": CALM}, "requestedAttributes": {"TOXICITY": {}}}
        # bad keys use up their own bucket, not the key's
        assert [call(client, "pk_wrong", body).status_code for _ in range(3)] == [403, 403, 429]
        answers = [call(client, key, body) for _ in range(4)]
        assert [r.status_code for r in answers] == [200, 200, 200, 429]
        assert answers[-1].get_json()["error"]["status"] == "RESOURCE_EXHAUSTED"
        assert call(client, other, body).status_code == 200  # each key its own quota
        db.session.remove()


def test_flagged_comments_are_stored_and_queued_once(client, key, site):
    body = {"comment": {"text": CRISIS}, "requestedAttributes": {"SELF_HARM": {}}}
    call(client, key, {"comment": {"text": INSULT}, "requestedAttributes": {"TOXICITY": {}}})
    first, again = call(client, key, body), call(client, key, body)
    assert first.status_code == again.status_code == 200
    [stored] = db.session.scalars(sa.select(Comment).where(Comment.text == CRISIS)).all()
    assert stored.external_id.startswith("sha256:") and stored.analysis.flags[0] == "crisis"
    page = list_queue(db.session, QueueFilters())
    assert page.items[0].comment_id == stored.id  # crisis first, above the earlier insult
    assert {r.text for r in page.items} == {CRISIS, INSULT}
    # a calm comment is scored, not kept
    call(client, key, {"comment": {"text": CALM}, "requestedAttributes": {"TOXICITY": {}}})
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Comment)) == 2


def test_client_token_names_the_stored_comment(client, key):
    call(client, key, {"comment": {"text": CRISIS}, "clientToken": "comment:abc",
                       "requestedAttributes": {"TOXICITY": {}}})
    # the same token for another text keeps both (by content), never loses one
    other = "I have nothing left to live for, I keep planning how to end it."
    r = call(client, key, {"comment": {"text": other}, "clientToken": "comment:abc",
                           "requestedAttributes": {"TOXICITY": {}}})
    assert r.status_code == 200
    ids = dict(db.session.execute(sa.select(Comment.text, Comment.external_id)).all())
    assert ids[CRISIS] == "comment:abc" and ids[other].startswith("sha256:")


def test_the_same_text_in_another_declared_language_is_the_stored_comment(client, key):
    # the content id names the text; a second call declaring another language (or a reused
    # token) is the comment already stored, not a 409 and not a second copy
    for extra in ({"languages": ["de"]}, {"languages": ["en"]}, {},
                  {"languages": ["fr"], "clientToken": "t1"}):
        r = call(client, key, {"comment": {"text": CRISIS},
                               "requestedAttributes": {"SELF_HARM": {}}, **extra})
        assert r.status_code == 200, r.get_data(as_text=True)
    texts = db.session.scalars(sa.select(Comment.text)).all()
    assert texts.count(CRISIS) == 2  # by content, and under the client's token t1


def test_a_service_refusal_answers_in_perspectives_shape(client, key, monkeypatch):
    def refuse(*args, **kwargs):  # an injected refusal: any ServiceError a service raises
        raise Conflict("stored with different content")
    monkeypatch.setattr(perspective, "store_flagged", refuse)
    r = call(client, key, {"comment": {"text": CRISIS}, "requestedAttributes": {"SELF_HARM": {}}})
    assert r.status_code == 409 and r.is_json, r.get_data(as_text=True)[:200]
    assert r.get_json()["error"]["status"] == "ABORTED"


def test_do_not_store_keeps_nothing(client, key, caplog):
    with caplog.at_level("DEBUG"):
        r = call(client, key, coral_analyze(CRISIS, "SELF_HARM"))
    assert scores(r)["SELF_HARM"] >= 0.8
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Comment)) == 0
    assert db.session.scalar(sa.select(sa.func.count()).select_from(ReviewItem)) == 0
    assert "ending it" not in caplog.text


def test_analysis_failure_queues_the_comment_and_answers_503(client, key, monkeypatch,
                                                              caplog):
    from moderation import analysis

    def broken(*args, **kwargs):
        raise RuntimeError("model file unreadable")

    monkeypatch.setattr(analysis, "analyze", broken)
    with caplog.at_level("ERROR"):
        r = call(client, key, {"comment": {"text": CRISIS}, "requestedAttributes": ALL})
    assert r.status_code == 503 and r.get_json()["error"]["status"] == "UNAVAILABLE"
    stored = db.session.scalar(sa.select(Comment).where(Comment.text == CRISIS))
    assert stored.review_item.flags == ["unscored"]
    assert "ending it" not in caplog.text
    r = call(client, key, {**coral_analyze(CALM), "doNotStore": True})
    assert r.status_code == 503
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Comment)) == 1


def test_suggestscore_keeps_coral_verdicts_as_labelled_examples(client, key, site):
    # Coral's body when its moderators reject a comment
    body = {"comment": {"text": INSULT},
            "context": {"entries": [{"text": json.dumps({
                "url": "https://news.example.org/ms?commentID=c-9",
                "reply_to_id_Coral_comment_id": None, "Coral_comment_id": "c-9"})}]},
            "attributeScores": {"TOXICITY": {"summaryScore": {"value": 1}}},
            "languages": ["en"], "communityId": "Coral:https://news.example.org",
            "clientToken": "comment:c-9"}
    r = call(client, key, body, SUGGEST)
    assert r.status_code == 200 and r.get_json()["clientToken"] == "comment:c-9"
    [row] = db.session.scalars(sa.select(ScoreSuggestion)).all()
    assert (row.text, row.scores, row.client_token, row.language) == (
        INSULT, {"TOXICITY": 1.0}, "comment:c-9", "en")
    assert row.community_id == "Coral:https://news.example.org"
    bad = call(client, key, {**body, "attributeScores": {"TOXICITY": {"summaryScore": {
        "value": 7}}}}, SUGGEST)
    assert bad.status_code == 400 and bad.get_json()["error"]["status"] == "INVALID_ARGUMENT"
    assert perspective.suggestion_counts(db.session, row.created_at) == {site.slug: 1}
    assert stats(db.session).suggestions == {site.slug: 1}  # the stats page's table


def test_coral_analyze_body_gets_the_score_coral_reads(client, key):
    """Coral reads data.attributeScores[model].summaryScore.value and compares it with its
    threshold (default 0.8)."""
    r = call(client, key, coral_analyze(INSULT))
    assert r.get_json()["attributeScores"]["TOXICITY"]["summaryScore"]["value"] > 0.8
    r = call(client, key, coral_analyze(CALM))
    assert r.get_json()["attributeScores"]["TOXICITY"]["summaryScore"]["value"] < 0.8


def test_discovery_document_points_clients_at_this_host(client):
    r = client.get("/$discovery/rest?version=v1alpha1")
    doc = r.get_json()
    assert r.status_code == 200 and doc["rootUrl"] == "http://localhost/"
    methods = doc["resources"]["comments"]["methods"]
    assert methods["analyze"]["path"] == "v1alpha1/comments:analyze"
    assert methods["suggestscore"]["httpMethod"] == "POST"
    assert client.get("/$discovery/rest?version=v1").status_code == 404


def test_retention_removes_the_words_of_old_suggestions(client, key):
    from datetime import timedelta

    from moderation.db import utcnow
    from moderation.services.privacy import apply_retention

    body = {"comment": {"text": INSULT}, "clientToken": "comment:old",
            "attributeScores": {"TOXICITY": {"summaryScore": {"value": 1}}}}
    assert call(client, key, body, SUGGEST).status_code == 200
    assert call(client, key, {**body, "clientToken": "comment:new"}, SUGGEST).status_code == 200
    old = db.session.scalar(sa.select(ScoreSuggestion).where(
        ScoreSuggestion.client_token == "comment:old"))
    old.created_at = utcnow() - timedelta(days=400)
    db.session.commit()
    apply_retention(db.session, app_settings(), days=365, apply=True)
    rows = {r.client_token: r for r in db.session.scalars(sa.select(ScoreSuggestion))}
    assert rows["comment:old"].text is None and rows["comment:old"].redacted_at
    assert rows["comment:old"].scores == {"TOXICITY": 1.0}  # the label stays
    assert rows["comment:new"].text == INSULT


@pytest.mark.parametrize("languages", [["en\x00"], ["e" * 40], ["12"], ["en;drop"]])
def test_a_language_that_is_no_language_tag_is_400_in_perspectives_shape(client, key, languages):
    for path, body in ((ANALYZE, {"comment": {"text": CALM}, "requestedAttributes": ALL}),
                       (SUGGEST, {"comment": {"text": CALM}, "attributeScores": {
                           "TOXICITY": {"summaryScore": {"value": 0}}}})):
        r = call(client, key, {**body, "languages": languages}, path)
        assert r.status_code == 400 and r.mimetype == "application/json"
        assert r.get_json()["error"]["status"] == "INVALID_ARGUMENT"
    assert db.session.scalar(sa.select(sa.func.count()).select_from(ScoreSuggestion)) == 0
