"""Perspective API's REST contract (commentanalyzer v1alpha1), answered offline.

POST /v1alpha1/comments:analyze?key=...      scores from the local tone engine
POST /v1alpha1/comments:suggestscore?key=... a site's verdict, kept as a labelled example
GET  /$discovery/rest?version=v1alpha1       the discovery document Google's client libraries
                                             build themselves from (pointed at this host)
"""
from __future__ import annotations

import json
import logging

from flask import Blueprint, jsonify, request
from sqlalchemy.exc import DataError
from werkzeug.exceptions import HTTPException

from ..errors import ServiceError
from ..extensions import app_settings, db
from ..services import perspective as service
from ..services.ingest import SiteRef, site_thresholds
from ..services.perspective import KeyRef, PerspectiveError
from . import quota

bp = Blueprint("perspective", __name__)
log = logging.getLogger(__name__)

_STATUS = {400: "INVALID_ARGUMENT", 401: "UNAUTHENTICATED", 403: "PERMISSION_DENIED",
           404: "NOT_FOUND", 405: "INVALID_ARGUMENT", 413: "INVALID_ARGUMENT",
           415: "INVALID_ARGUMENT", 409: "ABORTED", 422: "INVALID_ARGUMENT",
           429: "RESOURCE_EXHAUSTED", 503: "UNAVAILABLE"}


@bp.errorhandler(PerspectiveError)
def _perspective_error(exc: PerspectiveError):
    return jsonify(exc.body()), exc.code


@bp.errorhandler(ServiceError)
def _service_error(exc: ServiceError):
    """A service's refusal in Perspective's shape (the app's handler would answer a page)."""
    return jsonify(PerspectiveError(exc.status, _STATUS.get(exc.status, "UNKNOWN"),
                                    exc.message).body()), exc.status


@bp.errorhandler(DataError)
def _data_error(exc: DataError):
    """A value the database cannot hold (the validation should have caught it): 400 in
    Perspective's shape, never a page."""
    log.warning("Perspective API: the database refused a value: %s", exc.orig.__class__.__name__)
    return jsonify(service.invalid("The request holds a value this service cannot store.")
                   .body()), 400


@bp.errorhandler(HTTPException)
def _http_error(exc: HTTPException):
    code = exc.code or 500
    message = "Request body is too large (the limit is 1 MiB)." if code == 413 else (
        exc.description or exc.name)
    return jsonify(PerspectiveError(code, _STATUS.get(code, "UNKNOWN"), message).body()), code


def _rate(setting: str, namespace: str, who: str) -> None:
    if not quota.allow(setting, namespace, who):
        raise PerspectiveError(429, "RESOURCE_EXHAUSTED",
                               "Quota exceeded for this API key; retry later.")


def _key() -> KeyRef:
    """The site the key names. Only valid keys count against the key's quota; failures count
    against the caller's address, in their own bucket."""
    given = request.args.get("key") or request.headers.get("X-Goog-Api-Key")
    key = service.key_for(db.session, given)
    if key is None:
        _rate("BAD_AUTH_RATE_LIMIT", "perspective-bad-key", request.remote_addr or "-")
        message = ("The request is missing a valid API key." if not given
                   else "API key not valid. Please pass a valid API key.")
        raise PerspectiveError(403, "PERMISSION_DENIED", message)
    _rate("PERSPECTIVE_RATE_LIMIT", "perspective-key", str(key.id))
    return key


def _body():
    if request.mimetype not in ("application/json", ""):
        raise service.invalid("Request body must be JSON (Content-Type: application/json).")
    raw = request.get_data(cache=False)  # 413 past MAX_CONTENT_LENGTH
    try:
        return json.loads(raw)
    except (ValueError, UnicodeDecodeError, RecursionError):
        raise service.invalid("Invalid JSON payload received.") from None


@bp.post("/v1alpha1/comments:analyze")
def analyze():
    key = _key()
    req = service.parse_analyze(_body())
    site = SiteRef(key.site_id, key.site_slug, key.thresholds, ())
    settings = app_settings()
    thresholds = site_thresholds(site, settings)
    try:
        scored = service.analyze(req, thresholds)
    except Exception:  # fail closed: a human gets the comment, the client an honest 503
        log.exception("analysis failed for a Perspective API call of site %s", key.site_slug)
        service.store_unscored(db.session, settings, site, req)
        raise PerspectiveError(503, "UNAVAILABLE", "The comment could not be scored; "
                               "it was queued for a human unless doNotStore was set.") from None
    service.store_flagged(db.session, settings, site, req, scored)
    return jsonify(service.response(req, scored, thresholds))


@bp.post("/v1alpha1/comments:suggestscore")
def suggest_score():
    key = _key()
    suggestion = service.parse_suggestion(_body())
    service.store_suggestion(db.session, key, suggestion)
    body = {"detectedLanguages": [], "requestedLanguages": (
        [suggestion["language"]] if suggestion["language"] else [])}
    if suggestion["client_token"] is not None:
        body["clientToken"] = suggestion["client_token"]
    return jsonify(body)


@bp.get("/$discovery/rest")
def discovery():
    if request.args.get("version", "v1alpha1") != "v1alpha1":
        raise PerspectiveError(404, "NOT_FOUND", "Only version v1alpha1 is served here.")
    return jsonify(service.discovery_document(request.host_url))
