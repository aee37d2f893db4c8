"""Fuzz targets (Hypothesis): whatever a sender or a browser puts in the webhook's headers
and body, or in the dashboard's query parameters, the answer is never a 5xx (issue 14,
finding 5). Bounded: FUZZ_EXAMPLES examples per target (default 200, a few seconds each).

In tests an exception is raised out of the test client rather than turned into a 500, so
an unhandled error fails the test with its traceback."""
from __future__ import annotations

import base64
import json
import os
import time
from collections import Counter

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from moderation.extensions import db
from moderation.models import Comment
from moderation.signing import sign
from tests.dashboard.conftest import add_user, make_item, sign_in
from tests.helpers import comment

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", 200))
FUZZ = settings(max_examples=EXAMPLES, deadline=None, database=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

# Header values as a WSGI server hands them over: latin-1, no line breaks.
header_text = st.text(st.characters(min_codepoint=0x20, max_codepoint=0xFF,
                                    exclude_characters="\x7f"), max_size=60)
huge_numbers = st.one_of(st.integers(), st.integers(min_value=10**18, max_value=10**400),
                         st.integers(max_value=-10**18, min_value=-10**400))
number_text = st.one_of(huge_numbers.map(str), st.sampled_from(["", "-0", "1e9", "0x10",
                                                                "1_000", "١٢٣", " 7 "]))
# Strings a reader or a site may send: any code point, lone surrogates included.
any_text = st.one_of(st.text(max_size=40),
                     st.text(st.characters(codec=None, categories=None), max_size=20),
                     st.sampled_from(["\ud800", "a\udfffb", "\x00", "\u202e", "", " "]))
dates = st.one_of(st.datetimes().map(lambda d: d.isoformat()),
                  st.dates().map(lambda d: d.isoformat()),
                  st.sampled_from(["0001-01-01T00:00:00+14:00", "9999-12-31T23:59:59-14:00",
                                   "9999-12-31", "0001-01-01", "2026-02-30", "2026-11-25"]))
json_values = st.recursive(
    st.one_of(st.none(), st.booleans(), huge_numbers, st.floats(allow_nan=False), any_text),
    lambda inner: st.one_of(st.lists(inner, max_size=4),
                            st.dictionaries(any_text, inner, max_size=4)),
    max_leaves=12)
COMMENT_FIELDS = ["id", "text", "author", "article", "posted_at", "parent_id", "region",
                  "language"]


@st.composite
def comment_like(draw) -> object:
    """A valid comment with some fields replaced by anything, or a batch of such."""
    body = comment(draw(st.text(min_size=1, max_size=8)))
    for key in draw(st.lists(st.sampled_from(COMMENT_FIELDS + ["author.id", "author.name",
                                                               "extra"]), max_size=3)):
        value = draw(st.one_of(json_values, dates, any_text))
        if key.startswith("author."):
            author = body["author"] if isinstance(body.get("author"), dict) else {}
            body["author"] = {**author, key.split(".")[1]: value}
        else:
            body[key] = value
    if draw(st.booleans()):
        return {"comments": [body] * draw(st.integers(0, 3))}
    return body


def nested(depth: int) -> bytes:
    return b'{"id":"n","text":"x","a":' + b"[" * depth + b"]" * depth + b"}"


bodies = st.one_of(
    st.binary(max_size=300),
    comment_like().map(lambda v: json.dumps(v).encode()),
    json_values.map(lambda v: json.dumps(v).encode()),
    st.integers(900, 30_000).map(nested),
)


@st.composite
def deliveries(draw):
    """(body, headers, sign it?) with headers present, absent or garbage. Most signed ones
    are JSON comments with a usable id, so the fuzz gets past the signature to the parser
    and the ingest path."""
    authentic = draw(st.booleans())
    body = draw(comment_like().map(lambda v: json.dumps(v).encode())
                if authentic and draw(st.integers(0, 3)) else bodies)
    headers = {}
    for name, values in (
            ("webhook-id", st.one_of(header_text, st.text("ab", min_size=256, max_size=300))),
            ("webhook-timestamp", st.one_of(number_text, header_text)),
            ("webhook-signature", st.one_of(header_text, st.just("v1,AAAA v1,"))),
            ("Content-Type", st.sampled_from(["application/json", "text/plain", "",
                                              "application/json; charset=latin-1"]))):
        if draw(st.integers(0, 4)):
            headers[name] = draw(values)
    if authentic and draw(st.integers(0, 3)):
        headers["Content-Type"] = "application/json"
        headers["webhook-id"] = draw(st.text("abcdef0123456789_", min_size=1, max_size=30))
    return body, headers, authentic


def _error_shape(response) -> None:
    body = response.get_json()
    assert set(body["error"]) == {"code", "message", "details"}, body


def test_the_webhook_never_answers_5xx(client, site):
    seen: Counter[int] = Counter()

    @FUZZ
    @given(delivery=deliveries())
    def deliver(delivery):
        body, headers, authentic = delivery
        if authentic:  # a real signature over the fuzzed body: reaches the parser and ingest
            msg_id = (headers.get("webhook-id") or "").strip() or "msg_fuzz"
            timestamp = int(time.time())
            headers.update({"webhook-id": msg_id, "webhook-timestamp": str(timestamp),
                            "webhook-signature": sign(site.secret, msg_id, timestamp, body)})
        before = db.session.scalar(sa.select(sa.func.count(Comment.id)))
        response = client.post(site.url, data=body, headers=headers)
        seen[response.status_code] += 1
        assert response.status_code < 500, response.get_data()[:300]
        if response.status_code != 200:
            _error_shape(response)
            db.session.rollback()
            assert db.session.scalar(sa.select(sa.func.count(Comment.id))) == before

    deliver()
    # The fuzz reached every stage: refused signatures, bad JSON, schema errors, ingest.
    assert all(seen[status] for status in (200, 400, 401, 422)), seen


def cursor_tokens():
    parts = st.one_of(huge_numbers.map(str), st.text("0123456789.-", max_size=12))
    return st.tuples(parts, parts, parts).map(
        lambda p: base64.urlsafe_b64encode(".".join(p).encode()).decode().rstrip("="))


# What a browser can put in a URL (a lone surrogate cannot be encoded; it never arrives).
url_text = st.one_of(st.text(max_size=40), st.sampled_from(["\x00", "\u202e", "", " "]))
param_values = st.one_of(url_text, number_text, dates, cursor_tokens(),
                         st.sampled_from(["open", "claimed", "resolved", "crisis", "csv",
                                          "json", "ndjson", "decision.", "1", "on"]))
PAGES = {
    "/queue": ["state", "flag", "site", "article", "q", "after"],
    "/queue/poll": ["after", "since"],
    "/admin/audit": ["action", "actor", "target_type", "target_id", "since", "until",
                     "before"],
    "/admin/export": ["format", "site", "since", "until", "flag", "decision", "state",
                      "include_text"],
    "/admin/stats": ["days"],
    "/admin/callbacks": ["problems"],
    "/login": ["next"],
    "/items/": [],
}


@st.composite
def page_requests(draw):
    page = draw(st.sampled_from(sorted(PAGES)))
    names = PAGES[page] + ["x"]
    query = {name: draw(param_values)
             for name in draw(st.lists(st.sampled_from(names), max_size=4, unique=True))}
    if page == "/items/":
        page += draw(st.one_of(huge_numbers.map(str), st.integers(0, 10).map(str)))
    return page, query


@pytest.fixture
def admin_client(app, site):
    """An admin signed in, and a small queue to page through."""
    make_item(site.slug, "I can't do this any more.", ["crisis"])
    make_item(site.slug, "You are an idiot.", ["hostile"], age_minutes=30)
    add_user("fuzz-admin@example.org", "admin")
    client = app.test_client()
    assert sign_in(client, "fuzz-admin@example.org").status_code == 302
    return client


def test_dashboard_query_parameters_never_answer_5xx(admin_client):
    seen: Counter[int] = Counter()

    @FUZZ
    @given(page=page_requests())
    def visit(page):
        path, query = page
        response = admin_client.get(path, query_string=query)
        seen[response.status_code] += 1
        assert response.status_code < 500, (path, query, response.status_code)
        response.get_data()  # a streamed export runs to its end
        db.session.rollback()

    visit()
    assert all(seen[status] for status in (200, 302, 404, 422)), seen
