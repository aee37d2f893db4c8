"""Tone engine: pure Python analysis of a comment's text (no Flask, no database).

from moderation.analysis import analyze
a = analyze("I don't want to live anymore")
a.flags  # ('crisis', ...)
"""

from .config import DEFAULT_THRESHOLDS, FLAG_URGENCY, MODEL_VERSION, QUEUE_URGENCY, UNSCORED
from .engine import analyze, analyze_many, unscored
from .types import Analysis, Span

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
