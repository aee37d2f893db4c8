"""Pages every signed-in user has: their own settings (wellbeing) and the stats, read-only."""
from __future__ import annotations

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from ..extensions import db
from ..services import stats, wellbeing
from . import bp, charts
from .forms import SettingsForm


@bp.route("/settings", methods=["GET", "POST"])
def settings():
    form = SettingsForm()
    user = current_user._get_current_object()
    if request.method == "POST":
        if not form.validate():
            return render_template("dashboard/settings.html", form=form), 422
        wellbeing.set_blur_crisis(db.session, user, bool(form.blur_crisis.data),
                                  address=request.remote_addr)
        flash("Settings saved.", "success")
        return redirect(url_for("dashboard.settings"))
    form.blur_crisis.data = user.blur_crisis
    return render_template("dashboard/settings.html", form=form)


def _days() -> int:
    return max(1, min(request.args.get("days", 30, type=int) or 30, 365))


@bp.get("/stats")
def stats_page():
    """Moderators read the figures too; nothing here changes anything."""
    return render_template("admin/stats.html", stats=stats.stats(db.session, days=_days()),
                           days=_days())


@bp.get("/stats/<name>.svg")
def stats_chart(name: str):
    render = charts.CHARTS.get(name)
    if render is None:
        abort(404)
    return Response(render(stats.stats(db.session, days=_days())), mimetype="image/svg+xml")
