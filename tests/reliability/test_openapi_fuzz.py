"""Schemathesis against /api/v1/openapi.json, in-process (WSGI), every documented operation.

Each generated case is sent three times: as generated (random site, random or missing
signature headers: the refusal paths); made authentic (a Standard Webhooks signature over the
exact body bytes, an admin's bearer token) with the generated path ids; and authentic with the
real site's slug and a stored comment's id, so that valid requests reach the ingest path and
the services behind it.
Checks: no 5xx, every status code documented, Content-Type documented, body matches the
documented schema.
"""
from __future__ import annotations

import hashlib
import hmac
import json
from collections import Counter, defaultdict

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)
from schemathesis.core import NotSet

from moderation.extensions import app_settings, db
from moderation.services import coral, perspective
from moderation.services.tokens import issue_token
from moderation.services.users import create_user
from tests.conftest import make_app
from tests.helpers import comment, new_site

CORAL_SECRET = "ems_fuzzfuzzfuzzfuzzfuzzfuzzfuzz"
STATUSES: dict[str, Counter] = defaultdict(Counter)  # what the authentic calls answered
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance,
          response_schema_conformance]


@pytest.fixture
def world(app):
    """A site with a stored comment, and an admin with an API token."""
    site = new_site("fuzz-site")
    client = app.test_client()
    r = site.post(client, comment("known", "I feel hopeless and alone tonight."))
    assert r.status_code == 200, r.get_data(as_text=True)
    comment_id = r.get_json()["comments"][0]["id"]
    create_user(db.session, "fuzz-admin@example.org", "a-long-password-1", "admin")
    token = issue_token(db.session, "fuzz-admin@example.org")
    key = perspective.create_key(db.session, site.slug)[1]
    coral.add_secret(db.session, app_settings(), site.slug, CORAL_SECRET)
    return {"site": site, "comment_id": comment_id, "token": token, "key": key}


# The document is read from an app on a throwaway database; each call goes to the test's
# own app (real migrated database) through `app=`.
schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", make_app("sqlite://"))


def _authentic(case, world, known_ids: bool) -> dict:
    """Headers and body that make the case pass authentication; with `known_ids`, also the
    real site's slug and a stored comment's id in the path."""
    path = case.path_parameters or {}
    if known_ids and "site" in path:
        path["site"] = world["site"].slug
    if known_ids and "comment_id" in path:
        path["comment_id"] = world["comment_id"]
    kwargs: dict = {"headers": {"Authorization": f"Bearer {world['token']}"}}
    if case.operation.path.startswith("/v1alpha1/"):
        case.query = {**(case.query or {}), "key": world["key"]}
    if case.operation.path.endswith("/phase") and not isinstance(case.body, NotSet):
        body = case.body if isinstance(case.body, bytes) else json.dumps(case.body).encode()
        signature = hmac.new(CORAL_SECRET.encode(), body, hashlib.sha256).hexdigest()
        kwargs = {"headers": {"Content-Type": case.media_type or "application/json",
                              "X-Coral-Signature": f"sha256={signature}"}, "data": body}
    if case.operation.path.endswith("/comments") and case.method.upper() == "POST" \
            and not isinstance(case.body, NotSet):
        body = case.body if isinstance(case.body, bytes) else json.dumps(case.body).encode()
        _, headers = world["site"].signed(body)
        if case.media_type and case.media_type != "application/json":
            headers["Content-Type"] = case.media_type
        kwargs = {"headers": headers, "data": body}
    return kwargs


@schema.parametrize()
@settings(max_examples=60, deadline=None, derandomize=True, database=None,
          suppress_health_check=list(HealthCheck))
def test_every_operation_conforms(case, app, world):
    case.call_and_validate(checks=CHECKS, app=app)
    db.session.rollback()  # the app's requests share this thread's scoped session
    # Authentic, with the generated ids in the path (unknown sites, any comment id) ...
    case.call_and_validate(checks=CHECKS, app=app, **_authentic(case, world, False))
    db.session.rollback()
    # ... and with the real site and a stored comment, so valid requests reach the services.
    response = case.call_and_validate(checks=CHECKS, app=app, **_authentic(case, world, True))
    db.session.rollback()
    STATUSES[f"{case.method} {case.operation.path}"][response.status_code] += 1


def test_authentic_calls_reached_the_services():
    """The fuzz above must have got past authentication, or it tested only the refusals."""
    if not STATUSES:
        pytest.skip("run together with test_every_operation_conforms")
    print(dict(STATUSES))
    assert STATUSES["POST /api/v1/sites/{site}/comments"][200] >= 10
    assert STATUSES["POST /api/v1/sites/{site}/comments"][422] >= 10
    assert STATUSES["POST /v1alpha1/comments:analyze"][200] >= 5
    assert STATUSES["POST /integrations/coral/sites/{site}/phase"][422] >= 5
    assert sum(STATUSES["POST /integrations/coral/sites/{site}/phase"][s]
               for s in (200, 204)) >= 5
