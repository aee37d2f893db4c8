"""The workflow for care through the dashboard's HTTP routes: claims by acting, take over,
beacon release, safe decisions (reasons, the form kept on errors), escalation tab, undo and
reopen, wellbeing (blur setting, break reminder), stats for moderators, evidence once."""
from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from moderation.extensions import app_settings, db
from moderation.models import AuditEvent, Decision, ReviewItem
from tests.dashboard.conftest import _client, add_user, make_item, token_of


@pytest.fixture
def lead_client(app):
    add_user("lead@example.org", "lead")
    return _client(app, "lead@example.org")


def state_of(item_id: int) -> str:
    db.session.expire_all()
    return db.session.get(ReviewItem, item_id).state


def post(client, path, **data):
    return client.post(path, data={"csrf_token": token_of(client), **data})


def test_claim_by_json_for_the_first_keystroke(mod_client, mod2_client, items):
    crisis = items["crisis"]
    token = token_of(mod_client)
    response = mod_client.post(f"/items/{crisis.id}/claim", headers={
        "X-CSRFToken": token, "Accept": "application/json"})
    assert response.status_code == 200 and response.json["held"] is True
    response = mod2_client.post(f"/items/{crisis.id}/claim", headers={
        "X-CSRFToken": token_of(mod2_client), "Accept": "application/json"})
    assert response.status_code == 409 and "mod@example.org" in response.json["message"]


def test_a_beacon_releases_the_claim_quietly(mod_client, items):
    crisis = items["crisis"]
    post(mod_client, f"/items/{crisis.id}/claim")
    assert state_of(crisis.id) == "claimed"
    response = post(mod_client, f"/items/{crisis.id}/release", beacon="1")
    assert response.status_code == 204 and state_of(crisis.id) == "open"


def test_a_lead_takes_over_and_the_holders_heartbeat_says_so(mod_client, lead_client, items):
    crisis = items["crisis"]
    post(mod_client, f"/items/{crisis.id}/claim")
    page = lead_client.get(f"/items/{crisis.id}").get_data(as_text=True)
    assert 'id="take-over"' in page and 'id="decide-form"' not in page
    holder_page = mod_client.get(f"/items/{crisis.id}").get_data(as_text=True)
    assert 'id="take-over"' not in holder_page and "You are working on this item" in holder_page
    response = post(lead_client, f"/items/{crisis.id}/takeover")
    assert response.status_code == 302
    beat = mod_client.post(f"/items/{crisis.id}/lease",
                           headers={"X-CSRFToken": token_of(mod_client)})
    assert beat.status_code == 409
    assert beat.json["message"] == "lead@example.org is working on this item"


def test_a_moderator_cannot_take_over(mod_client, mod2_client, items):
    post(mod_client, f"/items/{items['crisis'].id}/claim")
    assert post(mod2_client, f"/items/{items['crisis'].id}/takeover").status_code == 403


def test_an_empty_reply_rerenders_the_form_with_the_error_beside_it(mod_client, items):
    item_id = items["crisis"].id
    response = post(mod_client, f"/items/{item_id}/decide", action="replied",
                    reply_text="   ", note="kept note")
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'id="decide-form"' in html and 'id="reply-error"' in html
    assert "write the reply that was sent to the reader" in html
    assert re.search(r'<textarea[^>]*id="note"[^>]*>\s*kept note</textarea>', html)
    assert html.index('id="reply-error"') < html.index('id="reply_text"')
    assert db.session.scalar(sa.select(sa.func.count(Decision.id))) == 0


