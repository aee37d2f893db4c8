"""Dashboard forms (Flask-WTF: each POST carries and is checked for its CSRF token)."""
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    EmailField,
    HiddenField,
    SelectField,
    StringField,
    TextAreaField,
    URLField,
)
from wtforms.fields import SelectChoice
from wtforms.validators import DataRequired, Length, Optional, Regexp

from ..services.queue import ACTIONS, BULK_ACTIONS, MAX_NOTE, MAX_REPLY


def _choices(values) -> list[SelectChoice]:
    return [SelectChoice(v, v.replace("_", " ")) for v in values]


_ACTION_CHOICES = _choices(ACTIONS)
_ROLES = _choices(("moderator", "lead", "admin"))


class DecisionForm(FlaskForm):
    action = SelectField("Decision", choices=_ACTION_CHOICES, validators=[DataRequired()])
    note = TextAreaField("Note (optional)", validators=[Optional(), Length(max=MAX_NOTE)])
    reply_text = TextAreaField("Reply to the reader",
                               validators=[Optional(), Length(max=MAX_REPLY)])
    # The resources offered in the reply are checkboxes named "resources": read with getlist.
    confirm_warnings = BooleanField("I have read the warnings; send the reply as it is")
    # Needed to escalate, and to approve (or call not a concern) a possible crisis.
    reason = TextAreaField("Reason", validators=[Optional(), Length(max=MAX_NOTE)])
    back = HiddenField()


class ReasonForm(FlaskForm):
    """Reopen a decided item (a lead or an admin): why."""
    reason = TextAreaField("Why reopen it", validators=[Optional(), Length(max=MAX_NOTE)])


class SettingsForm(FlaskForm):
    blur_crisis = BooleanField("Blur crisis comments in the queue until I point at or "
                               "move to them")


class BulkForm(FlaskForm):
    action = SelectField("Decision", choices=_choices(BULK_ACTIONS),
                         validators=[DataRequired()])
    note = StringField("Note (optional)", validators=[Optional(), Length(max=MAX_NOTE)])
    # The selected rows are checkboxes named "item_ids": read with getlist.


class InviteForm(FlaskForm):
    email = EmailField("E-mail", validators=[DataRequired(), Length(max=254)])
    role = SelectField("Role", choices=_ROLES)


class RoleForm(FlaskForm):
    role = SelectField("Role", choices=_ROLES)


class ActiveForm(FlaskForm):
    active = SelectField("Account", choices=[SelectChoice("1", "enable"),
                                                  SelectChoice("0", "disable")])


class SiteForm(FlaskForm):
    slug = StringField("Short name", validators=[
        DataRequired(), Regexp(r"^[a-z0-9][a-z0-9-]{0,62}\Z",
                               message="1-63 lowercase letters, digits and dashes")])
    name = StringField("Display name", validators=[Optional(), Length(max=200)])
    region = StringField("Region (ISO code, e.g. GB)", validators=[
        Optional(), Regexp(r"^[A-Za-z]{2}\Z", message="two letters, e.g. GB")])
    callback_url = URLField("Decision callback URL (optional)", validators=[
        Optional(), Length(max=2000), Regexp(r"^https?://\S+\Z", message="an http(s) URL")])


class EmptyForm(FlaskForm):
    """For buttons that only need the CSRF token (rotate a secret, sign out, next item)."""
