"""Sign-in and roles: the `auth` blueprint, the user loader, and deny-by-default access."""
from __future__ import annotations

import hmac
import re
import time
from collections.abc import Callable
from functools import wraps
from typing import TypeVar
from urllib.parse import urlsplit

from flask import Blueprint, Flask, abort, current_app, g, redirect, request, session, url_for
from flask.sessions import SecureCookieSessionInterface
from flask_login import current_user, logout_user
from werkzeug.exceptions import HTTPException

from ..db import MAX_ROW_ID
from ..extensions import db, login_manager
from ..models import Role, User

bp = Blueprint("auth", __name__)

F = TypeVar("F", bound=Callable)

# Endpoints anyone may reach; every other page needs a signed-in user (deny by default).
PUBLIC_ENDPOINTS = {"auth.login", "static", "healthz"}
# The JSON API authenticates by signature or bearer token and answers 401 itself.
SELF_AUTHENTICATING_BLUEPRINTS = {"api", "perspective", "coral"}
# The calls that authenticate by signature or key alone (the webhook, Perspective, Coral):
# no session cookie is read or written for them and no user is loaded. (The suggestions API,
# also under /api/v1, takes a signed-in session: it keeps it.)
SESSIONLESS_PATHS = ("/api/v1/sites/", "/v1alpha1/", "/integrations/")


class _SessionInterface(SecureCookieSessionInterface):
    """On SESSIONLESS_PATHS: an empty session, the cookie not read, and never saved (not
    Flask's null session, which raises when written: an HTML error page writes its CSRF
    token)."""

    def open_session(self, app, request):
        if request.path.startswith(SESSIONLESS_PATHS):
            return self.session_class()
        return super().open_session(app, request)

    def save_session(self, app, session, response):
        if request.path.startswith(SESSIONLESS_PATHS):
            return
        super().save_session(app, session, response)


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
    """The user of a session cookie holding "id:session token" (User.get_id): a token
    rotated since (sign-out, password change, disable, sign out everywhere) loads nobody."""
    number, _, token = user_id.partition(":")
    if not (number.isdigit() and 0 < int(number) <= MAX_ROW_ID and token):
        return None
    user = db.session.get(User, int(number))
    # A disabled account loses its open sessions at the next request.
    if user is None or not user.active:
        return None
    return user if hmac.compare_digest(user.session_token, token) else None


def start_session() -> None:
    """Called at sign-in, after login_user: the clocks of the idle and absolute limits."""
    session["signed_in_at"] = session["seen_at"] = time.time()


def _session_clock():
    """A session ends after SESSION_IDLE_HOURS without a request and SESSION_MAX_DAYS in
    all; activity renews the idle clock (at most once a minute: the cookie is rewritten)."""
    if "_user_id" not in session:
        return
    now = time.time()
    idle = current_app.config.get("SESSION_IDLE_HOURS", 8) * 3600
    lifetime = current_app.config.get("SESSION_MAX_DAYS", 7) * 86400
    seen, signed_in = session.get("seen_at", 0), session.get("signed_in_at", 0)
    if now - seen > idle or now - signed_in > lifetime:
        logout_user()
        session.clear()
    elif now - seen > 60:
        session["seen_at"] = now


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


# What an invited user may reach before choosing their own password.
_BEFORE_OWN_PASSWORD = {"auth.password", "auth.logout", "auth.login", "static", "healthz"}


def _own_password_first():
    """An invited account that has not chosen its own password yet reaches nothing but the
    set-password form (and sign-out): every other request, page or JSON, is sent there."""
    if request.endpoint in _BEFORE_OWN_PASSWORD or request.path.startswith(SESSIONLESS_PATHS):
        return None
    if current_user.is_authenticated and current_user.must_set_password:
        return redirect(url_for("auth.password"))
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
    app.session_interface = _SessionInterface()
    app.before_request(_session_clock)  # before anything reads current_user
    app.before_request(_deny_by_default)
    app.before_request(_own_password_first)
    app.teardown_request(_forget_request_state)


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
