"""Fixtures for the tone-engine tests (they need no training data)."""

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


@pytest.fixture(autouse=True)
def strict_engine(monkeypatch):
    """Internal errors must surface in tests instead of hiding behind analyze()'s safety net."""
    from moderation.analysis import engine

    monkeypatch.setattr(engine, "STRICT", True)
    yield
