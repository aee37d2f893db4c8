"""POST /integrations/coral/sites/<site>/phase: Coral Talk's external moderation phase."""
from __future__ import annotations

import json
import logging

from flask import Blueprint, jsonify, request
from sqlalchemy.exc import DataError
from werkzeug.exceptions import HTTPException

from .. import analysis as engine
from ..errors import ServiceError, TooManyRequests, Unauthorized, error_body
from ..extensions import app_settings, db
from ..services import coral
from ..services.ingest import ingest_comments, site_thresholds
from ..services.sites import is_site_name
from . import quota

bp = Blueprint("coral", __name__, url_prefix="/integrations/coral")
log = logging.getLogger(__name__)


@bp.errorhandler(ServiceError)
def _service_error(exc: ServiceError):
    return jsonify(error_body(exc.code, exc.message, exc.details)), exc.status


@bp.errorhandler(DataError)
def _data_error(exc: DataError):
    """A value the database cannot hold (validation should have caught it): a JSON 400."""
    log.warning("Coral phase: the database refused a value: %s", exc.orig.__class__.__name__)
    return jsonify(error_body("bad_request", "the request holds a value this service cannot "
                              "store")), 400


@bp.errorhandler(HTTPException)
def _http_error(exc: HTTPException):
    code = exc.code or 500
    message = "the body is over 1 MiB" if code == 413 else (exc.description or exc.name)
    return jsonify(error_body((exc.name or "error").lower().replace(" ", "_"), message)), code


@bp.post("/sites/<site>/phase")
def phase(site: str):
    settings = app_settings()
    found = coral.phase_site(db.session, settings, site) if is_site_name(site) else None
    body = request.get_data(cache=False)  # 413 past MAX_CONTENT_LENGTH
    if found is None or not coral.signature_valid(
            request.headers.get("X-Coral-Signature"), body, found.secrets):
        if not quota.allow("BAD_AUTH_RATE_LIMIT", "coral-bad-signature",
                           request.remote_addr or "-"):
            raise TooManyRequests("too many requests without a valid signature")
        raise Unauthorized("missing or bad X-Coral-Signature (or no Coral secret for this site)")
    if not quota.allow("WEBHOOK_RATE_LIMIT", "coral-site", found.ref.slug):
        raise TooManyRequests("this site's rate limit is used up; retry shortly")
    try:
        payload = json.loads(body)
    except (ValueError, UnicodeDecodeError, RecursionError):
        raise ServiceError("the body is not valid JSON") from None
    req = coral.parse_request(payload, html=request.args.get("format") == "html")
    try:
        scored = engine.analyze(req.text, thresholds=site_thresholds(found.ref, settings))
    except Exception:  # fail closed: stored and queued for a human, flagged in Coral too
        log.exception("analysis failed for a Coral phase call of site %s", found.ref.slug)
        scored = engine.unscored()
    if req.staff:  # Coral approves staff comments itself: scored, never queued
        return "", 204
    comment = req.comment(scored.language)
    ingest_comments(db.session, settings, found.ref, [comment],
                    analyses={comment.external_id: scored})
    result = coral.answer(scored.flags, found.premod_threat)
    return (jsonify(result), 200) if result else ("", 204)
