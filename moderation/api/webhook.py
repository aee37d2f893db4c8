"""POST /api/v1/sites/<site>/comments: verify, validate, ingest, answer with the flags."""
from __future__ import annotations

import hashlib
import json
import math
import time

from flask import current_app, jsonify, request
from sqlalchemy import Connection
from werkzeug.exceptions import (
    BadRequest,
    RequestEntityTooLarge,
    TooManyRequests,
    Unauthorized,
    UnsupportedMediaType,
)

from ..errors import Invalid, NotFound
from ..extensions import app_settings, db
from ..payload import PayloadError, parse_payload
from ..services.ingest import ingest_comments, site_for_webhook
from ..services.sites import is_site_name
from ..signing import SignatureError, verify
from . import bp, quota

MAX_WEBHOOK_ID = 255


def _read_body(limit: int) -> bytes:
    """The whole body, or 413 past `limit`. Werkzeug stops a chunked body (no
    Content-Length) at the limit without a word, so the cut body failed its signature (401):
    reading one byte more tells a body that ends at the limit from one that goes on."""
    request.max_content_length = limit + 1
    body = request.get_data(cache=False)  # 413 from Werkzeug past limit + 1
    if len(body) > limit:
        raise RequestEntityTooLarge()
    return body


def _count(setting: str, namespace: str, who: str, message: str) -> None:
    """One call against the limit in config `setting`; past it, 429 with Retry-After."""
    if quota.allow(setting, namespace, who):
        return
    reset_at = quota.reset_at(setting, namespace, who)
    raise TooManyRequests(message, retry_after=max(1, math.ceil(reset_at - time.time())))


def _refused(error: Exception) -> Exception:
    """A request that is not an authentic delivery counts against its address, never
    against the site: unsigned traffic cannot use up a site's limit."""
    _count("BAD_AUTH_RATE_LIMIT", "webhook-refused", request.remote_addr or "-",
           "too many requests without a valid signature from this address")
    return error


@bp.post("/sites/<site>/comments")
def receive_comments(site: str):
    # No query for a name no site can have (NUL in it would be a 500 on PostgreSQL).
    if not is_site_name(site):
        raise _refused(NotFound(f"no site named {site!r}"))
    # A caller that keeps one app context across requests (tests, the CLI) may hold a read
    # transaction open in db.session: end it, so that its next read sees what is stored here.
    if db.session.registry.has() and db.session().in_transaction():
        db.session.commit()
    # One connection for the request, no ORM session: the site lookup (its read ended at
    # once), then one short write transaction after the scoring.
    with db.engine.connect() as connection:
        return _receive(connection, site)


def _receive(connection: Connection, site: str):
    record = site_for_webhook(connection, app_settings(), site)
    # No read transaction stays open while the body is read and the comments are scored
    # (the lookup is kept for SITE_AUTH_SECONDS: mostly there was none).
    connection.rollback()
    if record is None:
        raise _refused(NotFound(f"no site named {site!r}"))
    body = _read_body(current_app.config["MAX_CONTENT_LENGTH"])
    try:
        webhook_id = verify(request.headers, body, record.secrets,
                            tolerance=current_app.config["WEBHOOK_TOLERANCE_SECONDS"])
    except SignatureError as exc:
        raise _refused(Unauthorized(str(exc))) from None
    # The site's limit counts authentic deliveries only (checked after the signature).
    _count("WEBHOOK_RATE_LIMIT", "webhook-site", record.slug,
           "this site's rate limit is used up; retry after Retry-After seconds")
    if len(webhook_id) > MAX_WEBHOOK_ID:  # the column's size: PostgreSQL would answer 500
        raise BadRequest(f"webhook-id must be at most {MAX_WEBHOOK_ID} characters")
    if request.mimetype != "application/json":
        raise UnsupportedMediaType("the body must be JSON (Content-Type: application/json)")
    try:
        payload = json.loads(body)
    except (ValueError, UnicodeDecodeError) as exc:
        raise BadRequest(f"the body is not valid JSON: {exc}") from None
    except RecursionError:  # nested deeper than the parser's stack: no comment is like that
        raise BadRequest("the body is not valid JSON: nested too deeply") from None
    try:
        comments = parse_payload(payload, current_app.config["WEBHOOK_MAX_BATCH"])
    except PayloadError as exc:
        raise Invalid("the payload does not match the comment schema", exc.errors) from None
    results = ingest_comments(connection, app_settings(), record, comments, webhook_id=webhook_id,
                              body_sha256=hashlib.sha256(body).hexdigest())
    return jsonify({"comments": [r.to_dict() for r in results]})
