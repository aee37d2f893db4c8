"""Sign-in and roles: the `auth` blueprint, the user loader, and deny-by-default access."""
from __future__ import annotations

import re
from collections.abc import Callable
from functools import wraps
from typing import TypeVar
from urllib.parse import urlsplit

from flask import Blueprint, Flask, abort, current_app, g, request, url_for
from flask_login import current_user
from werkzeug.exceptions import HTTPException

from ..extensions import db, login_manager
from ..models import Role, User

bp = Blueprint("auth", __name__)

F = TypeVar("F", bound=Callable)

# Endpoints anyone may reach; every other page needs a signed-in user (deny by default).
PUBLIC_ENDPOINTS = {"auth.login", "static", "healthz"}
# The JSON API authenticates by signature or bearer token and answers 401 itself.
SELF_AUTHENTICATING_BLUEPRINTS = {"api", "perspective", "coral"}


def role_required(*roles: str) -> Callable[[F], F]:
    """Refuse (403) a signed-in user whose role is not one of `roles`."""
    allowed = {Role(r).value for r in roles}

    def decorator(view: F) -> F:
        @wraps(view)
        def wrapped(*args, **kwargs):
            if not current_user.is_authenticated:
                return login_manager.unauthorized()
            if current_user.role not in allowed:
                abort(403, "this page is for admins")
            return view(*args, **kwargs)
        return wrapped  # type: ignore[return-value]
    return decorator


admin_required = role_required(Role.ADMIN.value)


def _load_user(user_id: str) -> User | None:
    try:
        user = db.session.get(User, int(user_id))
    except ValueError:
        return None
    # A disabled account loses its open sessions at the next request.
    return user if user is not None and user.active else None


def _deny_by_default():
    """Every page needs a user; every /admin page an admin. Views cannot forget it."""
    if request.endpoint is None or request.endpoint in PUBLIC_ENDPOINTS:
        return None
    if request.blueprint in SELF_AUTHENTICATING_BLUEPRINTS or request.path.startswith("/api/"):
        return None
    if not current_user.is_authenticated:
        return login_manager.unauthorized()
    if (request.path == "/admin" or request.path.startswith("/admin/")) \
            and not current_user.is_admin:
        abort(403, "this page is for admins")
    return None


def _forget_request_state(_exc=None) -> None:
    # Flask-Login caches the user on `g`, which lives as long as the app context: when a
    # caller keeps one context across requests (tests, CLI), the next request must not
    # inherit the previous request's user.
    g.pop("_login_user", None)
    g.pop(current_app.config.get("WTF_CSRF_FIELD_NAME", "csrf_token"), None)  # same for CSRF


def init_app(app: Flask) -> None:
    login_manager.login_view = "auth.login"
    login_manager.login_message = "Please sign in to continue."
    login_manager.login_message_category = "info"
    login_manager.session_protection = "basic"
    login_manager.user_loader(_load_user)
    app.before_request(_deny_by_default)
    app.teardown_request(_forget_request_state)
    app.register_blueprint(bp)


# Characters a browser strips, drops or reinterprets before it parses a URL (controls,
# space, backslash): "/\t/evil.example" is "//evil.example" to Chromium.
_UNSAFE_IN_PATH = re.compile(r"[\x00-\x20\x7f\\]")


def safe_next(target: str | None) -> str:
    """Where to go after signing in or deciding: `target` only when it is a path of one of
    this service's GET pages (no scheme, no host, nothing a browser would read otherwise);
    anything else goes to the queue."""
    default = url_for("dashboard.queue")
    if not target or len(target) > 2000 or _UNSAFE_IN_PATH.search(target):
        return default
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not parts.path.startswith("/") \
            or parts.path.startswith("//"):
        return default
    try:
        current_app.url_map.bind("localhost").match(parts.path, method="GET")
    except HTTPException:  # no such page, GET not allowed, or a redirect to elsewhere
        return default
    return target


from . import routes  # noqa: E402,F401  (routes register on import)
