"""Issue 14, finding 3: a site's webhook rate limit counts only validly signed deliveries;
unsigned and failing requests are limited per client address, in a bucket of their own."""
from __future__ import annotations

import json
import uuid

import pytest

from tests.helpers import comment, new_site, redis_up

STORAGES = ["memory://", pytest.param("redis://127.0.0.1:6379", marks=pytest.mark.skipif(
    not redis_up(), reason="no Redis at 127.0.0.1:6379"))]


def _app(app_factory, storage, **overrides):
    return app_factory(WEBHOOK_RATE_LIMIT="3 per minute", BAD_AUTH_RATE_LIMIT="5 per minute",
                       RATELIMIT_STORAGE_URI=storage,
                       RATELIMIT_KEY_PREFIX=f"test-{uuid.uuid4().hex}", **overrides)


def _unsigned(client, url, addr="198.51.100.7"):
    return client.post(url, data=b"{}", headers={"Content-Type": "application/json"},
                       environ_base={"REMOTE_ADDR": addr}).status_code


@pytest.mark.parametrize("storage", STORAGES)
def test_unsigned_requests_do_not_use_up_a_sites_limit(app_factory, storage):
    app = _app(app_factory, storage)
    with app.app_context():
        site = new_site("busy")
        client = app.test_client()
        attackers = [_unsigned(client, site.url, f"198.51.100.{i}") for i in range(1, 13)]
        assert attackers == [401] * 12
        signed = [site.post(client, comment(f"c{i}")).status_code for i in range(4)]
        assert signed == [200, 200, 200, 429]  # the site's own 3 per minute, all its own


@pytest.mark.parametrize("storage", STORAGES)
def test_failing_requests_are_limited_per_address(app_factory, storage):
    app = _app(app_factory, storage)
    with app.app_context():
        site = new_site("probed")
        client = app.test_client()
        body, headers = site.signed(comment("c1"))
        headers["webhook-signature"] = "v1,AAAA"
        codes = [_unsigned(client, site.url) for _ in range(4)] + [
            client.post(site.url, data=body, headers=headers,
                        environ_base={"REMOTE_ADDR": "198.51.100.7"}).status_code,
            client.post("/api/v1/sites/no-such-site/comments", data=b"{}",
                        environ_base={"REMOTE_ADDR": "198.51.100.7"}).status_code,
            _unsigned(client, site.url)]
        assert codes == [401, 401, 401, 401, 401, 429, 429]
        r = client.post(site.url, data=b"{}", environ_base={"REMOTE_ADDR": "198.51.100.7"})
        assert r.status_code == 429 and int(r.headers["Retry-After"]) > 0
        assert r.get_json()["error"]["code"] == "too_many_requests"
        # Another address is not limited by this one's failures ...
        assert _unsigned(client, site.url, "203.0.113.9") == 401
        # ... and a signed delivery from the failing address still gets through.
        body, headers = site.signed(comment("c2"))
        ok = client.post(site.url, data=body, headers=headers,
                         environ_base={"REMOTE_ADDR": "198.51.100.7"})
        assert ok.status_code == 200, ok.get_data(as_text=True)


def test_a_site_over_its_limit_gets_429_with_retry_after(app_factory):
    app = _app(app_factory, "memory://")
    with app.app_context():
        site = new_site("full")
        client = app.test_client()
        for i in range(3):
            assert site.post(client, comment(f"c{i}")).status_code == 200
        r = site.post(client, comment("c9"))
        assert r.status_code == 429 and 0 < int(r.headers["Retry-After"]) <= 61
        assert json.loads(r.get_data())["error"]["code"] == "too_many_requests"


def test_retry_after_is_sent_only_with_429_and_503(client, site, app):
    """Every response used to carry Retry-After (the limiter's headers), even a 200."""
    from tests.dashboard.conftest import add_user, sign_in
    assert "Retry-After" not in site.post(client, comment("ok")).headers
    assert "Retry-After" not in client.post(site.url, data=b"{}").headers  # 401
    add_user("mod@example.org")
    signed_in = sign_in(client, "mod@example.org")
    assert signed_in.status_code == 302 and "Retry-After" not in signed_in.headers
    assert "Retry-After" not in client.get("/queue").headers


def test_the_login_limit_answers_429_with_retry_after(app_factory):
    from tests.dashboard.conftest import add_user, sign_in
    app = app_factory(LOGIN_ADDRESS_MAX_FAILURES=1, LOGIN_ADDRESS_WINDOW_SECONDS=60)
    with app.app_context():
        add_user("mod@example.org")
        client = app.test_client()
        assert sign_in(client, "x@example.org", "wrong password!").status_code == 401
        r = sign_in(client, "x@example.org", "wrong password!")
        assert r.status_code == 429 and 0 < int(r.headers["Retry-After"]) <= 61


def test_memory_windows_reopen_and_start_no_thread(app_factory):
    """The default memory storage counts in this process without a thread per call (the
    `limits` library's storage started a Timer thread on most calls), and a used-up window
    opens again when its period is over."""
    import threading
    import time

    app = app_factory(WEBHOOK_RATE_LIMIT="2 per 2 seconds", RATELIMIT_STORAGE_URI="memory://")
    with app.app_context():
        site = new_site("windows")
        client = app.test_client()
        # The first scoring loads the engine's models: not inside the counted window.
        assert new_site("warm-up").post(client, comment("w")).status_code == 200
        started = []
        start = threading.Thread.start

        def counting_start(thread):
            started.append(thread)
            start(thread)

        threading.Thread.start = counting_start
        try:
            codes = [site.post(client, comment(f"c{i}")).status_code for i in range(3)]
        finally:
            threading.Thread.start = start
        assert codes == [200, 200, 429]
        assert started == []
        time.sleep(2.05)
        assert site.post(client, comment("c3")).status_code == 200


def test_memory_windows_drop_expired_keys_once_the_table_is_full():
    from limits import parse

    from moderation.api.quota import _Windows

    windows, item = _Windows(), parse("1 per second")
    windows.PURGE_AT = 3
    assert [windows.hit(item, "ns", who) for who in "abc"] == [True, True, True]
    assert windows.hit(item, "ns", "a") is False  # a's window is still open
    windows._windows = {k: (0.0, n) for k, (_, n) in windows._windows.items()}  # all expired
    assert windows.hit(item, "ns", "d") is True
    assert set(windows._windows) == {(str(item), "ns", "d")}
