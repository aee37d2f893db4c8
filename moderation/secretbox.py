"""Secrets at rest: webhook, callback and Coral signing secrets are stored encrypted with
SECRETS_KEY (Fernet; several keys, newest first, for rotation) and opened only to verify a
signature or sign a callback. The keys are passed in (Settings.secrets_key): no Flask here."""
from __future__ import annotations

from functools import cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet


class SecretsKeyError(RuntimeError):
    """A stored secret cannot be opened with any key in SECRETS_KEY."""


@cache
def _box(keys: str) -> MultiFernet:
    return MultiFernet([Fernet(k.strip().encode()) for k in keys.split(",") if k.strip()])


def box(keys: str) -> MultiFernet:
    if not keys:
        raise SecretsKeyError("no SECRETS_KEY: secrets cannot be sealed or opened")
    return _box(keys)


def seal_secret(secret: str, keys: str) -> str:
    """The secret encrypted with the newest key (what the database stores)."""
    return box(keys).encrypt(secret.encode()).decode()


def open_secret(token: str, keys: str) -> str:
    """The secret in clear, for one verification or signature; never stored or logged."""
    try:
        return box(keys).decrypt(token.encode()).decode()
    except InvalidToken:
        raise SecretsKeyError("a stored secret does not open with SECRETS_KEY (was the key "
                              "that sealed it removed?)") from None


def reseal_secret(token: str, keys: str) -> str:
    """The same secret encrypted with the newest key (key rotation)."""
    try:
        return box(keys).rotate(token.encode()).decode()
    except InvalidToken:
        raise SecretsKeyError("a stored secret does not open with SECRETS_KEY") from None
