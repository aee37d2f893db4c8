"""Flask extensions, created once here and bound to the app in create_app; and the app's
Settings, what views, the API and the CLI pass to the services."""
from flask import current_app
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect

from .db import Base
from .settings import Settings

db = SQLAlchemy(model_class=Base)
migrate = Migrate()
login_manager = LoginManager()
csrf = CSRFProtect()
limiter = Limiter(key_func=get_remote_address)

SETTINGS = "moderation.settings"


def app_settings() -> Settings:
    """The current app's Settings (built once in create_app), for a service call."""
    return current_app.extensions[SETTINGS]
