"""Moderators' decisions exported as labelled comments for retraining the tone engine."""

import json

import sqlalchemy as sa

from moderation.extensions import app_settings, db
from moderation.models import ReviewItem
from moderation.services import queue
from moderation.services.labels import decision_labels, label_for
from moderation.services.privacy import erase_author
from moderation.services.users import create_user
from tests.helpers import comment

TEXTS = {
    "c-crisis": "I've written letters to my kids and the pills are saved up. Goodbye all.",
    "c-distress": "I can't stop crying, I feel so alone since the diagnosis.",
    "c-hostile": "You are an absolute idiot and should stop commenting.",
    "c-wrong": "I'm so scared and alone tonight, nobody understands.",
    "c-open": "Honestly I can't cope any more, everything is falling apart.",
    "c-approved": "I can't stop crying, everything feels hopeless since the results.",
}


def _ingest(client, site):
    payload = {"comments": [comment(cid, text, author={"id": cid}) for cid, text in TEXTS.items()]}
    assert site.post(client, payload).status_code == 200
    items = db.session.execute(sa.select(ReviewItem)).scalars().all()
    by_text = {item.comment.text: item for item in items}
    return {cid: by_text[text] for cid, text in TEXTS.items()}


def test_decisions_become_labels_on_the_engine_scale(app, client, site):
    items = _ingest(client, site)
    assert "crisis" in items["c-crisis"].flags and "hostile" in items["c-hostile"].flags
    mod = create_user(db.session, "mod@example.org", "a long password 123", "moderator")
    queue.decide(db.session, app_settings(), items["c-crisis"].id, mod, "escalate",
                 reason="plan stated")
    queue.decide(db.session, app_settings(), items["c-distress"].id, mod, "replied",
                 reply_text="We're glad you wrote. You can call Samaritans on 116 123, any time.",
                 confirm_warnings=True)
    queue.decide(db.session, app_settings(), items["c-hostile"].id, mod, "hide")
    queue.decide(db.session, app_settings(), items["c-wrong"].id, mod, "not_a_concern")
    queue.decide(db.session, app_settings(), items["c-approved"].id, mod, "approve")

    rows = {r["text"]: r for r in decision_labels(db.session)}
    assert (rows[TEXTS["c-crisis"]]["distress"], rows[TEXTS["c-crisis"]]["hostility"]) == (3, 0)
    assert rows[TEXTS["c-distress"]]["distress"] == 2
    assert (rows[TEXTS["c-hostile"]]["distress"], rows[TEXTS["c-hostile"]]["hostility"]) == (0, 2)
    assert (rows[TEXTS["c-wrong"]]["distress"], rows[TEXTS["c-wrong"]]["hostility"]) == (0, 0)
    assert TEXTS["c-open"] not in rows  # not decided yet
    assert TEXTS["c-approved"] not in rows  # approve says nothing certain about tone
    assert list(decision_labels(db.session, "no-such-site")) == []
    assert len(list(decision_labels(db.session, site.slug))) == 4

    # an erased reader's words are never exported
    erase_author(db.session, app_settings(), site.slug, "c-crisis")
    assert TEXTS["c-crisis"] not in {r["text"] for r in decision_labels(db.session)}


def test_label_rules():
    assert label_for({"threat", "hostile"}, "escalate") == (0, 3)
    assert label_for({"crisis", "distress"}, "replied") == (3, 0)
    assert label_for({"distress"}, "hide") is None  # hiding a distressed reader says nothing
    assert label_for({"hostile"}, "approve") is None
    assert label_for({"crisis"}, "not_a_concern") == (0, 0)


def test_cli_writes_json_lines(app, client, site, runner, tmp_path):
    items = _ingest(client, site)
    mod = create_user(db.session, "mod2@example.org", "a long password 123", "moderator")
    queue.decide(db.session, app_settings(), items["c-crisis"].id, mod, "escalate",
                 reason="plan stated")
    out = tmp_path / "labels.jsonl"
    result = runner.invoke(args=["analysis", "labels", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "wrote 1 labelled comments" in result.output
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert rows == [{"id": f"decision-{items['c-crisis'].id}", "text": TEXTS["c-crisis"],
                     "distress": 3, "hostility": 0, "decision": "escalate"}]


def test_undone_and_reopened_decisions_are_not_labels(app, client, site):
    items = _ingest(client, site)
    mod = create_user(db.session, "mod@example.org", "a long password 123", "moderator")
    lead = create_user(db.session, "lead@example.org", "a long password 456", "lead")
    hidden = queue.decide(db.session, app_settings(), items["c-hostile"].id, mod, "hide")
    queue.undo(db.session, app_settings(), hidden.id, mod)  # taken back: no standing decision
    queue.decide(db.session, app_settings(), items["c-wrong"].id, mod, "not_a_concern")
    queue.reopen(db.session, app_settings(), items["c-wrong"].id, lead, "needs a second look")
    queue.decide(db.session, app_settings(), items["c-distress"].id, mod, "not_a_concern")
    texts = {r["text"] for r in decision_labels(db.session)}
    assert texts == {TEXTS["c-distress"]}
    # decided again after the undo: the new decision is the label
    queue.decide(db.session, app_settings(), items["c-hostile"].id, mod, "hide")
    assert {r["text"] for r in decision_labels(db.session)} == {TEXTS["c-distress"],
                                                                TEXTS["c-hostile"]}
