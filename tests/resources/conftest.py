"""Fixtures for the support-resources tests (pure Python, no app or database)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import pytest

from moderation.resources import load_catalog


@dataclass(frozen=True)
class FakeAnalysis:
    """Stands in for moderation.analysis.Analysis (this package must not import it)."""

    flags: tuple[str, ...] = ()
    scores: Mapping[str, float] = field(default_factory=dict)
    tags: tuple[str, ...] = ()


@pytest.fixture(scope="session")
def catalog():
    return load_catalog()


@pytest.fixture
def make_analysis():
    def make(*flags: str, **scores: float) -> FakeAnalysis:
        return FakeAnalysis(flags=tuple(flags), scores=dict(scores))

    return make


def valid_entry(**overrides):
    """A minimal valid catalog entry as a plain dict; override fields per test."""
    entry = {
        "key": "test-line",
        "name": "Test Line",
        "kind": "crisis_line",
        "regions": ["GB"],
        "languages": ["en"],
        "topics": ["suicide"],
        "phone": "0800 000 000",
        "url": "https://example.org/",
        "hours": "24/7",
        "checked_on": "2026-11-25",
        "source": "https://example.org/",
    }
    entry.update(overrides)
    return entry
