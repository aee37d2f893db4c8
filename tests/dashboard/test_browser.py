"""In a real browser (Debian's Chromium through Playwright) against a real threaded server:
sign in, keyboard work, a claim race, bulk decisions, highlights and escaping, live crisis
items. Screenshots for docs/ are written when UPDATE_SCREENSHOTS=1."""
from __future__ import annotations

import os
import shutil
import threading
from datetime import timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa
from werkzeug.serving import make_server

from moderation.db import utcnow, write_transaction
from moderation.extensions import app_settings, db
from moderation.models import Decision, ReviewItem
from tests.conftest import make_app
from tests.dashboard.conftest import PASSWORD, add_user, make_item

pytestmark = pytest.mark.browser

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]
DOCS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
SCREENSHOTS = ("queue.png", "item.png", "confirm.png", "escalated.png")

if not Path(CHROMIUM).exists():  # pragma: no cover
    pytest.skip("Chromium is not installed at /usr/bin/chromium", allow_module_level=True)


@pytest.fixture(scope="module")
def server(migrated):
    """The app under a threaded werkzeug server on a free port, against the test database."""
    # A 15-second lease: the item page's heartbeat beats every 5 s, so a take-over shows fast.
    app = make_app(migrated, QUEUE_POLL_SECONDS=0.5, CLAIM_LEASE_SECONDS=15,
                   LOGIN_RATE_LIMIT_ADDRESS="10000 per minute")
    httpd = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_port}"
    httpd.shutdown()
    thread.join(timeout=5)
    with app.app_context():
        db.engine.dispose()


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        yield browser
        browser.close()


@pytest.fixture
def new_page(browser, server):
    contexts = []

    def make(email: str | None = None):
        context = browser.new_context(base_url=server, viewport={"width": 1400, "height": 900})
        context.set_default_timeout(8000)
        contexts.append(context)
        page = context.new_page()
        page.errors = []  # CSP violations and script errors would land here
        page.on("pageerror", lambda exc: page.errors.append(str(exc)))
        page.on("console", lambda msg: page.errors.append(msg.text)
                if msg.type == "error" and not msg.text.startswith("Failed to load resource")
                else None)
        if email:
            sign_in(page, email)
        return page

    yield make
    for context in contexts:
        context.close()


