"""The moderators' dashboard: queue and item pages (`dashboard`), admin pages (`admin`)."""
from __future__ import annotations

from datetime import datetime

from flask import Blueprint, Flask, current_app, url_for

from ..db import utcnow
from ..models import ReviewItem
from . import highlight

bp = Blueprint("dashboard", __name__)
admin_bp = Blueprint("admin", __name__, url_prefix="/admin")

FLAG_LABELS = {"crisis": "Crisis", "threat": "Threat", "distress": "Distress",
               "hostile": "Hostile", "unscored": "Not scored: read it"}
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


@bp.context_processor
def _row_urls():
    # Built once per page, not once per row: url_for is a noticeable share of the queue
    # page's time at fifty rows.
    return {"item_prefix": url_for("dashboard.item", item_id=0)[:-1],
            "queue_url": url_for("dashboard.queue")}


def init_app(app: Flask) -> None:
    from . import admin, items, queue, resources  # noqa: F401  (routes register on import)

    app.jinja_env.globals.update(
        FLAG_LABELS=FLAG_LABELS, ACTION_LABELS=ACTION_LABELS, age=age, deadline=deadline,
        segments=highlight.segments, latest_evidence=latest_evidence, duration=duration)

    @app.context_processor
    def _deadlines():
        return {"RESPONSE_DEADLINES": current_app.config["RESPONSE_DEADLINES"]}


    app.register_blueprint(bp)
    app.register_blueprint(admin_bp)
