"""Wiring in one place: blueprints are registered by create_app alone."""
from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[1] / "moderation"


def test_blueprints_are_registered_only_in_create_app(app):
    where = sorted(str(p.relative_to(ROOT)) for p in ROOT.rglob("*.py")
                   if "register_blueprint(" in p.read_text(encoding="utf-8"))
    assert where == ["app.py"]
    assert {"api", "perspective", "coral", "auth", "dashboard", "admin", "alerts",
            "export"} <= set(app.blueprints)