def test_approving_a_crisis_item_asks_for_a_reason(mod_client, items):
    item_id = items["crisis"].id
    html = mod_client.get(f"/items/{item_id}").get_data(as_text=True)
    assert re.search(r'value="approve"[^>]*data-needs-reason="this is a possible crisis', html)
    response = post(mod_client, f"/items/{item_id}/decide", action="approve")
    html = response.get_data(as_text=True)
    assert response.status_code == 422 and '<dialog id="reason-dialog"' in html
    assert re.search(r'<dialog id="reason-dialog"[^>]*\bopen\b', html)
    assert 'value="approve" id="reason-confirm"' in html  # confirms the same decision
    assert state_of(item_id) == "open"
    response = post(mod_client, f"/items/{item_id}/decide", action="approve",
                    reason="quoting a film")
    assert response.status_code == 302 and state_of(item_id) == "resolved"
    event = db.session.scalar(sa.select(AuditEvent).where(
        AuditEvent.action == "decision.approve"))
    assert event.details["reason"] == "quoting a film"


def test_escalate_moves_the_item_to_the_escalated_tab(mod_client, lead_client, items):
    item_id = items["crisis"].id
    assert post(mod_client, f"/items/{item_id}/decide", action="escalate").status_code == 422
    response = post(mod_client, f"/items/{item_id}/decide", action="escalate",
                    reason="mentions a plan")
    assert response.status_code == 302 and state_of(item_id) == "escalated"
    queue = mod_client.get("/queue").get_data(as_text=True)
    assert f'data-id="{item_id}"' not in queue
    assert re.search(r'id="tab-escalated"[^>]*>Escalated <span class="count has-items">1</span>',
                     queue)
    tab = mod_client.get("/queue?state=escalated").get_data(as_text=True)
    assert f'data-id="{item_id}"' in tab and "mentions a plan" in tab
    assert 'id="next-item"' not in tab  # moderators read escalated items; leads take them
    page = mod_client.get(f"/items/{item_id}").get_data(as_text=True)
    assert 'id="decide-form"' not in page and "shown to you read-only" in page
    lead_page = lead_client.get(f"/items/{item_id}").get_data(as_text=True)
    assert 'id="decide-form"' in lead_page and 'value="escalate"' not in lead_page
    assert post(lead_client, f"/items/{item_id}/decide", action="hide").status_code == 302
    assert state_of(item_id) == "resolved"


def test_undo_and_reopen_over_http(mod_client, mod2_client, lead_client, items):
    item_id = items["hostile"].id
    post(mod_client, f"/items/{item_id}/decide", action="hide")
    decision_id = db.session.scalar(sa.select(Decision.id))
    queue = mod_client.get("/queue").get_data(as_text=True)
    assert 'id="recent-decisions"' in queue and f'data-decision="{decision_id}"' in queue
    assert post(mod2_client, f"/decisions/{decision_id}/undo").status_code == 403
    response = post(mod_client, f"/decisions/{decision_id}/undo")
    assert response.headers["Location"] == f"/items/{item_id}"
    assert state_of(item_id) == "claimed"
    post(mod_client, f"/items/{item_id}/decide", action="approve")
    assert post(mod_client, f"/items/{item_id}/reopen", reason="x").status_code == 403
    page = lead_client.get(f"/items/{item_id}").get_data(as_text=True)
    assert 'id="reopen-form"' in page
    post(lead_client, f"/items/{item_id}/reopen", reason="")  # refused: no reason
    assert state_of(item_id) == "resolved"
    post(lead_client, f"/items/{item_id}/reopen", reason="the author complained")
    assert state_of(item_id) == "open"


@pytest.mark.parametrize("path", ["/decisions/999999/undo", "/items/999999/reopen",
                                  "/items/999999/takeover", "/items/999999/claim",
                                  f"/decisions/{'9' * 20}/undo"])
def test_unknown_ids_are_404(lead_client, path):
    assert post(lead_client, path, reason="why").status_code == 404


def test_queue_rows_that_must_be_read_first_are_marked(mod_client, items):
    html = mod_client.get("/queue").get_data(as_text=True)
    for flag, marked in (("crisis", True), ("threat", True), ("distress", False),
                         ("hostile", False)):
        row = html.split(f'data-id="{items[flag].id}"', 1)[1].split(">", 1)[0]
        assert ('data-read-first="yes"' in row) is marked, flag


