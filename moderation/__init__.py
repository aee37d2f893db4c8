"""The comment moderation service.

``create_app`` (in ``moderation.app``) builds the Flask application. This package file imports
nothing itself, so that the tone engine, ``moderation.analysis``, loads without Flask, SQLAlchemy
or the configuration: it is pure Python over text.
"""

from __future__ import annotations

from typing import Any


def __getattr__(name: str) -> Any:
    """``moderation.create_app`` is ``moderation.app.create_app``, imported on first use (the
    one definition; PEP 562 keeps this package's import free of Flask)."""
    if name == "create_app":
        from .app import create_app

        return create_app
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
