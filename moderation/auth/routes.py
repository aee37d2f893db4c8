"""GET/POST /login, POST /logout and GET/POST /account/password; failed sign-ins (and wrong
current passwords) slow down per account and address and are capped per address
(services/login_limits.py, shared by every worker)."""
from __future__ import annotations

from flask import flash, redirect, render_template, request, session, url_for
from flask_login import current_user, login_required, login_user, logout_user

from ..errors import Invalid
from ..extensions import app_settings, db
from ..services import login_limits
from ..services.accounts import sign_in, signed_out
from ..services.users import WrongPassword, change_password
from . import bp, safe_next, start_session
from .forms import ChangePasswordForm, LoginForm, SetPasswordForm


@bp.route("/login", methods=["GET", "POST"])
def login():
    if current_user.is_authenticated:
        return redirect(safe_next(request.args.get("next")))
    form = LoginForm()
    if form.validate_on_submit():
        email, address = form.email.data or "", request.remote_addr or "-"
        limits = app_settings().login
        wait = login_limits.wait_seconds(db.session, limits, email, address)
        if wait:  # not even checked: a guesser learns nothing while waiting
            flash(f"Too many failed sign-ins: try again in {wait} seconds.", "error")
            return (render_template("auth/login.html", form=form), 429,
                    {"Retry-After": str(wait)})
        user = sign_in(db.session, email, form.password.data or "", address=request.remote_addr)
        if user is None:
            login_limits.record_failure(db.session, limits, email, address)
        else:
            login_limits.clear(db.session, email, address)
            session.clear()  # a fresh session at sign-in: no fixation
            login_user(user)
            start_session()
            return redirect(safe_next(request.args.get("next")))
        flash("That e-mail and password do not match an active account.", "error")
        return render_template("auth/login.html", form=form), 401
    if request.method == "POST":
        return render_template("auth/login.html", form=form), 400
    return render_template("auth/login.html", form=form)


@bp.post("/logout")
@login_required
def logout():
    signed_out(db.session, current_user._get_current_object(), address=request.remote_addr)
    logout_user()
    session.clear()
    flash("Signed out.", "info")
    return redirect(url_for("auth.login"))


@bp.route("/account/password", methods=["GET", "POST"])
@login_required
def password():
    """Change one's own password (the current one re-entered), or choose the first one after
    signing in with an invitation's temporary password (then nothing else opens before)."""
    user = current_user._get_current_object()
    first = user.must_set_password
    form = SetPasswordForm() if first else ChangePasswordForm()
    if request.method == "GET":
        return render_template("auth/password.html", form=form, first=first)
    if not form.validate():
        return render_template("auth/password.html", form=form, first=first), 422
    address = request.remote_addr or "-"
    limits = app_settings().login
    wait = login_limits.wait_seconds(db.session, limits, user.email, address)
    if wait:  # guessing the current password is slowed like guessing at sign-in
        flash(f"Too many wrong passwords: try again in {wait} seconds.", "error")
        return (render_template("auth/password.html", form=form, first=first), 429,
                {"Retry-After": str(wait)})
    current = None if first else form.current_password.data
    try:
        user = change_password(db.session, user.id, form.new_password.data or "",
                               current=current, address=request.remote_addr)
    except WrongPassword as exc:
        login_limits.record_failure(db.session, limits, user.email, address)
        form.current_password.errors = [exc.message]
        return render_template("auth/password.html", form=form, first=first), 422
    except Invalid as exc:
        form.new_password.errors = [exc.message]
        return render_template("auth/password.html", form=form, first=first), 422
    login_user(user)  # this session carries the new session token; the others end
    flash("Your password is set." if first else "Your password is changed; you are "
          "signed out everywhere else.", "success")
    return redirect(url_for("dashboard.queue") if first else url_for("dashboard.settings"))
