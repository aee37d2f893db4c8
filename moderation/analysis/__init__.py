"""Tone engine: pure Python analysis of a comment's text (no Flask, no database).

from moderation.analysis import analyze
a = analyze("I don't want to live anymore")
a.flags  # ('crisis', ...)
"""

from typing import TYPE_CHECKING, Any

from .config import DEFAULT_THRESHOLDS, FLAG_URGENCY, MODEL_VERSION, QUEUE_URGENCY, UNSCORED
from .types import Analysis, Span

if TYPE_CHECKING:
    from .engine import analyze, analyze_many, unscored

_ENGINE = ("analyze", "analyze_many", "unscored")


def __getattr__(name: str) -> Any:
    """The engine (and numpy) is imported on first use, so commands that score nothing,
    such as `flask export`, start without it."""
    if name in _ENGINE:
        from . import engine
        for attribute in _ENGINE:
            globals()[attribute] = getattr(engine, attribute)
        return globals()[name]
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")

__all__ = [
    "analyze",
    "analyze_many",
    "Analysis",
    "Span",
    "DEFAULT_THRESHOLDS",
    "FLAG_URGENCY",
    "MODEL_VERSION",
    "QUEUE_URGENCY",
    "UNSCORED",
    "unscored",
]
