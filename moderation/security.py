"""Security headers on every response: CSP without inline script, no framing, no caching."""
from __future__ import annotations

from typing import Any

from flask import Flask, request

CSP = "; ".join([
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "connect-src 'self'",
    "font-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
])
# Server-rendered SVG charts are images: pygal styles them inline, and nothing runs in them.
SVG_CSP = "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'"


# Bidirectional embeddings, overrides and isolates (U+202A-U+202E, U+2066-U+2069): in a
# reader's name, URL or text they reorder what a moderator sees ("Ann\u202egnp.exe" reads
# "Annexe.png"). Removed from everything a template prints; marks (LRM, RLM) stay.
_BIDI_CONTROLS = dict.fromkeys([*range(0x202A, 0x202F), *range(0x2066, 0x206A)])


def strip_bidi_controls(value: Any) -> Any:
    """Jinja's `finalize`: every `{{ ... }}` value passes here before it is escaped."""
    # Markup.translate (escaped HTML, macros) stays Markup; ASCII holds no bidi control
    # (isascii is one C call: most of what a page prints is ASCII).
    if isinstance(value, str) and not value.isascii():
        return value.translate(_BIDI_CONTROLS)
    return value


def _headers(response):
    headers = response.headers
    if response.mimetype == "image/svg+xml":
        headers["Content-Security-Policy"] = SVG_CSP
    else:
        headers.setdefault("Content-Security-Policy", CSP)
    headers["X-Content-Type-Options"] = "nosniff"
    headers["X-Frame-Options"] = "DENY"
    headers["Referrer-Policy"] = "same-origin"
    headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=(), payment=()"
    headers["Cross-Origin-Opener-Policy"] = "same-origin"
    if request.endpoint != "static":
        # Pages show readers' words and moderators' work: never kept by a browser or proxy.
        headers["Cache-Control"] = "no-store"
        headers["Pragma"] = "no-cache"
    if request.is_secure:
        headers.setdefault("Strict-Transport-Security", "max-age=31536000")
    return response


def init_app(app: Flask) -> None:
    app.config.setdefault("SESSION_COOKIE_HTTPONLY", True)
    app.config.setdefault("SESSION_COOKIE_SAMESITE", "Lax")
    if app.config.get("ENV_NAME", "development") not in ("development", "testing"):
        app.config["SESSION_COOKIE_SECURE"] = True
        app.config["REMEMBER_COOKIE_SECURE"] = True
    app.after_request(_headers)
    app.jinja_env.finalize = strip_bidi_controls
