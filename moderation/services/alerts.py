"""Alerts for urgent queue items, by e-mail (SMTP) and a chat webhook (Slack-compatible
`{"text": ...}`, which Mattermost and Teams workflows accept too).

Events: an item with an alerting flag arrives (to the site's alert recipients); it is still
unclaimed at half its deadline, and it is overdue (to the site's leads); a moderator escalates
an item of any flag, and the escalation is overdue (to the leads). The worker
(`flask alerts deliver`) plans alerts from the queue itself, so every way an item is made
(webhook, Perspective API, Coral phase, rescore) is covered and nothing is lost across a
restart: each alert is one outbox row per item, event, channel and recipient (a unique dedupe
key), delivered at least once with retries and backoff.

An alert never carries the comment's words or the reader's identity (health data stays in the
service): the flag, the site, the article title, the deadline and the item's link.
"""
from __future__ import annotations

import hashlib
import re
import smtplib
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.message import EmailMessage
from email.utils import make_msgid
from typing import Any

import requests
import sqlalchemy as sa
from sqlalchemy.orm import Session

from .. import policy
from ..db import utcnow, write_transaction
from ..errors import Invalid, NotFound
from ..models import AlertOutbox, Comment, ItemState, ReviewItem, Site, User, has_flag
from . import audit, outbox
from .outbox import claim_due, release, settle

EVENTS = ("arrived", "half_deadline", "overdue", "escalated", "escalation_late")
ALERTABLE = policy.values()
DEFAULT_ON = policy.values(policy.DEFAULT_ALERT_FLAGS)
_EMAIL = re.compile(r"[^@\s,;<>]+@[^@\s,;<>]+\.[^@\s,;<>]+")
_URL = re.compile(r"https?://[^\s]{1,1990}")


@dataclass(frozen=True)
class AlertSettings:
    """What the worker needs from the app's configuration (built once by the command)."""
    dashboard_url: str = "http://127.0.0.1:5000"
    mail_server: str | None = None
    mail_port: int = 25
    mail_use_tls: bool = False
    mail_username: str | None = None
    mail_password: str | None = None
    mail_sender: str = "moderation@localhost"
    schedule: tuple[float, ...] = (5, 30, 120, 600, 1800, 3600)
    lookback: timedelta = timedelta(hours=24)  # older events are not alerted

    @classmethod
    def from_config(cls, config: Any) -> AlertSettings:
        schedule = config.get("ALERT_RETRY_SCHEDULE") or cls.schedule
        if isinstance(schedule, str):
            schedule = tuple(float(x) for x in schedule.split(",") if x.strip())
        return cls(dashboard_url=config.get("DASHBOARD_URL") or cls.dashboard_url,
                   mail_server=config.get("MAIL_SERVER") or None,
                   mail_port=int(config.get("MAIL_PORT") or 25),
                   mail_use_tls=bool(config.get("MAIL_USE_TLS")),
                   mail_username=config.get("MAIL_USERNAME") or None,
                   mail_password=config.get("MAIL_PASSWORD") or None,
                   mail_sender=config.get("MAIL_DEFAULT_SENDER") or cls.mail_sender,
                   schedule=tuple(schedule))


# --- settings per site ----------------------------------------------------------------------

def _emails(values: Iterable[str], what: str) -> list[str]:
    out = []
    for value in values:
        value = value.strip()
        if not value:
            continue
        if not _EMAIL.fullmatch(value) or len(value) > 254:
            raise Invalid(f"{what}: {value!r} is not an e-mail address")
        out.append(value.lower())
    return list(dict.fromkeys(out))


def configure_alerts(session: Session, slug: str, *, emails: Iterable[str] = (),
                     chat_url: str | None = None, on: Iterable[str] = DEFAULT_ON,
                     leads: Iterable[str] = (), actor: User | None = None,
                     address: str | None = None) -> Site:
    """Set a site's alerts (replacing the previous settings); no recipient at all turns
    them off. Audited, without the addresses (they are staff's, but need not be in the log)."""
    emails, leads = _emails(emails, "--email"), _emails(leads, "--leads")
    chat_url = (chat_url or "").strip() or None
    if chat_url and not _URL.fullmatch(chat_url):
        raise Invalid("the chat URL must be an http(s) URL")
    flags = list(dict.fromkeys(f.strip() for f in on if f.strip()))
    unknown = [f for f in flags if f not in ALERTABLE]
    if unknown or not flags:
        raise Invalid(f"--on takes flags among {', '.join(ALERTABLE)}")
    with write_transaction(session):
        site = session.scalar(sa.select(Site).where(Site.slug == slug))
        if site is None:
            raise NotFound(f"no site named {slug!r}")
        site.alerts = ({"email": emails, "chat_url": chat_url, "on": flags, "leads": leads}
                       if emails or chat_url or leads else None)
        audit.record(session, "site.alerts", actor=actor, actor_label="cli",
                     target_type="site", target_id=slug,
                     details={"emails": len(emails), "leads": len(leads),
                              "chat": chat_url is not None, "on": flags},
                     address=address)
    return site


