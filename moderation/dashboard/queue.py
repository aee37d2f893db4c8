"""GET /queue (filters, keyset pages), POST /queue/next, POST /queue/bulk, GET /queue/poll."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta

from flask import (
    current_app,
    flash,
    get_template_attribute,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user

from ..auth import safe_next
from ..db import MAX_ROW_ID, utcnow
from ..errors import Invalid
from ..extensions import app_settings, db
from ..policy import Flag
from ..services import queue as service
from . import bp
from .forms import BulkForm, EmptyForm


@bp.get("/")
def home():
    return redirect(url_for("dashboard.queue"))


@bp.get("/queue")
def queue():
    filters = service.QueueFilters.from_args(request.args)
    counts = service.page_counts(db.session)  # one round trip, which also sees lapsed leases
    if counts.lapsed:
        service.release_expired(db.session)
        counts = service.page_counts(db.session)
    page = service.list_queue(db.session, filters, after=request.args.get("after"))
    shown = page.items + page.claimed
    # New crisis items are added live to the first page of the unfiltered (or crisis) view.
    live = (filters.state == "open" and not request.args.get("after")
            and filters.flag in (None, Flag.CRISIS)
            and not (filters.site or filters.article or filters.q))
    user = current_user._get_current_object()
    return render_template(
        "dashboard/queue.html", page=page, filters=filters, live=live,
        after_id=max((i.id for i in shown if i.urgency == 1), default=0),
        crisis=counts.crisis, escalated=counts.escalated,
        recent=service.undoable(db.session, app_settings(), user),
        read_first=service.READ_FIRST_URGENCY,
        sites=service.site_choices(db.session), flags=service.FLAGS, states=service.STATES,
        bulk_form=BulkForm(), next_form=EmptyForm(), now=utcnow(),
        drawn_at=int(utcnow().timestamp()),
        poll_ms=int(float(current_app.config.get("QUEUE_POLL_SECONDS", 5)) * 1000))


@bp.post("/queue/next")
def next_item():
    flag = request.form.get("flag") or None
    if flag is not None and flag not in service.FLAGS:
        raise Invalid("unknown flag")
    escalated = request.form.get("state") == service.ItemState.ESCALATED.value
    item = service.claim_next(db.session, app_settings(), current_user._get_current_object(),
                              flag=flag, escalated=escalated)
    if item is None:
        flash("Nothing is waiting: the queue is clear.", "info")
        return redirect(url_for("dashboard.queue", state="escalated") if escalated
                        else url_for("dashboard.queue"))
    return redirect(url_for("dashboard.item", item_id=item.id))


@bp.post("/queue/bulk")
def bulk():
    form = BulkForm()
    if not form.validate():
        raise Invalid("choose a decision for the selected items")
    try:
        ids = [int(i) for i in request.form.getlist("item_ids")]
    except ValueError:
        raise Invalid("the selection is not valid") from None
    if not all(0 < i <= MAX_ROW_ID for i in ids):
        raise Invalid("the selection is not valid")
    result = service.bulk_decide(db.session, app_settings(), ids,
                                 current_user._get_current_object(), form.action.data,
                                 note=form.note.data, address=request.remote_addr)
    label = form.action.data.replace("_", " ")
    flash(f"{label.capitalize()}: {len(result.decided)} item(s).", "success")
    if result.skipped:
        flash(f"{len(result.skipped)} item(s) skipped: "
              + ", ".join(f"#{i} {why}" for i, why in sorted(result.skipped.items())),
              "warning")
    return redirect(safe_next(request.form.get("back")))


@bp.get("/queue/poll")
def poll():
    """Small JSON for the 5-second poll: the undecided crisis count and new crisis rows."""
    try:
        after = int(request.args.get("after", 0))
        drawn = datetime.fromtimestamp(int(request.args.get("since", 0)), tz=UTC)
    except (ValueError, OverflowError, OSError):
        raise Invalid("after and since are integers") from None
    if not 0 <= after <= MAX_ROW_ID:
        raise Invalid("after is not an item id")
    since = max(drawn - timedelta(seconds=60), utcnow() - timedelta(days=1))
    items = service.new_urgent_items(db.session, after, since)
    row = get_template_attribute("_macros.html", "queue_row")
    now = utcnow()
    return jsonify({
        "crisis_waiting": service.count_waiting(db.session, urgency=1).total,
        "items": [{"id": item.id, "html": str(row(item, now, new=True))} for item in items],
    })