def sign_in(page, email: str):
    page.goto("/login")
    page.fill("#email", email)
    page.fill("#password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url("**/queue")


def fresh(item_id: int) -> ReviewItem:
    db.session.rollback()  # end our read snapshot: the server has written since
    return db.session.get(ReviewItem, item_id)


def test_sign_in(new_page, moderator):
    page = new_page()
    page.goto("/queue")
    assert "/login" in page.url
    page.fill("#email", moderator.email)
    page.fill("#password", "not the password")
    page.click("button[type=submit]")
    assert page.locator(".flash-error").is_visible()
    page.fill("#email", moderator.email)
    page.fill("#password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url("**/queue")
    assert page.locator("h1").inner_text() == "Queue"
    assert not page.errors


def test_work_the_queue_by_keyboard(new_page, moderator, site):
    crisis = make_item(site.slug, "Everyone would be better off without me.", ["crisis"])
    hostile = make_item(site.slug, "You are an idiot.", ["hostile"], age_minutes=60)
    distress = make_item(site.slug, "I'm so tired and alone.", ["distress"], age_minutes=30)
    page = new_page(moderator.email)
    page.keyboard.press("?")
    assert page.locator("#keys-help").is_visible()
    page.keyboard.press("Escape")
    page.keyboard.press("j")
    assert page.locator("tr.is-current").get_attribute("data-id") == str(crisis.id)
    page.keyboard.press("j")
    page.keyboard.press("k")
    page.keyboard.press("Enter")  # open the crisis item: reading it claims nothing
    page.wait_for_url(f"**/items/{crisis.id}")
    assert fresh(crisis.id).state == "open"
    page.keyboard.press("e")  # escalate: asks for a reason first
    assert page.locator("#reason-dialog").is_visible()
    page.fill("#reason", "talks of being a burden")
    page.click("#reason-confirm")
    page.wait_for_url("**/queue")
    assert "escalate recorded" in page.locator(".flashes").inner_text()
    assert fresh(crisis.id).state == "escalated"
    page.keyboard.press("j")  # now the distress item is first
    with page.expect_navigation():
        page.keyboard.press("n")  # not a concern, straight from the queue
    page.keyboard.press("j")
    with page.expect_navigation():
        page.keyboard.press("h")  # hide the hostile one
    db.session.rollback()
    actions = dict(db.session.execute(sa.select(Decision.review_item_id, Decision.action)).all())
    assert actions == {crisis.id: "escalate", distress.id: "not_a_concern",
                       hostile.id: "hide"}
    assert "No open items" in page.content()
    assert not page.errors


def test_claim_race_between_two_browsers(new_page, moderator, moderator2, site):
    # "Take the next item" claims: two moderators pressing it at once get different items.
    first = make_item(site.slug, "Nobody would miss me.", ["crisis"], age_minutes=10)
    second = make_item(site.slug, "I can't do this any more.", ["crisis"], age_minutes=5)
    a, b = new_page(moderator.email), new_page(moderator2.email)
    a.click("#next-item", no_wait_after=True)
    b.click("#next-item", no_wait_after=True)
    a.wait_for_url("**/items/*")
    b.wait_for_url("**/items/*")
    got = {a.url.rsplit("/", 1)[1], b.url.rsplit("/", 1)[1]}
    assert got == {str(first.id), str(second.id)}
    holders = {fresh(first.id).claimed_by_id, fresh(second.id).claimed_by_id}
    assert holders == {moderator.id, moderator2.id}
    # Opening the other's item shows it read-only.
    other = first.id if a.url.endswith(str(second.id)) else second.id
    a.goto(f"/items/{other}")
    assert a.locator(".banner-other").is_visible()
    assert a.locator("#decide-form").count() == 0


def test_bulk_decision(new_page, moderator, site):
    made = [make_item(site.slug, f"Spam comment {i}, idiot.", ["hostile"], age_minutes=10 + i)
            for i in range(3)]
    page = new_page(moderator.email)
    page.check(f'input[name="item_ids"][value="{made[0].id}"]')
    page.locator(f'tr[data-id="{made[1].id}"] td.age').click()
    page.keyboard.press("x")  # select by keyboard too
    assert page.locator("#selected-count").inner_text() == "2 selected"
    page.select_option("#bulk-action", "hide")
    page.fill("#bulk-note", "spam wave")
    with page.expect_navigation():
        page.click("#bulk-apply")
    assert "Hide: 2 item(s)" in page.locator(".flashes").inner_text()
    assert {fresh(m.id).state for m in made[:2]} == {"resolved"}
    assert fresh(made[2].id).state == "open"


def test_highlights_shown_and_script_rendered_as_text(new_page, moderator, site):
    text = "<script>window.pwned = 1</script><img src=x onerror=\"window.pwned=2\"> I want to die"
    item = make_item(site.slug, text, ["crisis"], evidence=[
        {"start": len(text) - 11, "end": len(text), "label": "crisis",
         "reason": "wish to die"}])
    page = new_page(moderator.email)
    assert page.evaluate("window.pwned") is None
    row = page.locator(f'tr[data-id="{item.id}"]')
    assert "<script>window.pwned = 1</script>" in row.inner_text()
    page.goto(f"/items/{item.id}")
    assert page.evaluate("window.pwned") is None
    mark = page.locator("#comment-text mark.hl-crisis")
    assert mark.inner_text() == "want to die"
    assert mark.get_attribute("title") == "crisis: wish to die"
    assert "<script>" in page.locator("#comment-text").inner_text()
    assert page.locator("#comment-text script, #comment-text img").count() == 0


def test_new_crisis_item_appears_without_reload(new_page, moderator, site):
    make_item(site.slug, "You are an idiot.", ["hostile"], age_minutes=30)
    page = new_page(moderator.email)
    page.evaluate("window.sameDocument = true")
    assert not page.title().startswith("(")
    item = make_item(site.slug, "Tonight I end it.", ["crisis"], age_minutes=0)
    page.wait_for_selector(f'tr[data-id="{item.id}"]')
    page.wait_for_function("document.title.startsWith('(1)')")
    assert page.evaluate("window.sameDocument") is True  # no reload happened
    ids = page.locator("#queue-table tr.queue-row").evaluate_all(
        "rows => rows.map(r => r.dataset.id)")
    assert ids[0] == str(item.id)  # above the hostile one
    assert not page.errors


# ------------------------------------------------- issue 12: the moderators' workflow for care

def until(predicate, timeout: float = 8.0):
    """Wait for the server to have written what the browser did (a beacon is asynchronous)."""
    import time
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        db.session.rollback()
        if predicate():
            return True
        time.sleep(0.1)
    return False


def test_one_reads_a_crisis_item_and_leaves_the_other_works_it_at_once(
        new_page, moderator, moderator2, site):
    item = make_item(site.slug, "I have enough pills saved up now. Tonight is the night.",
                     ["crisis"])
    a, b = new_page(moderator.email), new_page(moderator2.email)
    a.goto(f"/items/{item.id}")
    assert "Nobody is working on this item" in a.locator("#lease").inner_text()
    assert fresh(item.id).state == "open"  # reading claims nothing
    a.click("text=← Queue")
    a.wait_for_url("**/queue")
    b.goto(f"/items/{item.id}")
    b.click("#work-on-this")
    b.wait_for_selector("#lease.banner-mine")
    assert fresh(item.id).claimed_by_id == moderator2.id
    # b starts a reply, then leaves for the queue: the claim goes back at once (a beacon)
    b.goto("/queue")
    assert until(lambda: fresh(item.id).state == "open")
    # a types in the draft: the first keystroke claims; closing the tab gives it back
    a.goto(f"/items/{item.id}")
    a.locator("#note").type("c")
    a.wait_for_selector("#lease.banner-mine")
    assert fresh(item.id).claimed_by_id == moderator.id
    a.close(run_before_unload=True)
    assert until(lambda: fresh(item.id).state == "open")
    b.goto(f"/items/{item.id}")
    with b.expect_navigation():
        b.click('button[value="hide"]')
    db.session.rollback()
    decision = db.session.scalar(sa.select(Decision).where(Decision.review_item_id == item.id))
    assert (decision.action, decision.user_id) == ("hide", moderator2.id)
    assert not b.errors


def test_an_admin_takes_over_a_held_item(new_page, moderator, admin, site):
    item = make_item(site.slug, "Nobody would miss me.", ["crisis"])
    holder, boss = new_page(moderator.email), new_page(admin.email)
    holder.goto(f"/items/{item.id}")
    holder.click("#work-on-this")
    holder.wait_for_selector("#lease.banner-mine")
    boss.goto(f"/items/{item.id}")
    assert "mod@example.org is working on this item" in boss.locator("#claim-banner").inner_text()
    assert boss.locator("#decide-form").count() == 0
    with boss.expect_navigation():
        boss.click("#take-over")
    assert boss.locator("#decide-form").is_visible()
    assert fresh(item.id).claimed_by_id == admin.id
    # the holder's page learns it at its next heartbeat, and its buttons stop working
    holder.wait_for_selector("#lease.banner-lost", timeout=12000)
    assert "admin@example.org is working on this item" in holder.locator("#lease").inner_text()
    assert holder.locator('button[value="hide"]').is_disabled()
    assert not holder.errors and not boss.errors


def test_queue_key_a_on_a_crisis_row_opens_it_and_decides_nothing(new_page, moderator, site):
    item = make_item(site.slug, "I have enough pills saved up now. Tonight is the night.",
                     ["crisis"])
    page = new_page(moderator.email)
    page.keyboard.press("j")
    page.keyboard.press("a")
    page.wait_for_url(f"**/items/{item.id}")
    db.session.rollback()
    assert db.session.scalar(sa.select(sa.func.count(Decision.id))) == 0
    assert fresh(item.id).state == "open"
    assert not page.errors


def test_approving_a_crisis_item_asks_for_confirmation(new_page, moderator, site):
    item = make_item(site.slug, "Everyone would be better off without me.", ["crisis"])
    page = new_page(moderator.email)
    page.goto(f"/items/{item.id}")
    page.click('.actions button[value="approve"]')
    dialog = page.locator("#reason-dialog")
    assert dialog.is_visible() and "possible crisis" in dialog.inner_text()
    page.click("#reason-confirm")  # no reason yet: nothing is sent
    assert dialog.is_visible()
    db.session.rollback()
    assert db.session.scalar(sa.select(sa.func.count(Decision.id))) == 0
    page.fill("#reason", "a line from a song the thread is about")
    with page.expect_navigation():
        page.click("#reason-confirm")
    db.session.rollback()
    decision = db.session.scalar(sa.select(Decision))
    assert (decision.action, decision.reason) == ("approve",
                                                  "a line from a song the thread is about")
    assert not page.errors


def test_undo_within_ten_minutes(new_page, moderator, site):
    item = make_item(site.slug, "You are an idiot.", ["hostile"])
    page = new_page(moderator.email)
    page.goto(f"/items/{item.id}")
    with page.expect_navigation():
        page.click('.actions button[value="hide"]')
    assert fresh(item.id).state == "resolved"
    recent = page.locator("#recent-decisions")
    assert "Hide" in recent.inner_text()
    with page.expect_navigation():
        recent.locator("button.undo").click()
    page.wait_for_url(f"**/items/{item.id}")
    assert "decision is undone" in page.locator(".flashes").inner_text()
    assert page.locator("#lease.banner-mine").is_visible()
    db.session.rollback()
    assert db.session.scalar(sa.select(Decision.undone_at)) is not None
    assert fresh(item.id).state == "claimed"
    assert not page.errors


def test_escalate_moves_the_item_to_the_escalated_tab(new_page, moderator, site):
    item = make_item(site.slug, "I don't want to be here any more.", ["crisis"])
    page = new_page(moderator.email)
    page.goto(f"/items/{item.id}")
    page.click('.actions button[value="escalate"]')
    page.fill("#reason", "sounds like a plan; needs a lead")
    with page.expect_navigation():
        page.click("#reason-confirm")
    assert page.locator(f'#queue-table tr[data-id="{item.id}"]').count() == 0
    assert page.locator("#tab-escalated .count").inner_text() == "1"
    with page.expect_navigation():
        page.click("#tab-escalated")
    row = page.locator(f'tr[data-id="{item.id}"]')
    assert "escalated" in row.inner_text() and "sounds like a plan" in row.inner_text()
    assert fresh(item.id).state == "escalated"
    assert not page.errors


def test_the_blur_setting(new_page, moderator, site):
    crisis = make_item(site.slug, "Tonight I end it.", ["crisis"])
    hostile = make_item(site.slug, "You are an idiot.", ["hostile"], age_minutes=30)
    page = new_page(moderator.email)
    blur = ("el => getComputedStyle(el).filter")
    text = page.locator(f'tr[data-id="{crisis.id}"] td.text a')
    assert text.evaluate(blur) == "none"
    page.goto("/settings")
    page.check("#blur_crisis")
    with page.expect_navigation():
        page.click("#save-settings")
    page.goto("/queue")
    page.mouse.move(5, 5)
    assert "blur" in text.evaluate(blur)
    assert page.locator(f'tr[data-id="{hostile.id}"] td.text a').evaluate(blur) == "none"
    def shown() -> bool:  # the filter eases over .15 s: wait for it to settle
        page.wait_for_timeout(300)
        return text.evaluate(blur) == "none"

    text.hover()
    assert shown()
    page.mouse.move(5, 5)
    assert not shown()
    page.keyboard.press("j")  # by keyboard too: the focused row is shown
    assert page.locator("tr.is-current").get_attribute("data-id") == str(crisis.id)
    assert shown()
    assert not page.errors


def test_screenshots_of_the_demo(new_page, app, tmp_path):
    from moderation.demo import demo_payload
    from moderation.payload import parse_payload
    from moderation.services import queue as service
    from moderation.services.ingest import ingest_comments
    from moderation.services.sites import create_site
    site, _ = create_site(db.session, app_settings(), "demo", name="Demo health site", region="GB")
    ingest_comments(db.session, app_settings(), site, parse_payload(demo_payload()))
    add_user("moderator@demo.example.org")
    colleague = add_user("sam@demo.example.org")
    crisis = list(db.session.scalars(sa.select(ReviewItem.id).where(ReviewItem.urgency == 1)
                                     .order_by(ReviewItem.created_at, ReviewItem.id)))
    assert len(crisis) >= 3, "the demo data has several crisis comments"
    first, held, escalated = crisis[0], crisis[1], crisis[2]
    # A colleague is working on one crisis item and has escalated another.
    service.decide(db.session, app_settings(), escalated, colleague, "escalate",
                   reason="Mentions a plan and a date; needs a lead's judgement.")
    service.claim(db.session, app_settings(), held, colleague)
    with write_transaction(db.session):  # a long lease: the screenshot shows the claim
        db.session.get(ReviewItem, held).lease_expires_at = utcnow() + timedelta(minutes=10)
    page = new_page("moderator@demo.example.org")
    page.screenshot(path=str(tmp_path / "queue.png"), full_page=True)
    page.goto(f"/items/{first}")
    page.click("#work-on-this")
    page.wait_for_selector("#lease.banner-mine")
    page.screenshot(path=str(tmp_path / "item.png"), full_page=True)
    page.click('.actions button[value="approve"]')
    page.fill("#reason", "")
    page.wait_for_selector("#reason-dialog[open]")
    page.screenshot(path=str(tmp_path / "confirm.png"))
    page.keyboard.press("Escape")
    page.goto("/queue?state=escalated")
    page.screenshot(path=str(tmp_path / "escalated.png"), full_page=True)
    for name in SCREENSHOTS:
        assert (tmp_path / name).stat().st_size > 10_000, name
    if os.environ.get("UPDATE_SCREENSHOTS") == "1":
        DOCS.mkdir(parents=True, exist_ok=True)
        for name in SCREENSHOTS:
            shutil.copy(tmp_path / name, DOCS / name)
