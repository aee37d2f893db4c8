"""Rate limits that cost one counter per call, taken after authentication: a valid caller's
quota is its own, and failed attempts count against the caller's address in a separate
bucket (so unsigned traffic cannot use up a site's quota).

With Redis (`RATELIMIT_STORAGE_URI=redis://...`) a call is one round trip (the limiter's
storage). With the default `memory://` the counters are this process's own fixed windows:
one dict update under a lock per call. (The `limits` library's memory storage starts a
Timer thread on most calls to expire its keys: on the webhook that was a thread start per
delivery.)"""
from __future__ import annotations

import threading
import time
from functools import cache

from flask import current_app, request
from limits import RateLimitItem, parse

from ..auth import SESSIONLESS_PATHS
from ..extensions import limiter


@limiter.request_filter
def _counted_here() -> bool:
    """Flask-Limiter's own check, run before every request, has nothing to do on the APIs
    whose calls are counted here (after authentication)."""
    return request.path.startswith(SESSIONLESS_PATHS)


@cache
def _item(spec: str) -> RateLimitItem:
    return parse(spec)


class _Windows:
    """Fixed windows in memory, as the limiter's fixed-window strategy counts them: a window
    opens at a key's first call and lasts the limit's period; every call counts, refused ones
    too. Expired keys are dropped once the table grows past PURGE_AT (no timer thread)."""

    PURGE_AT = 10_000

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._windows: dict[tuple[str, str, str], tuple[float, int]] = {}  # -> (ends, count)

    def hit(self, item: RateLimitItem, namespace: str, who: str) -> bool:
        key, now = (str(item), namespace, who), time.time()
        with self._lock:
            ends, count = self._windows.get(key, (0.0, 0))
            if ends <= now:
                if len(self._windows) >= self.PURGE_AT:
                    self._windows = {k: v for k, v in self._windows.items() if v[0] > now}
                ends, count = now + item.get_expiry(), 0
            self._windows[key] = (ends, count + 1)
        return count + 1 <= item.amount

    def reset_at(self, item: RateLimitItem, namespace: str, who: str) -> float:
        ends, _ = self._windows.get((str(item), namespace, who), (0.0, 0))
        return max(ends, time.time())


def _windows() -> _Windows | None:
    """This app's in-memory windows, or None when the limits are kept in a shared storage."""
    if not current_app.config.get("RATELIMIT_STORAGE_URI", "memory://").startswith("memory:"):
        return None
    windows = current_app.extensions.get("quota_windows")
    if windows is None:
        windows = current_app.extensions.setdefault("quota_windows", _Windows())
    return windows


def key_namespace(namespace: str) -> str:
    """`namespace` under the app's RATELIMIT_KEY_PREFIX: deployments that share one Redis
    keep their own counters (these limits are counted on the storage directly, which does
    not add the prefix as Flask-Limiter's decorators do)."""
    return current_app.config.get("RATELIMIT_KEY_PREFIX", "") + namespace


def allow(setting: str, namespace: str, who: str) -> bool:
    """Count one call of `who` against the limit in config `setting`; False past it."""
    if not limiter.enabled:
        return True
    item, windows = _item(current_app.config[setting]), _windows()
    if windows is not None:
        return windows.hit(item, key_namespace(namespace), who)
    return limiter.limiter.hit(item, key_namespace(namespace), who)


def reset_at(setting: str, namespace: str, who: str) -> float:
    """When `who`'s current window of the limit in `setting` ends (a Unix time)."""
    item, windows = _item(current_app.config[setting]), _windows()
    if windows is not None:
        return windows.reset_at(item, key_namespace(namespace), who)
    at, _ = limiter.limiter.get_window_stats(item, key_namespace(namespace), who)
    return at
