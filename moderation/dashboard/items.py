"""The item page: GET shows it (reading claims nothing); POST claim, heartbeat, release, take
over, decide, undo, reopen."""
from __future__ import annotations

from flask import flash, jsonify, redirect, render_template, request, session, url_for
from flask_login import current_user

from .. import policy
from ..auth import safe_next
from ..db import MAX_ROW_ID
from ..errors import Conflict, Forbidden, Invalid
from ..extensions import app_settings, db
from ..services import queue as service
from . import ACTION_LABELS, bp, break_reminder, deadline
from .forms import DecisionForm, EmptyForm, ReasonForm

SUPPORT_FLAGS = set(policy.values(policy.SUPPORT_FLAGS))
# An id no row can have is 404 from the router.
ITEM = f"/items/<int(max={MAX_ROW_ID}):item_id>"


def _user():
    return current_user._get_current_object()


def _wants_json() -> bool:
    return request.accept_mimetypes.best == "application/json"


def _suggestions(comment) -> dict | None:
    """Resources and a reply draft for a reader who may need support."""
    analysis = comment.analysis
    if analysis is None or not SUPPORT_FLAGS & set(analysis.flags or ()):
        return None
    from ..services.support import suggestions_for_comment
    return suggestions_for_comment(db.session, comment)


def _page(item_id: int, form: DecisionForm | None = None, problems=None, error=None,
          status: int = 200):
    context = service.item_context(db.session, item_id)
    user = _user()
    suggestions = _suggestions(context.comment)
    if form is None:
        form = DecisionForm()
        if suggestions and suggestions.get("draft"):
            form.reply_text.data = suggestions["draft"]
    undoable = {d.id: d for d in service.undoable(db.session, app_settings(), user)
                if d.item_id == item_id}
    return render_template(
        "dashboard/item.html", ctx=context, item=context.item, comment=context.comment,
        access=service.access(db.session, context.item, user), form=form,
        suggestions=suggestions, problems=problems, error=error,
        problem_spans=[{"start": p["start"], "end": p["end"], "label": "problem",
                        "reason": p["message"]} for p in (problems.problems if problems else [])],
        reason_needed={action: service.needs_reason(context.item.flags, action)
                       for action in service.ACTIONS},
        undoable=undoable, reason_form=ReasonForm(), action_form=EmptyForm(),
        break_after=break_reminder(db.session, user),
        lease_seconds=app_settings().claim_lease_seconds), status


@bp.get(ITEM)
def item(item_id: int):
    return _page(item_id)


@bp.post(f"{ITEM}/decide")
def decide(item_id: int):
    form = DecisionForm()
    if not form.validate():
        return _page(item_id, form, status=422)
    try:
        service.decide(db.session, app_settings(), item_id, _user(), form.action.data,
                       note=form.note.data, reply_text=form.reply_text.data,
                       resources=request.form.getlist("resources"),
                       confirm_warnings=form.confirm_warnings.data, reason=form.reason.data,
                       address=request.remote_addr)
    except service.ReplyProblems as exc:
        return _page(item_id, form, problems=exc, status=422)
    except Invalid as exc:
        # The form comes back as it was, with the error beside the field it is about.
        field = (exc.details or {}).get("field") if isinstance(exc.details, dict) else None
        return _page(item_id, form, error={"field": field, "message": exc.message,
                                           "action": form.action.data}, status=422)
    except (Conflict, Forbidden) as exc:
        flash(f"Not recorded: {exc.message}.", "error")
        return redirect(url_for("dashboard.item", item_id=item_id))
    label = ACTION_LABELS.get(form.action.data, form.action.data).lower()
    flash(f"#{item_id}: {label} recorded. You can undo it for "
          f"{app_settings().undo_seconds // 60} minutes (under “Your recent decisions”).",
          "success")
    return redirect(safe_next(form.back.data))


@bp.post(f"{ITEM}/claim")
def claim(item_id: int):
    """"Work on this", or the first keystroke in the draft: the moderator claims the item."""
    try:
        expires = service.claim(db.session, app_settings(), item_id, _user())
    except (Conflict, Forbidden) as exc:
        if _wants_json():
            return jsonify({"held": False, "message": exc.message}), exc.status
        flash(f"Not claimed: {exc.message}.", "error")
        return redirect(url_for("dashboard.item", item_id=item_id))
    if _wants_json():
        return jsonify({"held": True, "lease_expires_at": expires.isoformat()})
    return redirect(url_for("dashboard.item", item_id=item_id))


@bp.post(f"{ITEM}/lease")
def renew(item_id: int):
    """The open item page's heartbeat: keeps this moderator's claim, or says who has it."""
    try:
        expires = service.renew_lease(db.session, app_settings(), item_id, _user())
    except (Conflict, Forbidden) as exc:
        return jsonify({"held": False, "message": exc.message}), 409
    return jsonify({"held": True, "lease_expires_at": expires.isoformat()})


@bp.post(f"{ITEM}/release")
def release(item_id: int):
    """The moderator puts the item back (a button), or the page went away (a beacon)."""
    released = service.release(db.session, item_id, _user())
    if request.form.get("beacon"):
        return "", 204
    if released:
        flash(f"#{item_id} is back in the queue.", "info")
    return redirect(url_for("dashboard.queue"))


@bp.post(f"{ITEM}/takeover")
def take_over(item_id: int):
    EmptyForm()  # CSRF checked by CSRFProtect before the view
    try:
        previous = service.take_over(db.session, app_settings(), item_id, _user(),
                                     address=request.remote_addr)
    except Conflict as exc:
        flash(f"Not taken over: {exc.message}.", "error")
        return redirect(url_for("dashboard.item", item_id=item_id))
    if previous:
        flash(f"You have taken #{item_id} over from {previous}; they see it on their page.",
              "info")
    return redirect(url_for("dashboard.item", item_id=item_id))


@bp.post(f"{ITEM}/reopen")
def reopen(item_id: int):
    form = ReasonForm()
    try:
        item = service.reopen(db.session, app_settings(), item_id, _user(), form.reason.data,
                              address=request.remote_addr)
    except service.NeedsReason as exc:
        flash(f"Not reopened: {exc.message}.", "error")
        return redirect(url_for("dashboard.item", item_id=item_id))
    except Conflict as exc:
        flash(f"Not reopened: {exc.message}.", "error")
        return redirect(url_for("dashboard.item", item_id=item_id))
    flash(f"#{item_id} is back in the open queue, {deadline(item)['text']}.", "success")
    return redirect(url_for("dashboard.item", item_id=item_id))


@bp.post(f"/decisions/<int(max={MAX_ROW_ID}):decision_id>/undo")
def undo(decision_id: int):
    EmptyForm()
    try:
        item = service.undo(db.session, app_settings(), decision_id, _user(),
                            address=request.remote_addr)
    except Conflict as exc:
        flash(f"Not undone: {exc.message}.", "error")
        return redirect(safe_next(request.form.get("back")))
    flash(f"#{item.id}: the decision is undone; the item is yours to decide again.", "success")
    return redirect(url_for("dashboard.item", item_id=item.id))


@bp.post("/wellbeing/break")
def take_a_break():
    """The "take a break" reminder: either choice starts the count again."""
    EmptyForm()
    session["break_after_decision"] = service.latest_decision_id(db.session, _user())
    if request.form.get("choice") == "break":
        return render_template("dashboard/break.html")
    return redirect(safe_next(request.form.get("back")))