# --- planning -------------------------------------------------------------------------------

def _dedupe(item_id: int, event: str, channel: str, target: str) -> str:
    return hashlib.sha256(f"{item_id}\x1f{event}\x1f{channel}\x1f{target}".encode()).hexdigest()


def _message(event: str, item, site_slug: str, title: str | None,
             settings: AlertSettings) -> dict[str, str]:
    """Subject and text: the flag, site, article title, deadline and link; never the words."""
    flag = item.flags[0]
    due = item.due_at.strftime("%Y-%m-%d %H:%M UTC")
    what = {"arrived": f"New {flag} item", "half_deadline": f"Unclaimed {flag} item, half its "
            "time gone", "overdue": f"OVERDUE {flag} item",
            "escalated": f"Escalated {flag} item, for a lead",
            "escalation_late": f"OVERDUE escalated {flag} item"}[event]
    link = f"{settings.dashboard_url.rstrip('/')}/items/{item.id}"
    lines = [f"{what} on {site_slug}.", f"Article: {title or '(none given)'}",
             f"Respond by: {due}", f"Open it: {link}", "",
             "The comment's words and the reader's identity are not in this message: "
             "they stay in the moderation service."]
    return {"subject": f"[{flag}] {what} on {site_slug}, due {due}", "text": "\n".join(lines)}


def _recipients(config: dict, event: str) -> list[tuple[str, str]]:
    # arrivals to the alert list; reminders and escalations to the leads (else the list)
    people = config.get("email") or []
    if event != "arrived":
        people = config.get("leads") or people
    out = [("email", address) for address in people]
    if config.get("chat_url"):
        out.append(("chat", config["chat_url"]))
    return out


def _candidates(session: Session, site_ids: list[int], flags: set[str], now: datetime,
                lookback: timedelta):
    """Unresolved items of alerting sites with an alerting flag, made or due recently, with
    the events already planned for each."""
    since = now - lookback
    query = (sa.select(ReviewItem, Site.slug, Comment.article_title)
             .join(Site, Site.id == ReviewItem.site_id)
             .join(Comment, Comment.id == ReviewItem.comment_id)
             .where(ReviewItem.site_id.in_(site_ids),
                    ReviewItem.state != ItemState.RESOLVED.value,
                    sa.or_(ReviewItem.created_at >= since, ReviewItem.due_at >= since),
                    sa.or_(ReviewItem.state == ItemState.ESCALATED.value,
                           *(has_flag(f) for f in sorted(flags)))))
    rows = session.execute(query).all()
    if not rows:
        return [], {}
    done: dict[int, set[str]] = {}
    for item_id, event in session.execute(
            sa.select(AlertOutbox.review_item_id, AlertOutbox.event).distinct()
            .where(AlertOutbox.review_item_id.in_([r[0].id for r in rows]))):
        done.setdefault(item_id, set()).add(event)
    return rows, done


def _events_due(item: ReviewItem, done: set[str], now: datetime, lookback: timedelta):
    if item.state == ItemState.ESCALATED.value:  # a moderator asked the leads: any flag
        if "escalated" not in done:
            yield "escalated"
        if "escalation_late" not in done and now >= item.due_at >= now - lookback:
            yield "escalation_late"
        return
    if "arrived" not in done and item.created_at >= now - lookback:
        yield "arrived"
    unclaimed = item.claimed_by_id is None or (item.lease_expires_at or now) <= now
    halfway = item.created_at + (item.due_at - item.created_at) / 2
    if "half_deadline" not in done and unclaimed and halfway <= now < item.due_at:
        yield "half_deadline"
    if "overdue" not in done and now >= item.due_at >= now - lookback:
        yield "overdue"


