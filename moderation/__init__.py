"""The comment moderation service.

``create_app`` (in ``moderation.app``) builds the Flask application. This package file imports
nothing itself, so that the tone engine, ``moderation.analysis``, loads without Flask, SQLAlchemy
or the configuration: it is pure Python over text.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pragma: no cover
    from flask import Flask

    from config import Config


def create_app(config: Config | type[Config] | dict[str, Any] | None = None) -> Flask:
    """Build the application (see ``moderation.app.create_app``)."""
    from .app import create_app as _create_app

    return _create_app(config)
