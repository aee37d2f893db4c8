"""Standard Webhooks signatures: make secrets, sign messages, verify them in constant time."""
from __future__ import annotations

import base64
import hashlib
import hmac
import re
import secrets
import time
from collections.abc import Iterable, Mapping

# A prefix, not a secret.
SECRET_PREFIX = "whsec_"  # noqa: S105  # nosec B105
# Unix seconds as ASCII digits: int() alone also takes "1_700_000_000", Arabic-Indic digits
# and 400-digit numbers (which overflowed the float comparison below: a 500).
_TIMESTAMP = re.compile(r"-?[0-9]{1,15}")


class SignatureError(Exception):
    """Not authentic: missing headers, a stale timestamp or no matching signature."""


def new_secret() -> str:
    return SECRET_PREFIX + base64.b64encode(secrets.token_bytes(32)).decode()


def secret_key(secret: str) -> bytes:
    raw = secret[len(SECRET_PREFIX):] if secret.startswith(SECRET_PREFIX) else secret
    return base64.b64decode(raw)


def sign(secret: str, msg_id: str, timestamp: int, body: bytes) -> str:
    """The `webhook-signature` value for one secret: `v1,<base64 HMAC-SHA256>`."""
    signed = f"{msg_id}.{timestamp}.".encode() + body
    digest = hmac.new(secret_key(secret), signed, hashlib.sha256).digest()
    return "v1," + base64.b64encode(digest).decode()


def sign_headers(secret: str, body: bytes, msg_id: str | None = None,
                 timestamp: int | None = None) -> dict[str, str]:
    msg_id = msg_id or "msg_" + secrets.token_hex(12)
    timestamp = int(time.time()) if timestamp is None else timestamp
    return {
        "webhook-id": msg_id,
        "webhook-timestamp": str(timestamp),
        "webhook-signature": sign(secret, msg_id, timestamp, body),
    }


def verify(headers: Mapping[str, str], body: bytes, secrets_: Iterable[str], *,
           tolerance: int = 300, now: float | None = None) -> str:
    """Check a delivery; return its webhook-id or raise SignatureError saying why."""
    msg_id = headers.get("webhook-id")
    ts_header = headers.get("webhook-timestamp")
    sig_header = headers.get("webhook-signature")
    if not msg_id or not ts_header or not sig_header:
        raise SignatureError(
            "missing webhook-id, webhook-timestamp or webhook-signature header")
    if not _TIMESTAMP.fullmatch(ts_header):
        raise SignatureError("webhook-timestamp is not an integer of seconds")
    timestamp = int(ts_header)
    now = time.time() if now is None else now
    if abs(now - timestamp) > tolerance:
        raise SignatureError(f"webhook-timestamp is more than {tolerance} s from now")
    given = [part.split(",", 1)[1].encode() for part in sig_header.split()
             if part.startswith("v1,")]
    if not given:
        raise SignatureError("webhook-signature has no v1 signature")
    matched = False
    for secret in secrets_:
        try:
            expected = sign(secret, msg_id, timestamp, body).split(",", 1)[1].encode()
        except (ValueError, TypeError):
            continue
        for candidate in given:
            # Check every pair so timing does not tell which secret or signature matched.
            matched |= hmac.compare_digest(expected, candidate)
    if not matched:
        raise SignatureError("no signature matches the site's secrets")
    return msg_id
