"""The queue page, claims and leases, decisions, bulk decisions, the poll."""
from __future__ import annotations

import re
import threading
from datetime import timedelta

import pytest
import sqlalchemy as sa

from moderation.db import utcnow, write_transaction
from moderation.extensions import app_settings, db
from moderation.models import AuditEvent, CallbackOutbox, Decision, ReviewItem
from moderation.services import queue as service
from moderation.services.queue import QueueFilters
from tests.dashboard.conftest import add_user, make_item, token_of
from tests.helpers import comment as comment_payload


def row_ids(html: str, table: str = "queue-table") -> list[int]:
    section = html.split(f'id="{table}"', 1)[1].split("</table>", 1)[0]
    return [int(i) for i in re.findall(r'<tr class="queue-row[^"]*"\s+data-id="(\d+)"', section)]


def test_queue_orders_by_urgency_then_age(mod_client, items):
    html = mod_client.get("/queue").get_data(as_text=True)
    assert row_ids(html) == [items[f].id for f in ("crisis", "threat", "distress", "hostile")]


def test_crisis_from_the_webhook_is_above_hostile(client, mod_client, site):
    # End to end through the real webhook and tone engine.
    site.post(client, {"comments": [
        comment_payload("h1", "You are a stupid idiot, shut up."),
        comment_payload("c1", "Honestly everyone would be better off without me. I've "
                              "written letters to my kids just in case.")]})
    items = db.session.scalars(sa.select(ReviewItem).order_by(ReviewItem.urgency)).all()
    assert [i.flags[0] for i in items] == ["crisis", "hostile"]
    html = mod_client.get("/queue").get_data(as_text=True)
    assert html.index("badge-crisis") < html.index("badge-hostile")


def test_rows_show_badges_site_article_age_and_deadline(mod_client, items, site):
    html = mod_client.get("/queue").get_data(as_text=True)
    assert 'class="badge badge-crisis"' in html
    assert site.slug in html and "MS and your legs" in html
    assert "due in" in html  # the crisis item is 5 min old with a 15 min deadline
    assert "overdue" not in html.split(f'data-id="{items["crisis"].id}"')[1].split("</tr>")[0]


def test_overdue_items_are_marked(mod_client, site):
    late = make_item(site.slug, "I can't cope any more.", ["distress"], age_minutes=300)
    html = mod_client.get("/queue").get_data(as_text=True)
    row = html.split(f'data-id="{late.id}"')[0].rsplit("<tr", 1)[1]
    assert "is-overdue" in row
    assert "overdue 1 h" in html


def test_title_counts_open_crisis_items(mod_client, items):
    html = mod_client.get("/queue").get_data(as_text=True)
    assert "<title>(1) Queue" in html


def test_evidence_is_highlighted_with_its_reason(mod_client, items):
    html = mod_client.get("/queue").get_data(as_text=True)
    assert re.search(r'<mark class="hl hl-crisis" title="crisis: feeling a burden to others"'
                     r'[^>]*>would be better off without me.</mark>', html)
    page = mod_client.get(f"/items/{items['hostile'].id}").get_data(as_text=True)
    assert re.search(r'<mark class="hl hl-hostile"[^>]*>idiot</mark>', page)


def test_comment_html_is_rendered_as_text(mod_client, site):
    text = "<script>alert('x')</script> <b>bold</b> shut up, moron"
    item = make_item(site.slug, text, ["hostile"],
                     evidence=[{"start": 0, "end": 20, "label": "hostile",
                                "reason": "<img src=x onerror=alert(1)>"}])
    for html in (mod_client.get("/queue").get_data(as_text=True),
                 mod_client.get(f"/items/{item.id}").get_data(as_text=True)):
        assert "<script>alert" not in html and "<b>bold</b>" not in html
        assert "&lt;script&gt;alert(" in html
        assert "<img src=x" not in html and "&lt;img src=x onerror=alert(1)&gt;" in html


