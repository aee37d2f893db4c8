"""Coral Talk's external moderation phase: verify, read, score, store, and say what to do.

Coral posts an `ExternalModerationRequest` for each new or edited comment, signed in
`X-Coral-Signature` (`sha256=<hex HMAC-SHA256 of the raw body>`, one per active secret while
a secret is rolled), and waits for the answer within its phase timeout. A flagged comment is
answered with a FLAG action, so it lands in Coral's Reported queue; nothing is rejected or
withheld automatically unless a site opted in to PREMOD for threats.
"""
from __future__ import annotations

import hashlib
import hmac
import re
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from ..db import utcnow, write_transaction
from ..errors import Invalid
from ..models import CoralSecret, Site
from ..payload import MAX_ID, MAX_TEXT, CommentIn
from ..policy import Flag
from ..secretbox import seal_secret
from ..settings import Settings
from . import audit
from .ingest import SiteRef, live_secrets
from .perspective import html_to_text
from .sites import end_by, get_site

# Coral's roles; staff comments are scored but never queued (Coral approves them itself).
STAFF_ROLES = frozenset({"ADMIN", "MODERATOR", "STAFF"})
FLAG = {"actionType": "FLAG", "reason": "COMMENT_DETECTED_TOXIC"}
_URL = re.compile(r"^https?://\S{1,1990}$")
_TAG = re.compile(r"</?[A-Za-z][^>]*>")  # Coral sends HTML unless the phase asks for text


def add_secret(session: Session, settings: Settings, slug: str, secret: str, *,
               grace_hours: int = 24,
               premod_threat: bool | None = None) -> CoralSecret:
    """Keep the signing secret Coral shows for the phase; secrets given earlier keep working
    for `grace_hours` (Coral signs with both while it rolls a secret)."""
    secret = secret.strip()
    if not 16 <= len(secret) <= 200 or not secret.isprintable() or " " in secret:
        raise Invalid("a Coral signing secret is 16 to 200 printable characters, no spaces")
    if not 0 <= grace_hours <= 24 * 90:
        raise Invalid("--grace-hours is from 0 to 2160 (90 days)")
    with write_transaction(session):
        site = get_site(session, slug)
        now = utcnow()
        end_by(session.scalars(sa.select(CoralSecret).where(CoralSecret.site_id == site.id)),
               now + timedelta(hours=grace_hours))
        row = CoralSecret(site_id=site.id, secret=seal_secret(secret, settings.secrets_key),
                          created_at=now)
        session.add(row)
        if premod_threat is not None:
            site.coral_premod_threat = premod_threat
        audit.record(session, "coral.secret", actor_label="cli", target_type="site",
                     target_id=slug, details={"grace_hours": grace_hours,
                                              "premod_threat": site.coral_premod_threat})
    return row


@dataclass(frozen=True)
class PhaseSite:
    ref: SiteRef
    premod_threat: bool
    secrets: tuple[str, ...]


_PHASE_SITE = (
    sa.select(Site.id, Site.slug, Site.thresholds, Site.coral_premod_threat,
              CoralSecret.secret, CoralSecret.expires_at)
    .outerjoin(CoralSecret, CoralSecret.site_id == Site.id)
    .where(Site.slug == sa.bindparam("slug")).order_by(CoralSecret.id))


def phase_site(session: Session, settings: Settings, slug: str) -> PhaseSite | None:
    """The site, its PREMOD opt-in and its active Coral secrets (one query)."""
    rows = session.connection().execute(_PHASE_SITE, {"slug": slug}).all()
    if not rows:
        return None
    first = rows[0]
    return PhaseSite(SiteRef(first.id, first.slug, first.thresholds, ()),
                     bool(first.coral_premod_threat), live_secrets(rows, settings))


def signature_valid(header: str | None, body: bytes, secrets: tuple[str, ...]) -> bool:
    """Any `sha256=<hex>` in the header made with any active secret (constant-time)."""
    if not header or not secrets or len(header) > 4096:
        return False
    given = [v.strip() for p, _, v in (part.strip().partition("=") for part in header.split(","))
             if p == "sha256"]
    for secret in secrets:
        expected = hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
        if any(hmac.compare_digest(expected.encode(), g.encode("ascii", "replace"))
               for g in given):
            return True
    return False


@dataclass(frozen=True)
class PhaseRequest:
    action: str
    text: str
    author_id: str
    staff: bool
    story_id: str
    story_url: str | None
    tenant_id: str

    def comment(self, language: str | None = None) -> CommentIn:
        """The comment as stored: Coral sends no comment id, so the id is a hash of where and
        by whom it was written and what it says (a retried phase call is stored once)."""
        key = "\x1f".join((self.tenant_id, self.story_id, self.author_id, self.text))
        return CommentIn(external_id="coral:" + hashlib.sha256(key.encode()).hexdigest(),
                         text=self.text, author_id=self.author_id, article_url=self.story_url,
                         language=language)


def _string(obj: Any, key: str, path: str, errors: list[dict], *, limit: int = MAX_ID,
            required: bool = True) -> str | None:
    value = obj.get(key) if isinstance(obj, dict) else None
    if value is None and not required:
        return None
    if not isinstance(value, str) or (required and not value.strip()) or len(value) > limit \
            or "\x00" in value or any(0xD800 <= ord(c) <= 0xDFFF for c in value):
        errors.append({"path": f"{path}.{key}",
                       "message": f"must be a string of 1 to {limit} characters"})
        return None
    return value


def parse_request(payload: Any, html: bool = False) -> PhaseRequest:
    """Check an ExternalModerationRequest; Invalid (422) lists each bad field."""
    if not isinstance(payload, dict):
        raise Invalid("the body must be a JSON object (an ExternalModerationRequest)")
    errors: list[dict] = []
    action = payload.get("action")
    if action not in ("NEW", "EDIT"):
        errors.append({"path": "$.action", "message": "must be NEW or EDIT"})
    comment, author, story = (payload.get(k) if isinstance(payload.get(k), dict) else {}
                              for k in ("comment", "author", "story"))
    body = _string(comment, "body", "$.comment", errors, limit=MAX_TEXT * 2)
    author_id = _string(author, "id", "$.author", errors)
    role = _string(author, "role", "$.author", errors, limit=32) or ""
    story_id = _string(story, "id", "$.story", errors)
    story_url = _string(story, "url", "$.story", errors, limit=2000, required=False)
    tenant = _string(payload, "tenantID", "$", errors)
    if errors:
        raise Invalid("the body is not an ExternalModerationRequest", errors)
    text = html_to_text(body) if html or _TAG.search(body) else body
    if len(text) > MAX_TEXT:
        raise Invalid("the comment is too long", [{"path": "$.comment.body",
                                                    "message": f"over {MAX_TEXT} characters"}])
    return PhaseRequest(action, text, author_id, role.upper() in STAFF_ROLES, story_id,
                        story_url if story_url and _URL.match(story_url) else None, tenant)


def answer(flags: tuple[str, ...] | list[str], premod_threat: bool) -> dict[str, Any] | None:
    """Coral's ExternalModerationResponse: None (204) when nothing is flagged; a FLAG action
    for any flag (Coral has no distress reason: the flag makes a human look); a PREMOD
    status only for a threat, and only where the site opted in."""
    if not flags:
        return None
    out: dict[str, Any] = {"actions": [dict(FLAG)]}
    if premod_threat and Flag.THREAT in flags:
        out["status"] = "PREMOD"
    return out
