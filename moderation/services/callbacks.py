"""Decision callbacks: an outbox written with the decision, delivered signed, with retries."""
from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import dataclass

import requests
from sqlalchemy.orm import Session

from ..db import utcnow, write_transaction
from ..models import CallbackOutbox, Decision, ReviewItem, Site
from ..secretbox import open_secret
from ..settings import Settings
from ..signing import sign_headers
from .outbox import claim_due, recent, settle

# Decisions a site acts on; escalate and not_a_concern stay inside the moderation team.
SENT_ACTIONS = {"approve", "hide", "replied"}
# Standard Webhooks' suggested schedule: seconds to wait before each retry.
DEFAULT_SCHEDULE = (5, 300, 1800, 7200, 18000, 36000, 36000)


def enqueue_decision(session: Session, decision: Decision) -> CallbackOutbox | None:
    """Call inside the decision's transaction: the callback commits (or not) with it."""
    if decision.action not in SENT_ACTIONS:
        return None
    item = decision.review_item or session.get(ReviewItem, decision.review_item_id)
    comment = item.comment
    site = comment.site
    if not site.callback_url:
        return None
    data = {"comment_id": comment.id, "external_id": comment.external_id, "site": site.slug,
            "action": decision.action,
            "decided_at": (decision.created_at or utcnow()).isoformat()}
    if decision.action == "replied":
        data["reply_text"] = decision.reply_text
        data["resources"] = decision.resources or []
    row = CallbackOutbox(site_id=site.id, decision=decision, url=site.callback_url,
                         payload={"type": "comment.decision", "data": data})
    session.add(row)
    return row


@dataclass(frozen=True)
class DeliveryReport:
    delivered: int
    retried: int
    failed: int


Poster = Callable[[str, bytes, dict[str, str]], int]


class _NoSecret(Exception):
    pass


def _http_post(url: str, body: bytes, headers: dict[str, str]) -> int:
    return requests.post(url, data=body, headers=headers, timeout=10).status_code


def deliver_due(session: Session, settings: Settings, *,
                schedule: tuple[int, ...] = DEFAULT_SCHEDULE,
                limit: int = 100, post: Poster = _http_post) -> DeliveryReport:
    """Send every due callback once; failures are rescheduled, or marked failed at the end
    of the schedule (shown to admins). The network call is made outside any transaction."""
    delivered = retried = failed = 0
    for row_id in claim_due(session, CallbackOutbox, utcnow(), limit):
        row = session.get(CallbackOutbox, row_id)
        site = session.get(Site, row.site_id)
        # The site's callback secret, never its webhook secret: a callback replayed to the
        # inbound webhook must not verify there.
        secrets = site.active_callback_secrets()
        sealed, slug = (secrets[-1].secret if secrets else None), site.slug
        body = json.dumps({**row.payload, "timestamp": utcnow().isoformat()}).encode()
        msg_id = f"decision_{row.decision_id}"  # stable: the site can deduplicate retries
        session.rollback()
        error = None
        try:
            if sealed is None:
                raise _NoSecret("the site has no callback secret: flask sites rotate-secret "
                                f"{slug} --callback")
            signed = sign_headers(open_secret(sealed, settings.secrets_key), body, msg_id)
            status = post(row.url, body, {**signed, "Content-Type": "application/json"})
            if not 200 <= status < 300:
                error = f"HTTP {status}"
        except (requests.RequestException, OSError, _NoSecret) as exc:
            error = f"{exc.__class__.__name__}: {exc}"[:500]
        with write_transaction(session):
            outcome = settle(session.get(CallbackOutbox, row_id), error, schedule)
        delivered += outcome == "delivered"
        retried += outcome == "retried"
        failed += outcome == "failed"
    return DeliveryReport(delivered, retried, failed)


def deliver_forever(session: Session, settings: Settings, *, interval: float = 2.0,
                    **kwargs) -> None:
    while True:
        report = deliver_due(session, settings, **kwargs)
        if not (report.delivered or report.retried or report.failed):
            time.sleep(interval)


def outbox_rows(session: Session, *, problems_only: bool = False, limit: int = 200):
    return recent(session, CallbackOutbox, problems_only=problems_only, limit=limit)