@pytest.mark.parametrize("query, expected", [
    ({"flag": "crisis"}, ["crisis"]),
    ({"flag": "hostile"}, ["hostile"]),
    ({"q": "TIRED"}, ["distress"]),
    ({"q": "100%_"}, []),
    ({"state": "resolved"}, []),
])
def test_filters(mod_client, items, query, expected):
    html = mod_client.get("/queue", query_string=query).get_data(as_text=True)
    ids = row_ids(html) if 'id="queue-table"' in html and expected else []
    assert ids == [items[f].id for f in expected]


def test_filter_by_site_and_article(mod_client, items, site):
    from tests.helpers import new_site
    other = new_site("other-news")
    elsewhere = make_item(other.slug, "Nobody would miss me.", ["crisis"],
                          article_url="https://other.example/a")
    html = mod_client.get("/queue?site=other-news").get_data(as_text=True)
    assert row_ids(html) == [elsewhere.id]
    html = mod_client.get("/queue", query_string={
        "article": "https://other.example/a"}).get_data(as_text=True)
    assert row_ids(html) == [elsewhere.id]
    html = mod_client.get(f"/queue?site={site.slug}").get_data(as_text=True)
    assert elsewhere.id not in row_ids(html) and len(row_ids(html)) == 4


def test_bad_filters_are_422_not_500(mod_client, items):
    assert mod_client.get("/queue?state=nope").status_code == 422
    assert mod_client.get("/queue?flag=nope").status_code == 422
    assert mod_client.get("/queue?after=!!!").status_code == 422
    assert mod_client.get("/queue/poll?after=x").status_code == 422


def test_keyset_pages_cover_the_queue_once(app, site):
    made = [make_item(site.slug, f"comment {i}", [["crisis", "hostile", "distress"][i % 3]],
                      age_minutes=100 - i) for i in range(11)]
    seen, after = [], None
    while True:
        page = service.list_queue(db.session, QueueFilters(), after=after, limit=3)
        seen += [i.id for i in page.items]
        after = page.next_cursor
        if after is None:
            break
    expected = sorted(made, key=lambda i: (i.urgency, i.created_at, i.id))
    assert seen == [i.id for i in expected]


def test_next_page_link(mod_client, site):
    for i in range(service.PAGE_SIZE + 3):
        make_item(site.slug, f"hostile {i}", ["hostile"], age_minutes=200 - i)
    html = mod_client.get("/queue").get_data(as_text=True)
    assert len(row_ids(html)) == service.PAGE_SIZE
    link = re.search(r'href="(/queue\?[^"]*after=[^"]+)" rel="next"', html).group(1)
    second = mod_client.get(link.replace("&amp;", "&")).get_data(as_text=True)
    assert len(row_ids(second)) == 3
    assert "First page" in second


def test_keyset_query_uses_no_offset(app, site, items):
    statements = []
    sa.event.listen(db.engine, "before_cursor_execute",
                    lambda conn, cursor, statement, params, *a: statements.append(
                        (statement, params)))
    service.list_queue(db.session, QueueFilters(), after=service.Cursor(
        1, utcnow(), 1).encode())
    queue_queries = [(s, p) for s, p in statements if "FROM review_items" in s]
    assert queue_queries
    for statement, params in queue_queries:
        # SQLite spells a bare LIMIT as "LIMIT ? OFFSET ?" with 0: nothing is skipped.
        if "OFFSET" in statement.upper():
            assert list(params)[-1] == 0


# -------------------------------------------------------------------- claims and leases

def test_reading_an_item_claims_nothing(mod_client, mod2_client, items):
    crisis = items["crisis"]
    page = mod_client.get(f"/items/{crisis.id}").get_data(as_text=True)
    assert "Nobody is working on this item" in page and 'id="work-on-this"' in page
    assert 'id="decide-form"' in page
    db.session.expire_all()
    item = db.session.get(ReviewItem, crisis.id)
    assert item.state == "open" and item.claimed_by_id is None
    other = mod2_client.get(f"/items/{crisis.id}").get_data(as_text=True)
    assert 'id="decide-form"' in other and "Nobody is working on this item" in other


