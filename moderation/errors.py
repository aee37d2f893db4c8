"""Domain errors raised by services, and the one place they become HTTP answers."""
from __future__ import annotations

import math
import time
from typing import Any


class ServiceError(Exception):
    """A use case refused: `status` and `code` say how the API answers it."""

    status = 400
    code = "bad_request"

    def __init__(self, message: str, details: Any = None):
        super().__init__(message)
        self.message = message
        self.details = details


class NotFound(ServiceError):
    status = 404
    code = "not_found"


class Conflict(ServiceError):
    status = 409
    code = "conflict"


class Invalid(ServiceError):
    status = 422
    code = "invalid"


class Forbidden(ServiceError):
    status = 403
    code = "forbidden"


class Unauthorized(ServiceError):
    status = 401
    code = "unauthorized"


class TooManyRequests(ServiceError):
    status = 429
    code = "too_many_requests"


def error_body(code: str, message: str, details: Any = None) -> dict[str, Any]:
    return {"error": {"code": code, "message": message, "details": details}}


def _size(n: int) -> str:
    """1048576 -> "1 MiB (1,048,576 bytes)"."""
    for unit, factor in (("MiB", 1024 * 1024), ("KiB", 1024)):
        if n % factor == 0:
            return f"{n // factor} {unit} ({n:,} bytes)"
    return f"{n:,} bytes"


def _retry_after() -> str:
    """Seconds until the limit Flask-Limiter refused the request under resets (its own
    headers are off: they put Retry-After on every response, even a 200)."""
    from .extensions import limiter
    current = limiter.current_limit
    seconds = math.ceil(current.reset_at - time.time()) if current else 1
    return str(max(1, seconds))


def register_error_handlers(app) -> None:
    """JSON errors for the API (one shape), HTML pages for the dashboard; never a bare 500
    for bad input, and 503 with Retry-After when the database cannot be reached."""
    from flask import jsonify, render_template, request
    from sqlalchemy.exc import DataError, IntegrityError, InterfaceError, OperationalError
    from sqlalchemy.exc import TimeoutError as PoolTimeout
    from werkzeug.exceptions import HTTPException

    from .extensions import db

    def wants_json() -> bool:
        return request.path.startswith("/api/") or request.path == "/healthz"

    def respond(status: int, code: str, message: str, details: Any = None, headers=None):
        if wants_json():
            response = jsonify(error_body(code, message, details))
        else:
            response = app.make_response(
                (render_template("errors/error.html", status=status, message=message), status))
        response.status_code = status
        for key, value in (headers or {}).items():
            response.headers[key] = value
        return response

    @app.errorhandler(ServiceError)
    def _service_error(exc: ServiceError):
        return respond(exc.status, exc.code, exc.message, exc.details)

    @app.errorhandler(HTTPException)
    def _http_error(exc: HTTPException):
        code = (exc.name or "error").lower().replace(" ", "_")
        headers = dict(exc.get_headers()) if exc.code in (405, 429) else {}
        headers.pop("Content-Type", None)
        if exc.code == 429 and "Retry-After" not in headers:
            headers["Retry-After"] = _retry_after()
        message = exc.description or exc.name
        if exc.code == 413:  # say the limit, not Werkzeug's generic sentence
            message = f"the body is over {_size(app.config['MAX_CONTENT_LENGTH'])}"
        return respond(exc.code or 500, code, message, None, headers)

    # A value from the request the database cannot hold or compare (NUL in text on
    # PostgreSQL, an id past the integer range, ...): the request's fault, not the server's.
    @app.errorhandler(DataError)
    def _bad_value(exc: Exception):
        db.session.rollback()
        app.logger.warning("database refused a value: %s", getattr(exc, "orig", exc))
        return respond(400, "bad_value", "a value in the request is out of range or holds "
                       "characters that cannot be stored", None)

    # Unreachable or locked database, an exhausted pool, or a unique-key race that outlived
    # its retries: all pass with time, and nothing was stored, so the sender should retry.
    @app.errorhandler(OperationalError)
    @app.errorhandler(InterfaceError)
    @app.errorhandler(IntegrityError)
    @app.errorhandler(PoolTimeout)
    def _database_down(exc: Exception):
        db.session.rollback()
        app.logger.warning("database unavailable: %s", exc.__class__.__name__)
        return respond(503, "database_unavailable",
                       "the database is unavailable; retry later, nothing was stored",
                       None, {"Retry-After": "5"})
