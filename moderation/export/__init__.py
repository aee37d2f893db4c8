"""Admin pages for the moderation log: export download, author erasure, callback status."""
from __future__ import annotations

from datetime import date

from flask import (
    Blueprint,
    Response,
    flash,
    redirect,
    render_template,
    request,
    stream_with_context,
    url_for,
)
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import StringField
from wtforms.validators import DataRequired, Length

from ..auth import admin_required
from ..errors import Invalid
from ..extensions import app_settings, db
from ..services.callbacks import outbox_rows
from ..services.export import ACTIONS, FLAGS, STATES, ExportFilters, export
from ..services.privacy import erase_author

bp = Blueprint("export", __name__, url_prefix="/admin")

# Mimetypes: Flask adds "; charset=utf-8" to the text/* one itself (once).
_MEDIA = {"csv": "text/csv", "ndjson": "application/x-ndjson",
          "json": "application/json"}


def _day(name: str) -> date | None:
    value = request.args.get(name) or None
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise Invalid(f"{name} must be a date like 2026-01-31") from None


class EraseForm(FlaskForm):
    site = StringField("Site", validators=[DataRequired(), Length(max=64)])
    author_id = StringField("Author id (the site's own id)",
                            validators=[DataRequired(), Length(max=255)])


@bp.get("/export")
@admin_required
def export_page():
    fmt = request.args.get("format")
    if not fmt:
        return render_template("export/export.html", flags=FLAGS, actions=ACTIONS,
                               states=STATES, form=EraseForm())
    filters = ExportFilters(
        site=request.args.get("site") or None, since=_day("since"), until=_day("until"),
        flag=request.args.get("flag") or None, decision=request.args.get("decision") or None,
        state=request.args.get("state") or None,
        include_text=request.args.get("include_text") in ("1", "on", "true"),
    ).validate()
    if fmt not in _MEDIA:
        raise Invalid("format must be csv, ndjson or json")
    chunks = export(db.session, filters, fmt, actor=current_user._get_current_object(),
                    address=request.remote_addr)
    filename = f"moderation-log-{date.today().isoformat()}.{fmt}"
    return Response(stream_with_context(chunks), mimetype=_MEDIA[fmt],
                    headers={"Content-Disposition": f'attachment; filename="{filename}"'})


@bp.post("/erase")
@admin_required
def erase():
    form = EraseForm()
    if not form.validate_on_submit():
        raise Invalid("site and author id are required")
    n = erase_author(db.session, app_settings(), form.site.data.strip(),
                     form.author_id.data.strip(), actor=current_user._get_current_object(),
                     address=request.remote_addr)
    flash(f"Erased text and identity from {n} comments by that author.")
    return redirect(url_for("export.export_page"))


@bp.get("/callbacks")
@admin_required
def callbacks():
    """Decision callbacks to sites: failures and retries are visible here."""
    problems_only = request.args.get("problems") == "1"
    rows = outbox_rows(db.session, problems_only=problems_only)
    return render_template("export/callbacks.html", rows=rows, problems_only=problems_only)