def test_working_on_an_item_claims_it_and_others_see_it_read_only(mod_client, mod2_client,
                                                                 items, moderator):
    crisis = items["crisis"]
    response = mod_client.post(f"/items/{crisis.id}/claim",
                               data={"csrf_token": token_of(mod_client)})
    assert response.status_code == 302
    page = mod_client.get(f"/items/{crisis.id}").get_data(as_text=True)
    assert "You are working on this item" in page and 'id="decide-form"' in page
    db.session.expire_all()
    item = db.session.get(ReviewItem, crisis.id)
    assert item.state == "claimed" and item.claimed_by_id == moderator.id
    lease = (item.lease_expires_at - utcnow()).total_seconds()
    assert 110 < lease <= 120  # CLAIM_LEASE_SECONDS: a short lease the page renews
    other = mod2_client.get(f"/items/{crisis.id}").get_data(as_text=True)
    assert "mod@example.org is working on this item" in other
    assert 'id="decide-form"' not in other
    # and the queue shows it as being worked on, not open
    html = mod_client.get("/queue").get_data(as_text=True)
    assert crisis.id in row_ids(html, "claimed-table") and crisis.id not in row_ids(html)


def test_next_claims_the_most_urgent_unclaimed_item(mod_client, mod2_client, items):
    first = mod_client.post("/queue/next", data={"csrf_token": token_of(mod_client)})
    assert first.headers["Location"] == f"/items/{items['crisis'].id}"
    second = mod2_client.post("/queue/next", data={"csrf_token": token_of(mod2_client)})
    assert second.headers["Location"] == f"/items/{items['threat'].id}"


def test_next_with_an_empty_queue_says_so(mod_client):
    response = mod_client.post("/queue/next", data={"csrf_token": token_of(mod_client)},
                               follow_redirects=True)
    assert "the queue is clear" in response.get_data(as_text=True)


def test_lease_renewal_and_loss(mod_client, mod2_client, items):
    crisis = items["crisis"]
    token = token_of(mod_client)
    mod_client.post(f"/items/{crisis.id}/claim", headers={"X-CSRFToken": token})
    response = mod_client.post(f"/items/{crisis.id}/lease", headers={"X-CSRFToken": token})
    assert response.status_code == 200 and response.json["held"] is True
    assert mod_client.post(f"/items/{crisis.id}/lease").status_code == 400  # no CSRF token
    token2 = token_of(mod2_client)
    response = mod2_client.post(f"/items/{crisis.id}/lease", headers={"X-CSRFToken": token2})
    assert response.status_code == 409 and response.json["held"] is False
    assert "mod@example.org is working on this item" in response.json["message"]


def test_expired_leases_return_to_open(app, items, moderator, moderator2):
    item = service.claim_next(db.session, app_settings(), moderator)
    with write_transaction(db.session):
        db.session.get(ReviewItem, item.id).lease_expires_at = utcnow() - timedelta(seconds=1)
    assert service.release_expired(db.session) == 1
    again = service.claim_next(db.session, app_settings(), moderator2)
    assert again.id == item.id and again.claimed_by_id == moderator2.id


def test_release_puts_the_item_back(mod_client, items):
    crisis = items["crisis"]
    mod_client.post(f"/items/{crisis.id}/claim", data={"csrf_token": token_of(mod_client)})
    assert db.session.get(ReviewItem, crisis.id).state == "claimed"
    mod_client.post(f"/items/{crisis.id}/release", data={"csrf_token": token_of(mod_client)})
    db.session.expire_all()
    assert db.session.get(ReviewItem, crisis.id).state == "open"


