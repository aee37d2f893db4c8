"""The sign-in and password forms (Flask-WTF: CSRF token checked on every POST)."""
from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField
from wtforms.validators import DataRequired, EqualTo, Length


class LoginForm(FlaskForm):
    email = EmailField("E-mail", validators=[DataRequired(), Length(max=254)])
    password = PasswordField("Password", validators=[DataRequired(), Length(max=1000)])


class SetPasswordForm(FlaskForm):
    """An invited user's first own password (they have just signed in with the temporary one)."""
    new_password = PasswordField("New password", validators=[DataRequired(), Length(max=1000)])
    confirm_password = PasswordField("New password again", validators=[
        DataRequired(), EqualTo("new_password", message="the two new passwords do not match")])


class ChangePasswordForm(SetPasswordForm):
    current_password = PasswordField("Current password",
                                     validators=[DataRequired(), Length(max=1000)])
