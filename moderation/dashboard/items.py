"""The item page: GET claims and shows it; POST decide, renew the lease, release it."""
from __future__ import annotations

from flask import flash, jsonify, redirect, render_template, request, url_for
from flask_login import current_user

from ..auth import safe_next
from ..db import MAX_ROW_ID
from ..errors import Conflict
from ..extensions import db
from ..services import queue as service
from . import bp
from .forms import DecisionForm, EmptyForm

SUPPORT_FLAGS = {"crisis", "distress"}
# An id no row can have is 404 from the router.
ITEM = f"/items/<int(max={MAX_ROW_ID}):item_id>"


def _suggestions(comment) -> dict | None:
    """Resources and a reply draft for a reader who may need support."""
    analysis = comment.analysis
    if analysis is None or not SUPPORT_FLAGS & set(analysis.flags or ()):
        return None
    from ..services.support import suggestions_for_comment
    return suggestions_for_comment(db.session, comment)


def _page(item_id: int, claim, form: DecisionForm | None = None, problems=None,
          status: int = 200):
    context = service.item_context(db.session, item_id)
    suggestions = _suggestions(context.comment)
    if form is None:
        form = DecisionForm()
        if suggestions and suggestions.get("draft"):
            form.reply_text.data = suggestions["draft"]
    return render_template(
        "dashboard/item.html", ctx=context, item=context.item, comment=context.comment,
        claim=claim, form=form, suggestions=suggestions, problems=problems,
        problem_spans=[{"start": p["start"], "end": p["end"], "label": "problem",
                        "reason": p["message"]} for p in (problems.problems if problems else [])],
        release_form=EmptyForm(), lease_seconds=service.lease_seconds()), status


@bp.get(ITEM)
def item(item_id: int):
    claim = service.claim(db.session, item_id, current_user._get_current_object())
    return _page(item_id, claim)


@bp.post(f"{ITEM}/decide")
def decide(item_id: int):
    form = DecisionForm()
    user = current_user._get_current_object()
    if not form.validate():
        claim = service.claim(db.session, item_id, user)
        return _page(item_id, claim, form, status=422)
    try:
        service.decide(db.session, item_id, user, form.action.data, note=form.note.data,
                       reply_text=form.reply_text.data,
                       resources=request.form.getlist("resources"),
                       confirm_warnings=form.confirm_warnings.data)
    except service.ReplyProblems as exc:
        claim = service.claim(db.session, item_id, user)
        return _page(item_id, claim, form, problems=exc, status=422)
    except Conflict as exc:
        flash(f"Not recorded: {exc.message}.", "error")
        return redirect(url_for("dashboard.item", item_id=item_id))
    flash(f"#{item_id}: {form.action.data.replace('_', ' ')} recorded.", "success")
    return redirect(safe_next(form.back.data))


@bp.post(f"{ITEM}/lease")
def renew(item_id: int):
    """Called by the item page every minute while it is open."""
    try:
        expires = service.renew_lease(db.session, item_id, current_user._get_current_object())
    except Conflict as exc:
        return jsonify({"held": False, "message": exc.message}), 409
    return jsonify({"held": True, "lease_expires_at": expires.isoformat()})


@bp.post(f"{ITEM}/release")
def release(item_id: int):
    service.release(db.session, item_id, current_user._get_current_object())
    flash(f"#{item_id} is back in the queue.", "info")
    return redirect(url_for("dashboard.queue"))