def test_concurrent_claims_never_share_an_item(app_factory, site, items):
    users = [add_user(f"m{i}@example.org") for i in range(6)]
    for i in range(6):
        make_item(site.slug, f"extra {i}", ["distress"])
    results: list[int | None] = []
    errors: list[BaseException] = []
    barrier = threading.Barrier(len(users), timeout=30)
    # One app (engine, pool) per worker, built here: create_app is not meant for threads.
    apps = [app_factory() for _ in users]

    def work(worker_app, user_id: int):
        with worker_app.app_context():
            try:
                from moderation.models import User
                user = db.session.get(User, user_id)
                db.session.rollback()
                barrier.wait()
                got = [service.claim_next(db.session, app_settings(), user) for _ in range(2)]
                results.extend(i.id if i else None for i in got)
            except BaseException as exc:  # noqa: BLE001
                errors.append(exc)
                barrier.abort()
            finally:
                db.session.remove()
                db.engine.dispose()

    threads = [threading.Thread(target=work, args=(a, u.id)) for a, u in zip(apps, users)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert not errors, errors
    claimed = [r for r in results if r is not None]
    assert len(claimed) == len(set(claimed)) == 10  # 4 + 6 items, 12 attempts


# ---------------------------------------------------------------------------- decisions

def decide(client, item_id, action, **data):
    client.get(f"/items/{item_id}")
    return client.post(f"/items/{item_id}/decide",
                       data={"csrf_token": token_of(client), "action": action, **data})


@pytest.mark.parametrize("action", ["approve", "hide", "not_a_concern"])
def test_each_decision_resolves_and_is_recorded(mod_client, items, moderator, action):
    item_id = items["hostile"].id
    response = decide(mod_client, item_id, action, note="checked the thread")
    assert response.status_code == 302 and response.headers["Location"] == "/queue"
    db.session.expire_all()
    item = db.session.get(ReviewItem, item_id)
    assert item.state == "resolved" and item.resolved_at is not None
    decision = db.session.scalar(sa.select(Decision).where(Decision.review_item_id == item_id))
    assert (decision.action, decision.note, decision.user_id) == (
        action, "checked the thread", moderator.id)
    event = db.session.scalar(sa.select(AuditEvent).where(
        AuditEvent.action == f"decision.{action}"))
    assert event.actor == moderator.email and event.target_id == str(item_id)


def test_a_decided_item_cannot_be_decided_again(mod_client, items):
    item_id = items["hostile"].id
    decide(mod_client, item_id, "approve")
    response = mod_client.post(f"/items/{item_id}/decide", data={
        "csrf_token": token_of(mod_client), "action": "hide"}, follow_redirects=True)
    assert "already been decided" in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count(Decision.id))) == 1


def test_an_item_held_by_another_moderator_cannot_be_decided(mod_client, mod2_client, items):
    item_id = items["crisis"].id
    mod_client.post(f"/items/{item_id}/claim", data={"csrf_token": token_of(mod_client)})
    response = mod2_client.post(f"/items/{item_id}/decide", data={
        "csrf_token": token_of(mod2_client), "action": "hide"}, follow_redirects=True)
    assert "mod@example.org is working on this item" in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count(Decision.id))) == 0


def test_decide_without_csrf_is_400(mod_client, items):
    mod_client.get(f"/items/{items['crisis'].id}")
    response = mod_client.post(f"/items/{items['crisis'].id}/decide", data={"action": "hide"})
    assert response.status_code == 400


def test_unknown_action_is_422(mod_client, items):
    assert decide(mod_client, items["crisis"].id, "delete").status_code == 422


def test_replied_needs_the_reply_text(mod_client, items):
    response = decide(mod_client, items["crisis"].id, "replied", reply_text="  ")
    assert response.status_code == 422


def test_crisis_item_shows_resources_and_an_editable_draft(mod_client, items):
    html = mod_client.get(f"/items/{items['crisis'].id}").get_data(as_text=True)
    assert 'name="resources"' in html and "Samaritans" in html
    draft = re.search(r'<textarea[^>]*id="reply_text"[^>]*>(.*?)</textarea>', html, re.S)
    assert draft and draft.group(1).strip()


