"""Rate limits that cost one counter per call, taken after authentication: a valid caller's
quota is its own, and failed attempts count against the caller's address in a separate
bucket (so unsigned traffic cannot use up a site's quota)."""
from __future__ import annotations

from functools import cache

from flask import current_app
from limits import RateLimitItem, parse

from ..extensions import limiter


@cache
def _item(spec: str) -> RateLimitItem:
    return parse(spec)


def key_namespace(namespace: str) -> str:
    """`namespace` under the app's RATELIMIT_KEY_PREFIX: deployments that share one Redis
    keep their own counters (these limits are counted on the storage directly, which does
    not add the prefix as Flask-Limiter's decorators do)."""
    return current_app.config.get("RATELIMIT_KEY_PREFIX", "") + namespace


def allow(setting: str, namespace: str, who: str) -> bool:
    """Count one call of `who` against the limit in config `setting`; False past it."""
    if not limiter.enabled:
        return True
    return limiter.limiter.hit(_item(current_app.config[setting]), key_namespace(namespace),
                               who)


def reset_at(setting: str, namespace: str, who: str) -> float:
    """When `who`'s current window of the limit in `setting` ends (a Unix time)."""
    at, _ = limiter.limiter.get_window_stats(_item(current_app.config[setting]),
                                             key_namespace(namespace), who)
    return at