def plan(session: Session, settings: AlertSettings, now: datetime | None = None) -> int:
    """Add the outbox rows for every alert now due (each once: the dedupe key is unique, so
    two workers planning at once cannot double an alert). Returns how many were added."""
    now = now or utcnow()
    configs = {sid: cfg for sid, cfg in session.execute(sa.select(Site.id, Site.alerts))
               if isinstance(cfg, dict)}
    if not configs:
        session.rollback()
        return 0
    flags = {f for cfg in configs.values() for f in cfg.get("on") or DEFAULT_ON}
    rows, done = _candidates(session, list(configs), flags, now, settings.lookback)
    new: list[dict[str, Any]] = []
    for item, slug, title in rows:
        config = configs[item.site_id]
        if (item.state != ItemState.ESCALATED.value
                and not set(item.flags) & set(config.get("on") or DEFAULT_ON)):
            continue
        for event in _events_due(item, done.get(item.id, set()), now, settings.lookback):
            message = _message(event, item, slug, title, settings)
            for channel, target in _recipients(config, event):
                new.append({"site_id": item.site_id, "review_item_id": item.id,
                            "event": event, "channel": channel, "target": target,
                            "dedupe_key": _dedupe(item.id, event, channel, target),
                            "payload": message, "created_at": now, "attempts": 0,
                            "next_attempt_at": now})
    session.rollback()
    if not new:
        return 0
    dialect = session.get_bind().dialect.name
    if dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    statement = insert(AlertOutbox.__table__).on_conflict_do_nothing(
        index_elements=["dedupe_key"]).returning(AlertOutbox.__table__.c.id)
    with write_transaction(session):
        return len(session.execute(statement, new).all())


# --- delivery -------------------------------------------------------------------------------

def send_email(settings: AlertSettings, to: str, subject: str, text: str,
               message_id: str) -> None:
    """One message over SMTP (the standard library's client; STARTTLS and login when set)."""
    if not settings.mail_server:
        raise RuntimeError("MAIL_SERVER is not set")
    message = EmailMessage()
    message["From"], message["To"], message["Subject"] = settings.mail_sender, to, subject
    message["Message-ID"] = message_id  # stable per alert: a mail client drops a re-send
    message.set_content(text)
    with smtplib.SMTP(settings.mail_server, settings.mail_port, timeout=10) as smtp:
        if settings.mail_use_tls:
            smtp.starttls()
        if settings.mail_username:
            smtp.login(settings.mail_username, settings.mail_password or "")
        smtp.send_message(message)


def post_chat(url: str, text: str) -> None:
    response = requests.post(url, json={"text": text}, timeout=10)
    if not 200 <= response.status_code < 300:
        raise RuntimeError(f"HTTP {response.status_code}")


@dataclass(frozen=True)
class Report:
    planned: int
    delivered: int
    retried: int
    failed: int


def deliver_due(session: Session, settings: AlertSettings, *, limit: int = 100,
                email: Callable[..., None] = send_email,
                chat: Callable[[str, str], None] = post_chat,
                should_stop: Callable[[], bool] = lambda: False) -> tuple[int, int, int]:
    """Send every due alert once (outside any transaction), then settle it. Told to stop,
    it hands the alerts it claimed but did not send back at once (no lease to wait out)."""
    counts = {"delivered": 0, "retried": 0, "failed": 0}
    claimed = claim_due(session, AlertOutbox, utcnow(), limit)
    for n, row_id in enumerate(claimed):
        if should_stop():
            release(session, AlertOutbox, claimed[n:])
            break
        row = session.get(AlertOutbox, row_id)
        channel, target, payload = row.channel, row.target, dict(row.payload)
        session.rollback()
        error = None
        try:
            if channel == "email":
                email(settings, target, payload["subject"], payload["text"],
                      make_msgid(f"alert-{row_id}", "moderation.local"))
            else:
                chat(target, f"*{payload['subject']}*\n{payload['text']}")
        except (OSError, smtplib.SMTPException, requests.RequestException, RuntimeError) as exc:
            error = f"{exc.__class__.__name__}: {exc}"
        with write_transaction(session):
            counts[settle(session.get(AlertOutbox, row_id), error, settings.schedule)] += 1
    return counts["delivered"], counts["retried"], counts["failed"]


def run_once(session: Session, settings: AlertSettings, **kwargs) -> Report:
    planned = plan(session, settings)
    return Report(planned, *deliver_due(session, settings, **kwargs))


def run_forever(session: Session, settings: AlertSettings, *, interval: float = 1.0,
                should_stop: Callable[[], bool] = lambda: False) -> None:
    """Plan and deliver until told to stop (a SIGTERM ends it after the alert being sent)."""
    while not should_stop():
        report = run_once(session, settings, should_stop=should_stop)
        if not (report.planned or report.delivered or report.retried or report.failed):
            time.sleep(interval)


def outbox_rows(session: Session, *, problems_only: bool = False, limit: int = 200):
    return outbox.recent(session, AlertOutbox, problems_only=problems_only, limit=limit)
