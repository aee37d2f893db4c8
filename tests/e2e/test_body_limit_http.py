"""Issue 14, finding 5: a chunked body past the limit is 413 over real HTTP (gunicorn)."""
from __future__ import annotations

import json

import pytest
import sqlalchemy as sa

from moderation.extensions import db
from moderation.models import Comment
from tests.helpers import comment

pytestmark = pytest.mark.e2e


def test_a_chunked_body_over_the_limit_is_413(live_site, http):
    """A chunked body (no Content-Length) past 1 MiB used to be cut at 1 MiB without a
    word, so the signature failed: 401. It is 413, and the message says the limit."""
    payload = json.dumps(comment("big")).encode()
    body, headers = live_site.signed(b" " * (1024 * 1024) + payload)

    def chunks():
        for i in range(0, len(body), 64 * 1024):
            yield body[i:i + 64 * 1024]

    r = http.post(live_site.live_url, data=chunks(), headers=headers, timeout=60)
    assert r.status_code == 413, r.text[:300]
    assert "1 MiB" in r.json()["error"]["message"]
    assert db.session.scalar(sa.select(sa.func.count(Comment.id))) == 0


def test_a_chunked_body_within_the_limit_is_read_whole(live_site, http):
    payload = json.dumps(comment("chunked")).encode()
    body, headers = live_site.signed(b" " * (1024 * 1024 - len(payload)) + payload)
    r = http.post(live_site.live_url, data=iter([body[:100], body[100:]]), headers=headers,
                  timeout=60)
    assert r.status_code == 200, r.text[:300]
    assert db.session.scalar(sa.select(sa.func.count(Comment.id))) == 1
