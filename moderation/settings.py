"""What the services read from the configuration, as one value.

`create_app` builds it once from the app's config (`Settings.from_config`) and keeps it in
`app.extensions`; views, the API and the CLI take it from there
(`moderation.extensions.app_settings()`) and pass it to the services, which never read a Flask
global. A script or a test builds one itself and calls the services with a plain SQLAlchemy
session. No Flask here.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from . import policy


def _frozen(mapping: Mapping[str, Any] | None) -> Mapping[str, Any]:
    return MappingProxyType(dict(mapping or {}))


@dataclass(frozen=True)
class LoginLimits:
    """Sign-in limits (services/login_limits.py): after `free_attempts` failures an e-mail and
    address pair waits `delay_base_seconds`, doubling, at most `delay_max_seconds`; one address
    gets `address_max_failures` failures per `address_window_seconds`."""

    free_attempts: int = 5
    delay_base_seconds: float = 1.0
    delay_max_seconds: float = 900.0
    address_max_failures: int = 100
    address_window_seconds: float = 900.0


@dataclass(frozen=True)
class Settings:
    # Fernet keys, comma-separated, newest first, that seal signing secrets (secretbox.py).
    secrets_key: str
    # Key of author pseudonyms and erased-content markers (PSEUDONYM_KEY, else SECRET_KEY).
    pseudonym_key: str
    # Per-flag threshold overrides for every site (None: the engine's defaults).
    flag_thresholds: Mapping[str, float] | None = None
    # Minutes per flag before an item is due, and an escalated item's own deadline.
    response_deadlines: Mapping[str, int] = field(
        default_factory=lambda: _frozen(policy.deadlines()))
    escalation_deadlines: Mapping[str, int] = field(
        default_factory=lambda: _frozen(policy.escalation_deadlines()))
    claim_lease_seconds: int = 120
    undo_seconds: int = 600
    retention_days: int = 365
    login: LoginLimits = field(default_factory=LoginLimits)

    def __post_init__(self) -> None:
        if not self.secrets_key:
            raise ValueError("Settings need a secrets_key (SECRETS_KEY)")
        if not self.pseudonym_key:
            raise ValueError("Settings need a pseudonym_key (PSEUDONYM_KEY or SECRET_KEY)")
        for name in ("flag_thresholds", "response_deadlines", "escalation_deadlines"):
            value = getattr(self, name)
            if value is not None and not isinstance(value, MappingProxyType):
                object.__setattr__(self, name, _frozen(value))

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> Settings:
        """From a Flask app's config (or any mapping with the same keys)."""
        def get(key: str, default: Any) -> Any:
            value = config.get(key)
            return default if value is None else value

        return cls(
            secrets_key=config.get("SECRETS_KEY") or "",
            pseudonym_key=config.get("PSEUDONYM_KEY") or config.get("SECRET_KEY") or "",
            flag_thresholds=config.get("FLAG_THRESHOLDS") or None,
            response_deadlines=config.get("RESPONSE_DEADLINES") or policy.deadlines(),
            escalation_deadlines=(config.get("ESCALATION_DEADLINES")
                                  or policy.escalation_deadlines()),
            claim_lease_seconds=int(get("CLAIM_LEASE_SECONDS", 120)),
            undo_seconds=int(get("UNDO_SECONDS", 600)),
            retention_days=int(get("RETENTION_DAYS", 365)),
            login=LoginLimits(
                free_attempts=int(get("LOGIN_FREE_ATTEMPTS", 5)),
                delay_base_seconds=float(get("LOGIN_DELAY_BASE_SECONDS", 1)),
                delay_max_seconds=float(get("LOGIN_DELAY_MAX_SECONDS", 900)),
                address_max_failures=int(get("LOGIN_ADDRESS_MAX_FAILURES", 100)),
                address_window_seconds=float(get("LOGIN_ADDRESS_WINDOW_SECONDS", 900))))
