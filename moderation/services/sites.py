"""Sites and their signing secrets (webhook, decision callbacks): create, rotate (with a
grace period), look up. Secrets are stored encrypted (moderation/secretbox.py)."""
from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import Session

from ..db import utcnow, write_transaction
from ..errors import Conflict, Invalid, NotFound
from ..models import CallbackSecret, RotatingSecret, Site, SiteSecret, User
from ..secretbox import seal_secret
from ..settings import Settings
from ..signing import new_secret
from . import audit

_SLUG = re.compile(r"[a-z0-9][a-z0-9-]{0,62}")  # fullmatch: `$` let "news\n" through
_CALLBACK_URL = re.compile(r"https?://\S+")
# An old secret keeps working for at most 30 days after a rotation.
MAX_GRACE_HOURS = 30 * 24


def is_site_name(slug: str) -> bool:
    """Whether `slug` could name a site (the whole of it: no trailing newline), so a URL
    that names no possible site is refused without a query."""
    return _SLUG.fullmatch(slug) is not None


def get_site(session: Session, slug: str) -> Site:
    site = session.scalar(sa.select(Site).where(Site.slug == slug))
    if site is None:
        raise NotFound(f"no site named {slug!r}")
    return site


@dataclass(frozen=True)
class NewSite:
    site: Site
    secret: str            # the webhook secret, shown once
    callback_secret: str   # signs decision callbacks, shown once


def create_site(session: Session, settings: Settings, slug: str, **kwargs) -> tuple[Site, str]:
    """Make a site and its first secrets; return the site and its webhook secret."""
    made = create_site_with_secrets(session, settings, slug, **kwargs)
    return made.site, made.secret


def create_site_with_secrets(session: Session, settings: Settings, slug: str, *,
                             name: str | None = None, region: str | None = None,
                             callback_url: str | None = None, actor: User | None = None,
                             address: str | None = None) -> NewSite:
    """Make a site, its webhook secret and its callback secret (each shown once), sealed
    with settings.secrets_key."""
    if not is_site_name(slug):
        raise Invalid("a site name is 1-63 lowercase letters, digits and dashes")
    if region is not None and not re.fullmatch(r"[A-Za-z]{2}", region):
        raise Invalid("region must be an ISO 3166-1 alpha-2 code such as GB")
    with write_transaction(session):
        if session.scalar(sa.select(Site.id).where(Site.slug == slug)):
            raise Conflict(f"a site named {slug!r} exists")
        secret, callback_secret = new_secret(), new_secret()
        site = Site(slug=slug, name=name or slug, callback_url=callback_url,
                    default_region=region.upper() if region else None)
        site.secrets.append(SiteSecret(secret=seal_secret(secret, settings.secrets_key)))
        site.callback_secrets.append(CallbackSecret(
            secret=seal_secret(callback_secret, settings.secrets_key)))
        session.add(site)
        session.flush()
        audit.record(session, "site.create", actor=actor, actor_label="cli",
                     target_type="site", target_id=site.slug,
                     details={"region": site.default_region}, address=address)
    return NewSite(site, secret, callback_secret)


def end_by(secrets: Iterable[RotatingSecret], expires: datetime) -> None:
    """A rotation's grace period: every earlier secret stops working at `expires` at the
    latest (one that ends sooner keeps its own end)."""
    for old in secrets:
        if old.expires_at is None or old.expires_at > expires:
            old.expires_at = expires


def rotate_secret(session: Session, settings: Settings, slug: str, *, grace_hours: int = 24,
                  actor: User | None = None, purpose: str = "webhook",
                  address: str | None = None) -> str:
    """A new secret; the old ones stay valid for `grace_hours` so senders can switch.
    `purpose` "callback": the secret that signs decision callbacks (the site's receiver
    accepts the old one meanwhile)."""
    if purpose not in ("webhook", "callback"):
        raise Invalid("a secret is for the webhook or the callbacks")
    if not 0 <= grace_hours <= MAX_GRACE_HOURS:
        raise Invalid(f"the grace period is 0 to {MAX_GRACE_HOURS} hours")
    with write_transaction(session):
        site = get_site(session, slug)
        now = utcnow()
        expires = now + timedelta(hours=grace_hours)
        callback = purpose == "callback"
        end_by(site.callback_secrets if callback else site.secrets, expires)
        secret = new_secret()
        sealed = seal_secret(secret, settings.secrets_key)
        if callback:
            site.callback_secrets.append(CallbackSecret(secret=sealed, created_at=now))
        else:
            site.secrets.append(SiteSecret(secret=sealed, created_at=now))
        audit.record(session, "site.rotate_secret", actor=actor, actor_label="cli",
                     target_type="site", target_id=slug,
                     details={"grace_hours": grace_hours, "purpose": purpose},
                     address=address)
    return secret


def configure_site(session: Session, slug: str, *, region: str | None = None,
                   callback_url: str | None = None,
                   thresholds: dict[str, float] | None = None,
                   topic_keywords: dict[str, list[str]] | None = None,
                   actor: User | None = None, address: str | None = None) -> Site:
    """Change a site's settings: default region, callback URL, flag thresholds (a site's
    tuning of the tone engine), extra article-topic keywords. Audited."""
    from ..analysis import FLAG_URGENCY
    from ..resources import build_keyword_map
    if region is not None and not re.fullmatch(r"[A-Za-z]{2}", region):
        raise Invalid("region must be an ISO 3166-1 alpha-2 code such as GB")
    if callback_url is not None and callback_url and not _CALLBACK_URL.fullmatch(callback_url):
        raise Invalid("the callback URL must be an http(s) URL")
    for flag, value in (thresholds or {}).items():
        if flag not in FLAG_URGENCY or not 0.0 < value <= 1.0:
            raise Invalid(f"a threshold is one of {', '.join(FLAG_URGENCY)} = a number in (0, 1]")
    if topic_keywords:
        try:
            build_keyword_map(topic_keywords)
        except ValueError as exc:
            raise Invalid(f"topic keywords: {exc}") from None
    with write_transaction(session):
        site = get_site(session, slug)
        changes: dict[str, object] = {}
        if region is not None:
            site.default_region = changes["region"] = region.upper()
        if callback_url is not None:
            site.callback_url = changes["callback_url"] = callback_url or None
        if thresholds:
            site.thresholds = changes["thresholds"] = {**(site.thresholds or {}), **thresholds}
        if topic_keywords:
            site.topic_keywords = changes["topic_keywords"] = {
                **(site.topic_keywords or {}), **topic_keywords}
        audit.record(session, "site.configure", actor=actor, actor_label="cli",
                     target_type="site", target_id=slug, details=changes, address=address)
    return site
