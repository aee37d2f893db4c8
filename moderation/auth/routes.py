"""GET/POST /login and POST /logout, rate-limited per address and per account."""
from __future__ import annotations

from flask import current_app, flash, redirect, render_template, request, session, url_for
from flask_login import current_user, login_required, login_user, logout_user

from ..extensions import db, limiter
from ..services.accounts import sign_in, signed_out
from . import bp, safe_next, start_session
from .forms import LoginForm


def _account_key() -> str:
    return "login-account:" + (request.form.get("email") or "").strip().lower()[:254]


def _failed(response) -> bool:
    # Only failed attempts count towards the per-account limit: a moderator who signs in
    # and out all day is never locked out, a password guesser is.
    return response.status_code != 302


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config.get("LOGIN_RATE_LIMIT_ADDRESS", "30 per minute"),
               methods=["POST"])
@limiter.limit(lambda: current_app.config.get("LOGIN_RATE_LIMIT_ACCOUNT", "10 per 15 minutes"),
               key_func=_account_key, methods=["POST"], deduct_when=_failed)
def login():
    if current_user.is_authenticated:
        return redirect(safe_next(request.args.get("next")))
    form = LoginForm()
    if form.validate_on_submit():
        user = sign_in(db.session, form.email.data or "", form.password.data or "")
        if user is not None:
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
