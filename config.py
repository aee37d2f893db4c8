"""Configuration classes, read from environment variables (12-factor style)."""
from __future__ import annotations

import base64
import os
import secrets
from pathlib import Path

from moderation import policy

BASE_DIR = Path(__file__).resolve().parent
INSTANCE_DIR = Path(os.environ.get("MODERATION_INSTANCE", BASE_DIR / "instance"))


def _env_int(name: str, default: int) -> int:
    return int(os.environ.get(name, default))


def _dev_secret_key(name: str = "secret_key", make=lambda: secrets.token_urlsafe(48)) -> str:
    """A random key kept in the instance folder, so sessions survive restarts in development."""
    INSTANCE_DIR.mkdir(parents=True, exist_ok=True)
    path = INSTANCE_DIR / name
    if not path.exists():
        path.write_text(make())
        path.chmod(0o600)
    return path.read_text().strip()


def _fernet_key() -> str:
    """A Fernet key: 32 random bytes, URL-safe base64 (what Fernet.generate_key() makes)."""
    return base64.urlsafe_b64encode(secrets.token_bytes(32)).decode()


class Config:
    ENV_NAME = "development"
    SECRET_KEY = os.environ.get("SECRET_KEY")
    SQLALCHEMY_DATABASE_URI = os.environ.get(
        "DATABASE_URL", f"sqlite:///{INSTANCE_DIR / 'moderation.sqlite3'}"
    )
    # PostgreSQL: a pooled connection unused this long is pinged before use (not every one:
    # moderation/db.py, ping_when_idle). A local SQLite file cannot drop: never pinged.
    POOL_PING_IDLE_SECONDS = float(os.environ.get("POOL_PING_IDLE_SECONDS", 5))
    # SQLite: how long a writer waits for the lock before giving up (seconds).
    SQLITE_BUSY_TIMEOUT = float(os.environ.get("SQLITE_BUSY_TIMEOUT", 10))

    MAX_CONTENT_LENGTH = 1024 * 1024  # webhook bodies over 1 MiB get 413
    WEBHOOK_TOLERANCE_SECONDS = _env_int("WEBHOOK_TOLERANCE_SECONDS", 300)
    WEBHOOK_MAX_BATCH = 100
    WEBHOOK_RATE_LIMIT = os.environ.get("WEBHOOK_RATE_LIMIT", "100 per second")
    SECRET_ROTATION_GRACE_HOURS = _env_int("SECRET_ROTATION_GRACE_HOURS", 24)
    # Admins' API tokens expire this many days after they are issued (`users token --days`).
    API_TOKEN_DAYS = _env_int("API_TOKEN_DAYS", 90)

    RATELIMIT_STORAGE_URI = os.environ.get("RATELIMIT_STORAGE_URI", "memory://")
    # The Perspective API per valid key; bad keys and signatures (Perspective, Coral) per address
    PERSPECTIVE_RATE_LIMIT = os.environ.get("PERSPECTIVE_RATE_LIMIT", "50 per second")
    BAD_AUTH_RATE_LIMIT = os.environ.get("BAD_AUTH_RATE_LIMIT", "30 per minute")
    # No X-RateLimit-*/Retry-After on every response: a 429 gets Retry-After (errors.py).
    RATELIMIT_HEADERS_ENABLED = False

    # Flag thresholds: None means the tone engine's DEFAULT_THRESHOLDS; a site may override.
    FLAG_THRESHOLDS: dict[str, float] | None = None
    # Response deadlines per flag, in minutes (defaults: moderation/policy.py).
    RESPONSE_DEADLINES = policy.deadlines()
    # A claim is a short lease, renewed by the open item page's heartbeat (a third of it).
    CLAIM_LEASE_SECONDS = _env_int("CLAIM_LEASE_SECONDS", 120)
    # An escalated item's own deadline per flag, in minutes (the leads' response time).
    ESCALATION_DEADLINES = policy.escalation_deadlines()
    UNDO_SECONDS = _env_int("UNDO_SECONDS", 600)  # how long a decision's author may undo it
    BREAK_AFTER_CRISIS_ITEMS = _env_int("BREAK_AFTER_CRISIS_ITEMS", 5)  # "take a break" after N
    # Alerts (`flask alerts deliver`): links point at DASHBOARD_URL; e-mail over SMTP.
    DASHBOARD_URL = os.environ.get("DASHBOARD_URL", "http://127.0.0.1:5000")
    MAIL_SERVER = os.environ.get("MAIL_SERVER")
    MAIL_PORT = _env_int("MAIL_PORT", 25)
    MAIL_USE_TLS = os.environ.get("MAIL_USE_TLS", "").lower() in ("1", "true", "yes")
    MAIL_USERNAME = os.environ.get("MAIL_USERNAME")
    MAIL_PASSWORD = os.environ.get("MAIL_PASSWORD")
    MAIL_DEFAULT_SENDER = os.environ.get("MAIL_DEFAULT_SENDER", "moderation@localhost")
    # seconds before each retry of a failed alert, comma-separated
    ALERT_RETRY_SCHEDULE = os.environ.get("ALERT_RETRY_SCHEDULE", "5,30,120,600,1800,3600")
    RETENTION_DAYS = _env_int("RETENTION_DAYS", 365)
    # Key for author pseudonyms in exports; defaults to SECRET_KEY when unset.
    PSEUDONYM_KEY = os.environ.get("PSEUDONYM_KEY")
    # Fernet keys (comma-separated, newest first) that encrypt webhook, callback and Coral
    # secrets at rest; development generates one into instance/secrets_key.
    SECRETS_KEY = os.environ.get("SECRETS_KEY")

    # Sign-in limits (services/login_limits.py, in the database: shared by every worker):
    # after LOGIN_FREE_ATTEMPTS failures an e-mail and address pair waits 1 s, 2 s, 4 s, ...
    # (at most LOGIN_DELAY_MAX_SECONDS); one address gets LOGIN_ADDRESS_MAX_FAILURES
    # failures per LOGIN_ADDRESS_WINDOW_SECONDS.
    LOGIN_FREE_ATTEMPTS = _env_int("LOGIN_FREE_ATTEMPTS", 5)
    LOGIN_DELAY_BASE_SECONDS = float(os.environ.get("LOGIN_DELAY_BASE_SECONDS", 1))
    LOGIN_DELAY_MAX_SECONDS = float(os.environ.get("LOGIN_DELAY_MAX_SECONDS", 900))
    LOGIN_ADDRESS_MAX_FAILURES = _env_int("LOGIN_ADDRESS_MAX_FAILURES", 100)
    LOGIN_ADDRESS_WINDOW_SECONDS = _env_int("LOGIN_ADDRESS_WINDOW_SECONDS", 900)

    # A dashboard session ends after this long without a request, and this long in all.
    SESSION_IDLE_HOURS = float(os.environ.get("SESSION_IDLE_HOURS", 8))
    SESSION_MAX_DAYS = float(os.environ.get("SESSION_MAX_DAYS", 7))
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = False
    REMEMBER_COOKIE_HTTPONLY = True
    WTF_CSRF_TIME_LIMIT = None

    def __init__(self) -> None:
        if not self.SECRET_KEY:
            self.SECRET_KEY = _dev_secret_key()
        if not self.SECRETS_KEY:
            self.SECRETS_KEY = _dev_secret_key("secrets_key", _fernet_key)


