"""The moderators' dashboard: queue and item pages (`dashboard`), admin pages (`admin`)."""
from __future__ import annotations

import functools
from datetime import datetime

from flask import Blueprint, Flask, current_app, session, url_for

from .. import policy
from ..db import utcnow
from ..extensions import app_settings
from ..models import ReviewItem
from . import highlight

bp = Blueprint("dashboard", __name__)
admin_bp = Blueprint("admin", __name__, url_prefix="/admin")

FLAG_LABELS = policy.labels()
ACTION_LABELS = {"approve": "Approve", "hide": "Hide", "escalate": "Escalate",
                 "replied": "Replied", "not_a_concern": "Not a concern"}


def duration(seconds: float) -> str:
    """'45 s', '12 min', '3 h 5 min', '2 d 4 h': short enough for a queue row."""
    seconds = int(abs(seconds))
    if seconds < 60:
        return f"{seconds} s"
    minutes = seconds // 60
    if minutes < 60:
        return f"{minutes} min"
    hours, minutes = divmod(minutes, 60)
    if hours < 48:
        return f"{hours} h {minutes} min" if minutes else f"{hours} h"
    days, hours = divmod(hours, 24)
    return f"{days} d {hours} h" if hours else f"{days} d"


def age(moment: datetime | None, now: datetime | None = None) -> str:
    if moment is None:
        return ""
    return duration(((now or utcnow()) - moment).total_seconds())


def deadline(item: ReviewItem, now: datetime | None = None) -> dict:
    """When the item is due, and whether it is late (resolved items: whether it was)."""
    now = item.resolved_at or now or utcnow()
    left = (item.due_at - now).total_seconds()
    overdue = left < 0
    if item.resolved_at is not None:
        text = f"decided {duration(left)} late" if overdue else "decided in time"
    else:
        text = f"overdue {duration(left)}" if overdue else f"due in {duration(left)}"
    return {"overdue": overdue, "text": text, "at": item.due_at}


def latest_evidence(comment) -> list:
    analysis = comment.analysis
    return list(analysis.evidence or []) if analysis else []


def evidence_list(text: str | None, evidence: list) -> list[dict]:
    """"Why it was flagged": each span once, with every label (most urgent first) and the
    reasons given for it. The engine reports a span once per flag it explains."""
    order = {flag: i for i, flag in enumerate(policy.values())}
    spans: dict[tuple[int, int], dict] = {}
    for span in evidence or []:
        try:
            key = (int(span["start"]), int(span["end"]))
        except (KeyError, TypeError, ValueError):
            continue
        entry = spans.setdefault(key, {"start": key[0], "end": key[1], "labels": [],
                                       "reasons": [], "text": (text or "")[key[0]:key[1]]})
        label, reason = span.get("label"), span.get("reason")
        rank = order.get(label, len(order))
        if label and label not in entry["labels"]:
            entry["labels"].append(label)
        if reason and reason not in (r for _, r in entry["reasons"]):
            entry["reasons"].append((rank, reason))
    for entry in spans.values():
        entry["labels"].sort(key=lambda label: order.get(label, len(order)))
        entry["reasons"] = [r for _, r in sorted(entry["reasons"], key=lambda p: p[0])]
    return sorted(spans.values(), key=lambda e: (e["start"], e["end"]))


def break_reminder(db_session, user) -> int | None:
    """N when this moderator's last N decisions in a row were on crisis items (since they
    last answered the reminder), else None."""
    from ..services.queue import crisis_streak
    after = int(current_app.config.get("BREAK_AFTER_CRISIS_ITEMS", 5) or 0)
    if after <= 0:
        return None
    streak = crisis_streak(db_session, user, session.get("break_after_decision", 0),
                           limit=after)
    return streak if streak >= after else None


@bp.context_processor
def _row_urls():
    # Built once per page, not once per row: url_for is a noticeable share of the queue
    # page's time at fifty rows.
    return {"item_prefix": url_for("dashboard.item", item_id=0)[:-1],
            "queue_url": url_for("dashboard.queue")}


def init_app(app: Flask) -> None:
    """Template globals and the route modules (create_app registers the blueprints)."""
    from . import admin, items, queue, resources, rows, settings  # noqa: F401  (routes register)

    app.jinja_env.globals.update(
        FLAG_LABELS=FLAG_LABELS, ACTION_LABELS=ACTION_LABELS, age=age, deadline=deadline,
        segments=highlight.segments, latest_evidence=latest_evidence, duration=duration,
        evidence_list=evidence_list,
        queue_row_html=functools.partial(rows.queue_row, app.jinja_env))

    @app.context_processor
    def _deadlines():
        return {"RESPONSE_DEADLINES": app_settings().response_deadlines}