def test_claimed_rows_say_who_and_when_it_is_due(mod_client, mod2_client, items):
    post(mod_client, f"/items/{items['crisis'].id}/claim")
    html = mod2_client.get("/queue").get_data(as_text=True)
    assert re.search(r"claimed by mod@example.org, due in \d+ min", html)
    assert "<title>(1) Queue" in html  # a claimed crisis item still counts


def test_why_it_was_flagged_lists_each_span_once_with_all_its_labels(mod_client, site):
    text = "I can't go on like this."
    spans = [{"start": 2, "end": 13, "label": "distress", "reason": "hopelessness"},
             {"start": 2, "end": 13, "label": "crisis", "reason": "can't go on"},
             {"start": 14, "end": 23, "label": "distress", "reason": "hopelessness"}]
    item = make_item(site.slug, text, ["crisis", "distress"], evidence=spans)
    html = mod_client.get(f"/items/{item.id}").get_data(as_text=True)
    listing = html.split('id="evidence"', 1)[1].split("</ul>", 1)[0]
    entries = re.findall(r"<li>(.*?)</li>", listing, re.S)
    assert len(entries) == 2
    first = entries[0]
    assert first.index("badge-crisis") < first.index("badge-distress")
    assert "“can&#39;t go on”" in first and "— can&#39;t go on; hopelessness" in first


def test_moderators_read_the_stats_without_user_management(mod_client):
    html = mod_client.get("/stats").get_data(as_text=True)
    assert 'id="decision-times"' in html and "/admin/users" not in html
    assert mod_client.get("/stats/flags-per-day.svg").mimetype == "image/svg+xml"
    assert mod_client.get("/admin/users").status_code == 403


def test_stats_count_an_item_once_under_its_most_urgent_flag(app, site, moderator):
    from moderation.services import queue as service
    from moderation.services import stats
    both = make_item(site.slug, "crisis and distress", ["crisis", "distress"])
    alone = make_item(site.slug, "distress only", ["distress"])
    service.decide(db.session, app_settings(), both.id, moderator, "hide")
    service.decide(db.session, app_settings(), alone.id, moderator, "not_a_concern")
    figures = stats.stats(db.session, days=7)
    per_day = {flag: sum(days.values()) for flag, days in figures.per_day.items()}
    decided = {t.flag: t.decided for t in figures.times}
    fps = {fp.flag: fp.decided for fp in figures.false_positives}
    assert per_day["crisis"] == decided["crisis"] == fps["crisis"] == 1
    assert per_day["distress"] == decided["distress"] == fps["distress"] == 1


def test_the_blur_setting(mod_client, moderator, items):
    assert 'class="blur-crisis"' not in mod_client.get("/queue").get_data(as_text=True)
    response = post(mod_client, "/settings", blur_crisis="y")
    assert response.status_code == 302
    assert 'class="blur-crisis"' in mod_client.get("/queue").get_data(as_text=True)
    post(mod_client, "/settings")
    assert 'class="blur-crisis"' not in mod_client.get("/queue").get_data(as_text=True)


def test_a_break_is_offered_after_five_crisis_items_in_a_row(mod_client, moderator, site):
    from moderation.services import queue as service
    made = [make_item(site.slug, f"crisis {i}", ["crisis"]) for i in range(6)]
    for item in made[:4]:
        service.decide(db.session, app_settings(), item.id, moderator, "hide")
    assert 'id="break-reminder"' not in mod_client.get(
        f"/items/{made[5].id}").get_data(as_text=True)
    service.decide(db.session, app_settings(), made[4].id, moderator, "hide")
    page = mod_client.get(f"/items/{made[5].id}").get_data(as_text=True)
    assert 'id="break-reminder"' in page and "5 crisis items in a row" in page
    response = post(mod_client, "/wellbeing/break", choice="break")
    assert response.status_code == 200 and 'id="break-page"' in response.get_data(as_text=True)
    assert 'id="break-reminder"' not in mod_client.get(
        f"/items/{made[5].id}").get_data(as_text=True)
