"""/admin/alerts: each site's alert settings, and every alert with its delivery status."""
from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import HiddenField, StringField
from wtforms.validators import DataRequired, Length

from ..auth import admin_required
from ..errors import ServiceError
from ..extensions import db
from ..models import Site
from ..services import alerts

bp = Blueprint("alerts", __name__, url_prefix="/admin/alerts")


class AlertsForm(FlaskForm):
    site = HiddenField(validators=[DataRequired(), Length(max=64)])
    emails = StringField("Alert e-mails (comma-separated)", validators=[Length(max=2000)])
    chat_url = StringField("Chat webhook URL", validators=[Length(max=2000)])
    on = StringField("Flags that alert", default="crisis,threat",
                     validators=[DataRequired(), Length(max=100)])
    leads = StringField("Leads for reminders (comma-separated)", validators=[Length(max=2000)])


def _page(status: int = 200, failed: AlertsForm | None = None):
    forms = []
    for site in db.session.scalars(sa.select(Site).order_by(Site.slug)):
        if failed is not None and failed.site.data == site.slug:
            forms.append((site, failed))
            continue
        cfg = site.alerts or {}
        forms.append((site, AlertsForm(formdata=None, site=site.slug,
                                       emails=", ".join(cfg.get("email") or []),
                                       chat_url=cfg.get("chat_url") or "",
                                       on=",".join(cfg.get("on") or alerts.DEFAULT_ON),
                                       leads=", ".join(cfg.get("leads") or []))))
    problems_only = request.args.get("problems") == "1"
    rows = alerts.outbox_rows(db.session, problems_only=problems_only)
    return render_template("admin/alerts.html", forms=forms, rows=rows,
                           problems_only=problems_only), status


@bp.get("")
@admin_required
def index():
    return _page()


@bp.post("")
@admin_required
def configure():
    form = AlertsForm()
    if not form.validate_on_submit():
        return _page(422, form)
    try:
        alerts.configure_alerts(db.session, form.site.data, emails=form.emails.data.split(","),
                                chat_url=form.chat_url.data, on=form.on.data.split(","),
                                leads=form.leads.data.split(","),
                                actor=current_user._get_current_object(),
                                address=request.remote_addr)
    except ServiceError as exc:
        db.session.rollback()
        form.emails.errors = [exc.message]
        return _page(exc.status, form)
    flash(f"Alerts of {form.site.data} saved.", "success")
    return redirect(url_for("alerts.index"))
