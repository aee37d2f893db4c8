"""The application factory: config, extensions, blueprints, CLI, error handlers."""
from __future__ import annotations

from typing import Any

from flask import Flask, jsonify

from config import BASE_DIR, INSTANCE_DIR, Config, config_from_env

from .db import configure_engine
from .errors import register_error_handlers
from .extensions import SETTINGS, csrf, db, limiter, login_manager, migrate
from .settings import Settings


def create_app(config: Config | type[Config] | dict[str, Any] | None = None) -> Flask:
    app = Flask("moderation", instance_path=str(INSTANCE_DIR),
                template_folder=str(BASE_DIR / "templates"),
                static_folder=str(BASE_DIR / "static"))
    if config is None:
        config = config_from_env()
    elif isinstance(config, type):
        config = config()
    if isinstance(config, dict):
        app.config.from_object(config_from_env())
        app.config.update(config)
    else:
        app.config.from_object(config)

    # What the services read of the config, built once (moderation/settings.py).
    app.extensions[SETTINGS] = Settings.from_config(app.config)
    db.init_app(app)
    migrate.init_app(app, db, directory=str(BASE_DIR / "migrations"), render_as_batch=True)
    csrf.init_app(app)
    limiter.init_app(app)
    login_manager.init_app(app)
    with app.app_context():
        configure_engine(db.engine, app.config["SQLITE_BUSY_TIMEOUT"],
                         app.config["POOL_PING_IDLE_SECONDS"])

    from . import auth, cli, dashboard, security
    from .api import bp as api_bp
    from .api.coral import bp as coral_bp
    from .api.perspective import bp as perspective_bp
    from .dashboard.alerts import bp as alerts_bp
    from .export import bp as export_bp

    auth.init_app(app)  # login manager, deny-by-default, own password first
    dashboard.init_app(app)  # template globals; the queue, item and admin routes
    security.init_app(app)  # CSP and other security headers on every response
    # Every blueprint, registered here and only here.
    for blueprint in (api_bp, perspective_bp, coral_bp):
        csrf.exempt(blueprint)  # these authenticate by signature or key, not by cookie
    for blueprint in (api_bp, perspective_bp, coral_bp, auth.bp, dashboard.bp,
                      dashboard.admin_bp, alerts_bp, export_bp):
        app.register_blueprint(blueprint)
    cli.register(app)
    register_error_handlers(app)

    @app.get("/healthz")
    def healthz():
        db.session.execute(db.text("SELECT 1"))
        return jsonify({"status": "ok"})

    return app
