"""GET/POST /login and POST /logout; failed sign-ins slow down per account and address
and are capped per address (services/login_limits.py, shared by every worker)."""
from __future__ import annotations

from flask import flash, redirect, render_template, request, session, url_for
from flask_login import current_user, login_required, login_user, logout_user

from ..extensions import db
from ..services import login_limits
from ..services.accounts import sign_in, signed_out
from . import bp, safe_next, start_session
from .forms import LoginForm


@bp.route("/login", methods=["GET", "POST"])
def login():
    if current_user.is_authenticated:
        return redirect(safe_next(request.args.get("next")))
    form = LoginForm()
    if form.validate_on_submit():
        email, address = form.email.data or "", request.remote_addr or "-"
        wait = login_limits.wait_seconds(db.session, email, address)
        if wait:  # not even checked: a guesser learns nothing while waiting
            flash(f"Too many failed sign-ins: try again in {wait} seconds.", "error")
            return (render_template("auth/login.html", form=form), 429,
                    {"Retry-After": str(wait)})
        user = sign_in(db.session, email, form.password.data or "")
        if user is None:
            login_limits.record_failure(db.session, email, address)
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
    signed_out(db.session, current_user._get_current_object())
    logout_user()
    session.clear()
    flash("Signed out.", "info")
    return redirect(url_for("auth.login"))