def test_hostile_item_has_no_support_suggestions(mod_client, items):
    html = mod_client.get(f"/items/{items['hostile'].id}").get_data(as_text=True)
    assert 'name="resources"' not in html


def test_a_reply_without_a_helpline_is_refused(mod_client, items):
    response = decide(mod_client, items["crisis"].id, "replied",
                      reply_text="Please hang in there, things will look up.")
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'data-code="missing_helpline"' in html and "cannot be sent" in html
    assert 'name="confirm_warnings"' not in html
    assert db.session.scalar(sa.select(sa.func.count(Decision.id))) == 0


def test_a_reply_mentioning_a_method_is_refused_and_highlighted(mod_client, items):
    response = decide(mod_client, items["crisis"].id, "replied",
                      reply_text="Do not take pills. Call Samaritans on 116 123.")
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert re.search(r'<mark class="hl hl-problem"[^>]*>pills</mark>', html)


def test_a_reply_with_warnings_is_sent_once_confirmed(mod_client, items):
    text = ("I'm sorry. Nobody who committed suicide wanted it this way. "
            "You can call Samaritans on 116 123, any time.")
    first = decide(mod_client, items["crisis"].id, "replied", reply_text=text)
    assert first.status_code == 422 and 'name="confirm_warnings"' in first.get_data(
        as_text=True)
    second = decide(mod_client, items["crisis"].id, "replied", reply_text=text,
                    confirm_warnings="y", resources=["samaritans-gb"])
    assert second.status_code == 302
    decision = db.session.scalar(sa.select(Decision))
    assert decision.action == "replied" and decision.reply_text == text
    assert decision.resources == ["samaritans-gb"]


def test_a_good_reply_is_recorded_with_a_callback_when_the_site_has_one(mod_client, items,
                                                                       site):
    from moderation.models import Site
    with write_transaction(db.session):
        db.session.scalar(sa.select(Site).where(Site.slug == site.slug)).callback_url = \
            "https://site.example/callback"
    text = "We're here for you. You can call Samaritans on 116 123, any time."
    assert decide(mod_client, items["crisis"].id, "replied",
                  reply_text=text).status_code == 302
    outbox = db.session.scalar(sa.select(CallbackOutbox))
    assert outbox is not None and outbox.payload["data"]["reply_text"] == text


# ------------------------------------------------------------------------------- bulk

def test_bulk_decision_applies_to_every_selected_item(mod_client, mod2_client, items, site):
    held = make_item(site.slug, "Another insult, idiot.", ["hostile"])
    mod2_client.post(f"/items/{held.id}/claim",  # someone else is on this one
                     data={"csrf_token": token_of(mod2_client)})
    ids = [items[f].id for f in ("hostile", "distress", "threat", "crisis")] + [held.id]
    response = mod_client.post("/queue/bulk", data={
        "csrf_token": token_of(mod_client), "action": "not_a_concern", "note": "spam wave",
        "item_ids": [str(i) for i in ids], "back": "/queue"}, follow_redirects=True)
    html = response.get_data(as_text=True)
    assert "Not a concern: 2 item(s)" in html and "claimed by another moderator" in html
    # crisis and threat items are never decided in bulk: they are read on their page
    assert "are decided on their page" in html
    decided = db.session.scalars(sa.select(Decision.review_item_id)).all()
    assert sorted(decided) == sorted([items["hostile"].id, items["distress"].id])
    assert db.session.scalar(sa.select(sa.func.count(AuditEvent.id)).where(
        AuditEvent.action == "decision.not_a_concern")) == 2


def test_bulk_reply_is_refused(mod_client, items):
    response = mod_client.post("/queue/bulk", data={
        "csrf_token": token_of(mod_client), "action": "replied",
        "item_ids": [str(items["hostile"].id)]})
    assert response.status_code == 422


def test_bulk_with_nothing_selected_is_422(mod_client, items):
    response = mod_client.post("/queue/bulk", data={
        "csrf_token": token_of(mod_client), "action": "approve"})
    assert response.status_code == 422


