"""Deployments that share one Redis keep their own API counters: every limit counted by
moderation/api/quota.py (Coral, Perspective, the webhook) is namespaced with the app's
RATELIMIT_KEY_PREFIX."""
from __future__ import annotations

import json
import uuid

import pytest

from tests.helpers import redis_up

REDIS = "redis://127.0.0.1:6379"


pytestmark = pytest.mark.skipif(not redis_up(), reason="no Redis at 127.0.0.1:6379")

# Requests with no valid credentials: each counts against the caller's address.
REFUSED = {
    "coral": ("/integrations/coral/sites/nosuchsite/phase", {}, 401),
    "perspective": ("/v1alpha1/comments:analyze?key=not-a-key", {}, 403),
}


@pytest.mark.parametrize("api", sorted(REFUSED))
def test_two_deployments_on_one_redis_count_apart(app_factory, api):
    url, body, refused = REFUSED[api]
    address = f"2001:db8::{uuid.uuid4().hex[:4]}"  # a fresh caller: Redis outlives the test
    run = uuid.uuid4().hex

    def calls(prefix: str, n: int) -> list[int]:
        app = app_factory(RATELIMIT_STORAGE_URI=REDIS, RATELIMIT_KEY_PREFIX=prefix,
                          BAD_AUTH_RATE_LIMIT="2 per minute")
        client = app.test_client()
        return [client.post(url, data=json.dumps(body),
                            headers={"Content-Type": "application/json"},
                            environ_base={"REMOTE_ADDR": address}).status_code
                for _ in range(n)]

    assert calls(f"news-{run}", 3) == [refused, refused, 429]
    # The other deployment's caller at the same address has its own two tries.
    assert calls(f"clinic-{run}", 3) == [refused, refused, 429]