class DevelopmentConfig(Config):
    pass


class ProductionConfig(Config):
    ENV_NAME = "production"
    SESSION_COOKIE_SECURE = True
    REMEMBER_COOKIE_SECURE = True

    def __init__(self) -> None:
        if not self.SECRET_KEY:
            raise RuntimeError("SECRET_KEY must be set in production")
        if not os.environ.get("DATABASE_URL"):
            raise RuntimeError("DATABASE_URL must be set in production")
        if not self.SECRETS_KEY:
            raise RuntimeError("SECRETS_KEY must be set in production")


class TestConfig(Config):
    """Tests: a fresh database per test (set by the fixtures), fixed key, no CSRF in API tests."""

    ENV_NAME = "testing"
    TESTING = True
    SECRET_KEY = "test-secret-key-not-for-production"  # noqa: S105  (tests only)
    SECRETS_KEY = "dGVzdC1zZWNyZXRzLWtleS1ub3QtZm9yLXByb2R1Y3Q="  # noqa: S105  (tests only)
    SQLALCHEMY_DATABASE_URI = os.environ.get("DATABASE_URL", "sqlite://")
    RATELIMIT_STORAGE_URI = "memory://"
    WEBHOOK_RATE_LIMIT = "10000 per second"
    PERSPECTIVE_RATE_LIMIT = "10000 per second"
    BAD_AUTH_RATE_LIMIT = "10000 per second"
    SQLITE_BUSY_TIMEOUT = 20.0


def config_from_env() -> Config:
    name = os.environ.get("MODERATION_ENV", "development")
    cls = {"development": DevelopmentConfig, "production": ProductionConfig,
           "testing": TestConfig}[name]
    return cls()
