"""Test helpers: a site handle that signs webhook deliveries, and a comment builder."""
from __future__ import annotations

import json
import socket
import uuid

from flask.testing import FlaskClient

from moderation.extensions import app_settings, db
from moderation.signing import sign_headers


class SiteHandle:
    """A site with its secret, and a signed-delivery helper for the webhook."""

    def __init__(self, slug: str, secret: str, callback_secret: str | None = None):
        self.slug = slug
        self.secret = secret
        self.callback_secret = callback_secret  # signs the decisions sent back to the site

    @property
    def url(self) -> str:
        return f"/api/v1/sites/{self.slug}/comments"

    def signed(self, payload, *, secret: str | None = None, msg_id: str | None = None,
               timestamp: int | None = None) -> tuple[bytes, dict[str, str]]:
        body = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
        headers = sign_headers(secret or self.secret, body, msg_id=msg_id, timestamp=timestamp)
        headers["Content-Type"] = "application/json"
        return body, headers

    def post(self, client: FlaskClient, payload, **kwargs):
        body, headers = self.signed(payload, **kwargs)
        return client.post(self.url, data=body, headers=headers)


def new_site(slug: str | None = None, region: str | None = "GB") -> SiteHandle:
    from moderation.services.sites import create_site_with_secrets
    slug = slug or f"site-{uuid.uuid4().hex[:8]}"
    made = create_site_with_secrets(db.session, app_settings(), slug, region=region)
    return SiteHandle(slug, made.secret, made.callback_secret)


def comment(cid: str = "c1", text: str = "Thanks, this helped me a lot.", **extra) -> dict:
    data = {"id": cid, "text": text,
            "author": {"id": "a1", "name": "Ann Reader", "email": "ann@example.net"},
            "article": {"url": "https://news.example.org/ms/legs", "title": "MS and your legs"},
            "posted_at": "2026-11-25T10:00:00Z"}
    data.update(extra)
    return data



def redis_up() -> bool:
    """Whether Redis answers at 127.0.0.1:6379 (tests of the Redis rate-limit storage)."""
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=0.5).close()
        return True
    except OSError:
        return False
