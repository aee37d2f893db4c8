"""Issue 14, finding 1: after signing in or deciding, the browser only ever goes to a page
of this service. `next` (sign-in) and `back` (bulk and single decisions) come from the
request, so a link from anywhere could carry an off-site address."""
from __future__ import annotations

import re
from urllib.parse import urljoin, urlsplit

import pytest

from tests.dashboard.conftest import PASSWORD, csrf_from, token_of

HOST = "moderation.example.org"

# Each of these, followed by a browser, left the service (or answered 500).
OFF_SITE = [
    "/\t/evil.example/path", "/\n/evil.example/path", "/\r/evil.example/path",
    "//evil.example/x", "/\\evil.example/x", "\\\\evil.example/x", " //evil.example/x",
    "\t//evil.example/x", "https://evil.example/", "HTTPS:evil.example", "javascript:alert(1)",
    "/\x00/evil.example", "/\x0b/evil.example", "/%09/evil.example", "///evil.example",
]


def browser_target(location: str) -> str:
    """Where a WHATWG URL parser (Chromium, Firefox) goes: it strips leading and trailing
    C0 controls and spaces, drops every tab and newline, reads \\ as / for http(s)."""
    cleaned = re.sub(r"[\t\n\r]", "", location.strip("\x00-\x20"))
    cleaned = cleaned.replace("\\", "/")
    return urlsplit(urljoin(f"http://{HOST}/queue", cleaned)).netloc


def sign_in_with_next(client, email: str, next_: str):
    token = csrf_from(client.get("/login").get_data(as_text=True))
    return client.post("/login", query_string={"next": next_},
                       data={"email": email, "password": PASSWORD, "csrf_token": token})


@pytest.mark.parametrize("target", OFF_SITE)
def test_sign_in_never_redirects_off_site(client, moderator, target):
    response = sign_in_with_next(client, moderator.email, target)
    assert response.status_code == 302, response.get_data(as_text=True)
    assert browser_target(response.headers["Location"]) == HOST
    assert response.headers["Location"] == "/queue"


@pytest.mark.parametrize("target", OFF_SITE)
def test_signed_in_visit_to_login_never_redirects_off_site(mod_client, target):
    response = mod_client.get("/login", query_string={"next": target})
    assert response.status_code == 302
    assert response.headers["Location"] == "/queue"


@pytest.mark.parametrize("target", OFF_SITE)
def test_bulk_back_never_redirects_off_site(mod_client, items, target):
    response = mod_client.post("/queue/bulk", data={
        "csrf_token": token_of(mod_client), "action": "approve",
        "item_ids": [str(items["hostile"].id)], "back": target})
    assert response.status_code == 302, response.get_data(as_text=True)
    assert response.headers["Location"] == "/queue"


@pytest.mark.parametrize("target", OFF_SITE)
def test_decide_back_never_redirects_off_site(mod_client, items, target):
    item_id = items["hostile"].id
    mod_client.get(f"/items/{item_id}")
    response = mod_client.post(f"/items/{item_id}/decide", data={
        "csrf_token": token_of(mod_client), "action": "approve", "back": target})
    assert response.status_code == 302, response.get_data(as_text=True)
    assert response.headers["Location"] == "/queue"


@pytest.mark.parametrize("target", [
    "/queue?flag=crisis", "/queue?state=open&flag=threat&after=MS4yLjM",
    "/admin/users", "/queue?q=na%C3%AFve",
])
def test_local_pages_are_followed(client, moderator, target):
    response = sign_in_with_next(client, moderator.email, target)
    assert response.headers["Location"] == target


def test_a_path_no_page_has_goes_to_the_queue(client, moderator):
    """Only a path the dashboard could have produced: not a route, not a POST-only one."""
    for target in ("/nowhere", "/logout", "/api/v1/openapi.json/../../x"):
        response = sign_in_with_next(client, moderator.email, target)
        assert response.headers["Location"] == "/queue", target
        client.post("/logout", data={"csrf_token": token_of(client)})
