"""Admin pages for the support-resource catalog: list, edit (as YAML), retire. Audited."""
from __future__ import annotations

import yaml
from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import BooleanField, TextAreaField
from wtforms.validators import DataRequired, Length

from ..auth import admin_required
from ..errors import Invalid, NotFound
from ..extensions import db
from ..services.support import edit_resource as save_resource
from ..services.support import list_resource_entries, resource_entry
from . import admin_bp as bp


class ResourceForm(FlaskForm):
    entry = TextAreaField("Entry (YAML)", validators=[DataRequired(), Length(max=20_000)])
    active = BooleanField("Offered to moderators", default=True)


@bp.get("/resources")
@admin_required
def resources():
    return render_template("admin/resources.html", entries=list_resource_entries(db.session))


@bp.route("/resources/<key>", methods=["GET", "POST"])
@admin_required
def edit_resource(key: str):
    entry = resource_entry(db.session, key)
    if entry is None:
        raise NotFound(f"no resource {key!r} (run `flask resources load` first)")
    form = ResourceForm()
    error = None
    if form.validate_on_submit():
        try:
            data = yaml.safe_load(form.entry.data)
            if not isinstance(data, dict):
                raise Invalid("the entry must be a YAML mapping of fields")
            data.pop("key", None)  # the key names the entry; it is not edited
            save_resource(db.session, key, data, actor=current_user._get_current_object(),
                          active=form.active.data, address=request.remote_addr)
        except (Invalid, yaml.YAMLError) as exc:
            error = getattr(exc, "message", None) or f"not valid YAML: {exc}"
        else:
            flash(f"Saved {key}. A reload of the shipped catalog keeps this edit.")
            return redirect(url_for("admin.resources"))
    elif not form.is_submitted():
        form.entry.data = yaml.safe_dump(
            {k: v for k, v in entry.data.items() if k != "key"}, sort_keys=False,
            allow_unicode=True)
        form.active.data = entry.active
    return render_template("admin/resource_edit.html", entry=entry, form=form, error=error), \
        (422 if error else 200)