def test_bulk_back_link_stays_on_this_site(mod_client, items):
    response = mod_client.post("/queue/bulk", data={
        "csrf_token": token_of(mod_client), "action": "approve",
        "item_ids": [str(items["hostile"].id)], "back": "https://evil.example/"})
    assert response.headers["Location"] == "/queue"


# ------------------------------------------------------------------------------- poll

def test_poll_returns_new_crisis_items_as_escaped_rows(mod_client, site, items):
    since = int(utcnow().timestamp())
    fresh = make_item(site.slug, "<script>x()</script> I want to end it", ["crisis"],
                      age_minutes=0)
    data = mod_client.get(f"/queue/poll?after={items['crisis'].id}&since={since}").json
    assert data["crisis_waiting"] == 2
    assert [i["id"] for i in data["items"]] == [fresh.id]
    assert "&lt;script&gt;" in data["items"][0]["html"]
    assert "<script>" not in data["items"][0]["html"]


def test_poll_when_signed_out_redirects(client):
    assert client.get("/queue/poll?after=0&since=0").status_code == 302


# ---------------------------------------------------------------------------- item page

def test_item_page_shows_scores_article_parent_and_author_history(mod_client, site):
    make_item(site.slug, "The parent comment.", [], author="p1")
    from moderation.models import Comment
    parent = db.session.scalar(sa.select(Comment).where(Comment.text == "The parent comment."))
    older = make_item(site.slug, "An older comment by the same reader.", [], author="a9")
    item = make_item(site.slug, "I can't go on.", ["crisis"], author="a9",
                     parent=parent.external_id, scores={"crisis": 0.87, "distress": 0.5})
    html = mod_client.get(f"/items/{item.id}").get_data(as_text=True)
    assert "0.87" in html and "MS and your legs" in html
    assert "The parent comment." in html
    assert "An older comment by the same reader." in html
    assert older.text not in html.split("other comments")[0]


def test_unknown_item_is_404_page(mod_client):
    response = mod_client.get("/items/999999")
    assert response.status_code == 404 and "<h1>404</h1>" in response.get_data(as_text=True)


# ------------------------------------------- issue 14, finding 5: numbers past the range

HUGE = "9" * 20


def _no_5xx_page(response, status: int):
    assert response.status_code == status, (response.status_code,
                                            response.get_data(as_text=True)[:300])


def test_an_item_id_past_the_range_is_404(mod_client, items):
    for path in (f"/items/{HUGE}", f"/items/{2**31}", f"/items/{2**63}"):
        _no_5xx_page(mod_client.get(path), 404)
        _no_5xx_page(mod_client.post(path + "/decide", data={
            "csrf_token": token_of(mod_client), "action": "approve"}), 404)
        _no_5xx_page(mod_client.post(path + "/lease", data={
            "csrf_token": token_of(mod_client)}), 404)


def test_poll_with_a_huge_after_or_since_is_422(mod_client, items):
    for query in (f"after={HUGE}", f"after=-{HUGE}", f"since={HUGE}", f"after={2**63}"):
        _no_5xx_page(mod_client.get(f"/queue/poll?{query}"), 422)


def test_a_cursor_with_huge_numbers_is_422(mod_client, items):
    import base64
    for raw in (f"{HUGE}.1700000000000000.1", f"1.1700000000000000.{HUGE}",
                f"1.{HUGE}.1", f"-{HUGE}.1.1"):
        after = base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")
        _no_5xx_page(mod_client.get(f"/queue?after={after}"), 422)


def test_bulk_with_a_huge_item_id_is_422(mod_client, items):
    response = mod_client.post("/queue/bulk", data={
        "csrf_token": token_of(mod_client), "action": "approve",
        "item_ids": [str(items["hostile"].id), HUGE], "back": "/queue"})
    _no_5xx_page(response, 422)
    assert db.session.scalar(sa.select(sa.func.count(Decision.id))) == 0
