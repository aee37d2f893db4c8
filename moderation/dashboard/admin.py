"""Admin pages: users (invite, role, disable), API tokens (list, revoke), sites (create,
rotate secret), audit, stats."""
from __future__ import annotations

from datetime import UTC, datetime

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user

from ..auth import admin_required
from ..db import MAX_ROW_ID
from ..errors import Invalid, ServiceError
from ..extensions import app_settings, db
from ..services import accounts, tokens
from ..services.sites import create_site, rotate_secret
from . import admin_bp as bp
from .forms import ActiveForm, EmptyForm, InviteForm, RoleForm, SiteForm


def _actor():
    return current_user._get_current_object()


@bp.get("/")
@admin_required
def index():
    return redirect(url_for("admin.users"))


# ----------------------------------------------------------------------------- users

def _users_page(invite_form=None, invitation=None, status=200):
    return render_template(
        "admin/users.html", users=accounts.list_users(db.session),
        invite_form=invite_form or InviteForm(), role_form=RoleForm(),
        active_form=ActiveForm(), invitation=invitation), status


@bp.get("/users")
@admin_required
def users():
    return _users_page()


@bp.post("/users")
@admin_required
def invite():
    form = InviteForm()
    if not form.validate():
        return _users_page(form, status=422)
    try:
        invitation = accounts.invite_user(db.session, form.email.data, form.role.data,
                                          actor=_actor(), address=request.remote_addr)
    except ServiceError as exc:
        form.email.errors.append(exc.message)
        return _users_page(form, status=exc.status)
    # The first password is shown once, on this response only (never stored in clear).
    return _users_page(invitation=invitation)


@bp.post(f"/users/<int(max={MAX_ROW_ID}):user_id>/role")
@admin_required
def set_role(user_id: int):
    form = RoleForm()
    if not form.validate():
        raise Invalid("role must be admin or moderator")
    user = accounts.set_role(db.session, user_id, form.role.data, actor=_actor(),
                             address=request.remote_addr)
    flash(f"{user.email} is now {user.role}.", "success")
    return redirect(url_for("admin.users"))


@bp.post(f"/users/<int(max={MAX_ROW_ID}):user_id>/active")
@admin_required
def set_active(user_id: int):
    form = ActiveForm()
    if not form.validate():
        raise Invalid("choose enable or disable")
    user = accounts.set_active(db.session, user_id, form.active.data == "1", actor=_actor(),
                               address=request.remote_addr)
    flash(f"{user.email} is {'enabled' if user.active else 'disabled'}.", "success")
    return redirect(url_for("admin.users"))


@bp.post(f"/users/<int(max={MAX_ROW_ID}):user_id>/sign-out")
@admin_required
def sign_out_everywhere(user_id: int):
    EmptyForm()  # CSRF checked by CSRFProtect before the view
    user = accounts.sign_out_everywhere(db.session, user_id, actor=_actor(),
                                        address=request.remote_addr)
    flash(f"{user.email} is signed out everywhere.", "success")
    return redirect(url_for("admin.users"))


# ----------------------------------------------------------------------------- API tokens

@bp.get("/tokens")
@admin_required
def tokens_page():
    return render_template("admin/tokens.html", tokens=tokens.list_tokens(db.session),
                           revoke_form=EmptyForm(), now=datetime.now(UTC))


@bp.post(f"/tokens/<int(max={MAX_ROW_ID}):token_id>/revoke")
@admin_required
def revoke_token(token_id: int):
    EmptyForm()  # CSRF checked by CSRFProtect before the view
    row = tokens.revoke_token(db.session, token_id, actor=_actor(),
                              address=request.remote_addr)
    flash(f"Token {row.prefix or f'#{row.id}'} of {row.user.email} is revoked.", "success")
    return redirect(url_for("admin.tokens_page"))


# ----------------------------------------------------------------------------- sites

def _sites_page(form=None, shown_secret=None, status=200):
    return render_template("admin/sites.html", sites=accounts.list_sites(db.session),
                           form=form or SiteForm(), rotate_form=EmptyForm(),
                           shown_secret=shown_secret), status


@bp.get("/sites")
@admin_required
def sites():
    return _sites_page()


@bp.post("/sites")
@admin_required
def create():
    form = SiteForm()
    if not form.validate():
        return _sites_page(form, status=422)
    try:
        site, secret = create_site(db.session, app_settings(), form.slug.data,
                                   name=form.name.data or None,
                                   region=form.region.data or None,
                                   callback_url=form.callback_url.data or None, actor=_actor(),
                                   address=request.remote_addr)
    except ServiceError as exc:
        form.slug.errors.append(exc.message)
        return _sites_page(form, status=exc.status)
    return _sites_page(shown_secret={"site": site.slug, "secret": secret, "created": True})


@bp.post("/sites/<slug>/rotate")
@admin_required
def rotate(slug: str):
    EmptyForm()  # CSRF checked by CSRFProtect before the view
    grace = current_app.config["SECRET_ROTATION_GRACE_HOURS"]
    secret = rotate_secret(db.session, app_settings(), slug, grace_hours=grace, actor=_actor(),
                           address=request.remote_addr)
    return _sites_page(shown_secret={"site": slug, "secret": secret, "created": False,
                                     "grace_hours": grace})


# ----------------------------------------------------------------------------- audit

def _date_arg(name: str) -> datetime | None:
    value = request.args.get(name)
    if not value:
        return None
    try:
        return datetime.fromisoformat(value).replace(tzinfo=UTC)
    except ValueError:
        raise Invalid(f"{name} is a date like 2026-11-25") from None


@bp.get("/audit")
@admin_required
def audit():
    filters = accounts.AuditFilters(
        action=request.args.get("action") or None, actor=request.args.get("actor") or None,
        target_type=request.args.get("target_type") or None,
        target_id=request.args.get("target_id") or None,
        since=_date_arg("since"), until=_date_arg("until"))
    before = request.args.get("before", type=int)
    if before is not None and not 0 <= before <= MAX_ROW_ID + 1:
        raise Invalid("before is not an audit event id")
    events, next_before = accounts.audit_events(db.session, filters, before=before)
    args = {k: v for k, v in request.args.items() if k != "before" and v}
    next_url = url_for("admin.audit", before=next_before, **args) if next_before else None
    return render_template("admin/audit.html", events=events, filters=filters,
                           next_url=next_url,
                           actions=accounts.audit_actions(db.session))


# ----------------------------------------------------------------------------- stats

def _days() -> int:
    return max(1, min(request.args.get("days", 30, type=int) or 30, 365))


@bp.get("/stats")
@admin_required
def stats_page():
    """The stats moved to /stats, where moderators read them too."""
    return redirect(url_for("dashboard.stats_page", days=_days()))
